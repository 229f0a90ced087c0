"""Label layers: read, reproject to the raster, clip, and turn into a class table."""

import os
from dataclasses import dataclass

import numpy as np

from ..common.errors import InputError
from .class_raster import CROP_MODE_CLASSES, PALETTE, ClassInfo


@dataclass
class Labels:
    """Label features in the raster CRS with their class values (group id = position + 1)."""

    geometries: object        # GeoSeries in the raster CRS, clipped to the raster
    class_values: np.ndarray  # class value of each feature
    classes: list             # ClassInfo, sorted by value
    crop_mode: bool           # True: unlabelled pixels in ``aoi`` are class 0
    aoi: object = None        # shapely geometry in the raster CRS (crop mode only)


def read_labels(path, raster_info, *, label_field=None, crop_classes=None, aoi_path=None,
                feedback=None):
    """Read a label layer for training on ``raster_info``.

    Parameters
    ----------
    path : str
        Polygon or point layer in any CRS.
    raster_info : RasterInfo
        The raster the labels describe; features are reprojected to its CRS and clipped.
    label_field : str, optional
        Integer or text class field. Empty: crop mode (every feature is ``crop``,
        every other valid pixel in the AOI is ``non-crop``).
    crop_classes : list of str, optional
        Class values or names that count as crop (ignored in crop mode).
    aoi_path : str, optional
        Polygon layer limiting the non-crop background in crop mode.
    """
    frame = read_layer(path, "LABELS", feedback)
    bad_types = sorted(set(frame.geom_type) - {"Polygon", "MultiPolygon", "Point", "MultiPoint"})
    if bad_types:
        raise InputError("LABELS: only polygons and points can be labels, the layer has "
                         "{bad_types}.", bad_types=", ".join(bad_types))
    frame = frame.to_crs(raster_info.crs)
    crop_mode = not label_field
    if crop_mode:
        values = np.ones(len(frame), dtype=np.int64)
        classes = list(CROP_MODE_CLASSES)
    else:
        frame, values, classes = _classes_from_field(frame, label_field, crop_classes)
    frame, values = _clip_to_raster(frame, values, raster_info)
    aoi = _read_aoi(aoi_path, raster_info) if crop_mode else None
    if feedback is not None:
        feedback.info("{n_features} label feature(s) overlap the raster; classes: {classes}",
                      n_features=len(frame),
                      classes=", ".join(f"{c.value}={c.name}" for c in classes))
    return Labels(frame.geometry.reset_index(drop=True), values, classes, crop_mode, aoi)


def parse_crop_classes(crop_classes, classes):
    """Return the class values among ``classes`` named by ``crop_classes`` (values or names)."""
    chosen = set()
    for token in crop_classes or ():
        token = str(token).strip()
        if not token:
            continue
        match = [c.value for c in classes if token == str(c.value) or token == c.name]
        if not match:
            known = ", ".join(f"{c.value} ({c.name})" for c in classes)
            raise InputError("CROP_CLASSES: '{token}' is not a class of the labels; "
                             "classes are {known}.", token=token, known=known)
        chosen.update(match)
    return chosen


def read_layer(path, role, feedback=None):
    """Features with a geometry, made valid; ``path`` may end in ``|layername=NAME``.

    How many features had no geometry (left out) or an invalid one (repaired) is
    told to ``feedback``.
    """
    import geopandas as gpd

    path, _, layer = str(path).partition("|layername=")  # QGIS's layer-in-file notation
    try:
        frame = gpd.read_file(path, layer=layer or None)
    except Exception as exc:  # pyogrio raises several error types for unreadable files
        raise InputError("{role}: cannot read '{path}' as a vector layer "
                         "({exc}).", role=role, path=path,
                         exc=str(exc).splitlines()[0][:200]) from None
    if frame.crs is None:
        raise InputError("{role}: '{path}' has no coordinate reference "
                         "system; set one on the layer and retry.", role=role,
                         path=os.path.basename(str(path)))
    present = _has_geometry(frame.geometry)
    frame = frame[present].copy()
    if frame.empty:
        raise InputError("{role}: the layer has no features with a geometry.", role=role)
    invalid = ~frame.geometry.is_valid.to_numpy()
    frame["geometry"] = frame.geometry.make_valid()
    if feedback is not None and (invalid.any() or not present.all()):
        feedback.warning("{role}: {n_empty} feature(s) without a geometry left "
                         "out, {invalid} invalid geometry(ies) (such as "
                         "self-intersections) repaired.", role=role, n_empty=int((~present).sum()),
                         invalid=int(invalid.sum()))
    return frame


