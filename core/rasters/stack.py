"""Rasters as a time series: dates, alignment on one grid, clear-sky masks, gap filling.

A :class:`RasterStack` is one raster, or several rasters of the same bands
taken on different dates.  Every raster (and its optional mask) is read on the
grid of the first raster in date order; rasters on another grid or CRS are
warped onto it on the fly (nearest neighbour), so pixels they do not cover are
simply not clear on that date.
"""

import contextlib
import datetime
import os
import re
from dataclasses import dataclass

import numpy as np
import rasterio

from ..common.errors import InputError
from .access import read_raster_info, read_valid

#: How a mask raster says that a pixel is clear, in its band ``MASK_BAND``.
MASK_KINDS = ("udm2", "scl", "nonzero")
MASK_BAND = 1  # UDM2's "clear" band; the only band of SCL and other masks
MASK_KIND_LABELS = {"udm2": "PlanetScope UDM2 (band 1 'clear')",
                    "scl": "Sentinel-2 scene classification (SCL)",
                    "nonzero": "Any raster: non-zero is clear"}

#: Sentinel-2 SCL classes kept as clear: vegetation, not vegetated, water, snow.  Nodata,
#: saturated, dark/shadow, cloud shadow, unclassified, clouds and cirrus are masked.
SCL_CLEAR = (4, 5, 6, 11)

#: Dates in file names: 2015-07-11, 2015_07_11 or 20150711 (Planet and Sentinel-2 names).
_DATE = re.compile(r"(?<!\d)(\d{4})[-_]?(\d{2})[-_]?(\d{2})(?!\d)")


def date_in_name(path):
    """The first valid calendar date in the file name of ``path``, or None."""
    for match in _DATE.finditer(os.path.basename(str(path))):
        try:
            return datetime.date(*(int(part) for part in match.groups()))
        except ValueError:
            continue
    return None


@dataclass(frozen=True)
class RasterStack:
    """Rasters in date order (one for a single-date raster) with optional per-date masks."""

    rasters: tuple          # RasterInfo per date, in date order
    dates: tuple = ()       # datetime.date per raster when every name has one
    masks: tuple = ()       # mask RasterInfo per raster, or none
    mask_kind: str = ""     # one of MASK_KINDS when there are masks

    @property
    def grid(self):
        """The first raster: the grid every date is read on."""
        return self.rasters[0]

    @property
    def is_time_series(self):
        return len(self.rasters) > 1

    @property
    def day_numbers(self):
        """Days since 1 January of the first date's year (day of year, continued past 365)."""
        start = datetime.date(self.dates[0].year, 1, 1)
        return np.array([(date - start).days + 1 for date in self.dates], dtype=np.float64)

    @contextlib.contextmanager
    def open(self):
        """A reader of aligned windows: ``read(bands, window)`` -> (T, B, h, w), (T, h, w)."""
        with contextlib.ExitStack() as stack:
            sources = [stack.enter_context(_aligned(info, self.grid)) for info in self.rasters]
            masks = [stack.enter_context(_aligned(info, self.grid)) for info in self.masks]
            yield _StackReader(sources, masks, self.mask_kind)


class _StackReader:
    def __init__(self, sources, masks, mask_kind):
        self.sources, self.masks, self.mask_kind = sources, masks, mask_kind

    def read(self, bands, window):
        """Band values (dates, bands, rows, cols) as float32, clear pixels (dates, rows, cols)."""
        data, valid = zip(*(_read_covered(source, bands, window) for source in self.sources))
        data, valid = _stacked(data), _stacked(valid)
        for date, mask in enumerate(self.masks):
            valid[date] &= clear_pixels(*mask, window, self.mask_kind)
        return data, valid


def _stacked(arrays):
    """The arrays stacked on a new first axis; one array becomes a view, not a copy."""
    return arrays[0][None] if len(arrays) == 1 else np.stack(arrays)


