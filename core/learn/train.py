"""Train a pixel classifier from vector labels: sample, compare candidates, validate, fit.

Labelled pixels are sampled once, with every feature a candidate may use.
Candidates are feature recipes (bands only; with spectral indices where the
band roles are known; with neighbourhood windows at scales suited to the pixel
size), then parameter settings of the classifier, all scored on the same folds
within a time budget.  The best candidate's cross-validated scores are the
report's estimate, and it is fitted on every sample.
"""

import os
import time
from dataclasses import dataclass, field

import numpy as np

from ..common.errors import InputError
from ..common.files import atomic_outputs
from ..common.progress import ensure_feedback
from ..model.bundle import ModelBundle, library_versions, make_estimator, save_model
from ..model.options import CLASSIFIERS
from ..rasters.access import check_bands
from ..rasters.labels import read_labels
from ..rasters.stack import open_stack
from .candidates import PARAMETER_GRIDS, CandidateSearch, FitCounter
from .feature_stages import FeatureStages
from .options import BALANCES, VALIDATIONS
from .report import training_report_html
from .sampling import collect_samples
from .validation import make_folds, score_folds

#: Candidates are scored on at most this many samples (a seeded subset in the sample's class
#: proportions); the chosen one is then fitted on all samples.
VALIDATION_SAMPLES = 60_000

#: Seconds the comparison of candidates may take by default.
TIME_BUDGET = 120

#: Gap (pixels) between blocks cut from one feature when no window is wider.
MIN_GAP = 3


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
    recipes = FeatureStages(info, stack, bands, band_roles, searching, indices, context)
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
    feedback.info("Samples per class ({class_balance}), sampled/labelled pixels: {counts}",
                  class_balance=class_balance, counts=", ".join(
                      f"{c.name} {int(np.sum(y == i))}/{samples.labelled_pixels[c.value]}"
                      for i, c in enumerate(classes)))
    if samples.narrowed_buffers:
        feedback.info("{narrowed_buffers} polygon(s) too small for the edge buffer "
                      "kept their inner pixels with a narrower buffer.",
                      narrowed_buffers=samples.narrowed_buffers)

    subset = _validation_subset(len(y), seed)
    scored, scored_y = samples.subset(subset), y[subset]
    gap = max(max(sampled.context, default=0), MIN_GAP)
    modes = [validation] + [m for m in ("grouped", "random") if m != validation]
    folds_of = {m: make_folds(m, scored, scored_y, len(classes), folds, seed, gap=gap)
                for m in modes}
    for index, how in enumerate(folds_of[validation].classes):
        feedback.info("Validation of {name}: {how}", name=classes[index].name,
                      how=how.describe(gap))

    grid = PARAMETER_GRIDS[classifier] if tune else PARAMETER_GRIDS[classifier][:1]
    n_fits = (recipes.count + len(grid) - 1) * len(folds_of[validation].splits) \
        + sum(len(folds_of[m].splits) for m in modes[1:]) + 1
    search = CandidateSearch(classifier, scored, scored_y, folds_of[validation], recipes, stack,
                             seed, deadline=started + time_budget,
                             counter=FitCounter(feedback.step(0.2, 1.0), n_fits))
    search.try_all([(recipe, grid[0]) for recipe in recipes.first])
    search.try_all([(recipe, grid[0]) for recipe in recipes.second(search.best().recipe)])
    search.try_all([(search.best().recipe, params) for params in grid[1:]])
    best = search.best()
    best.chosen = True
    feedback.info("Chosen: {features} ({n_feature_names} features), "
                  "{params_text}: F1 macro {f1_macro:.3f}", features=best.features,
                  n_feature_names=len(best.recipe.feature_names),
                  params_text=_params_text(best.params), f1_macro=best.f1_macro)

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
        raise InputError("CLASSIFIER must be one of {classifiers}.",
                         classifiers=", ".join(CLASSIFIERS))
    if validation not in VALIDATIONS:
        raise InputError("VALIDATION must be one of {validations}.",
                         validations=", ".join(VALIDATIONS))
    if class_balance not in BALANCES:
        raise InputError("CLASS_BALANCE must be one of {balances}.", balances=", ".join(BALANCES))
    if folds < 2:
        raise InputError("FOLDS must be at least 2.")
    if max_samples_per_class < 10:
        raise InputError("MAX_SAMPLES_PER_CLASS must be at least 10.")
    if edge_buffer < 0:
        raise InputError("EDGE_BUFFER cannot be negative.")
    if not time_budget > 0:
        raise InputError("TIME_BUDGET must be a positive number of seconds.")


def _classes_with_few_features(labels, folds):
    """Names of the classes with fewer label features than ``folds`` (crop-mode background,
    grouped in cells, has many)."""
    values, counts = np.unique(labels.class_values, return_counts=True)
    features = dict(zip(values.tolist(), counts.tolist()))
    return [c.name for c in labels.classes
            if features.get(c.value, 0) < folds and not (labels.crop_mode and c.value == 0)]


def _validation_subset(n, seed):
    """Indices of the samples candidates are scored on: all, or a seeded subset."""
    if n <= VALIDATION_SAMPLES:
        return np.arange(n)
    rng = np.random.default_rng(seed + 1)
    return np.sort(rng.choice(n, VALIDATION_SAMPLES, replace=False))


def _warn_if_below_chance(result, classes, feedback):
    unvalidated = [classes[i].name for i in result.unvalidated]
    if unvalidated:
        feedback.info("Not validated (no score, always in training): {classes}",
                      classes=", ".join(unvalidated))
    if result.below_chance:
        feedback.warning("overall accuracy {overall_accuracy:.3f} is below "
                         "{chance:.3f}, what a map of the largest class alone would score "
                         "(see the training report).", overall_accuracy=result.overall_accuracy,
                         chance=result.chance)


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
