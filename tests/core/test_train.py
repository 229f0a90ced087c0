"""Training on rasters with known answers, validation figures, and bad inputs."""

import numpy as np
import pytest

from cropseg.core.common.errors import InputError
from cropseg.core.learn.train import train_classifier


@pytest.mark.parametrize("classifier", ["random_forest", "xgboost", "knn"])
def test_separable_classes_are_learnt(two_class_scene, classifier):
    raster, labels, _ = two_class_scene
    result = train_classifier(raster, labels, label_field="crop", crop_classes=["wheat"],
                              classifier=classifier, tune=False, max_samples_per_class=500)
    bundle = result.bundle
    assert [(c.value, c.name, c.is_crop) for c in bundle.classes] == \
        [(1, "fallow", False), (2, "wheat", True)]
    assert set(result.validations) == {"grouped", "random"}
    labelled = sum(bundle.training["labelled_pixels"].values())
    for score in result.validations.values():
        assert score.overall_accuracy > 0.98
        assert np.sum(score.confusion) == labelled   # samples weighted to labelled pixels
    assert bundle.recipe.feature_names == ["blue", "green", "red", "nir"]
    assert len(result.importances) == 4


def test_integer_field_keeps_class_values(two_class_scene):
    raster, labels, _ = two_class_scene
    result = train_classifier(raster, labels, label_field="code", classifier="knn", tune=False,
                              max_samples_per_class=200)
    assert [c.value for c in result.bundle.classes] == [1, 2]
    assert result.bundle.crop_values == []


def test_tuning_reports_every_setting_and_keeps_the_chosen_one(two_class_scene):
    raster, labels, _ = two_class_scene
    result = train_classifier(raster, labels, label_field="crop", classifier="knn", tune=True,
                              feature_search=False, max_samples_per_class=200, folds=3)
    k_values = [c.params["n_neighbors"] for c in result.candidates]
    assert k_values == [5, 3, 9, 15, 25]
    chosen = [c for c in result.candidates if c.chosen]
    assert len(chosen) == 1 and result.bundle.params == chosen[0].params
    assert result.score.f1_macro == pytest.approx(chosen[0].f1_macro)
    assert chosen[0].f1_macro >= max(c.f1_macro for c in result.candidates) - 0.05


def test_grouped_validation_is_not_more_optimistic_than_random_pixels(scene):
    result = train_classifier(scene.raster, scene.all_parcels, label_field="crop_type",
                              classifier="random_forest", tune=False, validation="spatial",
                              max_samples_per_class=1500)
    scores = result.validations
    assert set(scores) == {"spatial", "grouped", "random"}
    assert result.chosen_validation == "spatial"
    assert scores["grouped"].overall_accuracy < scores["random"].overall_accuracy
    assert scores["spatial"].overall_accuracy < scores["random"].overall_accuracy


def test_training_is_reproducible_with_a_seed(two_class_scene):
    raster, labels, _ = two_class_scene
    runs = [train_classifier(raster, labels, label_field="crop", classifier="random_forest",
                             tune=False, max_samples_per_class=300, seed=4) for _ in range(2)]
    assert runs[0].bundle.validation["results"] == runs[1].bundle.validation["results"]
    # Speeds, and the speed gate's verdicts, depend on the machine's load; scores must not.
    timings = ("fit_seconds", "mpx_per_second", "too_slow", "chosen")
    first, second = ([{k: v for k, v in c.items() if k not in timings}
                      for c in run.bundle.validation["candidates"]] for run in runs)
    assert first == second


def test_progress_moves_to_the_end_and_cancel_stops_training(two_class_scene):
    from cropseg.core.common.errors import Cancelled
    from cropseg.core.common.progress import Feedback

    raster, labels, _ = two_class_scene
    seen = []
    train_classifier(raster, labels, label_field="crop", max_samples_per_class=300,
                     feedback=Feedback(on_progress=seen.append))
    assert seen == sorted(seen) and seen[-1] == pytest.approx(1.0) and len(set(seen)) > 20
    halfway = []
    with pytest.raises(Cancelled):
        train_classifier(raster, labels, label_field="crop", max_samples_per_class=300,
                         feedback=Feedback(on_progress=halfway.append,
                                           is_cancelled=lambda: bool(halfway)
                                           and halfway[-1] > 0.5))
    assert 0.5 < halfway[-1] < 0.8


def test_raster_without_crs(write_raster, two_class_scene):
    _, labels, _ = two_class_scene
    raster = write_raster(np.ones((4, 20, 20), dtype=np.uint16), name="nocrs.tif", crs=None)
    with pytest.raises(InputError, match="has no coordinate reference system"):
        train_classifier(raster, labels, label_field="crop")


def test_all_nodata_raster(write_raster, two_class_scene):
    _, labels, transform = two_class_scene
    raster = write_raster(np.zeros((4, 100, 120), dtype=np.uint16), name="empty.tif", nodata=0,
                          transform=transform)
    with pytest.raises(InputError, match="no valid pixel under the labels"):
        train_classifier(raster, labels, label_field="crop")


def test_single_class(two_class_scene, write_vector, pixel_box):
    raster, _, transform = two_class_scene
    labels = write_vector([pixel_box(transform, 5, 5, 30, 30)], name="one.gpkg", crop=["wheat"])
    with pytest.raises(InputError, match="every label is class 'wheat'"):
        train_classifier(raster, labels, label_field="crop")


def test_class_with_too_few_pixels_is_named(two_class_scene, write_vector, pixel_box):
    raster, _, transform = two_class_scene
    labels = write_vector([pixel_box(transform, 5, 5, 30, 30), pixel_box(transform, 5, 70, 8, 73)],
                          name="small.gpkg", crop=["wheat", "fallow"])
    with pytest.raises(InputError, match=r"class 'fallow' \(9 px\) has fewer than 10 valid "
                                         "labelled pixels"):
        train_classifier(raster, labels, label_field="crop", edge_buffer=1)


@pytest.mark.parametrize("options, message", [
    ({"classifier": "svm"}, "CLASSIFIER must be one of"),
    ({"validation": "none"}, "VALIDATION must be one of"),
    ({"folds": 1}, "FOLDS must be at least 2"),
    ({"bands": [1, 7]}, r"band\(s\) 7 do not exist"),
])
def test_bad_parameters(two_class_scene, options, message):
    raster, labels, _ = two_class_scene
    with pytest.raises(InputError, match=message):
        train_classifier(raster, labels, label_field="crop", **options)
