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

#: Fixed styles shipped with the plugin: confidence as a black-to-white ramp over 0..1,
#: crop fields as a gold outline over a faint green fill.  Class palettes are written
#: from each model's class table (paletted_qml).
STYLES = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "resources",
                      "styles")


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


def shipped_style(name):
    """The QML text of ``resources/styles/<name>`` (confidence.qml, crop_fields.qml)."""
    with open(os.path.join(STYLES, name), encoding="utf-8") as handle:
        return handle.read()


def write_sidecar(layer_path, qml):
    """Write ``qml`` as the default style of the raster or vector file ``layer_path``."""
    with open(sidecar_path(layer_path), "w", encoding="utf-8") as handle:
        handle.write(qml)
