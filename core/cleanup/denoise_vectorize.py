"""The denoise-and-vectorize step: class raster -> cleaned crop mask -> field polygons."""

import os
import tempfile
from dataclasses import dataclass

import numpy as np
import rasterio

from ..common.errors import InputError
from ..common.files import atomic_outputs, write_vector
from ..common.progress import ensure_feedback
from ..common.styles import paletted_qml, shipped_style, write_sidecar
from ..rasters.access import blockwise, pixels_for_hectares, read_raster_info
from ..rasters.class_raster import (CROP, CROP_MODE_CLASSES, NON_CROP, ClassInfo,
                                    check_class_raster, class_values_in, colormap, copy_class_tags,
                                    crop_values_for, read_class_table)
from .filters import (MAX_MEDIAN_SIZE, default_side, mask_profile, minimum_area, sieve_classes,
                      write_filtered)
from .options import KEEP_CLASSES
from .vectorize import Polygons, simplify_shared, vectorize

POLYGON_LAYER = "fields"


@dataclass
class DenoiseResult:
    """What the step wrote and changed."""

    mask_path: str
    polygons_path: str
    polygons: int
    crop_pixels: int
    patches_removed: int
    holes_filled: int


#: GDAL's block cache while cleaning: each tile is read once and written once, so a larger
#: cache only holds memory (64 MB more at 8000 x 8000 px), and it is no faster.
CACHE_BYTES = 16 * 1024 * 1024


@blockwise(cache_bytes=CACHE_BYTES)
def denoise_vectorize_mask(classes_path, output_mask, output_polygons, *, confidence_path=None,
                           crop_classes=None, median_size=5, opening=0, closing=0,
                           min_area_ha=0.0, simplify=0.0, keep_classes="crop", memory_mb=512,
                           feedback=None):
    """Clean the crop mask of a class raster and trace its crop patches as polygons.

    Parameters
    ----------
    classes_path : str
        Integer class raster (typically from ``classify_raster``).
    crop_classes : list of str, optional
        Class values or names forming the crop mask; default: the crop classes
        written into the class raster.
    median_size : int
        Odd kernel side in pixels of the majority (median) filter; 0 or 1 = off.
    opening, closing : int
        Radii in pixels of the morphological opening and closing; 0 = off.
    min_area_ha : float
        Minimum mapping unit: smaller crop patches become non-crop and smaller
        holes inside crop patches become crop.
    simplify : float
        Douglas-Peucker tolerance in map units; 0 keeps the exact pixel edges.
        Edges shared by polygons are simplified once, so no gaps or overlaps appear.
    keep_classes : {"crop", "all"}
        "all" keeps every class instead of the crop mask: the majority filter
        and the minimum mapping unit (small patches take the class they border
        most) work on the classes, and every class is vectorized.
    """
    feedback = ensure_feedback(feedback)
    _check_filters(median_size, opening, closing, min_area_ha, memory_mb)
    if simplify < 0:
        raise InputError("SIMPLIFY cannot be negative.")
    info = read_raster_info(classes_path, role="INPUT_CLASSES")
    check_class_raster(info)
    side = default_side(memory_mb)
    classes, crop_values, class_values = _classes_kept(classes_path, keep_classes, crop_classes,
                                                       opening, closing, side)
    if confidence_path:
        _check_same_grid(info, read_raster_info(confidence_path, role="INPUT_CONFIDENCE"))
    min_pixels = pixels_for_hectares(min_area_ha, info)
    folder = os.path.dirname(os.path.abspath(output_mask))
    with atomic_outputs(output_mask, output_polygons) as (mask_temp, polygons_temp), \
            tempfile.TemporaryDirectory(prefix=".cropseg-", dir=folder) as work:
        removed = filled = 0
        filtered = os.path.join(work, "filtered.tif") if min_pixels > 1 else mask_temp
        write_filtered(classes_path, filtered, crop_values=crop_values,
                       class_values=class_values, median_size=median_size, opening=opening,
                       closing=closing, side=side, intermediate=filtered != mask_temp,
                       feedback=feedback.step(0, 0.3))
        traced = {"path": mask_temp, "values": [CROP] if crop_values is not None else class_values,
                  "side": side, "confidence_path": confidence_path,
                  "feedback": feedback.step(0.6, 0.95)}
        if min_pixels > 1 and crop_values is None:
            removed = sieve_classes(filtered, mask_temp, class_values, min_pixels, side=side,
                                    feedback=feedback.step(0.3, 0.6))
            polygons = vectorize(**traced)
        elif min_pixels > 1:
            # The mask is written as its polygons are traced: one pass less over it.
            unit = minimum_area(filtered, min_pixels, side=side, feedback=feedback.step(0.3, 0.6))
            removed, filled = unit.patches_removed, unit.holes_filled
            with rasterio.open(mask_temp, "w", **mask_profile(info)) as mask:
                polygons = vectorize(**{**traced, "path": filtered}, rewrite=unit,
                                     write=lambda window, block: mask.write(block, 1,
                                                                            window=window))
        else:
            polygons = vectorize(**traced)
        _describe_output(mask_temp, classes_path, crop_values, classes)
        feedback.check_cancelled()
        polygons = _simplified(polygons, simplify, feedback)
        _write_polygons(polygons, info.crs, polygons_temp, {c.value: c.name for c in classes},
                        feedback)
    write_sidecar(output_mask, paletted_qml(classes))
    write_sidecar(output_polygons, shipped_style("crop_fields.qml"))
    feedback.progress(1.0)
    result = DenoiseResult(output_mask, output_polygons, len(polygons.geometries),
                           int(polygons.pixels.sum()), removed, filled)
    feedback.info("{polygons} crop polygon(s), {crop_pixels} crop pixels; "
                  "{removed} patch(es) removed and {filled} hole(s) filled below "
                  "{min_area_ha:g} ha ({min_pixels} px).", polygons=result.polygons,
                  crop_pixels=result.crop_pixels, removed=removed, filled=filled,
                  min_area_ha=min_area_ha, min_pixels=min_pixels)
    return result


