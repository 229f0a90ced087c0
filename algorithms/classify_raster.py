"""cropseg:classifyraster."""

from qgis.core import QgsProcessingParameterFile, QgsProcessingParameterRasterDestination

from ..core.common.dependencies import CLASSIFYING
from .base import CropsegAlgorithm, StyleFromSidecar


class ClassifyRaster(CropsegAlgorithm):
    """Classify a raster with a cropseg model file."""

    NAME = "classifyraster"
    DISPLAY_NAME = "Classify raster"
    GROUP, GROUP_ID = "Classification", "classification"
    HELP_ANCHOR = "classify-raster"
    MODULES = CLASSIFYING
    HELP = (
        "Classifies every pixel of a raster with a model trained by <i>Train pixel classifier "
        "from vector labels</i>. Works block by block within a memory budget, so rasters of "
        "any size can be classified; all processor cores are used.<br><br>"
        "Outputs: a class raster (uint8 GeoTIFF, nodata 255, colour table, class names and "
        "crop classes stored in the file), and optionally the confidence (probability of the "
        "chosen class, 0..1) and one probability band per class. A pixel that is nodata in "
        "any band the model uses is nodata in every output.<br><br>"
        "The raster must have the same bands, in the same order, as the training raster; a "
        "model trained on a time stack needs a time stack of as many dates (and cloud masks "
        "when it was trained with them).<br>"
        "Example: <i>scene.tif</i> + <i>crop.cropseg</i> &rarr; <i>classes.tif</i>, "
        "<i>confidence.tif</i>.")

    # Parameter and output keys.
    OUTPUT_CLASSES = "OUTPUT_CLASSES"
    OUTPUT_CONFIDENCE = "OUTPUT_CONFIDENCE"
    OUTPUT_PROBABILITIES = "OUTPUT_PROBABILITIES"

    def initAlgorithm(self, config=None):  # noqa: N802 (QGIS API)
        self.add_raster_inputs(
            "Raster to classify, with the same bands as the training raster.",
            "For a model trained on a time stack: the same number of dates, with the same bands, "
            "in the same season.")
        self.add(QgsProcessingParameterFile(self.MODEL, "Model file", extension="cropseg"),
                 "A .cropseg model file written by 'Train pixel classifier from vector labels'.")
        self.add_memory_budget(512)
        self.add(QgsProcessingParameterRasterDestination(self.OUTPUT_CLASSES, "Classes"),
                 "Class raster: uint8, nodata 255, paletted with the class names and colours.")
        self.add(QgsProcessingParameterRasterDestination(
            self.OUTPUT_CONFIDENCE, "Confidence", optional=True, createByDefault=False),
            "Probability of the chosen class (0..1, float32, nodata -1).")
        self.add(QgsProcessingParameterRasterDestination(
            self.OUTPUT_PROBABILITIES, "Class probabilities", optional=True,
            createByDefault=False),
            "One float32 band per class with its probability (nodata -1).")

    def execute_core(self, parameters, context, feedback, core_feedback):
        from ..core.mapping.classify import classify_raster

        outputs = {name: self.parameterAsOutputLayer(parameters, name, context) or None
                   for name in (self.OUTPUT_CLASSES, self.OUTPUT_CONFIDENCE,
                                self.OUTPUT_PROBABILITIES)}
        raster, masks, mask_kind = self.raster_inputs(parameters, context)
        classify_raster(
            raster,
            self.parameterAsFile(parameters, self.MODEL, context),
            outputs[self.OUTPUT_CLASSES],
            masks=masks, mask_kind=mask_kind,
            output_confidence=outputs[self.OUTPUT_CONFIDENCE],
            output_probabilities=outputs[self.OUTPUT_PROBABILITIES],
            memory_mb=self.parameterAsInt(parameters, self.MEMORY_MB, context),
            feedback=core_feedback)
        written = {name: path for name, path in outputs.items() if path}
        for path in written.values():
            StyleFromSidecar.attach(context, path, path)
        return written
