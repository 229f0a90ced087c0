"""Band roles read from the band descriptions that sensors and tools write."""

import pytest

from cropseg.core.model.band_roles import roles_from_names
from cropseg.core.model.features import make_recipe
from cropseg.core.rasters.access import read_raster_info

RGBN = {"blue": 1, "green": 2, "red": 3, "nir": 4}


@pytest.mark.parametrize("names, roles", [
    (("Blue", "Green", "Red", "NIR"), RGBN),
    (("blue", "green", "red", "nir"), RGBN),
    (("blue_490", "green_560", "red_665", "nir_842"), RGBN),
    (("B02", "B03", "B04", "B08"), RGBN),
    (("b2", "b3", "b4", "b8", "b8a"), RGBN),
    (("blue (490 nm)", "green (560 nm)", "red (665 nm)", "nir (842 nm)"), RGBN),
    (("0.49 um", "0.56 um", "0.665 um", "0.842 um"), RGBN),
    (("Blue", "Green", "Red", "Near infrared"), RGBN),
    (("SR_B2", "SR_B3", "SR_B4", "SR_B5", "SR_B6", "SR_B7"), RGBN),
    (("SR_B1", "SR_B2", "SR_B3", "SR_B4", "SR_B5", "SR_B7"), RGBN),
    # PlanetScope 8-band: the red edge, coastal blue and Green I are not the plain roles.
    (("Coastal Blue", "Blue", "Green I", "Green", "Yellow", "Red", "Red Edge", "NIR"),
     {"blue": 2, "green": 4, "red": 6, "nir": 8}),
    # Sentinel-2 in order: the red-edge bands B05-B07 sit between red and NIR.
    (("B01", "B02", "B03", "B04", "B05", "B06", "B07", "B08", "B8A", "B09", "B11", "B12"),
     {"blue": 2, "green": 3, "red": 4, "nir": 8}),
    (("red edge (705 nm)", "rededge", "RE1", "red"), {"red": 4}),
    # Landsat 5 names its bands B1..B7, where B4 is near infrared: codes alone do not tell.
    (("B1", "B2", "B3", "B4", "B5", "B6", "B7"), {}),
    (("band_1", "band_2"), {}),
])
def test_roles_from_names(names, roles):
    assert roles_from_names(names) == roles


def test_a_recipe_finds_its_index_bands_in_descriptive_names(write_raster):
    import numpy as np

    raster = write_raster(np.ones((5, 4, 4), dtype=np.float32),
                          descriptions=("coastal_blue", "blue", "green", "red (665 nm)",
                                        "NIR narrow (865 nm)"))
    recipe = make_recipe(read_raster_info(raster), [1, 2, 3, 4, 5], ["NDVI", "EVI"])
    assert dict(recipe.band_roles) == {"blue": 2, "red": 4, "nir": 5}
