"""Stratified samples: size formula, allocation, points on their class, and a full round trip."""

import json
import sqlite3

import numpy as np
import pytest
import rasterio
from rasterio.transform import from_origin

from cropseg.core.assessment.comparison import assess_map
from cropseg.core.rasters.class_raster import TAG_CLASSES, TAG_CROP_CLASSES
from cropseg.core.common.errors import InputError
from cropseg.core.assessment.sample_design import allocate, draw_stratified_sample, sample_size

TRANSFORM = from_origin(600000.0, 4000000.0, 10.0, 10.0)


def test_sample_size_for_the_olofsson_example():
    # W = mapped shares of the paper's example, expected UA 0.7 for change and 0.9 for stable
    # classes: (0.02*0.458 + 0.015*0.458 + 0.32*0.3 + 0.645*0.3) / 0.01, squared = 933.5
    assert sample_size([0.02, 0.015, 0.32, 0.645], [0.7, 0.7, 0.9, 0.9], 0.01) == 934


def test_allocation_is_proportional_with_a_minimum_and_capped_by_the_pixels():
    assert allocate(1000, [0.02, 0.98], 50, [10**6, 10**6]) == [50, 980]
    assert allocate(1000, [0.02, 0.98], 50, [30, 10**6]) == [30, 980]


@pytest.fixture
def truth_and_map(tmp_path):
    """A map that is right 85% of the time, and the truth it was made from."""
    rng = np.random.default_rng(1)
    truth = np.full((300, 400), 2, dtype=np.uint8)
    truth[:, :150] = 1
    truth[250:, 300:] = 3
    mapped = np.where(rng.random(truth.shape) < 0.85, truth,
                      rng.integers(1, 4, truth.shape)).astype(np.uint8)
    mapped[:10, :10] = 255
    path = str(tmp_path / "map.tif")
    table = [{"value": 1, "name": "crop", "color": "#00aa00", "is_crop": True},
             {"value": 2, "name": "grass", "color": "#aaaa00", "is_crop": False},
             {"value": 3, "name": "water", "color": "#0000aa", "is_crop": False}]
    with rasterio.open(path, "w", driver="GTiff", width=400, height=300, count=1,
                       dtype="uint8", nodata=255, crs="EPSG:32633", transform=TRANSFORM) as dst:
        dst.write(mapped, 1)
        dst.update_tags(**{TAG_CLASSES: json.dumps(table), TAG_CROP_CLASSES: "1"})
    return truth, mapped, path


def test_points_lie_on_their_map_class_and_the_seed_repeats(truth_and_map, tmp_path):
    import geopandas as gpd

    _, mapped, path = truth_and_map
    design = draw_stratified_sample(path, str(tmp_path / "a.gpkg"), target_se=0.02,
                                    min_per_class=60, seed=3)
    draw_stratified_sample(path, str(tmp_path / "b.gpkg"), target_se=0.02, min_per_class=60,
                           seed=3)
    first, second = gpd.read_file(tmp_path / "a.gpkg"), gpd.read_file(tmp_path / "b.gpkg")
    assert first.geometry.equals(second.geometry)
    assert len(first) == sum(design.sizes) and min(design.sizes) >= 60
    rows, cols = rasterio.transform.rowcol(TRANSFORM, first.geometry.x, first.geometry.y)
    assert np.array_equal(mapped[rows, cols], first["map_value"].to_numpy())
    assert first["reference"].isna().all()
    assert list(first.columns) == ["id", "map_value", "map_class", "reference", "geometry"]
    with sqlite3.connect(tmp_path / "a.gpkg") as db:  # a text field the interpreter fills in
        types = {row[1]: row[2] for row in db.execute("PRAGMA table_info(sample)")}
    assert types["reference"] == "TEXT" and types["map_value"] in ("INTEGER", "MEDIUMINT")


def test_round_trip_estimates_bracket_the_true_areas(truth_and_map, tmp_path):
    import geopandas as gpd

    truth, mapped, path = truth_and_map
    sample = str(tmp_path / "sample.gpkg")
    draw_stratified_sample(path, sample, target_se=0.01, min_per_class=100, seed=5)
    points = gpd.read_file(sample)
    rows, cols = rasterio.transform.rowcol(TRANSFORM, points.geometry.x, points.geometry.y)
    points["reference"] = truth[rows, cols].astype(int)  # the interpreter's labels
    points.to_file(sample, driver="GPKG", layer="sample")
    report = assess_map(path, reference_vector=sample, reference_field="reference")
    estimates = report.assessment.stratified
    valid = mapped != 255
    for i, value in enumerate((1, 2, 3)):
        true_ha = np.sum(truth[valid] == value) * 0.01
        low = estimates["area_ha"][i] - 1.5 * estimates["area_ci95_ha"][i]
        high = estimates["area_ha"][i] + 1.5 * estimates["area_ci95_ha"][i]
        assert low <= true_ha <= high
    true_accuracy = np.mean(truth[valid] == mapped[valid])
    assert abs(estimates["overall_accuracy"] - true_accuracy) < 2 * \
        estimates["overall_accuracy_ci95"]


@pytest.mark.parametrize("options, message", [
    ({"target_se": 0}, "TARGET_SE must be between 0 and 0.5"),
    ({"min_per_class": 1}, "MIN_PER_CLASS must be at least 2"),
    ({"expected_ua": {"crop": 1.2}}, "between 0 and 1 \\(class crop has 1.2\\)"),
    ({"expected_ua": {"crop": "high"}}, "'high' for class crop is not a number"),
])
def test_bad_parameters(truth_and_map, tmp_path, options, message):
    _, _, path = truth_and_map
    with pytest.raises(InputError, match=message):
        draw_stratified_sample(path, str(tmp_path / "s.gpkg"), **options)
    assert not (tmp_path / "s.gpkg").exists()
