"""Stratified random samples over a class raster, sized for a target precision.

The sample size follows Olofsson et al. (2014, eq. 13, after Cochran 1977):
``n = (sum_i W_i S_i / S(O))**2`` with ``W_i`` the mapped share of class i,
``S_i = sqrt(U_i (1 - U_i))`` from the expected user's accuracy ``U_i`` and
``S(O)`` the target standard error of overall accuracy.  The sample is
allocated in proportion to the mapped area, then every class is raised to a
minimum, as the paper recommends for rare classes.
"""

import math
from dataclasses import dataclass

import numpy as np
import rasterio

from ..common.errors import InputError
from ..common.files import atomic_outputs, write_vector
from ..common.progress import ensure_feedback
from ..rasters.access import blockwise, read_raster_info, read_windows
from ..rasters.class_raster import (NODATA_CLASS, check_class_raster, class_pixel_counts,
                                    read_class_table)
from ..rasters.reservoir import Reservoir

REFERENCE_FIELD = "reference"


@dataclass
class SampleDesign:
    """What was drawn: class values, mapped pixels, expected accuracies and sample sizes."""

    values: list
    mapped_pixels: list
    expected_ua: list
    sizes: list
    total_from_formula: int


def sample_size(weights, expected_ua, target_se):
    """Total sample size for a target standard error of overall accuracy (Cochran)."""
    weights = np.asarray(weights, dtype=float)
    spread = np.sqrt(np.asarray(expected_ua, dtype=float) * (1 - np.asarray(expected_ua)))
    return math.ceil((float(np.sum(weights * spread)) / target_se) ** 2)


def allocate(total, weights, minimum, available):
    """Proportional allocation of ``total``, each class raised to ``minimum`` (capped by
    the pixels ``available`` in it)."""
    sizes = np.maximum(np.round(np.asarray(weights) * total).astype(int), minimum)
    return np.minimum(sizes, np.asarray(available)).astype(int).tolist()


@blockwise
def draw_stratified_sample(map_path, output, *, target_se=0.01, expected_ua=None,
                           default_ua=0.8, min_per_class=50, seed=0, memory_mb=256,
                           feedback=None):
    """Draw a stratified random sample of pixel centres over the classes of ``map_path``.

    ``expected_ua`` maps class values or names to expected user's accuracies;
    other classes use ``default_ua``.  The output point layer has the map class
    (value and name) of each point and an empty ``reference`` field to fill in.
    """
    feedback = ensure_feedback(feedback)
    if not 0 < target_se < 0.5:
        raise InputError("TARGET_SE must be between 0 and 0.5 (for example 0.01).")
    if min_per_class < 2:
        raise InputError("MIN_PER_CLASS must be at least 2: a stratum needs two samples for "
                         "its variance.")
    info = read_raster_info(map_path, role="INPUT_CLASSES")
    check_class_raster(info)
    table, _ = read_class_table(map_path)
    names = {c["value"]: c["name"] for c in table}
    counts = class_pixel_counts(info, memory_mb)
    counts[NODATA_CLASS] = 0
    values = [int(v) for v in np.flatnonzero(counts)]
    if not values:
        raise InputError("INPUT_CLASSES has no valid pixel to sample.")
    known = {str(v) for v in values} | {names[v] for v in values if v in names}
    unknown = sorted(set(expected_ua or {}) - known)
    if unknown:
        raise InputError("EXPECTED_UA: '{unknown}' is not a class of the map; classes are "
                         "{classes}.", unknown=unknown[0],
                         classes=", ".join(str(names.get(v, v)) for v in values))
    accuracies = [_expected(v, names, expected_ua, default_ua) for v in values]
    weights = counts[values] / counts[values].sum()
    total = sample_size(weights, accuracies, target_se)
    sizes = allocate(total, weights, min_per_class, counts[values])
    design = SampleDesign(values, counts[values].tolist(), accuracies, sizes, total)
    rng = np.random.default_rng(seed)
    reservoirs = {v: Reservoir(n) for v, n in zip(values, sizes)}
    windows = read_windows(info, memory_mb, 16)
    with rasterio.open(map_path) as src:
        for done, window in enumerate(windows, 1):
            feedback.check_cancelled()
            block = src.read(1, window=window)
            rows, cols = np.nonzero(block != NODATA_CLASS)
            keys = rng.random(len(rows))
            classes = block[rows, cols]
            for value, reservoir in reservoirs.items():
                hit = classes == value
                if hit.any():
                    reservoir.offer(keys[hit], [rows[hit] + int(window.row_off),
                                                cols[hit] + int(window.col_off)])
            feedback.progress(done / len(windows))
    _write_points(reservoirs, info, names, output, feedback)
    feedback.info("Sample: {sizes} (formula: {total} in total for a standard error of "
                  "{target_se:g}).", total=total, target_se=target_se,
                  sizes=", ".join(f"{names.get(v, v)} {n}" for v, n in zip(values, sizes)))
    return design


def _expected(value, names, expected_ua, default_ua):
    for key in (str(value), names.get(value)):
        if expected_ua and key in expected_ua:
            try:
                ua = float(expected_ua[key])
            except ValueError:
                raise InputError("EXPECTED_UA: '{given}' for class {key} is not a "
                                 "number.", given=expected_ua[key], key=key) from None
            break
    else:
        ua = default_ua
    if not 0 < ua < 1:
        raise InputError("EXPECTED_UA: expected user's accuracies must be between 0 and 1 "
                         "(class {name} has {ua:g}).", name=names.get(value, value), ua=ua)
    return ua


def _write_points(reservoirs, info, names, output, feedback):
    import geopandas as gpd
    from shapely.geometry import Point

    records = []
    for value, reservoir in reservoirs.items():
        if reservoir.parts is None:
            continue
        for row, col in sorted(zip(*[p.tolist() for p in reservoir.parts])):
            x, y = info.transform * (col + 0.5, row + 0.5)
            records.append({"map_value": value, "map_class": names.get(value, str(value)),
                            REFERENCE_FIELD: None, "geometry": Point(x, y)})
    frame = gpd.GeoDataFrame(records, geometry="geometry", crs=info.crs.to_wkt())
    frame.insert(0, "id", np.arange(1, len(frame) + 1))
    # An empty text column that users fill in with class names or values.
    frame[REFERENCE_FIELD] = frame[REFERENCE_FIELD].astype("string")
    with atomic_outputs(output) as (temp,):
        write_vector(frame, temp, "sample", feedback)
