"""QGIS layer styles (QML text) written beside outputs, so they load styled anywhere.

QGIS applies ``<name>.qml`` as the default style of ``<name>.tif`` (or ``.gpkg``) when the
layer is added, from the toolbox, the modeler, ``qgis_process`` outputs opened
later, or a drag and drop.
"""

import os
from xml.sax.saxutils import quoteattr

_HEADER = ("<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n"
           "<qgis version=\"3.22.0\" styleCategories=\"AllStyleCategories\">\n <pipe>\n")
_FOOTER = " </pipe>\n</qgis>\n"


def sidecar_path(layer_path):
    """The default-style path QGIS looks for beside ``layer_path``."""
    return os.path.splitext(layer_path)[0] + ".qml"


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


def outline_qml(outline="#ffd700", fill="#2e9e3e", fill_alpha=40):
    """Polygons drawn as a coloured outline over a faint fill."""
    def rgba(color, alpha=255):
        code = color.lstrip("#")
        return ",".join(str(int(code[i:i + 2], 16)) for i in (0, 2, 4)) + f",{alpha}"

    props = {"color": rgba(fill, fill_alpha), "outline_color": rgba(outline),
             "outline_width": "0.5", "outline_width_unit": "MM", "style": "solid",
             "outline_style": "solid", "joinstyle": "miter"}
    options = "".join(f"      <prop k={quoteattr(k)} v={quoteattr(v)}/>\n" for k, v in props.items())
    return ("<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n"
            "<qgis version=\"3.22.0\" styleCategories=\"Symbology\">\n"
            " <renderer-v2 type=\"singleSymbol\" symbollevels=\"0\" enableorderby=\"0\" "
            "forceraster=\"0\">\n  <symbols>\n"
            "   <symbol type=\"fill\" name=\"0\" alpha=\"1\" clip_to_extent=\"1\" "
            "force_rhr=\"0\">\n    <layer class=\"SimpleFill\" enabled=\"1\" locked=\"0\" "
            f"pass=\"0\">\n{options}    </layer>\n   </symbol>\n  </symbols>\n"
            " </renderer-v2>\n</qgis>\n")


def write_sidecar(layer_path, qml):
    """Write ``qml`` as the default style of the raster or vector file ``layer_path``."""
    with open(sidecar_path(layer_path), "w", encoding="utf-8") as handle:
        handle.write(qml)
