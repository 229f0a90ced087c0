"""Classify rasters in batch on a local Dask cluster of two worker processes: the same outputs
as Classify raster, faults, resume and cancel."""

import csv
import glob
import os
import shutil
import signal

import numpy as np
import pytest
import rasterio

from cropseg.core.common.errors import Cancelled, InputError
from cropseg.core.common.progress import Feedback
from cropseg.core.learn.train import save_training, train_classifier
from cropseg.core.mapping.batch import classify_batch
from cropseg.core.mapping.cluster import PLUGIN_FOLDER, WORKER_SETUP
from cropseg.core.mapping.classify import classify_raster
from cropseg.core.mapping.dask_worker import FOLDER_VARIABLE

pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def cluster():
    """Two worker processes, one thread each, set up as ``dask worker --preload`` would."""
    import logging

    from distributed import Client, LocalCluster

    os.environ[FOLDER_VARIABLE] = PLUGIN_FOLDER
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address="127.0.0.1:0", preload=[WORKER_SETUP],
                      silence_logs=logging.ERROR) as local, Client(local) as client:
        yield local.scheduler_address, client


@pytest.fixture(scope="module")
def batch(scene, large_scene, tmp_path_factory):
    """A model with 5 px windows (so tiles read their neighbours), three rasters and what
    Classify raster makes of each."""
    folder = tmp_path_factory.mktemp("batch")
    model = str(folder / "model.cropseg")
    save_training(train_classifier(scene.raster, scene.train_labels, aoi_path=scene.train_aoi,
                                   context=(5,), feature_search=False, tune=False,
                                   max_samples_per_class=2000), model)
    rasters = [str(folder / name) for name in ("north.tif", "south.tif", "large.tif")]
    shutil.copy(scene.raster, rasters[0])
    shutil.copy(scene.raster, rasters[1])
    shutil.copy(large_scene, rasters[2])
    expected = {}
    for raster in rasters:
        stem = os.path.splitext(os.path.basename(raster))[0]
        classes, confidence = str(folder / f"{stem}_c.tif"), str(folder / f"{stem}_p.tif")
        classify_raster(raster, model, classes, output_confidence=confidence)
        expected[stem] = (classes, confidence)
    return model, rasters, expected


def _pixels(path):
    with rasterio.open(path) as src:
        return src.read(1)


def _assert_same_pixels(result, expected):
    for outcome in result.outcomes:
        stem = os.path.splitext(os.path.basename(outcome.raster))[0]
        classes, confidence = expected[stem]
        assert np.array_equal(_pixels(outcome.classes), _pixels(classes)), stem
        assert np.array_equal(_pixels(outcome.confidence), _pixels(confidence)), stem


def _temporaries(folder):
    return glob.glob(os.path.join(folder, "**", ".cropseg-*"), recursive=True)


def test_outputs_are_those_of_classify_raster_on_local_workers(batch, tmp_path):
    model, rasters, expected = batch
    said, progress = [], []
    result = classify_batch(rasters, model, str(tmp_path), workers=2, tile_size=600,
                            mosaic="cog", feedback=Feedback(on_info=said.append,
                                                            on_progress=progress.append))
    assert not result.failed and progress[-1] == 1.0
    untiled = [o for o in result.outcomes if o.tasks == 1]
    assert len(untiled) == 2
    for outcome in untiled:   # whole rasters: the very files Classify raster writes
        stem = os.path.splitext(os.path.basename(outcome.raster))[0]
        for made, reference in zip((outcome.classes, outcome.confidence), expected[stem]):
            with open(made, "rb") as a, open(reference, "rb") as b:
                assert a.read() == b.read(), made
    (tiled,) = [o for o in result.outcomes if o.tasks > 1]
    assert tiled.tasks == 4 and tiled.classes.endswith(".vrt")   # 1200 x 1000 in 600 px tiles
    _assert_same_pixels(result, expected)
    assert np.array_equal(_pixels(tiled.cog), _pixels(expected["large"][0]))
    with rasterio.open(tiled.cog) as cog, rasterio.open(expected["large"][0]) as reference:
        assert cog.tags()["CROPSEG_CLASSES"] == reference.tags()["CROPSEG_CLASSES"]
        assert cog.colormap(1)[1] == reference.colormap(1)[1]
        assert cog.transform == reference.transform and cog.crs == reference.crs
    with open(result.summary_path, newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["status"], r["tasks"]) for r in rows] == [("classified", "1"), ("classified", "1"),
                                                         ("classified", "4")]
    assert _temporaries(str(tmp_path)) == []


