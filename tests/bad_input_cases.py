"""Bad input for every algorithm: the files, the parameters, and the one line each must give.

Shared by the QGIS tier (every case through ``processing.run``) and the command-line tier
(the cases marked ``cli`` through ``qgis_process``).  A case names its algorithm, the
parameters that differ from that algorithm's good run (:data:`GOOD`; ``None`` removes a
parameter) and a regular expression its one error line must match.  Where running on is
right (a repaired geometry, a partly matching reference), the case is a ``warning`` case: the
run succeeds and one warning matches.  ``{name}`` in a value is a file of
:func:`write_inputs`; ``{out}`` is the case's output folder, which must stay empty but for
what ``may_leave`` allows (an order Planet holds, and files verified whole, which a rerun
reuses).
"""

import copy
import hashlib
import os
import re
import shutil
import zipfile
from dataclasses import dataclass, field, replace

import numpy as np

#: The scene id of the generated PlanetScope radiance scene and its metadata.
PLANET_ID = "20160831_180231_0e0e"
#: A search that the fake Planet answers with one scene.
SEARCH = {"AOI_EXTENT": "-121.6,-121.5,38.25,38.33 [EPSG:4326]", "START_DATE": "2017-06-01",
          "END_DATE": "2017-10-01"}

#: The files every fake order delivers.
PLANET_FILES = {"20170601_180425_0f35_3B_AnalyticMS_SR_clip.tif": b"dn" * 4000,
                "20170601_180425_0f35_3B_udm2_clip.tif": b"udm" * 1000}

#: The file that lets a rerun take up an order Planet holds.
ORDER_STATE = r"order/\.cropseg-order\.json"

#: A run of each algorithm that works on the files of :func:`write_inputs`.
GOOD = {
    "trainpixelclassifier": {
        "INPUT_RASTER": "{scene}", "LABELS": "{labels}", "LABEL_FIELD": "crop_type",
        "CLASSIFIER": 0, "TUNE": False, "MAX_SAMPLES_PER_CLASS": 300,
        "OUTPUT_MODEL": "{out}/m.cropseg", "OUTPUT_REPORT": "{out}/r.html"},
    "classifyraster": {
        "INPUT_RASTER": "{scene}", "MODEL": "{model}", "OUTPUT_CLASSES": "{out}/classes.tif",
        "OUTPUT_CONFIDENCE": "{out}/confidence.tif"},
    "classifybatch": {
        "INPUT_RASTERS": ["{scene}"], "MODEL": "{model}", "WORKERS": 1,
        "OUTPUT_FOLDER": "{out}/batch"},
    "denoisevectorizemask": {
        "INPUT_CLASSES": "{classes}", "INPUT_CONFIDENCE": "{confidence}", "MIN_AREA": 0.1,
        "OUTPUT_MASK": "{out}/mask.tif", "OUTPUT_POLYGONS": "{out}/fields.gpkg"},
    "accuracyreport": {
        "INPUT_CLASSES": "{classes}", "REFERENCE_VECTOR": "{reference}",
        "REFERENCE_FIELD": "is_crop", "OUTPUT_HTML": "{out}/a.html",
        "OUTPUT_JSON": "{out}/a.json", "OUTPUT_CSV": "{out}/a.csv"},
    "stratifiedsample": {"INPUT_CLASSES": "{classes}", "OUTPUT": "{out}/sample.gpkg"},
    "temporalcomposite": {
        "INPUT_RASTERS": ["{may}", "{june}"], "MASKS": ["{may_udm2}", "{june_udm2}"],
        "OUTPUT": "{out}/composite.tif"},
    "planetreflectance": {
        "INPUT_RASTER": "{radiance}", "METADATA": "{metadata}", "UDM2": "{udm2}",
        "OUTPUT": "{out}/reflectance.tif"},
    "planetsearch": {**SEARCH, "OUTPUT": "{out}/scenes.gpkg"},
    "planetorder": {"SCENES": "20170601_180425_0f35", "POLL_SECONDS": 0.01,
                    "OUTPUT_FOLDER": "{out}/order"},
}


@dataclass(frozen=True)
class Case:
    algorithm: str
    name: str
    parameters: dict
    message: str
    warning: bool = False   # the run succeeds and warns
    server: dict = field(default_factory=dict)  # FakePlanet attributes for the case
    env: dict = field(default_factory=dict)     # environment variables for the case
    cli: bool = False       # also run through qgis_process
    may_leave: str = ""     # files (a regular expression) that may stay in {out}

    @property
    def id(self):
        return f"{self.algorithm}: {self.name}"


def _output_cases(algorithm, output, input_file, extension):
    """The output kinds every algorithm must refuse: over an input, through a link to an
    input, under a file, where nothing can be written, in an unsupported format."""
    return [
        Case(algorithm, "output over an input", {output: f"{{{input_file}}}"},
             f"^{output}: writing .* would replace the input "),
        Case(algorithm, "output through a link to an input", {output: "{link_to_" +
                                                               input_file + "}"},
             f"^{output}: writing .* would replace the input "),
        Case(algorithm, "output under a file", {output: f"{{{input_file}}}/x{extension}"},
             f"^{output}: .* is a file"),
        Case(algorithm, "output where nothing can be written",
             {output: f"/proc/cropseg/x{extension}"}, f"^{output}: cannot write in '/proc'"),
        Case(algorithm, "output in an unsupported format", {output: "{out}/x.png"},
             f"^{output}: 'x.png' must end in "),
    ]


