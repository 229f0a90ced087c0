"""Training and classifying each real dataset in ../shared/data/real (skipped when absent)."""

import numpy as np
import pytest
import rasterio

from cropseg.core.mapping.classify import classify_raster
from cropseg.core.learn.train import train_classifier

DATASETS = {
    # name: (raster, labels, label field, minimum grouped overall accuracy)
    "uzbekistan_crop_type": ("fieldrs_uzbekistan_crops/ndvi.tif",
                             "fieldrs_uzbekistan_crops/fieldData_crops.gpkg", "crop", 0.6),
    "uzbekistan_crop_or_not": ("fieldrs_uzbekistan_crops/ndvi.tif",
                               "fieldrs_uzbekistan_crops/fieldData_crops.gpkg", "is_crop", 0.8),
    "amazon_landsat": ("rstoolbox_amazon/landsat5_tm/LT52240631988227CUB02_stack_B1-B7.tif",
                       "rstoolbox_amazon/landsat5_tm/trainingPolygons_lsat.gpkg", "class", 0.95),
    "amazon_sentinel2_geographic": ("rstoolbox_amazon/sentinel2/sen2_L2A_12bands.tif",
                                    "rstoolbox_amazon/sentinel2/trainingPolygons_sen2.gpkg",
                                    "class", 0.95),
}


@pytest.mark.parametrize("name", sorted(DATASETS))
def test_train_and_classify_real_dataset(name, real_data, tmp_path):
    raster_part, labels_part, field, floor = DATASETS[name]
    raster, labels = real_data(raster_part), real_data(labels_part)
    result = train_classifier(raster, labels, label_field=field, classifier="random_forest",
                              tune=False, max_samples_per_class=3000)
    grouped, random = result.validations["grouped"], result.validations["random"]
    assert grouped.overall_accuracy >= floor
    assert random.overall_accuracy >= grouped.overall_accuracy  # pixel validation is optimistic
    out = str(tmp_path / "classes.tif")
    classify_raster(raster, result.bundle, out, output_confidence=str(tmp_path / "conf.tif"))
    with rasterio.open(raster) as src, rasterio.open(out) as classes:
        valid = np.all(src.read_masks() > 0, axis=0) & np.all(np.isfinite(src.read()), axis=0)
        predicted = classes.read(1)
        assert classes.crs == src.crs and classes.transform == src.transform
    assert np.array_equal(predicted == 255, ~valid)
    assert set(np.unique(predicted[valid])) <= {c.value for c in result.bundle.classes}


def test_slovenia_small_polygons_keep_their_pixels_under_the_edge_buffer(real_data, tmp_path):
    raster = real_data("eolearn_slovenia_s2", "s2_l1c_2015-07-11_13bands.tif")
    labels = real_data("eolearn_slovenia_s2", "LULC.gpkg")
    result = train_classifier(raster, labels, label_field="LULC_NAME", edge_buffer=1,
                              classifier="xgboost", tune=False, feature_search=False,
                              max_samples_per_class=1000)
    training = result.bundle.training
    names = {str(c.value): c.name for c in result.bundle.classes}
    labelled = {names[v]: n for v, n in training["labelled_pixels"].items()}
    # Cultivated land is four polygons of 1 to 7 pixels: an edge buffer would erase them all.
    assert labelled["cultivated land"] == 11 and training["narrowed_buffers"] > 40
    assert result.bundle.recipe.feature_names[:3] == ["B01", "B02", "B03"]
    # Polygons from 2017-18 over 2015 scenes: no accuracy floor, only the optimism of pixels.
    grouped, random = result.validations["grouped"], result.validations["random"]
    assert random.overall_accuracy > grouped.overall_accuracy
    classify_raster(raster, result.bundle, str(tmp_path / "lulc.tif"))
    with rasterio.open(tmp_path / "lulc.tif") as classes:
        predicted = classes.read(1)
    assert predicted.shape == (101, 100)
    assert set(np.unique(predicted)) <= {c.value for c in result.bundle.classes}


def test_denoise_and_vectorize_a_real_classification(real_data, tmp_path):
    import geopandas as gpd
    from rasterio.features import rasterize

    from cropseg.core.cleanup.denoise_vectorize import POLYGON_LAYER, denoise_vectorize_mask

    raster = real_data("fieldrs_uzbekistan_crops", "ndvi.tif")
    labels = real_data("fieldrs_uzbekistan_crops", "fieldData_crops.gpkg")
    result = train_classifier(raster, labels, label_field="crop", crop_classes=["wheat", "cotton"],
                              classifier="random_forest", tune=False, max_samples_per_class=3000)
    classes, confidence = str(tmp_path / "classes.tif"), str(tmp_path / "confidence.tif")
    classify_raster(raster, result.bundle, classes, output_confidence=confidence)
    mask, fields = str(tmp_path / "mask.tif"), str(tmp_path / "fields.gpkg")
    summary = denoise_vectorize_mask(classes, mask, fields, confidence_path=confidence,
                                     median_size=3, min_area_ha=1.0)
    polygons = gpd.read_file(fields, layer=POLYGON_LAYER)
    with rasterio.open(mask) as src:
        cleaned, transform, crs = src.read(1), src.transform, src.crs
    with rasterio.open(classes) as src:
        assert np.array_equal(cleaned == 255, src.read(1) == 255)
    assert summary.polygons == len(polygons) > 0
    assert polygons.crs.to_epsg() == crs.to_epsg() == 32642
    assert polygons.is_valid.all()
    assert polygons["area_ha"].min() >= 1.0  # 30 m pixels: the unit holds in hectares
    assert polygons["mean_confidence"].between(0.5, 1.0).all()
    back = rasterize([(g, 1) for g in polygons.geometry], out_shape=cleaned.shape,
                     transform=transform, fill=0, dtype="uint8")
    assert np.array_equal(back == 1, cleaned == 1)
