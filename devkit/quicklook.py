"""A PNG quicklook: the image in natural colour with the field polygons drawn over it."""

import numpy as np
import rasterio
from rasterio.enums import Resampling

from ..core.model.band_roles import band_with_role
from ..core.common.errors import InputError
from ..core.rasters.access import read_raster_info

#: Outline colour of the polygons (yellow reads on green fields and brown soil alike).
OUTLINE = "#ffd400"


def write_quicklook(raster, polygons, output, *, max_side=1200, title=""):
    """Write ``output`` (PNG): ``raster`` as red/green/blue, ``polygons`` outlined.

    Bands come from the band names (red, green, blue; the first three bands
    otherwise).  The image is read decimated to at most ``max_side`` pixels
    and stretched between the 2nd and 98th percentile of each band.
    """
    import geopandas as gpd
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    info = read_raster_info(raster)
    bands = [band_with_role(info, role) for role in ("red", "green", "blue")]
    if None in bands:
        bands = [1, 2, 3] if info.count >= 3 else [1, 1, 1]
    scale = max(info.width, info.height) / max_side
    shape = (max(int(info.height / max(scale, 1)), 1), max(int(info.width / max(scale, 1)), 1))
    with rasterio.open(raster) as src:
        data = src.read(bands, out_shape=(3,) + shape, resampling=Resampling.average,
                        masked=True).astype(np.float64)
    image = np.zeros(shape + (4,))
    for i, band in enumerate(data):
        values = band.compressed()
        low, high = np.percentile(values, (2, 98)) if values.size else (0.0, 1.0)
        image[..., i] = np.clip((band.filled(low) - low) / max(high - low, 1e-12), 0, 1)
    image[..., 3] = ~np.ma.getmaskarray(data).any(axis=0)
    fields = gpd.read_file(polygons)
    if fields.crs is None:
        raise InputError(f"'{polygons}' has no coordinate reference system.")
    fields = fields.to_crs(info.crs)
    west, south, east, north = info.bounds
    figure = Figure(figsize=(8, 8 * shape[0] / shape[1] + (0.4 if title else 0)))
    FigureCanvasAgg(figure)
    axes = figure.add_axes((0, 0, 1, 1 if not title else 1 - 0.4 / figure.get_figheight()))
    axes.imshow(image, extent=(west, east, south, north), interpolation="nearest")
    fields.boundary.plot(ax=axes, color=OUTLINE, linewidth=0.8)
    axes.set_xlim(west, east)
    axes.set_ylim(south, north)
    axes.set_axis_off()
    if title:
        figure.suptitle(title, fontsize=11)
    figure.savefig(output, dpi=150)
    return output
