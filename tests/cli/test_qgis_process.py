"""cropseg through qgis_process: the algorithms, the shipped model chain, and errors."""

from pathlib import Path

import numpy as np
import pytest
import rasterio

from cropseg.core.mapping.classify import classify_raster
from cropseg.core.model.archive import read_manifest

MODEL3 = Path(__file__).resolve().parents[2] / "resources" / "models" / "crop_mask_workflow.model3"


def _read(path):
    with rasterio.open(path) as src:
        return src.read()


@pytest.fixture(scope="module")
def trained(qgis_process, scene, tmp_path_factory):
    folder = tmp_path_factory.mktemp("cli")
    results = qgis_process.run("cropseg:trainpixelclassifier", {
        "INPUT_RASTER": scene.raster, "LABELS": scene.train_labels, "AOI": scene.train_aoi,
        "CLASSIFIER": 1, "TUNE": "false", "MAX_SAMPLES_PER_CLASS": 3000,
        "OUTPUT_MODEL": folder / "m.cropseg", "OUTPUT_REPORT": folder / "report.html"})
    return results, folder


@pytest.fixture(scope="module")
def classified(qgis_process, trained, scene):
    """The scene classified through qgis_process with the trained model."""
    results, folder = trained
    return qgis_process.run("cropseg:classifyraster", {
        "INPUT_RASTER": scene.raster, "MODEL": results["OUTPUT_MODEL"],
        "OUTPUT_CLASSES": folder / "classes.tif"})


def test_train_reports_scores_and_writes_the_model(trained):
    results, folder = trained
    manifest = read_manifest(results["OUTPUT_MODEL"])
    assert manifest["estimator"]["kind"] == "xgboost"
    grouped = manifest["validation"]["results"]["grouped"]
    assert results["OVERALL_ACCURACY"] == pytest.approx(grouped["overall_accuracy"])
    assert results["F1_MACRO"] == pytest.approx(grouped["f1_macro"])
    assert Path(results["OUTPUT_REPORT"]).stat().st_size > 2000


def test_classify_matches_the_core_pixel_for_pixel(qgis_process, trained, scene, tmp_path):
    results, _ = trained
    cli = qgis_process.run("cropseg:classifyraster", {
        "INPUT_RASTER": scene.raster, "MODEL": results["OUTPUT_MODEL"],
        "OUTPUT_CLASSES": tmp_path / "cli.tif", "OUTPUT_CONFIDENCE": tmp_path / "cli_conf.tif"})
    classify_raster(scene.raster, results["OUTPUT_MODEL"], str(tmp_path / "core.tif"),
                    output_confidence=str(tmp_path / "core_conf.tif"))
    assert np.array_equal(_read(cli["OUTPUT_CLASSES"]), _read(tmp_path / "core.tif"))
    assert np.array_equal(_read(cli["OUTPUT_CONFIDENCE"]), _read(tmp_path / "core_conf.tif"))


def test_shipped_model_chain_trains_classifies_and_vectorizes(qgis_process, scene, tmp_path):
    import geopandas as gpd

    results = qgis_process.run(str(MODEL3), {
        "TRAINING_RASTER": scene.raster, "LABELS": scene.all_parcels,
        "LABEL_FIELD": "crop_type", "CROP_CLASSES": "maize,alfalfa", "CLASSIFIER": 2,
        "TARGET_RASTER": scene.raster, "MIN_AREA": 0.2,
        "train:MODEL_FILE": tmp_path / "chain.cropseg",
        "train:TRAINING_REPORT": tmp_path / "chain.html",
        "classify:CLASSES": tmp_path / "chain.tif",
        "classify:CONFIDENCE": tmp_path / "chain_conf.tif",
        "denoise:CROP_MASK": tmp_path / "chain_mask.tif",
        "denoise:FIELDS": tmp_path / "chain_fields.gpkg",
        "REFERENCE": scene.reference, "REFERENCE_FIELD": "is_crop",
        "accuracy:REPORT": tmp_path / "chain.html", "accuracy:FIGURES": tmp_path / "chain.json"})
    manifest = read_manifest(results["train:MODEL_FILE"])
    assert manifest["estimator"]["kind"] == "knn"
    assert manifest["estimator"]["params"]["n_neighbors"] in (3, 5, 9, 15, 25)  # tuned
    names = {c["name"] for c in manifest["classes"]}
    assert names == {"maize", "alfalfa", "fallow", "bare soil", "woodland", "built-up"}
    classes = _read(results["classify:CLASSES"])[0]
    assert set(np.unique(classes)) <= {c["value"] for c in manifest["classes"]} | {255}
    fields = gpd.read_file(results["denoise:FIELDS"])
    assert len(fields) > 5 and fields.is_valid.all()
    assert fields["area_ha"].min() >= 0.2
    assert set(np.unique(_read(results["denoise:CROP_MASK"])[0])) == {0, 1, 255}
    import json

    figures = json.loads(Path(results["accuracy:FIGURES"]).read_text(encoding="utf-8"))
    assert [c["name"] for c in figures["classes"]] == ["non-crop", "crop"]
    # This chain trains on every parcel, the test parcels included: the report must say so.
    assert figures["training_overlap"] == pytest.approx(1.0)
    assert figures["warnings"][0].startswith("The reference overlaps the training data")
    assert 0.6 < figures["overall_accuracy"] <= 1.0


