"""cropseg through qgis_process: the algorithms, the shipped model chain, and errors."""

from pathlib import Path

import numpy as np
import pytest
import rasterio

from cropseg.core.classify import classify_raster
from cropseg.core.model import read_manifest

MODEL3 = Path(__file__).resolve().parents[2] / "resources" / "models" / "train_and_classify.model3"


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


def test_shipped_model_chain_trains_then_classifies(qgis_process, scene, tmp_path):
    results = qgis_process.run(str(MODEL3), {
        "TRAINING_RASTER": scene.raster, "LABELS": scene.all_parcels,
        "LABEL_FIELD": "crop_type", "CLASSIFIER": 2, "TARGET_RASTER": scene.raster,
        "train:MODEL_FILE": tmp_path / "chain.cropseg",
        "train:TRAINING_REPORT": tmp_path / "chain.html",
        "classify:CLASSES": tmp_path / "chain.tif",
        "classify:CONFIDENCE": tmp_path / "chain_conf.tif"})
    manifest = read_manifest(results["train:MODEL_FILE"])
    assert manifest["estimator"]["kind"] == "knn"
    assert manifest["estimator"]["params"]["n_neighbors"] in (3, 5, 9, 15, 25)  # tuned
    names = {c["name"] for c in manifest["classes"]}
    assert names == {"maize", "alfalfa", "fallow", "bare soil", "woodland", "built-up"}
    classes = _read(results["classify:CLASSES"])[0]
    assert set(np.unique(classes)) <= {c["value"] for c in manifest["classes"]} | {255}


def test_bad_input_fails_with_one_clear_line(qgis_process, process_error, scene, tmp_path):
    with pytest.raises(process_error, match="LABEL_FIELD: the label layer has no field 'nope'"):
        qgis_process.run("cropseg:trainpixelclassifier", {
            "INPUT_RASTER": scene.raster, "LABELS": scene.train_labels, "LABEL_FIELD": "nope",
            "OUTPUT_MODEL": tmp_path / "m.cropseg"})
    assert not (tmp_path / "m.cropseg").exists()
