"""Candidates for training (a feature recipe and classifier parameters) and how one is chosen.

Each candidate is scored on the same folds and timed: its fitting time and how
fast it classifies.  The one kept is the best by F1 macro, beyond the noise of the
folds, among those fast enough (see ``CandidateSearch.best``).
"""

import itertools
import os
import time
from dataclasses import dataclass, field

import numpy as np

from ..model.bundle import make_estimator, make_predictor
from ..rasters.access import window_with_halo
from .validation import f1_macro, score_folds

#: A random forest of full-grown trees, as forests are meant to be.  It replaces the default
#: forest of 60 trees of depth 10 unless it scores clearly worse or is too slow to apply
#: (large samples grow large trees): the shallow forest is the fast one features are compared
#: with, and the fallback.
FULL_FOREST = {"n_estimators": 100, "max_depth": None}

#: Parameter settings compared when tuning, on the chosen features; the first is the default
#: and the one feature recipes are compared with.
PARAMETER_GRIDS = {
    "random_forest": [{"n_estimators": 60, "max_depth": 10}, FULL_FOREST],
    "xgboost": [{"max_depth": d, "learning_rate": r}
                for d, r in itertools.product((6, 3), (0.1, 0.3))],
    "knn": [{"n_neighbors": k} for k in (5, 3, 9, 15, 25)],
}

#: Pixels predicted to time a candidate's classification speed.
SPEED_PIXELS = 16384

#: A candidate is chosen only if it classifies fast enough: an 8000 x 8000 raster in a minute
#: (``TARGET_MPX_PER_SECOND``, all cores), or at least ``SPEED_FLOOR`` of the speed of bands
#: only with the default parameters (the first candidate).  Either suffices, so a recipe about
#: as fast as bands only is never refused because the machine is busy or slow that day.
TARGET_MPX_PER_SECOND = 64 / 60
SPEED_FLOOR = 0.5

#: Share of the one-thread speed of features and prediction that each classification
#: thread reaches, reads and writes included (bench/RESULTS.md).
THREAD_EFFICIENCY = 0.8


@dataclass
class Candidate:
    """A feature recipe and classifier parameters compared during training."""

    recipe: object
    params: dict
    fit_seconds: float = None       # mean per fold
    mpx_per_second: float = None    # features and prediction on one thread
    fold_f1: list = field(default_factory=list)   # F1 macro of each test fold
    result: object = None           # validation.ValidationResult once scored
    skipped: str = ""               # why it was not scored
    too_slow: bool = False          # below the speed a chosen candidate needs (see CandidateSearch)
    chosen: bool = False

    @property
    def f1_macro(self):
        return self.result.f1_macro if self.result else None

    @property
    def overall_accuracy(self):
        return self.result.overall_accuracy if self.result else None

    @property
    def features(self):
        """What the recipe adds to the bands, in words."""
        parts = ["bands"]
        if self.recipe.indices:
            parts.append(", ".join(self.recipe.indices))
        if self.recipe.context:
            parts.append("windows " + ", ".join(map(str, self.recipe.context)))
        return " + ".join(parts)

    def to_dict(self):
        return {"features": self.features, "n_features": len(self.recipe.feature_names),
                "indices": list(self.recipe.indices), "context": list(self.recipe.context),
                "params": self.params, "f1_macro": self.f1_macro,
                "overall_accuracy": self.overall_accuracy, "fit_seconds": self.fit_seconds,
                "mpx_per_second": self.mpx_per_second, "fold_f1": self.fold_f1,
                "skipped": self.skipped, "too_slow": self.too_slow, "chosen": self.chosen}


