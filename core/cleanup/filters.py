"""Clean a crop mask: median (majority) filter, opening, closing, minimum mapping unit.

The mask is 1 for crop, 0 for non-crop and 255 for nodata.  Filters run on
blocks read with a halo as wide as the filters reach, so blocks give exactly
the whole-raster result.  Nodata is never turned into crop or non-crop, and
filters treat it as unknown: the majority is taken over valid pixels only,
erosion does not eat crop at a nodata edge, dilation does not grow into it.
The minimum mapping unit works on whole components (see ``components``), so
a field crossing block lines is measured whole.
"""

from collections import deque
from concurrent.futures import ThreadPoolExecutor

import cv2
import numpy as np
import rasterio

from ..rasters.access import (GTIFF_OPTIONS, TILE, block_side, block_windows, read_raster_info,
                              window_with_halo)
from ..rasters.class_raster import CROP, NODATA_CLASS, NON_CROP, check_class_values
from .components import label_block, scan

#: The values of a crop mask that form components (nodata does not).
MASK_VALUES = (CROP, NON_CROP)

#: Largest majority window side: its votes are counted in uint16.
MAX_MEDIAN_SIZE = 255


def filter_radius(median_size, opening, closing):
    """How far (pixels) the filters reach: the halo blocks are read with."""
    return median_size // 2 + 2 * opening + 2 * closing


def majority_block(classes, values, size):
    """Each valid pixel takes the most frequent of ``values`` in its ``size`` x ``size`` window.

    Nodata neither votes nor changes; on a tie a pixel keeps its value when it is
    among the most frequent, and otherwise takes the first of them in ``values``.
    On a two-value mask this is the median filter.  Votes are counted in uint16
    (``MAX_MEDIAN_SIZE``) one value at a time, so the working set
    is a few bytes per pixel whatever the number of values.
    """
    best = own = winner = None
    for index, value in enumerate(values):
        is_value = (classes == value).view(np.uint8)
        votes = cv2.boxFilter(is_value, cv2.CV_16U, (size, size), normalize=False,
                              borderType=cv2.BORDER_CONSTANT)
        if best is None:
            best, own = votes, np.where(is_value, votes, 0).astype(np.uint16)
            winner = np.zeros(classes.shape, dtype=np.uint8)
            continue
        winner[votes > best] = index
        np.maximum(best, votes, out=best)
        np.copyto(own, votes, where=is_value.view(bool))
    chosen = np.asarray(values, dtype=classes.dtype)[winner]
    return np.where((classes == NODATA_CLASS) | (own == best), classes, chosen)


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

    def clean(classes, valid):
        if crop_values is None:
            block = np.where(valid, classes, NODATA_CLASS).astype(np.uint8)
            return majority_block(block, class_values, median_size) if median_size > 1 else block
        mask = np.where(valid, lookup[np.clip(classes, 0, 255).astype(np.uint8)], NODATA_CLASS)
        return clean_block(mask.astype(np.uint8), median_size=median_size, opening=opening,
                           closing=closing)

    # Blocks are read and written in order on this thread and filtered two at a time.
    with rasterio.open(classes_path) as src, ThreadPoolExecutor(2) as pool, \
            rasterio.open(output, "w", **mask_profile(info, intermediate=intermediate)) as dst:
        nodata, pending, written = src.nodata, deque(), 0

        def write_oldest():
            nonlocal written
            window, inner, cleaning = pending.popleft()
            dst.write(cleaning.result()[inner], 1, window=window)
            written += 1
            feedback.progress(written / len(windows))

        for window in windows:
            feedback.check_cancelled()
            outer, inner = window_with_halo(window, halo, info.width, info.height)
            classes = src.read(1, window=outer)
            valid = src.read_masks(1, window=outer) > 0
            if nodata is not None:
                valid &= classes != nodata
            check_class_values(classes[valid], info)
            pending.append((window, inner, pool.submit(clean, classes, valid)))
            if len(pending) == 2:
                write_oldest()
        while pending:
            write_oldest()


def minimum_area(source, min_pixels, *, side, feedback):
    """The minimum mapping unit of a crop mask, found in one pass over it.

    Crop patches smaller than ``min_pixels`` become non-crop; then non-crop
    areas smaller than ``min_pixels`` that touch neither the raster edge nor
    nodata (holes inside crop patches) become crop.  The holes are those of the
    mask without the small patches: a removed patch joins the non-crop
    components it borders.  Returns a :class:`MinimumArea`, which rewrites the
    blocks of ``source`` (scanned with the same ``side``).
    """
    borders = _SmallPatchBorders(min_pixels, read_raster_info(source).width)
    components = scan(source, MASK_VALUES, side, on_block=borders.collect, feedback=feedback)
    removed = (components.value == CROP) & (components.area < min_pixels)
    patch, neighbour = borders.component_pairs(components, removed)
    # Non-crop areas once the small patches are gone: each removed patch joins its neighbours.
    # A group is numbered by its first component; other numbers hold no component.
    group = _merged_groups(len(components), patch, neighbour)

    def per_group(weights):
        return np.bincount(group, weights=weights, minlength=len(components))

    hole = ((per_group(components.area) < min_pixels) & (per_group(~components.enclosed) == 0)
            & (per_group(components.value == NON_CROP) > 0))
    crop = ((components.value == CROP) & ~removed) | hole[group]
    piece_value = np.where(crop, CROP, NON_CROP).astype(np.uint8)[components.piece_root]
    return MinimumArea(piece_value, int(removed.sum()), int(hole.sum()))


