"""Accuracy figures: census equal to scikit-learn, stratified equal to Olofsson et al. (2014)."""

import numpy as np
import pytest
from sklearn import metrics

from cropseg.core.assessment.metrics import (census_assessment, confusion_matrix,
                                             stratified_estimates)

#: Olofsson et al. (2014), Table 8: sample counts [map, reference] for deforestation, forest
#: gain, stable forest and stable non-forest, and the mapped area of each in 30 m pixels.
OLOFSSON_COUNTS = np.array([[66, 0, 5, 4], [0, 55, 8, 12], [1, 0, 153, 11], [2, 1, 9, 313]])
OLOFSSON_PIXELS = [200_000, 150_000, 3_200_000, 6_450_000]


def test_census_figures_equal_scikit_learn():
    rng = np.random.default_rng(0)
    reference = rng.integers(0, 4, 5000)
    predicted = np.where(rng.random(5000) < 0.7, reference, rng.integers(0, 4, 5000))
    predicted[predicted == 3] = 5          # class 5 only in the map, class 3 only in the reference
    classes = [0, 1, 2, 3, 5]
    matrix = confusion_matrix(predicted, reference, classes)
    assert np.array_equal(matrix, metrics.confusion_matrix(reference, predicted,
                                                           labels=classes).T)
    result = census_assessment(matrix, beta=2.0)
    p, r, f, s = metrics.precision_recall_fscore_support(reference, predicted, labels=classes,
                                                         zero_division=0)
    f2 = metrics.fbeta_score(reference, predicted, beta=2.0, labels=classes, average=None,
                             zero_division=0)
    assert np.allclose(result.scores.precision, p) and np.allclose(result.scores.recall, r)
    assert np.allclose(result.scores.f1, f) and np.allclose(result.scores.fbeta, f2)
    assert np.array_equal(result.scores.support, s)
    assert result.overall_accuracy == pytest.approx(metrics.accuracy_score(reference, predicted))
    assert result.kappa == pytest.approx(metrics.cohen_kappa_score(reference, predicted,
                                                                   labels=classes))
    for average, figures in (("macro", result.macro), ("weighted", result.weighted)):
        assert figures["f1"] == pytest.approx(metrics.f1_score(
            reference, predicted, labels=classes, average=average, zero_division=0))
        assert figures["precision"] == pytest.approx(metrics.precision_score(
            reference, predicted, labels=classes, average=average, zero_division=0))
        assert figures["recall"] == pytest.approx(metrics.recall_score(
            reference, predicted, labels=classes, average=average, zero_division=0))


def test_values_outside_the_classes_are_left_out():
    matrix = confusion_matrix([1, 1, 2, 255, 2], [1, 2, 2, 1, 0], [1, 2])
    assert matrix.tolist() == [[1, 1], [0, 1]]


def test_olofsson_2014_worked_example():
    estimates = stratified_estimates(OLOFSSON_COUNTS, OLOFSSON_PIXELS, pixel_area_ha=0.09)
    # Published on p. 54: areas in hectares with 95% confidence intervals.
    assert np.round(estimates["area_ha"]).tolist() == [21158, 11686, 285770, 581386]
    assert np.round(estimates["area_ci95_ha"]).tolist() == [6158, 3756, 15510, 16282]
    assert np.round(estimates["users_accuracy"], 2).tolist() == [0.88, 0.73, 0.93, 0.96]
    assert np.round(estimates["users_accuracy_ci95"], 2).tolist() == [0.07, 0.10, 0.04, 0.02]
    assert np.round(estimates["producers_accuracy"], 2).tolist() == [0.75, 0.85, 0.93, 0.96]
    assert round(estimates["producers_accuracy_ci95"][0], 2) == 0.21
    assert round(estimates["overall_accuracy"], 2) == 0.95
    assert round(estimates["overall_accuracy_ci95"], 2) == 0.02
    assert estimates["proportions"].sum() == pytest.approx(1.0)
    assert estimates["mapped_area_ha"].tolist() == [18000, 13500, 288000, 580500]
    assert estimates["flags"] == []


def test_a_stratum_with_one_sample_is_flagged_not_hidden():
    counts = OLOFSSON_COUNTS.copy()
    counts[1] = [0, 1, 0, 0]
    estimates = stratified_estimates(counts, OLOFSSON_PIXELS, pixel_area_ha=0.09)
    assert [flag.text() for flag in estimates["flags"]] == [
        "stratum 1 has 1 sample(s): its variance cannot be estimated"]
    assert np.isnan(estimates["users_accuracy_ci95"][1])
    assert np.isnan(estimates["overall_accuracy_ci95"])
    assert np.isfinite(estimates["area_ha"]).all()  # point estimates stay defined
