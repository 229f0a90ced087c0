"""Raster access: metadata checks, block windows, validity masks, safe outputs."""

import ctypes
import ctypes.util
import functools
import math
import os
from dataclasses import dataclass

import numpy as np
import rasterio
from rasterio.enums import MaskFlags
from rasterio.windows import Window

from ..common.errors import InputError

#: Side of the square blocks outputs are tiled in; processing blocks are multiples of it.
TILE = 256

#: GDAL block cache during block-wise work (bytes). GDAL's default, 5% of RAM, fills with
#: tiles of large rasters, so memory would grow with the raster; rasterio.Env restores the
#: previous size afterwards (inside QGIS the cache is shared with map rendering).
GDAL_CACHE_BYTES = 64 * 1024 * 1024

GTIFF_OPTIONS = {
    "driver": "GTiff",
    "tiled": True,
    "blockxsize": TILE,
    "blockysize": TILE,
    "compress": "deflate",
    "BIGTIFF": "IF_SAFER",
}


@dataclass(frozen=True)
class RasterInfo:
    """What cropseg needs to know about an input raster."""

    path: str
    width: int
    height: int
    count: int
    crs: object
    transform: object
    band_names: tuple
    dtypes: tuple
    block_shape: tuple = (TILE, TILE)  # (rows, cols) of the file's storage blocks

    @property
    def pixel_size(self):
        """(x, y) pixel size in map units."""
        return (abs(self.transform.a), abs(self.transform.e))

    @property
    def bounds(self):
        """(left, bottom, right, top) in the raster CRS."""
        west, south, east, north = rasterio.transform.array_bounds(
            self.height, self.width, self.transform)
        return (west, south, east, north)


def read_raster_info(path, *, role="INPUT_RASTER"):
    """Open ``path`` and return its :class:`RasterInfo`.

    Raises
    ------
    InputError
        When the file cannot be read as a raster or has no coordinate reference system.
    """
    try:
        with rasterio.open(path) as src:
            names = tuple(
                (desc or "").strip() or f"band_{i}" for i, desc in enumerate(src.descriptions, 1)
            )
            info = RasterInfo(path=str(path), width=src.width, height=src.height,
                              count=src.count, crs=src.crs, transform=src.transform,
                              band_names=names, dtypes=tuple(src.dtypes),
                              block_shape=tuple(src.block_shapes[0]))
            # The last pixel lies in the file's last block: a truncated file fails here.
            src.read(src.count, window=Window(src.width - 1, src.height - 1, 1, 1))
    except rasterio.errors.RasterioIOError as exc:
        raise InputError("{role}: cannot read '{path}' as a raster; is it truncated or "
                         "corrupt? ({exc})", role=role, path=path, exc=_short(exc)) from None
    if info.crs is None:
        raise InputError("{role}: '{path}' has no coordinate reference "
                         "system; assign one (Raster > Projections > Assign Projection) and retry.",
                         role=role, path=os.path.basename(str(path)))
    if info.transform.b != 0 or info.transform.d != 0:
        raise InputError("{role}: '{path}' is rotated; warp it to a "
                         "north-up grid first.", role=role, path=os.path.basename(str(path)))
    return info


def check_bands(info, bands, *, role="BANDS"):
    """Return ``bands`` (1-based) or all bands, refusing indices the raster lacks."""
    if not bands:
        return list(range(1, info.count + 1))
    bad = [b for b in bands if not 1 <= b <= info.count]
    if bad:
        raise InputError("{role}: band(s) {bands} do not exist; the raster has {count} "
                         "band(s).", role=role, bands=", ".join(map(str, bad)), count=info.count)
    if len(set(bands)) != len(bands):
        raise InputError("{role}: a band is listed twice.", role=role)
    return list(bands)


def block_side(memory_mb, bytes_per_pixel, *, minimum=TILE, maximum=8 * TILE):
    """Side in pixels of square blocks whose working set fits ``memory_mb``."""
    pixels = max(memory_mb, 0) * 1024 * 1024 / max(bytes_per_pixel, 1)
    side = int(math.sqrt(pixels)) // TILE * TILE
    return int(min(max(side, minimum), maximum))


