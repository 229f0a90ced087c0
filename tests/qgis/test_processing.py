"""Every algorithm through processing.run on real files, including bad input and cancel."""

import os

import numpy as np
import pytest
import rasterio
from qgis.core import (QgsFeatureRequest, QgsProcessingException,
                       QgsProcessingFeatureSourceDefinition, QgsProcessingFeedback, QgsProject,
                       QgsRasterLayer, QgsVectorLayer)


def _run(algorithm, parameters, feedback=None):
    import processing

    return processing.run(f"cropseg:{algorithm}", parameters, feedback=feedback)


@pytest.fixture(scope="module")
def trained(provider, scene, tmp_path_factory):
    folder = tmp_path_factory.mktemp("trained")
    results = _run("trainpixelclassifier", {
        "INPUT_RASTER": scene.raster, "LABELS": scene.train_labels, "AOI": scene.train_aoi,
        "CLASSIFIER": 0, "TUNE": False, "MAX_SAMPLES_PER_CLASS": 2000,
        "OUTPUT_MODEL": str(folder / "crop.cropseg"), "OUTPUT_REPORT": str(folder / "r.html")})
    return results


def test_train_outputs_model_report_and_numbers(trained):
    from cropseg.core.model.archive import read_manifest

    manifest = read_manifest(trained["OUTPUT_MODEL"])
    grouped = manifest["validation"]["results"]["grouped"]
    assert trained["OVERALL_ACCURACY"] == pytest.approx(grouped["overall_accuracy"])
    assert trained["F1_MACRO"] == pytest.approx(grouped["f1_macro"])
    assert 0.7 < trained["OVERALL_ACCURACY"] <= 1.0
    assert manifest["training"]["crop_mode"] is True
    report = open(trained["OUTPUT_REPORT"], encoding="utf-8").read()
    assert "Confusion matrix" in report and "Random pixels (optimistic)" in report


def test_classify_outputs_load_styled(trained, scene, tmp_path):
    results = _run("classifyraster", {
        "INPUT_RASTER": scene.raster, "MODEL": trained["OUTPUT_MODEL"],
        "OUTPUT_CLASSES": str(tmp_path / "classes.tif"),
        "OUTPUT_CONFIDENCE": str(tmp_path / "confidence.tif")})
    classes = QgsRasterLayer(results["OUTPUT_CLASSES"], "classes")
    assert classes.isValid()
    assert classes.renderer().type() == "paletted"
    assert [(int(c.value), c.label) for c in classes.renderer().classes()] == \
        [(0, "non-crop"), (1, "crop")]
    confidence = QgsRasterLayer(results["OUTPUT_CONFIDENCE"], "confidence")
    assert confidence.renderer().type() == "singlebandgray"
    assert "OUTPUT_PROBABILITIES" not in results
    with rasterio.open(results["OUTPUT_CLASSES"]) as src:
        values = np.unique(src.read(1))
    assert set(values) == {0, 1, 255}


def test_classify_restores_the_shared_gdal_cache_size(trained, scene, tmp_path):
    from osgeo import gdal

    before = gdal.GetCacheMax()
    _run("classifyraster", {"INPUT_RASTER": scene.raster, "MODEL": trained["OUTPUT_MODEL"],
                            "OUTPUT_CLASSES": str(tmp_path / "c.tif")})
    assert gdal.GetCacheMax() == before


