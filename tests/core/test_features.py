"""Spectral indices in the feature recipe: values by hand, roles, scale, and a trained model."""

import numpy as np
import pytest
import rasterio

from cropseg.core.common.errors import InputError
from cropseg.core.model.features import FeatureRecipe, make_recipe
from cropseg.core.rasters.access import read_raster_info

# blue, green, red, nir reflectance and the indices worked out by hand
REFLECTANCE = (0.05, 0.08, 0.04, 0.40)
BY_HAND = {"NDVI": 0.36 / 0.44, "NDWI": -0.32 / 0.48, "GNDVI": 0.32 / 0.48,
           "EVI": 2.5 * 0.36 / 1.265, "SAVI": 1.5 * 0.36 / 0.94, "MSAVI": 0.6}


def _raster(write_raster, scale=1.0, dtype="float32", names=("blue", "green", "red", "nir")):
    data = np.ones((4, 6, 7)) * np.array(REFLECTANCE)[:, None, None] * scale
    return write_raster(data.astype(dtype), name=f"r_{dtype}.tif", descriptions=names)


@pytest.mark.parametrize("scale, dtype", [(1.0, "float32"), (10000.0, "uint16")])
def test_index_values_equal_the_hand_computed_ones(write_raster, scale, dtype):
    info = read_raster_info(_raster(write_raster, scale, dtype))
    recipe = make_recipe(info, [1, 2, 3, 4], list(BY_HAND))
    assert recipe.feature_names == ["blue", "green", "red", "nir", *BY_HAND]
    assert recipe.index_scale == (1.0 if dtype == "float32" else 1e-4)
    data = np.ones((4, 6, 7)) * np.array(REFLECTANCE)[:, None, None] * scale
    features, valid = recipe.features(data.astype(np.float32), np.ones((6, 7), bool))
    assert valid.all() and features.shape == (42, 10)
    assert features[0, 4:] == pytest.approx(list(BY_HAND.values()), abs=1e-5)


def test_a_zero_denominator_makes_the_pixel_invalid(write_raster):
    info = read_raster_info(_raster(write_raster))
    recipe = make_recipe(info, [1], ["NDVI"])
    assert recipe.read_bands == [1, 3, 4]
    data = np.ones((3, 2, 2), dtype=np.float32) * 0.2   # bands 1, 3, 4 as read
    data[1:, 0, 0] = 0.0  # red + nir = 0
    features, valid = recipe.features(data, np.ones((2, 2), bool))
    assert valid.tolist() == [[False, True], [True, True]] and features.shape == (3, 2)


def test_roles_from_names_or_band_roles(write_raster):
    unnamed = read_raster_info(_raster(write_raster, names=()))
    with pytest.raises(InputError, match="NDVI needs a 'red' band; name the raster's bands or "
                                         "set BAND_ROLES"):
        make_recipe(unnamed, [1, 2], ["NDVI"])
    recipe = make_recipe(unnamed, [1, 2], ["NDVI"], {"red": 3, "nir": 4})
    assert recipe.band_roles == (("nir", 4), ("red", 3)) and recipe.read_bands == [1, 2, 3, 4]
    with pytest.raises(InputError, match="band 9 for 'nir' does not exist"):
        make_recipe(unnamed, [1], ["NDVI"], {"red": 3, "nir": 9})
    with pytest.raises(InputError, match="unknown index NDBI"):
        make_recipe(unnamed, [1], ["NDBI"])


def test_old_recipes_without_indices_still_load():
    recipe = FeatureRecipe.from_dict({"kind": "bands", "bands": [1, 2],
                                      "raster_band_names": ["a", "b"]})
    assert recipe.indices == () and recipe.feature_names == ["a", "b"]


def test_model_trained_with_indices_classifies_with_them(scene, tmp_path, classify_in_one_piece):
    from cropseg.core.mapping.classify import classify_raster
    from cropseg.core.model.bundle import load_model
    from cropseg.core.learn.train import save_training, train_classifier

    result = train_classifier(scene.raster, scene.train_labels, aoi_path=scene.train_aoi,
                              bands=[1, 2, 3, 4], indices=["NDVI", "EVI"], classifier="xgboost",
                              tune=False, max_samples_per_class=1000)
    save_training(result, str(tmp_path / "m.cropseg"))
    model = load_model(str(tmp_path / "m.cropseg"))
    assert model.recipe.feature_names == ["blue", "green", "red", "nir", "NDVI", "EVI"]
    assert dict(model.recipe.band_roles) == {"blue": 1, "red": 3, "nir": 4}
    assert {name for name, _ in result.importances} == set(model.recipe.feature_names)
    out = classify_raster(scene.raster, model, str(tmp_path / "a.tif"), memory_mb=64)
    classes, _ = classify_in_one_piece(model, scene.raster)
    with rasterio.open(out.classes_path) as src:
        assert np.array_equal(src.read(1), classes)


def test_context_statistics_by_hand_and_without_seams(write_raster, scene, tmp_path,
                                                     classify_in_one_piece):
    from cropseg.core.mapping.classify import classify_raster
    from cropseg.core.learn.train import train_classifier

    data = np.arange(25, dtype=np.float32).reshape(1, 5, 5)
    info = read_raster_info(write_raster(data, name="ramp.tif", descriptions=("v",)))
    recipe = make_recipe(info, [1], context=[3])
    assert recipe.feature_names == ["v", "v_mean3", "v_std3"] and recipe.halo == 1
    valid = np.ones((5, 5), bool)
    valid[0, 0] = False                       # nodata: not part of any neighbourhood
    features, kept = recipe.features(data, valid)
    row_of = {int(flat): i for i, flat in enumerate(np.flatnonzero(kept))}  # pixel -> feature row
    centre, beside_nodata = features[row_of[12]], features[row_of[1]]       # (2, 2) and (0, 1)
    window = data[0, 1:4, 1:4]
    assert centre.tolist() == pytest.approx([12.0, window.mean(), window.std()], abs=1e-4)
    assert beside_nodata[1] == pytest.approx(np.mean([1, 2, 5, 6, 7]))  # (0, 0) left out
    result = train_classifier(scene.raster, scene.train_labels, aoi_path=scene.train_aoi,
                              indices=["NDVI"], context=[5], classifier="xgboost", tune=False,
                              max_samples_per_class=800)
    assert "NDVI_std5" in result.bundle.recipe.feature_names
    out = classify_raster(scene.raster, result.bundle, str(tmp_path / "a.tif"),
                          output_confidence=str(tmp_path / "ac.tif"), memory_mb=64)
    classes, confidence = classify_in_one_piece(result.bundle, scene.raster)
    with rasterio.open(out.classes_path) as first, rasterio.open(out.confidence_path) as second:
        assert np.array_equal(first.read(1), classes)
        assert np.array_equal(second.read(1), confidence)


def test_bad_context_sizes(write_raster):
    info = read_raster_info(_raster(write_raster))
    with pytest.raises(InputError, match="CONTEXT: window sizes must be odd"):
        make_recipe(info, [1], context=[4])
