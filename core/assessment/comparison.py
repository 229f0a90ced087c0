"""Compare a class raster with reference data: polygons, points or a reference raster.

The map grid is the frame: reference polygons are rasterized onto it block by
block, points are read at their pixel, and a reference raster on another grid
is resampled onto it by nearest neighbour.  Pixels that are nodata in the map
or unlabelled in the reference are left out and counted.
"""

from dataclasses import dataclass, field

import numpy as np
import rasterio
from rasterio.features import rasterize
from rasterio.windows import bounds as window_bounds
from shapely.geometry import box

from ..common.errors import InputError
from ..common.progress import ensure_feedback
from ..rasters.access import blockwise, pixel_area_m2, read_raster_info, read_windows
from ..rasters.class_raster import (NODATA_CLASS, check_class_raster, check_class_values,
                                    class_pixel_counts, read_class_table)
from ..rasters.labels import read_layer
from .metrics import census_assessment, confusion_matrix, stratified_estimates
from .options import SAMPLINGS

#: Text reference classes are coded from here on until they are matched to map classes.
TEXT_CODES = 100_000


@dataclass
class MapAssessment:
    """An assessment with everything needed to write and explain it."""

    classes: list              # dicts: value, name, is_crop, in_map, in_reference
    assessment: object         # metrics.Assessment
    sampling: str
    excluded: dict             # what was left out and why: pixel or point counts
    inputs: dict               # paths and parameters, for the report and the rerun command
    warnings: list = field(default_factory=list)
    training_overlap: float = None  # share of the reference inside the model's training area


@blockwise
def assess_map(map_path, *, reference_vector=None, reference_field=None, reference_raster=None,
               class_mapping=None, sampling=None, beta=1.0, model_path=None, memory_mb=256,
               feedback=None):
    """Assess the class raster ``map_path`` against a reference.

    Parameters
    ----------
    reference_vector, reference_field : str
        Polygons (rasterized onto the map grid) or points (read at their pixel)
        with an integer or text class field.
    reference_raster : str
        A reference class raster; resampled by nearest neighbour when its grid differs.
    class_mapping : dict, optional
        Reference value or name -> map value or name, for references coded differently.
    sampling : {"census", "stratified"}, optional
        Default: stratified for points (a stratified random sample over the map
        classes), census otherwise.
    beta : float
        Weight of recall in the F-beta score.
    model_path : str, optional
        A model file: the report says how much of the reference lies where that
        model's training pixels came from.
    """
    feedback = ensure_feedback(feedback)
    if (reference_vector is None) == (reference_raster is None):
        raise InputError("Give either REFERENCE_VECTOR (with REFERENCE_FIELD) or "
                         "REFERENCE_RASTER as the reference.")
    if beta <= 0:
        raise InputError("BETA must be greater than 0.")
    info = read_raster_info(map_path, role="INPUT_CLASSES")
    check_class_raster(info)
    table, crop_values = read_class_table(map_path)
    names = {c["value"]: c["name"] for c in table}
    warnings = []
    if reference_vector is not None:
        pairs, excluded, is_points, reference_names = _pairs_from_vector(
            map_path, info, reference_vector, reference_field, memory_mb, feedback)
    else:
        pairs, excluded, reference_names = _pairs_from_raster(map_path, info, reference_raster,
                                                              memory_mb, warnings, feedback)
        is_points = False
    sampling = sampling or ("stratified" if is_points else "census")
    if sampling not in SAMPLINGS:
        raise InputError(f"SAMPLING must be one of {', '.join(SAMPLINGS)}.")
    if sampling == "stratified" and not is_points:
        raise InputError("SAMPLING: stratified estimates need reference points drawn as a "
                         "stratified random sample (see Stratified sample); use census for "
                         "polygons and rasters.")
    mapped, reference, counts = pairs
    reference = _map_reference(reference, reference_names, names, class_mapping)
    if len(mapped) == 0:
        raise InputError("The map and the reference share no labelled pixel: check that they "
                         "overlap and use the same area.")
    unmatched = sorted({reference_names[v] for v in np.unique(reference).tolist()
                        if v >= UNMATCHED_VALUES})
    if unmatched and np.all(reference >= UNMATCHED_VALUES):
        raise InputError(f"REFERENCE_FIELD: no reference class ({', '.join(unmatched)}) is a "
                         f"class of the map ({', '.join(names.values())}); match them with "
                         "CLASS_MAPPING.")
    if unmatched:
        warnings.append(f"Reference classes that are not classes of the map, counted as "
                        f"errors: {', '.join(unmatched)} (CLASS_MAPPING matches them).")
    values = sorted(set(names) | set(np.unique(mapped).tolist())
                    | set(np.unique(reference).tolist()))
    classes = [{"value": v, "name": names.get(v, reference_names.get(v, str(v))),
                "is_crop": v in crop_values, "in_map": bool(np.any(mapped == v)),
                "in_reference": bool(np.any(reference == v))} for v in values]
    matrix = confusion_matrix(mapped, reference, values, counts)
    assessment = census_assessment(matrix, beta=beta)
    if sampling == "stratified":
        counts = class_pixel_counts(info, memory_mb)
        strata = [int(counts[v]) if 0 <= v < 256 else 0 for v in values]
        assessment.stratified = stratified_estimates(matrix, strata,
                                                     pixel_area_m2(info) / 10_000)
        warnings.extend(assessment.stratified["flags"])
    overlap = None
    if model_path:
        overlap = _training_overlap(model_path, info, reference_vector, warnings)
    inputs = {"map": map_path, "reference_vector": reference_vector,
              "reference_field": reference_field, "reference_raster": reference_raster,
              "class_mapping": class_mapping or {}, "sampling": sampling, "beta": beta,
              "model": model_path}
    return MapAssessment(classes, assessment, sampling, excluded, inputs, warnings, overlap)