def test_selected_features_of_a_memory_layer(provider, scene, tmp_path):
    from cropseg.core.model.archive import read_manifest

    source = QgsVectorLayer(scene.all_parcels, "parcels", "ogr")
    memory = source.materialize(QgsFeatureRequest())  # a memory layer, not a file
    assert memory.providerType() == "memory"
    QgsProject.instance().addMapLayer(memory)
    try:
        memory.selectByExpression("\"crop_type\" in ('maize', 'fallow')")
        selected = memory.selectedFeatureCount()
        assert 0 < selected < memory.featureCount()
        results = _run("trainpixelclassifier", {
            "INPUT_RASTER": scene.raster,
            "LABELS": QgsProcessingFeatureSourceDefinition(memory.id(), True),
            "LABEL_FIELD": "crop_type", "CROP_CLASSES": "maize", "CLASSIFIER": 2,
            "TUNE": False, "MAX_SAMPLES_PER_CLASS": 500,
            "OUTPUT_MODEL": str(tmp_path / "m.cropseg")})
    finally:
        QgsProject.instance().removeMapLayer(memory.id())
    classes = read_manifest(results["OUTPUT_MODEL"])["classes"]
    assert [(c["name"], c["is_crop"]) for c in classes] == [("fallow", False), ("maize", True)]


def test_cancel_leaves_no_output(trained, large_scene, tmp_path):
    feedback = QgsProcessingFeedback()
    feedback.progressChanged.connect(lambda progress: feedback.cancel() if progress > 0 else None)
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(QgsProcessingException, match="Cancelled by the user"):
        _run("classifyraster", {"INPUT_RASTER": large_scene, "MODEL": trained["OUTPUT_MODEL"],
                                "MEMORY_MB": 64, "OUTPUT_CLASSES": str(out / "c.tif"),
                                "OUTPUT_CONFIDENCE": str(out / "conf.tif")}, feedback)
    assert os.listdir(out) == []


@pytest.mark.parametrize("value, message", [
    (float("nan"), "^MIN_AREA: 'nan' is not a finite number"),
    ("nan", "^MIN_AREA: 'nan' is not a finite number"),
    (float("inf"), "Incorrect parameter value for MIN_AREA"),  # QGIS's own range check
    ("-1e309", "Incorrect parameter value for MIN_AREA")])
def test_a_number_that_is_not_finite_is_refused(classified, tmp_path, value, message):
    with pytest.raises(QgsProcessingException, match=message):
        _run("denoisevectorizemask", {
            "INPUT_CLASSES": classified["OUTPUT_CLASSES"], "MIN_AREA": value,
            "OUTPUT_MASK": str(tmp_path / "mask.tif"),
            "OUTPUT_POLYGONS": str(tmp_path / "f.gpkg")})
    assert list(tmp_path.iterdir()) == []


def test_a_shapefile_output_is_a_shapefile(classified, tmp_path):
    class Log(QgsProcessingFeedback):
        lines = []

        def pushInfo(self, text):  # noqa: N802 (QGIS API)
            self.lines.append(text)

    results = _run("denoisevectorizemask", {
        "INPUT_CLASSES": classified["OUTPUT_CLASSES"],
        "INPUT_CONFIDENCE": classified["OUTPUT_CONFIDENCE"], "MIN_AREA": 0.3,
        "OUTPUT_MASK": str(tmp_path / "mask.tif"), "OUTPUT_POLYGONS": str(tmp_path / "f.shp")},
        Log())
    fields = QgsVectorLayer(results["OUTPUT_POLYGONS"], "fields", "ogr")
    assert fields.isValid() and fields.featureCount() > 10
    assert fields.dataProvider().storageType() == "ESRI Shapefile"
    assert fields.fields().names() == ["id", "class_valu", "class_name", "area_ha", "perimeter_",
                                       "mean_confi"]
    assert "Shapefile field names hold at most 10 characters: class_value → class_valu, " \
        "perimeter_m → perimeter_, mean_confidence → mean_confi." in Log.lines
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "f.cpg", "f.dbf", "f.prj", "f.qml", "f.shp", "f.shx", "mask.qml", "mask.tif"]


@pytest.fixture(scope="module")
def classified(trained, scene, tmp_path_factory):
    folder = tmp_path_factory.mktemp("classified")
    return _run("classifyraster", {
        "INPUT_RASTER": scene.raster, "MODEL": trained["OUTPUT_MODEL"],
        "OUTPUT_CLASSES": str(folder / "classes.tif"),
        "OUTPUT_CONFIDENCE": str(folder / "confidence.tif")})


