"""Accuracy figures from a confusion matrix: census counts or a stratified random sample.

Matrices are indexed ``[map class, reference class]`` everywhere in cropseg.

Census mode treats every labelled pixel as the population itself (the figures
scikit-learn gives on the same pixel arrays).  Stratified mode treats the
labelled points as a stratified random sample with the map classes as
strata and uses the estimators of Olofsson et al. (2014), "Good practices for
estimating area and assessing accuracy of land change", Remote Sensing of
Environment 148: 42-57 (their equations 2-10): estimated area proportions,
class areas and 95% confidence intervals for areas and accuracies.
"""

from dataclasses import dataclass, field

import numpy as np

from ..common.errors import Message

#: Two-sided 95% normal quantile, as in Olofsson et al. (2014).
Z95 = 1.96


@dataclass
class ClassScores:
    """Per-class figures; index i is the i-th class of the assessment."""

    precision: np.ndarray   # user's accuracy
    recall: np.ndarray      # producer's accuracy
    f1: np.ndarray
    fbeta: np.ndarray
    support: np.ndarray     # reference count (census) of each class
    mapped: np.ndarray      # map count of each class


@dataclass
class Assessment:
    """Every figure of an accuracy assessment."""

    matrix: np.ndarray             # counts [map, reference]
    overall_accuracy: float
    kappa: float
    scores: ClassScores
    beta: float
    macro: dict                    # precision, recall, f1, fbeta averaged over classes
    weighted: dict                 # the same weighted by reference support
    stratified: dict = field(default=None)  # Olofsson estimates, see stratified_estimates()


def confusion_matrix(map_values, reference_values, class_values, counts=None):
    """Counts ``[map, reference]`` over ``class_values`` (pixels of other values are ignored).

    ``counts`` gives how many pixels each (map, reference) pair stands for (one each when
    omitted).
    """
    index = {v: i for i, v in enumerate(class_values)}
    size = len(class_values)
    rows = np.array([index.get(v, -1) for v in np.asarray(map_values).tolist()], dtype=np.int64)
    cols = np.array([index.get(v, -1) for v in np.asarray(reference_values).tolist()],
                    dtype=np.int64)
    weights = np.ones(len(rows), dtype=np.int64) if counts is None else np.asarray(counts)
    keep = (rows >= 0) & (cols >= 0)
    return np.bincount(rows[keep] * size + cols[keep], weights=weights[keep],
                       minlength=size * size).astype(np.int64).reshape(size, size)


def census_assessment(matrix, *, beta=1.0):
    """Figures of a confusion matrix of counts, every pixel weighing the same."""
    matrix = np.asarray(matrix, dtype=np.float64)
    total = matrix.sum()
    diagonal = np.diag(matrix)
    mapped, support = matrix.sum(axis=1), matrix.sum(axis=0)
    precision = _ratio(diagonal, mapped)
    recall = _ratio(diagonal, support)
    f1 = _fbeta(precision, recall, 1.0)
    fbeta = _fbeta(precision, recall, beta)
    overall = float(diagonal.sum() / total) if total else float("nan")
    chance = float((mapped * support).sum() / total ** 2) if total else float("nan")
    kappa = (overall - chance) / (1 - chance) if chance < 1 else float("nan")
    scores = ClassScores(precision, recall, f1, fbeta, support.astype(np.int64),
                         mapped.astype(np.int64))
    weights = support / total if total else support
    averages = {"precision": precision, "recall": recall, "f1": f1, "fbeta": fbeta}
    return Assessment(
        matrix=matrix.astype(np.int64), overall_accuracy=overall, kappa=float(kappa),
        scores=scores, beta=beta,
        macro={k: float(np.mean(v)) for k, v in averages.items()},
        weighted={k: float(np.sum(v * weights)) for k, v in averages.items()})


def stratified_estimates(matrix, mapped_pixels, pixel_area_ha):
    """Olofsson et al. (2014) estimates from a stratified random sample.

    Parameters
    ----------
    matrix : array (classes, classes)
        Sample counts ``[map class (stratum), reference class]``.
    mapped_pixels : array (classes,)
        Pixels of each map class in the whole map (the stratum sizes).
    pixel_area_ha : float
        Area of one pixel in hectares.

    Returns
    -------
    dict
        ``proportions`` (estimated area proportions [map, reference]),
        ``overall_accuracy`` and ``overall_accuracy_ci95``, ``users_accuracy`` /
        ``producers_accuracy`` with their ``_ci95`` half-widths, ``area_ha`` and
        ``area_ci95_ha`` per reference class, and ``flags``: one :class:`Message` for each
        stratum whose variance cannot be estimated (fewer than two samples).
        Undefined figures are NaN.
    """
    counts = np.asarray(matrix, dtype=np.float64)
    sizes = np.asarray(mapped_pixels, dtype=np.float64)
    samples = counts.sum(axis=1)
    weights = sizes / sizes.sum()
    share = _ratio(counts, samples[:, None])              # n_ij / n_i.
    proportions = weights[:, None] * share                # p_ij (eq. 4)
    users = np.diag(share)                                # eq. 2
    column = proportions.sum(axis=0)                      # p_.j
    producers = _ratio(np.diag(proportions), column)      # eq. 3
    overall = float(np.trace(proportions))                # eq. 1
    with np.errstate(divide="ignore", invalid="ignore"):
        dof = np.where(samples > 1, samples - 1, np.nan)
        term = share * (1 - share) / dof[:, None]          # per stratum and reference class
        users_var = np.diag(term)                                            # eq. 6
        overall_var = float(np.nansum(weights ** 2 * users_var)) if np.all(samples > 1) \
            else float("nan")                                                 # eq. 5
        proportion_se = np.sqrt((weights[:, None] ** 2 * term).sum(axis=0))  # eq. 10
        totals = (sizes[:, None] * share).sum(axis=0)      # estimated pixels per reference class
        producers_var = np.empty(len(sizes))
        for j in range(len(sizes)):                                          # eq. 7
            others = [i for i in range(len(sizes)) if i != j]
            producers_var[j] = (sizes[j] ** 2 * (1 - producers[j]) ** 2 * users_var[j]
                                + producers[j] ** 2 * np.sum(sizes[others] ** 2
                                                             * term[others, j])) / totals[j] ** 2
    total_ha = sizes.sum() * pixel_area_ha
    flags = [Message("stratum {stratum} has {count} sample(s): its variance cannot be estimated",
                     stratum=i, count=int(n)) for i, n in enumerate(samples) if n < 2]
    return {
        "proportions": proportions,
        "overall_accuracy": overall,
        "overall_accuracy_ci95": Z95 * np.sqrt(overall_var),
        "users_accuracy": users,
        "users_accuracy_ci95": Z95 * np.sqrt(users_var),
        "producers_accuracy": producers,
        "producers_accuracy_ci95": Z95 * np.sqrt(producers_var),
        "area_ha": column * total_ha,                      # eq. 8
        "area_ci95_ha": Z95 * proportion_se * total_ha,    # eq. 9-10
        "mapped_area_ha": sizes * pixel_area_ha,
        "flags": flags,
    }


def _ratio(numerator, denominator):
    numerator = np.asarray(numerator, dtype=np.float64)
    denominator = np.broadcast_to(np.asarray(denominator, dtype=np.float64), numerator.shape)
    out = np.zeros(numerator.shape)
    np.divide(numerator, denominator, out=out, where=denominator > 0)
    return out


def _fbeta(precision, recall, beta):
    b2 = beta * beta
    return _ratio((1 + b2) * precision * recall, b2 * precision + recall)
