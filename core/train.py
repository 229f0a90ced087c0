"""Train a pixel classifier from vector labels, with leakage-free validation."""

import itertools
import os
from dataclasses import dataclass, field

import numpy as np

from .errors import InputError
from .features import make_recipe
from .files import atomic_outputs
from .labels import read_labels
from .model import CLASSIFIERS, ModelBundle, library_versions, make_estimator, save_model
from .progress import ensure_feedback
from .raster import check_bands
from .report import training_report_html
from .sampling import collect_samples
from .timeseries import open_stack

VALIDATIONS = ("grouped", "spatial", "random")

#: Small grids searched when tuning; the first entry of each is the default.
TUNING_GRIDS = {
    "random_forest": {"min_samples_leaf": [1, 5], "max_features": ["sqrt", None]},
    "xgboost": {"max_depth": [6, 3], "learning_rate": [0.1, 0.3]},
    "knn": {"n_neighbors": [5, 3, 9, 15, 25]},
}


@dataclass
class ValidationResult:
    """Cross-validated scores, pooled over folds, of one validation scheme."""

    mode: str
    folds: int
    overall_accuracy: float
    f1_macro: float
    kappa: float
    fold_accuracies: list
    confusion: list          # rows: reference class, columns: predicted class
    per_class: list          # dicts: precision, recall, f1, support per class index

    def to_dict(self):
        return {"mode": self.mode, "folds": self.folds,
                "overall_accuracy": self.overall_accuracy, "f1_macro": self.f1_macro,
                "kappa": self.kappa, "fold_accuracies": self.fold_accuracies,
                "confusion": self.confusion, "per_class": self.per_class}


@dataclass
class TrainingResult:
    """The trained model and everything the training report shows."""

    bundle: ModelBundle
    validations: dict                      # mode -> ValidationResult
    chosen_validation: str
    tuning: list = field(default_factory=list)   # (params, f1_macro) per grid point
    importances: list = field(default_factory=list)  # (feature name, importance)
    importance_kind: str = ""

    @property
    def score(self):
        return self.validations[self.chosen_validation]


def train_classifier(raster, labels_path, *, label_field=None, aoi_path=None, bands=None,
                     indices=(), band_roles=None, context=(), masks=(), mask_kind="",
                     crop_classes=None, classifier="random_forest",
                     max_samples_per_class=20000, edge_buffer=1, validation="grouped", folds=5,
                     tune=True, seed=0, feedback=None):
    """Sample labelled pixels, validate, tune and fit a classifier.

    ``bands`` (1-based, default all) are used as they are; ``indices`` (names
    of ``features.INDICES``) are added, their bands found from the band names or
    ``band_roles`` (role -> band); ``context`` window sizes add the mean and
    standard deviation of those features over each window.  ``raster`` is a
    path, or a list of paths for a time stack (see ``timeseries.open_stack``),
    with optional clear-sky ``masks`` of ``mask_kind``.

    Returns
    -------
    TrainingResult
        The fitted :class:`ModelBundle` and the validation figures.
    """
    feedback = ensure_feedback(feedback)
    _check_options(classifier, validation, folds, max_samples_per_class, edge_buffer)
    stack = open_stack(raster, masks, mask_kind)
    info = stack.grid
    recipe = make_recipe(info, check_bands(info, bands), indices, band_roles, context, stack)
    labels = read_labels(labels_path, info, label_field=label_field, crop_classes=crop_classes,
                         aoi_path=aoi_path, feedback=feedback)
    feedback.info("Sampling labelled pixels...")
    samples = collect_samples(stack, labels, recipe, max_per_class=max_samples_per_class,
                              edge_buffer=edge_buffer, seed=seed, feedback=feedback.step(0, 0.3))
    classes = labels.classes
    index_of = {c.value: i for i, c in enumerate(classes)}
    y = np.array([index_of[v] for v in samples.y], dtype=np.int64)
    feedback.info("Samples per class: " + ", ".join(
        f"{c.name} {int(np.sum(samples.y == c.value))} of {samples.labelled_pixels[c.value]} px"
        for c in classes))

    modes = [validation] + [m for m in ("grouped", "random") if m != validation]
    splits = {m: fold_splits(m, samples, y, folds, seed) for m in modes}
    grid = _grid(classifier) if tune else [{}]
    fits = len(grid) * len(splits[validation]) + sum(len(splits[m]) for m in modes[1:]) + 1
    counter = _FitCounter(feedback.step(0.3, 1.0), fits)

    tuning, best_score = [], -1.0
    for params in grid:
        predictions = _cross_predict(classifier, params, samples.X, y, splits[validation],
                                     seed, counter)
        score = _f1_macro(y, predictions, len(classes))
        tuning.append((params, score))
        if score > best_score:
            best_score, best_params, best_predictions = score, params, predictions
    if tune:
        feedback.info(f"Chosen parameters: {best_params or 'defaults'}")
    validations = {validation: _scores(validation, y, best_predictions, splits[validation],
                                       len(classes))}
    for mode in modes[1:]:
        predictions = _cross_predict(classifier, best_params, samples.X, y, splits[mode], seed,
                                     counter)
        validations[mode] = _scores(mode, y, predictions, splits[mode], len(classes))

    estimator = make_estimator(classifier, best_params, seed=seed)
    estimator.fit(samples.X, y)
    counter.advance()
    importances, importance_kind = _importances(estimator, classifier, recipe, samples.X, y, seed)

    training = _training_facts(stack, labels, samples, label_field=label_field,
                               edge_buffer=edge_buffer, max_per_class=max_samples_per_class,
                               seed=seed, tuned=tune)
    bundle = ModelBundle(
        estimator=estimator, kind=classifier, params=best_params, recipe=recipe,
        classes=classes, training=training,
        validation={"chosen": validation,
                    "results": {m: v.to_dict() for m, v in validations.items()},
                    "tuning": [{"params": p, "f1_macro": s} for p, s in tuning]},
        libraries=library_versions(), training_area=_training_area(labels, info))
    return TrainingResult(bundle, validations, validation, tuning if tune else [],
                          importances, importance_kind)


