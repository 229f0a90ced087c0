"""Outputs are checked before any work and written in the format their extension names."""

import os

import geopandas as gpd
import pytest
from shapely.geometry import Point

from cropseg.core.common.errors import InputError
from cropseg.core.common.files import (RASTER_EXTENSIONS, VECTOR_DRIVERS, atomic_outputs,
                                check_outputs, write_vector)

VECTOR = tuple(VECTOR_DRIVERS)


def _touch(path, text="data"):
    path.write_text(text)
    return str(path)


def test_an_output_naming_an_input_is_refused(tmp_path):
    scene = _touch(tmp_path / "scene.tif")
    with pytest.raises(InputError, match="^OUTPUT_CLASSES: .*would replace the input "
                                         "INPUT_RASTER"):
        check_outputs({"OUTPUT_CLASSES": (scene, RASTER_EXTENSIONS)},
                      {"INPUT_RASTER": [scene]})


def test_the_same_file_by_another_path_is_refused(tmp_path):
    scene = _touch(tmp_path / "scene.tif")
    os.symlink(scene, tmp_path / "link.tif")
    relative = os.path.relpath(scene)
    for alias in (str(tmp_path / "link.tif"), relative, str(tmp_path / "." / "scene.tif")):
        with pytest.raises(InputError, match="would replace the input INPUT_RASTER"):
            check_outputs({"OUTPUT": (alias, RASTER_EXTENSIONS)}, {"INPUT_RASTER": [scene]})


def test_an_output_whose_style_would_replace_an_input_sidecar_is_refused(tmp_path):
    scene = _touch(tmp_path / "scene.tif")
    _touch(tmp_path / "scene.qml", "<qgis/>")
    with pytest.raises(InputError, match="'scene.qml' of the input INPUT_RASTER"):
        check_outputs({"OUTPUT_POLYGONS": (str(tmp_path / "scene.gpkg"), VECTOR)},
                      {"INPUT_RASTER": [scene]})


def test_two_outputs_naming_one_file_are_refused(tmp_path):
    path = str(tmp_path / "classes.tif")
    with pytest.raises(InputError, match="^OUTPUT_CONFIDENCE: .*the output OUTPUT_CLASSES"):
        check_outputs({"OUTPUT_CLASSES": (path, RASTER_EXTENSIONS),
                       "OUTPUT_CONFIDENCE": (path, RASTER_EXTENSIONS)}, {})


def test_a_layer_of_an_input_geopackage_counts_as_the_file(tmp_path):
    labels = _touch(tmp_path / "labels.gpkg")
    with pytest.raises(InputError, match="^OUTPUT_REPORT: .*the input LABELS"):
        check_outputs({"OUTPUT_REPORT": (labels, (".gpkg",))},
                      {"LABELS": [labels + "|layername=fields"]})


def test_unsupported_extensions_are_refused(tmp_path):
    with pytest.raises(InputError, match=r"^OUTPUT: 'fields.csv' must end in \.gpkg or \.shp"):
        check_outputs({"OUTPUT": (str(tmp_path / "fields.csv"), VECTOR)}, {})
    with pytest.raises(InputError, match=r"^OUTPUT_MASK: 'mask.png' must end in \.tif"):
        check_outputs({"OUTPUT_MASK": (str(tmp_path / "mask.png"), RASTER_EXTENSIONS)}, {})


def test_unwritable_places_are_refused(tmp_path):
    a_file = _touch(tmp_path / "a_file")
    with pytest.raises(InputError, match="^OUTPUT: .*a_file' is a file"):
        check_outputs({"OUTPUT": (os.path.join(a_file, "out.tif"), RASTER_EXTENSIONS)}, {})
    with pytest.raises(InputError, match="^OUTPUT_FOLDER: .* is a file, not a folder"):
        check_outputs({"OUTPUT_FOLDER": (a_file, None)}, {})
    # /proc refuses new files even to root.
    with pytest.raises(InputError, match="^OUTPUT: cannot write in '/proc'"):
        check_outputs({"OUTPUT": ("/proc/classes.tif", RASTER_EXTENSIONS)}, {})


def test_missing_folders_and_distinct_files_pass_and_nothing_is_left(tmp_path):
    scene = _touch(tmp_path / "scene.tif")
    check_outputs({"OUTPUT_CLASSES": (str(tmp_path / "new" / "deeper" / "classes.tif"),
                                      RASTER_EXTENSIONS),
                   "OUTPUT_CONFIDENCE": ("", RASTER_EXTENSIONS),
                   "OUTPUT_FOLDER": (str(tmp_path / "orders"), None)},
                  {"INPUT_RASTER": [scene], "MASKS": []})
    assert sorted(os.listdir(tmp_path)) == ["scene.tif"]


@pytest.mark.parametrize("extension", VECTOR)
def test_vectors_are_written_in_the_format_their_extension_names(tmp_path, extension):
    frame = gpd.GeoDataFrame({"value": [1, 2]}, geometry=[Point(0, 0), Point(10, 10)],
                             crs="EPSG:32633")
    path = str(tmp_path / f"points{extension}")
    with atomic_outputs(path) as (temp,):
        write_vector(frame, temp, "points")
    with open(path, "rb") as handle:
        head = handle.read(16)
    signature = {".gpkg": b"SQLite format 3", ".shp": b"\x00\x00\x27\x0a",
                 ".geojson": b"{", ".fgb": b"fgb"}[extension]
    assert head.lstrip().startswith(signature)
    read = gpd.read_file(path)
    assert sorted(read["value"]) == [1, 2] and read.crs.to_epsg() == 32633
    left = sorted(name for name in os.listdir(tmp_path) if name.startswith(".cropseg"))
    assert left == []


def test_reports_sharing_a_name_stem_are_distinct_files(tmp_path):
    check_outputs({"OUTPUT_HTML": (str(tmp_path / "a.html"), (".html",)),
                   "OUTPUT_JSON": (str(tmp_path / "a.json"), (".json",)),
                   "OUTPUT_CSV": (str(tmp_path / "a.csv"), (".csv",))}, {})


def test_shapefile_field_names_are_cut_to_unique_names_and_reported(tmp_path):
    from cropseg.core.common.progress import Feedback

    said = []
    frame = gpd.GeoDataFrame({"mean_confidence": [0.5], "mean_confi": [1],
                              "mean_confidence_sd": [0.1], "area_ha": [2.0]},
                             geometry=[Point(0, 0)], crs="EPSG:32633")
    path = str(tmp_path / "fields.shp")
    write_vector(frame, path, "fields", Feedback(on_info=said.append))
    read = gpd.read_file(path)
    assert list(read.columns) == ["mean_con_1", "mean_confi", "mean_con_2", "area_ha",
                                  "geometry"]
    assert read.loc[0, "mean_con_1"] == 0.5 and read.loc[0, "mean_con_2"] == 0.1
    assert said == ["Shapefile field names hold at most 10 characters: mean_confidence → "
                    "mean_con_1, mean_confidence_sd → mean_con_2."]
