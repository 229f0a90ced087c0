"""cropseg:planetsearch."""

from qgis.core import (QgsCoordinateReferenceSystem, QgsProcessingParameterDateTime,
                       QgsProcessingParameterExtent, QgsProcessingParameterFeatureSource,
                       QgsProcessingParameterNumber, QgsProcessingParameterString,
                       QgsProcessingParameterVectorDestination)

from .base import CropsegAlgorithm, StyleFromSidecar
from .enums import DATE, DOUBLE, INTEGER, VECTOR_POLYGON
from .planet_account import AUTH_CONFIG, add_auth_config, api_key_from_auth_config, source_as_wgs84


class PlanetSearch(CropsegAlgorithm):
    """Search PlanetScope scenes over an area of interest."""

    NAME = "planetsearch"
    DISPLAY_NAME = "Search PlanetScope scenes"
    GROUP, GROUP_ID = "PlanetScope", "planet"
    HELP_ANCHOR = "search-planetscope-scenes"
    MODULES = ("planet", "geopandas", "shapely", "pyproj")
    HELP = (
        "Searches Planet's catalogue for scenes over an area of interest between two dates, "
        "under a cloud cover limit, and writes their footprints with id, acquisition time, "
        "cloud cover, clear percent, sun elevation, instrument and the share of the AOI each "
        "covers, best first.<br><br>"
        "The API key comes from AUTH_CONFIG (a QGIS authentication configuration holding the "
        "key, for example an API header or the user name of a basic configuration) or the "
        "PL_API_KEY environment variable; it is never written to logs or outputs. The "
        "CROPSEG_PLANET_URL environment variable points the search at another host (proxy, "
        "mirror).<br>Example: <i>fields.gpkg</i>, 2017-06-01 to 2017-10-01, cloud &lt; 10% "
        "&rarr; <i>scenes.gpkg</i>; select scenes and run <i>Order PlanetScope scenes</i>.")

    # Parameter and output keys.
    AOI = "AOI"
    AOI_EXTENT = "AOI_EXTENT"
    START_DATE = "START_DATE"
    END_DATE = "END_DATE"
    MAX_CLOUD = "MAX_CLOUD"
    MIN_CLEAR = "MIN_CLEAR"
    ITEM_TYPE = "ITEM_TYPE"
    LIMIT = "LIMIT"

    def initAlgorithm(self, config=None):  # noqa: N802 (QGIS API)
        self.add(QgsProcessingParameterFeatureSource(self.AOI, "Area of interest (polygons)",
                                                     [VECTOR_POLYGON],
                                                     optional=True),
                 "Polygons to search over; or give AOI_EXTENT.")
        self.add(QgsProcessingParameterExtent(self.AOI_EXTENT, "Area of interest (extent)",
                                              optional=True),
                 "An extent to search over when no AOI layer is given.")
        self.add(QgsProcessingParameterDateTime(self.START_DATE, "From",
                                                DATE),
                 "First acquisition date (inclusive).")
        self.add(QgsProcessingParameterDateTime(self.END_DATE, "To",
                                                DATE),
                 "Last acquisition date (inclusive).")
        self.add(QgsProcessingParameterNumber(self.MAX_CLOUD, "Maximum cloud cover (%)",
                                              DOUBLE, 10.0,
                                              minValue=0.0, maxValue=100.0),
                 "Scenes with more cloud cover are left out.")
        self.add(QgsProcessingParameterNumber(self.MIN_CLEAR, "Minimum clear percent",
                                              DOUBLE, None,
                                              optional=True, minValue=0.0, maxValue=100.0),
                 "Optional: scenes with a lower clear percent (UDM2) are left out.")
        self.add(QgsProcessingParameterString(self.ITEM_TYPE, "Item type", "PSScene"),
                 "Planet item type.", advanced=True)
        self.add(QgsProcessingParameterNumber(self.LIMIT, "Maximum scenes",
                                              INTEGER, 100,
                                              minValue=1, maxValue=10000),
                 "At most this many scenes are listed.", advanced=True)
        add_auth_config(self)
        self.add(QgsProcessingParameterVectorDestination(self.OUTPUT, "Scene footprints",
                                                         VECTOR_POLYGON),
                 "Footprints in EPSG:4326, best first; GeoPackage, Shapefile, GeoJSON or "
                 "FlatGeobuf by the file name's extension.")

    def execute_core(self, parameters, context, feedback, core_feedback):
        from ..core.planet.api import connect
        from ..core.planet.search import search_scenes, write_footprints

        output = self.parameterAsOutputLayer(parameters, self.OUTPUT, context)
        aoi = self._aoi(parameters, context)
        connection = connect(api_key=api_key_from_auth_config(
            self.parameterAsString(parameters, AUTH_CONFIG, context)))
        items = search_scenes(
            aoi, self.parameterAsDateTime(parameters, self.START_DATE, context).date().toPyDate(),
            self.parameterAsDateTime(parameters, self.END_DATE, context).date().toPyDate(),
            connection=connection,
            max_cloud=self.parameterAsDouble(parameters, self.MAX_CLOUD, context),
            min_clear=(self.parameterAsDouble(parameters, self.MIN_CLEAR, context)
                       if parameters.get(self.MIN_CLEAR) not in (None, "") else None),
            item_type=self.parameterAsString(parameters, self.ITEM_TYPE, context) or "PSScene",
            limit=self.parameterAsInt(parameters, self.LIMIT, context), feedback=core_feedback)
        feedback.pushInfo(self.tr("{} scene(s) found.").format(len(items)))
        write_footprints(items, aoi, output, core_feedback)
        StyleFromSidecar.attach(context, output, output)
        return {self.OUTPUT: output}

    def _aoi(self, parameters, context):
        """The area of interest as a shapely geometry in EPSG:4326."""
        from shapely import wkt

        wgs84 = QgsCoordinateReferenceSystem("EPSG:4326")
        if parameters.get(self.AOI):
            return source_as_wgs84(self, parameters, self.AOI, context)
        if parameters.get(self.AOI_EXTENT):
            extent = self.parameterAsExtent(parameters, self.AOI_EXTENT, context, wgs84)
            return wkt.loads(extent.asWktPolygon())
        from ..core.common.errors import InputError

        raise InputError("Give an AOI layer or an AOI_EXTENT to search over.")
