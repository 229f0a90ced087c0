"""Classify many rasters, or tiles of large ones, as tasks on a Dask cluster.

A task classifies one raster, or one tile of it, with :func:`classify_raster` and writes its
outputs atomically; a task whose outputs are already there is not run again, so a rerun of an
interrupted batch does only what is missing. This module plans the tasks, resumes, and writes
the mosaics and the summary; :mod:`.cluster` runs the tasks.
"""

import csv
import glob
import hashlib
import json
import os
import time
from dataclasses import dataclass, field

from ..common.errors import CropsegError, InputError
from ..common.files import TEMP_PREFIX, atomic_outputs, missing_folders, remove_empty_folders
from ..common.progress import ensure_feedback
from ..common.styles import paletted_qml, shipped_style
from ..model.bundle import load_model
from ..rasters.access import TILE, block_windows, read_raster_info
from ..rasters.mosaic import write_cog, write_vrt
from .cluster import run_tasks
from .options import MOSAICS

#: The file that ties an output folder to one model and tile size, so that a rerun resumes it.
STATE_FILE = "cropseg_batch.json"

#: Columns of the summary table, one row per raster.
SUMMARY_FIELDS = ("raster", "status", "tasks", "tasks_skipped", "classes", "confidence",
                  "task_seconds", "error")


@dataclass
class RasterOutcome:
    """What the batch did with one raster."""

    raster: str
    classes: str = ""          # the class raster, or the mosaic of its tiles
    confidence: str = ""
    tasks: int = 0
    tasks_skipped: int = 0     # already complete from an earlier run
    task_seconds: float = 0.0
    error: str = ""
    cog: str = ""
    tiles: list = field(default_factory=list)   # (classes, confidence, window) per task
    size: tuple = ()                            # (width, height) of a tiled raster

    @property
    def status(self):
        return "failed" if self.error else "classified"


@dataclass
class BatchResult:
    """What a batch did: one :class:`RasterOutcome` per raster, in the order given."""

    outcomes: list
    summary_path: str
    seconds: float
    cluster_seconds: float   # starting the local cluster, or connecting to the scheduler

    @property
    def failed(self):
        return [o for o in self.outcomes if o.error]


def classify_batch(rasters, model, output_folder, *, scheduler=None, workers=2, tile_size=0,
                   mosaic="vrt", memory_mb=512, summary_path=None, feedback=None):
    """Classify ``rasters`` with ``model`` into ``output_folder`` on a Dask cluster.

    ``scheduler`` is the address of a running scheduler (``tcp://host:8786``); without one,
    ``workers`` local worker processes are started. A raster larger than ``tile_size`` px
    (0: no tiling) is cut into tiles classified as separate tasks, then read as one raster
    through a VRT mosaic (``mosaic``: one of MOSAICS; "cog" adds a Cloud Optimized GeoTIFF).
    ``memory_mb`` is each task's memory budget. A raster that fails is reported in the
    summary table (``summary_path``, CSV) while the others finish.
    """
    feedback = ensure_feedback(feedback)
    started = time.perf_counter()
    _check_options(rasters, workers, tile_size, mosaic, memory_mb)
    with open(model, "rb") as handle:
        payload = handle.read()
    bundle = load_model(model)
    if bundle.recipe.n_dates > 1:
        raise InputError("MODEL was trained on a time stack of {n_dates} dates; classify time "
                         "stacks with Classify raster.", n_dates=bundle.recipe.n_dates)
    state = {"model_sha256": hashlib.sha256(payload).hexdigest(), "tile_size": tile_size}
    outcomes = [_plan(path, bundle, output_folder, tile_size) for path in rasters]
    _check_no_input_replaced(outcomes, [model, *rasters])
    _refuse_if_all_failed(outcomes)
    for outcome in outcomes:
        if outcome.error:
            _warn(outcome, feedback)
    claimed = _claim_folder(output_folder, state)
    todo = [(outcome, tile) for outcome in outcomes if not outcome.error
            for tile in outcome.tiles if not _complete(tile)]
    for outcome in outcomes:
        outcome.tasks_skipped = outcome.tasks - sum(1 for o, _ in todo if o is outcome)
    skipped = sum(o.tasks_skipped for o in outcomes)
    if skipped:
        feedback.info("{skipped} task(s) already complete from an earlier run.", skipped=skipped)
    cluster_seconds = 0.0
    try:
        try:
            if todo:
                cluster_seconds = _run(todo, payload, state["model_sha256"], scheduler,
                                       workers, memory_mb, feedback)
        finally:
            _remove_temporaries(outcomes)
        _refuse_if_all_failed(outcomes)
    except BaseException:
        claimed.release_if_unused(outcomes)
        raise
    for outcome in outcomes:
        if not outcome.error:
            _finish(outcome, bundle, mosaic)
    summary_path = summary_path or os.path.join(output_folder, "batch_summary.csv")
    _write_summary(outcomes, summary_path)
    return BatchResult(outcomes, summary_path, time.perf_counter() - started, cluster_seconds)


