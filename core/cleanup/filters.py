"""Clean a crop mask: median (majority) filter, opening, closing, minimum mapping unit.

The mask is 1 for crop, 0 for non-crop and 255 for nodata.  Filters run on
blocks read with a halo as wide as the filters reach, so blocks give exactly
the whole-raster result.  Nodata is never turned into crop or non-crop, and
filters treat it as unknown: the majority is taken over valid pixels only,
erosion does not eat crop at a nodata edge, dilation does not grow into it.
The minimum mapping unit works on whole components (see ``components``), so
a field crossing block lines is measured whole.
"""

import cv2
import numpy as np
import rasterio

from ..rasters.access import (GTIFF_OPTIONS, block_side, block_windows, read_raster_info,
                              window_with_halo)
from ..rasters.class_raster import CROP, NODATA_CLASS, NON_CROP, check_class_values
from .components import scan


def filter_radius(median_size, opening, closing):
    """How far (pixels) the filters reach: the halo blocks are read with."""
    return median_size // 2 + 2 * opening + 2 * closing


def majority_block(classes, values, size):
    """Each valid pixel takes the most frequent of ``values`` in its ``size`` x ``size`` window.

    Nodata neither votes nor changes; on a tie a pixel keeps its value when it is
    among the most frequent.  On a two-value mask this is the median filter.
    """
    window = (size, size)
    votes = np.stack([cv2.boxFilter((classes == v).astype(np.float32), -1, window,
                                    normalize=False, borderType=cv2.BORDER_CONSTANT)
                      for v in values])
    best = votes.max(axis=0)
    own = np.zeros(classes.shape, dtype=np.float32)
    for i, value in enumerate(values):
        own[classes == value] = votes[i][classes == value]
    winner = np.asarray(values, dtype=classes.dtype)[np.argmax(votes, axis=0)]
    return np.where((classes == NODATA_CLASS) | (own == best), classes, winner)


def clean_block(mask, *, median_size=5, opening=0, closing=0):
    """Filtered copy of a mask block (1 crop, 0 non-crop, 255 nodata)."""
    valid = mask != NODATA_CLASS
    if median_size > 1:
        mask = majority_block(mask, (NON_CROP, CROP), median_size)
    crop = mask == CROP
    if opening > 0:
        crop = _dilate(_erode(crop | ~valid, opening) & valid, opening)
    if closing > 0:
        crop = _erode(_dilate(crop & valid, closing) | ~valid, closing)
    out = np.where(crop, CROP, NON_CROP).astype(np.uint8)
    out[~valid] = NODATA_CLASS
    return out


def _disk(radius):
    return cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * radius + 1, 2 * radius + 1))


def _erode(mask, radius):
    return cv2.erode(mask.astype(np.uint8), _disk(radius)).astype(bool)


def _dilate(mask, radius):
    return cv2.dilate(mask.astype(np.uint8), _disk(radius)).astype(bool)


def mask_profile(info, *, intermediate=False):
    """GeoTIFF profile of a crop mask on the grid of ``info``.

    Intermediate masks, written and read once inside one run, are left
    uncompressed: compressing them costs more time than their reading saves.
    """
    profile = {**GTIFF_OPTIONS, "width": info.width, "height": info.height, "count": 1,
               "dtype": "uint8", "crs": info.crs, "transform": info.transform, "nodata": NODATA_CLASS}
    if intermediate:
        profile.pop("compress")
    return profile


def write_filtered(classes_path, output, *, crop_values, class_values, median_size, opening,
                   closing, side, feedback, intermediate=False):
    """Filter a class raster block by block into ``output``.

    With ``crop_values`` the output is the crop mask (1 crop, 0 non-crop, 255
    nodata); otherwise (``crop_values`` None) the classes ``class_values`` are
    kept and only the majority filter applies.
    """
    info = read_raster_info(classes_path, role="INPUT_CLASSES")
    halo = filter_radius(median_size, opening, closing)
    lookup = np.full(256, NON_CROP, dtype=np.uint8)
    lookup[list(crop_values or ())] = CROP
    windows = list(block_windows(info.width, info.height, side))
    with rasterio.open(classes_path) as src, \
            rasterio.open(output, "w", **mask_profile(info, intermediate=intermediate)) as dst:
        nodata = src.nodata
        for done, window in enumerate(windows, 1):
            feedback.check_cancelled()
            outer, inner = window_with_halo(window, halo, info.width, info.height)
            classes = src.read(1, window=outer)
            valid = src.read_masks(1, window=outer) > 0
            if nodata is not None:
                valid &= classes != nodata
            check_class_values(classes[valid], info)
            if crop_values is None:
                block = np.where(valid, classes, NODATA_CLASS).astype(np.uint8)
                cleaned = majority_block(block, class_values, median_size) \
                    if median_size > 1 else block
            else:
                mask = np.where(valid, lookup[np.clip(classes, 0, 255).astype(np.uint8)], NODATA_CLASS)
                cleaned = clean_block(mask.astype(np.uint8), median_size=median_size,
                                      opening=opening, closing=closing)
            dst.write(cleaned[inner], 1, window=window)
            feedback.progress(done / len(windows))


