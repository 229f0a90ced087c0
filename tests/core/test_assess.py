"""Accuracy reports on rasters: census from polygons, points and rasters, exclusions, outputs."""

import csv
import json

import numpy as np
import pytest
import rasterio
from rasterio.transform import from_origin
from sklearn import metrics

from cropseg.core.assessment.report import html_report, report_figures, write_csv, write_json
from cropseg.core.assessment.comparison import assess_map
from cropseg.core.rasters.class_raster import TAG_CLASSES, TAG_CROP_CLASSES
from cropseg.core.common.errors import InputError

TRANSFORM = from_origin(500000.0, 5000000.0, 10.0, 10.0)
TABLE = [{"value": 1, "name": "wheat", "color": "#00aa00", "is_crop": True},
         {"value": 2, "name": "fallow", "color": "#aa8800", "is_crop": False},
         {"value": 3, "name": "water", "color": "#0000ff", "is_crop": False}]


@pytest.fixture
def map_raster(tmp_path):
    """A 60 x 80 class map: wheat left, fallow right, water band; nodata corner; some errors."""
    classes = np.full((60, 80), 2, dtype=np.uint8)
    classes[:, :40] = 1
    classes[50:, :] = 3
    classes[10:14, 10:30] = 2          # map errors inside a wheat field
    classes[:5, :5] = 255
    path = str(tmp_path / "map.tif")
    with rasterio.open(path, "w", driver="GTiff", width=80, height=60, count=1, dtype="uint8",
                       nodata=255, crs="EPSG:32633", transform=TRANSFORM) as dst:
        dst.write(classes, 1)
        dst.update_tags(**{TAG_CLASSES: json.dumps(TABLE), TAG_CROP_CLASSES: "1"})
    return path, classes


def _box(row0, col0, row1, col1):
    from shapely.geometry import box

    left, top = TRANSFORM * (col0, row0)
    right, bottom = TRANSFORM * (col1, row1)
    return box(left, bottom, right, top)


def test_census_from_polygons_equals_scikit_learn_on_the_same_pixels(map_raster, write_vector):
    path, classes = map_raster
    truth = np.full(classes.shape, -1)
    fields = [((0, 0, 30, 38), "wheat"), ((0, 42, 30, 80), "fallow"), ((32, 0, 48, 38), "fallow"),
              ((52, 0, 60, 80), "water")]
    for (r0, c0, r1, c1), name in fields:
        truth[r0:r1, c0:c1] = {"wheat": 1, "fallow": 2, "water": 3}[name]
    reference = write_vector([_box(*b) for b, _ in fields], name="ref.gpkg",
                             crop=[n for _, n in fields])
    report = assess_map(path, reference_vector=reference, reference_field="crop")
    keep = (truth > 0) & (classes != 255)
    y_true, y_map = truth[keep], classes[keep]
    a = report.assessment
    assert report.sampling == "census"
    assert a.overall_accuracy == pytest.approx(metrics.accuracy_score(y_true, y_map))
    assert a.kappa == pytest.approx(metrics.cohen_kappa_score(y_true, y_map))
    assert np.array_equal(a.matrix, metrics.confusion_matrix(y_true, y_map, labels=[1, 2, 3]).T)
    assert report.excluded == {"map_nodata": 25, "unlabelled": int(((truth < 0) & (classes != 255)).sum()),
                               "unit": "pixels"}


def test_outputs_agree_and_name_their_axes(map_raster, write_vector, tmp_path):
    path, _ = map_raster
    reference = write_vector([_box(0, 0, 30, 38), _box(0, 42, 30, 80), _box(52, 0, 60, 20)],
                             name="ref.gpkg", code=[1, 2, 2])  # the water band called fallow
    figures = report_figures(assess_map(path, reference_vector=reference, reference_field="code",
                                        beta=2.0))
    write_json(figures, tmp_path / "r.json")
    write_csv(figures, tmp_path / "r.csv")
    page = html_report(figures, "qgis_process.bin run cropseg:accuracyreport -- ...")
    data = json.loads((tmp_path / "r.json").read_text())
    rows = list(csv.reader(open(tmp_path / "r.csv", encoding="utf-8")))
    assert data["schema_version"] == 1 and data["matrix_axes"] == {"rows": "map",
                                                                    "columns": "reference"}
    assert rows[0][0] == "map \\ reference"
    assert rows[0][1:4] == [f"reference: {c['name']}" for c in data["classes"]]
    assert [[int(v) for v in r[1:4]] for r in rows[1:4]] == data["confusion_matrix"]
    assert [c["name"] for c in data["classes"]] == ["wheat", "fallow", "water"]
    water = data["classes"][2]
    assert water["in_map"] and not water["in_reference"]
    assert water["support"] == 0 and water["mapped"] == 8 * 20 and water["recall"] == 0
    assert data["crop_summary"]["f1_crop"] == pytest.approx(data["classes"][0]["f1"])
    for row in data["confusion_matrix"]:
        # the diagonal cell is shaded
        assert "<td>" + "</td><td>".join(str(v) for v in row) in page.replace(
            "<td class=diag>", "<td>")
    assert "data:image/png;base64," in page and "Run it again" in page


def test_reference_class_missing_from_the_map_gets_its_own_row(map_raster, write_vector):
    path, _ = map_raster
    reference = write_vector([_box(0, 0, 30, 38), _box(0, 42, 30, 80)], name="ref.gpkg",
                             crop=["wheat", "orchard"])
    report = assess_map(path, reference_vector=reference, reference_field="crop")
    names = [c["name"] for c in report.classes]
    assert "orchard" in names
    orchard = names.index("orchard")
    assert report.assessment.matrix[orchard].sum() == 0          # never mapped
    assert report.assessment.matrix[:, orchard].sum() == 30 * 38  # but present in the reference
    assert [w.text() for w in report.warnings] == [
        "Reference classes that are not classes of the map, counted as errors: orchard "
        "(CLASS_MAPPING matches them)."]