def _damaged_scene_cases(algorithm):
    """The scene cut short, and damaged half way (past the header and the last block)."""
    return [
        Case(algorithm, "truncated raster", {"INPUT_RASTER": "{truncated}"},
             "^INPUT_RASTER: cannot read .* truncated or corrupt"),
        Case(algorithm, "raster corrupt half way", {"INPUT_RASTER": "{corrupt}"},
             "^INPUT_RASTER: cannot read 'corrupt.tif'.* corrupt",
             cli=algorithm == "classifyraster"),
    ]


def _class_raster_cases(algorithm, parameter="INPUT_CLASSES", **others):
    """A continuous or damaged raster where a class raster is expected; ``others`` are
    parameters a raster without cropseg's class table needs."""
    return [replace(case, parameters={**others, **case.parameters}) for case in [
        Case(algorithm, "a 4-band scene as classes", {parameter: "{scene}"},
             f"^{parameter}: 'scene.tif' has 4 bands; a class raster has one"),
        Case(algorithm, "a float raster as classes", {parameter: "{confidence}"},
             f"^{parameter} must be an integer class raster"),
        Case(algorithm, "16-bit values over 255 as classes", {parameter: "{wide16}"},
             f"^{parameter}: 'wide16.tif' holds values outside 0..255"),
        Case(algorithm, "truncated class raster", {parameter: "{truncated_classes}"},
             f"^{parameter}: cannot read .* truncated or corrupt"),
        Case(algorithm, "class raster corrupt half way", {parameter: "{corrupt_classes}"},
             f"^{parameter}: cannot read 'corrupt_classes.tif'.* corrupt"),
        Case(algorithm, "a text file as classes", {parameter: "{not_raster}"},
             f"{parameter}"),
        Case(algorithm, "an empty file as classes", {parameter: "{empty_tif}"}, f"{parameter}"),
        Case(algorithm, "class raster without CRS", {parameter: "{nocrs_classes}"},
             "has no coordinate reference system"),
    ]]


