"""`make demo`: generate a scene, train and classify it through qgis_process, print the results.

Usage: .venv/bin/python scripts/demo.py OUTPUT_FOLDER [SIZE]
"""

import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.dirname(HERE))

import conftest  # noqa: E402,F401  (registers the checkout as the package 'cropseg')
from qgis_cli import QgisProcess, QgisProcessError  # noqa: E402

from cropseg.core.model import read_manifest  # noqa: E402
from cropseg.core.report import VALIDATION_LABELS  # noqa: E402
from cropseg.core.synthetic import generate_scene  # noqa: E402


def main(folder, size=2000):
    folder = os.path.abspath(folder)
    os.makedirs(folder, exist_ok=True)
    started = time.perf_counter()
    print(f"1/3 Generating a {size} x {size} PlanetScope-like scene (3 m pixels)...")
    scene = generate_scene(os.path.join(folder, "scene"), width=size, height=size, seed=42)
    cli = QgisProcess(os.path.join(folder, "qgis"))

    print("2/3 Training a random forest from the crop fields of the training area "
          "(qgis_process cropseg:trainpixelclassifier)...")
    model = os.path.join(folder, "crop.cropseg")
    report = os.path.join(folder, "training_report.html")
    trained = cli.run("cropseg:trainpixelclassifier", {
        "INPUT_RASTER": scene.raster, "LABELS": scene.train_labels, "AOI": scene.train_aoi,
        "OUTPUT_MODEL": model, "OUTPUT_REPORT": report})

    print("3/3 Classifying the whole scene (qgis_process cropseg:classifyraster)...")
    classes = os.path.join(folder, "crop_classes.tif")
    confidence = os.path.join(folder, "crop_confidence.tif")
    classify_started = time.perf_counter()
    cli.run("cropseg:classifyraster", {"INPUT_RASTER": scene.raster, "MODEL": model,
                                       "OUTPUT_CLASSES": classes,
                                       "OUTPUT_CONFIDENCE": confidence})
    classify_seconds = time.perf_counter() - classify_started

    manifest = read_manifest(model)
    validation = manifest["validation"]
    print("\nValidation of the crop / non-crop model (pooled over folds):")
    for mode, scores in validation["results"].items():
        print(f"  {VALIDATION_LABELS[mode]:32s} overall accuracy {scores['overall_accuracy']:.3f}"
              f"  F1 macro {scores['f1_macro']:.3f}  kappa {scores['kappa']:.3f}")
    print(f"  Chosen parameters: {manifest['estimator']['params'] or 'defaults'}")
    print(f"  OVERALL_ACCURACY {trained['OVERALL_ACCURACY']:.3f}, "
          f"F1_MACRO {trained['F1_MACRO']:.3f}")
    print(f"\nClassified {size * size / 1e6:.1f} Mpx in {classify_seconds:.1f} s "
          "(qgis_process start-up included).")
    print("\nOutputs:")
    for label, path in (("Scene", scene.raster), ("Training labels", scene.train_labels),
                        ("Training area", scene.train_aoi), ("Model", model),
                        ("Training report", report), ("Classes", classes),
                        ("Confidence", confidence)):
        print(f"  {label:16s} {path}")
    print(f"\nDone in {time.perf_counter() - started:.0f} s.")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    try:
        main(sys.argv[1], *(int(a) for a in sys.argv[2:3]))
    except QgisProcessError as exc:
        raise SystemExit(f"demo failed: {exc}")
