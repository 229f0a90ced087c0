"""Block-wise classification: equal to whole-array, nodata, styled outputs, cancel, refusals."""

import json
import os

import numpy as np
import pytest
import rasterio

from cropseg.core.rasters.class_raster import read_class_table
from cropseg.core.mapping.classify import PROBABILITY_NODATA, classify_raster
from cropseg.core.common.errors import Cancelled, InputError
from cropseg.core.model.bundle import load_model
from cropseg.core.common.progress import Feedback
from cropseg.core.rasters.access import read_raster_info, read_windows
from cropseg.core.learn.train import save_training, train_classifier


@pytest.fixture(scope="module")
def scene_model(scene, tmp_path_factory):
    """A random forest trained in crop mode on the generated scene, saved to a file."""
    result = train_classifier(scene.raster, scene.train_labels, aoi_path=scene.train_aoi,
                              classifier="random_forest", tune=False, max_samples_per_class=2000)
    path = str(tmp_path_factory.mktemp("model") / "crop.cropseg")
    save_training(result, path)
    return path


def _read(path):
    with rasterio.open(path) as src:
        return src.read()


def test_block_wise_equals_one_piece_whatever_the_budget_and_threads(
        large_scene, scene_model, tmp_path, classify_in_one_piece):
    runs = {}
    for name, memory_mb, n_jobs in (("small", 64, 8), ("large", 4096, 1)):
        runs[name] = classify_raster(large_scene, scene_model, str(tmp_path / f"{name}.tif"),
                                     output_confidence=str(tmp_path / f"{name}_conf.tif"),
                                     output_probabilities=str(tmp_path / f"{name}_p.tif"),
                                     memory_mb=memory_mb, n_jobs=n_jobs)
    assert runs["small"].blocks > runs["large"].blocks > 1
    for name in ("{}.tif", "{}_conf.tif", "{}_p.tif"):
        assert np.array_equal(_read(tmp_path / name.format("small")),
                              _read(tmp_path / name.format("large")))
    classes, confidence = classify_in_one_piece(load_model(scene_model), large_scene)
    assert np.array_equal(_read(tmp_path / "small.tif")[0], classes)
    assert np.array_equal(_read(tmp_path / "small_conf.tif")[0], confidence)
    assert runs["small"].class_pixels == runs["large"].class_pixels == {
        int(v): int((classes == v).sum()) for v in (0, 1)}


def test_striped_raster_is_read_in_whole_rows_with_equal_results(large_scene, scene_model,
                                                                  tmp_path):
    # The scene twice side by side, striped and tiled: its bands and outputs (82 MB) cannot
    # fit the smallest budget in one block.
    with rasterio.open(large_scene) as src:
        bands, profile = np.concatenate([src.read()] * 2, axis=2), src.profile
    profile.update(width=bands.shape[2])
    for name, layout in (("striped", {"tiled": False, "blockysize": 8, "compress": "deflate"}),
                         ("tiled", {})):
        with rasterio.open(tmp_path / f"{name}.tif", "w", **{**profile, **layout}) as dst:
            dst.write(bands)
    info = read_raster_info(str(tmp_path / "striped.tif"))
    windows = read_windows(info, 64, 34)
    assert info.block_shape == (8, 2400)
    assert all(w.col_off == 0 and w.width == 2400 for w in windows) and len(windows) > 1
    assert sum(w.height for w in windows) == 1000
    messages = []
    for name in ("striped", "tiled"):
        result = classify_raster(str(tmp_path / f"{name}.tif"), scene_model,
                                 str(tmp_path / f"{name}_classes.tif"),
                                 output_confidence=str(tmp_path / f"{name}_conf.tif"),
                                 output_probabilities=str(tmp_path / f"{name}_p.tif"),
                                 memory_mb=64, feedback=Feedback(on_info=messages.append))
        assert result.blocks > 1
    assert "block(s) of up to 2400 x" in messages[0]
    for output in ("classes", "conf", "p"):
        assert np.array_equal(_read(tmp_path / f"striped_{output}.tif"),
                              _read(tmp_path / f"tiled_{output}.tif"))


def test_known_answer_and_outputs_are_styled(two_class_scene, tmp_path):
    raster, labels, _ = two_class_scene
    result = train_classifier(raster, labels, label_field="crop", crop_classes=["wheat"],
                              classifier="knn", tune=False, max_samples_per_class=300)
    out = str(tmp_path / "classes.tif")
    classify_raster(raster, result.bundle, out, output_confidence=str(tmp_path / "conf.tif"),
                    output_probabilities=str(tmp_path / "p.tif"))
    classes = _read(out)[0]
    assert np.all(classes[:, :60] == 2) and np.all(classes[:, 60:] == 1)  # wheat, fallow
    with rasterio.open(out) as src:
        assert src.dtypes[0] == "uint8" and src.nodata == 255
        assert src.colormap(1)[2][:3] == tuple(int(result.bundle.classes[1].color[i:i + 2], 16)
                                               for i in (1, 3, 5))
        assert src.descriptions == ("class",)
    table, crop = read_class_table(out)
    assert [(c["value"], c["name"]) for c in table] == [(1, "fallow"), (2, "wheat")]
    assert crop == [2]
    umask = os.umask(0)
    os.umask(umask)
    assert os.stat(out).st_mode & 0o777 == 0o666 & ~umask  # like any file the user creates
    style = open(str(tmp_path / "classes.qml"), encoding="utf-8").read()
    assert 'type="paletted"' in style and 'label="wheat"' in style
    with rasterio.open(tmp_path / "p.tif") as src:
        assert src.descriptions == ("p_fallow", "p_wheat")
        probabilities = src.read()
    assert np.allclose(probabilities.sum(axis=0), 1.0, atol=1e-5)
    assert np.allclose(_read(tmp_path / "conf.tif")[0], probabilities.max(axis=0))


