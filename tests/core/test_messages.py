"""Messages of the core keep template and values apart, so the plugin can show them translated."""

import pickle

import geopandas as gpd
import pytest
from shapely.geometry import Point

from cropseg.core.common.errors import CropsegError, InputError, Message
from cropseg.core.common.files import write_vector
from cropseg.core.common.parsing import parse_pairs
from cropseg.core.common.progress import Feedback

#: A translation of a few templates, as a translator would give them.
FRENCH = {
    "{name}: '{item}' is not a key=value pair.": "{name} : '{item}' n'est pas une paire clé=valeur.",
    "Download of {target} from Planet failed twice: {problem}.":
        "Le téléchargement de {target} depuis Planet a échoué deux fois : {problem}.",
    "its checksum does not match the order manifest":
        "sa somme de contrôle ne correspond pas au manifeste",
    "Shapefile field names hold at most 10 characters: {renamed}.":
        "Les noms de champ Shapefile ont au plus 10 caractères : {renamed}.",
}


def french(template):
    return FRENCH.get(template, template)


def test_an_error_is_english_by_default_and_translated_on_request():
    with pytest.raises(InputError) as raised:
        parse_pairs("red=3,nir", "BAND_ROLES")
    error = raised.value
    assert str(error) == "BAND_ROLES: 'nir' is not a key=value pair."
    assert error.text(french) == "BAND_ROLES : 'nir' n'est pas une paire clé=valeur."
    assert error.text(lambda template: template) == str(error)


def test_a_message_inside_a_message_is_translated_too():
    error = CropsegError("Download of {target} from Planet failed twice: {problem}.",
                         target="scene.tif",
                         problem=Message("its checksum does not match the order manifest"))
    assert str(error) == ("Download of scene.tif from Planet failed twice: its checksum does not "
                          "match the order manifest.")
    assert error.text(french) == ("Le téléchargement de scene.tif depuis Planet a échoué deux "
                                  "fois : sa somme de contrôle ne correspond pas au manifeste.")


def test_an_error_survives_pickling_with_braces_in_its_values():
    error = InputError("{name}: '{item}' is not a key=value pair.", name="BAND_ROLES",
                       item="{red}")
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is InputError and str(copy) == "BAND_ROLES: '{red}' is not a key=value pair."
    assert copy.text(french) == "BAND_ROLES : '{red}' n'est pas une paire clé=valeur."


def test_feedback_lines_are_translated_in_every_step(tmp_path):
    lines = []
    feedback = Feedback(on_info=lines.append, translate=french).step(0.5, 1.0)
    frame = gpd.GeoDataFrame({"mean_confidence": [0.5]}, geometry=[Point(0, 0)],
                             crs="EPSG:32633")
    write_vector(frame, str(tmp_path / "fields.shp"), "fields", feedback)
    assert lines == ["Les noms de champ Shapefile ont au plus 10 caractères : "
                     "mean_confidence → mean_confi."]