CASES = [
    # Train pixel classifier
    *_output_cases("trainpixelclassifier", "OUTPUT_MODEL", "model", ".cropseg")[2:],
    Case("trainpixelclassifier", "report over the labels", {"OUTPUT_REPORT": "{labels}"},
         r"^OUTPUT_REPORT: 'labels.gpkg' must end in \.html", cli=True),
    *_damaged_scene_cases("trainpixelclassifier"),
    Case("trainpixelclassifier", "raster without CRS", {"INPUT_RASTER": "{nocrs}"},
         "has no coordinate reference system"),
    Case("trainpixelclassifier", "all-nodata raster", {"INPUT_RASTER": "{allnodata}"},
         "no valid pixel under the labels"),
    Case("trainpixelclassifier", "labels outside the raster", {"LABELS": "{far}"},
         "no label feature overlaps the raster"),
    Case("trainpixelclassifier", "missing label field", {"LABEL_FIELD": "nope"},
         "^LABEL_FIELD: the label layer has no field 'nope'"),
    Case("trainpixelclassifier", "empty label field",
         {"LABELS": "{emptyfield}", "LABEL_FIELD": "empty"}, "is empty in every feature"),
    Case("trainpixelclassifier", "a single class", {"LABELS": "{maize}"},
         "every label is class 'maize'"),
    Case("trainpixelclassifier", "a class too small", {"LABELS": "{tiny}", "LABEL_FIELD": "kind"},
         "class 'tiny' .* has fewer than 10 valid labelled pixels"),
    Case("trainpixelclassifier", "labels that are not a vector file",
         {"LABELS": "{not_vector}"}, "LABELS"),
    Case("trainpixelclassifier", "labels without features", {"LABELS": "{no_features}"},
         "^LABELS: the layer has no features"),
    Case("trainpixelclassifier", "labels with NULL geometries", {"LABELS": "{null_geometries}"},
         "^LABELS: 3 feature\\(s\\) without a geometry left out", warning=True),
    Case("trainpixelclassifier", "labels with a self-intersecting polygon",
         {"LABELS": "{invalid_geometry}"},
         "^LABELS: 0 feature.* 1 invalid geometry.* repaired", warning=True),
    Case("trainpixelclassifier", "neighbourhood windows that are not numbers",
         {"CONTEXT": "3,big"}, "^CONTEXT: "),
    Case("trainpixelclassifier", "band roles that are not pairs", {"BAND_ROLES": "red"},
         "^BAND_ROLES: 'red' is not a key=value pair"),
    Case("trainpixelclassifier", "an unknown index", {"INDICES": "FOO"}, "INDICES"),
    Case("trainpixelclassifier", "a negative edge buffer", {"EDGE_BUFFER": -1}, "EDGE_BUFFER"),
    Case("trainpixelclassifier", "a time stack of one date", {"INPUT_RASTER": None,
                                                              "TIME_STACK": ["{may}"]},
         "a time stack needs rasters of at least two dates"),

    # Classify raster
    *_output_cases("classifyraster", "OUTPUT_CLASSES", "scene", ".tif"),
    Case("classifyraster", "confidence over the classes",
         {"OUTPUT_CONFIDENCE": "{out}/classes.tif"},
         "^OUTPUT_CONFIDENCE: .* would replace the output OUTPUT_CLASSES", cli=True),
    Case("classifyraster", "probabilities over the model's raster",
         {"OUTPUT_PROBABILITIES": "{scene}"},
         "^OUTPUT_PROBABILITIES: .* would replace the input INPUT_RASTER"),
    *_damaged_scene_cases("classifyraster"),
    Case("classifyraster", "a text file as raster", {"INPUT_RASTER": "{not_raster}"},
         "INPUT_RASTER"),
    Case("classifyraster", "three bands for a 4-band model", {"INPUT_RASTER": "{threebands}"},
         "has 3 band"),
    Case("classifyraster", "all-nodata raster", {"INPUT_RASTER": "{allnodata}"},
         "no valid pixel"),
    Case("classifyraster", "a broken model", {"MODEL": "{broken_model}"},
         "not a cropseg model file"),
    Case("classifyraster", "a model whose manifest was edited", {"MODEL": "{tampered_model}"},
         "^MODEL: .*manifest.* (changed|edited|checksum)"),
    Case("classifyraster", "a model that does not exist", {"MODEL": "{out}/none.cropseg"},
         "MODEL"),
    Case("classifyraster", "a raster and a time stack", {"TIME_STACK": ["{may}", "{june}"]},
         "not both"),
    Case("classifyraster", "a memory budget that is not a number", {"MEMORY_MB": "nan"},
         "MEMORY_MB"),

    # Classify rasters in batch
    Case("classifybatch", "output folder that is a file", {"OUTPUT_FOLDER": "{labels}"},
         "^OUTPUT_FOLDER: .* is a file, not a folder"),
    Case("classifybatch", "output folder where nothing can be written",
         {"OUTPUT_FOLDER": "/proc/cropseg"}, "^OUTPUT_FOLDER: cannot write in '/proc'"),
    Case("classifybatch", "a summary that is not CSV", {"OUTPUT_SUMMARY": "{out}/summary.txt"},
         r"^OUTPUT_SUMMARY: 'summary.txt' must end in \.csv"),
    Case("classifybatch", "a broken model", {"MODEL": "{broken_model}"},
         "not a cropseg model file"),
    Case("classifybatch", "a model whose manifest was edited", {"MODEL": "{tampered_model}"},
         "^MODEL: .*manifest.* (changed|edited|checksum)"),
    Case("classifybatch", "three bands for a 4-band model", {"INPUT_RASTERS": ["{threebands}"]},
         "^INPUT_RASTERS: no raster could be classified; threebands.tif: .*has 3 band"),
    Case("classifybatch", "a raster the model cannot read among good ones",
         {"INPUT_RASTERS": ["{scene}", "{threebands}"]},
         "^threebands.tif: INPUT_RASTERS has 3 band", warning=True),
    Case("classifybatch", "rasters of one name", {"INPUT_RASTERS": ["{scene}", "{scene}"]},
         "^INPUT_RASTERS: several rasters are named scene"),
    Case("classifybatch", "a tile size below a block", {"TILE_SIZE": 100},
         "^TILE_SIZE must be 0 .* or at least 256 px"),
    Case("classifybatch", "an unreachable scheduler", {"SCHEDULER": "tcp://127.0.0.1:9"},
         "^SCHEDULER: cannot reach the Dask scheduler at tcp://127.0.0.1:9", cli=True),

    # Denoise and vectorize
    *_output_cases("denoisevectorizemask", "OUTPUT_MASK", "classes", ".tif"),
    Case("denoisevectorizemask", "polygons beside the input's style",
         {"OUTPUT_POLYGONS": "{folder}/classes.gpkg"},
         "^OUTPUT_POLYGONS: writing .* would replace 'classes.qml' of the input INPUT_CLASSES"),
    Case("denoisevectorizemask", "polygons as CSV", {"OUTPUT_POLYGONS": "{out}/fields.csv"},
         r"^OUTPUT_POLYGONS: 'fields.csv' must end in \.gpkg or \.shp", cli=True),
    *_class_raster_cases("denoisevectorizemask", CROP_CLASSES="1"),
    Case("denoisevectorizemask", "an unknown crop class", {"CROP_CLASSES": "maize"},
         "'maize' is not a class of the raster"),
    Case("denoisevectorizemask", "a minimum area that is not a number", {"MIN_AREA": "nan"},
         "^MIN_AREA: 'nan' is not a finite number"),
    Case("denoisevectorizemask", "an infinite tolerance", {"SIMPLIFY": "inf"}, "SIMPLIFY"),
    Case("denoisevectorizemask", "confidence on another grid",
         {"INPUT_CONFIDENCE": "{small_float}"}, "^INPUT_CONFIDENCE must be on the grid of "
                                                   "INPUT_CLASSES"),
    Case("denoisevectorizemask", "an unknown keep option", {"KEEP_CLASSES": "some"},
         "KEEP_CLASSES"),

    # Accuracy report
    Case("accuracyreport", "figures over the reference", {"REFERENCE_VECTOR": "{reference_json}",
                                                          "OUTPUT_JSON": "{reference_json}"},
         "^OUTPUT_JSON: writing .* would replace the input REFERENCE_VECTOR"),
    *_output_cases("accuracyreport", "OUTPUT_HTML", "classes", ".html")[2:],
    Case("accuracyreport", "figures in an unsupported format", {"OUTPUT_CSV": "{out}/a.txt"},
         r"^OUTPUT_CSV: 'a.txt' must end in \.csv"),
    *_class_raster_cases("accuracyreport"),
    Case("accuracyreport", "reference outside the map", {"REFERENCE_VECTOR": "{far}",
                                                         "REFERENCE_FIELD": "crop_type"},
         "does not overlap the map"),
    Case("accuracyreport", "missing reference field", {"REFERENCE_FIELD": "nope"},
         "has no field 'nope'"),
    Case("accuracyreport", "no reference", {"REFERENCE_VECTOR": None},
         "Give either REFERENCE_VECTOR"),
    Case("accuracyreport", "reference classes that meet no map class",
         {"REFERENCE_FIELD": "crop_type"}, "^REFERENCE_FIELD: no reference class", cli=True),
    Case("accuracyreport", "a class mapping that is not pairs", {"CLASS_MAPPING": "maize"},
         "^CLASS_MAPPING: 'maize' is not a key=value pair"),
    Case("accuracyreport", "a 4-band reference raster",
         {"REFERENCE_VECTOR": None, "REFERENCE_RASTER": "{scene}"},
         "^REFERENCE_RASTER: 'scene.tif' has 4 bands"),
    Case("accuracyreport", "a continuous single-band reference raster",
         {"REFERENCE_VECTOR": None, "REFERENCE_RASTER": "{wide16}"},
         "^REFERENCE_RASTER holds more than 1024 distinct classes"),
    Case("accuracyreport", "a broken model", {"MODEL": "{broken_model}"},
         "not a cropseg model file"),
    Case("accuracyreport", "a beta that is not a number", {"BETA": "nan"},
         "^BETA: 'nan' is not a finite number"),
    Case("accuracyreport", "reference with NULL geometries",
         {"REFERENCE_VECTOR": "{null_geometries}", "REFERENCE_FIELD": "is_crop"},
         "^REFERENCE_VECTOR: 3 feature\\(s\\) without a geometry left out", warning=True),
    Case("accuracyreport", "reference classes of which some meet no map class",
         {"REFERENCE_FIELD": "crop_type", "CLASS_MAPPING": "maize=crop,alfalfa=crop"},
         "^Reference classes that are not classes of the map, counted as errors: bare soil",
         warning=True),

    # Stratified sample
    *_output_cases("stratifiedsample", "OUTPUT", "classes", ".gpkg")[2:],
    Case("stratifiedsample", "points beside the input's style",
         {"OUTPUT": "{folder}/classes.gpkg"},
         "^OUTPUT: writing .* would replace 'classes.qml' of the input INPUT_CLASSES",
         cli=True),
    *_class_raster_cases("stratifiedsample"),
    Case("stratifiedsample", "an all-nodata class raster",
         {"INPUT_CLASSES": "{nodata_classes}"}, "^INPUT_CLASSES has no valid pixel"),
    Case("stratifiedsample", "expected accuracy of an unknown class",
         {"EXPECTED_UA": "wheat=0.7"}, "^EXPECTED_UA: 'wheat' is not a class of the map"),
    Case("stratifiedsample", "expected accuracy over 1", {"EXPECTED_UA": "crop=2"},
         "^EXPECTED_UA: "),
    Case("stratifiedsample", "expected accuracy that is not pairs", {"EXPECTED_UA": "crop"},
         "^EXPECTED_UA: 'crop' is not a key=value pair"),
    Case("stratifiedsample", "a target error that is not a number", {"TARGET_SE": "nan"},
         "^TARGET_SE: 'nan' is not a finite number"),
    Case("stratifiedsample", "one point per class", {"MIN_PER_CLASS": 1}, "MIN_PER_CLASS"),

    # Temporal composite
    *_output_cases("temporalcomposite", "OUTPUT", "may", ".tif"),
    Case("temporalcomposite", "output over a mask", {"OUTPUT": "{may_udm2}"},
         "^OUTPUT: writing .* would replace the input MASKS", cli=True),
    Case("temporalcomposite", "a single raster", {"INPUT_RASTERS": ["{may}"],
                                                  "MASKS": ["{may_udm2}"]},
         "at least two"),
    Case("temporalcomposite", "rasters without a date", {"INPUT_RASTERS": ["{scene}", "{may}"],
                                                         "MASKS": None},
         "scene.tif"),
    Case("temporalcomposite", "rasters with different bands",
         {"INPUT_RASTERS": ["{may}", "{june_3bands}"], "MASKS": None}, "band"),
    Case("temporalcomposite", "a truncated date", {"INPUT_RASTERS": ["{may}",
                                                                     "{truncated_june}"]},
         "^INPUT_RASTERS: cannot read .* truncated or corrupt"),
    Case("temporalcomposite", "a date corrupt half way", {"INPUT_RASTERS": ["{may}",
                                                                            "{corrupt_june}"]},
         "^INPUT_RASTERS: cannot read 'corrupt_2024-06-01.tif'.* corrupt"),
    Case("temporalcomposite", "fewer masks than rasters", {"MASKS": ["{may_udm2}"]}, "MASKS"),
    Case("temporalcomposite", "band names instead of numbers", {"BANDS": "red"},
         "^BANDS: give band numbers"),
    Case("temporalcomposite", "a band the rasters lack", {"BANDS": "9"}, "BANDS"),
    Case("temporalcomposite", "no days per period", {"PERIOD": 1, "PERIOD_DAYS": 0},
         "PERIOD_DAYS"),
    Case("temporalcomposite", "monthly periods over two centuries",
         {"INPUT_RASTERS": ["{year_1900}", "{year_2100}"], "MASKS": None},
         "bands"),
    Case("temporalcomposite", "daily periods over two centuries",
         {"INPUT_RASTERS": ["{year_1900}", "{year_2100}"], "MASKS": None, "PERIOD": 1,
          "PERIOD_DAYS": 1}, "bands"),

    # PlanetScope to reflectance
    *_output_cases("planetreflectance", "OUTPUT", "radiance", ".tif"),
    Case("planetreflectance", "output over the UDM2", {"OUTPUT": "{udm2}"},
         "^OUTPUT: writing .* would replace the input UDM2", cli=True),
    Case("planetreflectance", "metadata of another scene", {"METADATA": "{other_metadata}"},
         "^METADATA is for scene 20160831_180257_0e26"),
    Case("planetreflectance", "metadata with XML entities", {"METADATA": "{entity_metadata}"},
         "^METADATA: .* declares XML entities"),
    Case("planetreflectance", "metadata that is not XML", {"METADATA": "{text_metadata}"},
         "^METADATA: cannot read .* as XML"),
    Case("planetreflectance", "a coefficient that is not a number",
         {"METADATA": "{nan_metadata}"}, "^METADATA: .* impossible reflectanceCoefficient"),
    Case("planetreflectance", "metadata of an 8-band product", {"METADATA": "{metadata_8b}"},
         "^METADATA describes a 8-band product"),
    Case("planetreflectance", "radiance without metadata", {"METADATA": None},
         "^METADATA: radiance products need"),
    Case("planetreflectance", "UDM2 on another grid", {"UDM2": "{udm2_small}"}, "^UDM2"),
    Case("planetreflectance", "a scene of three bands", {"INPUT_RASTER": "{threebands}",
                                                         "METADATA": None,
                                                         "UDM2": None},
         "^INPUT_RASTER has 3 bands"),
    Case("planetreflectance", "a truncated scene", {"INPUT_RASTER": "{truncated_radiance}"},
         "^INPUT_RASTER: cannot read .* truncated or corrupt"),
    Case("planetreflectance", "an unknown product", {"PRODUCT": "toa"}, "PRODUCT"),
    Case("planetreflectance", "an unknown mask class", {"MASK_CLASSES": "fog"}, "MASK_CLASSES"),

    # Search PlanetScope scenes (a fake Planet answers)
    *_output_cases("planetsearch", "OUTPUT", "labels", ".gpkg")[2:],
    Case("planetsearch", "footprints as CSV", {"OUTPUT": "{out}/scenes.csv"},
         r"^OUTPUT: 'scenes.csv' must end in \.gpkg"),
    Case("planetsearch", "an AOI without area", {"AOI_EXTENT": None, "AOI": "{flat_aoi}"},
         "^AOI: the area of interest has no area"),
    Case("planetsearch", "an AOI without features", {"AOI_EXTENT": None, "AOI": "{no_features}"},
         "^AOI: the layer has no features"),
    Case("planetsearch", "no AOI", {"AOI_EXTENT": None}, "Give an AOI layer or an AOI_EXTENT"),
    Case("planetsearch", "a cloud limit that is not a number", {"MAX_CLOUD": "nan"},
         "^MAX_CLOUD: 'nan' is not a finite number"),
    Case("planetsearch", "an end before the start", {"START_DATE": "2017-10-01",
                                                    "END_DATE": "2017-06-01"}, "END_DATE"),
    Case("planetsearch", "no scenes allowed", {"LIMIT": 0}, "LIMIT"),
    Case("planetsearch", "an authentication configuration that does not exist",
         {"AUTH_CONFIG": "nope123"}, "^AUTH_CONFIG: "),
    Case("planetsearch", "a server that never answers", {}, "(timed out|did not answer)",
         server={"stall": ("/data",)}, env={"CROPSEG_PLANET_TIMEOUT": "2"}, cli=True),
    Case("planetsearch", "a server that answers a web page", {}, "not (JSON|an API answer)",
         server={"not_json": ("/data",)}),
    Case("planetsearch", "a server error", {}, "500", server={"fail": {"/data": [500] * 10}}),
    Case("planetsearch", "a key the server refuses", {}, "(key|401|403)",
         env={"PL_API_KEY": "wrong-key"}),
    Case("planetsearch", "no key", {}, "No Planet API key", env={"PL_API_KEY": ""}),
    Case("planetsearch", "a timeout that is not a number", {}, "^CROPSEG_PLANET_TIMEOUT",
         env={"CROPSEG_PLANET_TIMEOUT": "nan"}),

    # Order PlanetScope scenes (a fake Planet answers)
    Case("planetorder", "output folder that is a file", {"OUTPUT_FOLDER": "{labels}"},
         "^OUTPUT_FOLDER: .* is a file, not a folder"),
    Case("planetorder", "output folder under a file", {"OUTPUT_FOLDER": "{labels}/order"},
         "^OUTPUT_FOLDER: .* is a file"),
    Case("planetorder", "output folder where nothing can be written",
         {"OUTPUT_FOLDER": "/proc/cropseg"}, "^OUTPUT_FOLDER: cannot write in '/proc'"),
    Case("planetorder", "no scenes", {"SCENES": None}, "(SCENES|scene)"),
    Case("planetorder", "a scene layer without ids", {"SCENES": None,
                                                      "SCENE_LAYER": "{labels}"},
         "SCENE_LAYER has no 'id' field"),
    Case("planetorder", "a poll interval that is not a number", {"POLL_SECONDS": "nan"},
         "^POLL_SECONDS: 'nan' is not a finite number"),
    Case("planetorder", "an order that never finishes", {"MAX_WAIT": 0.02},
         "^MAX_WAIT: order .* is still running", server={"never_finish": True}, cli=True,
         may_leave=ORDER_STATE),
    Case("planetorder", "a server that never answers", {}, "(timed out|did not answer)",
         server={"stall": ("/compute/ops/orders",)}, env={"CROPSEG_PLANET_TIMEOUT": "2"}),
    Case("planetorder", "a server that answers a web page", {}, "not (JSON|an API answer)",
         server={"not_json": ("/compute/ops/orders",)}),
    Case("planetorder", "an order that fails", {}, "no access to the asset",
         server={"order_failure": "no access to the asset"}),
    Case("planetorder", "a download corrupt every time", {},
         "failed twice: its checksum does not match",
         server={"corrupt": {f"PSScene/{name}": 2 for name in PLANET_FILES}},
         may_leave=ORDER_STATE + "|order/[^/]+/manifest.json"),
    Case("planetorder", "a download that breaks off every time", {},
         "failed twice: the transfer broke off",
         server={"truncate": {f"PSScene/{name}": 2 for name in PLANET_FILES}},
         may_leave=ORDER_STATE + "|order/[^/]+/manifest.json"),
    Case("planetorder", "an unknown bundle", {"BUNDLE": "everything"}, "BUNDLE"),
    Case("planetorder", "an AOI without area", {"AOI": "{flat_aoi}"},
         "^AOI: the area of interest has no area"),
    Case("planetorder", "file names that climb out of the folder", {},
         "names a file '../../", warning=True, server={"name_prefix": "../../"}),
    Case("planetorder", "file names with an absolute path", {},
         "names a file '/", warning=True, server={"name_prefix": "/tmp/cropseg-"}),
]