def _read_covered(source, bands, window):
    """read_valid of an aligned source, without the pixels its raster does not cover."""
    dataset, coverage_band = source
    data, valid = read_valid(dataset, bands, window)
    if coverage_band:
        valid &= dataset.read(coverage_band, window=window) > 0
    return data, valid


def clear_pixels(mask, coverage_band, window, kind):
    """Pixels of ``window`` that ``mask`` (an open mask raster) marks clear.

    ``coverage_band`` is the band that is zero outside the mask's own extent
    when it is read through a warped view, or None.
    """
    values = mask.read(MASK_BAND, window=window)
    inside = mask.read_masks(MASK_BAND, window=window) > 0
    if coverage_band:
        inside &= mask.read(coverage_band, window=window) > 0
    if kind == "scl":
        return inside & np.isin(values, SCL_CLEAR)
    if kind == "udm2":
        return inside & (values == 1)
    return inside & (values != 0)


def open_stack(rasters, masks=(), mask_kind="", *, distinct_dates=True, role="TIME_STACK"):
    """A :class:`RasterStack` of one raster (a path) or a time series (a list of paths).

    A list needs at least two rasters, with the same band count and names as the
    first.  When every file name holds a date the rasters are put in date order
    (``distinct_dates`` refuses two on one day); when none does, the listed order
    is the date order.  ``masks`` are one mask raster per raster, in the listed
    order, read as ``mask_kind``.
    """
    single = isinstance(rasters, (str, os.PathLike))
    paths = [rasters] if single else list(rasters)
    masks = list(masks or ())
    if not single and len(paths) < 2:
        raise InputError("{role}: a time stack needs rasters of at least two dates.", role=role)
    if masks and len(masks) != len(paths):
        raise InputError("MASKS: {n_masks} mask(s) for {n_paths} raster(s); give one "
                         "mask per raster, in the same order.", n_masks=len(masks),
                         n_paths=len(paths))
    if masks and mask_kind not in MASK_KINDS:
        raise InputError("MASK_TYPE must be one of {mask_kinds}.", mask_kinds=", ".join(MASK_KINDS))
    infos = [read_raster_info(path, role=role if not single else "INPUT_RASTER")
             for path in paths]
    mask_infos = [read_raster_info(path, role="MASKS") for path in masks]
    dates = [] if single else _dates(paths, distinct_dates, role)
    if dates:
        order = sorted(range(len(paths)), key=lambda i: dates[i])
        infos, dates = [infos[i] for i in order], [dates[i] for i in order]
        mask_infos = [mask_infos[i] for i in order] if mask_infos else []
    for info in infos[1:]:
        _check_same_bands(info, infos[0], role)
    for info in infos[1:] + mask_infos:
        _check_overlap(info, infos[0], role)
    for info in mask_infos:
        if mask_kind == "udm2" and info.count < 8:
            raise InputError("MASKS: '{mask}' has {count} band(s); a UDM2 file "
                             "has 8.", mask=_name(info), count=info.count)
    return RasterStack(tuple(infos), tuple(dates), tuple(mask_infos),
                       mask_kind if mask_infos else "")


def fill_gaps(values, times):
    """Fill NaN along axis 0 by linear interpolation in ``times``; ends take the nearest value.

    ``values`` has time first (any further axes); positions with no finite
    value at any time stay NaN.
    """
    return GapFilling(np.isfinite(values), times).fill(values)


