"""cropseg:denoisevectorizemask."""

from qgis.core import (QgsProcessingParameterEnum, QgsProcessingParameterNumber,
                       QgsProcessingParameterRasterDestination, QgsProcessingParameterRasterLayer,
                       QgsProcessingParameterString, QgsProcessingParameterVectorDestination)

from ..core.cleanup.options import KEEP_CLASSES
from .base import CropsegAlgorithm, StyleFromSidecar
from .enums import DOUBLE, INTEGER, VECTOR_POLYGON


class DenoiseVectorizeMask(CropsegAlgorithm):
    """Clean a crop mask and turn it into field polygons."""

    NAME = "denoisevectorizemask"
    DISPLAY_NAME = "Denoise and vectorize crop mask"
    GROUP, GROUP_ID = "Post-processing", "postprocessing"
    HELP_ANCHOR = "denoise-and-vectorize-crop-mask"
    MODULES = ("numpy", "rasterio", "geopandas", "shapely", "pyproj", "cv2")
    HELP = (
        "Removes the speckle of a pixel classification and traces the crop patches as "
        "polygons a field register can use.<br><br>"
        "The crop classes of the class raster form a mask (1 crop, 0 non-crop, 255 nodata). "
        "A median (majority) filter removes single pixels and thin noise while keeping the "
        "road lines between fields; an optional opening removes thin crop protrusions and a "
        "closing fills narrow gaps. The minimum mapping unit removes crop patches smaller than "
        "MIN_AREA and fills holes smaller than it inside crop patches (holes touching nodata "
        "or the raster edge are kept).<br><br>"
        "Polygons follow the pixel edges exactly (rasterizing them gives the cleaned mask back), "
        "holes are interior rings, and fields crossing processing blocks come out whole. "
        "Attributes: id, class value and name, area in hectares, perimeter in metres and, with "
        "a confidence raster, the mean confidence.<br><br>"
        "Example: <i>classes.tif</i> + <i>confidence.tif</i>, median 5, minimum area 0.5 ha "
        "&rarr; <i>crop_mask.tif</i>, <i>fields.gpkg</i>.")

    # Parameter and output keys.
    INPUT_CLASSES = "INPUT_CLASSES"
    INPUT_CONFIDENCE = "INPUT_CONFIDENCE"
    CROP_CLASSES = "CROP_CLASSES"
    KEEP_CLASSES = "KEEP_CLASSES"
    MEDIAN_SIZE = "MEDIAN_SIZE"
    OPENING = "OPENING"
    CLOSING = "CLOSING"
    MIN_AREA = "MIN_AREA"
    SIMPLIFY = "SIMPLIFY"
    OUTPUT_MASK = "OUTPUT_MASK"
    OUTPUT_POLYGONS = "OUTPUT_POLYGONS"

    def initAlgorithm(self, config=None):  # noqa: N802 (QGIS API)
        self.add(QgsProcessingParameterRasterLayer(self.INPUT_CLASSES, "Class raster"),
                 "Integer class raster, typically the Classes output of Classify raster.")
        self.add(QgsProcessingParameterRasterLayer(self.INPUT_CONFIDENCE, "Confidence raster",
                                                   optional=True),
                 "Optional confidence raster on the same grid; each polygon gets its mean.")
        self.add(QgsProcessingParameterString(self.CROP_CLASSES, "Crop classes", optional=True),
                 "Comma-separated class values or names forming the crop mask. Empty: the crop "
                 "classes stored in the class raster by Classify raster.")
        self.add(QgsProcessingParameterEnum(self.KEEP_CLASSES, "Keep", list(KEEP_CLASSES),
                                            defaultValue="crop", usesStaticStrings=True),
                 "crop: clean the crop mask and vectorize crop fields. all: keep every class "
                 "(CROP_CLASSES empty, no opening or closing); the median becomes a majority "
                 "filter, small patches take the class they border most, and every class is "
                 "vectorized with its own value and name.")
        self.add(QgsProcessingParameterNumber(self.MEDIAN_SIZE, "Median filter size (pixels)",
                                              INTEGER, 5,
                                              minValue=0, maxValue=101),
                 "Odd window side in pixels of the median (majority) filter; 0 or 1 switches "
                 "it off.")
        self.add(QgsProcessingParameterNumber(self.OPENING, "Opening radius (pixels)",
                                              INTEGER, 0,
                                              minValue=0, maxValue=50),
                 "Morphological opening: removes crop parts thinner than twice this radius. "
                 "0 = off.")
        self.add(QgsProcessingParameterNumber(self.CLOSING, "Closing radius (pixels)",
                                              INTEGER, 0,
                                              minValue=0, maxValue=50),
                 "Morphological closing: fills gaps narrower than twice this radius. 0 = off.")
        self.add(QgsProcessingParameterNumber(self.MIN_AREA, "Minimum mapping unit (hectares)",
                                              DOUBLE, 0.0,
                                              minValue=0.0),
                 "Crop patches smaller than this are removed and holes smaller than this inside "
                 "crop patches are filled. In hectares, so one value works at any pixel size.")
        self.add(QgsProcessingParameterNumber(self.SIMPLIFY, "Simplify tolerance (map units)",
                                              DOUBLE, 0.0,
                                              minValue=0.0),
                 "Douglas-Peucker tolerance in map units (metres for projected rasters); 0 "
                 "keeps the exact pixel edges. Shared borders stay shared: no gaps or overlaps.")
        self.add_memory_budget(512)
        self.add(QgsProcessingParameterRasterDestination(self.OUTPUT_MASK, "Cleaned crop mask"),
                 "uint8 GeoTIFF: 1 crop, 0 non-crop, 255 nodata (with KEEP_CLASSES all: the "
                 "cleaned classes).")
        self.add(QgsProcessingParameterVectorDestination(
            self.OUTPUT_POLYGONS, "Field polygons", VECTOR_POLYGON),
            "Crop polygons in the raster CRS, as GeoPackage (.gpkg), Shapefile (.shp; field "
            "names cut to 10 characters), GeoJSON (.geojson) or FlatGeobuf (.fgb) by the file "
            "name's extension.")

    def execute_core(self, parameters, context, feedback, core_feedback):
        from ..core.cleanup.denoise_vectorize import denoise_vectorize_mask

        mask = self.parameterAsOutputLayer(parameters, self.OUTPUT_MASK, context)
        polygons = self.parameterAsOutputLayer(parameters, self.OUTPUT_POLYGONS, context)
        confidence = None
        if parameters.get(self.INPUT_CONFIDENCE):
            confidence = self.raster_path(parameters, self.INPUT_CONFIDENCE, context)
        crop_classes = self.parameter_as_list(parameters, self.CROP_CLASSES, context)
        denoise_vectorize_mask(
            self.raster_path(parameters, self.INPUT_CLASSES, context), mask, polygons,
            confidence_path=confidence, crop_classes=crop_classes,
            median_size=self.parameterAsInt(parameters, self.MEDIAN_SIZE, context),
            opening=self.parameterAsInt(parameters, self.OPENING, context),
            closing=self.parameterAsInt(parameters, self.CLOSING, context),
            min_area_ha=self.parameterAsDouble(parameters, self.MIN_AREA, context),
            simplify=self.parameterAsDouble(parameters, self.SIMPLIFY, context),
            keep_classes=self.parameterAsEnumString(parameters, self.KEEP_CLASSES, context),
            memory_mb=self.parameterAsInt(parameters, self.MEMORY_MB, context),
            feedback=core_feedback)
        for path in (mask, polygons):
            StyleFromSidecar.attach(context, path, path)
        return {self.OUTPUT_MASK: mask, self.OUTPUT_POLYGONS: polygons}
