"""Time stacks: dates, alignment, masks, gap filling, summaries, and models that use them."""

import datetime

import numpy as np
import pytest
import rasterio
from rasterio.transform import from_origin

from cropseg.core.common.errors import InputError
from cropseg.core.model.features import make_recipe
from cropseg.core.rasters.stack import date_in_name, fill_gaps, open_stack

NAMES = ("red", "nir")


def _date_raster(write_raster, date, red, nir, **options):
    """A 2-band (red, nir) reflectance raster named after ``date``."""
    data = np.stack([np.asarray(red, np.float32), np.asarray(nir, np.float32)])
    return write_raster(data, name=f"s2_{date}.tif", descriptions=NAMES, **options)


def test_dates_from_names():
    assert date_in_name("/x/s2_l1c_2015-07-11_13bands.tif") == datetime.date(2015, 7, 11)
    assert date_in_name("20160831_180302_0e26_3B_AnalyticMS.tif") == datetime.date(2016, 8, 31)
    assert date_in_name("S2A_MSIL2A_20230615T103031_N0509.tif") == datetime.date(2023, 6, 15)
    assert date_in_name("scene_2015_13_45.tif") is None and date_in_name("b8.tif") is None


@pytest.mark.parametrize("values, times, expected", [
    ([1, np.nan, 3, np.nan], [0, 1, 2, 4], [1, 2, 3, 3]),
    ([np.nan, 10, np.nan, 40], [1, 2, 4, 5], [10, 10, 30, 40]),
    ([np.nan, np.nan, 5, np.nan], [1, 2, 3, 4], [5, 5, 5, 5]),
    ([np.nan, np.nan], [1, 2], [np.nan, np.nan]),
])
def test_gap_filling_known_answers(values, times, expected):
    filled = fill_gaps(np.array(values, dtype=np.float32)[:, None], times)[:, 0]
    np.testing.assert_allclose(filled, expected)


def test_stack_is_in_date_order_and_features_by_hand(write_raster):
    """Per-date NDVI, the gap a mask leaves filled in time, and summaries of clear dates."""
    shape = (3, 4)
    ndvi = {"2021-06-10": 0.5, "2021-05-01": 0.2, "2021-07-20": 0.6}   # listed out of order
    paths = [_date_raster(write_raster, d, np.full(shape, (1 - v) / 10),
                          np.full(shape, (1 + v) / 10)) for d, v in ndvi.items()]
    cloud = np.ones((1,) + shape, np.uint8)
    cloud[0, 1, 2] = 0                                                   # cloudy on 2021-06-10
    cloudy = write_raster(cloud, name="cloudy.tif")
    clear = [write_raster(np.ones((1,) + shape, np.uint8), name=f"clear{i}.tif") for i in (1, 2)]
    stack = open_stack(paths, [cloudy] + clear, "nonzero")    # masks listed as the rasters
    assert [d.isoformat() for d in stack.dates] == ["2021-05-01", "2021-06-10", "2021-07-20"]
    assert [m.path for m in stack.masks] == [clear[0], cloudy, clear[1]]
    recipe = make_recipe(stack.grid, [1], ["NDVI"], stack=stack)
    assert recipe.feature_names == [
        "red_2021-05-01", "NDVI_2021-05-01", "red_2021-06-10", "NDVI_2021-06-10",
        "red_2021-07-20", "NDVI_2021-07-20",
        "NDVI_min", "NDVI_max", "NDVI_mean", "NDVI_amplitude", "NDVI_maxday"]
    with stack.open() as reader:
        data, valid = reader.read(recipe.read_bands, rasterio.windows.Window(0, 0, 4, 3))
    assert data.shape == (3, 2, 3, 4) and valid.sum() == 3 * 12 - 1
    features, kept = recipe.features(data, valid, times=recipe.times(stack))
    assert kept.all()
    row = dict(zip(recipe.feature_names, features[1 * 4 + 2]))          # the cloudy pixel
    days = [121, 161, 201]                                               # days of 2021
    assert row["NDVI_2021-06-10"] == pytest.approx(0.2 + 0.4 * (161 - 121) / (201 - 121))
    assert row["red_2021-06-10"] == pytest.approx((0.08 + 0.04) / 2)
    assert row["NDVI_min"] == pytest.approx(0.2) and row["NDVI_max"] == pytest.approx(0.6)
    assert row["NDVI_mean"] == pytest.approx(0.4) and row["NDVI_amplitude"] == pytest.approx(0.4)
    assert row["NDVI_maxday"] == days[2]
    clear = dict(zip(recipe.feature_names, features[0]))
    assert clear["NDVI_2021-06-10"] == pytest.approx(0.5)
    assert clear["NDVI_mean"] == pytest.approx(np.mean([0.2, 0.5, 0.6]))