def _training_overlap(model_path, info, reference_vector, warnings):
    """Share of the reference (area, or points) inside the model's training area."""
    import geopandas as gpd

    from ..model.archive import read_training_area

    area, manifest = read_training_area(model_path)
    if area is None or reference_vector is None:
        warnings.insert(0, "MODEL: the overlap with the training data could not be checked "
                           "(the model records no training area, or the reference is a raster).")
        return None
    area = gpd.GeoSeries([area], crs=manifest["training"]["crs"]).to_crs(info.crs).iloc[0]
    reference = read_layer(reference_vector, "REFERENCE_VECTOR").to_crs(info.crs).geometry
    if set(reference.geom_type) <= {"Point", "MultiPoint"}:
        share = float(reference.intersects(area).mean())
    else:
        total = reference.area.sum()
        share = float(reference.intersection(area).area.sum() / total) if total else 0.0
    if share > 0:
        warnings.insert(0, f"The reference overlaps the training data of the model: "
                           f"{100 * share:.1f}% of it lies where training pixels came from, so "
                           "these figures are optimistic. Use reference data kept apart from "
                           "training.")
    return share


#: Most distinct reference values a class reference may hold.
MAX_REFERENCE_VALUES = 1024


class _PixelPairs:
    """How many pixels have each (map, reference) pair of values, and counts of the rest.

    Pairs are counted block by block, so memory does not grow with the map, nor with a
    reference that is not a class layer: past ``MAX_REFERENCE_VALUES`` it is refused.
    """

    def __init__(self, info, role):
        self.info, self.role = info, role
        self.counts, self.reference_values = {}, set()
        self.excluded = {"map_nodata": 0, "unlabelled": 0, "unit": "pixels"}

    def add(self, mapped, reference, labelled):
        check_class_values(mapped, self.info)
        nodata = mapped == NODATA_CLASS
        self.excluded["map_nodata"] += int((labelled & nodata).sum())
        self.excluded["unlabelled"] += int((~labelled & ~nodata).sum())
        keep = labelled & ~nodata
        # One code per pair: map values are 0..255 (checked above).
        codes, counts = np.unique(reference[keep].astype(np.int64) * 256 + mapped[keep],
                                  return_counts=True)
        labels, values = np.divmod(codes, 256)
        self.reference_values.update(labels.tolist())
        if len(self.reference_values) > MAX_REFERENCE_VALUES:
            raise InputError(f"{self.role} holds more than {MAX_REFERENCE_VALUES} distinct "
                             "classes; it is not a class reference.")
        for value, label, count in zip(values.tolist(), labels.tolist(), counts.tolist()):
            self.counts[value, label] = self.counts.get((value, label), 0) + count

    def arrays(self):
        """Map values, reference values and pixel counts of the pairs seen."""
        pairs = np.array(sorted(self.counts), dtype=np.int64).reshape(-1, 2)
        return pairs[:, 0], pairs[:, 1], np.array([self.counts[tuple(p)] for p in pairs.tolist()],
                                                  dtype=np.int64)


