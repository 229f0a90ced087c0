"""cropseg:stratifiedsample."""

from qgis.core import (QgsProcessingParameterNumber, QgsProcessingParameterRasterLayer,
                       QgsProcessingParameterString, QgsProcessingParameterVectorDestination)

from .base import CropsegAlgorithm, StyleFromSidecar
from .enums import DOUBLE, INTEGER, VECTOR_POINT


class StratifiedSample(CropsegAlgorithm):
    """Draw a stratified random sample of points over a class raster."""

    NAME = "stratifiedsample"
    DISPLAY_NAME = "Stratified sample for accuracy assessment"
    GROUP, GROUP_ID = "Assessment", "assessment"
    HELP_ANCHOR = "stratified-sample"
    MODULES = ("numpy", "rasterio", "geopandas", "shapely", "pyproj")
    HELP = (
        "Draws random points over a class raster, stratified by map class, for an accuracy "
        "assessment with area estimates (Olofsson et al. 2014).<br><br>"
        "The total sample size comes from the target standard error of overall accuracy and "
        "the expected user's accuracy of each class (Cochran's formula); it is allocated in "
        "proportion to the mapped area and every class gets at least MIN_PER_CLASS points. "
        "Each point has the map class and an empty <i>reference</i> field: fill it in from "
        "imagery or a field visit, then run <i>Accuracy report</i> with SAMPLING stratified."
        "<br><br>Example: <i>classes.tif</i>, target standard error 0.01, wheat=0.7 &rarr; "
        "<i>sample.gpkg</i>.")

    # Parameter and output keys.
    INPUT_CLASSES = "INPUT_CLASSES"
    TARGET_SE = "TARGET_SE"
    DEFAULT_UA = "DEFAULT_UA"
    EXPECTED_UA = "EXPECTED_UA"
    MIN_PER_CLASS = "MIN_PER_CLASS"
    RANDOM_SEED = "RANDOM_SEED"

    def initAlgorithm(self, config=None):  # noqa: N802 (QGIS API)
        self.add(QgsProcessingParameterRasterLayer(self.INPUT_CLASSES, "Class raster"),
                 "The map to assess; its classes are the strata.")
        self.add(QgsProcessingParameterNumber(self.TARGET_SE, "Target standard error of overall "
                                              "accuracy", DOUBLE,
                                              0.01, minValue=0.001, maxValue=0.49),
                 "Standard error of the overall accuracy the sample should reach (0.01 = one "
                 "percentage point).")
        self.add(QgsProcessingParameterNumber(self.DEFAULT_UA, "Expected user's accuracy",
                                              DOUBLE, 0.8,
                                              minValue=0.01, maxValue=0.99),
                 "Expected user's accuracy of classes not listed in EXPECTED_UA (0..1).")
        self.add(QgsProcessingParameterString(self.EXPECTED_UA,
                                              "Expected user's accuracy per class", optional=True),
                 "Comma-separated class=accuracy pairs (class value or name), for example "
                 "wheat=0.7,3=0.9. Lower values for rare or hard classes give them more points.")
        self.add(QgsProcessingParameterNumber(self.MIN_PER_CLASS, "Minimum points per class",
                                              INTEGER, 50,
                                              minValue=2),
                 "Every class gets at least this many points (or all its pixels).")
        self.add(QgsProcessingParameterNumber(self.RANDOM_SEED, "Random seed",
                                              INTEGER, 0),
                 "The same seed draws the same points.", advanced=True)
        self.add(QgsProcessingParameterVectorDestination(self.OUTPUT, "Sample points",
                                                         VECTOR_POINT),
                 "Points with id, map_value, map_class and an empty reference field; "
                 "GeoPackage, Shapefile, GeoJSON or FlatGeobuf by the file name's extension.")

    def execute_core(self, parameters, context, feedback, core_feedback):
        from ..core.assessment.sample_design import draw_stratified_sample

        output = self.parameterAsOutputLayer(parameters, self.OUTPUT, context)
        expected = self.parameter_as_pairs(parameters, self.EXPECTED_UA, context) or {}
        draw_stratified_sample(
            self.raster_path(parameters, self.INPUT_CLASSES, context), output,
            target_se=self.parameterAsDouble(parameters, self.TARGET_SE, context),
            expected_ua=expected, default_ua=self.parameterAsDouble(parameters, self.DEFAULT_UA,
                                                                      context),
            min_per_class=self.parameterAsInt(parameters, self.MIN_PER_CLASS, context),
            seed=self.parameterAsInt(parameters, self.RANDOM_SEED, context), feedback=core_feedback)
        StyleFromSidecar.attach(context, output, output)
        return {self.OUTPUT: output}