def test_reference_classes_that_meet_no_map_class_are_refused(map_raster, write_vector):
    path, _ = map_raster
    reference = write_vector([_box(0, 0, 30, 38), _box(0, 42, 30, 80)], name="ref.gpkg",
                             crop=["Wheat ", "Fallow"])  # spelled otherwise
    with pytest.raises(InputError, match=r"^REFERENCE_FIELD: no reference class \(Fallow, "
                                         r"Wheat\) is a class of the map \(wheat, fallow, "
                                         r"water\); match them with CLASS_MAPPING"):
        assess_map(path, reference_vector=reference, reference_field="crop")


def test_class_mapping_translates_reference_codes(map_raster, write_vector):
    path, _ = map_raster
    reference = write_vector([_box(0, 0, 30, 38), _box(0, 42, 30, 80)], name="ref.gpkg",
                             lulc=["winter cereal", "grassland"])
    report = assess_map(path, reference_vector=reference, reference_field="lulc",
                        class_mapping={"winter cereal": "wheat", "grassland": "2"})
    assert [c["name"] for c in report.classes] == ["wheat", "fallow", "water"]
    assert report.assessment.matrix[:, :2].sum() == 30 * 38 + 30 * 38 - 25


def test_stratified_points_give_areas_with_intervals(map_raster, write_vector):
    from shapely.geometry import Point

    path, classes = map_raster
    rng = np.random.default_rng(2)
    points, labels = [], []
    for value in (1, 2, 3):
        rows, cols = np.nonzero(classes == value)
        for i in rng.choice(len(rows), 20, replace=False):
            points.append(Point(*(TRANSFORM * (cols[i] + 0.5, rows[i] + 0.5))))
            labels.append(value if rng.random() > 0.1 else 1 + value % 3)
    reference = write_vector(points, name="points.gpkg", code=labels)
    report = assess_map(path, reference_vector=reference, reference_field="code")
    figures = report_figures(report)
    assert report.sampling == "stratified"
    assert sum(c["mapped_area_ha"] for c in figures["classes"]) == \
        pytest.approx((classes != 255).sum() * 0.01)
    assert sum(c["area_ha"] for c in figures["classes"]) == \
        pytest.approx((classes != 255).sum() * 0.01)
    assert all(c["area_ci95_ha"] > 0 for c in figures["classes"])
    assert figures["overall_accuracy_ci95"] > 0


def test_reference_raster_on_another_grid_is_resampled_with_a_warning(map_raster, tmp_path):
    path, classes = map_raster
    coarse = classes[::2, ::2].copy()
    reference = str(tmp_path / "coarse.tif")
    with rasterio.open(reference, "w", driver="GTiff", width=40, height=30, count=1,
                       dtype="uint8", nodata=255, crs="EPSG:32633",
                       transform=from_origin(500000.0, 5000000.0, 20.0, 20.0)) as dst:
        dst.write(coarse, 1)
    report = assess_map(path, reference_raster=reference)
    assert any("resampled onto the map grid" in w.text() for w in report.warnings)
    assert report.assessment.overall_accuracy > 0.9


@pytest.mark.parametrize("case, message", [
    ("outside", "does not overlap the map"),
    ("field", "has no field 'nope'"),
    ("both", "Give either REFERENCE_VECTOR"),
])
def test_bad_inputs(map_raster, write_vector, case, message):
    path, _ = map_raster
    from shapely.affinity import translate

    geometry = _box(0, 0, 30, 38)
    if case == "outside":
        geometry = translate(geometry, 1e5, 0)
    reference = write_vector([geometry], name="ref.gpkg", code=[1])
    options = {"reference_vector": reference, "reference_field": "nope" if case == "field"
               else "code"}
    if case == "both":
        options["reference_raster"] = path
    with pytest.raises(InputError, match=message):
        assess_map(path, **options)


def test_reference_overlapping_the_training_data_is_reported(tmp_path, scene):
    from cropseg.core.mapping.classify import classify_raster
    from cropseg.core.learn.train import save_training, train_classifier

    result = train_classifier(scene.raster, scene.train_labels, aoi_path=scene.train_aoi,
                              classifier="xgboost", tune=False, max_samples_per_class=500)
    model = str(tmp_path / "m.cropseg")
    save_training(result, model)
    classes = str(tmp_path / "classes.tif")
    classify_raster(scene.raster, model, classes)
    held_out = assess_map(classes, reference_vector=scene.reference, reference_field="is_crop",
                          model_path=model)
    assert held_out.training_overlap == pytest.approx(0.0, abs=1e-9)
    assert not any("overlaps the training data" in w.text() for w in held_out.warnings)
    reused = assess_map(classes, reference_vector=scene.all_parcels, reference_field="is_crop",
                        model_path=model)
    import geopandas as gpd

    parcels = gpd.read_file(scene.all_parcels)
    train_share = parcels[parcels["split"] == "train"].area.sum() / parcels.area.sum()
    assert reused.training_overlap == pytest.approx(train_share, rel=1e-6)
    assert reused.warnings[0].text().startswith(
        "The reference overlaps the training data of the model")
    assert report_figures(reused)["training_overlap"] == pytest.approx(train_share, rel=1e-6)
