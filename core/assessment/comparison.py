"""Compare a class raster with reference data: polygons, points or a reference raster.

The map grid is the frame: reference polygons are rasterized onto it block by
block, points are read at their pixel, and a reference raster on another grid
is resampled onto it by nearest neighbour.  Pixels that are nodata in the map
or unlabelled in the reference are left out and counted.
"""

from dataclasses import dataclass, field

import numpy as np

from ..common.errors import InputError, Message
from ..common.progress import ensure_feedback
from ..rasters.access import blockwise, pixel_area_m2, read_raster_info
from ..rasters.class_raster import check_class_raster, class_pixel_counts, read_class_table
from ..rasters.labels import read_layer
from .metrics import census_assessment, confusion_matrix, stratified_estimates
from .options import SAMPLINGS
from .reference import UNMATCHED_VALUES, map_reference, pairs_from_raster, pairs_from_vector


@dataclass
class MapAssessment:
    """An assessment with everything needed to write and explain it."""

    classes: list              # dicts: value, name, is_crop, in_map, in_reference
    assessment: object         # metrics.Assessment
    sampling: str
    excluded: dict             # what was left out and why: pixel or point counts
    inputs: dict               # paths and parameters, for the report and the rerun command
    warnings: list = field(default_factory=list)    # Messages
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
        pairs, excluded, is_points, reference_names = pairs_from_vector(
            map_path, info, reference_vector, reference_field, memory_mb, feedback)
    else:
        pairs, excluded, reference_names = pairs_from_raster(map_path, info, reference_raster,
                                                             memory_mb, warnings, feedback)
        is_points = False
    sampling = sampling or ("stratified" if is_points else "census")
    if sampling not in SAMPLINGS:
        raise InputError("SAMPLING must be one of {samplings}.", samplings=", ".join(SAMPLINGS))
    if sampling == "stratified" and not is_points:
        raise InputError("SAMPLING: stratified estimates need reference points drawn as a "
                         "stratified random sample (see Stratified sample); use census for "
                         "polygons and rasters.")
    mapped, reference, counts = pairs
    reference = map_reference(reference, reference_names, names, class_mapping)
    if len(mapped) == 0:
        raise InputError("The map and the reference share no labelled pixel: check that they "
                         "overlap and use the same area.")
    unmatched = sorted({reference_names[v] for v in np.unique(reference).tolist()
                        if v >= UNMATCHED_VALUES})
    if unmatched and np.all(reference >= UNMATCHED_VALUES):
        raise InputError("REFERENCE_FIELD: no reference class ({unmatched}) is a "
                         "class of the map ({map_classes}); match them with "
                         "CLASS_MAPPING.", unmatched=", ".join(unmatched),
                         map_classes=", ".join(names.values()))
    if unmatched:
        warnings.append(Message("Reference classes that are not classes of the map, counted "
                                "as errors: {unmatched} (CLASS_MAPPING matches them).",
                                unmatched=", ".join(unmatched)))
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
        warnings.insert(0, Message("MODEL: the overlap with the training data could not be "
                                   "checked (the model records no training area, or the "
                                   "reference is a raster)."))
        return None
    area = gpd.GeoSeries([area], crs=manifest["training"]["crs"]).to_crs(info.crs).iloc[0]
    reference = read_layer(reference_vector, "REFERENCE_VECTOR").to_crs(info.crs).geometry
    if set(reference.geom_type) <= {"Point", "MultiPoint"}:
        share = float(reference.intersects(area).mean())
    else:
        total = reference.area.sum()
        share = float(reference.intersection(area).area.sum() / total) if total else 0.0
    if share > 0:
        warnings.insert(0, Message("The reference overlaps the training data of the model: "
                                   "{percent:.1f}% of it lies where training pixels came from, "
                                   "so these figures are optimistic. Use reference data kept "
                                   "apart from training.", percent=100 * share))
    return share
