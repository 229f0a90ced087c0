"""`make feature-value`: what indices, context and time features add, on real data.

Trains a random forest (default settings, no tuning, seed 0) with validation
grouped by label polygon on every dataset in ../shared/data/real, once per
feature recipe, and writes bench/feature_value.json and bench/FEATURE_VALUE.md.
Time stacks are built from the multi-date files (one single-band GeoTIFF per
date under bench/work/feature_value), as users hold them.

Usage: .venv/bin/python bench/feature_value.py
"""

import datetime
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
REAL = os.path.join(os.path.dirname(ROOT), "shared", "data", "real")
WORK = os.path.join(HERE, "work", "feature_value")
sys.path.insert(0, ROOT)

import conftest  # noqa: E402,F401  (registers the checkout as the package 'cropseg')
from cropseg.core.mapping.composite import temporal_composite  # noqa: E402
from cropseg.core.common.errors import CropsegError  # noqa: E402
from cropseg.core.learn.train import train_classifier  # noqa: E402

SLOVENIA = os.path.join(REAL, "eolearn_slovenia_s2")
UZBEKISTAN = os.path.join(REAL, "fieldrs_uzbekistan_crops")
AMAZON = os.path.join(REAL, "rstoolbox_amazon")
SLOVENIA_DATES = ("2015-07-11", "2015-07-31", "2015-08-20", "2015-08-30", "2015-09-09")


def split_bands(path, folder, names, band_name):
    """Write band i of ``path`` as a single-band GeoTIFF named ``names[i]`` (None: skip it)."""
    import rasterio

    os.makedirs(folder, exist_ok=True)
    paths = []
    with rasterio.open(path) as src:
        profile = {**src.profile, "count": 1, "driver": "GTiff"}
        for band, name in enumerate(names, 1):
            if name is None:
                continue
            out = os.path.join(folder, name)
            with rasterio.open(out, "w", **profile) as dst:
                dst.write(src.read(band), 1)
                dst.set_band_description(1, band_name)
            paths.append(out)
    return paths


def slovenia_inputs():
    stack = [os.path.join(SLOVENIA, f"s2_l1c_{d}_13bands.tif") for d in SLOVENIA_DATES]
    with open(os.path.join(SLOVENIA, "timestamps.json")) as handle:
        stamps = json.load(handle)
    dates = [datetime.datetime.fromisoformat(s.replace("Z", "")).date() for s in stamps]
    # A time stack takes one raster per day: the second acquisition of a day is left out.
    names = [f"ndvi_{d.isoformat()}.tif" if d not in dates[:i] else None
             for i, d in enumerate(dates)]
    ndvi = split_bands(os.path.join(SLOVENIA, "ndvi_timeseries_68dates.tif"),
                       os.path.join(WORK, "slovenia_ndvi"), names, "NDVI")
    composite = os.path.join(WORK, "slovenia_monthly.tif")
    if not os.path.exists(composite):
        temporal_composite(stack, composite)
    return stack, ndvi, composite


def uzbekistan_dates():
    """The five NDVI dates of the Uzbekistan series as single-band rasters, in band order."""
    return split_bands(os.path.join(UZBEKISTAN, "ndvi.tif"), os.path.join(WORK, "uzbekistan"),
                       [f"ndvi_t{i}.tif" for i in range(1, 6)], "NDVI")


def experiments():
    """(dataset, label field, variant, raster, training options) for every run."""
    stack, ndvi68, composite = slovenia_inputs()
    uzbek = os.path.join(UZBEKISTAN, "ndvi.tif")
    uzbek_dates = uzbekistan_dates()
    labels = {"uzbekistan": os.path.join(UZBEKISTAN, "fieldData_crops.gpkg"),
              "slovenia": os.path.join(SLOVENIA, "LULC.gpkg"),
              "landsat": os.path.join(AMAZON, "landsat5_tm", "trainingPolygons_lsat.gpkg"),
              "sentinel2": os.path.join(AMAZON, "sentinel2", "trainingPolygons_sen2.gpkg")}
    runs = []
    for field, title in (("crop", "Uzbekistan crop type (5-date NDVI)"),
                         ("is_crop", "Uzbekistan crop vs non-crop (5-date NDVI)")):
        common = {"labels": labels["uzbekistan"], "label_field": field}
        runs += [
            (title, "one date (NDVI band 3)", uzbek, {**common, "bands": [3]}),
            (title, "raw bands (5 dates as bands)", uzbek, common),
            (title, "raw + context 5", uzbek, {**common, "context": [5]}),
            (title, "time stack (per date + summaries)", uzbek_dates, common),
            (title, "time stack + context 5", uzbek_dates, {**common, "context": [5]}),
        ]
    title = "Slovenia land use (Sentinel-2 L1C, 5 dates)"
    common = {"labels": labels["slovenia"], "label_field": "LULC_NAME", "edge_buffer": 0}
    one = stack[2]
    runs += [
        (title, "one date raw (2015-08-20)", one, common),
        (title, "one date + indices", one, {**common, "indices": ["NDVI", "NDWI", "EVI"]}),
        (title, "one date + context 5", one, {**common, "context": [5]}),
        (title, "one date + indices + context 5", one,
         {**common, "indices": ["NDVI", "NDWI", "EVI"], "context": [5]}),
        (title, "time stack raw (5 dates)", stack, common),
        (title, "time stack + NDVI (per date + summaries)", stack,
         {**common, "indices": ["NDVI"]}),
        (title, "time stack + NDVI + context 5", stack,
         {**common, "indices": ["NDVI"], "context": [5]}),
        (title, "monthly median composite (Temporal composite)", composite, common),
        (title, "68-date NDVI as one raster (NaN gaps)",
         os.path.join(SLOVENIA, "ndvi_timeseries_68dates.tif"), common),
        (title, f"{len(ndvi68)}-date NDVI time stack (gaps filled + summaries)", ndvi68,
         common),
    ]
    for key, title, raster in (
            ("landsat", "Amazon Landsat 5 (one date)",
             os.path.join(AMAZON, "landsat5_tm", "LT52240631988227CUB02_stack_B1-B7.tif")),
            ("sentinel2", "Amazon Sentinel-2 L2A (one date)",
             os.path.join(AMAZON, "sentinel2", "sen2_L2A_12bands.tif"))):
        common = {"labels": labels[key], "label_field": "class"}
        roles = {"band_roles": {"blue": 1, "green": 2, "red": 3, "nir": 4}} \
            if key == "landsat" else {}
        runs += [
            (title, "raw bands", raster, common),
            (title, "+ indices", raster, {**common, "indices": ["NDVI", "NDWI"], **roles}),
            (title, "+ context 5", raster, {**common, "context": [5]}),
            (title, "+ indices + context 5", raster,
             {**common, "indices": ["NDVI", "NDWI"], "context": [5], **roles}),
        ]
    runs += season_experiments()
    return runs


