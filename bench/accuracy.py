"""`make accuracy`: cropseg's defaults on fields they never saw, beside plain references.

For every dataset in ../shared/data/real the label polygons are split into five
outer folds (stratified by class, every polygon in one fold).  For each fold,
every method trains on the other folds' polygons and classifies the whole
raster; its map is then scored on the pixels of the held-out polygons.  Scores
are pooled over the five folds, so each labelled pixel is scored once, by a
model that never saw its field.  This is the accuracy on new fields.

Methods:
- *cropseg*: ``train_classifier`` with default settings, then ``classify_raster``;
  its training report's overall accuracy is recorded next to the measured one.
- *OTB RF*: Orfeo ToolBox ``TrainImagesClassifier`` (random forest, default
  settings) and ``ImageClassifier``.
- *sklearn RF*: scikit-learn ``RandomForestClassifier`` (500 trees, unlimited
  depth) on every pixel of the training polygons, raw bands.

Writes bench/accuracy.json and bench/ACCURACY.md.

Usage: .venv/bin/python bench/accuracy.py [--datasets NAME ...] [--methods NAME ...]
"""

import argparse
import datetime
import json
import os
import shutil
import subprocess
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
REAL = os.path.join(os.path.dirname(ROOT), "shared", "data", "real")
WORK = os.path.join(HERE, "work", "accuracy")
sys.path.insert(0, ROOT)

import conftest  # noqa: E402,F401  (registers the checkout as the package 'cropseg')
from cropseg.core.common.errors import CropsegError  # noqa: E402

OUTER_FOLDS = 5
SEED = 0


def _dataset(folder, raster, labels, field, leave_out=()):
    return {"raster": os.path.join(REAL, folder, raster),
            "labels": os.path.join(REAL, folder, labels), "field": field,
            "leave_out": leave_out}


DATASETS = {
    "uzbekistan-crop-type": {
        "title": "Uzbekistan crop type (5-date NDVI as bands, 30 m, 3 classes, 35 fields)",
        **_dataset("fieldrs_uzbekistan_crops", "ndvi.tif", "fieldData_crops.gpkg", "crop")},
    "uzbekistan-crop": {
        "title": "Uzbekistan crop vs non-crop (5-date NDVI as bands, 30 m, 35 fields)",
        **_dataset("fieldrs_uzbekistan_crops", "ndvi.tif", "fieldData_crops.gpkg", "is_crop")},
    "amazon-landsat": {
        "title": "Amazon Landsat 5 TM (7 bands, 30 m, 4 classes, 36 polygons)",
        **_dataset("rstoolbox_amazon", "landsat5_tm/LT52240631988227CUB02_stack_B1-B7.tif",
                   "landsat5_tm/trainingPolygons_lsat.gpkg", "class")},
    "amazon-sentinel2": {
        "title": "Amazon Sentinel-2 L2A (12 bands, 10 m, 4 classes, 25 polygons)",
        **_dataset("rstoolbox_amazon", "sentinel2/sen2_L2A_12bands.tif",
                   "sentinel2/trainingPolygons_sen2.gpkg", "class")},
    "slovenia-land-use": {
        "title": "Slovenia land use (Sentinel-2 L1C 2015-08-20, 13 bands, 10 m, 4 classes with "
                 "10 to 33 polygons; cultivated land, 11 px in all, left out)",
        **_dataset("eolearn_slovenia_s2", "s2_l1c_2015-08-20_13bands.tif", "LULC.gpkg",
                   "LULC_NAME", leave_out=("cultivated land",))},
}
METHODS = ("cropseg", "otb", "sklearn")


def polygons(spec):
    """The labelled polygons in the raster's CRS with a class name and an outer fold each."""
    import geopandas as gpd
    import rasterio
    from sklearn.model_selection import StratifiedKFold

    with rasterio.open(spec["raster"]) as src:
        crs = src.crs
    frame = gpd.read_file(spec["labels"]).to_crs(crs)
    names = frame[spec["field"]].astype(str).str.strip()
    frame = frame[(names != "") & ~names.isin(spec["leave_out"]) & frame.geometry.notna()].copy()
    frame["name"] = frame[spec["field"]].astype(str).str.strip()
    codes = {name: i for i, name in enumerate(sorted(set(frame["name"])), 1)}
    frame["class_id"] = frame["name"].map(codes).astype(np.int32)
    counts = frame["name"].value_counts()
    splitter = StratifiedKFold(OUTER_FOLDS, shuffle=True, random_state=SEED)
    strata = frame["name"].where(frame["name"].map(counts) >= OUTER_FOLDS, "rare")
    frame["fold"] = -1
    for fold, (_, test) in enumerate(splitter.split(frame, strata)):
        frame.iloc[test, frame.columns.get_loc("fold")] = fold
    return frame.reset_index(drop=True), codes


