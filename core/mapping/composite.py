"""Temporal composites: the median of clear observations per period, gaps filled in time."""

import datetime
from dataclasses import dataclass

import numpy as np
import rasterio

from ..common.errors import InputError
from ..common.files import atomic_outputs
from ..common.progress import ensure_feedback
from ..rasters.access import GTIFF_OPTIONS, blockwise, check_bands, read_windows, release_memory
from ..rasters.stack import fill_gaps, open_stack

#: Nodata of composite rasters.
NODATA = -9999.0


@dataclass(frozen=True)
class Period:
    """One compositing period: its label, first and last day, and the rasters in it."""

    label: str
    start: datetime.date
    end: datetime.date
    members: tuple      # positions of the rasters (in date order) taken in this period

    @property
    def middle(self):
        return self.start + (self.end - self.start) / 2


@dataclass
class CompositeResult:
    path: str
    periods: list
    band_names: list
    empty_periods: list     # labels of periods with no raster, filled in time
    unfilled_pixels: int    # pixels with no clear observation in any period (nodata)


#: Most bands a composite may have (a 16-band stack over two years of weeks, with room to spare).
MAX_BANDS = 2000


def make_periods(dates, days=None):
    """Consecutive periods from the first to the last date: months, or ``days``-day spans.

    Periods without any date are kept (their values are filled in time), so the
    output always has one band set per period of the season.
    """
    first, last = dates[0], dates[-1]
    periods = []
    if days is None:
        year, month = first.year, first.month
        while (year, month) <= (last.year, last.month):
            start = datetime.date(year, month, 1)
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
            end = datetime.date(year, month, 1) - datetime.timedelta(days=1)
            periods.append((f"{start:%Y-%m}", start, end))
    else:
        start = first
        while start <= last:
            end = start + datetime.timedelta(days=days - 1)
            periods.append((start.isoformat(), start, end))
            start = end + datetime.timedelta(days=1)
    return [Period(label, start, end,
                   tuple(i for i, date in enumerate(dates) if start <= date <= end))
            for label, start, end in periods]


def nan_median(values):
    """Median along axis 0 ignoring NaN (NaN where every value is NaN); fast for short axes."""
    ordered = np.sort(values, axis=0)                  # NaN sorts last
    count = np.isfinite(values).sum(axis=0, keepdims=True)
    low = np.take_along_axis(ordered, np.maximum(count - 1, 0) // 2, axis=0)[0]
    high = np.take_along_axis(ordered, count // 2 - (count == 0), axis=0)[0]
    with np.errstate(invalid="ignore"):
        return np.where(count[0] > 0, (low + high) / 2, np.nan).astype(values.dtype)


@blockwise
def temporal_composite(rasters, output, *, masks=(), mask_kind="", period_days=None, bands=None,
                       memory_mb=256, feedback=None):
    """Write the per-period median composite of ``rasters`` (paths with dates in their names).

    Each period (calendar month, or ``period_days`` days from the first date)
    gets the median of the observations that are clear (valid, and clear in
    ``masks`` read as ``mask_kind``); a pixel without a clear observation in a
    period is filled by linear interpolation between the neighbouring periods
    in time, the first and last periods taking the nearest value.  Bands are
    named ``<band>_<period>``, period after period.  Works block by block.
    """
    feedback = ensure_feedback(feedback)
    if period_days is not None and period_days < 1:
        raise InputError("PERIOD_DAYS must be at least 1.")
    stack = open_stack(rasters, masks, mask_kind, distinct_dates=False, role="INPUT_RASTERS")
    if not stack.dates:
        raise InputError("INPUT_RASTERS: a composite needs the date of every raster in its file "
                         "name (YYYY-MM-DD or YYYYMMDD).")
    grid = stack.grid
    bands = check_bands(grid, bands)
    first, last = min(stack.dates), max(stack.dates)
    periods_needed = (last - first).days // period_days + 1 if period_days else \
        12 * (last.year - first.year) + last.month - first.month + 1
    if periods_needed * len(bands) > MAX_BANDS:
        raise InputError("INPUT_RASTERS: the dates run from {first} to {last}, which would "
                         "make {n_bands} output bands (at most "
                         "{max_bands}); check the dates in the file names, or give longer "
                         "PERIOD_DAYS.", first=first, last=last,
                         n_bands=periods_needed * len(bands),
                         max_bands=MAX_BANDS)
    periods = make_periods(stack.dates, period_days)
    names = [f"{grid.band_names[b - 1]}_{p.label}" for p in periods for b in bands]
    times = np.array([(p.middle - periods[0].start).days for p in periods], dtype=np.float64)
    per_pixel = 4 * len(bands) * (2 * len(stack.rasters) + 4 * len(periods)) + 16
    windows = read_windows(grid, memory_mb, per_pixel)
    profile = {**GTIFF_OPTIONS, "width": grid.width, "height": grid.height, "count": len(names),
               "dtype": "float32", "crs": grid.crs, "transform": grid.transform,
               "nodata": NODATA}
    unfilled = 0
    with atomic_outputs(output) as (temp,), stack.open() as reader, \
            rasterio.open(temp, "w", **profile) as dst:
        for band, name in enumerate(names, 1):
            dst.set_band_description(band, name)
        for done, window in enumerate(windows, 1):
            feedback.check_cancelled()
            data, valid = reader.read(bands, window)
            data[np.broadcast_to(~valid[:, None], data.shape)] = np.nan
            medians = np.full((len(periods),) + data.shape[1:], np.nan, dtype=np.float32)
            for i, period in enumerate(periods):
                if period.members:
                    medians[i] = nan_median(data[list(period.members)])
            del data
            filled = fill_gaps(medians, times)
            missing = ~np.isfinite(filled)
            unfilled += int(missing[0, 0].sum())
            filled[missing] = NODATA
            dst.write(filled.reshape((len(names),) + filled.shape[2:]), window=window)
            del medians, filled, missing
            release_memory()
            feedback.progress(done / len(windows))
    empty = [p.label for p in periods if not p.members]
    counts = dict(n_rasters=len(stack.rasters), n_periods=len(periods), n_bands=len(bands))
    if empty:
        feedback.info("{n_rasters} raster(s) composited into {n_periods} period(s) of {n_bands} "
                      "band(s); {empty} had no raster and were filled in time.",
                      empty=", ".join(empty), **counts)
    else:
        feedback.info("{n_rasters} raster(s) composited into {n_periods} period(s) of {n_bands} "
                      "band(s).", **counts)
    return CompositeResult(output, periods, names, empty, unfilled)