def _classes_kept(classes_path, keep_classes, crop_classes, opening, closing, side):
    """(ClassInfo of the output, crop values or None, class values filtered)."""
    if keep_classes not in KEEP_CLASSES:
        raise InputError("KEEP_CLASSES must be one of {keep_classes}.",
                         keep_classes=", ".join(KEEP_CLASSES))
    if keep_classes == "crop":
        crop_values = crop_values_for(classes_path, crop_classes)
        return list(CROP_MODE_CLASSES), crop_values, [NON_CROP, CROP]
    if any(str(c).strip() for c in crop_classes or ()):
        raise InputError("CROP_CLASSES must be empty when KEEP_CLASSES is all: every class is "
                         "kept and vectorized.")
    if opening or closing:
        raise InputError("OPENING and CLOSING work on the crop mask; set them to 0 when "
                         "KEEP_CLASSES is all.")
    values = class_values_in(classes_path, side)
    table = {c["value"]: ClassInfo.from_dict(c) for c in read_class_table(classes_path)[0]}
    palette = ("#1f78b4", "#33a02c", "#e31a1c", "#ff7f00", "#6a3d9a", "#b15928")
    classes = [table.get(v, ClassInfo(v, str(v), palette[i % len(palette)], False))
               for i, v in enumerate(values)]
    return classes, None, values


def _describe_output(path, classes_path, crop_values, classes):
    """Band name, colour table and class tags of the cleaned raster."""
    with rasterio.open(path, "r+") as output:
        if crop_values is not None:
            output.update_tags(**copy_class_tags(classes_path, crop_values))
            output.set_band_description(1, "crop mask")
        else:
            with rasterio.open(classes_path) as source:
                output.update_tags(**source.tags())
            output.set_band_description(1, "class")
        output.write_colormap(1, colormap(classes))


def _simplified(polygons, tolerance, feedback):
    """``polygons`` with simplified geometries; polygons that vanish are dropped and counted."""
    if tolerance <= 0:
        return polygons
    geometries = simplify_shared(polygons.geometries, tolerance)
    kept = np.array([g is not None and not g.is_empty for g in geometries], dtype=bool)
    if not kept.all():
        feedback.info("SIMPLIFY: {vanished} polygon(s) smaller than the tolerance "
                      "vanished.", vanished=int((~kept).sum()))
    confidence = polygons.mean_confidence
    return Polygons([g for g, k in zip(geometries, kept) if k], polygons.values[kept],
                    polygons.pixels[kept], None if confidence is None else confidence[kept])


def _check_filters(median_size, opening, closing, min_area_ha, memory_mb):
    if median_size < 0 or (median_size > 1 and median_size % 2 == 0):
        raise InputError("MEDIAN_SIZE must be an odd number of pixels (3, 5, 7...), or 0 to "
                         "switch the filter off.")
    if median_size > MAX_MEDIAN_SIZE:
        raise InputError("MEDIAN_SIZE can be at most {max_median_size} pixels.",
                         max_median_size=MAX_MEDIAN_SIZE)
    if opening < 0 or closing < 0:
        raise InputError("OPENING and CLOSING are radii in pixels and cannot be negative.")
    if min_area_ha < 0:
        raise InputError("MIN_AREA cannot be negative.")
    if memory_mb < 64:
        raise InputError("MEMORY_MB must be at least 64.")


def _check_same_grid(info, other):
    if (other.width, other.height) != (info.width, info.height) or \
            not np.allclose(tuple(other.transform)[:6], tuple(info.transform)[:6]):
        raise InputError("INPUT_CONFIDENCE must be on the grid of INPUT_CLASSES (same size and "
                         "position); use the confidence output of the same classification.")


def _write_polygons(polygons, crs, path, names, feedback):
    import geopandas as gpd

    area_m2, perimeter_m = _measure(polygons.geometries, crs)
    columns = {
        "id": np.arange(1, len(polygons.geometries) + 1),
        "class_value": polygons.values.astype(int),
        "class_name": [names.get(int(v), str(v)) for v in polygons.values],
        "area_ha": np.round(area_m2 / 10_000, 4),
        "perimeter_m": np.round(perimeter_m, 2),
    }
    if polygons.mean_confidence is not None:
        columns["mean_confidence"] = np.round(polygons.mean_confidence, 4)
    frame = gpd.GeoDataFrame(columns, geometry=polygons.geometries, crs=crs.to_wkt())
    write_vector(frame, path, POLYGON_LAYER, feedback)


def _measure(geometries, crs):
    """Areas (m2) and perimeters (m) of polygons in ``crs``."""
    if not geometries:
        return np.zeros(0), np.zeros(0)
    if crs.is_geographic:
        from pyproj import Geod

        geod = Geod(ellps="WGS84")
        pairs = [geod.geometry_area_perimeter(g) for g in geometries]
        return np.abs([a for a, _ in pairs]), np.array([p for _, p in pairs])
    factor = crs.linear_units_factor[1]
    return (np.array([g.area for g in geometries]) * factor * factor,
            np.array([g.length for g in geometries]) * factor)
