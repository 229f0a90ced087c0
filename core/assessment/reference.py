"""Reference data on the map grid: (map, reference) pixel pairs from polygons, points or a
reference raster, and reference classes matched to map classes."""

import numpy as np
import rasterio
from rasterio.features import rasterize
from rasterio.windows import bounds as window_bounds
from shapely.geometry import box

from ..common.errors import InputError, Message
from ..rasters.access import read_raster_info, read_windows
from ..rasters.class_raster import (NODATA_CLASS, check_class_raster, check_class_values,
                                    read_class_table)
from ..rasters.labels import read_layer

#: Text reference classes are coded from here on until they are matched to map classes.
TEXT_CODES = 100_000


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
            raise InputError("{role} holds more than {max_reference_values} distinct "
                             "classes; it is not a class reference.", role=self.role,
                             max_reference_values=MAX_REFERENCE_VALUES)
        for value, label, count in zip(values.tolist(), labels.tolist(), counts.tolist()):
            self.counts[value, label] = self.counts.get((value, label), 0) + count

    def arrays(self):
        """Map values, reference values and pixel counts of the pairs seen."""
        pairs = np.array(sorted(self.counts), dtype=np.int64).reshape(-1, 2)
        return pairs[:, 0], pairs[:, 1], np.array([self.counts[tuple(p)] for p in pairs.tolist()],
                                                  dtype=np.int64)


def pairs_from_vector(map_path, info, path, field, memory_mb, feedback):
    """(map values, reference values) of labelled pixels, exclusions, is points, names."""
    if not field:
        raise InputError("REFERENCE_FIELD: name the class field of the reference layer.")
    frame = read_layer(path, "REFERENCE_VECTOR", feedback).to_crs(info.crs)
    if field not in frame.columns:
        fields = ", ".join(c for c in frame.columns if c != "geometry")
        raise InputError("REFERENCE_FIELD: the reference layer has no field '{field}' "
                         "(fields: {fields}).", field=field, fields=fields)
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


def pairs_from_raster(map_path, info, path, memory_mb, warnings, feedback):
    from rasterio.enums import Resampling
    from rasterio.vrt import WarpedVRT

    other = read_raster_info(path, role="REFERENCE_RASTER")
    check_class_raster(other, role="REFERENCE_RASTER")
    same = (other.crs == info.crs and other.width == info.width and other.height == info.height
            and np.allclose(tuple(other.transform)[:6], tuple(info.transform)[:6]))
    if not same:
        warnings.append(Message("REFERENCE_RASTER is on another grid; it was resampled onto "
                                "the map grid by nearest neighbour."))
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


def map_reference(reference, reference_names, map_names, class_mapping):
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
                raise InputError("CLASS_MAPPING: '{target}' is not a class of the map.",
                                 target=target)
            target = by_name.get(target, int(target) if target.isdigit() else target)
        translate[code] = int(target)
    return np.vectorize(translate.get, otypes=[np.int64])(reference) if len(reference) else \
        reference
