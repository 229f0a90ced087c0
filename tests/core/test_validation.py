"""Validation that stays meaningful with few fields per class, and the recipe it chooses."""

import numpy as np
import pytest
from rasterio.transform import from_origin

from cropseg.core.learn.train import save_training, train_classifier
from cropseg.core.learn.validation import make_folds, score_folds

TRANSFORM = from_origin(500000.0, 5000000.0, 10.0, 10.0)
WHEAT = (800.0, 1400.0, 900.0, 3800.0)
FALLOW = (1500.0, 1700.0, 2100.0, 2300.0)


def _scene(write_raster, rows=100, cols=120, seed=7):
    """Wheat on the left half, fallow on the right, with pixel noise."""
    rng = np.random.default_rng(seed)
    data = np.empty((4, rows, cols), dtype=np.float32)
    data[:, :, :cols // 2] = np.array(WHEAT)[:, None, None]
    data[:, :, cols // 2:] = np.array(FALLOW)[:, None, None]
    data += rng.normal(0, 60, size=data.shape)
    return write_raster(data.astype(np.uint16), descriptions=("blue", "green", "red", "nir"),
                        transform=TRANSFORM)


def _wheat_fields(pixel_box):
    return [pixel_box(TRANSFORM, row, col, row + 20, col + 20)
            for row in (5, 38, 70) for col in (5, 32)]


def test_a_class_with_a_single_field_is_validated_on_blocks_of_it(write_raster, write_vector,
                                                                  pixel_box, tmp_path):
    raster = _scene(write_raster)
    fields = _wheat_fields(pixel_box) + [pixel_box(TRANSFORM, 10, 70, 90, 110)]
    labels = write_vector(fields, crop=["wheat"] * 6 + ["fallow"])
    result = train_classifier(raster, labels, label_field="crop", feature_search=False,
                              tune=False, max_samples_per_class=1000)
    score = result.score
    fallow, wheat = score.classes          # classes in sorted order: fallow, wheat
    assert (fallow.features, fallow.method) == (1, "blocks") and fallow.units == 5
    assert (wheat.features, wheat.method, wheat.units) == (6, "features", 6)
    assert not score.unvalidated and not score.below_chance
    assert score.overall_accuracy > 0.95 > score.chance
    assert score.per_class[0]["recall"] > 0.95    # fallow was in every training fold
    report = tmp_path / "report.html"
    save_training(result, str(tmp_path / "m.cropseg"), str(report))
    page = report.read_text(encoding="utf-8")
    assert "1 feature(s) cut into 5 spatial blocks, 3 px apart" in page


def test_a_class_too_small_to_cut_is_named_and_not_scored(write_raster, write_vector, pixel_box,
                                                         tmp_path):
    raster = _scene(write_raster)
    fields = _wheat_fields(pixel_box) + [pixel_box(TRANSFORM, row, 70, row + 20, 90)
                                         for row in (5, 38, 70)]
    fields.append(pixel_box(TRANSFORM, 40, 100, 45, 105))   # 25 px of "weed", one polygon
    labels = write_vector(fields, crop=["wheat"] * 6 + ["fallow"] * 3 + ["weed"])
    result = train_classifier(raster, labels, label_field="crop", feature_search=False,
                              tune=False, max_samples_per_class=1000)
    names = [c.name for c in result.bundle.classes]
    score = result.score
    assert [names[i] for i in score.unvalidated] == ["weed"]
    assert score.classes[names.index("weed")].method == "none"
    assert np.sum(score.confusion, axis=1)[names.index("weed")] == 0
    assert score.f1_macro > 0.9          # the unscored class does not count as a zero
    save_training(result, str(tmp_path / "m.cropseg"), str(tmp_path / "report.html"))
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "Not validated: weed" in page


def test_blocks_cut_from_one_field_are_a_gap_apart_across_folds(write_raster, write_vector,
                                                                pixel_box):
    from cropseg.core.rasters.labels import read_labels
    from cropseg.core.rasters.access import read_raster_info
    from cropseg.core.learn.sampling import collect_samples
    from cropseg.core.model.features import make_recipe
    from cropseg.core.rasters.stack import open_stack

    raster = _scene(write_raster)
    fields = _wheat_fields(pixel_box) + [pixel_box(TRANSFORM, 10, 70, 90, 110)]
    labels_path = write_vector(fields, crop=["wheat"] * 6 + ["fallow"])
    info = read_raster_info(raster)
    labels = read_labels(labels_path, info, label_field="crop")
    samples = collect_samples(open_stack(raster), labels, make_recipe(info, [1, 2, 3, 4]),
                              max_per_class=100000, edge_buffer=0)
    y = np.searchsorted([c.value for c in labels.classes], samples.y)
    folds = make_folds("grouped", samples, y, 2, 5, seed=0, gap=9)
    single = samples.groups == 7                       # the fallow field
    tested = np.zeros(len(y), dtype=bool)
    for train, test in folds.splits:
        tested[test] = True
        a, b = train[single[train]], test[single[test]]
        rows, cols = samples.rows, samples.cols
        distance = np.maximum(np.abs(rows[a][:, None] - rows[b][None, :]),
                              np.abs(cols[a][:, None] - cols[b][None, :]))
        assert distance.min() > 9
    assert 0 < np.sum(single & ~tested) < np.sum(single) / 2   # the gaps are left out


def test_scores_are_weighted_to_the_labelled_proportions():
    from cropseg.core.learn.validation import ClassFolds, Folds

    y = np.array([0] * 10 + [1] * 10)
    predictions = np.array([0] * 10 + [0] * 5 + [1] * 5)    # class 1 half wrong
    folds = Folds("grouped", [(np.arange(20), np.arange(20))],
                  [ClassFolds(5, 5, "features"), ClassFolds(5, 5, "features")], 3)
    # Class 0 stands for 90 labelled pixels, class 1 for 10: the map is 95% right.
    weights = np.where(y == 0, 9.0, 1.0)
    result = score_folds(folds, y, predictions, weights, 2)
    assert result.overall_accuracy == pytest.approx(0.95)
    assert result.confusion == [[90, 0], [5, 5]]
    assert result.chance == pytest.approx(0.9) and not result.below_chance
    # Mapping the largest class alone scores exactly the chance level: not below it.
    alone = score_folds(folds, y, np.zeros(20, dtype=np.int64), weights, 2)
    assert alone.overall_accuracy == pytest.approx(alone.chance) and not alone.below_chance


def _texture_scene(write_raster, write_vector, pixel_box, seed=3):
    """Two classes with the same pixel values: one varies pixel to pixel, the other in 5 x 5
    patches. Only the neighbourhood tells them apart."""
    rng = np.random.default_rng(seed)
    rows, cols = 96, 120
    data = np.full((4, rows, cols), 2000.0, dtype=np.float32)
    data += rng.uniform(-1000, 1000, size=data.shape)
    patches = rng.uniform(-1000, 1000, size=(4, rows // 5 + 1, cols // 5 + 1))
    patched = 2000.0 + np.repeat(np.repeat(patches, 5, axis=1), 5, axis=2)[:, :rows, cols // 2:]
    data[:, :, cols // 2:] = patched[:, :, :cols - cols // 2]
    raster = write_raster(data.astype(np.uint16), transform=TRANSFORM)
    corners = [(row, col) for row in (4, 36, 68) for col in (4, 32, 64, 92)]
    fields = [pixel_box(TRANSFORM, row, col, row + 24, col + 24) for row, col in corners]
    labels = write_vector(fields, kind=["speckled" if col < 60 else "patchy"
                                        for _, col in corners])
    return raster, labels


def test_the_search_chooses_neighbourhood_windows_where_they_help(write_raster, write_vector,
                                                                    pixel_box):
    raster, labels = _texture_scene(write_raster, write_vector, pixel_box)
    result = train_classifier(raster, labels, label_field="kind", tune=False,
                              max_samples_per_class=1500)
    bands, *with_windows = result.candidates
    assert bands.recipe.context == () and bands.f1_macro < 0.7
    chosen = [c for c in result.candidates if c.chosen]
    assert chosen[0].recipe.context and chosen[0].f1_macro > 0.9
    assert result.bundle.recipe == chosen[0].recipe
    assert result.score.f1_macro == pytest.approx(chosen[0].f1_macro)
    assert {c.recipe.context for c in with_windows} == {(3,), (3, 5, 9)}
    # Windows on four bands cost far less than twice bands only: never refused as too slow,
    # however busy the machine.
    assert not any(c.too_slow for c in with_windows)


def test_the_search_keeps_bands_only_where_windows_do_not_help(write_raster, write_vector):
    from shapely.geometry import Point

    rng = np.random.default_rng(5)
    rows, cols = 60, 60
    kind = rng.integers(0, 2, size=(rows, cols))          # every pixel's class is independent
    data = np.where(kind == 0, 1000.0, 1600.0)[None].repeat(4, axis=0)
    data += rng.normal(0, 500, size=data.shape)
    raster = write_raster(data.astype(np.uint16), transform=TRANSFORM)
    cells = rng.choice(rows * cols, size=600, replace=False)
    points = [Point(*(TRANSFORM * (c % cols + 0.5, c // cols + 0.5))) for c in cells]
    labels = write_vector(points, kind=np.where(kind.ravel()[cells] == 0, "dark", "bright"))
    result = train_classifier(raster, labels, label_field="kind", tune=False)
    assert result.bundle.recipe.context == ()
    bands = result.candidates[0]
    assert bands.chosen and 0.8 < bands.f1_macro < 0.95
    assert [c.recipe.context for c in result.candidates[1:]] == [(3,), (3, 5, 9)]


def test_features_set_by_hand_are_kept(two_class_scene):
    raster, labels, _ = two_class_scene
    result = train_classifier(raster, labels, label_field="crop", context=[5], tune=False,
                              max_samples_per_class=300)
    assert [c.recipe.context for c in result.candidates] == [(5,)]
    assert result.bundle.recipe.context == (5,) and not result.bundle.training["feature_search"]


def test_a_short_time_budget_scores_the_first_candidate_and_lists_the_rest(two_class_scene):
    raster, labels, _ = two_class_scene
    result = train_classifier(raster, labels, label_field="crop", time_budget=0.001,
                              max_samples_per_class=300)
    first, *rest = result.candidates
    assert first.chosen and first.f1_macro is not None
    assert rest and all(c.skipped == "time budget" for c in rest)


def test_a_score_below_chance_comes_with_its_reason(write_raster, write_vector, pixel_box,
                                                    tmp_path):
    from cropseg.core.common.progress import Feedback

    # Two classes with a field of each look. With two folds and seed 1, each class is scored
    # on the look that only the other class had in training.
    rng = np.random.default_rng(1)
    data = np.empty((4, 60, 120), dtype=np.float32)
    data[:, :, :60] = np.array(WHEAT)[:, None, None]
    data[:, :, 60:] = np.array(FALLOW)[:, None, None]
    data += rng.normal(0, 30, size=data.shape)
    raster = write_raster(data.astype(np.uint16), transform=TRANSFORM)
    fields = [pixel_box(TRANSFORM, 5, col, 55, col + 25) for col in (5, 30, 65, 90)]
    labels = write_vector(fields, kind=["a", "b", "b", "a"])
    log = []
    result = train_classifier(raster, labels, label_field="kind", folds=2, tune=False,
                              feature_search=False, max_samples_per_class=500, seed=1,
                              feedback=Feedback(on_info=log.append))
    score = result.score
    assert score.below_chance and score.overall_accuracy < 0.2
    assert any(line.startswith("Warning: overall accuracy") for line in log)
    save_training(result, str(tmp_path / "m.cropseg"), str(tmp_path / "report.html"))
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "Below chance: overall accuracy" in page and "The likely reason" in page
