"""Training samples: labelled pixels with their features, class and group.

The raster is read block by block.  In each block the label features are
rasterised with their feature id, pixels within ``edge_buffer`` pixels of a
polygon border are dropped (mixed pixels), and a seeded random key is drawn
for every labelled pixel.  A polygon too small for the edge buffer gets a
narrower one, so no polygon loses all its pixels.  The pixels with the smallest
keys are kept: an exact uniform sample without replacement whose memory does
not depend on the raster size.  Classes are either balanced (up to
``max_per_class`` pixels each) or sampled in their labelled proportions.
"""

import warnings
from dataclasses import dataclass, field

import numpy as np
import rasterio
from rasterio.features import rasterize
from rasterio.windows import bounds as window_bounds
from scipy import ndimage
from shapely.geometry import box

from ..common.errors import InputError
from ..common.progress import ensure_feedback
from ..rasters.access import blockwise, read_windows, window_with_halo
from ..rasters.reservoir import Reservoir

#: Classes need at least this many labelled pixels after the edge buffer.
MIN_PIXELS_PER_CLASS = 10

#: Bytes per pixel of a block's labelling arrays beside its features: feature ids, edge
#: filters, positions, classes, groups and random keys.
LABELLING_BYTES_PER_PIXEL = 96

#: How classes share the samples (``options.BALANCES``): ``balanced`` draws up to
#: ``max_per_class`` pixels of every class; ``proportional`` draws ``max_per_class`` times
#: the number of classes in all, each class in its share of the labelled pixels, with at
#: least ``PROPORTIONAL_FLOOR`` of ``max_per_class`` for the rarest.
PROPORTIONAL_FLOOR = 0.05


@dataclass
class Samples:
    """Sampled pixels: features ``X``, class values ``y``, group ids and pixel positions.

    ``groups`` holds the label feature id (1..n) for pixels inside a label
    feature and a negative id of a background cell for crop-mode background
    pixels, so grouped validation never splits a feature or a cell.
    """

    X: np.ndarray
    y: np.ndarray
    groups: np.ndarray
    rows: np.ndarray
    cols: np.ndarray
    labelled_pixels: dict = field(default_factory=dict)  # class value -> pixels before capping
    background_cell: int = 0
    narrowed_buffers: int = 0    # polygons given a narrower edge buffer to keep pixels

    def subset(self, indices):
        """The samples at ``indices``, with the same labelled-pixel counts."""
        return Samples(self.X[indices], self.y[indices], self.groups[indices],
                       self.rows[indices], self.cols[indices], self.labelled_pixels,
                       self.background_cell, self.narrowed_buffers)

    def class_weights(self):
        """Per sample: labelled pixels of its class per sampled pixel, so that weighted
        scores estimate the accuracy over every labelled pixel, whatever the balance."""
        values, position, counts = np.unique(self.y, return_inverse=True, return_counts=True)
        labelled = np.array([self.labelled_pixels[int(v)] for v in values], dtype=np.float64)
        return (labelled / counts)[position]


