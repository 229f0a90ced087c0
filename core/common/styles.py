"""QGIS layer styles (QML text) written beside outputs, so they load styled anywhere.

QGIS applies ``<name>.qml`` as the default style of ``<name>.tif`` (or ``.gpkg``) when the
layer is added, from the toolbox, the modeler, ``qgis_process`` outputs opened
later, or a drag and drop.
"""

import os
import re
from xml.sax.saxutils import quoteattr

#: Styles shipped with the plugin: confidence as a black-to-white ramp over 0..1, crop
#: fields as a gold outline over a faint green fill, and the class raster's paletted
#: renderer, whose example entries are replaced by each model's classes (paletted_qml).
PLUGIN_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
STYLES = os.path.join(PLUGIN_ROOT, "resources", "styles")


def sidecar_path(layer_path):
    """The default-style path QGIS looks for beside ``layer_path``."""
    return os.path.splitext(layer_path)[0] + ".qml"


def paletted_qml(classes):
    """classes.qml with one palette entry (value, colour, name) per ClassInfo."""
    entries = "".join(
        f"    <paletteEntry value=\"{c.value}\" color={quoteattr(c.color)} alpha=\"255\" "
        f"label={quoteattr(c.name)}/>\n" for c in classes)
    return re.sub(r"(<colorPalette>\n).*?(\s*</colorPalette>)",
                  lambda match: match.group(1) + entries.rstrip("\n") + match.group(2),
                  shipped_style("classes.qml"), flags=re.S)


def shipped_style(name):
    """The QML text of ``resources/styles/<name>`` (classes, confidence, crop_fields.qml)."""
    with open(os.path.join(STYLES, name), encoding="utf-8") as handle:
        return handle.read()


def write_sidecar(layer_path, qml):
    """Write ``qml`` as the default style of the raster or vector file ``layer_path``."""
    with open(sidecar_path(layer_path), "w", encoding="utf-8") as handle:
        handle.write(qml)