def apply_minimum_area(source, output, value, replacement, min_pixels, *, enclosed_only, side,
                       feedback, intermediate=False):
    """Rewrite components of ``value`` smaller than ``min_pixels`` as ``replacement``.

    With ``enclosed_only`` only components that touch neither the raster edge
    nor nodata change (holes inside crop patches).  Returns how many changed.
    """
    components = scan(source, [value], side, feedback=feedback.step(0, 0.5))
    change = components.area < min_pixels
    if enclosed_only:
        change &= components.enclosed
    piece_changes = change[components.piece_root]
    info = read_raster_info(source)
    with rasterio.open(output, "w", **mask_profile(info, intermediate=intermediate)) as dst:
        def rewrite(window, block, ids):
            hit = ids >= 0
            hit[hit] = piece_changes[ids[hit]]
            dst.write(np.where(hit, replacement, block).astype(np.uint8), 1, window=window)

        scan(source, [value], side, on_block=rewrite, feedback=feedback.step(0.5, 1))
    return int(change.sum())


def sieve_classes(source, output, values, min_pixels, *, side, feedback):
    """Give each component smaller than ``min_pixels`` the class it borders most.

    Components of every value are measured whole; a small one takes the most
    frequent valid value among the 4-neighbours of its pixels (counted across
    block edges too; a tie goes to the lower value).  Components with no valid
    neighbour stay.  Returns how many changed.
    """
    borders = {}  # (piece id, neighbour value) -> pixel pairs
    with rasterio.open(source) as src:
        def count_borders(window, block, ids):
            outer, inner = window_with_halo(window, 1, src.width, src.height)
            around = np.pad(src.read(1, window=outer), 1, constant_values=NODATA_CLASS)
            top, left = inner[0].start + 1, inner[1].start + 1
            rows, cols = block.shape
            for dr, dc in ((-1, 0), (1, 0), (0, -1), (0, 1)):
                neighbour = around[top + dr:top + dr + rows, left + dc:left + dc + cols]
                edge = (ids >= 0) & (neighbour != NODATA_CLASS) & (neighbour != block)
                pairs, counts = np.unique(np.stack([ids[edge], neighbour[edge]]), axis=1,
                                          return_counts=True)
                for (piece, value), count in zip(pairs.T.tolist(), counts.tolist()):
                    borders[(piece, value)] = borders.get((piece, value), 0) + count

        components = scan(source, values, side, on_block=count_borders,
                          feedback=feedback.step(0, 0.5))
    neighbours = np.zeros((len(components), len(values)), dtype=np.int64)
    column = {v: i for i, v in enumerate(values)}
    for (piece, value), count in borders.items():
        neighbours[components.piece_root[piece], column[value]] += count
    small = (components.area < min_pixels) & (neighbours.sum(axis=1) > 0)
    replacement = np.asarray(values, dtype=np.uint8)[np.argmax(neighbours, axis=1)]
    piece_small = small[components.piece_root]
    piece_replacement = replacement[components.piece_root]
    info = read_raster_info(source)
    with rasterio.open(output, "w", **mask_profile(info)) as dst:
        def rewrite(window, block, ids):
            hit = ids >= 0
            hit[hit] = piece_small[ids[hit]]
            out = block.copy()
            out[hit] = piece_replacement[ids[hit]]
            dst.write(out, 1, window=window)

        scan(source, values, side, on_block=rewrite, feedback=feedback.step(0.5, 1))
    return int(small.sum())


def default_side(memory_mb):
    """Block side for mask passes: filter sums (float32), labels and piece ids per pixel."""
    return block_side(memory_mb, 48)