def test_nodata_in_any_band_is_nodata_everywhere(scene, scene_model, tmp_path, write_raster):
    with rasterio.open(scene.raster) as src:
        data, profile = src.read(), src.profile
    data[2, 100:110, 200:220] = 0  # nodata in the red band only
    raster = write_raster(data, name="holes.tif", nodata=0, crs=profile["crs"],
                          transform=profile["transform"],
                          descriptions=("blue", "green", "red", "nir"))
    result = classify_raster(raster, scene_model, str(tmp_path / "c.tif"),
                             output_confidence=str(tmp_path / "conf.tif"))
    classes, confidence = _read(tmp_path / "c.tif")[0], _read(tmp_path / "conf.tif")[0]
    invalid = np.any(data == 0, axis=0)
    assert np.array_equal(classes == 255, invalid)
    assert np.array_equal(confidence == PROBABILITY_NODATA, invalid)
    assert result.nodata_pixels == int(invalid.sum())
    assert np.all((confidence[~invalid] >= 0.5) & (confidence[~invalid] <= 1.0))


def test_cancel_stops_and_leaves_no_output(large_scene, scene_model, tmp_path):
    calls = []

    def cancel_after_first_block():
        calls.append(1)
        return len(calls) > 1

    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(Cancelled):
        classify_raster(large_scene, scene_model, str(out / "c.tif"),
                        output_confidence=str(out / "conf.tif"), memory_mb=64,
                        feedback=Feedback(is_cancelled=cancel_after_first_block))
    assert len(calls) == 2
    assert os.listdir(out) == []


def test_failed_run_keeps_an_existing_output_untouched(scene, scene_model, tmp_path,
                                                        write_raster):
    out = tmp_path / "c.tif"
    out.write_bytes(b"previous result")
    empty = write_raster(np.zeros((4, 50, 50), dtype=np.uint16), name="empty.tif", nodata=0,
                         crs="EPSG:32610", descriptions=("blue", "green", "red", "nir"))
    with pytest.raises(InputError, match="no valid pixel"):
        classify_raster(empty, scene_model, str(out))
    assert out.read_bytes() == b"previous result"
    assert sorted(os.listdir(tmp_path)) == ["c.tif", "empty.tif"]


def test_band_count_mismatch_is_refused(scene_model, write_raster, tmp_path):
    raster = write_raster(np.ones((3, 30, 30), dtype=np.uint16), name="three.tif")
    with pytest.raises(InputError, match="has 3 band\\(s\\) but the model was trained on a "
                                         "raster with 4"):
        classify_raster(raster, scene_model, str(tmp_path / "c.tif"))
    assert not (tmp_path / "c.tif").exists()


def test_band_name_mismatch_is_refused(scene_model, write_raster, tmp_path):
    raster = write_raster(np.ones((4, 30, 30), dtype=np.uint16), name="swapped.tif",
                          descriptions=("blue", "green", "nir", "red"))
    with pytest.raises(InputError, match="band 3 is 'nir' but the model expects 'red'"):
        classify_raster(raster, scene_model, str(tmp_path / "c.tif"))


def test_manifest_records_training_facts(scene_model):
    bundle = load_model(scene_model)
    assert bundle.training["crop_mode"] is True
    assert bundle.training["pixel_size"] == [3.0, 3.0]
    assert "32610" in bundle.training["crs"] or "UTM zone 10N" in bundle.training["crs"]
    assert json.dumps(bundle.validation)  # serialisable figures
    assert bundle.crop_values == [1]


def test_other_pixel_size_is_classified_with_a_warning(scene_model, write_raster, tmp_path):
    from rasterio.transform import from_origin

    data = np.full((4, 40, 40), 1000, dtype=np.uint16)
    raster = write_raster(data, name="coarse.tif", crs="EPSG:32610",
                          transform=from_origin(630000.0, 4270000.0, 30.0, 30.0),
                          descriptions=("blue", "green", "red", "nir"))
    messages = []
    classify_raster(raster, scene_model, str(tmp_path / "c.tif"),
                    feedback=Feedback(on_info=messages.append))
    warnings = [m for m in messages if m.startswith("Warning")]
    assert len(warnings) == 1 and "trained on 3 x 3" in warnings[0]


@pytest.mark.parametrize("kept", [0.5, 0.9])
def test_a_truncated_raster_is_refused_in_one_line_before_any_work(scene, scene_model, tmp_path,
                                                                   kept):
    whole = open(scene.raster, "rb").read()
    truncated = tmp_path / "truncated.tif"
    truncated.write_bytes(whole[:int(len(whole) * kept)])
    with pytest.raises(InputError, match="^INPUT_RASTER: cannot read .* truncated or corrupt"):
        classify_raster(str(truncated), scene_model, str(tmp_path / "classes.tif"))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["truncated.tif"]