def read_windows(info, memory_mb, bytes_per_pixel, *, max_side=8 * TILE):
    """Windows covering ``info``'s grid whose working set fits ``memory_mb``, in its layout.

    Tiled files are read in square blocks of whole tiles.  Striped files wider
    than a block are read in bands of whole strips: a square block would decode
    every compressed strip it crosses once per block across (a 4-band 8000 px
    scene classified 1.5x slower).
    """
    side = block_side(memory_mb, bytes_per_pixel, maximum=max_side)
    if not info.block_shape[1] >= info.width > side:
        return list(block_windows(info.width, info.height, side))
    strip_rows = info.block_shape[0]
    rows = max(side * side // info.width // strip_rows, 1) * strip_rows
    return [Window(0, row, info.width, min(rows, info.height - row))
            for row in range(0, info.height, rows)]


def block_windows(width, height, side):
    """Yield windows of ``side`` x ``side`` pixels covering the grid, row by row."""
    for row in range(0, height, side):
        for col in range(0, width, side):
            yield Window(col, row, min(side, width - col), min(side, height - row))


def window_with_halo(window, halo, width, height):
    """The window grown by ``halo`` (clipped to the raster) and the slices of the original."""
    col0, row0 = int(window.col_off), int(window.row_off)
    cols, rows = int(window.width), int(window.height)
    left, top = min(halo, col0), min(halo, row0)
    right, bottom = min(halo, width - col0 - cols), min(halo, height - row0 - rows)
    outer = Window(col0 - left, row0 - top, cols + left + right, rows + top + bottom)
    return outer, (slice(top, top + rows), slice(left, left + cols))


def read_valid(src, bands, window):
    """Read ``bands`` in ``window`` as float32 with a mask of valid pixels.

    A pixel is valid when it is valid (not nodata, not masked) in every band
    and every value is finite.
    """
    data = src.read(bands, window=window, out_dtype="float32")
    if all(src.mask_flag_enums[b - 1] == [MaskFlags.all_valid] for b in bands):
        valid = np.ones(data.shape[1:], dtype=bool)     # no nodata, no mask: nothing to read
    else:
        valid = np.all(src.read_masks(bands, window=window) > 0, axis=0)
    if any(np.dtype(src.dtypes[b - 1]).kind == "f" for b in bands):
        valid &= np.all(np.isfinite(data), axis=0)
    return data, valid


def _load_malloc_trim():
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim
    except (OSError, AttributeError):  # not glibc: nothing to trim
        return None


_MALLOC_TRIM = _load_malloc_trim()


def pixel_area_m2(info):
    """Area of one pixel of ``info`` in square metres (at the raster centre for degrees)."""
    width, height = info.pixel_size
    if info.crs.is_geographic:
        latitude = (info.bounds[1] + info.bounds[3]) / 2
        metres = 111_320.0  # per degree of latitude; longitude shrinks with its cosine
        return width * metres * math.cos(math.radians(latitude)) * height * metres
    factor = info.crs.linear_units_factor[1]
    return width * height * factor * factor


def pixels_for_hectares(hectares, info):
    """Pixel count of ``hectares`` on the grid of ``info``."""
    return math.ceil(hectares * 10_000 / pixel_area_m2(info)) if hectares > 0 else 0


def blockwise(step=None, *, cache_bytes=GDAL_CACHE_BYTES):
    """Decorate a block-wise step: GDAL's block cache holds at most ``cache_bytes`` while it
    runs, so no raster's tiles pile up in it.  ``@blockwise`` or ``@blockwise(cache_bytes=...)``.
    """
    if step is None:
        return functools.partial(blockwise, cache_bytes=cache_bytes)

    @functools.wraps(step)
    def bounded(*args, **kwargs):
        with rasterio.Env(GDAL_CACHEMAX=cache_bytes):
            return step(*args, **kwargs)
    return bounded


def release_memory():
    """Give freed block buffers back to the operating system (glibc keeps them otherwise).

    Without this, the heap of a long block loop keeps the high-water mark of
    every large temporary array and resident memory creeps up with the number
    of blocks, that is, with the raster size.
    """
    if _MALLOC_TRIM is not None:
        _MALLOC_TRIM(0)


def read_failure(exc, inputs):
    """The one-line :class:`InputError` for ``exc`` when it is a raster that failed to read
    part-way through (a damaged block), naming the parameter in ``inputs`` (parameter ->
    paths) whose file it is; None for any other exception."""
    if not isinstance(exc, rasterio.errors.RasterioIOError):
        return None
    # rasterio 1.4 says "Read failed" and chains GDAL's errors, which name the file.
    messages = [str(e).splitlines()[0][:200] for e in _chain(exc) if str(e)]
    for role, paths in inputs.items():
        for path in paths:
            name = os.path.basename(str(path).split("|")[0])
            detail = next((m for m in messages if name and name in m), None)
            if detail:
                return InputError("{role}: cannot read '{name}' to the end; the file is corrupt "
                                  "or truncated ({detail}).", role=role, name=name, detail=detail)
    return InputError("A raster could not be read; a file is corrupt or truncated "
                      "({messages}).", messages="; ".join(messages))


def _chain(exc):
    """``exc`` and the exceptions it was raised from, in order."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        yield exc
        exc = exc.__cause__ or exc.__context__


def _short(exc):
    return str(exc).splitlines()[0][:200]
