"""The class raster: the single-band uint8 raster every classification, mask and map is.

Its class table (value, name, colour, crop flag) travels in metadata tags and a
colour table; 255 is nodata.  Here are that table, the tags, the colours, the
checks that a raster is one, its pixel counts, and the resolver of class names
or values that users type.
"""

import json
import os
from dataclasses import dataclass

import numpy as np
import rasterio

from ..common.errors import InputError
from .access import block_windows, blockwise, read_windows

#: Class value written for nodata in every class raster.
NODATA_CLASS = 255

#: Colours given to the classes of a label field, in order.
PALETTE = ("#33a02c", "#e31a1c", "#1f78b4", "#ff7f00", "#6a3d9a", "#b15928", "#a6cee3",
           "#fb9a99", "#fdbf6f", "#cab2d6", "#ffff99", "#b2df8a", "#8dd3c7", "#bebada")


@dataclass(frozen=True)
class ClassInfo:
    """One class of a model: the value written in class rasters, its name and colour."""

    value: int
    name: str
    color: str
    is_crop: bool

    def to_dict(self):
        return {"value": self.value, "name": self.name, "color": self.color,
                "is_crop": self.is_crop}

    @classmethod
    def from_dict(cls, data):
        return cls(int(data["value"]), str(data["name"]), str(data["color"]),
                   bool(data["is_crop"]))


#: The two classes of crop mode, crop masks and crop / non-crop rasters.
CROP_MODE_CLASSES = (ClassInfo(0, "non-crop", "#d9c7a7", False),
                     ClassInfo(1, "crop", "#2e9e3e", True))

#: Values of a crop mask.
CROP, NON_CROP = 1, 0

#: Metadata tags written into class rasters; later steps read the class table from them.
TAG_CLASSES = "CROPSEG_CLASSES"
TAG_CROP_CLASSES = "CROPSEG_CROP_CLASSES"


def read_class_table(path):
    """Class table (list of dicts) and crop values written into a class raster, if any."""
    with rasterio.open(path) as src:
        tags = src.tags()
    classes = json.loads(tags[TAG_CLASSES]) if TAG_CLASSES in tags else []
    crop = [int(v) for v in tags.get(TAG_CROP_CLASSES, "").split(",") if v.strip()]
    return classes, crop


def colormap(classes):
    """GDAL colour table of ClassInfo colours; nodata (255) transparent."""
    colours = {}
    for info in classes:
        code = info.color.lstrip("#")
        colours[info.value] = tuple(int(code[i:i + 2], 16) for i in (0, 2, 4)) + (255,)
    colours[NODATA_CLASS] = (0, 0, 0, 0)
    return colours


def crop_values_for(path, crop_classes):
    """The class values that form the crop mask, from ``crop_classes`` or the raster's tags."""
    table, tagged = read_class_table(path)
    if not crop_classes:
        if not tagged:
            raise InputError("CROP_CLASSES: the class raster names no crop classes (its model "
                             "was trained without CROP_CLASSES, or another tool wrote it); "
                             "list the crop class values or names.")
        return sorted(tagged)
    known = {str(c["value"]): c["value"] for c in table}
    known.update({c["name"]: c["value"] for c in table})
    values = set()
    for token in (str(t).strip() for t in crop_classes):
        if not token:
            continue
        if token in known:
            values.add(int(known[token]))
        elif token.isdigit() and not table:
            values.add(int(token))
        else:
            listed = ", ".join(f"{c['value']} ({c['name']})" for c in table)
            raise InputError("CROP_CLASSES: '{token}' is not a class of the raster; classes "
                             "are {listed}.", token=token, listed=listed)
    if any(not 0 <= v < 255 for v in values):
        raise InputError("CROP_CLASSES: class values must be 0..254.")
    return sorted(values)


def check_class_raster(info, role="INPUT_CLASSES"):
    """Refuse rasters that are not single-band integer class rasters."""
    if info.count != 1:
        raise InputError("{role}: '{path}' has {count} bands; a "
                         "class raster has one (use the Classes output of Classify raster).",
                         role=role, path=os.path.basename(info.path), count=info.count)
    if not np.issubdtype(np.dtype(info.dtypes[0]), np.integer):
        raise InputError("{role} must be an integer class raster (it is {dtype}); "
                         "use the class output of Classify raster.", role=role,
                         dtype=info.dtypes[0])


@blockwise
def class_pixel_counts(info, memory_mb):
    """Pixels of each value 0..255 in the class raster ``info``, counted block by block."""
    counts = np.zeros(256, dtype=np.int64)
    with rasterio.open(info.path) as src:
        for window in read_windows(info, memory_mb, 16):
            values = src.read(1, window=window).ravel()
            check_class_values(values, info)
            counts += np.bincount(values, minlength=256)
    return counts


def check_class_values(values, info, role="INPUT_CLASSES"):
    """Refuse a block of the class raster ``info`` that holds values outside 0..255."""
    if values.size and (values.min() < 0 or values.max() > 255):
        raise InputError("{role}: '{path}' holds values outside 0..255 "
                         "({values_min} to {values_max}); it is not a class raster.", role=role,
                         path=os.path.basename(info.path), values_min=values.min(),
                         values_max=values.max())


def class_values_in(path, side):
    """The class values (not nodata) present in band 1 of ``path``."""
    found = set()
    with rasterio.open(path) as src:
        for window in block_windows(src.width, src.height, side):
            data = src.read(1, window=window, masked=True)
            found.update(np.unique(data.compressed()).tolist())
    if any(not 0 <= v < NODATA_CLASS for v in found):
        raise InputError("INPUT_CLASSES: class values must be 0..254 to keep every class.")
    return sorted(int(v) for v in found)


def copy_class_tags(classes_path, crop_values):
    """Tags for the cleaned mask: its two classes, named from the class raster."""
    table, _ = read_class_table(classes_path)
    names = {c["value"]: c["name"] for c in table}
    crop_name = ", ".join(names.get(v, str(v)) for v in crop_values) or "crop"
    classes = [c.to_dict() for c in CROP_MODE_CLASSES]
    return {TAG_CLASSES: json.dumps(classes), TAG_CROP_CLASSES: str(CROP),
            "CROPSEG_CROP_SOURCE_CLASSES": crop_name}
