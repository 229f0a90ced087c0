"""cropseg:classifybatch."""

from qgis.core import (QgsProcessingOutputMultipleLayers, QgsProcessingOutputNumber,
                       QgsProcessingParameterEnum, QgsProcessingParameterFile,
                       QgsProcessingParameterFileDestination,
                       QgsProcessingParameterFolderDestination,
                       QgsProcessingParameterMultipleLayers, QgsProcessingParameterNumber,
                       QgsProcessingParameterString)

from ..core.common.dependencies import CLASSIFYING
from ..core.mapping.options import MOSAICS
from .base import CropsegAlgorithm
from .enums import INTEGER, RASTER


class ClassifyBatch(CropsegAlgorithm):
    """Classify many rasters, or tiles of large ones, on a Dask cluster."""

    NAME = "classifybatch"
    DISPLAY_NAME = "Classify rasters in batch"
    GROUP, GROUP_ID = "Classification", "classification"
    HELP_ANCHOR = "classify-rasters-in-batch"
    MODULES = CLASSIFYING + ("distributed",)
    HELP = (
        "Classifies many rasters with one model as tasks on a Dask cluster: the worker "
        "processes of this machine, or the workers of a running scheduler on other machines. "
        "A raster larger than TILE_SIZE is cut into tiles that run as separate tasks and are "
        "read as one raster through a VRT mosaic (and, if asked, one Cloud Optimized GeoTIFF)."
        "<br><br>Each task writes its outputs whole or not at all and a task already done is "
        "skipped, so running again with the same model and folder resumes an interrupted "
        "batch. A raster that fails is named in the summary table while the others finish; a "
        "worker that dies is replaced and its task run again. Outputs are the class and "
        "confidence rasters of <i>Classify raster</i>, pixel for pixel.<br><br>"
        "Needs the optional package dask[distributed] (see <i>Check dependencies</i>).<br>"
        "Example: sixteen scenes + <i>crop.cropseg</i>, 2 workers &rarr; "
        "<i>&lt;scene&gt;_classes.tif</i> and <i>&lt;scene&gt;_confidence.tif</i> for each, "
        "and <i>batch_summary.csv</i>.")

    # Parameter and output keys.
    SCHEDULER = "SCHEDULER"
    WORKERS = "WORKERS"
    TILE_SIZE = "TILE_SIZE"
    MOSAIC = "MOSAIC"
    OUTPUT_SUMMARY = "OUTPUT_SUMMARY"
    CLASS_RASTERS = "CLASS_RASTERS"
    CLASSIFIED = "CLASSIFIED"
    FAILED = "FAILED"

    def initAlgorithm(self, config=None):  # noqa: N802 (QGIS API)
        self.add(QgsProcessingParameterMultipleLayers(self.INPUT_RASTERS, "Rasters to classify",
                                                      RASTER),
                 "Rasters with the same bands as the training raster; file names must differ, "
                 "as outputs are named after them.")
        self.add(QgsProcessingParameterFile(self.MODEL, "Model file", extension="cropseg"),
                 "A .cropseg model file written by 'Train pixel classifier from vector labels'.")
        self.add(QgsProcessingParameterString(self.SCHEDULER, "Dask scheduler address",
                                              optional=True),
                 "Address of a running Dask scheduler, for example tcp://10.0.0.5:8786, whose "
                 "workers can read the rasters and OUTPUT_FOLDER at the same paths. Empty: "
                 "start WORKERS worker processes on this machine.")
        self.add(QgsProcessingParameterNumber(self.WORKERS, "Local worker processes", INTEGER,
                                              2, minValue=1, maxValue=256),
                 "How many worker processes to start on this machine when SCHEDULER is empty; "
                 "each classifies one task at a time on one core.")
        self.add(QgsProcessingParameterNumber(self.TILE_SIZE, "Tile size (px)", INTEGER, 4096,
                                              minValue=0, maxValue=1_000_000),
                 "Rasters wider or taller than this are cut into tiles of this size, one task "
                 "each, so that one large raster keeps every worker busy. 0: every raster is "
                 "one task.")
        self.add(QgsProcessingParameterEnum(self.MOSAIC, "Mosaic of tiled rasters",
                                            list(MOSAICS.values()), defaultValue=0),
                 "What is built from the tiles of a tiled raster: a VRT that reads them as one "
                 "raster, or also one Cloud Optimized GeoTIFF.", advanced=True)
        self.add_memory_budget(512)
        self.add(QgsProcessingParameterFolderDestination(self.OUTPUT_FOLDER, "Output folder"),
                 "Where each raster's class and confidence rasters (or tiles and mosaics), the "
                 "summary and the batch's state file go. Use the same folder to resume.")
        self.add(QgsProcessingParameterFileDestination(
            self.OUTPUT_SUMMARY, "Summary table", "CSV files (*.csv)", optional=True,
            createByDefault=False),
            "A CSV table with one row per raster: status, tasks, tasks skipped, outputs, "
            "seconds and the error of a raster that failed. Default: batch_summary.csv in "
            "OUTPUT_FOLDER.")
        self.add_output(QgsProcessingOutputMultipleLayers(self.CLASS_RASTERS,
                                                          "Class rasters"))
        self.add_output(QgsProcessingOutputNumber(self.CLASSIFIED, "Rasters classified"))
        self.add_output(QgsProcessingOutputNumber(self.FAILED, "Rasters that failed"))

    def execute_core(self, parameters, context, feedback, core_feedback):
        from ..core.mapping.batch import classify_batch

        folder = self.parameterAsString(parameters, self.OUTPUT_FOLDER, context)
        result = classify_batch(
            self.raster_paths(parameters, self.INPUT_RASTERS, context),
            self.parameterAsFile(parameters, self.MODEL, context),
            folder,
            scheduler=self.parameterAsString(parameters, self.SCHEDULER, context).strip()
            or None,
            workers=self.parameterAsInt(parameters, self.WORKERS, context),
            tile_size=self.parameterAsInt(parameters, self.TILE_SIZE, context),
            mosaic=list(MOSAICS)[self.parameterAsEnum(parameters, self.MOSAIC, context)],
            memory_mb=self.parameterAsInt(parameters, self.MEMORY_MB, context),
            summary_path=self.parameterAsFileOutput(parameters, self.OUTPUT_SUMMARY, context)
            or None,
            feedback=core_feedback)
        classified = [o for o in result.outcomes if not o.error]
        return {self.OUTPUT_FOLDER: folder, self.OUTPUT_SUMMARY: result.summary_path,
                self.CLASS_RASTERS: [o.cog or o.classes for o in classified],
                self.CLASSIFIED: len(classified), self.FAILED: len(result.failed)}
