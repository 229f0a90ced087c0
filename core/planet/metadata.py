"""PlanetScope scene metadata XML, parsed safely (no entity expansion, no external entities)."""

import math
import re
from dataclasses import dataclass

from ..common.errors import InputError

_NAMESPACES = {
    "ps": "http://schemas.planet.com/ps/v1/planet_product_metadata_geocorrected_level",
    "eop": "http://earth.esa.int/eop",
    "opt": "http://earth.esa.int/opt",
    "gml": "http://www.opengis.net/gml",
}

#: A PlanetScope scene id: acquisition date, time, optional frame, satellite id.
SCENE_ID = re.compile(r"\d{8}_\d{6}(?:_\d{2})?_[0-9a-f]{4}")


@dataclass(frozen=True)
class SceneMetadata:
    """What reflectance conversion needs from a scene's metadata file."""

    identifier: str
    scene_id: str
    instrument: str
    band_count: int
    reflectance_coefficients: tuple   # per band, in band order
    radiometric_scale_factors: tuple
    sun_elevation: float
    footprint: object                 # shapely polygon in EPSG:4326


def read_scene_metadata(path):
    """Parse a PlanetScope ``*_metadata.xml`` file.

    Raises
    ------
    InputError
        For unreadable or unsafe XML (entities), or a file without per-band coefficients.
    """
    import defusedxml.ElementTree as ElementTree
    from defusedxml import DefusedXmlException

    try:
        root = ElementTree.parse(path).getroot()
    except DefusedXmlException:
        raise InputError("METADATA: '{path}' declares XML entities; it was refused as "
                         "unsafe.", path=path) from None
    except (ElementTree.ParseError, OSError) as exc:
        raise InputError("METADATA: cannot read '{path}' as XML ({exc}).", path=path,
                         exc=exc) from None
    bands = []
    for element in root.iterfind(".//ps:bandSpecificMetadata", _NAMESPACES):
        number = _number(element, "ps:bandNumber", path)
        coefficient = _number(element, "ps:reflectanceCoefficient", path)
        scale = _number(element, "ps:radiometricScaleFactor", path)
        bands.append((int(number), coefficient, scale))
    if not bands:
        raise InputError("METADATA: '{path}' has no per-band reflectance coefficients; use the "
                         "scene's *_metadata.xml file.", path=path)
    bands.sort()
    if [b[0] for b in bands] != list(range(1, len(bands) + 1)):
        raise InputError("METADATA: '{path}' lists bands {bands}, not 1..n.", path=path,
                         bands=[b[0] for b in bands])
    identifier = _text(root, ".//eop:identifier", path)
    scene = SCENE_ID.search(identifier)
    return SceneMetadata(
        identifier=identifier, scene_id=scene.group(0) if scene else identifier,
        instrument=_text(root, ".//eop:instrument//eop:shortName", path, default=""),
        band_count=len(bands),
        reflectance_coefficients=tuple(b[1] for b in bands),
        radiometric_scale_factors=tuple(b[2] for b in bands),
        sun_elevation=float(_text(root, ".//opt:illuminationElevationAngle", path,
                                  default="nan")),
        footprint=_footprint(root, path))


def _text(root, xpath, path, default=None):
    element = root.find(xpath, _NAMESPACES)
    if element is None or element.text is None:
        if default is not None:
            return default
        raise InputError("METADATA: '{path}' lacks {element}.", path=path,
                         element=xpath.split(":")[-1])
    return element.text.strip()


def _number(element, xpath, path):
    """A finite number; a reflectance coefficient must also be positive."""
    name = xpath.split(":")[-1]
    try:
        value = float(_text(element, xpath, path))
    except ValueError:
        raise InputError("METADATA: '{path}' has a non-numeric {name}.", path=path,
                         name=name) from None
    if not math.isfinite(value) or (name == "reflectanceCoefficient" and value <= 0):
        raise InputError("METADATA: '{path}' has an impossible {name} ({value:g}).", path=path,
                         name=name, value=value)
    return value


def _footprint(root, path):
    from shapely.geometry import Polygon

    text = _text(root, ".//ps:Footprint//gml:coordinates", path, default="")
    try:
        points = [tuple(float(v) for v in pair.split(",")) for pair in text.split()]
        return Polygon(points) if len(points) >= 4 else None
    except ValueError:
        return None
