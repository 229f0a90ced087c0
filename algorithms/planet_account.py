"""Glue shared by the algorithms that call Planet: the API key parameter and the AOI."""

from qgis.core import (QgsApplication, QgsAuthMethodConfig, QgsCoordinateReferenceSystem,
                       QgsCoordinateTransform, QgsFeatureRequest, QgsProcessingParameterAuthConfig)

from ..core.common.errors import InputError
from .enums import SKIP_GEOMETRY_CHECKS

#: Key of the parameter with the Planet API key.
AUTH_CONFIG = "AUTH_CONFIG"


def add_auth_config(algorithm):
    """The AUTH_CONFIG parameter shared by the algorithms that call Planet."""
    algorithm.add(QgsProcessingParameterAuthConfig(AUTH_CONFIG, "Planet API key "
                                                   "(authentication)", optional=True),
                  "A QGIS authentication configuration with the Planet API key; empty: the "
                  "PL_API_KEY environment variable.")


def source_as_wgs84(algorithm, parameters, name, context):
    """The union of a polygon source parameter's features as a shapely geometry in EPSG:4326."""
    from shapely import wkt
    from shapely.ops import unary_union
    from shapely.validation import make_valid

    source = algorithm.parameterAsSource(parameters, name, context)
    transform = QgsCoordinateTransform(source.sourceCrs(),
                                       QgsCoordinateReferenceSystem("EPSG:4326"),
                                       context.transformContext())
    parts = []
    # Invalid polygons are repaired here rather than refused by QGIS's check.
    for feature in source.getFeatures(QgsFeatureRequest(), SKIP_GEOMETRY_CHECKS):
        geometry = feature.geometry()
        if geometry.isNull():
            continue
        geometry.transform(transform)
        parts.append(make_valid(wkt.loads(geometry.asWkt())))
    if not parts:
        raise InputError("{name}: the layer has no features.", name=name)
    return unary_union(parts)


def api_key_from_auth_config(auth_id):
    """The Planet API key stored in QGIS authentication configuration ``auth_id`` (or None)."""
    if not auth_id:
        return None
    config = QgsAuthMethodConfig()
    if not QgsApplication.authManager().loadAuthenticationConfig(auth_id, config, True):
        raise InputError("AUTH_CONFIG: authentication configuration '{auth_id}' cannot be "
                         "loaded.", auth_id=auth_id)
    values = config.configMap()
    for key in ("apikey", "api_key", "value", "username", "password"):
        if values.get(key):
            return values[key]
    raise InputError("AUTH_CONFIG: configuration '{auth_id}' holds no API key.", auth_id=auth_id)
