"""Connected components of a class raster of any size, found block by block.

Each block is labelled on its own (4-connectivity, per class value); pieces
that continue across a block edge are joined with a union-find, so a field
split by block lines is one component.  Labelling is deterministic: a second
scan with the same block size gives every pixel the same piece id, which is
how later passes look up the component of each pixel.
"""

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import cv2
import numpy as np
import rasterio

from ..rasters.access import block_windows, window_with_halo
from ..rasters.class_raster import NODATA_CLASS


class UnionFind:
    """Disjoint sets over ids 0..n-1 that grow as pieces are added."""

    def __init__(self, dtype=np.int64):
        self._parent = np.zeros(1024, dtype=dtype)
        self.size = 0

    @property
    def parent(self):
        return self._parent[:self.size]

    def add(self, count):
        """Add ``count`` singleton sets; return the first new id."""
        first = self.size
        if first + count > len(self._parent):   # grow by half: amortised, no copy per block
            grown = np.empty(max(first + count, len(self._parent) * 3 // 2),
                             dtype=self._parent.dtype)
            grown[:first] = self.parent
            self._parent = grown
        self._parent[first:first + count] = np.arange(first, first + count)
        self.size = first + count
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
    labels = None
    piece_values, areas = [], []
    pieces = 0
    for value in values:
        count, local, stats, _ = cv2.connectedComponentsWithStats(
            (block == value).view(np.uint8), connectivity=4, ltype=cv2.CV_32S)
        if labels is None:
            labels = local            # 0 wherever the value is not
        elif count > 1:
            np.add(local, pieces, out=labels, where=local > 0)
        piece_values.append(np.full(count - 1, value, dtype=np.uint8))
        areas.append(stats[1:, cv2.CC_STAT_AREA].astype(np.int64))
        pieces += count - 1
    return labels, np.concatenate(piece_values), np.concatenate(areas)


def scan(path, values, side, *, rewrite=None, on_block=None, feedback=None):
    """Label the components of ``values`` in band 1 of ``path``, block by block.

    ``rewrite(window, block)``, when given, rewrites each block (in order, on
    another thread) before it is labelled; it must keep nodata where it is.
    ``on_block(window, block, ids)`` is called for every block with the piece
    ids of its pixels (-1 where no listed value).  Returns :class:`Components`.
    """
    piece_areas, piece_touch, piece_values = [], [], []
    with rasterio.open(path) as src, ThreadPoolExecutor(1) as reader:
        width, height = src.width, src.height
        # A raster has fewer pieces than pixels: 32-bit ids halve the memory they take.
        id_type = np.int32 if width * height < 2 ** 31 else np.int64
        union = UnionFind(id_type)
        # Piece ids and values of the row above the block row, and of the column to the left.
        above = (np.full(width, -1, dtype=id_type), np.zeros(width, dtype=np.uint8))
        windows = list(block_windows(width, height, side))

        def read_and_label(window):
            block, near_nodata = _read_with_edges(src, window)
            if rewrite is not None:
                block = rewrite(window, block)
            return (block, near_nodata) + label_block(block, values)

        # The next block is read and labelled on the reader thread while this one is joined.
        left, next_block = None, reader.submit(read_and_label, windows[0])
        for done, window in enumerate(windows, 1):
            if feedback is not None:
                feedback.check_cancelled()
            block, near_nodata, labels, values_, areas = next_block.result()
            if done < len(windows):
                next_block = reader.submit(read_and_label, windows[done])
            row0, col0, cols = int(window.row_off), int(window.col_off), int(window.width)
            columns = slice(col0, col0 + cols)
            first = union.add(len(values_))
            ids = np.add(labels, first - 1, dtype=id_type)
            ids[labels == 0] = -1
            piece_areas.append(areas)
            piece_values.append(values_)
            touch = np.zeros(len(values_), dtype=bool)
            touch[np.unique(labels[near_nodata & (labels > 0)]) - 1] = True
            piece_touch.append(touch)
            if col0 > 0:
                _join(union, left, (ids[:, 0], block[:, 0]))
            if row0 > 0:
                _join(union, (above[0][columns], above[1][columns]), (ids[0, :], block[0, :]))
            left = (ids[:, -1].copy(), block[:, -1].copy())
            above[0][columns], above[1][columns] = ids[-1, :], block[-1, :]
            if on_block is not None:
                on_block(window, block, ids)
            if feedback is not None:
                feedback.progress(done / len(windows))
    roots = union.roots()
    # A root is the smallest id of its set: components are numbered in the order of their roots.
    is_root = roots == np.arange(len(roots))
    unique_roots = np.flatnonzero(is_root)
    piece_root = (np.cumsum(is_root) - 1)[roots]
    area = np.bincount(piece_root, weights=np.concatenate(piece_areas), minlength=len(unique_roots))
    touched = np.bincount(piece_root, weights=np.concatenate(piece_touch),
                          minlength=len(unique_roots)) > 0
    return Components(piece_root, np.concatenate(piece_values)[unique_roots],
                      area.astype(np.int64), ~touched)


def _join(union, side_a, side_b):
    """Union the pieces on both sides of a block edge that hold the same value; each side is
    (piece ids, values) of its pixels along the edge."""
    (ids_a, values_a), (ids_b, values_b) = side_a, side_b
    same = (ids_a >= 0) & (ids_b >= 0) & (values_a == values_b)
    if not same.any():
        return
    for a, b in np.unique(np.stack([ids_a[same], ids_b[same]], axis=1), axis=0):
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