def test_classify_batch_as_a_background_task(trained, classified, scene, tmp_path):
    """As the toolbox runs it: in a QGIS task on a worker thread, starting local workers."""
    import time

    from qgis.core import QgsApplication, QgsProcessingAlgRunnerTask, QgsProcessingContext

    context, feedback = QgsProcessingContext(), QgsProcessingFeedback()
    algorithm = QgsApplication.processingRegistry().algorithmById("cropseg:classifybatch")
    task = QgsProcessingAlgRunnerTask(algorithm, {
        "INPUT_RASTERS": [scene.raster], "MODEL": trained["OUTPUT_MODEL"], "WORKERS": 2,
        "TILE_SIZE": 256, "OUTPUT_FOLDER": str(tmp_path / "batch")}, context, feedback)
    results = {}
    task.executed.connect(lambda ok, outputs: results.update(ok=ok, outputs=outputs))
    QgsApplication.taskManager().addTask(task)
    deadline = time.monotonic() + 120
    while "ok" not in results and time.monotonic() < deadline:
        QgsApplication.processEvents()
        time.sleep(0.05)
    assert results.get("ok"), f"task status {task.status()}"
    (mosaic,) = results["outputs"]["CLASS_RASTERS"]
    with rasterio.open(mosaic) as batch, rasterio.open(classified["OUTPUT_CLASSES"]) as single:
        assert np.array_equal(batch.read(1), single.read(1))
    assert feedback.progress() == 100


def test_denoise_vectorize_outputs_load_styled(classified, tmp_path):
    from rasterio.features import rasterize

    results = _run("denoisevectorizemask", {
        "INPUT_CLASSES": classified["OUTPUT_CLASSES"],
        "INPUT_CONFIDENCE": classified["OUTPUT_CONFIDENCE"], "MEDIAN_SIZE": 5,
        "MIN_AREA": 0.3, "OUTPUT_MASK": str(tmp_path / "mask.tif"),
        "OUTPUT_POLYGONS": str(tmp_path / "fields.gpkg")})
    polygons = QgsVectorLayer(results["OUTPUT_POLYGONS"], "fields", "ogr")
    assert polygons.isValid() and polygons.featureCount() > 10
    outline = polygons.renderer().symbol().symbolLayer(0)
    assert outline.strokeColor().name() == "#ffd700"  # the style written beside the file
    assert [f.name() for f in polygons.fields()] == [
        "fid", "id", "class_value", "class_name", "area_ha", "perimeter_m", "mean_confidence"]
    mask = QgsRasterLayer(results["OUTPUT_MASK"], "mask")
    assert [c.label for c in mask.renderer().classes()] == ["non-crop", "crop"]
    with rasterio.open(results["OUTPUT_MASK"]) as src:
        cleaned, transform = src.read(1), src.transform
    geometries = [f.geometry().asWkt() for f in polygons.getFeatures()]
    from shapely import wkt

    back = rasterize([(wkt.loads(g), 1) for g in geometries], out_shape=cleaned.shape,
                     transform=transform, fill=0, dtype="uint8")
    assert np.array_equal(back == 1, cleaned == 1)


