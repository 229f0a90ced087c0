"""`make bench`: speed and memory of cropseg beside the tools users have today.

Generates its own inputs under bench/work (4-band uint16 scenes of 2000, 4000
and 8000 px with label polygons, models trained on a 1000 px scene), runs
every measured task in a fresh process (so peak resident memory is the task's
own) and writes bench/results.json and bench/RESULTS.md after every task.

Sections: classification (cropseg core, cropseg through qgis_process, the
naive whole-raster path of the Planet/AWS workflow, Orfeo ToolBox), training
time against the number of labelled pixels, clean-up + vectorize against
GDAL, the peak memory of every block-wise step on a small and a large
raster, with bad inputs that once made them grow, and many rasters classified
in one process against Classify rasters in batch on 1 and 2 Dask workers, and a five-date time
stack against one date of it.  A run of some sections keeps the other sections' figures from the
last run; the tables of classification, clean-up and time stacks show each figure beside the
previous run's.

Usage: .venv/bin/python bench/run.py [--sizes 2000 4000 8000] [--sections ...]
                                     [--classifiers ...]
"""

import argparse
import datetime
import functools
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
WORK = os.path.join(HERE, "work")
sys.path.insert(0, ROOT)

MIN_AREA_HA = 0.5
PIXEL_SIZE = 3.0  # metres, PlanetScope
CLASSIFIERS = ("random_forest", "xgboost", "knn")
TRAINING_SIZES = (100_000, 1_000_000, 4_700_000)
SECTIONS = ("classify", "training", "denoise", "memory", "batch", "stack")

#: The results keys of each section.
SECTION_KEYS = {"classify": ("classify", "models"), "training": ("training",),
                "denoise": ("denoise_vectorize",), "memory": ("memory",), "batch": ("batch",),
                "stack": ("stack",)}

#: The stack section: sides of the five-date seasons classified.
STACK_SIZES = (2000, 4000)

#: The batch section: this many copies of the generated scene of this side.
BATCH_RASTERS, BATCH_SIZE = 16, 2000


def _scene(size):
    """The generated scene of ``size`` px (written once)."""
    import conftest  # noqa: F401  (registers the checkout as the package 'cropseg')
    from cropseg.devkit.synthetic import SceneFiles, generate_scene

    folder = os.path.join(WORK, f"scene_{size}")
    stamp = os.path.join(folder, "complete")
    if not os.path.exists(stamp):
        generate_scene(folder, width=size, height=size, seed=42, pixel_size=PIXEL_SIZE)
        open(stamp, "w").close()
    names = ("scene.tif", "scene_train_crop_fields.gpkg", "scene_test_reference.gpkg",
             "scene_train_aoi.gpkg", "scene_test_aoi.gpkg", "scene_parcels.gpkg")
    return SceneFiles(*(os.path.join(folder, name) for name in names))


def _models():
    """Crop-mode models of each classifier, default settings, trained on a 1000 px scene."""
    from cropseg.core.learn.train import save_training, train_classifier

    scene = _scene(1000)
    paths = {}
    for kind in CLASSIFIERS:
        paths[kind] = os.path.join(WORK, f"{kind}.cropseg")
        if not os.path.exists(paths[kind]):
            result = train_classifier(scene.raster, scene.train_labels,
                                      aoi_path=scene.train_aoi, classifier=kind)
            save_training(result, paths[kind])
    return paths


def _model_summary(path):
    """The features and parameters training chose for a model, in words."""
    from cropseg.core.model.archive import read_manifest

    manifest = read_manifest(path)
    chosen = [c for c in manifest["validation"]["candidates"] if c["chosen"]][0]
    params = ", ".join(f"{k}={v}" for k, v in chosen["params"].items())
    return f"{chosen['features']}, {params}"


def _otb_model():
    """An Orfeo ToolBox random forest on the pixels the cropseg forest was trained on, with the
    raw bands as features (Orfeo ToolBox classifies band values)."""
    import geopandas as gpd
    import numpy as np

    from cropseg.core.model.features import make_recipe
    from cropseg.core.rasters.labels import read_labels
    from cropseg.core.model.bundle import load_model
    from cropseg.core.learn.sampling import collect_samples
    from cropseg.core.rasters.stack import open_stack

    path = os.path.join(WORK, "otb_rf.model")
    if os.path.exists(path):
        return path
    scene = _scene(1000)
    bundle = load_model(os.path.join(WORK, "random_forest.cropseg"))
    stack = open_stack(scene.raster)
    labels = read_labels(scene.train_labels, stack.grid, aoi_path=scene.train_aoi)
    facts = bundle.training
    samples = collect_samples(stack, labels, make_recipe(stack.grid, bundle.recipe.bands),
                              max_per_class=facts["max_samples_per_class"],
                              edge_buffer=facts["edge_buffer"],
                              balance=facts["class_balance"], seed=facts["seed"])
    columns = {f"b{i + 1}": samples.X[:, i].astype(np.float64) for i in range(samples.X.shape[1])}
    points = gpd.GeoDataFrame({**columns, "class": samples.y.astype(np.int32)},
                              geometry=gpd.points_from_xy(samples.cols, samples.rows))
    vector = os.path.join(WORK, "otb_samples.gpkg")
    points.to_file(vector, driver="GPKG")
    forest = bundle.estimator.get_params()
    subprocess.run(["otbcli_TrainVectorClassifier", "-io.vd", vector, "-feat", *columns,
                    "-cfield", "class", "-classifier", "rf",
                    "-classifier.rf.nbtrees", str(forest["n_estimators"]),
                    "-classifier.rf.max", str(forest["max_depth"]),
                    "-classifier.rf.min", "2", "-classifier.rf.var", "0",
                    "-classifier.rf.acc", "0", "-io.out", path],
                   check=True, capture_output=True)
    return path