def test_a_worker_killed_mid_run_does_not_change_the_result(batch, cluster, tmp_path):
    model, rasters, expected = batch
    address, client = cluster
    killed = []

    def kill_a_worker(fraction):
        if not killed:
            pid = next(iter(client.run(os.getpid).values()))
            os.kill(pid, signal.SIGKILL)
            killed.append(pid)

    result = classify_batch(rasters, model, str(tmp_path), scheduler=address, tile_size=256,
                            feedback=Feedback(on_progress=kill_a_worker))
    assert killed and not result.failed
    _assert_same_pixels(result, expected)
    assert _temporaries(str(tmp_path)) == []


def test_a_rerun_after_a_cancel_does_only_the_missing_tiles(batch, cluster, tmp_path):
    model, rasters, expected = batch
    address, _ = cluster
    done = []
    with pytest.raises(Cancelled):
        classify_batch(rasters[2:], model, str(tmp_path), scheduler=address, tile_size=256,
                       feedback=Feedback(on_progress=done.append,
                                         is_cancelled=lambda: len(done) > 1))
    tiles = sorted(glob.glob(str(tmp_path / "large_tiles" / "*_classes.tif")))
    assert 0 < len(tiles) < 20 and _temporaries(str(tmp_path)) == []   # 1200 x 1000 in 256 px
    assert not os.path.exists(tmp_path / "large_classes.vrt")
    stamps = {path: os.stat(path).st_mtime_ns for path in tiles}
    result = classify_batch(rasters[2:], model, str(tmp_path), scheduler=address, tile_size=256)
    (outcome,) = result.outcomes
    assert outcome.tasks == 20 and outcome.tasks_skipped >= len(tiles)
    assert {path: os.stat(path).st_mtime_ns for path in tiles} == stamps
    _assert_same_pixels(result, expected)


def test_a_bad_raster_is_reported_while_the_others_finish(batch, cluster, tmp_path):
    model, rasters, expected = batch
    address, _ = cluster
    broken = str(tmp_path / "broken.tif")
    with open(rasters[0], "rb") as source, open(broken, "wb") as target:
        target.write(source.read()[:5000])   # the header, then nothing
    said = []
    result = classify_batch([rasters[0], broken, rasters[1]], model, str(tmp_path / "out"),
                            scheduler=address, feedback=Feedback(on_warning=said.append))
    (failed,) = result.failed
    assert failed.raster == broken and "truncated or corrupt" in failed.error
    assert any(line.startswith("broken.tif: ") for line in said)
    assert not os.path.exists(tmp_path / "out" / "broken_classes.tif")
    result.outcomes.remove(failed)
    _assert_same_pixels(result, expected)
    with open(result.summary_path, newline="") as handle:
        rows = {r["raster"]: r for r in csv.DictReader(handle)}
    assert rows[broken]["status"] == "failed" and "truncated" in rows[broken]["error"]


def test_a_folder_of_another_model_is_refused(batch, cluster, tmp_path, scene):
    model, rasters, _ = batch
    address, _ = cluster
    classify_batch(rasters[:1], model, str(tmp_path), scheduler=address)
    other = str(tmp_path.parent / "other.cropseg")
    save_training(train_classifier(scene.raster, scene.train_labels, aoi_path=scene.train_aoi,
                                   feature_search=False, tune=False,
                                   max_samples_per_class=500), other)
    with pytest.raises(InputError, match="^OUTPUT_FOLDER holds the outputs of a batch with "
                                         "another model"):
        classify_batch(rasters[:1], other, str(tmp_path), scheduler=address)


def test_an_unreachable_scheduler_is_named(batch, tmp_path):
    model, rasters, _ = batch
    with pytest.raises(InputError, match="^SCHEDULER: cannot reach the Dask scheduler at "
                                         "tcp://127.0.0.1:9"):
        classify_batch(rasters[:1], model, str(tmp_path), scheduler="tcp://127.0.0.1:9")
