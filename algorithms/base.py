"""The one base class of cropseg algorithms: names, help, inputs as files, core calls."""

import math
import os
import re
import traceback

from qgis.core import (QgsProcessingAlgorithm, QgsProcessingException,
                       QgsProcessingLayerPostProcessorInterface, QgsProcessingParameterEnum,
                       QgsProcessingParameterFeatureSource, QgsProcessingParameterFile,
                       QgsProcessingParameterFileDestination,
                       QgsProcessingParameterFolderDestination,
                       QgsProcessingParameterMultipleLayers, QgsProcessingParameterNumber,
                       QgsProcessingParameterRasterDestination, QgsProcessingParameterRasterLayer,
                       QgsProcessingParameterVectorDestination, QgsProcessingParameterVectorLayer)
from qgis.PyQt.QtCore import QCoreApplication
from qgis.PyQt.QtGui import QIcon

from ..core.common.dependencies import LEARNING, missing_message
from ..core.common.errors import CropsegError
from ..core.common.files import RASTER_EXTENSIONS, VECTOR_DRIVERS, check_outputs
from ..core.common.parsing import parse_list, parse_pairs
from ..core.common.progress import Feedback
from ..core.common.styles import sidecar_path
from ..core.rasters.stack import MASK_KIND_LABELS, MASK_KINDS
from .enums import ADVANCED, INTEGER, RASTER

ICONS = os.path.join(os.path.dirname(os.path.dirname(__file__)), "resources", "icons")
HELP_URL = "https://github.com/cropseg/cropseg#{}"

#: The translation context of every text the plugin shows (see scripts/translations.py).
TRANSLATION_CONTEXT = "cropseg"


def tr(text):
    """``text`` in the user's language, when the plugin has a translation for it."""
    return QCoreApplication.translate(TRANSLATION_CONTEXT, text)