class MinimumArea:
    """The mask's value after the minimum mapping unit for every piece of a scan.

    Called with the blocks of the scanned mask in the scan's order (as ``scan``'s
    ``rewrite``), it labels each block as the scan did, so that its pieces get the
    scan's ids, and returns the block rewritten.
    """

    def __init__(self, piece_value, patches_removed, holes_filled):
        self.piece_value = piece_value
        self.patches_removed, self.holes_filled = patches_removed, holes_filled
        self.pieces_seen = 0

    def __call__(self, window, block):
        labels, values, _ = label_block(block, MASK_VALUES)
        out = block.copy()
        labelled = labels > 0
        out[labelled] = self.piece_value[labels[labelled] - 1 + self.pieces_seen]
        self.pieces_seen += len(values)
        return out


class _SmallPatchBorders:
    """Pairs of 4-adjacent pieces (crop, non-crop) whose crop piece is smaller than
    ``min_pixels``, collected block by block during a scan of a raster ``width`` px wide,
    across block edges too."""

    def __init__(self, min_pixels, width):
        self.min_pixels = min_pixels
        self.pairs = []
        # Piece ids, small-patch and non-crop flags of the row above and the column to the left.
        self.above = (np.full(width, -1, dtype=np.int64), np.zeros(width, dtype=bool),
                      np.zeros(width, dtype=bool))
        self.left = None

    def collect(self, window, block, ids):
        shifted = (ids + 1).ravel()                 # 0 where no piece
        piece_area = np.bincount(shifted)           # pixels in this block of each piece
        small = (block == CROP) & (piece_area[shifted] < self.min_pixels).reshape(ids.shape)
        noncrop = block == NON_CROP
        rows, cols = ids.shape
        # Inside the block: the 4 neighbours of each small-patch pixel, by flat index.
        flat_ids, flat_noncrop = ids.ravel(), noncrop.ravel()
        at = np.flatnonzero(small)
        row, col = np.divmod(at, cols)
        patches, others = [], []
        for step, inside in ((1, col < cols - 1), (-1, col > 0),
                             (cols, row < rows - 1), (-cols, row > 0)):
            patch = at[inside]
            other = patch + step
            border = flat_noncrop[other]
            patches.append(flat_ids[patch[border]])
            others.append(flat_ids[other[border]])
        # Across the block's left and top edges, against the previous blocks' last column and row.
        pixels = (ids, small, noncrop)
        row0, col0 = int(window.row_off), int(window.col_off)
        columns = slice(col0, col0 + cols)
        edges = []
        if col0 > 0:
            edges.append((self.left, [p[:, 0] for p in pixels]))
        if row0 > 0:
            edges.append(([p[columns] for p in self.above], [p[0, :] for p in pixels]))
        for first, second in edges:
            for (patch, patch_small, _), (other, _, other_noncrop) in ((first, second),
                                                                       (second, first)):
                border = patch_small & other_noncrop
                patches.append(patch[border])
                others.append(other[border])
        patches = np.concatenate(patches)
        if len(patches):
            self.pairs.append(_unique_pairs(patches, np.concatenate(others)))
        self.left = [p[:, -1].copy() for p in pixels]
        for edge, p in zip(self.above, pixels):
            edge[columns] = p[-1, :]

    def component_pairs(self, components, removed):
        """(removed patch, non-crop component) pairs of component indices."""
        if not self.pairs:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        pairs = components.piece_root[np.concatenate(self.pairs)]
        pairs = pairs[removed[pairs[:, 0]]]
        return pairs[:, 0], pairs[:, 1]


def _unique_pairs(a, b):
    """The distinct pairs (a[i], b[i]) of two non-negative integer arrays, as rows."""
    base = min(a.min(), b.min())
    span = int(max(a.max(), b.max()) - base) + 1
    if span > 2 ** 31:
        return np.unique(np.stack([a, b], axis=1), axis=0)
    keys = np.unique((a.astype(np.int64) - base) * span + (b - base))   # integers, not rows
    return np.stack([keys // span + base, keys % span + base], axis=1)


def _merged_groups(count, a, b):
    """Group of each of ``count`` items once items ``a[i]`` and ``b[i]`` are joined: the
    smallest item of its group."""
    group = np.arange(count)
    while True:
        joined = np.minimum(group[a], group[b])
        np.minimum.at(group, a, joined)
        np.minimum.at(group, b, joined)
        group = group[group]
        if np.array_equal(group[a], group[b]) and np.array_equal(group, group[group]):
            return group


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
    """Block side for mask passes: filter sums, labels and piece ids per pixel, two blocks at
    a time.  Blocks are at most 1024 px: larger ones take more memory and are no faster."""
    return block_side(memory_mb, 48, maximum=4 * TILE)