def test_rasters_on_other_grids_are_aligned_onto_the_first(write_raster):
    """A later date on a larger grid shifted by whole pixels, and one in another CRS."""
    rng = np.random.default_rng(0)
    red, nir = rng.uniform(0.05, 0.1, (2, 20, 30)).astype(np.float32)
    first = _date_raster(write_raster, "2020-05-01", red[5:15, 10:25], nir[5:15, 10:25],
                         transform=from_origin(500100.0, 4999950.0, 10.0, 10.0))
    larger = _date_raster(write_raster, "2020-06-01", red, nir)          # origin 500000, 5e6
    stack = open_stack([larger, first])
    assert stack.grid.path == first
    with stack.open() as reader:
        data, valid = reader.read([1, 2], rasterio.windows.Window(0, 0, 15, 10))
    assert valid.all()
    np.testing.assert_array_equal(data[1], data[0])
    far = _date_raster(write_raster, "2020-07-01", red, nir, crs="EPSG:32610")
    with pytest.raises(InputError, match=r"TIME_STACK: 's2_2020-07-01.tif' \(EPSG:32610\) "
                                         r"does not overlap 's2_2020-05-01.tif'"):
        open_stack([first, far])


def test_part_covered_dates_are_filled_from_the_others(write_raster):
    ones = np.ones((6, 8), np.float32)
    first = _date_raster(write_raster, "2020-05-01", 0.1 * ones, 0.3 * ones)
    half = _date_raster(write_raster, "2020-06-01", 0.1 * ones[:, :4], 0.5 * ones[:, :4])
    stack = open_stack([first, half])
    recipe = make_recipe(stack.grid, [], ["NDVI"], stack=stack)
    with stack.open() as reader:
        data, valid = reader.read(recipe.read_bands, rasterio.windows.Window(0, 0, 8, 6))
    assert valid[0].all() and valid[1][:, :4].all() and not valid[1][:, 4:].any()
    features, kept = recipe.features(data, valid, times=recipe.times(stack))
    ndvi_june = features[:, 1].reshape(6, 8)
    np.testing.assert_allclose(ndvi_june[:, :4], 4 / 6, rtol=1e-6)
    np.testing.assert_allclose(ndvi_june[:, 4:], 0.5, rtol=1e-6)     # the May value, nearest


def test_udm2_and_scl_masks(write_raster):
    from cropseg.core.rasters.stack import SCL_CLEAR, clear_pixels

    window = rasterio.windows.Window(0, 0, 12, 1)
    scl = write_raster(np.arange(12, dtype=np.uint8).reshape(1, 1, 12), name="scl.tif")
    with rasterio.open(scl) as mask:
        assert np.flatnonzero(clear_pixels(mask, None, window, "scl")).tolist() == list(SCL_CLEAR)
    udm2 = np.zeros((8, 1, 12), np.uint8)
    udm2[0, 0, :5] = 1
    with rasterio.open(write_raster(udm2, name="udm2.tif")) as mask:
        assert np.flatnonzero(clear_pixels(mask, None, window, "udm2")).tolist() == [0, 1, 2, 3, 4]


