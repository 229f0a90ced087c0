"""`make demo`: the Crop mask workflow on a generated scene through qgis_process, then a quicklook.

Usage: .venv/bin/python scripts/demo.py OUTPUT_FOLDER [SIZE]
"""

import json
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.dirname(HERE))

import conftest  # noqa: E402,F401  (registers the checkout as the package 'cropseg')
from qgis_cli import QgisProcess, QgisProcessError  # noqa: E402

import geopandas as gpd  # noqa: E402

from cropseg.core.model.archive import read_manifest  # noqa: E402
from cropseg.devkit.quicklook import write_quicklook  # noqa: E402
from cropseg.core.learn.options import VALIDATIONS  # noqa: E402
from cropseg.devkit.synthetic import generate_scene  # noqa: E402

#: Workflow outputs (child:output): file name and the label printed for it.
OUTPUTS = {"train:MODEL_FILE": ("crop.cropseg", "Model"),
           "train:TRAINING_REPORT": ("training_report.html", "Training report"),
           "classify:CLASSES": ("crop_classes.tif", "Classes"),
           "classify:CONFIDENCE": ("crop_confidence.tif", "Confidence"),
           "denoise:CROP_MASK": ("crop_mask.tif", "Cleaned crop mask"),
           "denoise:FIELDS": ("crop_fields.gpkg", "Field polygons"),
           "accuracy:REPORT": ("accuracy_report.html", "Accuracy report"),
           "accuracy:FIGURES": ("accuracy.json", "Accuracy figures")}


def main(folder, size=2000):
    folder = os.path.abspath(folder)
    os.makedirs(folder, exist_ok=True)
    started = time.perf_counter()
    print(f"1/3 Generating a {size} x {size} PlanetScope-like scene (3 m pixels)...")
    scene = generate_scene(os.path.join(folder, "scene"), width=size, height=size, seed=42)
    cli = QgisProcess(os.path.join(folder, "qgis"))

    print("2/3 Running the Crop mask workflow through qgis_process: train a random forest on "
          "the crop fields of the training area, classify the scene, clean and vectorize the "
          "crop mask, assess it on the held-out test parcels...")
    out = {name: os.path.join(folder, file) for name, (file, _) in OUTPUTS.items()}
    cli.run("cropseg:crop_mask_workflow", {
        "TRAINING_RASTER": scene.raster, "LABELS": scene.train_labels, "AOI": scene.train_aoi,
        "CLASSIFIER": 0, "TARGET_RASTER": scene.raster, "MIN_AREA": 0.5,
        "REFERENCE": scene.reference, "REFERENCE_FIELD": "is_crop", **out})

    print("3/3 Drawing the quicklook...")
    quicklook = os.path.join(folder, "quicklook.png")
    write_quicklook(scene.raster, out["denoise:FIELDS"], quicklook,
                    title="cropseg demo: crop fields over the scene (natural colour)")

    validation = read_manifest(out["train:MODEL_FILE"])["validation"]
    print("\nValidation of the crop / non-crop model (training area, pooled over folds):")
    for mode, scores in validation["results"].items():
        print(f"  {VALIDATIONS[mode]:38s} overall accuracy {scores['overall_accuracy']:.3f}"
              f"  F1 macro {scores['f1_macro']:.3f}  kappa {scores['kappa']:.3f}")
    with open(out["accuracy:FIGURES"], encoding="utf-8") as handle:
        figures = json.load(handle)
    print("\nAccuracy of the cleaned crop mask on the held-out test parcels:")
    print(f"  overall accuracy {figures['overall_accuracy']:.3f}  kappa {figures['kappa']:.3f}")
    for info in figures["classes"]:
        print(f"  {info['name']:10s} " + "  ".join(
            f"{key} {info[key]:.3f}" if info[key] is not None else f"{key} n/a"
            for key in ("precision", "recall", "f1")))
    print(f"  {len(gpd.read_file(out['denoise:FIELDS']))} field polygons")
    print("\nOutputs:")
    for label, path in (("Scene", scene.raster), ("Training labels", scene.train_labels),
                        ("Training area", scene.train_aoi), ("Test reference", scene.reference),
                        *((label, out[name]) for name, (_, label) in OUTPUTS.items()),
                        ("Quicklook", quicklook)):
        print(f"  {label:18s} {path}")
    print(f"\nDone in {time.perf_counter() - started:.0f} s.")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    try:
        main(sys.argv[1], *(int(a) for a in sys.argv[2:3]))
    except QgisProcessError as exc:
        raise SystemExit(f"demo failed: {exc}")