# Tasks run in a fresh process; each returns figures for the results table.

def _task_classify_core(raster, model, folder):
    import conftest  # noqa: F401
    from cropseg.core.mapping.classify import classify_raster

    result = classify_raster(raster, model, os.path.join(folder, "classes.tif"))
    return {"blocks": result.blocks}


def _season_model():
    """A random forest trained with default settings on the five-date season of 1000 px, with
    its UDM2 masks (written once)."""
    from cropseg.core.learn.train import save_training, train_classifier

    path = os.path.join(WORK, "season_random_forest.cropseg")
    if not os.path.exists(path):
        season = _season(1000)
        train = os.path.join(WORK, "season_1000", "season_train_crop_fields.gpkg")
        aoi = os.path.join(WORK, "season_1000", "season_train_aoi.gpkg")
        save_training(train_classifier(season["rasters"], train, aoi_path=aoi,
                                       masks=season["masks"], mask_kind="udm2"), path)
    return path


def _task_classify_stack(size, folder):
    """The season of ``size`` px classified with the season model, with its masks."""
    import conftest  # noqa: F401
    from cropseg.core.mapping.classify import classify_raster

    season = _season(size)
    result = classify_raster(season["rasters"], _season_model(), os.path.join(folder, "c.tif"),
                             masks=season["masks"], mask_kind="udm2",
                             output_confidence=os.path.join(folder, "confidence.tif"))
    return {"blocks": result.blocks, "dates": len(season["rasters"])}


