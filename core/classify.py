"""Classify a raster of any size with a model file, block by block."""

import json
import os
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import rasterio

from .errors import InputError
from .labels import NODATA_CLASS
from .model import ModelBundle, load_model, set_estimator_threads
from .progress import ensure_feedback
from .files import atomic_outputs
from .raster import (GDAL_CACHE_BYTES, GTIFF_OPTIONS, read_windows, release_memory,
                     window_with_halo)
from .timeseries import open_stack
from .styles import paletted_qml, shipped_style, write_sidecar

#: Nodata of the float outputs (confidence, probabilities), outside the 0..1 range.
PROBABILITY_NODATA = -1.0

#: Metadata tags written into class rasters; later steps read the class table from them.
TAG_CLASSES = "CROPSEG_CLASSES"
TAG_CROP_CLASSES = "CROPSEG_CROP_CLASSES"


@dataclass
class ClassifyResult:
    """What a classification wrote and counted."""

    classes_path: str
    confidence_path: str
    probabilities_path: str
    class_pixels: dict   # class value -> pixel count
    nodata_pixels: int
    seconds: float
    blocks: int

    @property
    def megapixels_per_second(self):
        total = sum(self.class_pixels.values()) + self.nodata_pixels
        return total / 1e6 / max(self.seconds, 1e-9)


def classify_raster(raster, model, output_classes, *, masks=(), mask_kind="",
                    output_confidence=None, output_probabilities=None, memory_mb=512, n_jobs=-1,
                    feedback=None):
    """Classify ``raster`` (a path, or a list of paths for a time stack) with ``model``.

    ``model`` is a path or a ModelBundle; ``masks`` are optional clear-sky masks,
    one per raster, of ``mask_kind`` (see ``timeseries.MASK_KINDS``).  The
    raster is read in square blocks sized from ``memory_mb``, so peak memory
    does not grow with the raster.  A pixel that is nodata in any used band
    (for a time stack: on every date) is nodata (255) in the class raster.
    Outputs appear only when the run succeeds; on cancel or error none is left.
    """
    feedback = ensure_feedback(feedback)
    started = time.perf_counter()
    bundle = model if isinstance(model, ModelBundle) else load_model(model)
    stack = open_stack(raster, masks, mask_kind)
    bundle.recipe.check_stack(stack)
    info = stack.grid
    times = bundle.recipe.times(stack)
    _warn_if_dates_differ(stack, bundle.recipe, feedback)
    _warn_if_grid_differs(info, bundle.training, feedback)
    if memory_mb < 64:
        raise InputError("MEMORY_MB must be at least 64.")
    n_classes = len(bundle.classes)
    threads = os.cpu_count() if n_jobs in (-1, None) else max(int(n_jobs), 1)
    set_estimator_threads(bundle.estimator, 1)
    # Features, probabilities, masks and the output blocks; the estimator works in chunks.
    bytes_per_pixel = (bundle.recipe.bytes_per_pixel + 4 * n_classes + 16
                       + (4 * n_classes if output_probabilities else 0))
    block_mb = memory_mb - bundle.predict_working_bytes(threads) / 1024 ** 2
    windows = read_windows(info, block_mb, bytes_per_pixel)
    values = bundle.class_values
    counts = np.zeros(256, dtype=np.int64)
    base = {**GTIFF_OPTIONS, "width": info.width, "height": info.height, "crs": info.crs,
            "transform": info.transform}
    with atomic_outputs(output_classes, output_confidence, output_probabilities) as temps, \
            rasterio.Env(GDAL_CACHEMAX=GDAL_CACHE_BYTES), stack.open() as reader, \
            ThreadPoolExecutor(threads) as pool:
        outputs = _open_outputs(temps, base, bundle, n_classes)
        try:
            for done, window in enumerate(windows, 1):
                feedback.check_cancelled()
                outer, core = window_with_halo(window, bundle.recipe.halo, info.width,
                                               info.height)
                data, valid = reader.read(bundle.recipe.read_bands, outer)
                pixels, valid = bundle.recipe.features(data, valid, core, times)
                classes = np.full(valid.shape, NODATA_CLASS, dtype=np.uint8)
                proba = None
                if valid.any():
                    proba = bundle.predict_proba(pixels, pool)
                    classes[valid] = values[np.argmax(proba, axis=1)]
                counts += np.bincount(classes.ravel(), minlength=256)
                _write_block(outputs, window, classes, valid, proba, n_classes)
                del data, pixels, valid, classes, proba
                release_memory()
                feedback.progress(done / len(windows))
        finally:
            for dataset in outputs:
                if dataset is not None:
                    dataset.close()
        nodata = int(counts[NODATA_CLASS])
        if nodata == info.width * info.height:
            raise InputError("INPUT_RASTER has no valid pixel (every pixel is nodata in at "
                             "least one band); nothing to classify.")
    write_sidecar(output_classes, paletted_qml(bundle.classes))
    for path in (output_confidence, output_probabilities):
        if path:
            write_sidecar(path, shipped_style("confidence.qml"))
    seconds = time.perf_counter() - started
    result = ClassifyResult(output_classes, output_confidence, output_probabilities,
                            {int(v): int(counts[v]) for v in values}, nodata, seconds,
                            len(windows))
    feedback.info(f"Classified {info.width} x {info.height} px in {len(windows)} block(s) of "
                  f"up to {windows[0].width} x {windows[0].height} px, {seconds:.1f} s "
                  f"({result.megapixels_per_second:.2f} Mpx/s).")
    return result