@pytest.mark.parametrize("case, message", [
    ("one date", "a time stack needs rasters of at least two dates"),
    ("mixed names", r"no date in the name of undated.tif"),
    ("same day", "several rasters on 2020-05-01; merge them first"),
    ("other bands", "has 3 band\\(s\\) but 's2_2020-05-01.tif' has 2"),
    ("masks", "MASKS: 1 mask\\(s\\) for 2 raster\\(s\\)"),
    ("udm2", "MASKS: 'm.tif' has 1 band\\(s\\); a UDM2 file has 8"),
])
def test_bad_time_stacks(write_raster, case, message):
    ones = np.ones((4, 4), np.float32)
    first = _date_raster(write_raster, "2020-05-01", ones, ones)
    second = _date_raster(write_raster, "2020-06-01", ones, ones)
    mask = write_raster(np.ones((1, 4, 4), np.uint8), name="m.tif")
    stacks = {
        "one date": ([first], ()),
        "mixed names": ([first, write_raster(np.ones((2, 4, 4), np.float32),
                                             name="undated.tif")], ()),
        "same day": ([first, write_raster(np.ones((2, 4, 4), np.float32),
                                          name="b_20200501.tif")], ()),
        "other bands": ([first, write_raster(np.ones((3, 4, 4), np.float32),
                                             name="c_2020-06-01.tif")], ()),
        "masks": ([first, second], [mask]),
        "udm2": ([first, second], [mask, mask]),
    }
    rasters, masks = stacks[case]
    with pytest.raises(InputError, match=message):
        open_stack(rasters, masks, "udm2")


def test_season_model_classifies_block_wise_and_refuses_other_inputs(season, tmp_path,
                                                                   classify_in_one_piece):
    from cropseg.core.mapping.classify import classify_raster
    from cropseg.core.model.bundle import load_model
    from cropseg.core.learn.train import save_training, train_classifier

    rasters, masks, scene = season
    result = train_classifier(rasters[::-1], scene.all_parcels, label_field="crop_type",
                              masks=masks[::-1], mask_kind="udm2", indices=["NDVI"],
                              context=[3], classifier="xgboost", tune=False,
                              max_samples_per_class=600)
    save_training(result, str(tmp_path / "season.cropseg"))
    model = load_model(str(tmp_path / "season.cropseg"))
    recipe = model.recipe
    assert recipe.n_dates == 4 and recipe.mask_kind == "udm2"
    assert recipe.dates == ("2024-05-19", "2024-06-18", "2024-07-18", "2024-08-17")
    assert "NDVI_std3_2024-06-18" in recipe.feature_names and "NDVI_maxday" in recipe.feature_names
    # The smallest budget gives small strips and blocks; the whole stack is the reference.
    out = classify_raster(rasters, model, str(tmp_path / "a.tif"), masks=masks,
                          mask_kind="udm2", memory_mb=64)
    classes, _ = classify_in_one_piece(model, rasters, masks, "udm2")
    with rasterio.open(out.classes_path) as src:
        assert np.array_equal(src.read(1), classes)
    with pytest.raises(InputError, match="TIME_STACK has 3 dates but the model was trained "
                                         "on 4"):
        classify_raster(rasters[:3], model, str(tmp_path / "c.tif"), masks=masks[:3],
                        mask_kind="udm2")
    with pytest.raises(InputError, match="INPUT_RASTER: the model was trained on a time stack"):
        classify_raster(rasters[0], model, str(tmp_path / "c.tif"))
    with pytest.raises(InputError, match="MASKS: the model was trained with a cloud mask"):
        classify_raster(rasters, model, str(tmp_path / "c.tif"))
    assert not (tmp_path / "c.tif").exists()


def test_single_raster_model_refuses_a_time_stack(season, tmp_path):
    from cropseg.core.mapping.classify import classify_raster
    from cropseg.core.learn.train import train_classifier

    rasters, _, scene = season
    result = train_classifier(scene.raster, scene.all_parcels, label_field="crop_type",
                              tune=False, max_samples_per_class=200)
    with pytest.raises(InputError, match="the model was trained on a single raster"):
        classify_raster(rasters, result.bundle, str(tmp_path / "c.tif"))