def _task_classify_date(size, folder):
    """The middle date of the season of ``size`` px with the single-raster forest."""
    import conftest  # noqa: F401
    from cropseg.core.mapping.classify import classify_raster

    rasters = _season(size)["rasters"]
    result = classify_raster(rasters[len(rasters) // 2], _models()["random_forest"],
                             os.path.join(folder, "c.tif"),
                             output_confidence=os.path.join(folder, "confidence.tif"))
    return {"blocks": result.blocks}


def _task_classify_qgis(raster, model, folder):
    sys.path.insert(0, os.path.join(ROOT, "scripts"))
    from qgis_cli import QgisProcess

    runner = QgisProcess(os.path.join(folder, "profile"))
    runner.run("cropseg:classifyraster", {"INPUT_RASTER": raster, "MODEL": model,
                                          "OUTPUT_CLASSES": os.path.join(folder, "c.tif")})
    return {}


def _batch_rasters():
    """BATCH_RASTERS copies of the BATCH_SIZE scene under distinct names (written once)."""
    folder = os.path.join(WORK, f"batch_{BATCH_SIZE}")
    os.makedirs(folder, exist_ok=True)
    paths = [os.path.join(folder, f"scene_{i:02d}.tif") for i in range(BATCH_RASTERS)]
    for path in paths:
        if not os.path.exists(path):
            shutil.copy(_scene(BATCH_SIZE).raster, path)
    return paths


def _task_batch_one_process(model, folder):
    """The rasters one after the other in this process, as Classify raster runs them."""
    import conftest  # noqa: F401
    from cropseg.core.mapping.classify import classify_raster

    for raster in _batch_rasters():
        stem = os.path.splitext(os.path.basename(raster))[0]
        classify_raster(raster, model, os.path.join(folder, f"{stem}_classes.tif"),
                        output_confidence=os.path.join(folder, f"{stem}_confidence.tif"))
    return {}


def _task_batch_dask(workers, model, folder):
    import conftest  # noqa: F401
    from cropseg.core.mapping.batch import classify_batch

    result = classify_batch(_batch_rasters(), model, folder, workers=workers, tile_size=0)
    return {"cluster_seconds": round(result.cluster_seconds, 2),
            "task_seconds": round(sum(o.task_seconds for o in result.outcomes), 2)}


def _task_classify_naive(raster, model, folder):
    """The Planet/AWS notebook's path: whole raster in memory, the model's features computed
    at once, one predict call, write."""
    import conftest  # noqa: F401
    import numpy as np
    import rasterio

    from cropseg.core.model.bundle import load_model

    bundle = load_model(model)
    with rasterio.open(raster) as src:
        bands = src.read(bundle.recipe.read_bands)
        profile = {**src.profile, "count": 1, "dtype": "uint8", "nodata": None}
    pixels, _ = bundle.recipe.features(bands, np.ones(bands.shape[1:], dtype=bool))
    del bands
    predicted = bundle.estimator.predict(pixels).astype(np.uint8).reshape(
        profile["height"], profile["width"])
    with rasterio.open(os.path.join(folder, "classes.tif"), "w", **profile) as dst:
        dst.write(predicted, 1)
    return {}


def _task_classify_otb(raster, model, folder):
    env = {**os.environ, "ITK_GLOBAL_DEFAULT_NUMBER_OF_THREADS": str(os.cpu_count())}
    subprocess.run(["otbcli_ImageClassifier", "-in", raster, "-model", model,
                    "-out", os.path.join(folder, "classes.tif"), "uint8", "-ram", "512"],
                   check=True, capture_output=True, env=env)
    return {}


def _task_training(kind, size, folder):
    """Fit one classifier on ``size`` labelled pixels; for KNN also predict 1 Mpx."""
    import conftest  # noqa: F401
    import numpy as np

    from cropseg.core.model.bundle import make_estimator

    data = np.load(os.path.join(WORK, "training_pixels.npz"))
    X, y = data["X"][:size], data["y"][:size]
    estimator = make_estimator(kind)
    started = time.perf_counter()
    estimator.fit(X, np.searchsorted(np.unique(y), y))
    figures = {"fit_seconds": round(time.perf_counter() - started, 2)}
    if kind == "knn":
        started = time.perf_counter()
        estimator.predict_proba(data["X_predict"])
        figures["predict_1mpx_seconds"] = round(time.perf_counter() - started, 2)
    return figures


def _task_denoise(source, median_size, folder):
    """cropseg clean + vectorize, in this process."""
    import conftest  # noqa: F401
    from cropseg.core.cleanup.denoise_vectorize import denoise_vectorize_mask

    result = denoise_vectorize_mask(source, os.path.join(folder, "mask.tif"),
                                    os.path.join(folder, "fields.gpkg"), median_size=median_size,
                                    min_area_ha=MIN_AREA_HA)
    return {"polygons": result.polygons}


def _task_gdal(source, folder):
    """gdal:sieve + gdal:polygonize: the GDAL scripts QGIS's algorithms run, as child processes."""
    threshold = int(round(MIN_AREA_HA * 10_000 / PIXEL_SIZE ** 2))
    sieved = os.path.join(folder, "sieved.tif")
    polygons = os.path.join(folder, "polygons.gpkg")
    subprocess.run(["gdal_sieve.py", "-q", "-st", str(threshold), "-4", "-of", "GTiff", source,
                    sieved], check=True)
    subprocess.run(["gdal_polygonize.py", "-q", sieved, "-f", "GPKG", polygons], check=True)
    import geopandas as gpd

    return {"polygons": int(len(gpd.read_file(polygons)))}


def _memory_inputs(size):
    """The rasters the memory section reads at ``size`` px (written once): the speckled class
    raster, the clean one as reference, and the scene's near-infrared band alone (a
    continuous single-band raster, the bad input)."""
    from cropseg.devkit.synthetic import generate_class_raster

    classes = os.path.join(WORK, f"classes_{size}.tif")
    truth = os.path.join(WORK, f"truth_{size}.tif")
    band = os.path.join(WORK, f"nir_band_{size}.tif")
    if not os.path.exists(classes):
        generate_class_raster(classes, width=size, height=size, pixel_size=PIXEL_SIZE)
    if not os.path.exists(truth):
        generate_class_raster(truth, width=size, height=size, pixel_size=PIXEL_SIZE,
                              error_rate=0.0)
    if not os.path.exists(band):
        subprocess.run(["gdal_translate", "-q", "-b", "4", "-co", "TILED=YES", "-co",
                        "COMPRESS=DEFLATE", _scene(size).raster, band], check=True)
    return {"classes": classes, "truth": truth, "band": band, "scene": _scene(size).raster,
            "reference": _scene(size).reference}


def _season(size):
    """Five dated 4-band scenes with UDM2 masks at ``size`` px (written once)."""
    from cropseg.devkit.synthetic import generate_season

    folder = os.path.join(WORK, f"season_{size}")
    stamp = os.path.join(folder, "complete")
    if not os.path.exists(stamp):
        rasters, masks, _ = generate_season(folder, width=size, height=size)
        with open(stamp, "w", encoding="utf-8") as handle:
            json.dump({"rasters": rasters, "masks": masks}, handle)
    with open(stamp, encoding="utf-8") as handle:
        return json.load(handle)


#: Block-wise steps of the memory section: (step, what it reads, how it is run, its default
#: memory budget in MB).
MEMORY_STEPS = (
    ("class pixel counts", "classes", "class_pixel_counts", 256),
    ("stratified sample", "classes", "draw_stratified_sample", 256),
    ("accuracy report, reference raster", "classes", "assess_map + write_outputs", 256),
    ("accuracy report, reference polygons", "classes", "assess_map + write_outputs", 256),
    ("denoise and vectorize", "classes", "denoise_vectorize_mask, median 5", 512),
    ("training samples", "scene", "collect_samples, 6 crop types", 256),
    ("temporal composite", "season", "temporal_composite, monthly, UDM2", 256),
)
#: Bad inputs: a continuous single-band raster where a class raster belongs.
MEMORY_BAD_INPUTS = (
    ("accuracy report, NIR band as INPUT_CLASSES", "band"),
    ("accuracy report, NIR band as REFERENCE_RASTER", "band"),
    ("stratified sample, NIR band as INPUT_CLASSES", "band"),
    ("denoise and vectorize, NIR band as INPUT_CLASSES", "band"),
)


def _task_step(step, size, folder):
    """Run one block-wise step on the memory section's inputs; a refusal is an outcome."""
    import conftest  # noqa: F401

    try:
        _run_step(step, size, folder)
    except Exception as exc:  # noqa: BLE001 (the outcome is the figure)
        return {"outcome": f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}"}
    return {"outcome": "ran"}


def _run_step(step, size, folder):
    from cropseg.core.assessment.report import write_outputs
    from cropseg.core.assessment.comparison import assess_map
    from cropseg.core.cleanup.denoise_vectorize import denoise_vectorize_mask
    from cropseg.core.assessment.sample_design import draw_stratified_sample

    out = functools.partial(os.path.join, folder)
    if step == "temporal composite":
        from cropseg.core.mapping.composite import temporal_composite

        season = _season(size)
        temporal_composite(season["rasters"], out("composite.tif"), masks=season["masks"],
                           mask_kind="udm2")
        return
    files = _memory_inputs(size)
    classes = files["band"] if step.endswith("as INPUT_CLASSES") else files["classes"]
    if step == "class pixel counts":
        from cropseg.core.rasters.class_raster import class_pixel_counts
        from cropseg.core.rasters.access import read_raster_info

        class_pixel_counts(read_raster_info(classes), 256)
    elif step.startswith("stratified sample"):
        draw_stratified_sample(classes, out("sample.gpkg"))
    elif step.startswith("accuracy report"):
        if "polygons" in step:
            reference = {"reference_vector": files["reference"], "reference_field": "is_crop"}
        else:
            reference = {"reference_raster": files["band"] if "REFERENCE" in step
                         else files["truth"]}
        report = assess_map(classes, **reference)
        write_outputs(report, out("report.html"), out("report.json"), out("matrix.csv"))
    elif step.startswith("denoise"):
        # The bad input names its crop class, as a user of a raster without a class table must.
        crop_classes = ["1"] if classes == files["band"] else None
        denoise_vectorize_mask(classes, out("mask.tif"), out("fields.gpkg"), median_size=5,
                               min_area_ha=MIN_AREA_HA, crop_classes=crop_classes)
    elif step == "training samples":
        from cropseg.core.learn.sampling import collect_samples

        collect_samples(*_crop_type_labels(size))
    else:
        raise ValueError(f"unknown step {step}")


#: Tasks that run a tool in a child process: their memory is the child's.
TOOL_TASKS = {"classify-qgis_process", "classify-otb", "gdal-sieve-polygonize"}
TASKS = {"classify-core": _task_classify_core, "classify-qgis_process": _task_classify_qgis,
         "classify-naive": _task_classify_naive, "classify-otb": _task_classify_otb,
         "training": _task_training, "denoise": _task_denoise, "gdal-sieve-polygonize": _task_gdal,
         "step": _task_step, "batch-one-process": _task_batch_one_process,
         "batch-dask": _task_batch_dask, "classify-stack": _task_classify_stack,
         "classify-date": _task_classify_date}


def _worker(task, arguments, folder):
    """Run one task and print its figures as JSON (called in a fresh process)."""
    os.makedirs(folder, exist_ok=True)
    started = time.perf_counter()
    figures = TASKS[task](*json.loads(arguments), folder)
    seconds = time.perf_counter() - started
    if task in TOOL_TASKS:
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    else:
        peak_mb = _own_peak_mb()
    print(json.dumps({"seconds": round(seconds, 2), "peak_rss_mb": round(peak_mb), **figures}))


def _own_peak_mb():
    """Peak resident memory of this process alone (VmHWM): getrusage's ru_maxrss keeps the
    parent's resident size from before the fork, so a large bench process would inflate it."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc/self/status")


def _measure(task, *arguments):
    folder = os.path.join(WORK, "run")
    shutil.rmtree(folder, ignore_errors=True)
    process = subprocess.run([sys.executable, __file__, "--worker", task, json.dumps(arguments),
                              folder], capture_output=True, text=True)
    shutil.rmtree(folder, ignore_errors=True)
    if process.returncode < 0:
        return {"error": f"killed by signal {-process.returncode}"
                         + (" (out of memory)" if process.returncode == -9 else "")}
    if process.returncode != 0:
        return {"error": (process.stderr.strip().splitlines() or ["failed"])[-1][:300]}
    return json.loads(process.stdout.strip().splitlines()[-1])


def _compile():
    """Byte-compile the checkout once, as QGIS caches a plugin's bytecode: no measured run
    pays for compiling cropseg (`make` sets PYTHONDONTWRITEBYTECODE, so none would cache it)."""
    import compileall

    for folder in ("core", "algorithms"):
        compileall.compile_dir(os.path.join(ROOT, folder), quiet=1)
    compileall.compile_file(os.path.join(ROOT, "conftest.py"), quiet=1)


def _versions():
    import numpy
    import rasterio
    import sklearn
    import xgboost

    gdal = subprocess.run(["gdalinfo", "--version"], capture_output=True, text=True).stdout
    otb = subprocess.run(["dpkg-query", "-W", "-f=${Version}", "otb-bin"], capture_output=True,
                         text=True).stdout
    return {"python": platform.python_version(), "numpy": numpy.__version__,
            "rasterio": rasterio.__version__, "gdal": gdal.strip(),
            "scikit-learn": sklearn.__version__, "xgboost": xgboost.__version__,
            "orfeo-toolbox": otb or "absent"}


def _crop_type_labels(size):
    """The scene of ``size`` px opened as a stack, the crop types of every parcel as labels,
    and its four bands as features: what collect_samples takes."""
    from cropseg.core.model.features import FeatureRecipe
    from cropseg.core.rasters.labels import read_labels
    from cropseg.core.rasters.stack import open_stack

    scene = _scene(size)
    stack = open_stack(scene.raster)
    labels = read_labels(scene.all_parcels, stack.grid, label_field="crop_type")
    return stack, labels, FeatureRecipe((1, 2, 3, 4), stack.grid.band_names)


def _training_pixels(size):
    """Labelled pixels (crop types of every parcel) of the largest scene, for training times."""
    import numpy as np

    from cropseg.core.learn.sampling import collect_samples

    path = os.path.join(WORK, "training_pixels.npz")
    if os.path.exists(path):
        return
    stack, labels, recipe = _crop_type_labels(size)
    per_class = -(-max(TRAINING_SIZES) // len(labels.classes))
    samples = collect_samples(stack, labels, recipe, max_per_class=per_class, edge_buffer=0)
    order = np.random.default_rng(0).permutation(len(samples.y))
    predict = np.random.default_rng(1).choice(len(samples.y), min(len(samples.y), 1_000_000),
                                              replace=False)
    np.savez(path, X=samples.X[order], y=samples.y[order], X_predict=samples.X[predict])


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000, 4000, 8000],
                        help="sides of the generated scenes")
    parser.add_argument("--sections", nargs="+", default=list(SECTIONS), choices=SECTIONS)
    parser.add_argument("--classifiers", nargs="+", default=list(CLASSIFIERS),
                        choices=CLASSIFIERS, help="classifiers of the classify section")
    parser.add_argument("--worker", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        return _worker(*args.worker)

    import conftest  # noqa: F401

    os.makedirs(WORK, exist_ok=True)
    _compile()
    results = {
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform(),
                    "memory_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
                                       / 1024 ** 3, 1)},
        "versions": _versions(), "models": {}, "classify": [], "training": [],
        "denoise_vectorize": None, "memory": None, "batch": [], "stack": []}
    results.update(_kept_sections(args.sections))
    results["previous"] = _previous_figures(args.sections)

    def record(section, row):
        results[section].append(row)
        print(f"  {row}", flush=True)
        _write(results)

    def record_memory(part, row):
        results["memory"][part].append(row)
        print(f"  {row}", flush=True)
        _write(results)

    def classify(kinds):
        print("Training the models and the Orfeo ToolBox forest...", flush=True)
        models = _models()
        results["models"].update({kind: _model_summary(models[kind]) for kind in kinds})
        otb = _otb_model() if shutil.which("otbcli_ImageClassifier") else None
        for kind in kinds:
            # One unmeasured run first: the libraries' files are then in the page cache for
            # every path alike, not only for the paths measured after the first.
            _measure("classify-core", _scene(1000).raster, models[kind])
            for size in args.sizes:
                raster = _scene(size).raster
                for path in ("core", "qgis_process", "naive"):
                    figures = _measure(f"classify-{path}", raster, models[kind])
                    record("classify", {"size": size, "classifier": kind, "path": path,
                                        **figures})
                if otb and kind == "random_forest":
                    record("classify", {"size": size, "classifier": kind, "path": "otb",
                                        **_measure("classify-otb", raster, otb)})

    # KNN, by far the slowest to apply, runs last.
    if "classify" in args.sections:
        classify([kind for kind in args.classifiers if kind != "knn"])
    if "training" in args.sections:
        print("Collecting labelled pixels for the training times...", flush=True)
        _training_pixels(max(args.sizes))
        for kind in CLASSIFIERS:
            for size in TRAINING_SIZES:
                record("training", {"classifier": kind, "pixels": size,
                                    **_measure("training", kind, size)})
    if "classify" in args.sections and "knn" in args.classifiers:
        classify(["knn"])
    if "denoise" in args.sections:
        from cropseg.devkit.synthetic import generate_class_raster

        size = max(args.sizes)
        source = os.path.join(WORK, f"classes_{size}.tif")
        generate_class_raster(source, width=size, height=size, pixel_size=PIXEL_SIZE)
        results["denoise_vectorize"] = {"size": size, "pixel_size_m": PIXEL_SIZE,
                                        "min_area_ha": MIN_AREA_HA, "runs": []}
        for task, arguments in (("cropseg-denoise-median5", (source, 5)),
                                ("cropseg-denoise-no-median", (source, 0)),
                                ("gdal-sieve-polygonize", (source,))):
            worker = "denoise" if task.startswith("cropseg") else task
            row = {"task": task, **_measure(worker, *arguments)}
            results["denoise_vectorize"]["runs"].append(row)
            print(f"  {row}", flush=True)
            _write(results)
    if "memory" in args.sections:
        small, large = min(args.sizes), max(args.sizes)
        results["memory"] = {"sizes": [small, large], "steps": [], "bad_inputs": []}
        print("Writing the memory section's inputs...", flush=True)
        for size in (small, large):
            _memory_inputs(size)
            _season(size // 4)
        for step, *_ in MEMORY_STEPS:
            # A time stack is five 4-band scenes: it is measured at a quarter of the side.
            sizes = (small // 4, large // 4) if step == "temporal composite" else (small, large)
            for size in sizes:
                record_memory("steps", {"step": step, "size": size,
                                        **_measure("step", step, size)})
        for step, _ in MEMORY_BAD_INPUTS:
            record_memory("bad_inputs", {"step": step, "size": large,
                                         **_measure("step", step, large)})
    if "batch" in args.sections:
        model = _models()["random_forest"]
        _batch_rasters()
        record("batch", {"path": "one process", "workers": 1,
                         **_measure("batch-one-process", model)})
        for workers in (1, 2):
            record("batch", {"path": "dask", "workers": workers,
                             **_measure("batch-dask", workers, model)})
    if "stack" in args.sections:
        print("Writing the seasons and training the season model...", flush=True)
        _season_model()
        for size in STACK_SIZES:
            _season(size)
            record("stack", {"size": size, "path": "time stack",
                             **_measure("classify-stack", size)})
            record("stack", {"size": size, "path": "one date",
                             **_measure("classify-date", size)})
    print(f"Wrote {os.path.join(HERE, 'RESULTS.md')}")


def _last_results():
    path = os.path.join(HERE, "results.json")
    if not os.path.exists(path):
        return {}
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def _previous_figures(sections):
    """For each section, the figures of the run before the one shown, and its date: the
    last run's for the sections run now, what the last run showed as previous for the
    others."""
    last = _last_results()
    if not last:
        return {}
    previous = dict(last.get("previous", {}))
    for section in sections:
        if any(last.get(key) for key in SECTION_KEYS[section]):
            previous[section] = {"date": last.get("measured", {}).get(section, last["date"]),
                                 **{key: last.get(key) for key in SECTION_KEYS[section]}}
    return previous


def _kept_sections(sections):
    """The last run's figures of the sections not run now, with the date each was measured."""
    last = _last_results()
    if set(sections) == set(SECTIONS) or not last:
        return {}
    kept = {key: last[key] for section in SECTIONS if section not in sections
            for key in SECTION_KEYS[section] if last.get(key)}
    kept["measured"] = {section: last.get("measured", {}).get(section, last["date"])
                        for section in SECTIONS if section not in sections
                        and any(last.get(key) for key in SECTION_KEYS[section])}
    return kept


def _write(results):
    with open(os.path.join(HERE, "results.json"), "w", encoding="utf-8") as handle:
        json.dump(results, handle, indent=2)
    with open(os.path.join(HERE, "RESULTS.md"), "w", encoding="utf-8") as handle:
        handle.write(_markdown(results))


def _markdown(results):
    lines = [
        "# cropseg benchmarks", "",
        f"Run {results['date']} on {results['machine']['cpus']} CPUs, "
        f"{results['machine']['memory_gb']} GB ({results['machine']['platform']}) by "
        "`make bench` (bench/run.py). Every figure is one fresh process; peak memory is its "
        "resident set (for qgis_process and Orfeo ToolBox, the child's).", "",
        "Versions: " + ", ".join(f"{k} {v}" for k, v in results["versions"].items()), ""]
    earlier = {section: date for section, date in results.get("measured", {}).items()
               if date != results["date"]}
    if earlier:
        lines += ["**Note:** sections measured by an earlier run: " + ", ".join(
            f"{section} ({date})" for section, date in earlier.items()) + ".", ""]
    previous = results.get("previous", {})
    if results["classify"]:
        lines += _classify_markdown(results["classify"], results.get("models", {}),
                                    previous.get("classify"))
    if results["training"]:
        lines += _training_markdown(results["training"])
    if results["denoise_vectorize"]:
        lines += _denoise_markdown(results["denoise_vectorize"], previous.get("denoise"))
    if results.get("memory"):
        lines += _memory_markdown(results["memory"])
    if results.get("batch"):
        lines += _batch_markdown(results["batch"])
    if results.get("stack"):
        lines += _stack_markdown(results["stack"], previous.get("stack"))
    return "\n".join(lines)


def _previously(previous, rows_key, match):
    """A function of a row -> the previous run's row with the same ``match`` keys, or None."""
    if not previous or not previous.get(rows_key):
        return lambda row: None
    rows = previous[rows_key]
    rows = rows["runs"] if isinstance(rows, dict) else rows
    index = {tuple(r.get(k) for k in match): r for r in rows if "error" not in r}
    return lambda row: index.get(tuple(row.get(k) for k in match))


def _figure(row, key, digits=1):
    return "" if row is None or key not in row else f"{row[key]:.{digits}f}"


def _classify_markdown(rows, models, previous):
    chosen = "; ".join(f"{kind}: {summary}" for kind, summary in models.items())
    lines = [
        "## Classify a 4-band uint16 scene", "",
        "Models: crop / non-crop, trained on a generated 1000 x 1000 scene with default "
        f"settings, which chose the features and parameters ({chosen}), 20,000 samples per "
        "class. *core*: "
        "`classify_raster` with the default 512 MB budget; *qgis_process*: "
        "`cropseg:classifyraster` (time includes starting QGIS); *naive*: the Planet/AWS "
        "notebook's path, reading the whole raster and predicting every pixel in one call; "
        "*otb*: `otbcli_ImageClassifier` with an Orfeo ToolBox (OpenCV) random forest of the "
        "same number of trees and depth trained on the same pixels' bands "
        "(`-classifier.rf.acc 0`)." + _previous_note(previous, "classify"),
        "", "| Size | Classifier | Path | Time (s) | Mpx/s | Peak memory (MB) | "
        "Previous time (s) | Previous peak (MB) |", "|---|---|---|---|---|---|---|---|"]
    before = _previously(previous, "classify", ("size", "classifier", "path"))
    for row in rows:
        earlier = before(row)
        then = f"{_figure(earlier, 'seconds')} | {_figure(earlier, 'peak_rss_mb', 0)}"
        if "error" in row:
            lines.append(f"| {row['size']} | {row['classifier']} | {row['path']} | failed: "
                         f"{row['error']} | | | {then} |")
            continue
        rate = row["size"] ** 2 / 1e6 / row["seconds"]
        lines.append(f"| {row['size']} | {row['classifier']} | {row['path']} | "
                     f"{row['seconds']:.1f} | {rate:.2f} | {row['peak_rss_mb']} | {then} |")
    lines += ["", "### Targets", ""] + [f"- {line}" for line in _targets(rows)] + [""]
    return lines


def _targets(rows):
    """The ratios the performance targets are stated in, from the rows present."""
    found = {(r["size"], r["classifier"], r["path"]): r for r in rows if "error" not in r}
    sizes = sorted({r["size"] for r in rows})
    small, large = sizes[0], sizes[-1]
    lines = []
    for kind in CLASSIFIERS:
        a, b = found.get((small, kind, "core")), found.get((large, kind, "core"))
        if a and b and large != small:
            lines.append(f"{kind}: peak memory {large}² / {small}² = "
                         f"{b['peak_rss_mb'] / a['peak_rss_mb']:.2f} (target <= 1.25)")
        naive = found.get((large, kind, "naive"))
        if b and naive:
            lines.append(f"{kind}: naive / cropseg peak memory at {large}² = "
                         f"{naive['peak_rss_mb'] / b['peak_rss_mb']:.1f} (target >= 5); "
                         f"time naive / cropseg = {naive['seconds'] / b['seconds']:.2f} "
                         "(target >= 1 for random_forest)")
    for size in sizes:
        core, otb = found.get((size, "random_forest", "core")), found.get((size, "random_forest",
                                                                            "otb"))
        if core and otb:
            lines.append(f"random_forest at {size}²: throughput cropseg / Orfeo ToolBox = "
                         f"{otb['seconds'] / core['seconds']:.2f} (target >= 2)")
    ends = [found.get((size, "random_forest", path)) for size in (small, large)
            for path in ("core", "otb")]
    if all(ends) and large != small:
        core_small, otb_small, core_large, otb_large = (row["seconds"] for row in ends)
        ratio = (otb_large - otb_small) / (core_large - core_small)
        lines.append(f"random_forest beyond start-up ({small}² to {large}², extra seconds per "
                     f"extra pixel): throughput cropseg / Orfeo ToolBox = {ratio:.2f}")
    default = found.get((8000, "random_forest", "core"))
    if default:
        lines.append(f"default settings (random forest) at 8000²: {default['seconds']:.1f} s "
                     "(target < 60 s)")
    return lines


def _training_markdown(rows):
    lines = ["## Training time against labelled pixels", "",
             "Fitting one model (default settings, all cores) on crop-type pixels (6 classes) of "
             "the largest scene; *Train pixel classifier* fits one model per fold and per tuning "
             "setting on top of this. KNN prediction: 1,000,000 pixels with each training size.",
             "", "| Classifier | Labelled pixels | Fit (s) | KNN predict 1 Mpx (s) | Peak memory "
             "(MB) |", "|---|---|---|---|---|"]
    for row in rows:
        if "error" in row:
            lines.append(f"| {row['classifier']} | {row['pixels']:,} | failed: {row['error']} | "
                         "| |")
            continue
        lines.append(f"| {row['classifier']} | {row['pixels']:,} | {row['fit_seconds']:.1f} | "
                     f"{row.get('predict_1mpx_seconds', '')} | {row['peak_rss_mb']} |")
    return lines + [""]


def _denoise_markdown(denoise, previous):
    by_task = {r["task"]: r for r in denoise["runs"]}
    gdal = by_task.get("gdal-sieve-polygonize")
    lines = [
        f"## Clean and vectorize a {denoise['size']} x {denoise['size']} class raster", "",
        f"Generated crop / non-crop raster at {denoise['pixel_size_m']:g} m with 8% speckle; "
        f"minimum mapping unit {denoise['min_area_ha']:g} ha in every run. cropseg runs "
        "`denoise_vectorize_mask` (4-connected, exact pixel edges); GDAL runs `gdal_sieve.py -4` "
        "then `gdal_polygonize.py` to GeoPackage, the commands behind `gdal:sieve` and "
        "`gdal:polygonize`." + _previous_note(previous, "denoise_vectorize"), "",
        "| Run | Time (s) | Peak memory (MB) | Polygons | Time vs GDAL | Memory vs GDAL | "
        "Previous time (s) | Previous peak (MB) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    before = _previously(previous, "denoise_vectorize", ("task",))
    for row in denoise["runs"]:
        earlier = before(row)
        then = f"{_figure(earlier, 'seconds')} | {_figure(earlier, 'peak_rss_mb', 0)}"
        if "error" in row or not gdal or "error" in gdal:
            lines.append(f"| {row['task']} | {row.get('error', row.get('seconds'))} | | | | | "
                         f"{then} |")
            continue
        lines.append(f"| {row['task']} | {row['seconds']:.1f} | {row['peak_rss_mb']} | "
                     f"{row['polygons']} | {row['seconds'] / gdal['seconds']:.2f} | "
                     f"{row['peak_rss_mb'] / gdal['peak_rss_mb']:.2f} | {then} |")
    lines += ["", "GDAL's polygons include the non-crop areas; cropseg writes crop fields only.",
              ""]
    return lines


def _memory_markdown(memory):
    small, large = memory["sizes"]
    how = {step: (reads, runs, budget) for step, reads, runs, budget in MEMORY_STEPS}
    lines = [
        "## Peak memory of each block-wise step", "",
        f"Each step on a generated raster of {small} and of {large} px a side (the time stack, "
        f"five dated 4-band scenes with UDM2 masks, at {small // 4} and {large // 4}) with its "
        "default memory budget. At the small size a block may hold the whole raster; a step "
        "keeps to its budget when its peak grows by less than the budget while the pixels grow "
        "16 times. Classification is in the first table.", "",
        "| Step | Reads | Runs | Size | Time (s) | Peak memory (MB) | Growth (MB) | Budget (MB) |",
        "|---|---|---|---|---|---|---|---|"]
    peaks = {}
    for row in memory["steps"]:
        reads, runs, budget = how.get(row["step"], ("", "", ""))
        if "error" in row or row.get("outcome") != "ran":
            lines.append(f"| {row['step']} | {reads} | {runs} | {row['size']} | failed: "
                         f"{row.get('error', row.get('outcome'))} | | | |")
            continue
        # Each step's small size comes first; later rows show the growth from it.
        first = peaks.get(row["step"])
        peaks.setdefault(row["step"], row["peak_rss_mb"])
        growth = "" if first is None else row["peak_rss_mb"] - first
        lines.append(f"| {row['step']} | {reads} | {runs} | {row['size']} | "
                     f"{row['seconds']:.1f} | {row['peak_rss_mb']} | {growth} | {budget} |")
    lines += ["", f"Bad input at {large} px: the scene's near-infrared band (one continuous "
              "uint16 band) where a class raster belongs.", "",
              "| Step | Outcome | Time (s) | Peak memory (MB) |", "|---|---|---|---|"]
    for row in memory["bad_inputs"]:
        outcome = row.get("error") or row.get("outcome", "")
        lines.append(f"| {row['step']} | {outcome.replace('|', '/')} | "
                     f"{row.get('seconds', '')} | {row.get('peak_rss_mb', '')} |")
    return lines + [""]



def _batch_markdown(rows):
    """Many rasters: one process against the Dask batch, with the scheduler's cost per task."""
    lines = [
        f"## Many rasters: {BATCH_RASTERS} rasters of {BATCH_SIZE} x {BATCH_SIZE} px", "",
        "Random forest model of the classify section, class and confidence outputs. *one "
        "process*: `classify_raster` on each raster in turn, on every core; *dask*: "
        "`classify_batch` on a local cluster of 1 or 2 worker processes of one thread, one task "
        "per raster. *Cluster start* is starting the workers; *task time* adds up the tasks' own "
        "times; the overhead per task is what the wall time holds beyond the cluster start and "
        "the task time shared by the workers. Peak memory is the calling process's (workers are "
        "separate processes).", "",
        "| Path | Workers | Time (s) | Mpx/s | Cluster start (s) | Task time (s) | "
        "Overhead per task (s) | Peak memory (MB) |", "|---|---|---|---|---|---|---|---|"]
    pixels = BATCH_RASTERS * BATCH_SIZE ** 2 / 1e6
    for row in rows:
        if "error" in row:
            lines.append(f"| {row['path']} | {row['workers']} | failed: {row['error']} "
                         "| | | | | |")
            continue
        overhead = ""
        if row["path"] == "dask":
            spare = row["seconds"] - row["cluster_seconds"] - row["task_seconds"] / row["workers"]
            overhead = f"{spare / BATCH_RASTERS:.2f}"
        lines.append(f"| {row['path']} | {row['workers']} | {row['seconds']:.1f} | "
                     f"{pixels / row['seconds']:.2f} | {row.get('cluster_seconds', '')} | "
                     f"{row.get('task_seconds', '')} | {overhead} | {row['peak_rss_mb']} |")
    return lines + [""]

def _stack_markdown(rows, previous):
    """A five-date time stack against one of its dates, per date."""
    lines = [
        "## Time stacks: five dates against one", "",
        "A season of five dated 4-band uint16 scenes with UDM2 masks. *time stack*: "
        "`classify_raster` of the five dates and masks with a random forest trained with "
        "default settings on the 1000 px season (features of every date, gaps filled in time); "
        "*one date*: the middle date with the classify section's single-raster forest. Class and "
        "confidence outputs, default 512 MB budget. *Per date* is the time divided by the "
        "dates." + _previous_note(previous, "stack"), "",
        "| Size | Path | Dates | Time (s) | Per date (s) | Per date vs one date | "
        "Peak memory (MB) | Previous time (s) |", "|---|---|---|---|---|---|---|---|"]
    before = _previously(previous, "stack", ("size", "path"))
    single = {r["size"]: r for r in rows if r["path"] == "one date" and "error" not in r}
    for row in rows:
        then = _figure(before(row), "seconds")
        if "error" in row:
            lines.append(f"| {row['size']} | {row['path']} | | failed: {row['error']} | | | | "
                         f"{then} |")
            continue
        dates = row.get("dates", 1)
        per_date = row["seconds"] / dates
        ratio = (f"{per_date / single[row['size']]['seconds']:.2f}"
                 if row["size"] in single else "")
        lines.append(f"| {row['size']} | {row['path']} | {dates} | {row['seconds']:.1f} | "
                     f"{per_date:.1f} | {ratio} | {row['peak_rss_mb']} | {then} |")
    return lines + [""]


def _previous_note(previous, key):
    """The sentence naming the run the *previous* columns come from."""
    if not previous or not previous.get(key):
        return " *Previous*: no earlier run of this section."
    return f" *Previous*: the run of {previous['date']}."


if __name__ == "__main__":
    main()