class CandidateSearch:
    """Scores candidates on one set of folds, within a deadline."""

    def __init__(self, classifier, samples, y, folds, recipes, stack, seed, *, deadline,
                 counter):
        self.classifier, self.samples, self.y, self.folds = classifier, samples, y, folds
        self.recipes, self.stack, self.seed = recipes, stack, seed
        self.deadline, self.counter = deadline, counter
        self.weights = samples.class_weights()
        self.candidates = []
        self._feature_seconds = {}

    def try_all(self, settings):
        """Score each (recipe, params) not seen yet, while the deadline allows."""
        for recipe, params in settings:
            if any(c.recipe == recipe and c.params == params for c in self.candidates):
                continue
            candidate = Candidate(recipe, params)
            self.candidates.append(candidate)
            if len(self.candidates) > 1 and \
                    time.perf_counter() + self._estimate(candidate) > self.deadline:
                candidate.skipped = "time budget"
                self.counter.advance(len(self.folds.splits))
            else:
                self._score(candidate)

    def best(self):
        """The candidate kept so far: each scored one, in the order tried, replaces the one
        kept if it is fast enough and its F1 macro is higher by more than the standard error
        of the two candidates' differences over the folds (differences within noise keep the
        earlier, faster candidate); a full forest replaces it unless clearly worse."""
        kept = None
        for candidate in self.candidates:
            if candidate.result is None or candidate.too_slow:
                continue
            if kept is None:
                kept = candidate
            elif candidate.params == FULL_FOREST:
                kept = kept if clearly_better(kept.fold_f1, candidate.fold_f1) else candidate
            elif clearly_better(candidate.fold_f1, kept.fold_f1):
                kept = candidate
        return kept

    def cross_predict(self, candidate, splits):
        """Out-of-fold class indices (-1 where untested), the last fitted estimator and the
        mean fitting time."""
        X = self.samples.X[:, self.recipes.columns(candidate.recipe)]
        predictions = np.full(len(self.y), -1, dtype=np.int64)
        seconds = []
        for train, test in splits:
            present = np.unique(self.y[train])   # a fold may lack a class: encode 0..m-1
            estimator = make_estimator(self.classifier, candidate.params, seed=self.seed)
            started = time.perf_counter()
            estimator.fit(X[train], np.searchsorted(present, self.y[train]))
            seconds.append(time.perf_counter() - started)
            predictions[test] = present[estimator.predict(X[test]).astype(np.int64)]
            self.counter.advance()
        return predictions, (estimator, present), float(np.mean(seconds))

    def _score(self, candidate):
        predictions, (estimator, present), candidate.fit_seconds = self.cross_predict(
            candidate, self.folds.splits)
        n_classes = len(self.folds.classes)
        candidate.result = score_folds(self.folds, self.y, predictions, self.weights, n_classes)
        candidate.fold_f1 = [f1_macro(self.y[test], predictions[test], self.weights[test],
                                      n_classes) for _, test in self.folds.splits]
        candidate.mpx_per_second = self._speed(candidate.recipe, estimator, len(present))
        candidate.too_slow = candidate.mpx_per_second < self.required_speed()

    def required_speed(self):
        """One-thread speed a candidate needs: the lower of the target on this machine's cores
        and ``SPEED_FLOOR`` of the first candidate's speed."""
        target = TARGET_MPX_PER_SECOND / ((os.cpu_count() or 1) * THREAD_EFFICIENCY)
        return min(target, SPEED_FLOOR * self.candidates[0].mpx_per_second)

    def _estimate(self, candidate):
        """Seconds to score ``candidate``, from the last scored one and the feature count."""
        last = [c for c in self.candidates if c.result is not None][-1]
        ratio = len(candidate.recipe.feature_names) / len(last.recipe.feature_names)
        heavier = 2.0 if candidate.params != last.params else 1.0
        return last.fit_seconds * len(self.folds.splits) * max(ratio, 1.0) * heavier

    def _speed(self, recipe, estimator, n_classes):
        """Million pixels per second that ``recipe`` and ``estimator`` classify on one thread."""
        X = self.samples.X[:, self.recipes.columns(recipe)]
        pixels = np.resize(X, (SPEED_PIXELS, X.shape[1]))
        predict = make_predictor(self.classifier, estimator, n_classes)
        per_pixel = fastest(lambda: predict(pixels)) / len(pixels)
        return 1e-6 / (per_pixel + self._feature_time(recipe))

    def _feature_time(self, recipe):
        """Seconds per pixel to compute ``recipe``'s features, timed on a block of the raster."""
        key = (recipe.indices, recipe.context)
        if key not in self._feature_seconds:
            from rasterio.windows import Window

            info = self.stack.grid
            side = min(256, info.width, info.height)
            window = Window((info.width - side) // 2, (info.height - side) // 2, side, side)
            outer, core = window_with_halo(window, recipe.halo, info.width, info.height)
            with self.stack.open() as reader:
                data, valid = reader.read(recipe.read_bands, outer)
            times = recipe.times(self.stack)
            seconds = fastest(lambda: recipe.features(data, valid, core, times))
            self._feature_seconds[key] = seconds / (side * side)
        return self._feature_seconds[key]


def fastest(work, repeats=5):
    """The shortest of ``repeats`` timings of ``work()``: the first pays for warming up, and a
    shared machine's cores run at speeds that vary by a third from one moment to the next."""
    seconds = []
    for _ in range(repeats):
        started = time.perf_counter()
        work()
        seconds.append(time.perf_counter() - started)
    return min(seconds)


def clearly_better(challenger, incumbent):
    """True when the mean of the fold-wise differences exceeds their standard error."""
    differences = np.subtract(challenger, incumbent)
    error = np.std(differences, ddof=1) / np.sqrt(len(differences))
    return float(np.mean(differences)) > error


class FitCounter:
    """Moves the progress bar by fits done, and stops when the user cancels."""

    def __init__(self, feedback, total):
        self.feedback, self.total, self.done = feedback, total, 0

    def advance(self, fits=1):
        self.done += fits
        self.feedback.progress(self.done / self.total)
        self.feedback.check_cancelled()