def test_denoise_keeps_every_class_when_asked(provider, scene, tmp_path):
    import geopandas as gpd

    trained = _run("trainpixelclassifier", {
        "INPUT_RASTER": scene.raster, "LABELS": scene.all_parcels, "LABEL_FIELD": "crop_type",
        "CLASSIFIER": 1, "TUNE": False, "MAX_SAMPLES_PER_CLASS": 1000,
        "OUTPUT_MODEL": str(tmp_path / "types.cropseg")})
    classes = _run("classifyraster", {"INPUT_RASTER": scene.raster,
                                      "MODEL": trained["OUTPUT_MODEL"],
                                      "OUTPUT_CLASSES": str(tmp_path / "types.tif")})
    results = _run("denoisevectorizemask", {
        "INPUT_CLASSES": classes["OUTPUT_CLASSES"], "KEEP_CLASSES": "all", "MIN_AREA": 0.1,
        "OUTPUT_MASK": str(tmp_path / "clean.tif"),
        "OUTPUT_POLYGONS": str(tmp_path / "type_fields.gpkg")})  # types.qml styles the input
    polygons = gpd.read_file(results["OUTPUT_POLYGONS"])
    assert set(polygons["class_name"]) == {"maize", "alfalfa", "fallow", "bare soil",
                                           "woodland", "built-up"}
    cleaned = QgsRasterLayer(results["OUTPUT_MASK"], "cleaned classes")
    assert [c.label for c in cleaned.renderer().classes()] == \
        ["alfalfa", "bare soil", "built-up", "fallow", "maize", "woodland"]


def test_cancel_denoise_leaves_no_output(classified, tmp_path):
    feedback = QgsProcessingFeedback()
    feedback.progressChanged.connect(lambda progress: feedback.cancel() if progress > 0 else None)
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(QgsProcessingException, match="Cancelled by the user"):
        _run("denoisevectorizemask", {
            "INPUT_CLASSES": classified["OUTPUT_CLASSES"], "MIN_AREA": 0.5, "MEMORY_MB": 64,
            "OUTPUT_MASK": str(out / "m.tif"), "OUTPUT_POLYGONS": str(out / "f.gpkg")}, feedback)
    assert os.listdir(out) == []


def test_accuracy_report_outputs_and_numbers(classified, scene, tmp_path):
    import json

    results = _run("accuracyreport", {
        "INPUT_CLASSES": classified["OUTPUT_CLASSES"], "REFERENCE_VECTOR": scene.reference,
        "REFERENCE_FIELD": "is_crop", "OUTPUT_HTML": str(tmp_path / "a.html"),
        "OUTPUT_JSON": str(tmp_path / "a.json"), "OUTPUT_CSV": str(tmp_path / "a.csv")})
    figures = json.loads(open(results["OUTPUT_JSON"], encoding="utf-8").read())
    assert figures["sampling"] == "census"
    assert results["OVERALL_ACCURACY"] == pytest.approx(figures["overall_accuracy"])
    assert results["KAPPA"] == pytest.approx(figures["kappa"])
    assert results["F1_CROP"] == pytest.approx(figures["crop_summary"]["f1_crop"])
    assert 0.7 < results["OVERALL_ACCURACY"] < 1.0
    page = open(results["OUTPUT_HTML"], encoding="utf-8").read()
    assert "qgis_process run cropseg:accuracyreport --" in page
    assert "REFERENCE_FIELD=is_crop" in page


def test_stratified_sample_then_stratified_report(classified, tmp_path):
    import json

    import geopandas as gpd

    sample = _run("stratifiedsample", {
        "INPUT_CLASSES": classified["OUTPUT_CLASSES"], "TARGET_SE": 0.02,
        "EXPECTED_UA": "crop=0.7", "MIN_PER_CLASS": 40, "OUTPUT": str(tmp_path / "s.gpkg")})
    points = gpd.read_file(sample["OUTPUT"])
    assert len(points) >= 80 and points["reference"].isna().all()
    points["reference"] = points["map_class"]   # a perfect interpreter agreeing with the map
    points.to_file(tmp_path / "labelled.gpkg", driver="GPKG")
    report = _run("accuracyreport", {
        "INPUT_CLASSES": classified["OUTPUT_CLASSES"],
        "REFERENCE_VECTOR": str(tmp_path / "labelled.gpkg"), "REFERENCE_FIELD": "reference",
        "OUTPUT_HTML": str(tmp_path / "r.html"), "OUTPUT_JSON": str(tmp_path / "r.json")})
    figures = json.loads(open(report["OUTPUT_JSON"], encoding="utf-8").read())
    assert figures["sampling"] == "stratified"
    assert report["OVERALL_ACCURACY"] == pytest.approx(1.0)
    for c in figures["classes"]:
        assert c["area_ha"] == pytest.approx(c["mapped_area_ha"])


