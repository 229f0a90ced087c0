"""Train a pixel classifier from vector labels: sample, compare candidates, validate, fit.

Labelled pixels are sampled once, with every feature a candidate may use.
Candidates are feature recipes (bands only; with spectral indices where the
band roles are known; with neighbourhood windows at scales suited to the pixel
size), then parameter settings of the classifier, all scored on the same folds
within a time budget.  The best candidate's cross-validated scores are the
report's estimate, and it is fitted on every sample.
"""

import functools
import itertools
import os
import time
from dataclasses import dataclass, field

import numpy as np

from ..common.errors import InputError
from ..common.files import atomic_outputs
from ..common.progress import ensure_feedback
from ..model.bundle import (CLASSIFIERS, ModelBundle, library_versions, make_estimator,
                            make_predictor, save_model)
from ..model.features import make_recipe, search_indices, search_windows
from ..rasters.access import check_bands, window_with_halo
from ..rasters.labels import read_labels
from ..rasters.stack import open_stack
from .options import BALANCES, VALIDATIONS
from .report import training_report_html
from .sampling import collect_samples
from .validation import f1_macro, make_folds, score_folds

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

#: Candidates are scored on at most this many samples (a seeded subset in the sample's class
#: proportions); the chosen one is then fitted on all samples.
VALIDATION_SAMPLES = 60_000

#: The feature search leaves out neighbourhood windows that would make more features.
MAX_SEARCH_FEATURES = 600

#: Seconds the comparison of candidates may take by default.
TIME_BUDGET = 120

#: Pixels predicted to time a candidate's classification speed.
SPEED_PIXELS = 16384

#: Gap (pixels) between blocks cut from one feature when no window is wider.
MIN_GAP = 3

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
    too_slow: bool = False          # below the speed a chosen candidate needs (see _Search)
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


@dataclass
class TrainingResult:
    """The trained model and everything the training report shows."""

    bundle: ModelBundle
    validations: dict                      # mode -> validation.ValidationResult
    chosen_validation: str
    candidates: list = field(default_factory=list)   # Candidate, in the order tried
    importances: list = field(default_factory=list)  # (feature name, importance)
    importance_kind: str = ""

    @property
    def score(self):
        return self.validations[self.chosen_validation]