def save_training(result, model_path, report_path=None):
    """Write the model file and, if asked, the HTML report; both or neither appear."""
    with atomic_outputs(model_path, report_path) as (model_temp, report_temp):
        save_model(result.bundle, model_temp)
        if report_temp:
            with open(report_temp, "w", encoding="utf-8") as handle:
                handle.write(training_report_html(result))


def _check_options(classifier, validation, folds, max_samples_per_class, edge_buffer):
    if classifier not in CLASSIFIERS:
        raise InputError(f"CLASSIFIER must be one of {', '.join(CLASSIFIERS)}.")
    if validation not in VALIDATIONS:
        raise InputError(f"VALIDATION must be one of {', '.join(VALIDATIONS)}.")
    if folds < 2:
        raise InputError("FOLDS must be at least 2.")
    if max_samples_per_class < 10:
        raise InputError("MAX_SAMPLES_PER_CLASS must be at least 10.")
    if edge_buffer < 0:
        raise InputError("EDGE_BUFFER cannot be negative.")


def _training_facts(stack, labels, samples, *, label_field, edge_buffer, max_per_class, seed,
                    tuned):
    """What the manifest records about the training data."""
    info = stack.grid
    return {
        "raster": ", ".join(os.path.basename(r.path) for r in stack.rasters),
        "crs": info.crs.to_wkt(),
        "pixel_size": list(info.pixel_size),
        "label_field": label_field or "",
        "crop_mode": labels.crop_mode,
        "edge_buffer": edge_buffer,
        "max_samples_per_class": max_per_class,
        "seed": seed,
        "labelled_pixels": {str(k): int(v) for k, v in samples.labelled_pixels.items()},
        "samples": {str(c.value): int(np.sum(samples.y == c.value)) for c in labels.classes},
        "background_cell_px": samples.background_cell if labels.crop_mode else None,
        "tuned": bool(tuned),
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

    def advance(self):
        self.done += 1
        self.feedback.progress(self.done / self.total)
        self.feedback.check_cancelled()


def _grid(classifier):
    spec = TUNING_GRIDS[classifier]
    keys = list(spec)
    return [dict(zip(keys, values)) for values in itertools.product(*(spec[k] for k in keys))]


def fold_splits(mode, samples, y, folds, seed):
    """Train/test index pairs for ``mode``; groups never straddle a split."""
    from sklearn.model_selection import StratifiedGroupKFold, StratifiedKFold

    if mode == "random":
        n = int(min(folds, np.bincount(y)[np.bincount(y) > 0].min()))
        splitter = StratifiedKFold(n_splits=max(n, 2), shuffle=True, random_state=seed)
        return list(splitter.split(samples.X, y))
    groups = samples.groups if mode == "grouped" else _spatial_blocks(samples, folds)
    n = int(min(folds, len(np.unique(groups))))
    if n < 2:
        raise InputError("VALIDATION: the labels form a single group; grouped validation "
                         "needs at least two label features.")
    splitter = StratifiedGroupKFold(n_splits=n, shuffle=True, random_state=seed)
    return list(splitter.split(samples.X, y, groups))


def _spatial_blocks(samples, folds):
    """Group id of square blocks over the labelled area, about four blocks per fold."""
    height = int(np.ptp(samples.rows)) + 1
    width = int(np.ptp(samples.cols)) + 1
    side = max(int(np.ceil(np.sqrt(height * width / (4 * folds)))), 1)
    return (samples.rows // side).astype(np.int64) * (width // side + 1) + samples.cols // side


def _cross_predict(classifier, params, X, y, splits, seed, counter):
    """Out-of-fold predictions (class indices) for every sample."""
    predictions = np.empty_like(y)
    for train, test in splits:
        present = np.unique(y[train])  # a fold may lack a class: encode to 0..m-1
        estimator = make_estimator(classifier, params, seed=seed)
        estimator.fit(X[train], np.searchsorted(present, y[train]))
        predictions[test] = present[estimator.predict(X[test]).astype(np.int64)]
        counter.advance()
    return predictions


def _f1_macro(y, predictions, n_classes):
    from sklearn.metrics import f1_score

    return float(f1_score(y, predictions, labels=range(n_classes), average="macro",
                          zero_division=0))


def _scores(mode, y, predictions, splits, n_classes):
    from sklearn.metrics import cohen_kappa_score, confusion_matrix, precision_recall_fscore_support

    labels = list(range(n_classes))
    precision, recall, f1, support = precision_recall_fscore_support(
        y, predictions, labels=labels, zero_division=0)
    per_class = [{"precision": float(p), "recall": float(r), "f1": float(f), "support": int(s)}
                 for p, r, f, s in zip(precision, recall, f1, support)]
    return ValidationResult(
        mode=mode, folds=len(splits),
        overall_accuracy=float(np.mean(predictions == y)),
        f1_macro=_f1_macro(y, predictions, n_classes),
        kappa=float(cohen_kappa_score(y, predictions, labels=labels)),
        fold_accuracies=[float(np.mean(predictions[test] == y[test])) for _, test in splits],
        confusion=confusion_matrix(y, predictions, labels=labels).tolist(),
        per_class=per_class)


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