def _check_options(rasters, workers, tile_size, mosaic, memory_mb):
    if not rasters:
        raise InputError("INPUT_RASTERS: give at least one raster.")
    stems = [_stem(path) for path in rasters]
    twice = sorted({s for s in stems if stems.count(s) > 1})
    if twice:
        raise InputError("INPUT_RASTERS: several rasters are named {name}; their outputs "
                         "would have the same names.", name=twice[0])
    if workers < 1:
        raise InputError("WORKERS must be at least 1.")
    if tile_size and tile_size < TILE:
        raise InputError("TILE_SIZE must be 0 (no tiles) or at least {tile} px.", tile=TILE)
    if mosaic not in MOSAICS:
        raise InputError("MOSAIC must be one of {mosaics}.", mosaics=", ".join(MOSAICS))
    if memory_mb < 64:
        raise InputError("MEMORY_MB must be at least 64.")


def _stem(path):
    return os.path.splitext(os.path.basename(str(path)))[0]


def _claim_folder(folder, state):
    """Tie ``folder`` to this model and tile size (``state``), refusing one that holds another
    batch; return the :class:`_Claim`."""
    path = os.path.join(folder, STATE_FILE)
    if os.path.exists(path):
        try:
            with open(path, encoding="utf-8") as handle:
                earlier = json.load(handle)
        except (OSError, ValueError):
            earlier = None
        if earlier != state:
            raise InputError("OUTPUT_FOLDER holds the outputs of a batch with another model or "
                             "tile size; choose another folder.")
        return _Claim(None, [])
    made = missing_folders(folder)
    os.makedirs(folder, exist_ok=True)
    with atomic_outputs(path) as (temp,):
        with open(temp, "w", encoding="utf-8") as handle:
            json.dump(state, handle)
    return _Claim(path, made)


@dataclass
class _Claim:
    """The state file and folders a batch made, to take back when it wrote nothing else."""

    state_file: str
    folders: list

    def release_if_unused(self, outcomes):
        if self.state_file and not any(_complete(t) for o in outcomes for t in o.tiles):
            os.remove(self.state_file)
            remove_empty_folders([os.path.dirname(t[0]) for o in outcomes for t in o.tiles
                                  if t[2] is not None])
            remove_empty_folders(self.folders)


def _warn(outcome, feedback):
    """Tell the user at once of a raster that failed; the others go on."""
    feedback.warning("{raster}: {error}", raster=os.path.basename(outcome.raster),
                     error=outcome.error)


def _refuse_if_all_failed(outcomes):
    if all(o.error for o in outcomes):
        first = outcomes[0]
        raise CropsegError("INPUT_RASTERS: no raster could be classified; {raster}: {error}",
                           raster=os.path.basename(first.raster), error=first.error)