def train_classifier(raster, labels_path, *, label_field=None, aoi_path=None, bands=None,
                     indices=(), band_roles=None, context=(), feature_search=True, masks=(),
                     mask_kind="", crop_classes=None, classifier="random_forest",
                     max_samples_per_class=20000, class_balance="proportional", edge_buffer=1,
                     validation="grouped", folds=5, tune=True, time_budget=TIME_BUDGET, seed=0,
                     feedback=None):
    """Sample labelled pixels, compare candidates, validate and fit a classifier.

    ``bands`` (1-based, default all) are used as they are.  With
    ``feature_search`` and no ``indices`` or ``context`` given, the features are
    chosen by validation (see the module docstring); otherwise ``indices``
    (names of ``features.INDICES``, bands from the band names or ``band_roles``)
    and ``context`` window sizes are used as given.  ``tune`` also compares the
    settings of ``PARAMETER_GRIDS``.  Candidates after the first are tried while
    ``time_budget`` seconds allow.  ``class_balance`` is one of
    ``options.BALANCES``.  ``raster`` is a path, or a list of paths for a time
    stack (see ``rasters.stack.open_stack``), with optional clear-sky ``masks`` of
    ``mask_kind``.

    Returns
    -------
    TrainingResult
        The fitted :class:`ModelBundle`, the validation figures and the candidates.
    """
    started = time.perf_counter()
    feedback = ensure_feedback(feedback)
    _check_options(classifier, validation, folds, max_samples_per_class, edge_buffer,
                   class_balance, time_budget)
    stack = open_stack(raster, masks, mask_kind)
    info = stack.grid
    bands = check_bands(info, bands)
    searching = feature_search and not indices and not context
    recipes = _FeatureStages(info, stack, bands, band_roles, searching, indices, context)
    labels = read_labels(labels_path, info, label_field=label_field, crop_classes=crop_classes,
                         aoi_path=aoi_path, feedback=feedback)
    recipes.leave_out_windows(_classes_with_few_features(labels, folds))
    sampled = recipes.sampled
    feedback.info("Sampling labelled pixels...")
    samples = collect_samples(stack, labels, sampled,
                              max_per_class=max_samples_per_class, edge_buffer=edge_buffer,
                              balance=class_balance, seed=seed, feedback=feedback.step(0, 0.2))
    classes = labels.classes
    y = np.searchsorted([c.value for c in classes], samples.y)
    feedback.info(f"Samples per class ({class_balance}): " + ", ".join(
        f"{c.name} {int(np.sum(y == i))} of {samples.labelled_pixels[c.value]} px"
        for i, c in enumerate(classes)))
    if samples.narrowed_buffers:
        feedback.info(f"{samples.narrowed_buffers} polygon(s) too small for the edge buffer "
                      "kept their inner pixels with a narrower buffer.")

    subset = _validation_subset(len(y), seed)
    scored, scored_y = samples.subset(subset), y[subset]
    gap = max(max(sampled.context, default=0), MIN_GAP)
    modes = [validation] + [m for m in ("grouped", "random") if m != validation]
    folds_of = {m: make_folds(m, scored, scored_y, len(classes), folds, seed, gap=gap)
                for m in modes}
    for index, how in enumerate(folds_of[validation].classes):
        feedback.info(f"Validation of {classes[index].name}: {how.describe(gap)}")

    grid = PARAMETER_GRIDS[classifier] if tune else PARAMETER_GRIDS[classifier][:1]
    n_fits = (recipes.count + len(grid) - 1) * len(folds_of[validation].splits) \
        + sum(len(folds_of[m].splits) for m in modes[1:]) + 1
    search = _Search(classifier, scored, scored_y, folds_of[validation], recipes, stack, seed,
                     deadline=started + time_budget,
                     counter=_FitCounter(feedback.step(0.2, 1.0), n_fits))
    search.try_all([(recipe, grid[0]) for recipe in recipes.first])
    search.try_all([(recipe, grid[0]) for recipe in recipes.second(search.best().recipe)])
    search.try_all([(search.best().recipe, params) for params in grid[1:]])
    best = search.best()
    best.chosen = True
    feedback.info(f"Chosen: {best.features} ({len(best.recipe.feature_names)} features), "
                  f"{_params_text(best.params)}: F1 macro {best.f1_macro:.3f}")

    validations = {validation: best.result}
    for mode in modes[1:]:
        predictions, _, _ = search.cross_predict(best, folds_of[mode].splits)
        validations[mode] = score_folds(folds_of[mode], scored_y, predictions, search.weights,
                                        len(classes))
    _warn_if_below_chance(validations[validation], classes, feedback)

    columns = recipes.columns(best.recipe)
    estimator = make_estimator(classifier, best.params, seed=seed)
    estimator.fit(samples.X[:, columns], y)
    search.counter.advance()
    importances, importance_kind = _importances(estimator, classifier, best.recipe,
                                                samples.X[:, columns], y, seed)
    training = _training_facts(stack, labels, samples, label_field=label_field,
                               edge_buffer=edge_buffer, max_per_class=max_samples_per_class,
                               balance=class_balance, seed=seed, tuned=tune,
                               searched=searching, scored=len(scored.y), budget=time_budget,
                               required_speed=search.required_speed())
    bundle = ModelBundle(
        estimator=estimator, kind=classifier, params=best.params, recipe=best.recipe,
        classes=classes, training=training,
        validation={"chosen": validation,
                    "results": {m: v.to_dict() for m, v in validations.items()},
                    "candidates": [c.to_dict() for c in search.candidates],
                    "search_notes": recipes.notes},
        libraries=library_versions(), training_area=_training_area(labels, info))
    return TrainingResult(bundle, validations, validation, search.candidates, importances,
                          importance_kind)


def save_training(result, model_path, report_path=None):
    """Write the model file and, if asked, the HTML report; both or neither appear."""
    with atomic_outputs(model_path, report_path) as (model_temp, report_temp):
        save_model(result.bundle, model_temp)
        if report_temp:
            with open(report_temp, "w", encoding="utf-8") as handle:
                handle.write(training_report_html(result))