#: The one scene the fake Planet's search finds.
SCENE_ITEM = {"id": "20170601_180425_0f35", "type": "Feature",
              "geometry": {"type": "Polygon", "coordinates": [[
                  [-121.7, 38.2], [-121.4, 38.2], [-121.4, 38.4], [-121.7, 38.4],
                  [-121.7, 38.2]]]},
              "properties": {"acquired": "2017-06-01T18:04:25Z", "cloud_cover": 0.03,
                             "clear_percent": 97, "sun_elevation": 62.0, "instrument": "PS2"}}


def calls_planet(case):
    return case.algorithm in ("planetsearch", "planetorder")


def serve(case, fake):
    """Set the fake Planet up as ``case`` asks: one scene, the order files, its misbehaviour."""
    fake.items = [copy.deepcopy(SCENE_ITEM)]
    fake.files = dict(PLANET_FILES)
    for name, value in copy.deepcopy(case.server).items():
        setattr(fake, name, value)


def files_left(case, folder):
    """Files under the case's output ``folder`` that ``may_leave`` does not allow."""
    left = [os.path.relpath(os.path.join(root, name), folder)
            for root, _, names in os.walk(folder) for name in names]
    return [f for f in left if not (case.may_leave and re.fullmatch(case.may_leave, f))]


