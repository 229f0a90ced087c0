"""QGIS layer styles (QML text) written beside outputs, so they load styled anywhere.

QGIS applies ``<name>.qml`` as the default style of ``<name>.tif`` when the
layer is added, from the toolbox, the modeler, ``qgis_process`` outputs opened
later, or a drag and drop.
"""

import os
from xml.sax.saxutils import quoteattr

_HEADER = ("<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n"
           "<qgis version=\"3.22.0\" styleCategories=\"AllStyleCategories\">\n <pipe>\n")
_FOOTER = " </pipe>\n</qgis>\n"


def sidecar_path(raster_path):
    """The default-style path QGIS looks for beside ``raster_path``."""
    return os.path.splitext(raster_path)[0] + ".qml"


def paletted_qml(classes):
    """Paletted renderer with one entry (value, colour, name) per ClassInfo."""
    entries = "".join(
        f"    <paletteEntry value=\"{c.value}\" color={quoteattr(c.color)} alpha=\"255\" "
        f"label={quoteattr(c.name)}/>\n" for c in classes)
    return (_HEADER + "  <rasterrenderer type=\"paletted\" band=\"1\" opacity=\"1\" "
            "alphaBand=\"-1\" nodataColor=\"\">\n   <rasterTransparency/>\n"
            f"   <colorPalette>\n{entries}   </colorPalette>\n  </rasterrenderer>\n" + _FOOTER)


def greyscale_qml(minimum, maximum):
    """Black-to-white ramp stretched between ``minimum`` and ``maximum``."""
    return (_HEADER + "  <rasterrenderer type=\"singlebandgray\" grayBand=\"1\" "
            "gradient=\"BlackToWhite\" opacity=\"1\" alphaBand=\"-1\" nodataColor=\"\">\n"
            "   <rasterTransparency/>\n   <contrastEnhancement>\n"
            f"    <minValue>{minimum}</minValue>\n    <maxValue>{maximum}</maxValue>\n"
            "    <algorithm>StretchToMinimumMaximum</algorithm>\n"
            "   </contrastEnhancement>\n  </rasterrenderer>\n" + _FOOTER)


def write_sidecar(raster_path, qml):
    """Write ``qml`` as the default style of ``raster_path``."""
    with open(sidecar_path(raster_path), "w", encoding="utf-8") as handle:
        handle.write(qml)
