"""Write the shipped Processing models in resources/models with QGIS's model API.

Run with the project's venv: ``QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/build_models.py``.
The .model3 files are committed; this script is how they are made and changed.
"""

import os

from qgis_app import cropseg_in_qgis

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


def crop_mask_workflow():
    """Train, classify, clean and vectorize, then assess the crop mask on held-out reference."""
    from qgis.core import (QgsProcessingModelAlgorithm,
                           QgsProcessingModelParameter, QgsProcessingParameterEnum,
                           QgsProcessingParameterFeatureSource, QgsProcessingParameterField,
                           QgsProcessingParameterNumber, QgsProcessingParameterRasterLayer,
                           QgsProcessingParameterString)
    from qgis.PyQt.QtCore import QPointF

    from cropseg.algorithms.enums import DOUBLE, VECTOR_POINT, VECTOR_POLYGON

    model = QgsProcessingModelAlgorithm("crop_mask_workflow", "Workflows", "workflows")
    model.setHelpContent({
        "ALG_DESC": "Trains a pixel classifier from label polygons on the training raster, "
                    "classifies the target raster with it, removes speckle and traces the "
                    "crop fields as polygons, then assesses the crop mask against held-out "
                    "reference data.\n\nExample: scene.tif with crop_fields.gpkg and "
                    "train_area.gpkg, the same scene to classify, test_parcels.gpkg (field "
                    "is_crop) as reference: a model file, class and confidence rasters, the "
                    "cleaned crop mask, field polygons and an accuracy report.",
        "ALG_CREATOR": "cropseg",
        "HELP_URL": "https://github.com/cropseg/cropseg#crop-mask-workflow"})
    parameters = [
        (QgsProcessingParameterRasterLayer("TRAINING_RASTER", "Training raster"), 40,
         "Multispectral raster the labels are drawn on (PlanetScope, Sentinel-2, Landsat...)."),
        (QgsProcessingParameterFeatureSource(
            "LABELS", "Labels", [VECTOR_POLYGON, VECTOR_POINT]),
         110, "Crop-field polygons (crop mode) or polygons/points with a class field."),
        (QgsProcessingParameterField("LABEL_FIELD", "Label field (empty: crop mode)", None,
                                     "LABELS", optional=True), 180,
         "Field holding the class of each label; leave empty when LABELS are crop fields and "
         "everything else in the AOI is non-crop."),
        (QgsProcessingParameterFeatureSource("AOI", "Area of interest (crop mode)",
                                             [VECTOR_POLYGON], optional=True),
         250, "Crop mode: the area where every crop field is drawn; the rest of it is non-crop."),
        (QgsProcessingParameterString("CROP_CLASSES", "Crop classes (class mode)",
                                      optional=True), 285,
         "Class mode: the classes that are crops, comma-separated (for example maize,alfalfa)."),
        (QgsProcessingParameterEnum("CLASSIFIER", "Classifier",
                                    ["Random forest", "XGBoost", "K-nearest neighbours"],
                                    defaultValue=0), 320,
         "Pixel classifier; its features and settings are chosen by grouped cross-validation."),
        (QgsProcessingParameterRasterLayer("TARGET_RASTER", "Raster to classify"), 390,
         "Raster to map, with the same bands as the training raster (it may be the same)."),
        (QgsProcessingParameterNumber("MIN_AREA", "Minimum field area (hectares)",
                                      DOUBLE, 0.5, minValue=0.0),
         460, "Crop patches smaller than this (hectares) are removed before vectorizing."),
        (QgsProcessingParameterFeatureSource(
            "REFERENCE", "Held-out reference (crop / non-crop)",
            [VECTOR_POLYGON, VECTOR_POINT]), 530,
         "Reference polygons or points not used for training, with a 0/1 crop field."),
        (QgsProcessingParameterField("REFERENCE_FIELD", "Reference field (0 non-crop, 1 crop)",
                                     None, "REFERENCE"), 600,
         "Field of REFERENCE: 1 where the reference is crop, 0 where it is not."),
    ]
    # A model keeps parameter help in its help content, shown in the dialog's help panel.
    model.setHelpContent({**model.helpContent(),
                          **{definition.name(): text for definition, _, text in parameters}})
    for definition, y, _ in parameters:
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
    with cropseg_in_qgis():
        os.makedirs(MODELS, exist_ok=True)
        model = crop_mask_workflow()
        path = os.path.join(MODELS, "crop_mask_workflow.model3")
        if not model.toFile(path):
            raise SystemExit(f"could not write {path}")
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