def test_classify_in_batch_through_qgis_process(qgis_process, trained, classified, scene,
                                                tmp_path):
    """Local workers start from qgis_process too, and its tiles read as the whole raster."""
    results, _ = trained
    batch = qgis_process.run("cropseg:classifybatch", {
        "INPUT_RASTERS": [scene.raster], "MODEL": results["OUTPUT_MODEL"], "WORKERS": 2,
        "TILE_SIZE": 256, "OUTPUT_FOLDER": tmp_path / "batch"})
    assert (batch["CLASSIFIED"], batch["FAILED"]) == (1, 0)
    (mosaic,) = batch["CLASS_RASTERS"]
    assert mosaic.endswith("scene_classes.vrt")
    assert np.array_equal(_read(mosaic), _read(classified["OUTPUT_CLASSES"]))


def test_denoise_vectorize_through_qgis_process(qgis_process, classified, tmp_path):
    import geopandas as gpd

    cleaned = qgis_process.run("cropseg:denoisevectorizemask", {
        "INPUT_CLASSES": classified["OUTPUT_CLASSES"], "MEDIAN_SIZE": 7, "CLOSING": 1,
        "OUTPUT_MASK": tmp_path / "mask.tif", "OUTPUT_POLYGONS": tmp_path / "fields.gpkg"})
    fields = gpd.read_file(cleaned["OUTPUT_POLYGONS"])
    crop_pixels = int((_read(cleaned["OUTPUT_MASK"])[0] == 1).sum())
    assert fields["area_ha"].sum() == pytest.approx(crop_pixels * 9 / 10_000)


def test_bad_input_fails_with_one_clear_line(qgis_process, process_error, scene, tmp_path):
    with pytest.raises(process_error, match="LABEL_FIELD: the label layer has no field 'nope'"):
        qgis_process.run("cropseg:trainpixelclassifier", {
            "INPUT_RASTER": scene.raster, "LABELS": scene.train_labels, "LABEL_FIELD": "nope",
            "OUTPUT_MODEL": tmp_path / "m.cropseg"})
    assert not (tmp_path / "m.cropseg").exists()


def test_accuracy_report_through_qgis_process(qgis_process, classified, scene, tmp_path):
    import json

    report = qgis_process.run("cropseg:accuracyreport", {
        "INPUT_CLASSES": classified["OUTPUT_CLASSES"], "REFERENCE_VECTOR": scene.reference,
        "REFERENCE_FIELD": "crop_type",
        "CLASS_MAPPING": "maize=crop,alfalfa=crop,fallow=non-crop,bare soil=non-crop,"
                         "woodland=non-crop,built-up=non-crop",
        "OUTPUT_HTML": tmp_path / "a.html", "OUTPUT_JSON": tmp_path / "a.json"})
    figures = json.loads((tmp_path / "a.json").read_text(encoding="utf-8"))
    assert [c["name"] for c in figures["classes"]] == ["non-crop", "crop"]
    assert report["OVERALL_ACCURACY"] == pytest.approx(figures["overall_accuracy"])
    assert report["F1_CROP"] == pytest.approx(figures["crop_summary"]["f1_crop"])


def test_planet_reflectance_through_qgis_process(qgis_process, planet_scene, planet_metadata,
                                                 tmp_path):
    from cropseg.core.planet.reflectance import to_reflectance

    raster, _ = planet_scene
    cli = qgis_process.run("cropseg:planetreflectance", {
        "INPUT_RASTER": raster, "METADATA": planet_metadata, "OUTPUT": tmp_path / "cli.tif"})
    to_reflectance(raster, str(tmp_path / "core.tif"), metadata_path=planet_metadata)
    assert np.array_equal(_read(cli["OUTPUT"]), _read(tmp_path / "core.tif"))


