"""Mosaics of tiles: a VRT that reads them as one raster, and a Cloud Optimized GeoTIFF of it."""

import os
from xml.sax.saxutils import escape, quoteattr

import rasterio
import rasterio.shutil

from ..common.files import atomic_outputs
from ..common.styles import write_sidecar

#: GDAL's name of each numpy type a tile may hold.
_VRT_TYPES = {"uint8": "Byte", "uint16": "UInt16", "int16": "Int16", "uint32": "UInt32",
              "int32": "Int32", "float32": "Float32", "float64": "Float64"}


def write_vrt(path, tiles, width, height, style=None):
    """A VRT of ``width`` x ``height`` px at ``path`` placing each ``(tile path, window)`` of
    ``tiles``; the first tile gives its CRS, pixel size, bands, nodata, descriptions, colour
    table and tags. ``style`` (QML text) is written beside it."""
    first, first_window = tiles[0]
    with rasterio.open(first) as src:
        transform = src.transform * src.transform.translation(-first_window.col_off,
                                                              -first_window.row_off)
        profile = src.profile
        tags, descriptions = src.tags(), src.descriptions
        colormaps = {b: src.colormap(b) for b in src.indexes if _has_colormap(src, b)}
        crs = src.crs.to_wkt() if src.crs else ""
    folder = os.path.dirname(os.path.abspath(path))
    geo = ", ".join(repr(v) for v in (transform.c, transform.a, transform.b,
                                      transform.f, transform.d, transform.e))
    lines = [f'<VRTDataset rasterXSize="{width}" rasterYSize="{height}">',
             f"  <SRS>{escape(crs)}</SRS>", f"  <GeoTransform>{geo}</GeoTransform>",
             "  <Metadata>"]
    lines += [f"    <MDI key={quoteattr(k)}>{escape(v)}</MDI>" for k, v in tags.items()]
    lines.append("  </Metadata>")
    for band in range(1, profile["count"] + 1):
        lines.append(f'  <VRTRasterBand dataType="{_VRT_TYPES[profile["dtype"]]}" '
                     f'band="{band}">')
        if profile.get("nodata") is not None:
            lines.append(f"    <NoDataValue>{profile['nodata']!r}</NoDataValue>")
        if descriptions[band - 1]:
            lines.append(f"    <Description>{escape(descriptions[band - 1])}</Description>")
        if band in colormaps:
            lines.append("    <ColorInterp>Palette</ColorInterp>\n    <ColorTable>")
            entries = colormaps[band]
            for value in range(max(entries) + 1):
                red, green, blue, alpha = entries.get(value, (0, 0, 0, 0))
                lines.append(f'      <Entry c1="{red}" c2="{green}" c3="{blue}" c4="{alpha}"/>')
            lines.append("    </ColorTable>")
        for tile, window in tiles:
            size = f'xSize="{int(window.width)}" ySize="{int(window.height)}"'
            lines += ["    <SimpleSource>",
                      "      <SourceFilename relativeToVRT=\"1\">"
                      f"{escape(os.path.relpath(tile, folder))}</SourceFilename>",
                      f"      <SourceBand>{band}</SourceBand>",
                      f'      <SrcRect xOff="0" yOff="0" {size}/>',
                      f'      <DstRect xOff="{int(window.col_off)}" '
                      f'yOff="{int(window.row_off)}" {size}/>',
                      "    </SimpleSource>"]
        lines.append("  </VRTRasterBand>")
    lines.append("</VRTDataset>\n")
    with atomic_outputs(path) as (temp,):
        with open(temp, "w", encoding="utf-8") as handle:
            handle.write("\n".join(lines))
    if style:
        write_sidecar(path, style)


def write_cog(source, path, style=None):
    """A Cloud Optimized GeoTIFF at ``path`` with the pixels, colours and tags of ``source``."""
    with atomic_outputs(path) as (temp,):
        rasterio.shutil.copy(source, temp, driver="COG", COMPRESS="DEFLATE", BIGTIFF="IF_SAFER",
                             OVERVIEW_RESAMPLING="NEAREST")
    if style:
        write_sidecar(path, style)


def _has_colormap(src, band):
    try:
        return bool(src.colormap(band))
    except ValueError:   # rasterio: no colour table
        return False
