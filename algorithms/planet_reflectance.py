"""cropseg:planetreflectance."""

from qgis.core import (QgsProcessingParameterEnum, QgsProcessingParameterFile,
                       QgsProcessingParameterRasterDestination, QgsProcessingParameterRasterLayer)

from ..core.planet.reflectance import PRODUCTS, UDM2_CLASSES
from .base import CropsegAlgorithm


class PlanetReflectance(CropsegAlgorithm):
    """PlanetScope scene to reflectance, with UDM2 cloud masking."""

    NAME = "planetreflectance"
    DISPLAY_NAME = "PlanetScope to reflectance"
    GROUP, GROUP_ID = "PlanetScope", "planet"
    HELP_ANCHOR = "planetscope-to-reflectance"
    MODULES = ("numpy", "rasterio", "shapely", "defusedxml")
    HELP = (
        "Converts a PlanetScope scene to float32 reflectance with named bands (blue, green, red, "
        "nir; 8-band: coastal_blue, blue, green_i, green, yellow, red, rededge, nir).<br><br>"
        "Radiance products (AnalyticMS) are multiplied band by band by the reflectanceCoefficient "
        "of the scene's metadata XML (top-of-atmosphere reflectance). Surface reflectance "
        "products (AnalyticMS_SR) are divided by 10000. A metadata file of another scene or band "
        "count is refused.<br><br>With the scene's UDM2 file, pixels of the chosen classes "
        "(not clear, snow, shadow, haze, cloud, unusable) become nodata.<br>"
        "Example: <i>..._AnalyticMS_clip.tif</i> + <i>..._AnalyticMS_metadata_clip.xml</i> + "
        "<i>..._udm2_clip.tif</i> &rarr; <i>reflectance.tif</i>.")

    # Parameter and output keys.
    METADATA = "METADATA"
    UDM2 = "UDM2"
    MASK_CLASSES = "MASK_CLASSES"
    PRODUCT = "PRODUCT"

    def initAlgorithm(self, config=None):  # noqa: N802 (QGIS API)
        self.add(QgsProcessingParameterRasterLayer(self.INPUT_RASTER, "PlanetScope scene"),
                 "A PSScene AnalyticMS (radiance) or AnalyticMS_SR (surface reflectance) GeoTIFF, "
                 "4 or 8 bands.")
        self.add(QgsProcessingParameterFile(self.METADATA, "Scene metadata XML", extension="xml",
                                            optional=True),
                 "The scene's *_metadata.xml with the reflectance coefficients; needed for "
                 "radiance products.")
        self.add(QgsProcessingParameterRasterLayer(self.UDM2, "UDM2 cloud mask", optional=True),
                 "The scene's 8-band UDM2 file on the same grid; masks the chosen classes.")
        self.add(QgsProcessingParameterEnum(self.MASK_CLASSES, "UDM2 classes to mask",
                                            list(UDM2_CLASSES), allowMultiple=True,
                                            defaultValue=list(UDM2_CLASSES),
                                            usesStaticStrings=True, optional=True),
                 "Which UDM2 classes become nodata; not_clear masks every pixel UDM2 does not "
                 "mark clear.")
        self.add(QgsProcessingParameterEnum(self.PRODUCT, "Product", list(PRODUCTS),
                                            defaultValue="auto", usesStaticStrings=True),
                 "auto: surface reflectance when the file name contains _SR, radiance otherwise.",
                 advanced=True)
        self.add_memory_budget(256)
        self.add(QgsProcessingParameterRasterDestination(self.OUTPUT, "Reflectance"),
                 "float32 reflectance (0..1), nodata -9999, band names set.")

    def execute_core(self, parameters, context, feedback, core_feedback):
        from ..core.planet.reflectance import to_reflectance

        output = self.parameterAsOutputLayer(parameters, self.OUTPUT, context)
        udm2 = (self.raster_path(parameters, self.UDM2, context) if parameters.get(self.UDM2)
                else None)
        to_reflectance(
            self.raster_path(parameters, self.INPUT_RASTER, context), output,
            metadata_path=self.parameterAsFile(parameters, self.METADATA, context) or None,
            udm2_path=udm2,
            mask_classes=self.parameter_as_choices(parameters, self.MASK_CLASSES, context),
            product=self.parameterAsEnumString(parameters, self.PRODUCT, context) or "auto",
            memory_mb=self.parameterAsInt(parameters, self.MEMORY_MB, context),
            feedback=core_feedback)
        return {self.OUTPUT: output}