def test_planet_reflectance_through_processing(provider, planet_scene, planet_metadata, tmp_path):
    from cropseg.core.planet.metadata import read_scene_metadata

    raster, dn = planet_scene
    results = _run("planetreflectance", {"INPUT_RASTER": raster, "METADATA": planet_metadata,
                                         "OUTPUT": str(tmp_path / "refl.tif")})
    coefficients = np.array(read_scene_metadata(planet_metadata).reflectance_coefficients)
    with rasterio.open(results["OUTPUT"]) as src:
        reflectance = src.read()
        assert src.descriptions == ("blue", "green", "red", "nir")
    valid = np.all(dn > 0, axis=0)
    expected = (dn * coefficients[:, None, None]).astype(np.float32)
    assert np.array_equal(reflectance[:, valid], expected[:, valid])


def test_planet_reflectance_refuses_another_scene_in_one_line(provider, planet_scene,
                                                              planet_metadata,
                                                              tmp_path):
    import shutil

    raster, _ = planet_scene
    other = str(tmp_path / "20160831_180257_0e26_3B_AnalyticMS_clip.tif")
    shutil.copy(raster, other)
    with pytest.raises(QgsProcessingException, match="METADATA is for scene") as error:
        _run("planetreflectance", {"INPUT_RASTER": other, "METADATA": planet_metadata,
                                   "OUTPUT": str(tmp_path / "refl.tif")})
    assert "\n" not in str(error.value) and not (tmp_path / "refl.tif").exists()


def _planet_items(count):
    return [{"id": f"20170601_18040{i}_0f35", "type": "Feature",
             "geometry": {"type": "Polygon", "coordinates": [[[-121.7, 38.2], [-121.4, 38.2],
                                                              [-121.4, 38.4], [-121.7, 38.4],
                                                              [-121.7, 38.2]]]},
             "properties": {"acquired": f"2017-06-0{i + 1}T18:04:00Z", "cloud_cover": 0.02,
                            "clear_percent": 98, "sun_elevation": 61.5, "instrument": "PS2"}}
            for i in range(count)]


def test_planet_search_with_a_key_from_qgis_authentication(provider, fake_planet, tmp_path,
                                                          monkeypatch):
    import geopandas as gpd
    from qgis.core import QgsApplication, QgsAuthMethodConfig

    monkeypatch.delenv("PL_API_KEY")
    manager = QgsApplication.authManager()
    manager.setMasterPassword("cropseg-tests", True)
    config = QgsAuthMethodConfig("Basic")
    config.setName("planet")
    config.setConfig("username", fake_planet.KEY)
    config.setConfig("password", "")
    assert manager.storeAuthenticationConfig(config)
    fake_planet.items = _planet_items(3)
    results = _run("planetsearch", {
        "AOI_EXTENT": "-121.6,-121.5,38.25,38.33 [EPSG:4326]", "START_DATE": "2017-06-01",
        "END_DATE": "2017-10-01", "AUTH_CONFIG": config.id(),
        "OUTPUT": str(tmp_path / "scenes.gpkg")})
    scenes = gpd.read_file(results["OUTPUT"])
    assert len(scenes) == 3 and set(scenes["aoi_coverage"]) == {100.0}


def test_planet_search_with_a_wrong_key_says_so_in_one_line(provider, fake_planet, tmp_path,
                                                           monkeypatch):
    monkeypatch.setenv("PL_API_KEY", "not-the-key")
    with pytest.raises(QgsProcessingException, match="^Planet rejected the API key") as error:
        _run("planetsearch", {"AOI_EXTENT": "-121.6,-121.5,38.25,38.33 [EPSG:4326]",
                              "START_DATE": "2017-06-01", "END_DATE": "2017-10-01",
                              "OUTPUT": str(tmp_path / "scenes.gpkg")})
    assert "not-the-key" not in str(error.value)
    assert not (tmp_path / "scenes.gpkg").exists()


