"""cropseg:planetorder."""

from qgis.core import (QgsFeatureRequest, QgsProcessingOutputMultipleLayers,
                       QgsProcessingOutputString, QgsProcessingParameterBoolean,
                       QgsProcessingParameterEnum, QgsProcessingParameterFeatureSource,
                       QgsProcessingParameterFolderDestination, QgsProcessingParameterNumber,
                       QgsProcessingParameterString)

from ..core.planet.order import BUNDLES, MAX_WAIT_MINUTES
from .base import CropsegAlgorithm
from .enums import DOUBLE, SKIP_GEOMETRY_CHECKS, VECTOR_POLYGON
from .planet_account import AUTH_CONFIG, add_auth_config, api_key_from_auth_config, source_as_wgs84


class PlanetOrder(CropsegAlgorithm):
    """Order PlanetScope scenes and download them."""

    NAME = "planetorder"
    DISPLAY_NAME = "Order PlanetScope scenes"
    GROUP, GROUP_ID = "PlanetScope", "planet"
    HELP_ANCHOR = "order-planetscope-scenes"
    MODULES = ("planet", "shapely")
    HELP = (
        "Orders PlanetScope scenes from Planet's Orders API, waits for the order with progress, "
        "and downloads every file into the output folder, each verified against the order's "
        "manifest checksum (a bad transfer is retried once, then reported).<br><br>"
        "Scenes come as ids in SCENES or from a footprint layer made by <i>Search PlanetScope "
        "scenes</i> (only the selected features when a selection exists). analytic_sr_udm2 "
        "delivers surface reflectance with UDM2; analytic_udm2 radiance with UDM2 and the "
        "metadata XML. An AOI clips the scenes on Planet's side.<br><br>Running again with the "
        "same order name and folder reuses the order and skips files already complete. Cancel "
        "works while waiting and downloading; no partial file is left under a final name."
        "<br><br>Example: <i>scenes.gpkg</i> from <i>Search PlanetScope scenes</i> with two "
        "features selected, bundle analytic_sr_udm2, AOI <i>fields.gpkg</i> &rarr; the clipped "
        "surface reflectance scenes and their UDM2 masks in the output folder.")

    # Parameter and output keys.
    SCENES = "SCENES"
    SCENE_LAYER = "SCENE_LAYER"
    BUNDLE = "BUNDLE"
    AOI = "AOI"
    HARMONIZE = "HARMONIZE"
    ORDER_NAME = "ORDER_NAME"
    POLL_SECONDS = "POLL_SECONDS"
    MAX_WAIT = "MAX_WAIT"
    FILES = "FILES"
    ORDER_ID = "ORDER_ID"

    def initAlgorithm(self, config=None):  # noqa: N802 (QGIS API)
        self.add(QgsProcessingParameterString(self.SCENES, "Scene ids", optional=True),
                 "Comma-separated PlanetScope scene ids; or give SCENE_LAYER.")
        self.add(QgsProcessingParameterFeatureSource(self.SCENE_LAYER, "Scene footprints",
                                                     [VECTOR_POLYGON],
                                                     optional=True),
                 "A footprint layer from Search PlanetScope scenes (field id); selected features "
                 "only when a selection exists.")
        self.add(QgsProcessingParameterEnum(self.BUNDLE, "Bundle", list(BUNDLES),
                                            defaultValue="analytic_sr_udm2",
                                            usesStaticStrings=True),
                 "analytic_sr_udm2: surface reflectance + UDM2; analytic_udm2: radiance + UDM2 "
                 "+ metadata (for PlanetScope to reflectance).")
        self.add(QgsProcessingParameterFeatureSource(self.AOI, "Clip to area of interest",
                                                     [VECTOR_POLYGON],
                                                     optional=True),
                 "Polygons to clip the scenes to on Planet's side (smaller downloads).")
        self.add(QgsProcessingParameterBoolean(self.HARMONIZE, "Harmonize to Sentinel-2",
                                               defaultValue=False),
                 "Ask Planet to harmonize the scenes' radiometry to Sentinel-2.")
        self.add(QgsProcessingParameterString(self.ORDER_NAME, "Order name", optional=True),
                 "Name of the order; the same name and folder reuse an earlier order.")
        self.add(QgsProcessingParameterNumber(self.POLL_SECONDS, "Seconds between status checks",
                                              DOUBLE, 10.0,
                                              minValue=0.01),
                 "How often the order's state is checked while waiting.", advanced=True)
        self.add(QgsProcessingParameterNumber(self.MAX_WAIT, "Longest wait for the order (minutes)",
                                              DOUBLE, MAX_WAIT_MINUTES, minValue=0.01),
                 "Waiting stops with an error after this long; the order goes on at Planet, and "
                 "running again with the same ORDER_NAME and OUTPUT_FOLDER downloads it.",
                 advanced=True)
        add_auth_config(self)
        self.add(QgsProcessingParameterFolderDestination(self.OUTPUT_FOLDER, "Output folder"),
                 "Where the order's files are downloaded.")
        self.add_output(QgsProcessingOutputMultipleLayers(self.FILES, "Downloaded files"))
        self.add_output(QgsProcessingOutputString(self.ORDER_ID, "Order id"))

    def execute_core(self, parameters, context, feedback, core_feedback):
        from ..core.common.errors import InputError
        from ..core.planet.api import connect
        from ..core.planet.order import order_scenes

        scenes = self.parameter_as_list(parameters, self.SCENES, context)
        if parameters.get(self.SCENE_LAYER):
            source = self.parameterAsSource(parameters, self.SCENE_LAYER, context)
            if source.fields().indexOf("id") < 0:
                raise InputError("SCENE_LAYER has no 'id' field; use the output of "
                                 "Search PlanetScope scenes.")
            scenes += [str(f["id"]) for f in source.getFeatures(QgsFeatureRequest(),
                                                                SKIP_GEOMETRY_CHECKS)]
        aoi = source_as_wgs84(self, parameters, self.AOI, context) if parameters.get(self.AOI) \
            else None
        folder = self.parameterAsString(parameters, self.OUTPUT_FOLDER, context)
        result = order_scenes(
            scenes, folder, connection=connect(api_key=api_key_from_auth_config(
                self.parameterAsString(parameters, AUTH_CONFIG, context))),
            bundle=self.parameterAsEnumString(parameters, self.BUNDLE, context),
            aoi=aoi, harmonize=self.parameterAsBoolean(parameters, self.HARMONIZE, context),
            name=self.parameterAsString(parameters, self.ORDER_NAME, context) or None,
            poll_seconds=self.parameterAsDouble(parameters, self.POLL_SECONDS, context),
            max_wait_minutes=self.parameterAsDouble(parameters, self.MAX_WAIT, context),
            feedback=core_feedback)
        for path in result.files:
            feedback.pushInfo((self.tr("already complete: {}") if path in result.skipped else
                               self.tr("downloaded: {}")).format(path))
        return {self.OUTPUT_FOLDER: folder, self.FILES: result.files,
                self.ORDER_ID: result.order_id}