class GapFilling:
    """How to fill the gaps of series that are present (``present``: time first, any further
    axes) at ``times``: each gap takes the linear interpolation of the nearest present
    values before and after it in time; a gap at an end takes the nearest value.  Worked
    out once, it fills any number of series with the same gaps (``fill``)."""

    def __init__(self, present, times):
        times = np.asarray(times, dtype=np.float64)
        count = present.shape[0]
        position = np.arange(count, dtype=np.int32).reshape((count,) + (1,) * (present.ndim - 1))
        before = np.maximum.accumulate(np.where(present, position, -1), axis=0)
        after = np.minimum.accumulate(np.where(present, position, count)[::-1], axis=0)[::-1]
        self.present = present
        self.has_before, self.has_after = before >= 0, after < count
        self.before, self.after = np.clip(before, 0, count - 1), np.clip(after, 0, count - 1)
        t_low, t_high, t_now = times[self.before], times[self.after], times[position]
        with np.errstate(divide="ignore", invalid="ignore"):
            self.weight = np.where(t_high > t_low, (t_now - t_low) / (t_high - t_low), 0.0)

    def fill(self, values):
        """``values`` (shaped like ``present``) with their gaps filled."""
        low = np.take_along_axis(values, self.before, axis=0)
        high = np.take_along_axis(values, self.after, axis=0)
        between = (low + self.weight * (high - low)).astype(values.dtype)
        filled = np.where(self.has_before & self.has_after, between,
                          np.where(self.has_before, low, high))
        return np.where(self.present, values, filled)


def _dates(paths, distinct, role):
    dates = [date_in_name(path) for path in paths]
    if all(date is None for date in dates):
        return []
    undated = [os.path.basename(str(p)) for p, d in zip(paths, dates) if d is None]
    if undated:
        raise InputError("{role}: no date in the name of {undated}; put a date "
                         "(YYYY-MM-DD or YYYYMMDD) in every name, or in none and list the "
                         "rasters in date order.", role=role, undated=", ".join(undated))
    if distinct and len(set(dates)) < len(dates):
        twice = sorted({d for d in dates if dates.count(d) > 1})
        raise InputError("{role}: several rasters on {date}; merge them first "
                         "(Temporal composite), so each date appears once.", role=role,
                         date=twice[0].isoformat())
    return dates


def _check_same_bands(info, first, role):
    if info.count != first.count:
        raise InputError("{role}: '{raster}' has {count} band(s) but '{first}' has "
                         "{first_count}; every date needs the same bands.", role=role,
                         raster=_name(info), count=info.count, first=_name(first),
                         first_count=first.count)
    if info.band_names != first.band_names and all(
            not n.startswith("band_") for n in info.band_names + first.band_names):
        raise InputError("{role}: the bands of '{raster}' ({band_names}) "
                         "differ from those of '{first}'.", role=role, raster=_name(info),
                         band_names=", ".join(info.band_names), first=_name(first))


def _check_overlap(info, grid, role):
    from rasterio.warp import transform_bounds
    from shapely.geometry import box

    try:
        bounds = transform_bounds(info.crs, grid.crs, *info.bounds)
        overlaps = np.all(np.isfinite(bounds)) and box(*bounds).intersects(box(*grid.bounds))
    except (rasterio.errors.CRSError, ValueError):
        overlaps = False
    if not overlaps:
        raise InputError("{role}: '{raster}' ({crs}) does not overlap "
                         "'{grid}' ({grid_crs}), the first date, whose grid "
                         "the stack is read on.", role=role, raster=_name(info),
                         crs=info.crs.to_string(), grid=_name(grid), grid_crs=grid.crs.to_string())


@contextlib.contextmanager
def _aligned(info, grid):
    """``info`` opened on ``grid``: (dataset, coverage band or None).

    A raster on another grid is read through a warped view with an added alpha
    band, the coverage band, that is zero where the raster has no data.
    """
    with rasterio.open(info.path) as src:
        if info.crs == grid.crs and info.transform == grid.transform and \
                (info.width, info.height) == (grid.width, grid.height):
            yield src, None
            return
        from rasterio.enums import Resampling
        from rasterio.vrt import WarpedVRT

        with WarpedVRT(src, crs=grid.crs, transform=grid.transform, width=grid.width,
                       height=grid.height, resampling=Resampling.nearest,
                       add_alpha=True) as vrt:
            yield vrt, vrt.count


def _name(info):
    return os.path.basename(info.path)