def test_planet_order_takes_the_selected_footprints(provider, fake_planet, tmp_path):
    fake_planet.items = _planet_items(3)
    scenes = _run("planetsearch", {
        "AOI_EXTENT": "-121.6,-121.5,38.25,38.33 [EPSG:4326]", "START_DATE": "2017-06-01",
        "END_DATE": "2017-10-01", "OUTPUT": str(tmp_path / "scenes.gpkg")})
    layer = QgsVectorLayer(scenes["OUTPUT"], "scenes", "ogr")
    QgsProject.instance().addMapLayer(layer)
    try:
        layer.selectByExpression("\"id\" = '20170601_180401_0f35'")
        fake_planet.files = {"20170601_180401_0f35_3B_AnalyticMS_SR_clip.tif": b"x" * 5000}
        results = _run("planetorder", {
            "SCENE_LAYER": QgsProcessingFeatureSourceDefinition(layer.id(), True),
            "POLL_SECONDS": 0.01, "ORDER_NAME": "test order",
            "OUTPUT_FOLDER": str(tmp_path / "order")})
    finally:
        QgsProject.instance().removeMapLayer(layer.id())
    order = fake_planet.orders[results["ORDER_ID"]]
    assert order["request"]["products"][0]["item_ids"] == ["20170601_180401_0f35"]
    assert order["request"]["name"] == "test order"
    assert [os.path.basename(f) for f in results["FILES"]] == [
        "20170601_180401_0f35_3B_AnalyticMS_SR_clip.tif"]


def test_train_with_indices_and_band_roles(provider, scene, tmp_path):
    from cropseg.core.model.archive import read_manifest

    results = _run("trainpixelclassifier", {
        "INPUT_RASTER": scene.raster, "LABELS": scene.train_labels, "AOI": scene.train_aoi,
        "INDICES": ["NDVI", "SAVI"], "BAND_ROLES": "red=3,nir=4", "CONTEXT": "3",
        "CLASSIFIER": 1,
        "TUNE": False, "MAX_SAMPLES_PER_CLASS": 500, "OUTPUT_MODEL": str(tmp_path / "m.cropseg")})
    manifest = read_manifest(results["OUTPUT_MODEL"])
    assert manifest["features"]["names"][:6] == ["blue", "green", "red", "nir", "NDVI", "SAVI"]
    assert manifest["features"]["names"][6:8] == ["blue_mean3", "blue_std3"]
    assert len(manifest["features"]["names"]) == 6 + 2 * 6
    assert manifest["features"]["recipe"]["band_roles"] == {"nir": 4, "red": 3}


