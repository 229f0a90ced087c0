"""The cropseg Processing provider."""

import os

from qgis.core import QgsProcessingModelAlgorithm, QgsProcessingProvider
from qgis.PyQt.QtGui import QIcon

from .algorithms.base import ICONS, tr
from .core.common.files import VECTOR_DRIVERS
from .core import __version__

MODELS = os.path.join(os.path.dirname(__file__), "resources", "models")


class CropsegProvider(QgsProcessingProvider):
    """Provider ``cropseg``: crop segmentation algorithms, file outputs only."""

    def id(self):
        return "cropseg"

    def name(self):
        return tr("Crop segmentation")

    def longName(self):  # noqa: N802 (QGIS API)
        return f"{self.name()} (cropseg {__version__})"

    def icon(self):
        return QIcon(os.path.join(ICONS, "cropseg.svg"))

    def versionInfo(self):  # noqa: N802 (QGIS API)
        return __version__

    def loadAlgorithms(self):  # noqa: N802 (QGIS API)
        from .algorithms.accuracy_report import AccuracyReport
        from .algorithms.check_dependencies import CheckDependencies
        from .algorithms.classify_batch import ClassifyBatch
        from .algorithms.classify_raster import ClassifyRaster
        from .algorithms.denoise_vectorize_mask import DenoiseVectorizeMask
        from .algorithms.planet_order import PlanetOrder
        from .algorithms.planet_reflectance import PlanetReflectance
        from .algorithms.planet_search import PlanetSearch
        from .algorithms.stratified_sample import StratifiedSample
        from .algorithms.temporal_composite import TemporalComposite
        from .algorithms.train_pixel_classifier import TrainPixelClassifier

        for algorithm in (TrainPixelClassifier(), ClassifyRaster(), ClassifyBatch(),
                          DenoiseVectorizeMask(), AccuracyReport(), StratifiedSample(),
                          PlanetSearch(), PlanetOrder(), PlanetReflectance(),
                          TemporalComposite(), CheckDependencies()):
            self.addAlgorithm(algorithm)
        for model in shipped_models():
            self.addAlgorithm(model)

    def supportedOutputRasterLayerExtensions(self):  # noqa: N802 (QGIS API)
        return ["tif"]

    def defaultRasterFileExtension(self):  # noqa: N802 (QGIS API)
        return "tif"

    def supportedOutputVectorLayerExtensions(self):  # noqa: N802 (QGIS API)
        return [extension[1:] for extension in VECTOR_DRIVERS]

    def defaultVectorFileExtension(self, hasGeometry=True):  # noqa: N802 (QGIS API)
        return "gpkg"


class ShippedModel(QgsProcessingModelAlgorithm):
    """A workflow from resources/models, shown by a readable title and its own icon.

    Its id stays ``cropseg:<model name>`` (``crop_mask_workflow``); the toolbox
    shows "Crop mask workflow".
    """

    def displayName(self):  # noqa: N802 (QGIS API)
        return self.name().replace("_", " ").capitalize()

    def icon(self):
        return QIcon(os.path.join(ICONS, f"{self.name()}.svg"))

    def createInstance(self):  # noqa: N802 (QGIS API)
        instance = ShippedModel()
        instance.loadVariant(self.toVariant())
        instance.setSourceFilePath(self.sourceFilePath())
        return instance


def shipped_models():
    """The Processing models in resources/models (the workflows users can also edit)."""
    models = []
    for name in sorted(os.listdir(MODELS)):
        model = ShippedModel()
        if name.endswith(".model3") and model.fromFile(os.path.join(MODELS, name)):
            models.append(model)
    return models