def reference(spec, frame):
    """Per pixel: the class id and outer fold of the one polygon covering it (0 / -1: none)."""
    import rasterio
    from rasterio.features import rasterize

    with rasterio.open(spec["raster"]) as src:
        shape, transform = src.shape, src.transform
        valid = src.read_masks().min(axis=0) > 0
        data = src.read()
    valid &= np.all(np.isfinite(data), axis=0)
    cover = np.zeros(shape, dtype=np.int32)
    classes = np.zeros(shape, dtype=np.int32)
    folds = np.full(shape, -1, dtype=np.int32)
    for geom, class_id, fold in zip(frame.geometry, frame["class_id"], frame["fold"]):
        burnt = rasterize([(geom, 1)], out_shape=shape, transform=transform, dtype="uint8") > 0
        cover += burnt
        classes[burnt] = class_id
        folds[burnt] = fold
    single = (cover == 1) & valid
    return np.where(single, classes, 0), np.where(single, folds, -1)


def run_cropseg(spec, train_path, folder, codes, options=None):
    from cropseg.core.mapping.classify import classify_raster
    from cropseg.core.learn.train import save_training, train_classifier
    import rasterio

    started = time.perf_counter()
    result = train_classifier(spec["raster"], train_path, label_field="name", **(options or {}))
    trained = time.perf_counter() - started
    model = os.path.join(folder, "model.cropseg")
    save_training(result, model, os.path.join(folder, "report.html"))
    out = os.path.join(folder, "cropseg.tif")
    classify_raster(spec["raster"], model, out)
    with rasterio.open(out) as src:
        values = src.read(1)
    lookup = np.zeros(256, dtype=np.int32)
    for info in result.bundle.classes:
        lookup[info.value] = codes[info.name]
    score = result.score
    return lookup[values], {"estimate_oa": score.overall_accuracy,
                            "estimate_f1": score.f1_macro, "train_seconds": trained,
                            "features": [c.features for c in result.candidates if c.chosen][0],
                            "params": result.bundle.params}


def run_otb(spec, train_path, folder, codes, options=None):
    import rasterio

    model = os.path.join(folder, "otb.model")
    out = os.path.join(folder, "otb.tif")
    subprocess.run(["otbcli_TrainImagesClassifier", "-io.il", spec["raster"], "-io.vd",
                    train_path, "-sample.vfn", "class_id", "-classifier", "rf",
                    "-rand", str(SEED), "-io.out", model], check=True, capture_output=True)
    subprocess.run(["otbcli_ImageClassifier", "-in", spec["raster"], "-model", model,
                    "-out", out, "int32"], check=True, capture_output=True)
    with rasterio.open(out) as src:
        return src.read(1), {}


def run_sklearn(spec, train_path, folder, codes, options=None):
    import geopandas as gpd
    import rasterio
    from rasterio.features import rasterize
    from sklearn.ensemble import RandomForestClassifier

    frame = gpd.read_file(train_path)
    with rasterio.open(spec["raster"]) as src:
        data = src.read().astype(np.float32)
        valid = (src.read_masks().min(axis=0) > 0) & np.all(np.isfinite(data), axis=0)
        labels = rasterize(list(zip(frame.geometry, frame["class_id"])), out_shape=src.shape,
                           transform=src.transform, dtype="int32")
    pixels = data.reshape(len(data), -1).T
    train = ((labels > 0) & valid).ravel()
    forest = RandomForestClassifier(n_estimators=500, n_jobs=-1, random_state=SEED)
    forest.fit(pixels[train], labels.ravel()[train])
    predicted = np.zeros(pixels.shape[0], dtype=np.int32)
    predicted[valid.ravel()] = forest.predict(pixels[valid.ravel()])
    return predicted.reshape(labels.shape), {}


RUNNERS = {"cropseg": run_cropseg, "otb": run_otb, "sklearn": run_sklearn}


def scores(truth, predicted, n_classes):
    from sklearn.metrics import f1_score

    present = sorted(set(truth.tolist()))
    return {"oa": float(np.mean(truth == predicted)),
            "f1_macro": float(f1_score(truth, predicted, labels=present, average="macro",
                                       zero_division=0)),
            "pixels": int(len(truth))}