@blockwise
def collect_samples(stack, labels, recipe, *, max_per_class=20000, edge_buffer=1,
                    balance="balanced", seed=0, memory_mb=256, feedback=None):
    """Sample labelled pixels of ``stack`` (a RasterStack) as described by ``labels``.

    Returns
    -------
    Samples
        Pixels seeded by ``seed``: up to ``max_per_class`` of each class when
        ``balance`` is ``balanced``, up to ``max_per_class`` times the number of
        classes in labelled proportions when it is ``proportional``.

    Raises
    ------
    InputError
        When the raster has no valid pixel under the labels, only one class has
        pixels, or a class has fewer than ``MIN_PIXELS_PER_CLASS`` pixels.
    """
    feedback = ensure_feedback(feedback)
    info = stack.grid
    times = recipe.times(stack)
    rng = np.random.default_rng(seed)
    class_of_feature = np.concatenate([[-1], labels.class_values]).astype(np.int64)
    is_point = labels.geometries.geom_type.isin(["Point", "MultiPoint"]).to_numpy()
    index = labels.geometries.sindex
    cell = _background_cell_size(labels, info)
    cells_per_row = -(-info.width // cell)
    buffers = feature_buffers(labels, info, edge_buffer)
    proportional = balance == "proportional"
    per_class = max(int(max_per_class * PROPORTIONAL_FLOOR), 1) if proportional else max_per_class
    reservoirs = {c.value: Reservoir(per_class) for c in labels.classes}
    everyone = Reservoir(max_per_class * len(labels.classes)) if proportional else None
    windows = read_windows(info, memory_mb, recipe.bytes_per_pixel + LABELLING_BYTES_PER_PIXEL)
    with stack.open() as reader:
        for done, window in enumerate(windows, 1):
            feedback.check_cancelled()
            ids = _feature_ids(info, labels, index, is_point, window, buffers)
            in_aoi = _aoi_mask(info, labels, window) if labels.crop_mode else None
            labelled = (ids > 0) if in_aoi is None else ((ids > 0) | (in_aoi & (ids == 0)))
            if labelled.any():
                outer, core = window_with_halo(window, recipe.halo, info.width, info.height)
                data, valid = reader.read(recipe.read_bands, outer)
                features, valid = recipe.features(data, valid, core, times)
                features = features[labelled[valid]]   # neighbourhoods use every valid pixel
                labelled &= valid
            if labelled.any():
                rows, cols = np.nonzero(labelled)
                pixel_ids = ids[rows, cols]
                classes = np.where(pixel_ids > 0, class_of_feature[pixel_ids], 0)
                rows = rows + int(window.row_off)
                cols = cols + int(window.col_off)
                groups = np.where(pixel_ids > 0, pixel_ids,
                                  -1 - (rows // cell) * cells_per_row - cols // cell)
                keys = rng.random(len(rows))
                parts = [features, groups, rows, cols, classes]
                for value, reservoir in reservoirs.items():
                    of_class = classes == value
                    if of_class.any():
                        reservoir.offer(keys[of_class], [p[of_class] for p in parts])
                if everyone is not None:
                    everyone.offer(keys, parts)
            feedback.progress(done / len(windows))
    chosen = {value: r.parts for value, r in reservoirs.items()}
    if everyone is not None and everyone.parts is not None:
        chosen = _proportional_parts(reservoirs, everyone)
    counts = {value: r.seen for value, r in reservoirs.items()}
    narrowed = int(np.sum((buffers[1:] < edge_buffer) & ~is_point))
    return _assemble(chosen, counts, labels, cell, narrowed)


def _proportional_parts(floors, everyone):
    """Per class, its pixels in the all-class reservoir, or its floor reservoir where that
    holds more: either way, the pixels of the class with the smallest keys."""
    classes = everyone.parts[-1]
    chosen = {}
    for value, floor in floors.items():
        of_class = classes == value
        if of_class.any() and of_class.sum() >= len(floor.keys):
            chosen[value] = [part[of_class] for part in everyone.parts]
        else:
            chosen[value] = floor.parts
    return chosen


def feature_buffers(labels, info, edge_buffer):
    """Edge buffer (pixels) of each label feature, indexed by feature id (0: background).

    A polygon keeps ``edge_buffer`` where that leaves it ``MIN_PIXELS_PER_CLASS``
    pixels; a smaller one gets the widest buffer that does, or none, so a small
    field keeps its inner pixels.  Points get none.
    """
    buffers = np.full(len(labels.geometries) + 1, int(edge_buffer), dtype=np.int64)
    if edge_buffer <= 0:
        return buffers
    pixel_area = info.pixel_size[0] * info.pixel_size[1]
    # Every pixel whose cell meets this inward buffer has its whole window inside.
    safe_depth = (edge_buffer * np.sqrt(2) + 1) * max(info.pixel_size)
    for position, geometry in enumerate(labels.geometries, 1):
        if geometry.geom_type in ("Point", "MultiPoint"):
            buffers[position] = 0
        elif geometry.buffer(-safe_depth).area < MIN_PIXELS_PER_CLASS * pixel_area:
            buffers[position] = _widest_buffer(geometry, info, edge_buffer)
    return buffers


def _widest_buffer(geometry, info, edge_buffer):
    """The widest buffer up to ``edge_buffer`` that leaves ``geometry`` enough pixels."""
    from rasterio.features import rasterize
    from rasterio.transform import from_origin

    margin = edge_buffer + 1
    left, bottom, right, top = geometry.bounds
    width = int(np.ceil((right - left) / info.pixel_size[0])) + 2 * margin
    height = int(np.ceil((top - bottom) / info.pixel_size[1])) + 2 * margin
    transform = from_origin(left - margin * info.pixel_size[0],
                            top + margin * info.pixel_size[1], *info.pixel_size)
    inside = rasterize([(geometry, 1)], out_shape=(height, width), transform=transform,
                       fill=0, dtype="uint8").astype(bool)
    wanted = min(MIN_PIXELS_PER_CLASS, int(inside.sum()))
    for buffer in range(int(edge_buffer), 0, -1):
        window = np.ones((2 * buffer + 1,) * 2, dtype=bool)
        if ndimage.binary_erosion(inside, window).sum() >= max(wanted, 1):
            return buffer
    return 0


def _feature_ids(info, labels, index, is_point, window, buffers):
    """Feature id (1..n, 0 = none) of every pixel of ``window``, edge buffers applied."""
    halo = int(buffers.max(initial=0))
    outer, inner = window_with_halo(window, halo, info.width, info.height)
    transform = rasterio.windows.transform(outer, info.transform)
    shape = (int(outer.height), int(outer.width))
    hits = index.query(box(*window_bounds(outer, info.transform)))
    ids = np.zeros(shape, dtype=np.int32)
    polygons = [(labels.geometries.iloc[i], i + 1) for i in sorted(hits) if not is_point[i]]
    points = [(labels.geometries.iloc[i], i + 1) for i in sorted(hits) if is_point[i]]
    if polygons:
        ids = rasterize(polygons, out_shape=shape, transform=transform, fill=0, dtype="int32")
        widths = buffers[ids]
        border = np.zeros(shape, dtype=bool)
        for width in np.unique(widths[widths > 0]):
            size = 2 * int(width) + 1
            lowest = ndimage.minimum_filter(ids, size=size, mode="nearest")
            highest = ndimage.maximum_filter(ids, size=size, mode="nearest")
            border |= (widths == width) & (lowest != highest)
        ids[border] = -1  # border pixel: neither labelled nor background
    if points:
        burnt = rasterize(points, out_shape=shape, transform=transform, fill=0, dtype="int32")
        ids = np.where(burnt > 0, burnt, ids)
    return ids[inner]


def _aoi_mask(info, labels, window):
    transform = rasterio.windows.transform(window, info.transform)
    shape = (int(window.height), int(window.width))
    return rasterize([(labels.aoi, 1)], out_shape=shape, transform=transform, fill=0,
                     dtype="uint8").astype(bool)


def _background_cell_size(labels, info):
    """Side (pixels) of the cells that group crop-mode background pixels.

    About the size of a typical label feature, so a background cell holds out
    as much context as a held-out field does.
    """
    pixel_area = info.pixel_size[0] * info.pixel_size[1]
    with warnings.catch_warnings():  # a ratio of areas in the same units, even in degrees
        warnings.simplefilter("ignore", UserWarning)
        areas = labels.geometries.area.to_numpy() / pixel_area
    areas = areas[areas > 0]
    typical = float(np.sqrt(np.median(areas))) if len(areas) else 32.0
    return int(np.clip(round(typical), 8, 512))


def _assemble(chosen, counts, labels, cell, narrowed):
    names = {c.value: c.name for c in labels.classes}
    if sum(counts.values()) == 0:
        raise InputError("INPUT_RASTER has no valid pixel under the labels (all nodata, or "
                         "the labels only cover nodata areas).")
    if len(counts) < 2:
        raise InputError("LABELS: every label is class '{name}'; at least "
                         "two classes are needed to train a classifier.",
                         name=names[next(iter(counts))])
    few = [f"'{names[v]}' ({n} px)" for v, n in counts.items() if n < MIN_PIXELS_PER_CLASS]
    if few:
        raise InputError("LABELS: class {classes} has fewer than "
                         "{min_pixels_per_class} valid labelled pixels; add labels or remove "
                         "the class.", classes=", ".join(few),
                         min_pixels_per_class=MIN_PIXELS_PER_CLASS)
    parts = [p for p in chosen.values() if p is not None]
    X, groups, rows, cols, y = (np.concatenate(p) for p in zip(*parts))
    order = np.lexsort((cols, rows))  # sample order independent of class iteration
    return Samples(X[order].astype(np.float32), y[order].astype(np.int64),
                   groups[order].astype(np.int64), rows[order].astype(np.int32),
                   cols[order].astype(np.int32), counts, cell, narrowed)