def _has_geometry(series):
    """True where a GeoSeries holds a non-empty geometry."""
    return np.array([g is not None and not g.is_empty for g in series], dtype=bool)


def _classes_from_field(frame, field, crop_classes):
    if field not in frame.columns or field == "geometry":
        fields = ", ".join(c for c in frame.columns if c != "geometry")
        raise InputError("LABEL_FIELD: the label layer has no field '{field}' "
                         "(fields: {fields}).", field=field, fields=fields)
    column = frame[field]
    keep = column.notna() & (column.astype(str).str.strip() != "")
    if not keep.any():
        raise InputError("LABEL_FIELD: field '{field}' is empty in every feature.", field=field)
    frame, column = frame[keep], column[keep]
    if np.issubdtype(column.dtype, np.number):
        numbers = column.to_numpy(dtype=float)
        if not np.all(numbers == np.round(numbers)):
            raise InputError("LABEL_FIELD: field '{field}' has non-integer numbers; "
                             "use an integer or text class field.", field=field)
        values = numbers.astype(np.int64)
        if values.min() < 0 or values.max() >= 255:
            raise InputError("LABEL_FIELD: class values must be 0..254 "
                             "(field '{field}' has {values_min}..{values_max}).", field=field,
                             values_min=values.min(), values_max=values.max())
        names = {int(v): str(int(v)) for v in np.unique(values)}
    else:
        text = column.astype(str).str.strip()
        unique = sorted(set(text))
        if len(unique) > 254:
            raise InputError("LABEL_FIELD: field '{field}' has {n_unique} distinct values; "
                             "at most 254 classes are supported.", field=field,
                             n_unique=len(unique))
        ids = {name: i for i, name in enumerate(unique, 1)}
        values = text.map(ids).to_numpy(dtype=np.int64)
        names = {i: name for name, i in ids.items()}
    provisional = [ClassInfo(v, names[v], "", False) for v in sorted(names)]
    crop = parse_crop_classes(crop_classes, provisional)
    classes = [ClassInfo(c.value, c.name, PALETTE[i % len(PALETTE)], c.value in crop)
               for i, c in enumerate(provisional)]
    return frame, values, classes


def _clip_to_raster(frame, values, info):
    from shapely.geometry import box

    extent = box(*info.bounds)
    clipped = frame.geometry.intersection(extent)
    keep = _has_geometry(clipped)
    if not keep.any():
        raise InputError("LABELS: no label feature overlaps the raster extent; check that the "
                         "labels and the raster cover the same area.")
    frame = frame[keep].copy()
    frame["geometry"] = clipped[keep]
    return frame, values[keep]


def _read_aoi(aoi_path, info):
    from shapely.geometry import box
    from shapely.ops import unary_union

    extent = box(*info.bounds)
    if not aoi_path:
        return extent
    frame = read_layer(aoi_path, "AOI").to_crs(info.crs)
    if not set(frame.geom_type) <= {"Polygon", "MultiPolygon"}:
        raise InputError("AOI: the area of interest must be a polygon layer.")
    aoi = unary_union(list(frame.geometry)).intersection(extent)
    if aoi.is_empty:
        raise InputError("AOI: the area of interest does not overlap the raster.")
    return aoi