def _plan(path, bundle, folder, tile_size):
    """The outcome of ``path`` with its tasks, or with the error that keeps it from running."""
    outcome = RasterOutcome(str(path))
    stem = _stem(path)
    try:
        info = read_raster_info(path, role="INPUT_RASTERS")
        bundle.recipe.check_raster(info, role="INPUT_RASTERS")
    except CropsegError as error:
        outcome.error = error.text()
        return outcome
    outcome.classes = os.path.join(folder, f"{stem}_classes.tif")
    outcome.confidence = os.path.join(folder, f"{stem}_confidence.tif")
    if not tile_size or max(info.width, info.height) <= tile_size:
        outcome.tiles = [(outcome.classes, outcome.confidence, None)]
    else:
        tiles = os.path.join(folder, f"{stem}_tiles")
        outcome.tiles = []
        for window in block_windows(info.width, info.height, tile_size):
            name = os.path.join(tiles, f"r{int(window.row_off):06d}_c{int(window.col_off):06d}")
            outcome.tiles.append((f"{name}_classes.tif", f"{name}_confidence.tif", window))
        outcome.classes = os.path.join(folder, f"{stem}_classes.vrt")
        outcome.confidence = os.path.join(folder, f"{stem}_confidence.vrt")
        outcome.size = (info.width, info.height)
    outcome.tasks = len(outcome.tiles)
    return outcome


def _check_no_input_replaced(outcomes, inputs):
    inputs = {os.path.realpath(str(path)) for path in inputs}
    for outcome in outcomes:
        for path in (outcome.classes, outcome.confidence,
                     *(p for tile in outcome.tiles for p in tile[:2])):
            if path and os.path.realpath(path) in inputs:
                raise InputError("OUTPUT_FOLDER: writing '{path}' would replace an input; "
                                 "choose another folder.", path=path)


def _complete(tile):
    """True when a task's outputs are there: they are written whole or not at all."""
    return os.path.exists(tile[0]) and os.path.exists(tile[1])


def _run(todo, payload, digest, scheduler, workers, memory_mb, feedback):
    """Run ``todo`` on the cluster, recording each raster's task time and first error; return
    the seconds the cluster took to start or answer."""
    tasks = [(outcome.raster, window, classes, confidence)
             for outcome, (classes, confidence, window) in todo]

    def record(index, seconds, error):
        outcome = todo[index][0]
        outcome.task_seconds += seconds
        if error and not outcome.error:
            outcome.error = error
            _warn(outcome, feedback)

    return run_tasks(tasks, payload, digest, record, scheduler=scheduler, workers=workers,
                     memory_mb=memory_mb, feedback=feedback)


def _remove_temporaries(outcomes):
    """Remove what tasks stopped mid-way (a killed worker, a cancel) left in the output
    folders; complete outputs stay, for a rerun to reuse."""
    folders = {os.path.dirname(path) for o in outcomes for tile in o.tiles for path in tile[:2]}
    for folder in folders:
        for temp in glob.glob(os.path.join(glob.escape(folder), TEMP_PREFIX + "*")):
            os.remove(temp)


def _finish(outcome, bundle, mosaic):
    """Write the mosaic of a tiled raster (and its Cloud Optimized GeoTIFF when asked)."""
    if outcome.tiles[0][2] is None:
        return
    width, height = outcome.size
    write_vrt(outcome.classes, [(t[0], t[2]) for t in outcome.tiles], width, height,
              paletted_qml(bundle.classes))
    write_vrt(outcome.confidence, [(t[1], t[2]) for t in outcome.tiles], width, height,
              shipped_style("confidence.qml"))
    if mosaic == "cog":
        outcome.cog = os.path.splitext(outcome.classes)[0] + ".tif"
        write_cog(outcome.classes, outcome.cog, paletted_qml(bundle.classes))


def _write_summary(outcomes, path):
    with atomic_outputs(path) as (temp,):
        with open(temp, "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(SUMMARY_FIELDS)
            for o in outcomes:
                writer.writerow([o.raster, o.status, o.tasks, o.tasks_skipped, o.classes,
                                 o.confidence, round(o.task_seconds, 3), o.error])
