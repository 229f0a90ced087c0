"""cropseg:trainpixelclassifier."""

from qgis.core import (QgsProcessingOutputNumber, QgsProcessingParameterBand,
                       QgsProcessingParameterBoolean, QgsProcessingParameterEnum,
                       QgsProcessingParameterFeatureSource, QgsProcessingParameterField,
                       QgsProcessingParameterFileDestination, QgsProcessingParameterNumber,
                       QgsProcessingParameterString)

from ..core.common.parsing import parse_band_roles, parse_window_sizes
from ..core.learn.options import BALANCES, VALIDATIONS
from ..core.model.options import CLASSIFIER_LABELS
from ..core.model.features import INDICES
from .base import CropsegAlgorithm
from .enums import INTEGER, VECTOR_POINT, VECTOR_POLYGON


class TrainPixelClassifier(CropsegAlgorithm):
    """Train a pixel classifier from vector labels."""

    NAME = "trainpixelclassifier"
    DISPLAY_NAME = "Train pixel classifier from vector labels"
    GROUP, GROUP_ID = "Classification", "classification"
    HELP_ANCHOR = "train-pixel-classifier-from-vector-labels"
    HELP = (
        "Trains a pixel classifier (random forest, XGBoost or K-nearest neighbours) from label "
        "polygons or points over a multiband raster, validates it without spatial leakage and "
        "writes a model file plus an HTML training report.<br><br>"
        "<b>Crop mode</b> (no label field): every label polygon is <i>crop</i> and every other "
        "valid pixel inside the area of interest is <i>non-crop</i>, as in the Planet/AWS crop "
        "segmentation workflow.<br><b>Class mode</b>: classes come from an integer or text "
        "field (text values become ids 1..n in sorted order).<br><br>"
        "Validation is grouped by label feature by default: no field has pixels in both the "
        "training and the test folds. A class with fewer features than folds has its larger "
        "features cut into spatial blocks; the report says how every class was validated and "
        "shows that score next to the optimistic random-pixel score.<br><br>"
        "<b>Features</b>: by default training compares bands only, bands with spectral indices "
        "(where band roles are known) and neighbourhood windows at scales suited to the pixel "
        "size, then the classifier's settings, and keeps the best within the time budget. "
        "Set INDICES or CONTEXT, or untick <i>Choose features by validation</i>, to set them "
        "by hand. With a <b>time stack</b> (several dated rasters, optionally with cloud "
        "masks) they are computed for every date, masked dates are filled in time, and each "
        "index is also summarised over the season. The model records this recipe and "
        "<i>Classify raster</i> rebuilds it from the same kind of inputs.<br><br>"
        "Example: raster <i>planetscope.tif</i>, labels <i>crop_fields.gpkg</i>, no label "
        "field, AOI <i>train_area.gpkg</i> &rarr; <i>crop.cropseg</i>; then run "
        "<i>Classify raster</i> with it.")

    # Parameter and output keys.
    BANDS = "BANDS"
    INDICES = "INDICES"
    BAND_ROLES = "BAND_ROLES"
    CONTEXT = "CONTEXT"
    FEATURE_SEARCH = "FEATURE_SEARCH"
    LABELS = "LABELS"
    LABEL_FIELD = "LABEL_FIELD"
    AOI = "AOI"
    CROP_CLASSES = "CROP_CLASSES"
    CLASSIFIER = "CLASSIFIER"
    VALIDATION = "VALIDATION"
    FOLDS = "FOLDS"
    TUNE = "TUNE"
    TIME_BUDGET = "TIME_BUDGET"
    CLASS_BALANCE = "CLASS_BALANCE"
    MAX_SAMPLES_PER_CLASS = "MAX_SAMPLES_PER_CLASS"
    EDGE_BUFFER = "EDGE_BUFFER"
    RANDOM_SEED = "RANDOM_SEED"
    OUTPUT_MODEL = "OUTPUT_MODEL"
    OUTPUT_REPORT = "OUTPUT_REPORT"
    OVERALL_ACCURACY = "OVERALL_ACCURACY"
    F1_MACRO = "F1_MACRO"

    def initAlgorithm(self, config=None):  # noqa: N802 (QGIS API)
        self.add_raster_inputs(
            "Multiband raster with a CRS (PlanetScope, Sentinel-2, Landsat, aerial).",
            "Features are computed for every date (masked pixels filled in time) and each "
            "index is summarised over the season (min, max, mean, amplitude, day of maximum).")
        self.add(QgsProcessingParameterBand(self.BANDS, "Bands (default: all)", None,
                                            self.INPUT_RASTER, optional=True, allowMultiple=True),
                 "Bands used as features, in order (for a time stack: of every date). Empty: "
                 "every band.")
        self.add(QgsProcessingParameterEnum(self.INDICES, "Spectral indices", list(INDICES),
                                            allowMultiple=True, optional=True,
                                            usesStaticStrings=True),
                 "Indices added to the band values: NDVI, NDWI, GNDVI, EVI, SAVI, MSAVI. Their "
                 "bands come from the band names (Blue, red_665, nir (842 nm), Sentinel-2 "
                 "B04, Landsat SR_B4, ...) or BAND_ROLES. Setting any sets the features by "
                 "hand.")
        self.add(QgsProcessingParameterString(self.BAND_ROLES, "Band roles", optional=True),
                 "role=band pairs for the indices when band names do not tell, for example "
                 "blue=1,green=2,red=3,nir=4.", advanced=True)
        self.add(QgsProcessingParameterString(self.CONTEXT, "Neighbourhood windows (pixels)",
                                              optional=True),
                 "Comma-separated odd window sizes, for example 3,5: each adds the mean and "
                 "standard deviation of every band and index over that window around the pixel "
                 "(spatial context; computed block-wise without seams). Setting any sets the "
                 "features by hand.")
        self.add(QgsProcessingParameterBoolean(self.FEATURE_SEARCH, "Choose features by validation",
                                               defaultValue=True),
                 "Compare bands only, bands with NDVI, NDWI and EVI (where band roles are known) "
                 "and neighbourhood windows at two scales suited to the pixel size, on the "
                 "validation folds, and keep the best. Off, or with INDICES or CONTEXT set: use "
                 "exactly the features given.")
        self.add(QgsProcessingParameterFeatureSource(
            self.LABELS, "Labels",
            [VECTOR_POLYGON, VECTOR_POINT]),
            "Label polygons or points, any CRS; reprojected to the raster and clipped to it. "
            "Only selected features are used when 'selected features only' is ticked.")
        self.add(QgsProcessingParameterField(self.LABEL_FIELD, "Label field (empty: crop mode)",
                                             None, self.LABELS, optional=True),
                 "Integer (0..254) or text class field. Empty: crop mode, every feature is "
                 "'crop' and other valid pixels in the AOI are 'non-crop'.")
        self.add(QgsProcessingParameterFeatureSource(
            self.AOI, "Area of interest for non-crop pixels (crop mode)",
            [VECTOR_POLYGON], optional=True),
            "Crop mode only: the area whose unlabelled pixels are non-crop. Default: the "
            "raster extent.")
        self.add(QgsProcessingParameterString(self.CROP_CLASSES, "Crop classes (class mode)",
                                              optional=True),
                 "Comma-separated class values or names that count as crop, stored in the "
                 "model and in class rasters (for example: wheat,cotton). Crop mode sets this "
                 "itself.")
        self.add(QgsProcessingParameterEnum(self.CLASSIFIER, "Classifier",
                                            list(CLASSIFIER_LABELS.values()), defaultValue=0),
                 "Random forest (default), XGBoost, or K-nearest neighbours on standardised "
                 "band values.")
        self.add(QgsProcessingParameterEnum(self.VALIDATION, "Validation",
                                            list(VALIDATIONS.values()), defaultValue=0),
                 "How pixels are split into folds. Grouped keeps each label feature in one "
                 "fold; spatial blocks keep squares of the raster together; random pixels "
                 "is optimistic.")
        self.add(QgsProcessingParameterNumber(self.FOLDS, "Folds",
                                              INTEGER, 5,
                                              minValue=2, maxValue=20),
                 "Number of cross-validation folds (2..20).")
        self.add(QgsProcessingParameterBoolean(self.TUNE, "Tune parameters", defaultValue=True),
                 "Also compare the classifier's settings on the chosen features (trees and "
                 "depth for random forest; depth and learning rate for XGBoost; k for KNN).")
        self.add(QgsProcessingParameterNumber(self.TIME_BUDGET, "Time budget for comparing (s)",
                                              INTEGER, 120,
                                              minValue=1),
                 "Seconds from the start (sampling included) within which features and "
                 "settings are compared; a candidate that would not fit is listed as not "
                 "tried, the first is always scored. The final validation and fit follow.")
        self.add(QgsProcessingParameterEnum(self.CLASS_BALANCE, "Class balance",
                                            list(BALANCES.values()), defaultValue=0),
                 "As labelled: pixels are drawn in the proportions the classes were labelled "
                 "in (rare classes keep at least 5% of the per-class maximum), which suits maps "
                 "whose classes are as common as in the labels. Balanced: the same number per "
                 "class, which favours rare classes.", advanced=True)
        self.add(QgsProcessingParameterNumber(self.MAX_SAMPLES_PER_CLASS,
                                              "Maximum samples per class",
                                              INTEGER, 20000,
                                              minValue=10),
                 "Pixels drawn at random (seeded) per class: all classes together draw this "
                 "times the number of classes (balanced: each class up to this).",
                 advanced=True)
        self.add(QgsProcessingParameterNumber(self.EDGE_BUFFER, "Edge buffer (pixels)",
                                              INTEGER, 1,
                                              minValue=0, maxValue=50),
                 "Pixels within this many pixels of a polygon border are dropped to avoid "
                 "mixed pixels (points are kept). A polygon too small for it keeps its inner "
                 "pixels with a narrower buffer.", advanced=True)
        self.add(QgsProcessingParameterNumber(self.RANDOM_SEED, "Random seed",
                                              INTEGER, 0),
                 "Seed for sampling, folds and the classifier; the same seed gives the same "
                 "model.", advanced=True)
        self.add(QgsProcessingParameterFileDestination(self.OUTPUT_MODEL, "Model file",
                                                       "cropseg model (*.cropseg)"),
                 "The trained model (.cropseg): classifier, features, classes and scores.")
        self.add(QgsProcessingParameterFileDestination(self.OUTPUT_REPORT, "Training report",
                                                       "HTML files (*.html)", optional=True),
                 "HTML report: the candidates compared, how each class was validated, scores "
                 "per fold, confusion matrix, samples per class and feature importances.")
        self.add_output(QgsProcessingOutputNumber(self.OVERALL_ACCURACY, "Overall accuracy"))
        self.add_output(QgsProcessingOutputNumber(self.F1_MACRO, "F1 macro"))

    def execute_core(self, parameters, context, feedback, core_feedback):
        from ..core.learn.train import save_training, train_classifier

        model_path = self.parameterAsFileOutput(parameters, self.OUTPUT_MODEL, context)
        report_path = self.parameterAsFileOutput(parameters, self.OUTPUT_REPORT, context)
        crop_classes = self.parameter_as_list(parameters, self.CROP_CLASSES, context)
        raster, masks, mask_kind = self.raster_inputs(parameters, context)
        result = train_classifier(
            raster,
            self.vector_path(parameters, self.LABELS, context, feedback),
            label_field=self.parameterAsString(parameters, self.LABEL_FIELD, context) or None,
            aoi_path=self.vector_path(parameters, self.AOI, context, feedback),
            bands=self.parameterAsInts(parameters, self.BANDS, context) or None,
            indices=self.parameter_as_choices(parameters, self.INDICES, context),
            band_roles=parse_band_roles(self.parameterAsString(parameters, self.BAND_ROLES,
                                                               context)),
            context=parse_window_sizes(self.parameterAsString(parameters, self.CONTEXT, context)),
            feature_search=self.parameterAsBoolean(parameters, self.FEATURE_SEARCH, context),
            masks=masks, mask_kind=mask_kind,
            crop_classes=crop_classes,
            classifier=list(CLASSIFIER_LABELS)[self.parameterAsEnum(parameters, self.CLASSIFIER,
                                                                     context)],
            max_samples_per_class=self.parameterAsInt(parameters, self.MAX_SAMPLES_PER_CLASS,
                                                      context),
            class_balance=list(BALANCES)[self.parameterAsEnum(parameters, self.CLASS_BALANCE,
                                                              context)],
            edge_buffer=self.parameterAsInt(parameters, self.EDGE_BUFFER, context),
            validation=list(VALIDATIONS)[self.parameterAsEnum(parameters, self.VALIDATION,
                                                              context)],
            folds=self.parameterAsInt(parameters, self.FOLDS, context),
            tune=self.parameterAsBoolean(parameters, self.TUNE, context),
            time_budget=self.parameterAsInt(parameters, self.TIME_BUDGET, context),
            seed=self.parameterAsInt(parameters, self.RANDOM_SEED, context),
            feedback=core_feedback)
        save_training(result, model_path, report_path or None)
        outputs = {self.OUTPUT_MODEL: model_path,
                   self.OVERALL_ACCURACY: result.score.overall_accuracy,
                   self.F1_MACRO: result.score.f1_macro}
        if report_path:
            outputs[self.OUTPUT_REPORT] = report_path
        for mode, score in result.validations.items():
            below = self.tr(" (below the {chance:.3f} of mapping the largest class alone; the "
                            "training report says why)").format(chance=score.chance) \
                if score.below_chance else ""
            feedback.pushInfo(self.tr("{mode}: overall accuracy {oa:.3f}, F1 macro "
                                      "{f1:.3f}, kappa {kappa:.3f}").format(
                mode=self.tr(VALIDATIONS[mode]), oa=score.overall_accuracy, f1=score.f1_macro,
                kappa=score.kappa) + below)
        return outputs
