"""Text parameters read by the core: lists, pairs, band numbers, window sizes, band roles."""

import pytest

from cropseg.core.common.errors import InputError
from cropseg.core.common.parsing import (parse_band_roles, parse_bands, parse_list, parse_pairs,
                                         parse_window_sizes)


def test_lists_are_trimmed_and_skip_empty_items():
    assert parse_list(" maize, wheat ,,soy ") == ["maize", "wheat", "soy"]
    assert parse_list("") == [] and parse_list(None) == []


def test_pairs():
    assert parse_pairs("1 = crop, 2=fallow", "CLASS_MAPPING") == {"1": "crop", "2": "fallow"}
    assert parse_pairs(" ", "CLASS_MAPPING") is None
    with pytest.raises(InputError, match="CLASS_MAPPING: '2' is not a key=value pair"):
        parse_pairs("1=crop,2", "CLASS_MAPPING")
    with pytest.raises(InputError, match="'=crop' is not a key=value pair"):
        parse_pairs("=crop", "CLASS_MAPPING")


def test_band_numbers_and_window_sizes():
    assert parse_bands("4, 3,2") == [4, 3, 2]
    assert parse_window_sizes("3,5") == [3, 5] and parse_window_sizes("") == []
    with pytest.raises(InputError, match="BANDS: give band numbers, for example 1,2,3,4"):
        parse_bands("1,red")
    with pytest.raises(InputError, match="CONTEXT: give window sizes in pixels"):
        parse_window_sizes("3,-5")


def test_band_roles():
    assert parse_band_roles("Red=3, NIR = 4") == {"red": 3, "nir": 4}
    assert parse_band_roles("") == {}
    with pytest.raises(InputError, match="BAND_ROLES: 'red=three' needs a band number"):
        parse_band_roles("red=three")