def test_time_stack_training_and_classification(provider, season, tmp_path):
    """A layer list with UDM2 masks trains a time-stack model that classifies as the core does."""
    from cropseg.core.mapping.classify import classify_raster
    from cropseg.core.model.archive import read_manifest

    rasters, masks, scene = season
    results = _run("trainpixelclassifier", {
        "TIME_STACK": rasters, "MASKS": masks, "MASK_TYPE": 0, "INDICES": ["NDVI"],
        "CONTEXT": "3",
        "LABELS": scene.all_parcels, "LABEL_FIELD": "crop_type", "CLASSIFIER": 1,
        "TUNE": False, "MAX_SAMPLES_PER_CLASS": 300,
        "OUTPUT_MODEL": str(tmp_path / "m.cropseg")})
    manifest = read_manifest(results["OUTPUT_MODEL"])
    recipe = manifest["features"]["recipe"]
    assert recipe["n_dates"] == 4 and recipe["mask_kind"] == "udm2"
    classified = _run("classifyraster", {
        "TIME_STACK": rasters, "MASKS": masks, "MODEL": results["OUTPUT_MODEL"],
        "OUTPUT_CLASSES": str(tmp_path / "classes.tif")})
    classify_raster(rasters, results["OUTPUT_MODEL"], str(tmp_path / "core.tif"),
                    masks=masks, mask_kind="udm2")
    with rasterio.open(classified["OUTPUT_CLASSES"]) as src, \
            rasterio.open(tmp_path / "core.tif") as core:
        assert np.array_equal(src.read(), core.read())
        assert set(np.unique(src.read(1))) == {c["value"] for c in manifest["classes"]} | {255}
    for parameters, message in (
            ({"INPUT_RASTER": rasters[0]}, "the model was trained on a time stack of 4 dates"),
            ({"INPUT_RASTER": rasters[0], "TIME_STACK": rasters}, "not both"),
            ({}, r"Give INPUT_RASTER \(one date\) or TIME_STACK")):
        with pytest.raises(QgsProcessingException, match=message) as error:
            _run("classifyraster", {"MODEL": results["OUTPUT_MODEL"], **parameters,
                                    "OUTPUT_CLASSES": str(tmp_path / "bad.tif")})
        assert "\n" not in str(error.value)
    assert not (tmp_path / "bad.tif").exists()


TIME_CASES = {
    "missing band role": ({"INPUT_RASTER": "unnamed", "INDICES": ["NDVI"]},
                          "INDICES: NDVI needs a 'red' band; name the raster's bands or set "
                          "BAND_ROLES"),
    "other CRS without overlap": ({"TIME_STACK": ["first", "far"]},
                                  "does not overlap 'a_2024-05-01.tif'"),
    "time stack with one date": ({"TIME_STACK": ["first"]},
                                 "a time stack needs rasters of at least two dates"),
}


@pytest.mark.parametrize("case", sorted(TIME_CASES))
def test_bad_recipe_inputs_give_one_line(case, provider, scene, write_raster, tmp_path):
    ones = np.ones((4, 500, 600), np.uint16)
    files = {"unnamed": write_raster(ones, name="unnamed.tif", crs="EPSG:32610"),
             "first": write_raster(ones, name="a_2024-05-01.tif", crs="EPSG:32610"),
             "far": write_raster(ones, name="b_2024-06-01.tif", crs="EPSG:32633")}
    overrides, message = TIME_CASES[case]
    parameters = {"LABELS": scene.all_parcels, "LABEL_FIELD": "crop_type", "TUNE": False,
                  "OUTPUT_MODEL": str(tmp_path / "m.cropseg")}
    parameters.update({key: [files[v] for v in value] if key == "TIME_STACK"
                       else files.get(value, value) if isinstance(value, str) else value
                       for key, value in overrides.items()})
    with pytest.raises(QgsProcessingException, match=message) as error:
        _run("trainpixelclassifier", parameters)
    assert "\n" not in str(error.value)
    assert not (tmp_path / "m.cropseg").exists()


def test_temporal_composite_through_processing(provider, season, tmp_path):
    rasters, masks, _ = season
    results = _run("temporalcomposite", {"INPUT_RASTERS": rasters, "MASKS": masks,
                                         "BANDS": "3,4", "OUTPUT": str(tmp_path / "c.tif")})
    assert results["PERIODS"] == 4
    with rasterio.open(results["OUTPUT"]) as src:
        assert src.descriptions == ("red_2024-05", "nir_2024-05", "red_2024-06", "nir_2024-06",
                                    "red_2024-07", "nir_2024-07", "red_2024-08", "nir_2024-08")
        assert src.read(masked=True).mask.mean() < 0.1
    with pytest.raises(QgsProcessingException, match="BANDS: give band numbers"):
        _run("temporalcomposite", {"INPUT_RASTERS": rasters, "BANDS": "red",
                                   "OUTPUT": str(tmp_path / "d.tif")})