def _check_options(classifier, validation, folds, max_samples_per_class, edge_buffer,
                   class_balance, time_budget):
    if classifier not in CLASSIFIERS:
        raise InputError(f"CLASSIFIER must be one of {', '.join(CLASSIFIERS)}.")
    if validation not in VALIDATIONS:
        raise InputError(f"VALIDATION must be one of {', '.join(VALIDATIONS)}.")
    if class_balance not in BALANCES:
        raise InputError(f"CLASS_BALANCE must be one of {', '.join(BALANCES)}.")
    if folds < 2:
        raise InputError("FOLDS must be at least 2.")
    if max_samples_per_class < 10:
        raise InputError("MAX_SAMPLES_PER_CLASS must be at least 10.")
    if edge_buffer < 0:
        raise InputError("EDGE_BUFFER cannot be negative.")
    if not time_budget > 0:
        raise InputError("TIME_BUDGET must be a positive number of seconds.")


class _FeatureStages:
    """The feature recipes to compare, in two stages, and the recipe that samples them all.

    The first stage compares bands only with bands and indices; the second adds
    neighbourhood windows, one scale and then all, to the better of the two.
    Without a search there is one recipe, as given.
    """

    def __init__(self, info, stack, bands, band_roles, searching, indices, context):
        self._make = lambda indices=(), context=(): make_recipe(info, bands, indices, band_roles,
                                                                 context, stack)
        self.notes = []
        if not searching:
            self.first, self.indices, self.windows = [self._make(indices, context)], (), ()
            return
        self.indices = search_indices(info, band_roles)
        self.first = [self._make()] + ([self._make(self.indices)] if self.indices else [])
        if not self.indices:
            self.notes.append("Spectral indices were not tried: the band names do not say "
                              "which bands are blue, green, red and near infrared; set "
                              "BAND_ROLES to try them.")
        self.windows = scales = search_windows(info)
        while self.windows and len(self._make(self.indices, self.windows).feature_names) \
                > MAX_SEARCH_FEATURES:
            self.windows = self.windows[:-1]
        if self.windows != scales:
            left_out = ", ".join(map(str, scales[len(self.windows):]))
            self.notes.append(f"Neighbourhood windows of {left_out} px were not tried: with "
                              f"{len(self.first[-1].feature_names)} features per pixel they "
                              f"would make more than {MAX_SEARCH_FEATURES}.")

    def leave_out_windows(self, few_fields):
        """No windows when classes have fewer label features than folds: they are validated on
        blocks of the same fields, which share their texture, so the folds cannot tell whether
        windows carry over to new fields."""
        if few_fields and self.windows:
            self.windows = ()
            for derived in ("sampled", "_positions"):   # both follow the windows
                self.__dict__.pop(derived, None)
            self.notes.append(f"Neighbourhood windows were not tried: {', '.join(few_fields)} "
                              "had fewer label features than folds, so they are validated on "
                              "blocks of the same fields, which cannot tell whether windows "
                              "carry over to new fields.")

    @property
    def scales(self):
        """The window sets of the second stage: the smallest window, then all."""
        return [self.windows[:1], self.windows] if len(self.windows) > 1 else \
            [self.windows] if self.windows else []

    def second(self, base):
        """The second stage's recipes, on ``base``'s indices."""
        return [self._make(base.indices, windows) for windows in self.scales]

    @functools.cached_property
    def sampled(self):
        """The recipe whose features include every candidate's."""
        if len(self.first) == 1 and not self.windows:
            return self.first[0]
        return self._make(self.indices, self.windows)

    @functools.cached_property
    def _positions(self):
        return {name: i for i, name in enumerate(self.sampled.feature_names)}

    @property
    def count(self):
        return len(self.first) + len(self.scales)

    def columns(self, recipe):
        """Columns of the sampled features that ``recipe`` uses, in its order."""
        return np.array([self._positions[name] for name in recipe.feature_names])


class _Search:
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
                kept = kept if _clearly_better(kept.fold_f1, candidate.fold_f1) else candidate
            elif _clearly_better(candidate.fold_f1, kept.fold_f1):
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
        per_pixel = _fastest(lambda: predict(pixels)) / len(pixels)
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
            seconds = _fastest(lambda: recipe.features(data, valid, core, times))
            self._feature_seconds[key] = seconds / (side * side)
        return self._feature_seconds[key]


def _fastest(work, repeats=5):
    """The shortest of ``repeats`` timings of ``work()``: the first pays for warming up, and a
    shared machine's cores run at speeds that vary by a third from one moment to the next."""
    seconds = []
    for _ in range(repeats):
        started = time.perf_counter()
        work()
        seconds.append(time.perf_counter() - started)
    return min(seconds)