def _plain_stack_features(recipe, data, valid, times):
    """Time-stack features by the documented rule, one date at a time and one array for the
    whole season: each date's features, NaN where not clear, gaps filled by ``fill_gaps``
    over all features at once.  The recipe has no index summaries."""
    from dataclasses import replace

    single = replace(recipe, n_dates=0, dates=(), mask_kind="")
    season = np.full((len(data), len(single.feature_names)) + valid.shape[1:], np.nan,
                     dtype=np.float32)
    for date, (bands, clear) in enumerate(zip(data, valid)):
        features, usable = single.features(bands, clear)
        season[date][:, usable] = features.T
    season = fill_gaps(season, times)
    usable = np.isfinite(season).all(axis=(0, 1))
    return season[:, :, usable].reshape(-1, int(usable.sum())).T, usable


def _assert_stack_classified_by_the_plain_rule(rasters, masks, model, folder):
    from cropseg.core.mapping.classify import classify_raster

    stack = open_stack(rasters, masks, "nonzero")
    with stack.open() as reader:
        data, valid = reader.read(model.recipe.read_bands, rasterio.windows.Window(
            0, 0, stack.grid.width, stack.grid.height))
    assert (valid.any(axis=0) & ~valid.all(axis=0)).mean() > 0.2     # pixels with gaps
    times = model.recipe.times(stack)
    expected, usable = _plain_stack_features(model.recipe, data, valid, times)
    features, kept = model.recipe.features(data, valid, times=times)
    assert np.array_equal(kept, usable) and np.array_equal(features, expected)
    out = classify_raster(rasters, model, str(folder / "classes.tif"), masks=masks,
                          mask_kind="nonzero", memory_mb=64)
    with rasterio.open(out.classes_path) as src:
        classes = src.read(1)
    proba = model.predictor()(expected)
    assert np.array_equal(classes[usable], model.class_values[np.argmax(proba, axis=1)])


def _cloud_masks(write_raster, rasters, seed):
    """A generated 'nonzero' mask per raster: blobs of cloud over about a fifth of it."""
    import cv2

    rng = np.random.default_rng(seed)
    with rasterio.open(rasters[0]) as src:
        shape, options = src.shape, {"crs": src.crs, "transform": src.transform}
    masks = []
    for i, _ in enumerate(rasters):
        noise = cv2.GaussianBlur(rng.random(shape).astype(np.float32), (0, 0), 3)
        clear = (noise < np.quantile(noise, 0.8)).astype(np.uint8)[None]
        masks.append(write_raster(clear, name=f"clear_{i}.tif", **options))
    return masks


def test_season_classified_by_the_plain_rule(season, write_raster, tmp_path):
    from cropseg.core.learn.train import train_classifier

    rasters, _, scene = season
    masks = _cloud_masks(write_raster, rasters, seed=1)
    model = train_classifier(rasters, scene.all_parcels, label_field="crop_type", masks=masks,
                             mask_kind="nonzero", context=[5], classifier="random_forest",
                             tune=False, max_samples_per_class=600).bundle
    _assert_stack_classified_by_the_plain_rule(rasters, masks, model, tmp_path)


def test_real_season_classified_by_the_plain_rule(real_data, write_raster, tmp_path):
    from cropseg.core.learn.train import train_classifier

    dates = ("2015-07-11", "2015-07-31", "2015-08-20", "2015-08-30", "2015-09-09")
    rasters = [real_data("eolearn_slovenia_s2", f"s2_l1c_{d}_13bands.tif") for d in dates]
    masks = _cloud_masks(write_raster, rasters, seed=2)
    labels = real_data("eolearn_slovenia_s2", "LULC.gpkg")
    model = train_classifier(rasters, labels, label_field="LULC_NAME", masks=masks,
                             mask_kind="nonzero", bands=[2, 3, 4, 8], context=[3],
                             classifier="random_forest", tune=False,
                             max_samples_per_class=500).bundle
    _assert_stack_classified_by_the_plain_rule(rasters, masks, model, tmp_path)