def test_planet_search_through_qgis_process(qgis_process, fake_planet, tmp_path):
    import geopandas as gpd

    fake_planet.items = [{"id": "20170601_180425_0f35", "type": "Feature",
                          "geometry": {"type": "Polygon", "coordinates": [[
                              [-121.7, 38.2], [-121.4, 38.2], [-121.4, 38.4], [-121.7, 38.4],
                              [-121.7, 38.2]]]},
                          "properties": {"acquired": "2017-06-01T18:04:25Z", "cloud_cover": 0.03,
                                         "clear_percent": 97, "sun_elevation": 62.0,
                                         "instrument": "PS2"}}]
    results = qgis_process.run("cropseg:planetsearch", {
        "AOI_EXTENT": "-121.6,-121.5,38.25,38.33 [EPSG:4326]", "START_DATE": "2017-06-01",
        "END_DATE": "2017-10-01", "OUTPUT": tmp_path / "scenes.gpkg"},
        env={"CROPSEG_PLANET_URL": fake_planet.url, "PL_API_KEY": fake_planet.KEY})
    scenes = gpd.read_file(results["OUTPUT"])
    assert list(scenes["id"]) == ["20170601_180425_0f35"]
    assert scenes["cloud_cover"].iloc[0] == pytest.approx(3.0)


def test_planet_order_through_qgis_process(qgis_process, fake_planet, tmp_path):
    fake_planet.files = {"20170601_180425_0f35_3B_AnalyticMS_SR_clip.tif": b"dn" * 4000,
                         "20170601_180425_0f35_3B_udm2_clip.tif": b"udm" * 1000}
    results = qgis_process.run("cropseg:planetorder", {
        "SCENES": "20170601_180425_0f35", "POLL_SECONDS": 0.01,
        "OUTPUT_FOLDER": tmp_path / "order"},
        env={"CROPSEG_PLANET_URL": fake_planet.url, "PL_API_KEY": fake_planet.KEY})
    downloaded = sorted(Path(f).name for f in results["FILES"])
    assert downloaded == sorted(fake_planet.files)
    for path in results["FILES"]:
        assert Path(path).read_bytes() == fake_planet.files[Path(path).name]


def test_time_stack_recipe_model_classifies_as_the_core_does(qgis_process, season, tmp_path):
    rasters, masks, scene = season
    trained = qgis_process.run("cropseg:trainpixelclassifier", {
        "TIME_STACK": rasters, "MASKS": masks, "INDICES": "NDVI", "CONTEXT": "3",
        "LABELS": scene.all_parcels, "LABEL_FIELD": "crop_type", "CLASSIFIER": 0,
        "TUNE": "false", "MAX_SAMPLES_PER_CLASS": 300, "OUTPUT_MODEL": tmp_path / "m.cropseg"})
    recipe = read_manifest(trained["OUTPUT_MODEL"])["features"]["recipe"]
    assert recipe["n_dates"] == 4 and recipe["indices"] == ["NDVI"] and recipe["context"] == [3]
    cli = qgis_process.run("cropseg:classifyraster", {
        "TIME_STACK": rasters, "MASKS": masks, "MODEL": trained["OUTPUT_MODEL"],
        "OUTPUT_CLASSES": tmp_path / "cli.tif", "OUTPUT_CONFIDENCE": tmp_path / "cli_conf.tif"})
    classify_raster(rasters, trained["OUTPUT_MODEL"], str(tmp_path / "core.tif"), masks=masks,
                    mask_kind="udm2", output_confidence=str(tmp_path / "core_conf.tif"))
    assert np.array_equal(_read(cli["OUTPUT_CLASSES"]), _read(tmp_path / "core.tif"))
    assert np.array_equal(_read(cli["OUTPUT_CONFIDENCE"]), _read(tmp_path / "core_conf.tif"))
    composite = qgis_process.run("cropseg:temporalcomposite", {
        "INPUT_RASTERS": rasters, "MASKS": masks, "PERIOD": 1, "PERIOD_DAYS": 45,
        "OUTPUT": tmp_path / "composite.tif"})
    assert composite["PERIODS"] == 3 and _read(composite["OUTPUT"]).shape[0] == 12