def evaluate(name, spec, methods, options=None):
    frame, codes = polygons(spec)
    truth, folds = reference(spec, frame)
    pooled = {m: np.zeros_like(truth) for m in methods}
    details = {m: [] for m in methods}
    for fold in range(OUTER_FOLDS):
        folder = os.path.join(WORK, name, f"fold{fold}")
        shutil.rmtree(folder, ignore_errors=True)
        os.makedirs(folder)
        train_path = os.path.join(folder, "train.gpkg")
        frame[frame["fold"] != fold][["name", "class_id", "geometry"]].to_file(
            train_path, driver="GPKG")
        test = folds == fold
        for method in methods:
            try:
                predicted, facts = RUNNERS[method](spec, train_path, folder, codes, options)
            except CropsegError as exc:  # counted as a map with every pixel wrong
                predicted, facts = np.zeros_like(truth), {"refused": str(exc)}
            pooled[method][test] = predicted[test]
            fold_scores = scores(truth[test], predicted[test], len(codes))
            details[method].append({"fold": fold, **fold_scores, **facts})
            print(name, fold, method, details[method][-1], flush=True)
    held = folds >= 0
    summary = {}
    for method in methods:
        summary[method] = {**scores(truth[held], pooled[method][held], len(codes)),
                           "folds": details[method],
                           "refused": sum("refused" in d for d in details[method])}
        estimates = [d["estimate_oa"] for d in details[method] if "estimate_oa" in d]
        if estimates:
            summary[method]["estimate_oa"] = float(np.mean(estimates))
            summary[method]["estimate_f1"] = float(np.mean(
                [d["estimate_f1"] for d in details[method] if "estimate_f1" in d]))
    return summary


def markdown(results):
    lines = ["# Accuracy on new fields: cropseg defaults beside plain references", "",
             "Written by `make accuracy` (bench/accuracy.py) on the real data in "
             "../shared/data/real. The label polygons of each dataset are split into "
             f"{OUTER_FOLDS} outer folds; every method is trained on four folds' polygons, "
             "classifies the raster, and is scored on the held-out fold's pixels. Scores are "
             "pooled over the folds, so every labelled pixel is scored once by a model that "
             "never saw its field. *Estimate* is the overall accuracy the cropseg training "
             "report printed (mean over the folds).", "",
             "| Dataset | cropseg OA | cropseg F1 | report's estimate (OA) | estimate - OA | "
             "OTB RF OA | OTB RF F1 | sklearn RF OA | sklearn RF F1 |",
             "|---|---|---|---|---|---|---|---|---|"]
    for name, summary in results["datasets"].items():
        def cell(method, key):
            value = summary.get(method, {}).get(key)
            return "" if value is None else f"{value:.3f}"
        gap = ""
        refused = summary.get("cropseg", {}).get("refused")
        if refused:
            gap = f"refused in {refused} of {OUTER_FOLDS} folds"
        elif "estimate_oa" in summary.get("cropseg", {}):
            gap = f"{summary['cropseg']['estimate_oa'] - summary['cropseg']['oa']:+.3f}"
        lines.append(f"| {DATASETS[name]['title']} | {cell('cropseg', 'oa')} | "
                     f"{cell('cropseg', 'f1_macro')} | {cell('cropseg', 'estimate_oa')} | {gap} "
                     f"| {cell('otb', 'oa')} | {cell('otb', 'f1_macro')} | "
                     f"{cell('sklearn', 'oa')} | {cell('sklearn', 'f1_macro')} |")
    lines += ["", *_paired_summary(results), "", f"Run {results['date']}."]
    return "\n".join(lines) + "\n"


def _paired_summary(results):
    """Mean difference of cropseg from each reference over every held-out fold, with its
    standard error: the folds of all datasets paired, so noise of one fold counts once."""
    lines = []
    for reference, label in (("otb", "Orfeo ToolBox RF"), ("sklearn", "scikit-learn RF")):
        for key, metric in (("oa", "overall accuracy"), ("f1_macro", "F1 macro")):
            differences = [mine[key] - theirs[key]
                           for summary in results["datasets"].values()
                           if "cropseg" in summary and reference in summary
                           for mine, theirs in zip(summary["cropseg"]["folds"],
                                                   summary[reference]["folds"])]
            if differences:
                error = np.std(differences, ddof=1) / np.sqrt(len(differences))
                lines.append(f"- cropseg - {label}, {metric}: {np.mean(differences):+.3f} "
                             f"(standard error {error:.3f}) over {len(differences)} held-out "
                             "folds.")
    return lines


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--datasets", nargs="+", default=list(DATASETS), choices=list(DATASETS))
    parser.add_argument("--methods", nargs="+", default=list(METHODS), choices=METHODS)
    parser.add_argument("--options", type=json.loads, default={},
                        help="training options for cropseg as JSON, to compare with the defaults")
    args = parser.parse_args()
    if not os.path.isdir(REAL):
        sys.exit(f"{REAL} is absent; nothing to measure.")
    methods = [m for m in args.methods if m != "otb" or shutil.which("otbcli_ImageClassifier")]
    results = {"date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
               "datasets": {}}
    for name in args.datasets:
        results["datasets"][name] = evaluate(name, DATASETS[name], methods, args.options)
    with open(os.path.join(HERE, "accuracy.json"), "w") as handle:
        json.dump(results, handle, indent=1)
    with open(os.path.join(HERE, "ACCURACY.md"), "w") as handle:
        handle.write(markdown(results))
    print(markdown(results))


if __name__ == "__main__":
    main()
