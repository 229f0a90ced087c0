"""Temporal composites: medians of clear observations, periods, gap filling, blocks, cancel."""

import datetime

import numpy as np
import pytest
import rasterio

from cropseg.core.mapping.composite import NODATA, make_periods, temporal_composite
from cropseg.core.common.errors import Cancelled, InputError
from cropseg.core.common.progress import Feedback

#: Observations of one band: date, value; 2021-05-28 is cloudy at pixel (0, 1).
OBSERVATIONS = (("2021-05-03", 1.0), ("2021-05-20", 3.0), ("2021-05-28", 100.0),
                ("2021-07-15", 10.0))


@pytest.fixture
def series(write_raster):
    """Four 1-band 2 x 3 rasters and masks; (0, 2) is clear only in July, (1, 2) never valid."""
    rasters, masks = [], []
    for date, value in OBSERVATIONS:
        data = np.full((1, 2, 3), value, dtype=np.float32)
        data[0, 1, 2] = -1                                   # nodata on every date
        clear = np.ones((1, 2, 3), dtype=np.uint8)
        if date == "2021-05-28":
            clear[0, 0, 1] = 0
        if date != "2021-07-15":
            clear[0, 0, 2] = 0
        rasters.append(write_raster(data, name=f"ndvi_{date}.tif", nodata=-1,
                                    descriptions=("ndvi",)))
        masks.append(write_raster(clear, name=f"mask_{date}.tif"))
    return rasters, masks


def test_monthly_medians_and_gap_filling_known_answers(series, tmp_path):
    rasters, masks = series
    out = str(tmp_path / "composite.tif")
    result = temporal_composite(rasters[::-1], out, masks=masks[::-1], mask_kind="nonzero")
    assert result.band_names == ["ndvi_2021-05", "ndvi_2021-06", "ndvi_2021-07"]
    assert result.empty_periods == ["2021-06"] and result.unfilled_pixels == 1
    with rasterio.open(out) as src:
        values = src.read()
        assert list(src.descriptions) == result.band_names and src.nodata == NODATA
    may, july = 15, 76                  # middle days after 1 May: 16 May, 15 June, 16 July
    june = 3 + (10 - 3) * (45 - may) / (july - may)
    np.testing.assert_allclose(values[:, 0, 0], [3, june, 10], rtol=1e-6)   # median of 1, 3, 100
    np.testing.assert_allclose(values[0, 0, 1], 2)                          # cloud left out
    np.testing.assert_allclose(values[:, 0, 2], [10, 10, 10])               # nearest at the ends
    assert np.all(values[:, 1, 2] == NODATA)


def test_periods_of_n_days():
    dates = [datetime.date(2021, 5, 3), datetime.date(2021, 7, 15)]
    periods = make_periods(dates, 30)
    assert [p.label for p in periods] == ["2021-05-03", "2021-06-02", "2021-07-02"]
    assert [p.members for p in periods] == [(0,), (), (1,)]
    assert periods[0].end == datetime.date(2021, 6, 1)


def test_block_wise_equals_whole_and_cancel_leaves_nothing(season, tmp_path):
    rasters, masks, _ = season
    paths = [str(tmp_path / name) for name in ("small.tif", "whole.tif")]
    for path, memory in zip(paths, (1, 4096)):
        temporal_composite(rasters, path, masks=masks, mask_kind="udm2", period_days=45,
                           memory_mb=memory)
    with rasterio.open(paths[0]) as small, rasterio.open(paths[1]) as whole:
        assert small.count == 3 * 4 and np.array_equal(small.read(), whole.read())
        assert small.descriptions[:2] == ("blue_2024-05-19", "green_2024-05-19")
    cancelled = Feedback(is_cancelled=lambda: True)
    with pytest.raises(Cancelled):
        temporal_composite(rasters, str(tmp_path / "c.tif"), feedback=cancelled)
    assert not (tmp_path / "c.tif").exists()


def test_bad_composites(series, write_raster, tmp_path):
    rasters, _ = series
    undated = write_raster(np.ones((1, 2, 3), np.float32), name="a.tif")
    out = str(tmp_path / "c.tif")
    with pytest.raises(InputError, match="INPUT_RASTERS: a composite needs the date"):
        temporal_composite([undated, write_raster(np.ones((1, 2, 3), np.float32),
                                                  name="b.tif")], out)
    with pytest.raises(InputError, match="needs rasters of at least two dates"):
        temporal_composite(rasters[:1], out)
    with pytest.raises(InputError, match="PERIOD_DAYS must be at least 1"):
        temporal_composite(rasters, out, period_days=0)
    with pytest.raises(InputError, match="BANDS: band\\(s\\) 2 do not exist"):
        temporal_composite(rasters, out, bands=[2])
    centuries = [write_raster(np.ones((4, 2, 3), np.float32), name=f"s_{year}-06-01.tif")
                 for year in (1826, 2026)]
    with pytest.raises(InputError, match="^INPUT_RASTERS: the dates run from 1826-06-01 to "
                                         "2026-06-01, which would make 9604 output bands"):
        temporal_composite(centuries, out)
    with pytest.raises(InputError, match="which would make 292200 output bands"):
        temporal_composite(centuries, out, period_days=1)
    assert not (tmp_path / "c.tif").exists()


@pytest.mark.parametrize("dates", [1, 2, 3, 6])
def test_nan_median_equals_numpy(dates):
    import warnings

    from cropseg.core.mapping.composite import nan_median

    rng = np.random.default_rng(dates)
    values = rng.random((dates, 40, 30)).astype(np.float32)
    values[rng.random(values.shape) < 0.4] = np.nan
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)       # all-NaN pixels
        expected = np.nanmedian(values, axis=0)
    np.testing.assert_allclose(nan_median(values), expected, rtol=1e-6, equal_nan=True)