def _warn_if_dates_differ(stack, recipe, feedback):
    """Tell the user when the dates fall on other days of the year than the training dates."""
    if not recipe.dates:
        return
    import datetime

    trained = [datetime.date.fromisoformat(d).timetuple().tm_yday for d in recipe.dates]
    given = [d.timetuple().tm_yday for d in stack.dates]
    shift = max(min(abs(a - b), 365 - abs(a - b)) for a, b in zip(trained, given))
    if shift > 15:
        feedback.info(f"Warning: TIME_STACK dates ({', '.join(d.isoformat() for d in stack.dates)}"
                      f") are up to {shift} days of the year away from the training dates "
                      f"({', '.join(recipe.dates)}); accuracy may differ from the validation "
                      "scores.")


def _warn_if_grid_differs(info, training, feedback):
    """Tell the user when the raster's CRS or pixel size differs from the training raster's."""
    from rasterio.crs import CRS

    if training.get("crs") and CRS.from_wkt(training["crs"]) != info.crs:
        feedback.info(f"Warning: INPUT_RASTER is in {info.crs.to_string()} but the model was "
                      "trained on another CRS; check that the bands mean the same.")
    size = training.get("pixel_size")
    if size and not np.allclose(size, info.pixel_size, rtol=0.05):
        feedback.info(f"Warning: INPUT_RASTER pixels are {info.pixel_size[0]:g} x "
                      f"{info.pixel_size[1]:g} but the model was trained on {size[0]:g} x "
                      f"{size[1]:g}; accuracy may differ from the validation scores.")


def read_class_table(path):
    """Class table (list of dicts) and crop values written into a class raster, if any."""
    with rasterio.open(path) as src:
        tags = src.tags()
    classes = json.loads(tags[TAG_CLASSES]) if TAG_CLASSES in tags else []
    crop = [int(v) for v in tags.get(TAG_CROP_CLASSES, "").split(",") if v.strip()]
    return classes, crop


def _open_outputs(temps, base, bundle, n_classes):
    classes_path, confidence_path, probabilities_path = temps
    opened = [None, None, None]
    try:
        opened[0] = rasterio.open(classes_path, "w", **base, count=1, dtype="uint8",
                                  nodata=NODATA_CLASS)
        opened[0].set_band_description(1, "class")
        opened[0].write_colormap(1, colormap(bundle.classes))
        opened[0].update_tags(**{
            TAG_CLASSES: json.dumps([c.to_dict() for c in bundle.classes]),
            TAG_CROP_CLASSES: ",".join(str(v) for v in bundle.crop_values)})
        if confidence_path:
            opened[1] = rasterio.open(confidence_path, "w", **base, count=1, dtype="float32",
                                      nodata=PROBABILITY_NODATA)
            opened[1].set_band_description(1, "confidence")
        if probabilities_path:
            opened[2] = rasterio.open(probabilities_path, "w", **base, count=n_classes,
                                      dtype="float32", nodata=PROBABILITY_NODATA)
            for band, info in enumerate(bundle.classes, 1):
                opened[2].set_band_description(band, f"p_{info.name}")
    except BaseException:
        for dataset in opened:
            if dataset is not None:
                dataset.close()
        raise
    return opened


def _write_block(outputs, window, classes, valid, proba, n_classes):
    classes_out, confidence_out, probabilities_out = outputs
    classes_out.write(classes, 1, window=window)
    if confidence_out is not None:
        confidence = np.full(valid.shape, PROBABILITY_NODATA, dtype=np.float32)
        if proba is not None:
            confidence[valid] = proba.max(axis=1)
        confidence_out.write(confidence, 1, window=window)
    if probabilities_out is not None:
        stack = np.full((n_classes,) + valid.shape, PROBABILITY_NODATA, dtype=np.float32)
        if proba is not None:
            stack[:, valid] = proba.T
        probabilities_out.write(stack, window=window)


def colormap(classes):
    """GDAL colour table of ClassInfo colours; nodata (255) transparent."""
    colours = {}
    for info in classes:
        code = info.color.lstrip("#")
        colours[info.value] = tuple(int(code[i:i + 2], 16) for i in (0, 2, 4)) + (255,)
    colours[NODATA_CLASS] = (0, 0, 0, 0)
    return colours