def _pairs_from_vector(map_path, info, path, field, memory_mb, feedback):
    """(map values, reference values) of labelled pixels, exclusions, is points, names."""
    if not field:
        raise InputError("REFERENCE_FIELD: name the class field of the reference layer.")
    frame = read_layer(path, "REFERENCE_VECTOR", feedback).to_crs(info.crs)
    if field not in frame.columns:
        fields = ", ".join(c for c in frame.columns if c != "geometry")
        raise InputError(f"REFERENCE_FIELD: the reference layer has no field '{field}' "
                         f"(fields: {fields}).")
    types = set(frame.geom_type)
    if not (types <= {"Point", "MultiPoint"} or types <= {"Polygon", "MultiPolygon"}):
        raise InputError("REFERENCE_VECTOR must hold only polygons or only points.")
    frame = frame[frame[field].notna() & (frame[field].astype(str).str.strip() != "")]
    codes, reference_names = _reference_codes(frame[field])
    is_points = types <= {"Point", "MultiPoint"}
    extent = box(*info.bounds)
    inside = frame.geometry.intersects(extent).to_numpy()
    if not inside.any():
        raise InputError("REFERENCE_VECTOR does not overlap the map; check that both cover "
                         "the same area.")
    frame, codes = frame[inside], codes[inside]
    if is_points:
        points = frame.geometry.explode(index_parts=False)
        repeat = frame.geometry.apply(lambda g: len(getattr(g, "geoms", [g]))).to_numpy()
        codes = np.repeat(codes, repeat)
        with rasterio.open(map_path) as src:
            mapped = np.array([v[0] for v in src.sample([(p.x, p.y) for p in points])])
        check_class_values(mapped, info)
        valid = mapped != NODATA_CLASS
        excluded = {"map_nodata": int((~valid).sum()), "unlabelled": 0, "unit": "points"}
        return (mapped[valid], codes[valid], np.ones(int(valid.sum()), dtype=np.int64)), \
            excluded, True, reference_names
    pairs = _PixelPairs(info, "REFERENCE_FIELD")
    shapes = list(zip(frame.geometry, codes))
    index = frame.geometry.reset_index(drop=True).sindex
    windows = read_windows(info, memory_mb, 16)
    with rasterio.open(map_path) as src:
        for done, window in enumerate(windows, 1):
            feedback.check_cancelled()
            hits = index.query(box(*window_bounds(window, info.transform)))
            mapped = src.read(1, window=window)
            reference = np.full(mapped.shape, -1, dtype=np.int32)
            if len(hits):
                reference = rasterize([shapes[i] for i in sorted(hits)], out_shape=mapped.shape,
                                      transform=rasterio.windows.transform(window, info.transform),
                                      fill=-1, dtype="int32")
            pairs.add(mapped, reference, reference >= 0)
            feedback.progress(done / len(windows))
    return pairs.arrays(), pairs.excluded, False, reference_names


def _pairs_from_raster(map_path, info, path, memory_mb, warnings, feedback):
    from rasterio.enums import Resampling
    from rasterio.vrt import WarpedVRT

    other = read_raster_info(path, role="REFERENCE_RASTER")
    check_class_raster(other, role="REFERENCE_RASTER")
    same = (other.crs == info.crs and other.width == info.width and other.height == info.height
            and np.allclose(tuple(other.transform)[:6], tuple(info.transform)[:6]))
    if not same:
        warnings.append("REFERENCE_RASTER is on another grid; it was resampled onto the map "
                        "grid by nearest neighbour.")
    table, _ = read_class_table(path)
    reference_names = {c["value"]: c["name"] for c in table}
    pairs = _PixelPairs(info, "REFERENCE_RASTER")
    windows = read_windows(info, memory_mb, 16)
    with rasterio.open(map_path) as src, rasterio.open(path) as ref_src:
        reference_nodata = ref_src.nodata
        grid = ref_src if same else WarpedVRT(ref_src, crs=info.crs, transform=info.transform,
                                              width=info.width, height=info.height,
                                              resampling=Resampling.nearest,
                                              nodata=reference_nodata)
        try:
            for done, window in enumerate(windows, 1):
                feedback.check_cancelled()
                mapped = src.read(1, window=window)
                reference = grid.read(1, window=window).astype(np.int64)
                labelled = grid.read_masks(1, window=window) > 0
                if reference_nodata is not None:
                    labelled &= reference != reference_nodata
                pairs.add(mapped, reference, labelled)
                feedback.progress(done / len(windows))
        finally:
            if grid is not ref_src:
                grid.close()
    if not pairs.counts:
        raise InputError("The map and REFERENCE_RASTER share no labelled pixel; check that they "
                         "overlap.")
    return pairs.arrays(), pairs.excluded, reference_names


def _reference_codes(column):
    """Integer codes of a reference field and the names of text values."""
    if np.issubdtype(column.dtype, np.number):
        return column.to_numpy(dtype=np.int64), {}
    text = column.astype(str).str.strip()
    unique = sorted(set(text))
    codes = {name: TEXT_CODES + i for i, name in enumerate(unique)}  # resolved by name later
    return text.map(codes).to_numpy(dtype=np.int64), {code: name for name, code in codes.items()}


#: Reference classes the map does not know get values from here on.
UNMATCHED_VALUES = 1000


def _map_reference(reference, reference_names, map_names, class_mapping):
    """Reference codes translated to map class values (by mapping, value or name)."""
    by_name = {name: value for value, name in map_names.items()}
    translate = {}
    for code in np.unique(reference).tolist():
        label = reference_names.get(code, str(code))
        target = (class_mapping or {}).get(label)
        if target is None and code not in reference_names:
            target = code
        if target is None:
            target = by_name.get(label)
        if target is None:  # a reference class the map does not know: give it its own value
            target = UNMATCHED_VALUES + len(translate)
            reference_names[target] = label
        elif isinstance(target, str):
            if target not in by_name and not target.isdigit():
                raise InputError(f"CLASS_MAPPING: '{target}' is not a class of the map.")
            target = by_name.get(target, int(target) if target.isdigit() else target)
        translate[code] = int(target)
    return np.vectorize(translate.get, otypes=[np.int64])(reference) if len(reference) else \
        reference