def season_experiments():
    """The generated season (devkit.synthetic.generate_season): not real data, known phenology."""
    from cropseg.devkit.synthetic import generate_season

    rasters, masks, scene = generate_season(os.path.join(WORK, "season"))
    title = "Generated season (600 x 500 px, 5 dates, 10% clouds; not real data)"
    common = {"labels": scene.all_parcels, "label_field": "crop_type"}
    return [
        (title, "one date raw (2024-07-08, clouds left in)", rasters[2], common),
        (title, "cloud-free full-green scene", scene.raster, common),
        (title, "time stack raw, clouds left in", rasters, common),
        (title, "time stack raw + UDM2 masks", rasters,
         {**common, "masks": masks, "mask_kind": "udm2"}),
        (title, "time stack + NDVI + UDM2 masks", rasters,
         {**common, "masks": masks, "mask_kind": "udm2", "indices": ["NDVI"]}),
    ]


def run_one(raster, options):
    options = dict(options)
    labels = options.pop("labels")
    try:
        result = train_classifier(raster, labels, tune=False, feature_search=False, seed=0,
                                  folds=5, **options)
    except CropsegError as exc:
        return {"error": str(exc)}
    grouped = result.validations["grouped"]
    return {"features": len(result.bundle.recipe.feature_names),
            "grouped_oa": round(grouped.overall_accuracy, 3),
            "grouped_f1": round(grouped.f1_macro, 3),
            "random_oa": round(result.validations["random"].overall_accuracy, 3),
            "samples": sum(result.bundle.training["samples"].values())}


def main():
    if not os.path.isdir(REAL):
        sys.exit(f"{REAL} is absent; nothing to measure.")
    rows = []
    for dataset, variant, raster, options in experiments():
        figures = run_one(raster, options)
        rows.append({"dataset": dataset, "variant": variant, **figures})
        print(dataset, "|", variant, "|", figures, flush=True)
    with open(os.path.join(HERE, "feature_value.json"), "w") as handle:
        json.dump(rows, handle, indent=1)
    with open(os.path.join(HERE, "FEATURE_VALUE.md"), "w") as handle:
        handle.write(markdown(rows))


def markdown(rows):
    from cropseg.core.model.bundle import make_estimator

    forest = make_estimator("random_forest").get_params()
    lines = ["# What features add: grouped validation on real data", "",
             "Written by `make feature-value` (bench/feature_value.py). Random forest with "
             f"default settings ({forest['n_estimators']} trees, maximum depth "
             f"{forest['max_depth']}, no tuning), seed 0, 5 folds grouped by label polygon "
             "(no polygon in both training and test folds; a class with fewer polygons than "
             "folds is validated on spatial blocks of them, which flatters neighbourhood "
             "features); random-pixel OA is shown for contrast. OA = overall accuracy, "
             "weighted to the labelled proportions of the classes; F1 = F1 macro.", ""]
    for dataset in dict.fromkeys(row["dataset"] for row in rows):
        lines += [f"## {dataset}", "",
                  "| Features | Count | Grouped OA | Grouped F1 | Random-pixel OA |",
                  "|---|---|---|---|---|"]
        for row in rows:
            if row["dataset"] != dataset:
                continue
            if "error" in row:
                lines.append(f"| {row['variant']} | | refused: {row['error']} | | |")
            else:
                lines.append(f"| {row['variant']} | {row['features']} | {row['grouped_oa']:.3f} "
                             f"| {row['grouped_f1']:.3f} | {row['random_oa']:.3f} |")
        lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
