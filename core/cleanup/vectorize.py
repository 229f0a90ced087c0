"""Polygons from a class or mask raster of any size, exact to the pixel edges, without seams.

Each block is labelled into 4-connected pieces and traced with GDAL's
polygonize (through rasterio) in whole pixel coordinates, so edges shared by
two blocks have identical coordinates.  Pieces of one component (see
``components``) are unioned into one polygon, then moved to map coordinates.
Holes are interior rings; rasterizing the polygons gives back the pixels.
"""

from dataclasses import dataclass

import numpy as np
import rasterio
from affine import Affine
from rasterio.features import shapes
from shapely.geometry import MultiPolygon, Polygon, shape
from shapely.ops import linemerge, polygonize, unary_union

from .components import scan


@dataclass
class Polygons:
    """One polygon per component, with its value and per-pixel statistics."""

    geometries: list       # shapely polygons in map coordinates
    values: np.ndarray     # class value of each polygon
    pixels: np.ndarray     # pixel count of each polygon
    mean_confidence: np.ndarray = None  # mean of the confidence raster, NaN where none


def vectorize(path, values, side, *, rewrite=None, write=None, confidence_path=None,
              feedback=None):
    """Polygons of the components of ``values`` in band 1 of ``path``.

    With ``rewrite`` (see ``components.scan``) they are the polygons of the
    rewritten blocks, which ``write(window, block)`` receives.
    """
    pieces = {}  # piece id -> list of geometries in pixel coordinates
    sums, counts = {}, {}
    confidence = rasterio.open(confidence_path) if confidence_path else None
    try:
        def trace(window, block, ids):
            row0, col0 = int(window.row_off), int(window.col_off)
            to_pixels = Affine.translation(col0, row0)
            if write is not None:
                write(window, block)
            labelled = ids >= 0
            for geometry, piece in shapes(np.where(labelled, ids, 0).astype(np.int32),
                                          mask=labelled, connectivity=4, transform=to_pixels):
                pieces.setdefault(int(piece), []).append(shape(geometry))
            if confidence is not None:
                values_ = confidence.read(1, window=window, masked=True)
                usable = labelled & ~np.ma.getmaskarray(values_) & np.isfinite(values_.filled(0))
                for piece, total, count in _sums(ids[usable], values_.data[usable]):
                    sums[piece] = sums.get(piece, 0.0) + total
                    counts[piece] = counts.get(piece, 0) + count

        with rasterio.open(path) as src:
            transform = src.transform
        components = scan(path, values, side, rewrite=rewrite, on_block=trace,
                          feedback=feedback)
    finally:
        if confidence is not None:
            confidence.close()

    groups = {}
    for piece, parts in pieces.items():
        groups.setdefault(int(components.piece_root[piece]), []).extend(parts)
    order = sorted(groups)
    geometries = [_to_map(_merge(groups[c]), transform) for c in order]
    result = Polygons(geometries, components.value[order], components.area[order])
    if confidence is not None:
        component_sum = np.zeros(len(components))
        component_count = np.zeros(len(components))
        for piece, total in sums.items():
            component_sum[components.piece_root[piece]] += total
            component_count[components.piece_root[piece]] += counts[piece]
        with np.errstate(invalid="ignore", divide="ignore"):
            mean = component_sum / component_count
        result.mean_confidence = mean[order]
    return result


def _merge(parts):
    """One polygon from the pieces of a component, without the vertices left on block edges."""
    return parts[0] if len(parts) == 1 else unary_union(parts).simplify(0, preserve_topology=False)


def _to_map(polygon, transform):
    """``polygon`` (or multipolygon) moved from pixel to map coordinates by the ``Affine``
    ``transform``, applied to whole rings at once: the same numbers as shapely's
    ``affine_transform``, which works point by point with shapely 1."""
    if isinstance(polygon, MultiPolygon):
        return MultiPolygon([_to_map(part, transform) for part in polygon.geoms])

    def ring(coords):
        xy = np.asarray(coords)
        return np.column_stack(transform * (xy[:, 0], xy[:, 1]))

    return Polygon(ring(polygon.exterior.coords),
                   [ring(hole.coords) for hole in polygon.interiors])


def _sums(ids, values):
    """(piece, sum, count) for each piece among ``ids``."""
    unique, inverse = np.unique(ids, return_inverse=True)
    totals = np.bincount(inverse, weights=values.astype(np.float64))
    counts = np.bincount(inverse)
    return zip(unique.tolist(), totals.tolist(), counts.tolist())


def simplify_shared(geometries, tolerance):
    """Simplify polygons so that edges they share stay shared: no gaps, no overlaps.

    All boundaries are dissolved into one noded linework, merged into lines
    running between junctions, and simplified together with GEOS's
    topology-preserving simplifier (line ends stay, no line crosses another).
    The faces of the simplified linework go back to the polygon containing
    them.  Returns the new geometries in the same order; a polygon smaller
    than the tolerance can vanish (None).
    """
    import geopandas as gpd

    if tolerance <= 0 or not geometries:
        return list(geometries)
    lines = linemerge(unary_union([g.boundary for g in geometries]))
    simplified = lines.simplify(tolerance, preserve_topology=True)
    index = gpd.GeoSeries(geometries).sindex
    faces = {}
    for face in polygonize(unary_union(simplified)):
        inside = face.representative_point()
        hits = [i for i in index.query(inside, predicate="intersects")
                if geometries[i].contains(inside)]
        if hits:
            faces.setdefault(int(hits[0]), []).append(face)
    return [_merge(faces[i]) if i in faces else None for i in range(len(geometries))]
