"""Tasks of Classify rasters in batch on a Dask cluster, and the workers' side of them.

Without a scheduler address a local cluster of worker processes is started on this machine
(listening on 127.0.0.1 only); with one, its workers are used. The model file travels as bytes
(never pickled) and each worker checks and loads it once.
"""

import hashlib
import multiprocessing
import os
import tempfile
import time

from ..common.dependencies import python_executable
from ..common.errors import Cancelled, CropsegError, InputError, Message
from ..model.bundle import load_model
from .classify import classify_raster
from .dask_worker import FOLDER_VARIABLE

#: The worker preload that makes the plugin importable as ``cropseg`` (see dask_worker.py).
WORKER_SETUP = os.path.join(os.path.dirname(os.path.abspath(__file__)), "dask_worker.py")

#: The plugin folder, which the preload of local workers registers.
PLUGIN_FOLDER = os.path.dirname(os.path.dirname(os.path.dirname(WORKER_SETUP)))

#: Seconds between two looks at the cancel button while tasks run.
POLL_SECONDS = 0.2

#: Seconds to wait for a scheduler to answer.
CONNECT_SECONDS = 5


def run_tasks(tasks, payload, digest, record, *, scheduler, workers, memory_mb, feedback):
    """Classify each ``(raster, area, classes, confidence)`` of ``tasks`` on the cluster, with
    the model file's bytes ``payload`` (SHA-256 ``digest``); call ``record(index, seconds,
    error)`` as each ends (error: "" or the message). Progress is per task; a cancel cancels
    the tasks. Return the seconds the cluster took to start or answer."""
    started = time.perf_counter()
    with _Cluster(scheduler, workers) as client:
        cluster_seconds = time.perf_counter() - started
        model = client.scatter(payload, broadcast=True)
        futures = {client.submit(classify_task, model, digest, *task, memory_mb, pure=False): i
                   for i, task in enumerate(tasks)}
        pending = list(futures)
        try:
            while pending:
                if feedback.cancelled():
                    raise Cancelled()
                time.sleep(POLL_SECONDS)
                for future in [f for f in pending if f.done()]:
                    pending.remove(future)
                    if future.status == "finished":
                        record(futures[future], future.result(), "")
                    else:
                        record(futures[future], 0.0, _task_error(future.exception()))
                feedback.progress(1 - len(pending) / len(futures))
        except BaseException:
            client.cancel(list(pending), force=True)
            raise
    return cluster_seconds


class _Cluster:
    """A Dask client of the cluster at ``scheduler``, or of a local cluster it starts."""

    def __init__(self, scheduler, workers):
        self.scheduler, self.workers = scheduler, workers
        self.cluster = self.client = None

    def __enter__(self):
        import logging

        from distributed import Client, LocalCluster

        if self.scheduler:
            try:
                self.client = Client(self.scheduler, timeout=CONNECT_SECONDS)
            except (OSError, TimeoutError, ValueError) as error:
                raise InputError("SCHEDULER: cannot reach the Dask scheduler at {address} "
                                 "({error}).", address=self.scheduler, error=error) from None
            return self.client
        # Worker processes run Python, not the QGIS executable that may host this call, and
        # their preload registers this plugin folder.
        multiprocessing.set_executable(python_executable())
        os.environ[FOLDER_VARIABLE] = PLUGIN_FOLDER
        # Scheduler, workers and the scheduler's status page listen on this machine only.
        self.cluster = LocalCluster(n_workers=self.workers, threads_per_worker=1,
                                    processes=True, host="127.0.0.1",
                                    dashboard_address="127.0.0.1:0",
                                    preload=[WORKER_SETUP], silence_logs=logging.ERROR)
        self.client = Client(self.cluster)
        return self.client

    def __exit__(self, *exc):
        if self.client is not None:
            self.client.close()
        if self.cluster is not None:
            self.cluster.close()


def _task_error(error):
    if isinstance(error, CropsegError):
        return error.text()
    return Message("failed unexpectedly: {error}", error=f"{type(error).__name__}: {error}").text()


#: Models this worker has checked, by the SHA-256 of their bytes.
_worker_models = {}


def classify_task(payload, digest, raster, area, classes, confidence, memory_mb):
    """Run on a worker: classify ``raster`` (or its ``area``, a window) into ``classes`` and
    ``confidence``; return the seconds it took."""
    started = time.perf_counter()
    bundle = _worker_models.get(digest)
    if bundle is None:
        if hashlib.sha256(payload).hexdigest() != digest:
            raise CropsegError("MODEL: the model file changed on its way to the worker.")
        with tempfile.TemporaryDirectory(prefix="cropseg-") as folder:
            path = os.path.join(folder, "model.cropseg")
            with open(path, "wb") as handle:
                handle.write(payload)
            bundle = _worker_models[digest] = load_model(path)
    classify_raster(raster, bundle, classes, output_confidence=confidence,
                    area=area, memory_mb=memory_mb, n_jobs=1)
    return time.perf_counter() - started