class CropsegAlgorithm(QgsProcessingAlgorithm):
    """Subclasses set the class attributes and implement ``initAlgorithm`` and ``execute_core``."""

    NAME = ""
    DISPLAY_NAME = ""
    GROUP = ""
    GROUP_ID = ""
    HELP = ""
    HELP_ANCHOR = ""
    #: Modules (keys of core.common.dependencies.PACKAGES) the algorithm imports.
    MODULES = LEARNING

    # Keys of the parameters shared by several algorithms.
    INPUT_RASTER = "INPUT_RASTER"
    INPUT_RASTERS = "INPUT_RASTERS"
    MODEL = "MODEL"
    TIME_STACK = "TIME_STACK"
    MASKS = "MASKS"
    MASK_TYPE = "MASK_TYPE"
    MEMORY_MB = "MEMORY_MB"
    OUTPUT = "OUTPUT"
    OUTPUT_FOLDER = "OUTPUT_FOLDER"

    def name(self):
        return self.NAME

    def tr(self, text):
        return tr(text)

    def displayName(self):  # noqa: N802 (QGIS API)
        return self.tr(self.DISPLAY_NAME)

    def group(self):
        return self.tr(self.GROUP)

    def groupId(self):  # noqa: N802 (QGIS API)
        return self.GROUP_ID

    def shortHelpString(self):  # noqa: N802 (QGIS API)
        return self.tr(self.HELP)

    def helpUrl(self):  # noqa: N802 (QGIS API)
        return HELP_URL.format(self.HELP_ANCHOR)

    def icon(self):
        return QIcon(os.path.join(ICONS, f"{self.NAME}.svg"))

    def createInstance(self):  # noqa: N802 (QGIS API)
        return type(self)()

    def canExecute(self):  # noqa: N802 (QGIS API)
        message = missing_message(self.MODULES, tr)
        return (not message, message)

    def add(self, parameter, help_text, *, advanced=False):
        """Add ``parameter`` with its tooltip help, both translated; mark it advanced if asked."""
        parameter.setDescription(self.tr(parameter.description()))
        help_text = self.tr(help_text)
        if isinstance(parameter, QgsProcessingParameterEnum):
            if parameter.usesStaticStrings():
                # qgis_process's help offers option numbers, which such a parameter refuses.
                help_text += " " + self.tr("Give the option's name ({}); option numbers are "
                                           "not accepted.").format(", ".join(parameter.options()))
            else:
                parameter.setOptions([self.tr(option) for option in parameter.options()])
        parameter.setHelp(help_text)
        if advanced:
            parameter.setFlags(parameter.flags() | ADVANCED)
        self.addParameter(parameter)
        return parameter

    def add_output(self, output):
        """Add the non-file ``output`` with its description translated."""
        output.setDescription(self.tr(output.description()))
        self.addOutput(output)

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802 (QGIS API)
        message = missing_message(self.MODULES, tr)
        if message:
            raise QgsProcessingException(message)
        bridge = Feedback(on_progress=lambda f: feedback.setProgress(100.0 * f),
                          on_info=feedback.pushInfo, on_warning=feedback.pushWarning,
                          is_cancelled=feedback.isCanceled, translate=tr)
        inputs = {}
        try:
            self.check_numbers(parameters, context)
            inputs = self.check_files(parameters, context)
            return self.execute_core(parameters, context, feedback, bridge)
        except CropsegError as exc:
            raise QgsProcessingException(exc.text(tr)) from None
        except QgsProcessingException:
            raise
        except Exception as exc:  # report, never show a traceback dialog
            from ..core.rasters.access import read_failure

            damaged = read_failure(exc, inputs)
            if damaged is not None:
                raise QgsProcessingException(damaged.text(tr)) from None
            feedback.pushDebugInfo(traceback.format_exc())
            raise QgsProcessingException(self.tr(
                "{algorithm} failed unexpectedly: {error}. Please report this with the log."
            ).format(algorithm=self.displayName(), error=f"{type(exc).__name__}: {exc}")) from None

    def check_numbers(self, parameters, context):
        """Refuse NaN and infinite values of number parameters (QGIS lets them through)."""
        for definition in self.parameterDefinitions():
            name = definition.name()
            if isinstance(definition, QgsProcessingParameterNumber) and \
                    parameters.get(name) not in (None, ""):
                if not math.isfinite(self.parameterAsDouble(parameters, name, context)):
                    raise CropsegError("{name}: '{value}' is not a finite number.", name=name,
                                       value=parameters[name])

    def check_files(self, parameters, context):
        """Refuse, before any work, outputs that cannot be written or would replace an input;
        return the files each input parameter reads."""
        outputs, inputs = {}, {}
        for definition in self.parameterDefinitions():
            name = definition.name()
            if isinstance(definition, QgsProcessingParameterRasterDestination):
                outputs[name] = (self.parameterAsOutputLayer(parameters, name, context),
                                 RASTER_EXTENSIONS)
            elif isinstance(definition, QgsProcessingParameterVectorDestination):
                outputs[name] = (self.parameterAsOutputLayer(parameters, name, context),
                                 tuple(VECTOR_DRIVERS))
            elif isinstance(definition, QgsProcessingParameterFileDestination):
                outputs[name] = (self.parameterAsFileOutput(parameters, name, context),
                                 tuple(re.findall(r"\*(\.\w+)", definition.fileFilter())))
            elif isinstance(definition, QgsProcessingParameterFolderDestination):
                outputs[name] = (self.parameterAsFileOutput(parameters, name, context), None)
            elif parameters.get(name) not in (None, ""):
                inputs[name] = self._input_files(definition, parameters, context)
        check_outputs(outputs, inputs)
        return inputs

    def _input_files(self, definition, parameters, context):
        """The files an input parameter reads (none for non-file layers and other types)."""
        name = definition.name()
        if isinstance(definition, QgsProcessingParameterRasterLayer):
            layers = [self.parameterAsRasterLayer(parameters, name, context)]
        elif isinstance(definition, (QgsProcessingParameterFeatureSource,
                                     QgsProcessingParameterVectorLayer)):
            layers = [self.parameterAsVectorLayer(parameters, name, context)]
        elif isinstance(definition, QgsProcessingParameterMultipleLayers):
            layers = self.parameterAsLayerList(parameters, name, context)
        elif isinstance(definition, QgsProcessingParameterFile):
            return [self.parameterAsFile(parameters, name, context)]
        else:
            return []
        return [layer.source() for layer in layers
                if layer is not None and layer.providerType() in ("gdal", "ogr")]

    def execute_core(self, parameters, context, feedback, core_feedback):
        """Read parameters, call one core function, return the outputs dict."""
        raise NotImplementedError

    def parameter_as_list(self, parameters, name, context):
        """A comma-separated string parameter as a list of trimmed items."""
        return parse_list(self.parameterAsString(parameters, name, context))

    def parameter_as_choices(self, parameters, name, context):
        """The chosen values of a multiple enum parameter (QGIS gives [''] for none)."""
        return [value for value in self.parameterAsEnumStrings(parameters, name, context)
                if value]

    def parameter_as_pairs(self, parameters, name, context):
        """A ``key=value,key=value`` string parameter as a dict (None when empty)."""
        return parse_pairs(self.parameterAsString(parameters, name, context), name)

    # Inputs reach the core as file paths.

    def raster_path(self, parameters, name, context):
        """Path of a file-based raster layer parameter."""
        layer = self.parameterAsRasterLayer(parameters, name, context)
        if layer is None:
            raise QgsProcessingException(self.tr("{}: no raster layer was given.").format(name))
        return _raster_file(layer, name)

    def raster_paths(self, parameters, name, context):
        """Paths of a multiple raster layer parameter, in the listed order."""
        return [_raster_file(layer, name)
                for layer in self.parameterAsLayerList(parameters, name, context)]

    def add_raster_inputs(self, single_help, stack_help):
        """INPUT_RASTER (one date) or TIME_STACK (several), with optional MASKS per raster."""
        self.add(QgsProcessingParameterRasterLayer(self.INPUT_RASTER, "Input raster (one date)",
                                                   optional=True),
                 single_help + " Leave empty when TIME_STACK is given.")
        self.add(QgsProcessingParameterMultipleLayers(
            self.TIME_STACK, "Time stack (several dates)", RASTER,
            optional=True),
            stack_help + " Rasters of two or more dates with the same bands, with the date in "
            "each file name (YYYY-MM-DD or YYYYMMDD; otherwise list them in date order). They "
            "are read on the grid of the first date; other grids and CRSs are warped onto it.")
        self.add_mask_inputs()

    def add_mask_inputs(self):
        """MASKS (one per input raster) and MASK_TYPE."""
        self.add(QgsProcessingParameterMultipleLayers(
            self.MASKS, "Cloud masks (one per raster)", RASTER, optional=True),
            "Optional clear-sky masks, one per raster of INPUT_RASTER or TIME_STACK, listed in "
            "the same order. Masked pixels of a date are filled in time from the other dates.")
        self.add(QgsProcessingParameterEnum(
            self.MASK_TYPE, "Mask type", [MASK_KIND_LABELS[k] for k in MASK_KINDS],
            defaultValue=0),
            "How MASKS mark clear pixels: PlanetScope UDM2 (band 1 = 1), Sentinel-2 SCL "
            "(vegetation, bare, water or snow), or any raster where non-zero is clear.")

    def add_memory_budget(self, default):
        """MEMORY_MB (advanced): the working memory blocks are sized from."""
        self.add(QgsProcessingParameterNumber(self.MEMORY_MB, "Memory budget (MB)",
                                              INTEGER, default,
                                              minValue=64, maxValue=65536),
                 "Working memory in MB. Rasters are processed block by block within it, so "
                 "peak memory does not grow with the raster size.", advanced=True)

    def raster_inputs(self, parameters, context):
        """The raster argument of the core (a path, or paths of a time stack), masks, mask kind."""
        stack = self.raster_paths(parameters, self.TIME_STACK, context)
        single = parameters.get(self.INPUT_RASTER) not in (None, "")
        if single and stack:
            raise QgsProcessingException(self.tr("Give INPUT_RASTER (one date) or TIME_STACK "
                                                 "(several dates), not both."))
        if not single and not stack:
            raise QgsProcessingException(self.tr("Give INPUT_RASTER (one date) or TIME_STACK "
                                                 "(several dates)."))
        raster = stack or self.raster_path(parameters, self.INPUT_RASTER, context)
        return (raster,) + self.mask_inputs(parameters, context)

    def mask_inputs(self, parameters, context):
        """MASKS as paths and MASK_TYPE as a core mask kind."""
        return (self.raster_paths(parameters, self.MASKS, context),
                MASK_KINDS[self.parameterAsEnum(parameters, self.MASK_TYPE, context)])

    def vector_path(self, parameters, name, context, feedback):
        """Path (with ``|layername=`` when needed) of a vector parameter.

        Selections, filters and non-file layers are written to a temporary
        GeoPackage first, so the core always reads a file.
        """
        if parameters.get(name) is None:
            return None
        path, layer_name = self.parameterAsCompatibleSourceLayerPathAndLayerName(
            parameters, name, context, ["gpkg", "shp", "geojson", "json", "sqlite"], "gpkg",
            feedback)
        if not path:
            return None
        return f"{path}|layername={layer_name}" if layer_name else path


def _raster_file(layer, name):
    path = layer.source().split("|")[0]
    if layer.providerType() != "gdal" or not os.path.exists(path):
        raise QgsProcessingException(tr("{name}: '{layer}' is not a raster file; save it as a "
                                        "GeoTIFF first.").format(name=name, layer=layer.name()))
    return path


class StyleFromSidecar(QgsProcessingLayerPostProcessorInterface):
    """Applies the QML style written beside an output file when QGIS loads it."""

    instances = []  # post-processors must outlive processAlgorithm

    def __init__(self, qml_path):
        super().__init__()
        self.qml_path = qml_path

    def postProcessLayer(self, layer, context, feedback):  # noqa: N802 (QGIS API)
        if layer is not None and os.path.exists(self.qml_path):
            layer.loadNamedStyle(self.qml_path)
            layer.triggerRepaint()

    @classmethod
    def attach(cls, context, output_id, layer_path):
        """Style output ``output_id`` (a layer id or path) on load, if it will be loaded."""
        if not context.willLoadLayerOnCompletion(output_id):
            return
        processor = cls(sidecar_path(layer_path))
        cls.instances.append(processor)
        context.layerToLoadOnCompletionDetails(output_id).setPostProcessor(processor)
