"""Cross-validation folds that keep neighbouring pixels together, and the scores on them.

Grouped folds keep every pixel of a label feature (in crop mode, of a
background cell) in one fold, so a model is always scored on fields it did not
see.  A class with fewer features than folds would then be missing from the
training folds of its own test fold, and score zero for a reason that has
nothing to do with the classifier.  Such a class has its largest features cut
into spatial blocks, with a strip of ``gap`` pixels left out of the folds
between the two sides of every cut, until it has a unit for every fold or its
blocks are too small to cut.  A class that still has a single unit cannot be
validated: its pixels always train and are never scored, and the report names
it.

Scores weight every sample by the labelled pixels of its class per sampled
pixel, so they estimate the accuracy over all labelled pixels whatever the
class balance of the sample.
"""

from dataclasses import asdict, dataclass

import numpy as np

from ..common.errors import InputError, Message


#: Sampled pixels each side of a cut must keep for a feature to be cut into blocks.
MIN_BLOCK_SAMPLES = 10


@dataclass
class ClassFolds:
    """How one class took part in the folds."""

    features: int       # label features (crop-mode background: cells) with sampled pixels
    units: int          # pieces the folds keep whole: features, blocks, cells or pixels
    method: str         # "features", "blocks", "spatial blocks", "pixels" or "none"

    @property
    def validated(self):
        return self.units >= 2

    def describe(self, gap):
        """One line for the log and the report (a :class:`Message`)."""
        if self.method == "features":
            return Message("by label feature: {units} features", units=self.units)
        if self.method == "blocks":
            return Message("{features} feature(s) cut into {units} spatial blocks, {gap} px "
                           "apart: blocks of one field are less independent than fields, so "
                           "this class's score can be optimistic", features=self.features,
                           units=self.units, gap=gap)
        if self.method == "spatial blocks":
            return Message("spatial blocks: in {units} blocks", units=self.units)
        if self.method == "pixels":
            return Message("random pixels: {units} pixels (optimistic)", units=self.units)
        return Message("not validated: {features} feature(s), too few or too small to cut into "
                       "two blocks; its pixels always train and are never scored",
                       features=self.features)


@dataclass
class Folds:
    """Train/test index pairs over the samples, and how each class took part."""

    mode: str
    splits: list        # (train indices, test indices)
    classes: list       # ClassFolds per class index
    gap: int            # pixels left out between blocks cut from one feature


def make_folds(mode, samples, y, n_classes, folds, seed, *, gap=1):
    """Folds of ``mode`` over ``samples`` (class indices ``y``); see the module docstring.

    ``gap`` (pixels) separates blocks cut from one feature: at least the largest
    neighbourhood window, so no pixel's features reach across a cut.
    """
    from sklearn.model_selection import StratifiedGroupKFold, StratifiedKFold

    cut = {}
    if mode == "random":
        groups, kept = np.arange(len(y)), np.ones(len(y), dtype=bool)
    elif mode == "spatial":
        groups, kept = _spatial_blocks(samples, folds), np.ones(len(y), dtype=bool)
    else:
        groups, kept, cut = _cut_small_classes(samples, y, folds, gap)
    classes = []
    for index in range(n_classes):
        of_class = (y == index) & kept
        units = len(np.unique(groups[of_class]))
        features = len(np.unique(samples.groups[y == index]))
        method = {"random": "pixels", "spatial": "spatial blocks"}.get(
            mode, "blocks" if cut.get(index) else "features")
        classes.append(ClassFolds(features, units, method if units >= 2 else "none"))
    validated = np.array([c.validated for c in classes])
    if validated.sum() < 2:
        raise InputError("VALIDATION: fewer than two classes can be validated (each needs two "
                         "label features, or one large enough to cut into blocks); add label "
                         "features or use random-pixel validation.")
    scored = np.flatnonzero(kept & validated[y])
    always_train = np.flatnonzero(kept & ~validated[y])
    n = int(min(folds, len(np.unique(groups[scored]))))
    if mode == "random":
        counts = np.bincount(y[scored])
        n = int(min(n, counts[counts > 0].min()))
        splitter = StratifiedKFold(n_splits=max(n, 2), shuffle=True, random_state=seed)
        pairs = splitter.split(scored, y[scored])
    else:
        splitter = StratifiedGroupKFold(n_splits=n, shuffle=True, random_state=seed)
        pairs = splitter.split(scored, y[scored], groups[scored])
    splits = [(np.sort(np.concatenate([scored[train], always_train])), scored[test])
              for train, test in pairs]
    return Folds(mode, splits, classes, gap if mode == "grouped" else 0)


