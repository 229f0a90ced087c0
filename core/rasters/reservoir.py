"""Exact uniform sampling without replacement from a stream of blocks, in bounded memory.

Every item gets a seeded random key; a reservoir keeps the items with the
smallest keys seen so far, so the sample does not depend on the block order
or the raster size.
"""

import numpy as np


class Reservoir:
    """The ``size`` items with the smallest random keys seen so far, for one class."""

    def __init__(self, size):
        self.size = size
        self.keys = np.empty(0, dtype=np.float64)
        self.parts = None
        self.seen = 0

    def threshold(self):
        return self.keys.max() if len(self.keys) >= self.size else np.inf

    def offer(self, keys, parts):
        self.seen += len(keys)
        keep = keys < self.threshold()
        if not keep.any():
            return
        keys = np.concatenate([self.keys, keys[keep]])
        parts = [p[keep] for p in parts]
        if self.parts is not None:
            parts = [np.concatenate([old, new]) for old, new in zip(self.parts, parts)]
        if len(keys) > self.size:
            best = np.argpartition(keys, self.size - 1)[: self.size]
            keys, parts = keys[best], [p[best] for p in parts]
        self.keys, self.parts = keys, parts
