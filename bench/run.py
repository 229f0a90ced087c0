"""`make bench`: speed and memory of cropseg beside the tools users have today.

Generates its own inputs under bench/work, runs every measured task in a fresh
process (so peak resident memory is the task's own), and writes
bench/results.json and bench/RESULTS.md.

Usage: .venv/bin/python bench/run.py [--size 8000]
"""

import argparse
import datetime
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


def _task_denoise(source, folder, median_size):
    """cropseg clean + vectorize, in this process."""
    import conftest  # noqa: F401  (registers the checkout as the package 'cropseg')
    from cropseg.core.denoise import denoise_vectorize_mask

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


TASKS = {
    "cropseg-denoise-median5": lambda s, f: _task_denoise(s, f, 5),
    "cropseg-denoise-no-median": lambda s, f: _task_denoise(s, f, 0),
    "gdal-sieve-polygonize": _task_gdal,
}


def _worker(task, source, folder):
    """Run one task and print its figures as JSON (called in a fresh process)."""
    os.makedirs(folder, exist_ok=True)
    started = time.perf_counter()
    figures = TASKS[task](source, folder)
    seconds = time.perf_counter() - started
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(json.dumps({"task": task, "seconds": round(seconds, 2),
                      "peak_rss_mb": round(max(own, children) / 1024), **figures}))


def _measure(task, source):
    folder = os.path.join(WORK, task)
    shutil.rmtree(folder, ignore_errors=True)
    output = subprocess.run([sys.executable, __file__, "--worker", task, source, folder],
                            check=True, capture_output=True, text=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def _versions():
    import numpy
    import rasterio
    import sklearn
    import xgboost

    gdal = subprocess.run(["gdalinfo", "--version"], capture_output=True, text=True).stdout
    return {"python": platform.python_version(), "numpy": numpy.__version__,
            "rasterio": rasterio.__version__, "gdal": gdal.strip(),
            "scikit-learn": sklearn.__version__, "xgboost": xgboost.__version__}


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=8000, help="side of the generated rasters")
    parser.add_argument("--worker", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        return _worker(*args.worker)

    import conftest  # noqa: F401
    from cropseg.core.synthetic import generate_class_raster

    os.makedirs(WORK, exist_ok=True)
    size = args.size
    source = os.path.join(WORK, f"classes_{size}.tif")
    print(f"Generating a {size} x {size} crop / non-crop class raster with speckle...")
    generate_class_raster(source, width=size, height=size, pixel_size=PIXEL_SIZE)
    rows = []
    for task in TASKS:
        print(f"  {task}...", flush=True)
        rows.append(_measure(task, source))
        print(f"    {rows[-1]}")
    results = {
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform(),
                    "memory_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
                                       / 1024 ** 3, 1)},
        "versions": _versions(),
        "denoise_vectorize": {"size": size, "pixel_size_m": PIXEL_SIZE,
                              "min_area_ha": MIN_AREA_HA, "runs": rows},
    }
    with open(os.path.join(HERE, "results.json"), "w", encoding="utf-8") as handle:
        json.dump(results, handle, indent=2)
    with open(os.path.join(HERE, "RESULTS.md"), "w", encoding="utf-8") as handle:
        handle.write(_markdown(results))
    print(f"Wrote {os.path.join(HERE, 'RESULTS.md')}")


def _markdown(results):
    denoise = results["denoise_vectorize"]
    by_task = {r["task"]: r for r in denoise["runs"]}
    gdal = by_task["gdal-sieve-polygonize"]
    lines = [
        "# cropseg benchmarks", "",
        f"Run {results['date']} on {results['machine']['cpus']} CPUs, "
        f"{results['machine']['memory_gb']} GB ({results['machine']['platform']}).", "",
        "Versions: " + ", ".join(f"{k} {v}" for k, v in results["versions"].items()), "",
        f"## Clean and vectorize a {denoise['size']} x {denoise['size']} class raster", "",
        f"Generated crop / non-crop raster at {denoise['pixel_size_m']:g} m with 8% speckle; "
        f"minimum mapping unit {denoise['min_area_ha']:g} ha in every run. cropseg runs "
        "`denoise_vectorize_mask` (4-connected, exact pixel edges); GDAL runs `gdal_sieve.py -4` "
        "then `gdal_polygonize.py` to GeoPackage, the commands behind `gdal:sieve` and "
        "`gdal:polygonize`. Each run is a fresh process; peak memory is its resident set.", "",
        "| Run | Time (s) | Peak memory (MB) | Polygons | Time vs GDAL | Memory vs GDAL |",
        "|---|---|---|---|---|---|",
    ]
    for row in denoise["runs"]:
        lines.append(f"| {row['task']} | {row['seconds']:.1f} | {row['peak_rss_mb']} | "
                     f"{row['polygons']} | {row['seconds'] / gdal['seconds']:.2f} | "
                     f"{row['peak_rss_mb'] / gdal['peak_rss_mb']:.2f} |")
    lines += ["", "GDAL's polygons include the non-crop areas; cropseg writes crop fields only.",
              ""]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