def _spatial_blocks(samples, folds):
    """Group id of square blocks over the labelled area, about four blocks per fold."""
    height = int(np.ptp(samples.rows)) + 1
    width = int(np.ptp(samples.cols)) + 1
    side = max(int(np.ceil(np.sqrt(height * width / (4 * folds)))), 1)
    return (samples.rows // side).astype(np.int64) * (width // side + 1) + samples.cols // side


def _cut_small_classes(samples, y, folds, gap):
    """Unit of every sample after cutting the features of classes with fewer than ``folds``.

    Returns the unit ids, a mask of the samples kept in the folds (those in a
    cut's gap are not) and the number of cuts per class index.
    """
    units = samples.groups.copy()
    kept = np.ones(len(y), dtype=bool)
    next_id = int(units.max(initial=0)) + 1
    cuts = {}
    for index in np.unique(y):
        members = np.flatnonzero(y == index)
        while True:
            members = members[kept[members]]
            ids, counts = np.unique(units[members], return_counts=True)
            if len(ids) >= folds:
                break
            largest = members[units[members] == ids[np.argmax(counts)]]
            halves = _halve(largest, samples.rows, samples.cols, gap)
            if halves is None:
                break
            second, in_gap = halves
            units[second] = next_id
            kept[in_gap] = False
            next_id += 1
            cuts[int(index)] = cuts.get(int(index), 0) + 1
    return units, kept, cuts


def _halve(members, rows, cols, gap):
    """Cut ``members`` across their longer side at the median, leaving ``gap`` rows or columns
    out between the halves; (second half, gap) or None when a half would be too small."""
    along = rows[members] if np.ptp(rows[members]) >= np.ptp(cols[members]) else cols[members]
    start = int(np.median(along)) - gap // 2
    first, second = along < start, along >= start + gap
    if min(first.sum(), second.sum()) < MIN_BLOCK_SAMPLES:
        return None
    return members[second], members[~first & ~second]


@dataclass
class ValidationResult:
    """Cross-validated scores of one validation scheme, pooled over folds.

    Scores and the confusion matrix are weighted to the labelled proportions of
    the classes (see the module docstring); classes that could not be validated
    have empty rows.
    """

    mode: str
    folds: int
    overall_accuracy: float
    f1_macro: float
    kappa: float
    fold_accuracies: list
    confusion: list          # rows: reference class, columns: predicted class (pixels)
    per_class: list          # dicts: precision, recall, f1, support per class index
    classes: list            # ClassFolds per class index
    gap: int
    chance: float            # overall accuracy of mapping the largest validated class alone

    @property
    def below_chance(self):
        return self.overall_accuracy < self.chance - 1e-9   # not a rounding difference

    @property
    def unvalidated(self):
        """Indices of the classes with no score."""
        return [i for i, c in enumerate(self.classes) if not c.validated]

    def to_dict(self):
        return asdict(self)


def score_folds(folds, y, predictions, weights, n_classes):
    """Weighted scores of out-of-fold ``predictions`` (class indices; -1 where not tested)."""
    tested = predictions >= 0
    confusion = _confusion(y[tested], predictions[tested], weights[tested], n_classes)
    overall, f1_macro, kappa, per_class = _summaries(confusion)
    for row, support in zip(per_class, np.bincount(y[tested], minlength=n_classes)):
        row["support"] = int(support)
    fold_accuracies = []
    for _, test in folds.splits:
        hit = predictions[test] == y[test]
        fold_accuracies.append(float(np.sum(weights[test] * hit) / np.sum(weights[test])))
    shares = confusion.sum(axis=1)
    return ValidationResult(
        mode=folds.mode, folds=len(folds.splits), overall_accuracy=overall, f1_macro=f1_macro,
        kappa=kappa, fold_accuracies=fold_accuracies,
        confusion=np.rint(confusion).astype(np.int64).tolist(), per_class=per_class,
        classes=folds.classes, gap=folds.gap,
        chance=float(shares.max() / shares.sum()))


def f1_macro(y, predictions, weights, n_classes):
    """Weighted F1 macro over the tested samples (predictions >= 0), as in ``score_folds``."""
    tested = predictions >= 0
    return _summaries(_confusion(y[tested], predictions[tested], weights[tested], n_classes))[1]


def _confusion(y, predictions, weights, n_classes):
    matrix = np.zeros((n_classes, n_classes), dtype=np.float64)
    np.add.at(matrix, (y, predictions), weights)
    return matrix


def _summaries(confusion):
    """Overall accuracy, F1 macro over the classes with reference pixels, kappa, per class."""
    total = confusion.sum()
    correct = np.diag(confusion)
    reference, mapped = confusion.sum(axis=1), confusion.sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        precision = np.where(mapped > 0, correct / mapped, 0.0)
        recall = np.where(reference > 0, correct / reference, 0.0)
        f1 = np.where(precision + recall > 0, 2 * precision * recall / (precision + recall), 0.0)
    overall = float(correct.sum() / total)
    expected = float(np.sum(reference * mapped) / total ** 2)
    kappa = float((overall - expected) / (1 - expected)) if expected < 1 else 0.0
    per_class = [{"precision": float(p), "recall": float(r), "f1": float(f)}
                 for p, r, f in zip(precision, recall, f1)]
    return overall, float(f1[reference > 0].mean()), kappa, per_class
