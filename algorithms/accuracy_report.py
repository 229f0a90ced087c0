"""cropseg:accuracyreport."""

from qgis.core import (QgsProcessingOutputNumber, QgsProcessingParameterEnum,
                       QgsProcessingParameterFeatureSource, QgsProcessingParameterField,
                       QgsProcessingParameterFile, QgsProcessingParameterFileDestination,
                       QgsProcessingParameterNumber, QgsProcessingParameterRasterLayer,
                       QgsProcessingParameterString)

from ..core.assessment.options import SAMPLINGS
from .base import CropsegAlgorithm
from .enums import DOUBLE, VECTOR_POINT, VECTOR_POLYGON


class AccuracyReport(CropsegAlgorithm):
    """Assess a class raster against reference data."""

    NAME = "accuracyreport"
    DISPLAY_NAME = "Accuracy report"
    GROUP, GROUP_ID = "Assessment", "assessment"
    HELP_ANCHOR = "accuracy-report"
    MODULES = ("numpy", "rasterio", "geopandas", "shapely", "pyproj", "matplotlib")
    HELP = (
        "Compares a class raster with reference data that were not used for training and "
        "writes the figures a reviewer asks for: confusion matrix (rows are the map, columns "
        "the reference), precision (user's accuracy), recall (producer's accuracy), F1, F-beta, "
        "support, overall accuracy, Cohen's kappa, macro and weighted averages, and a crop vs "
        "non-crop summary when the map names its crop classes.<br><br>"
        "<b>census</b> (default for polygons and rasters): every labelled pixel counts. "
        "<b>stratified</b> (default for points): the points are a stratified random sample "
        "over the map classes (see Stratified sample) and the estimators of Olofsson et al. "
        "(2014) give area-weighted accuracies and the area of every class in hectares, with "
        "95% confidence intervals.<br><br>"
        "Pixels that are nodata in the map or unlabelled in the reference are left out and "
        "counted in the report. Outputs: HTML for people, JSON with every figure and CSV with "
        "the confusion matrix for machines.<br>"
        "Example: <i>classes.tif</i> + <i>reference_fields.gpkg</i> (field <i>crop_type</i>) "
        "&rarr; <i>accuracy.html</i>.")

    # Parameter and output keys.
    INPUT_CLASSES = "INPUT_CLASSES"
    REFERENCE_VECTOR = "REFERENCE_VECTOR"
    REFERENCE_FIELD = "REFERENCE_FIELD"
    REFERENCE_RASTER = "REFERENCE_RASTER"
    CLASS_MAPPING = "CLASS_MAPPING"
    SAMPLING = "SAMPLING"
    BETA = "BETA"
    OUTPUT_HTML = "OUTPUT_HTML"
    OUTPUT_JSON = "OUTPUT_JSON"
    OUTPUT_CSV = "OUTPUT_CSV"
    OVERALL_ACCURACY = "OVERALL_ACCURACY"
    KAPPA = "KAPPA"
    F1_MACRO = "F1_MACRO"
    F1_CROP = "F1_CROP"

    def initAlgorithm(self, config=None):  # noqa: N802 (QGIS API)
        self.add(QgsProcessingParameterRasterLayer(self.INPUT_CLASSES, "Class raster"),
                 "The class raster to assess (from Classify raster or Denoise and vectorize).")
        self.add(QgsProcessingParameterFeatureSource(
            self.REFERENCE_VECTOR, "Reference polygons or points",
            [VECTOR_POLYGON, VECTOR_POINT], optional=True),
            "Reference polygons (rasterized onto the map grid) or points (read at their "
            "pixel), not used for training.")
        self.add(QgsProcessingParameterField(self.REFERENCE_FIELD, "Reference class field", None,
                                             self.REFERENCE_VECTOR, optional=True),
                 "Integer or text class field of the reference layer; text values are matched "
                 "to the map's class names.")
        self.add(QgsProcessingParameterRasterLayer(self.REFERENCE_RASTER, "Reference raster",
                                                   optional=True),
                 "A reference class raster instead of a layer; resampled by nearest neighbour "
                 "onto the map grid when the grids differ (the report warns).")
        self.add(QgsProcessingParameterString(self.CLASS_MAPPING, "Class mapping", optional=True),
                 "Comma-separated reference=map pairs for references coded differently, for "
                 "example: winter wheat=wheat,grass=fallow,7=2.")
        self.add(QgsProcessingParameterEnum(self.SAMPLING, "Sampling", list(SAMPLINGS),
                                            optional=True, usesStaticStrings=True),
                 "census: every labelled pixel counts. stratified: points are a stratified "
                 "random sample; areas and accuracies are estimated with 95% intervals. Empty: "
                 "stratified for points, census otherwise.")
        self.add(QgsProcessingParameterFile(self.MODEL, "Model file (to check training overlap)",
                                            extension="cropseg", optional=True),
                 "The model that made the map: the report says prominently how much of the "
                 "reference lies where its training pixels came from.")
        self.add(QgsProcessingParameterNumber(self.BETA, "F-beta weight of recall",
                                              DOUBLE, 1.0,
                                              minValue=0.01),
                 "beta of the F-beta score: 1 gives F1, 2 weighs recall higher (as the Planet "
                 "Amazon contest did).", advanced=True)
        self.add(QgsProcessingParameterFileDestination(self.OUTPUT_HTML, "Report (HTML)",
                                                       "HTML files (*.html)"),
                 "The report for people: tables, charts, inputs and the command to rerun it.")
        self.add(QgsProcessingParameterFileDestination(self.OUTPUT_JSON, "Figures (JSON)",
                                                       "JSON files (*.json)", optional=True),
                 "Every figure, machine-readable, with a schema version.")
        self.add(QgsProcessingParameterFileDestination(self.OUTPUT_CSV, "Confusion matrix (CSV)",
                                                       "CSV files (*.csv)", optional=True),
                 "The confusion matrix with a header row and column naming the map and "
                 "reference axes.")
        for name, label in ((self.OVERALL_ACCURACY, "Overall accuracy"), (self.KAPPA, "Kappa"),
                            (self.F1_MACRO, "F1 macro"), (self.F1_CROP, "F1 of crop")):
            self.add_output(QgsProcessingOutputNumber(name, label))

    def execute_core(self, parameters, context, feedback, core_feedback):
        from ..core.assessment.comparison import assess_map
        from ..core.assessment.report import write_outputs

        outputs = {name: self.parameterAsFileOutput(parameters, name, context) or None
                   for name in (self.OUTPUT_HTML, self.OUTPUT_JSON, self.OUTPUT_CSV)}
        reference_raster = None
        if parameters.get(self.REFERENCE_RASTER):
            reference_raster = self.raster_path(parameters, self.REFERENCE_RASTER, context)
        report = assess_map(
            self.raster_path(parameters, self.INPUT_CLASSES, context),
            reference_vector=self.vector_path(parameters, self.REFERENCE_VECTOR, context, feedback),
            reference_field=self.parameterAsString(parameters, self.REFERENCE_FIELD, context)
            or None,
            reference_raster=reference_raster,
            class_mapping=self.parameter_as_pairs(parameters, self.CLASS_MAPPING, context),
            sampling=self.parameterAsEnumString(parameters, self.SAMPLING, context) or None,
            beta=self.parameterAsDouble(parameters, self.BETA, context),
            model_path=self.parameterAsFile(parameters, self.MODEL, context) or None,
            feedback=core_feedback)
        figures = write_outputs(report, outputs[self.OUTPUT_HTML], outputs[self.OUTPUT_JSON],
                                outputs[self.OUTPUT_CSV], self._rerun_command(parameters, context))
        for warning in report.warnings:
            feedback.pushWarning(warning.text(self.tr))
        crop = figures.get("crop_summary") or {}
        results = {k: v for k, v in outputs.items() if v}
        results.update({self.OVERALL_ACCURACY: figures["overall_accuracy"],
                        self.KAPPA: figures["kappa"], self.F1_MACRO: figures["macro"]["f1"],
                        self.F1_CROP: crop.get("f1_crop")})
        return results

    def _rerun_command(self, parameters, context):
        """The qgis_process command that repeats this run with files."""
        words = ["qgis_process", "run", f"cropseg:{self.NAME}", "--"]
        for definition in self.parameterDefinitions():
            value = parameters.get(definition.name())
            if value in (None, ""):
                continue
            text = definition.valueAsPythonString(value, context).strip("'\"")
            words.append(f"{definition.name()}={text}")
        return " ".join(f"'{w}'" if " " in w else w for w in words)

