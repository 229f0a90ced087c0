"""Connected components of a class raster of any size, found block by block.

Each block is labelled on its own (4-connectivity, per class value); pieces
that continue across a block edge are joined with a union-find, so a field
split by block lines is one component.  Labelling is deterministic: a second
scan with the same block size gives every pixel the same piece id, which is
how later passes look up the component of each pixel.
"""

from dataclasses import dataclass

import cv2
import numpy as np
import rasterio

from ..rasters.access import block_windows, window_with_halo
from ..rasters.class_raster import NODATA_CLASS


class UnionFind:
    """Disjoint sets over ids 0..n-1 that grow as pieces are added."""

    def __init__(self):
        self.parent = np.zeros(0, dtype=np.int64)

    def add(self, count):
        """Add ``count`` singleton sets; return the first new id."""
        first = len(self.parent)
        self.parent = np.concatenate([self.parent, np.arange(first, first + count)])
        return first

    def find(self, item):
        root = item
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[item] != root:  # path compression
            self.parent[item], item = root, self.parent[item]
        return root

    def union(self, a, b):
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)

    def roots(self):
        """The root of every id (the smallest id of its set)."""
        roots = self.parent.copy()
        while True:
            nxt = roots[roots]
            if np.array_equal(nxt, roots):
                return roots
            roots = nxt


@dataclass
class Components:
    """Global components: each piece id maps to a component with a value, area and flags."""

    piece_root: np.ndarray   # component index (0..n-1) of every piece id
    value: np.ndarray        # class value of each component
    area: np.ndarray         # pixels of each component
    enclosed: np.ndarray     # True when no pixel touches the raster edge or a nodata pixel

    def __len__(self):
        return len(self.value)


def label_block(block, values):
    """4-connected pieces of each value in ``block``: (labels 0 = none, values, areas)."""
    labels = np.zeros(block.shape, dtype=np.int32)
    piece_values, areas = [], []
    for value in values:
        count, local, stats, _ = cv2.connectedComponentsWithStats(
            (block == value).astype(np.uint8), connectivity=4, ltype=cv2.CV_32S)
        if count > 1:
            inside = local > 0
            labels[inside] = local[inside] + len(piece_values)
            piece_values.extend([value] * (count - 1))
            areas.extend(stats[1:, cv2.CC_STAT_AREA].tolist())
    return labels, np.array(piece_values, dtype=np.int64), np.array(areas, dtype=np.int64)


def scan(path, values, side, *, on_block=None, feedback=None):
    """Label the components of ``values`` in band 1 of ``path``, block by block.

    ``on_block(window, block, ids)`` is called for every block with the piece
    ids of its pixels (-1 where no listed value).  Returns :class:`Components`.
    """
    union = UnionFind()
    piece_areas, piece_touch = [], []
    known_values = np.zeros(0, dtype=np.int64)  # value of every piece id seen so far
    with rasterio.open(path) as src:
        width, height = src.width, src.height
        above = np.full(width, -1, dtype=np.int64)   # piece ids of the row above the block row
        windows = list(block_windows(width, height, side))
        left = None
        for done, window in enumerate(windows, 1):
            if feedback is not None:
                feedback.check_cancelled()
            row0, col0, cols = int(window.row_off), int(window.col_off), int(window.width)
            block, near_nodata = _read_with_edges(src, window)
            labels, values_, areas = label_block(block, values)
            first = union.add(len(values_))
            ids = np.where(labels > 0, labels.astype(np.int64) - 1 + first, -1)
            piece_areas.append(areas)
            touch = np.zeros(len(values_), dtype=bool)
            touch[np.unique(labels[near_nodata & (labels > 0)]) - 1] = True
            piece_touch.append(touch)
            known_values = np.concatenate([known_values, values_])
            if col0 > 0:
                _join(union, known_values, left, ids[:, 0])
            if row0 > 0:
                _join(union, known_values, above[col0:col0 + cols], ids[0, :])
            left = ids[:, -1].copy()
            above[col0:col0 + cols] = ids[-1, :]
            if on_block is not None:
                on_block(window, block, ids)
            if feedback is not None:
                feedback.progress(done / len(windows))
    roots = union.roots()
    unique_roots, piece_root = np.unique(roots, return_inverse=True)
    area = np.bincount(piece_root, weights=np.concatenate(piece_areas), minlength=len(unique_roots))
    touched = np.bincount(piece_root, weights=np.concatenate(piece_touch),
                          minlength=len(unique_roots)) > 0
    return Components(piece_root, known_values[unique_roots], area.astype(np.int64), ~touched)


def _join(union, piece_values, side_a, side_b):
    """Union the pieces on both sides of a block edge that hold the same value."""
    both = (side_a >= 0) & (side_b >= 0)
    if not both.any():
        return
    pairs = np.unique(np.stack([side_a[both], side_b[both]], axis=1), axis=0)
    for a, b in pairs:
        if piece_values[a] == piece_values[b]:
            union.union(int(a), int(b))


def _read_with_edges(src, window):
    """Band 1 in ``window`` and where its pixels touch nodata or the raster edge (4-neighbours)."""
    outer, inner = window_with_halo(window, 1, src.width, src.height)
    data = src.read(1, window=outer)
    rows, cols = data.shape
    top, left = inner[0].start, inner[1].start
    bottom = rows - inner[0].stop
    right = cols - inner[1].stop
    padded = np.pad(data == NODATA_CLASS, ((1 - top, 1 - bottom), (1 - left, 1 - right)),
                    constant_values=True)  # outside the raster counts as an edge
    near = (padded[:-2, 1:-1] | padded[2:, 1:-1] | padded[1:-1, :-2] | padded[1:-1, 2:])
    return data[inner], near
