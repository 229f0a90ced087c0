"""Classify a raster of any size with a model file, block by block."""

import json
import math
import os
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace

import numpy as np
import rasterio
from rasterio.windows import Window
from rasterio.windows import transform as window_transform

from ..common.errors import InputError
from ..common.files import atomic_outputs
from ..common.progress import ensure_feedback
from ..common.styles import paletted_qml, shipped_style, write_sidecar
from ..model.bundle import PREDICT_CHUNK, ModelBundle, load_model
from ..rasters.access import (GTIFF_OPTIONS, TILE, blockwise, read_windows, release_memory,
                              window_with_halo)
from ..rasters.class_raster import NODATA_CLASS, TAG_CLASSES, TAG_CROP_CLASSES, colormap
from ..rasters.stack import open_stack

#: Fewest pixels a thread classifies at a time, however small the memory budget.
MIN_STRIP_PIXELS = 4096

#: Nodata of the float outputs (confidence, probabilities), outside the 0..1 range.
PROBABILITY_NODATA = -1.0

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


@blockwise
def classify_raster(raster, model, output_classes, *, masks=(), mask_kind="",
                    output_confidence=None, output_probabilities=None, area=None, memory_mb=512,
                    n_jobs=-1, feedback=None):
    """Classify ``raster`` (a path, or a list of paths for a time stack) with ``model``.

    ``model`` is a path or a ModelBundle; ``masks`` are optional clear-sky masks,
    one per raster, of ``mask_kind`` (see ``rasters.stack.MASK_KINDS``).  The
    raster is read in blocks and classified in strips on ``n_jobs`` threads,
    sized from ``memory_mb``, so peak memory does not grow with the raster.  A
    pixel that is nodata in any used band (for a time stack: on every date) is
    nodata (255) in the class raster.
    ``area``, a window of the raster, classifies that part alone, as a tile: the outputs
    cover it with the pixels a classification of the whole raster gives there, and a tile
    without a valid pixel is written (all nodata) rather than refused.
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
    predict_proba = bundle.predictor()
    tile = area if area is not None else Window(0, 0, info.width, info.height)
    grid = replace(info, width=int(tile.width), height=int(tile.height),
                   transform=window_transform(tile, info.transform))
    strip_pixels, windows = _plan_blocks(bundle, grid, memory_mb, threads,
                                         output_confidence, output_probabilities)
    class_counts = np.zeros(n_classes, dtype=np.int64)
    base = {**GTIFF_OPTIONS, "width": grid.width, "height": grid.height, "crs": grid.crs,
            "transform": grid.transform}
    with atomic_outputs(output_classes, output_confidence, output_probabilities) as temps, \
            stack.open() as reader, ThreadPoolExecutor(threads) as pool:
        outputs = _open_outputs(temps, base, bundle, n_classes)
        # One thread does all reading and writing, in order, beside the classifying threads.
        files = ThreadPoolExecutor(1)
        try:
            def read(window):
                placed = Window(window.col_off + tile.col_off, window.row_off + tile.row_off,
                                window.width, window.height)
                outer, core = window_with_halo(placed, bundle.recipe.halo, info.width,
                                               info.height)
                return files.submit(reader.read, bundle.recipe.read_bands, outer), core

            next_read, written = read(windows[0]), None
            for done, window in enumerate(windows, 1):
                feedback.check_cancelled()
                reading, core = next_read
                data, valid = reading.result()
                if done < len(windows):
                    next_read = read(windows[done])
                block = _Block(bundle, predict_proba, times, data, valid, core, outputs,
                               strip_pixels)
                strips = list(block.strips())
                for n, strip_counts in enumerate(pool.map(block.classify_strip, strips), 1):
                    class_counts += strip_counts
                    feedback.check_cancelled()
                    feedback.progress((done - 1 + n / len(strips)) / len(windows))
                if written is not None:
                    written.result()
                written = files.submit(block.write, outputs, window)
                del data, valid, block
                release_memory()
            written.result()
        finally:
            files.shutdown()   # no read or write may still run when the files close
            for dataset in outputs:
                if dataset is not None:
                    dataset.close()
        nodata = grid.width * grid.height - int(class_counts.sum())
        if nodata == grid.width * grid.height and area is None:
            raise InputError("INPUT_RASTER has no valid pixel (every pixel is nodata in at "
                             "least one band); nothing to classify.")
    write_sidecar(output_classes, paletted_qml(bundle.classes))
    for path in (output_confidence, output_probabilities):
        if path:
            write_sidecar(path, shipped_style("confidence.qml"))
    seconds = time.perf_counter() - started
    class_pixels = {int(v): int(n) for v, n in zip(bundle.class_values, class_counts)}
    result = ClassifyResult(output_classes, output_confidence, output_probabilities,
                            class_pixels, nodata, seconds, len(windows))
    feedback.info("Classified {width} x {height} px in {n_windows} block(s) of "
                  "up to {block_width} x {block_height} px, {seconds:.1f} s "
                  "({megapixels_per_second:.2f} Mpx/s).", width=grid.width, height=grid.height,
                  n_windows=len(windows), block_width=windows[0].width,
                  block_height=windows[0].height,
                  seconds=seconds, megapixels_per_second=result.megapixels_per_second)
    return result


def _plan_blocks(bundle, info, memory_mb, threads, confidence, probabilities):
    """Pixels per strip and the block windows that keep a classification in ``memory_mb``.

    Up to half the budget goes to the threads, each working on one strip (features and
    prediction); the rest to two blocks at a time (the bands read and the outputs): one
    classified while the next is read and the last written.  Blocks are at most 1024 px,
    and half the raster's side so that even a small raster has a next block; larger
    blocks are no faster and take more memory.
    """
    strip_bytes_per_pixel = bundle.recipe.bytes_per_pixel + bundle.predict_bytes_per_pixel
    strip_pixels = int(min(PREDICT_CHUNK, max(MIN_STRIP_PIXELS, memory_mb * 1024 ** 2 / 2
                                              / threads / strip_bytes_per_pixel)))
    block_bytes_per_pixel = (bundle.recipe.read_bytes_per_pixel + 1 + (4 if confidence else 0)
                             + (4 * len(bundle.classes) if probabilities else 0))
    block_mb = memory_mb - threads * strip_pixels * strip_bytes_per_pixel / 1024 ** 2
    half_side = math.ceil(max(info.width, info.height) / 2 / TILE) * TILE
    windows = read_windows(info, block_mb, 2 * block_bytes_per_pixel,
                           max_side=min(half_side, 4 * TILE))
    return strip_pixels, windows


def _warn_if_dates_differ(stack, recipe, feedback):
    """Tell the user when the dates fall on other days of the year than the training dates."""
    if not recipe.dates:
        return
    import datetime

    trained = [datetime.date.fromisoformat(d).timetuple().tm_yday for d in recipe.dates]
    given = [d.timetuple().tm_yday for d in stack.dates]
    shift = max(min(abs(a - b), 365 - abs(a - b)) for a, b in zip(trained, given))
    if shift > 15:
        feedback.warning("TIME_STACK dates ({dates}) are up to {shift} days of the year away "
                         "from the training dates ({training_dates}); accuracy may differ from "
                         "the validation scores.", shift=shift,
                         dates=", ".join(d.isoformat() for d in stack.dates),
                         training_dates=", ".join(recipe.dates))


def _warn_if_grid_differs(info, training, feedback):
    """Tell the user when the raster's CRS or pixel size differs from the training raster's."""
    from rasterio.crs import CRS

    if training.get("crs") and CRS.from_wkt(training["crs"]) != info.crs:
        feedback.warning("INPUT_RASTER is in {crs} but the model was "
                         "trained on another CRS; check that the bands mean the same.",
                         crs=info.crs.to_string())
    size = training.get("pixel_size")
    if size and not np.allclose(size, info.pixel_size, rtol=0.05):
        feedback.warning("INPUT_RASTER pixels are {width:g} x {height:g} but "
                         "the model was trained on {training_width:g} x {training_height:g}; "
                         "accuracy may differ from the validation scores.",
                         width=info.pixel_size[0], height=info.pixel_size[1],
                         training_width=size[0], training_height=size[1])


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


class _Block:
    """One block being classified: its bands, and its outputs filled strip by strip.

    A strip is about ``strip_pixels`` pixels of whole rows.  Each strip goes
    through features, prediction and the choice of class in one thread, so its
    arrays stay small (reused from the heap, in the CPU cache) and the threads
    share all the work, not only the prediction.
    """

    def __init__(self, bundle, predict_proba, times, data, valid, core, outputs, strip_pixels):
        self.bundle, self.predict_proba = bundle, predict_proba
        self.times, self.data, self.valid, self.core = times, data, valid, core
        self.strip_pixels = strip_pixels
        self.values = bundle.class_values
        shape = (core[0].stop - core[0].start, core[1].stop - core[1].start)
        self.classes = np.full(shape, NODATA_CLASS, dtype=np.uint8)
        self.confidence = self.probabilities = None
        if outputs[1] is not None:
            self.confidence = np.full(shape, PROBABILITY_NODATA, dtype=np.float32)
        if outputs[2] is not None:
            self.probabilities = np.full((len(self.values),) + shape, PROBABILITY_NODATA,
                                         dtype=np.float32)

    def strips(self):
        """(output rows, data rows, core of the data rows) of each strip."""
        rows, cols = self.core
        halo = self.bundle.recipe.halo
        height, data_height = rows.stop - rows.start, self.data.shape[-2]
        step = max(self.strip_pixels // (cols.stop - cols.start), 4 * halo, 1)
        for first in range(0, height, step):
            last = min(first + step, height)
            low = max(rows.start + first - halo, 0)
            high = min(rows.start + last + halo, data_height)
            core = (slice(rows.start + first - low, rows.start + last - low), cols)
            yield slice(first, last), slice(low, high), core

    def classify_strip(self, strip):
        """Classify one strip into the block's outputs; return its pixels per class index."""
        rows, data_rows, core = strip
        pixels, valid = self.bundle.recipe.features(self.data[..., data_rows, :],
                                                    self.valid[..., data_rows, :], core,
                                                    self.times)
        if not len(pixels):
            return 0
        proba = self.predict_proba(pixels)
        index, confidence = most_probable(proba)
        self.classes[rows][valid] = self.values[index]
        if self.confidence is not None:
            self.confidence[rows][valid] = confidence
        if self.probabilities is not None:
            self.probabilities[:, rows][:, valid] = proba.T
        return np.bincount(index, minlength=len(self.values))

    def write(self, outputs, window):
        for dataset, array in zip(outputs, (self.classes, self.confidence, self.probabilities)):
            if dataset is not None:
                dataset.write(array, window=window, indexes=None if array.ndim == 3 else 1)


def most_probable(proba):
    """Index of each row's most probable class (the first on ties) and its probability.

    One pass per class column: ``argmax``/``max`` along a short row axis are
    several times slower.
    """
    best = proba[:, 0].copy()
    index = np.zeros(len(proba), dtype=np.uint8)
    for column in range(1, proba.shape[1]):
        higher = proba[:, column] > best
        index[higher] = column
        np.maximum(best, proba[:, column], out=best)
    return index, best
