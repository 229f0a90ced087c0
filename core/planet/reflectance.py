"""PlanetScope radiance or surface reflectance to float32 reflectance, with UDM2 cloud masks."""

import os
from dataclasses import dataclass

import numpy as np
import rasterio

from ..common.errors import InputError
from ..common.files import atomic_outputs
from ..common.progress import ensure_feedback
from ..rasters.access import GTIFF_OPTIONS, blockwise, read_raster_info, read_windows
from .metadata import SCENE_ID, read_scene_metadata

#: Nodata of reflectance outputs.
NODATA = -9999.0

BAND_NAMES = {
    4: ("blue", "green", "red", "nir"),
    8: ("coastal_blue", "blue", "green_i", "green", "yellow", "red", "rededge", "nir"),
}

#: The UDM2 band that is 1 where a pixel is clear and 0 elsewhere.
UDM2_CLEAR_BAND = 1

#: UDM2 bands (1-based) of the classes that can be masked; "unusable" is the bit-packed
#: unusable-data band, "not_clear" masks every pixel the clear band does not mark clear.
UDM2_CLASSES = {"not_clear": UDM2_CLEAR_BAND, "snow": 2, "shadow": 3, "light_haze": 4,
                "heavy_haze": 5, "cloud": 6, "unusable": 8}
PRODUCTS = ("auto", "radiance", "surface_reflectance")

#: Surface reflectance products store reflectance x 10000.
SR_SCALE = 10_000.0


@dataclass
class ReflectanceResult:
    path: str
    product: str
    masked_pixels: int
    valid_pixels: int


@blockwise
def to_reflectance(raster_path, output, *, metadata_path=None, udm2_path=None,
                   mask_classes=tuple(UDM2_CLASSES), product="auto", memory_mb=256,
                   feedback=None):
    """Convert a PlanetScope scene to float32 reflectance.

    Radiance products (``AnalyticMS``) are multiplied band by band by the
    ``reflectanceCoefficient`` of the scene metadata (top-of-atmosphere
    reflectance); surface reflectance products (``_SR``) are divided by 10000.
    With a UDM2 raster, pixels of the ``mask_classes`` become nodata.
    """
    feedback = ensure_feedback(feedback)
    info = read_raster_info(raster_path)
    product = _product(product, raster_path)
    unknown = sorted(set(mask_classes) - set(UDM2_CLASSES))
    if unknown:
        raise InputError("MASK_CLASSES: unknown class(es) {unknown}; choose from "
                         "{udm2_classes}.", unknown=", ".join(unknown),
                         udm2_classes=", ".join(UDM2_CLASSES))
    if info.count not in BAND_NAMES:
        raise InputError("INPUT_RASTER has {count} bands; PlanetScope scenes have 4 or 8.",
                         count=info.count)
    factors = np.full(info.count, 1 / SR_SCALE, dtype=np.float64)
    if product == "radiance":
        if not metadata_path:
            raise InputError("METADATA: radiance products need the scene's metadata XML for "
                             "their reflectance coefficients.")
        factors = np.array(_matching_metadata(metadata_path, raster_path, info)
                           .reflectance_coefficients)
    if udm2_path:
        _check_udm2(read_raster_info(udm2_path, role="UDM2"), info)
    flag_bands = sorted({UDM2_CLASSES[c] for c in mask_classes})
    names = BAND_NAMES[info.count]
    profile = {**GTIFF_OPTIONS, "width": info.width, "height": info.height, "count": info.count,
               "dtype": "float32", "crs": info.crs, "transform": info.transform,
               "nodata": NODATA}
    windows = read_windows(info, memory_mb, 16 * info.count)
    masked = valid_total = 0
    with atomic_outputs(output) as (temp,), rasterio.open(raster_path) as src, \
            rasterio.open(temp, "w", **profile) as dst:
        udm2 = rasterio.open(udm2_path) if udm2_path else None
        try:
            for band, name in enumerate(names, 1):
                dst.set_band_description(band, name)
            for done, window in enumerate(windows, 1):
                feedback.check_cancelled()
                data = src.read(window=window).astype(np.float64)
                valid = np.all(src.read_masks(window=window) > 0, axis=0)
                if udm2 is not None:
                    flags = udm2.read(flag_bands, window=window)
                    cloudy = np.zeros(valid.shape, dtype=bool)
                    for band, layer in zip(flag_bands, flags):
                        cloudy |= (layer == 0) if band == UDM2_CLEAR_BAND else \
                            (layer != 0)
                    masked += int((valid & cloudy).sum())
                    valid &= ~cloudy
                reflectance = (data * factors[:, None, None]).astype(np.float32)
                reflectance[:, ~valid] = NODATA
                valid_total += int(valid.sum())
                dst.write(reflectance, window=window)
                feedback.progress(done / len(windows))
        finally:
            if udm2 is not None:
                udm2.close()
    feedback.info("{product} to reflectance; {masked} pixel(s) masked by "
                  "UDM2, {valid_total} valid.", product=product.replace("_", " "), masked=masked,
                  valid_total=valid_total)
    return ReflectanceResult(output, product, masked, valid_total)


def _product(product, raster_path):
    if product not in PRODUCTS:
        raise InputError("PRODUCT must be one of {products}.", products=", ".join(PRODUCTS))
    if product != "auto":
        return product
    name = os.path.basename(str(raster_path)).upper()
    return "surface_reflectance" if "_SR" in name else "radiance"


def _matching_metadata(metadata_path, raster_path, info):
    """The metadata of ``metadata_path``, refused when it describes another scene."""
    metadata = read_scene_metadata(metadata_path)
    if metadata.band_count != info.count:
        raise InputError("METADATA describes a {band_count}-band product but "
                         "INPUT_RASTER has {count} bands.", band_count=metadata.band_count,
                         count=info.count)
    named = SCENE_ID.search(os.path.basename(str(raster_path)))
    if named and named.group(0) != metadata.scene_id:
        raise InputError("METADATA is for scene {scene_id} but INPUT_RASTER is scene "
                         "{raster_scene}.", scene_id=metadata.scene_id, raster_scene=named.group(0))
    if metadata.footprint is not None:
        from rasterio.warp import transform_bounds
        from shapely.geometry import box

        extent = box(*transform_bounds(info.crs, "EPSG:4326", *info.bounds))
        if not extent.intersects(metadata.footprint):
            raise InputError("METADATA is for scene {scene_id}, whose footprint does "
                             "not overlap INPUT_RASTER.", scene_id=metadata.scene_id)
    return metadata


def _check_udm2(udm2, info):
    if udm2.count < 8:
        raise InputError("UDM2 has {count} band(s); a UDM2 file has 8.", count=udm2.count)
    if (udm2.width, udm2.height) != (info.width, info.height) or \
            not np.allclose(tuple(udm2.transform)[:6], tuple(info.transform)[:6]):
        raise InputError("UDM2 is not on the grid of INPUT_RASTER; use the UDM2 of the same "
                         "scene and clip.")