def resolve(value, files):
    """``value`` with ``{name}`` replaced by the file paths in ``files``."""
    if isinstance(value, (list, tuple)):
        return [resolve(item, files) for item in value]
    return value.format(**files) if isinstance(value, str) else value


def parameters_of(case, files):
    """The case's full parameters: the good run with the case's changes, files resolved."""
    merged = {**GOOD[case.algorithm], **case.parameters}
    return {key: resolve(value, files) for key, value in merged.items() if value is not None}


def checksums(folder):
    """sha256 of every file under ``folder`` by relative path (new files show up too).

    ``.aux.xml`` files are left out: QGIS writes the statistics of a raster layer
    it opened beside the file, whatever algorithm reads it.
    """
    sums = {}
    for root, _, names in os.walk(folder):
        for name in names:
            path = os.path.join(root, name)
            if not os.path.islink(path) and not name.endswith(".aux.xml"):
                with open(path, "rb") as handle:
                    sums[os.path.relpath(path, folder)] = hashlib.sha256(handle.read()).hexdigest()
    return sums


def write_inputs(folder, scene, model, classes, confidence):
    """Every input file the cases name, good and bad, in ``folder``; returns {name: path}."""
    import geopandas as gpd
    import rasterio
    from pyproj import Transformer
    from rasterio.transform import from_origin
    from shapely.geometry import Polygon

    os.makedirs(folder, exist_ok=True)
    files = {"folder": folder}

    def path(name):
        return os.path.join(folder, name)

    def copy(name, source):
        files[os.path.splitext(name)[0]] = shutil.copy(source, path(name))

    def raster(key, name, data, crs="EPSG:32610", transform=None, nodata=None, **options):
        with rasterio.open(scene.raster) as src:
            transform = transform or src.transform
        with rasterio.open(path(name), "w", driver="GTiff", width=data.shape[2],
                           height=data.shape[1], count=data.shape[0], dtype=data.dtype, crs=crs,
                           transform=transform, nodata=nodata, **options) as dst:
            dst.write(data)
        files[key] = path(name)

    def truncate(key, source, name):
        whole = open(source, "rb").read()
        open(path(name), "wb").write(whole[:len(whole) * 3 // 4])
        files[key] = path(name)

    def corrupt(key, source, name):
        """A compressed copy of ``source`` whose middle bytes are overwritten: the header
        and the last block read well, a block half way through does not."""
        with rasterio.open(source) as src:
            data, profile = src.read(), src.profile
        profile.update(compress="deflate", tiled=True, blockxsize=128, blockysize=128)
        with rasterio.open(path(name), "w", **profile) as dst:
            dst.write(data)
        damaged = bytearray(open(path(name), "rb").read())
        middle = len(damaged) // 2
        damaged[middle:middle + 4000] = b"\x55" * 4000
        open(path(name), "wb").write(bytes(damaged))
        files[key] = path(name)

    copy("scene.tif", scene.raster)
    copy("labels.gpkg", scene.all_parcels)
    copy("reference.gpkg", scene.reference)
    copy("model.cropseg", model)
    copy("classes.tif", classes)
    shutil.copy(os.path.splitext(classes)[0] + ".qml", path("classes.qml"))
    copy("confidence.tif", confidence)
    # Damaged and unsuitable rasters.
    truncate("truncated", scene.raster, "truncated.tif")
    truncate("truncated_classes", classes, "truncated_classes.tif")
    corrupt("corrupt", scene.raster, "corrupt.tif")
    corrupt("corrupt_classes", classes, "corrupt_classes.tif")
    open(path("not_raster.tif"), "w").write("this is not a GeoTIFF\n")
    open(path("empty.tif"), "wb").close()
    files.update(not_raster=path("not_raster.tif"), empty_tif=path("empty.tif"))
    with rasterio.open(scene.raster) as src:
        bands = src.read()
    raster("threebands", "threebands.tif", bands[:3])
    raster("allnodata", "allnodata.tif", np.zeros_like(bands), nodata=0)
    raster("wide16", "wide16.tif", bands[3:4])
    raster("nocrs", "nocrs.tif", bands, crs=None, transform=from_origin(100, 100, 1, 1))
    raster("nocrs_classes", "nocrs_classes.tif", np.ones((1, 50, 60), np.uint8), crs=None,
           transform=from_origin(100, 100, 1, 1))
    raster("nodata_classes", "nodata_classes.tif", np.full((1, 50, 60), 255, np.uint8),
           nodata=255)
    raster("small_float", "small_float.tif", np.ones((1, 50, 60), np.float32))

    # Damaged and unsuitable models.
    open(path("broken_model.cropseg"), "wb").write(b"PK\x03\x04 truncated")
    files["broken_model"] = path("broken_model.cropseg")
    with zipfile.ZipFile(model) as source, \
            zipfile.ZipFile(path("tampered_model.cropseg"), "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "manifest.json":
                data = data.replace(b'"crop"', b'"CROP"')
            target.writestr(item, data)
    files["tampered_model"] = path("tampered_model.cropseg")

    # Unsuitable vector layers.
    parcels = gpd.read_file(scene.all_parcels)

    def vector(key, frame, name=None, driver="GPKG"):
        frame.to_file(path(name or f"{key}.gpkg"), driver=driver)
        files[key] = path(name or f"{key}.gpkg")

    vector("far", parcels.assign(geometry=parcels.geometry.translate(1e6, 0)))
    vector("emptyfield", parcels.assign(empty=None))
    vector("maize", parcels[parcels["crop_type"] == "maize"])
    tiny = parcels.iloc[:6].copy()
    tiny.loc[tiny.index[5], "geometry"] = tiny.geometry.iloc[5].centroid.buffer(4.0)
    vector("tiny", tiny.assign(kind=["big"] * 5 + ["tiny"]))
    vector("no_features", parcels.iloc[:0])
    with_nulls = parcels.copy()
    with_nulls.loc[with_nulls.index[:3], "geometry"] = None
    vector("null_geometries", with_nulls)
    (x0, y0, x1, y1) = parcels.geometry.iloc[0].bounds
    bowtie = Polygon([(x0, y0), (x1, y1), (x1, y0), (x0, y1)])
    vector("invalid_geometry", gpd.GeoDataFrame(
        {"crop_type": list(parcels["crop_type"]) + ["maize"]},
        geometry=list(parcels.geometry) + [bowtie], crs=parcels.crs))
    vector("flat_aoi", gpd.GeoDataFrame(
        {"name": ["flat"]}, geometry=[Polygon([(-121.6, 38.3), (-121.5, 38.3), (-121.55, 38.3)])],
        crs="EPSG:4326"))
    vector("reference_json", gpd.read_file(scene.reference), "reference_json.json", "GeoJSON")
    open(path("not_vector.gpkg"), "w").write("not a GeoPackage\n")
    files["not_vector"] = path("not_vector.gpkg")

    # Dated rasters with UDM2 masks for the composite; damaged and unsuitable ones.
    small = bands[:, :50, :60]
    udm2 = np.zeros((8,) + bands.shape[1:], np.uint8)
    udm2[0] = 1
    for key, day in (("may", "2024-05-01"), ("june", "2024-06-01")):
        raster(key, f"{key}_{day}.tif", bands)
        raster(f"{key}_udm2", f"{key}_udm2_{day}.tif", udm2)
    raster("june_3bands", "three_2024-06-01.tif", bands[:3])
    raster("year_1900", "old_1900-01-01.tif", small)
    raster("year_2100", "new_2100-01-01.tif", small)
    truncate("truncated_june", files["june"], "truncated_2024-06-01.tif")
    corrupt("corrupt_june", scene.raster, "corrupt_2024-06-01.tif")

    # A PlanetScope radiance scene with its metadata and UDM2; unsuitable metadata files.
    x, y = Transformer.from_crs(4326, 32610, always_xy=True).transform(-121.54, 38.295)
    planet_grid = from_origin(x, y, 3.0, 3.0)
    radiance = f"{PLANET_ID}_3B_AnalyticMS_clip.tif"
    raster("radiance", radiance, small, transform=planet_grid, nodata=0)
    raster("udm2", f"{PLANET_ID}_3B_udm2_clip.tif", udm2[:, :50, :60], transform=planet_grid)
    raster("udm2_small", "small_udm2.tif", udm2[:, :20, :20], transform=planet_grid)
    truncate("truncated_radiance", files["radiance"], f"{PLANET_ID}_3B_AnalyticMS_trunc.tif")
    footprint = (-121.6, 38.2, -121.4, 38.4)
    for key, scene_id, coefficients in (
            ("metadata", PLANET_ID, ["2e-5"] * 4), ("other_metadata", "20160831_180257_0e26",
                                                     ["2e-5"] * 4),
            ("nan_metadata", PLANET_ID, ["2e-5", "nan", "2e-5", "2e-5"]),
            ("metadata_8b", PLANET_ID, ["2e-5"] * 8)):
        open(path(f"{key}.xml"), "w").write(metadata_xml(scene_id, coefficients, footprint))
        files[key] = path(f"{key}.xml")
    open(path("entity_metadata.xml"), "w").write(
        '<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY lol "lol"><!ENTITY lol2 '
        '"&lol;&lol;&lol;&lol;">]><ps:EarthObservation>&lol2;</ps:EarthObservation>')
    open(path("text_metadata.xml"), "w").write("reflectanceCoefficient = 2e-5\n")
    files.update(entity_metadata=path("entity_metadata.xml"),
                 text_metadata=path("text_metadata.xml"))

    # Links to inputs: an output through one still replaces the input.
    for name in ("scene", "classes", "model", "labels", "may", "radiance"):
        link = path(f"link_to_{name}{os.path.splitext(files[name])[1]}")
        os.symlink(os.path.basename(files[name]), link)
        files[f"link_to_{name}"] = link
    return files


def metadata_xml(scene_id, coefficients, footprint):
    """A PlanetScope metadata file with the elements cropseg reads."""
    west, south, east, north = footprint
    bands = "".join(
        f"<ps:bandSpecificMetadata><ps:bandNumber>{number}</ps:bandNumber>"
        f"<ps:radiometricScaleFactor>0.01</ps:radiometricScaleFactor>"
        f"<ps:reflectanceCoefficient>{value}</ps:reflectanceCoefficient>"
        "</ps:bandSpecificMetadata>" for number, value in enumerate(coefficients, 1))
    ring = " ".join(f"{lon},{lat}" for lon, lat in ((west, south), (east, south), (east, north),
                                                    (west, north), (west, south)))
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<ps:EarthObservation xmlns:ps="http://schemas.planet.com/ps/v1/planet_product_metadata_'
        'geocorrected_level" xmlns:eop="http://earth.esa.int/eop" '
        'xmlns:opt="http://earth.esa.int/opt" xmlns:gml="http://www.opengis.net/gml">'
        f"<gml:metaDataProperty><eop:EarthObservationMetaData><eop:identifier>{scene_id}_3B_"
        "AnalyticMS</eop:identifier></eop:EarthObservationMetaData></gml:metaDataProperty>"
        "<gml:using><eop:EarthObservationEquipment><eop:instrument><eop:Instrument>"
        "<eop:shortName>PS2</eop:shortName></eop:Instrument></eop:instrument>"
        "</eop:EarthObservationEquipment></gml:using>"
        "<opt:illuminationElevationAngle>55.0</opt:illuminationElevationAngle>"
        f"<ps:Footprint><gml:coordinates>{ring}</gml:coordinates></ps:Footprint>"
        f"<gml:resultOf><ps:EarthObservationResult>{bands}</ps:EarthObservationResult>"
        "</gml:resultOf></ps:EarthObservation>")
