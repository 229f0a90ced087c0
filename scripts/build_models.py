"""Write the shipped Processing models in resources/models with QGIS's model API.

Run with the project's venv: ``QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/build_models.py``.
The .model3 files are committed; this script is how they are made and changed.
"""

import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MODELS = os.path.join(ROOT, "resources", "models")


def _source(kind, value):
    from qgis.core import QgsProcessingModelChildParameterSource as Source

    if kind == "param":
        return [Source.fromModelParameter(value)]
    if kind == "static":
        return [Source.fromStaticValue(value)]
    child, output = value
    return [Source.fromChildOutput(child, output)]


def _child(algorithm_id, child_id, description, sources, outputs, x, y):
    from qgis.core import QgsProcessingModelChildAlgorithm, QgsProcessingModelOutput
    from qgis.PyQt.QtCore import QPointF

    child = QgsProcessingModelChildAlgorithm(algorithm_id)
    child.setChildId(child_id)
    child.setDescription(description)
    child.setPosition(QPointF(x, y))
    for name, (kind, value) in sources.items():
        child.addParameterSources(name, _source(kind, value))
    model_outputs = {}
    for name, (child_output, description_) in outputs.items():
        output = QgsProcessingModelOutput(name, description_)
        output.setChildId(child_id)
        output.setChildOutputName(child_output)
        output.setPosition(QPointF(x + 170, y + 60))
        model_outputs[name] = output
    child.setModelOutputs(model_outputs)
    return child


def train_and_classify():
    """Train, classify, clean and vectorize, then assess the crop mask on held-out reference."""
    from qgis.core import (QgsProcessing, QgsProcessingModelAlgorithm,
                           QgsProcessingModelParameter, QgsProcessingParameterEnum,
                           QgsProcessingParameterFeatureSource, QgsProcessingParameterField,
                           QgsProcessingParameterNumber, QgsProcessingParameterRasterLayer,
                           QgsProcessingParameterString)
    from qgis.PyQt.QtCore import QPointF

    model = QgsProcessingModelAlgorithm("train_and_classify", "Crop segmentation")
    model.setHelpContent({
        "ALG_DESC": "Trains a pixel classifier from label polygons on the training raster, "
                    "classifies the target raster with it, removes speckle and traces the "
                    "crop fields as polygons, then assesses the crop mask against held-out "
                    "reference data.",
        "ALG_CREATOR": "cropseg"})
    parameters = [
        (QgsProcessingParameterRasterLayer("TRAINING_RASTER", "Training raster"), 40),
        (QgsProcessingParameterFeatureSource(
            "LABELS", "Labels", [QgsProcessing.TypeVectorPolygon, QgsProcessing.TypeVectorPoint]),
         110),
        (QgsProcessingParameterField("LABEL_FIELD", "Label field (empty: crop mode)", None,
                                     "LABELS", optional=True), 180),
        (QgsProcessingParameterFeatureSource("AOI", "Area of interest (crop mode)",
                                             [QgsProcessing.TypeVectorPolygon], optional=True),
         250),
        (QgsProcessingParameterString("CROP_CLASSES", "Crop classes (class mode)",
                                      optional=True), 285),
        (QgsProcessingParameterEnum("CLASSIFIER", "Classifier",
                                    ["Random forest", "XGBoost", "K-nearest neighbours"],
                                    defaultValue=0), 320),
        (QgsProcessingParameterRasterLayer("TARGET_RASTER", "Raster to classify"), 390),
        (QgsProcessingParameterNumber("MIN_AREA", "Minimum field area (hectares)",
                                      QgsProcessingParameterNumber.Double, 0.5, minValue=0.0),
         460),
        (QgsProcessingParameterFeatureSource(
            "REFERENCE", "Held-out reference (crop / non-crop)",
            [QgsProcessing.TypeVectorPolygon, QgsProcessing.TypeVectorPoint]), 530),
        (QgsProcessingParameterField("REFERENCE_FIELD", "Reference field (0 non-crop, 1 crop)",
                                     None, "REFERENCE"), 600),
    ]
    for definition, y in parameters:
        component = QgsProcessingModelParameter(definition.name())
        component.setPosition(QPointF(120, y))
        model.addModelParameter(definition, component)
    model.addChildAlgorithm(_child(
        "cropseg:trainpixelclassifier", "train", "Train pixel classifier", {
            "INPUT_RASTER": ("param", "TRAINING_RASTER"), "LABELS": ("param", "LABELS"),
            "LABEL_FIELD": ("param", "LABEL_FIELD"), "AOI": ("param", "AOI"),
            "CROP_CLASSES": ("param", "CROP_CLASSES"), "CLASSIFIER": ("param", "CLASSIFIER"),
            "TUNE": ("static", True),
        }, {"MODEL_FILE": ("OUTPUT_MODEL", "Model file"),
            "TRAINING_REPORT": ("OUTPUT_REPORT", "Training report")}, 420, 120))
    classify = _child(
        "cropseg:classifyraster", "classify", "Classify raster", {
            "INPUT_RASTER": ("param", "TARGET_RASTER"), "MODEL": ("child", ("train",
                                                                             "OUTPUT_MODEL")),
        }, {"CLASSES": ("OUTPUT_CLASSES", "Classes"),
            "CONFIDENCE": ("OUTPUT_CONFIDENCE", "Confidence")}, 420, 320)
    model.addChildAlgorithm(classify)
    model.addChildAlgorithm(_child(
        "cropseg:denoisevectorizemask", "denoise", "Denoise and vectorize crop mask", {
            "INPUT_CLASSES": ("child", ("classify", "OUTPUT_CLASSES")),
            "INPUT_CONFIDENCE": ("child", ("classify", "OUTPUT_CONFIDENCE")),
            "MIN_AREA": ("param", "MIN_AREA"),
        }, {"CROP_MASK": ("OUTPUT_MASK", "Cleaned crop mask"),
            "FIELDS": ("OUTPUT_POLYGONS", "Field polygons")}, 420, 520))
    model.addChildAlgorithm(_child(
        "cropseg:accuracyreport", "accuracy", "Accuracy report", {
            "INPUT_CLASSES": ("child", ("denoise", "OUTPUT_MASK")),
            "REFERENCE_VECTOR": ("param", "REFERENCE"),
            "REFERENCE_FIELD": ("param", "REFERENCE_FIELD"),
            "MODEL": ("child", ("train", "OUTPUT_MODEL")),
        }, {"REPORT": ("OUTPUT_HTML", "Accuracy report"),
            "FIGURES": ("OUTPUT_JSON", "Accuracy figures")}, 420, 720))
    model.updateDestinationParameters()
    return model


def main():
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.path.insert(0, ROOT)
    sys.path.append("/usr/share/qgis/python/plugins")
    import conftest  # noqa: F401  (registers the checkout as the package 'cropseg')
    from qgis.core import QgsApplication

    app = QgsApplication([], False)
    app.initQgis()
    from processing.core.Processing import Processing

    Processing.initialize()
    import cropseg

    plugin = cropseg.classFactory(None)
    plugin.initProcessing()
    os.makedirs(MODELS, exist_ok=True)
    model = train_and_classify()
    path = os.path.join(MODELS, "train_and_classify.model3")
    if not model.toFile(path):
        raise SystemExit(f"could not write {path}")
    print(f"wrote {path}")
    plugin.unload()
    app.exitQgis()


if __name__ == "__main__":
    main()