def _classes_with_few_features(labels, folds):
    """Names of the classes with fewer label features than ``folds`` (crop-mode background,
    grouped in cells, has many)."""
    values, counts = np.unique(labels.class_values, return_counts=True)
    features = dict(zip(values.tolist(), counts.tolist()))
    return [c.name for c in labels.classes
            if features.get(c.value, 0) < folds and not (labels.crop_mode and c.value == 0)]


def _clearly_better(challenger, incumbent):
    """True when the mean of the fold-wise differences exceeds their standard error."""
    differences = np.subtract(challenger, incumbent)
    error = np.std(differences, ddof=1) / np.sqrt(len(differences))
    return float(np.mean(differences)) > error


def _validation_subset(n, seed):
    """Indices of the samples candidates are scored on: all, or a seeded subset."""
    if n <= VALIDATION_SAMPLES:
        return np.arange(n)
    rng = np.random.default_rng(seed + 1)
    return np.sort(rng.choice(n, VALIDATION_SAMPLES, replace=False))


def _warn_if_below_chance(result, classes, feedback):
    unvalidated = [classes[i].name for i in result.unvalidated]
    if unvalidated:
        feedback.info("Not validated (no score, always in training): " + ", ".join(unvalidated))
    if result.below_chance:
        feedback.warning(f"overall accuracy {result.overall_accuracy:.3f} is below "
                         f"{result.chance:.3f}, what a map of the largest class alone would score "
                         "(see the training report).")


def _params_text(params):
    return ", ".join(f"{k}={v}" for k, v in params.items()) or "default parameters"


def _training_facts(stack, labels, samples, *, label_field, edge_buffer, max_per_class,
                    balance, seed, tuned, searched, scored, budget, required_speed):
    """What the manifest records about the training data."""
    info = stack.grid
    return {
        "raster": ", ".join(os.path.basename(r.path) for r in stack.rasters),
        "crs": info.crs.to_wkt(),
        "pixel_size": list(info.pixel_size),
        "label_field": label_field or "",
        "crop_mode": labels.crop_mode,
        "edge_buffer": edge_buffer,
        "narrowed_buffers": samples.narrowed_buffers,
        "max_samples_per_class": max_per_class,
        "class_balance": balance,
        "seed": seed,
        "labelled_pixels": {str(k): int(v) for k, v in samples.labelled_pixels.items()},
        "samples": {str(c.value): int(np.sum(samples.y == c.value)) for c in labels.classes},
        "scored_samples": scored,
        "background_cell_px": samples.background_cell if labels.crop_mode else None,
        "tuned": bool(tuned),
        "feature_search": bool(searched),
        "time_budget": budget,
        "required_mpx_per_second": required_speed,
    }


def _training_area(labels, info):
    """Where training pixels came from: label features (points as their pixel), and the AOI
    in crop mode."""
    from shapely.ops import unary_union

    half = max(info.pixel_size) / 2
    parts = [g.buffer(half, cap_style=3) if g.geom_type in ("Point", "MultiPoint") else g
             for g in labels.geometries]
    if labels.crop_mode and labels.aoi is not None:
        parts.append(labels.aoi)
    return unary_union(parts)


class _FitCounter:
    def __init__(self, feedback, total):
        self.feedback, self.total, self.done = feedback, total, 0

    def advance(self, fits=1):
        self.done += fits
        self.feedback.progress(self.done / self.total)
        self.feedback.check_cancelled()


def _importances(estimator, classifier, recipe, X, y, seed):
    names = recipe.feature_names
    if classifier == "knn":
        from sklearn.inspection import permutation_importance

        rng = np.random.default_rng(seed)
        subset = rng.choice(len(y), size=min(len(y), 5000), replace=False)
        result = permutation_importance(estimator, X[subset], y[subset], n_repeats=3,
                                        random_state=seed, scoring="accuracy")
        values, kind = result.importances_mean, "permutation (drop in accuracy)"
    else:
        values = estimator.feature_importances_
        kind = "impurity decrease" if classifier == "random_forest" else "gain share"
    pairs = sorted(zip(names, (float(v) for v in values)), key=lambda p: -p[1])
    return pairs, kind
