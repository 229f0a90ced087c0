"""Text parameters as values: comma lists, key=value pairs, band numbers, window sizes, roles.

The toolbox, the modeler and ``qgis_process`` give these parameters as text; the
algorithms pass the text here, so each is read and checked in one place.
"""

from .errors import InputError


def parse_list(text):
    """``"a, b,,c"`` as ``["a", "b", "c"]``: comma-separated items, trimmed, empty ones left out."""
    return [item.strip() for item in (text or "").split(",") if item.strip()]


def parse_pairs(text, name):
    """``"key=value,key=value"`` as a dict of trimmed strings, or None when empty."""
    pairs = {}
    for item in parse_list(text):
        key, separator, value = item.partition("=")
        if not separator or not key.strip() or not value.strip():
            raise InputError("{name}: '{item}' is not a key=value pair.", name=name, item=item)
        pairs[key.strip()] = value.strip()
    return pairs or None


def parse_whole_numbers(text, name, example):
    """``"1,2,3"`` as ``[1, 2, 3]``; anything but whole numbers is refused, citing ``example``."""
    items = parse_list(text)
    if not all(item.isdigit() for item in items):
        raise InputError("{name}: give {example}.", name=name, example=example)
    return [int(item) for item in items]


def parse_bands(text, name="BANDS"):
    """Band numbers, in the order given (empty: none chosen)."""
    return parse_whole_numbers(text, name, "band numbers, for example 1,2,3,4")


def parse_window_sizes(text, name="CONTEXT"):
    """Neighbourhood window sizes in pixels."""
    return parse_whole_numbers(text, name, "window sizes in pixels, for example 3,5")


def parse_band_roles(text, name="BAND_ROLES"):
    """``"red=3,nir=4"`` as ``{"red": 3, "nir": 4}`` (roles in lower case)."""
    roles = {}
    for role, band in (parse_pairs(text, name) or {}).items():
        if not band.isdigit():
            raise InputError("{name}: '{role}={band}' needs a band number.", name=name, role=role,
                             band=band)
        roles[role.lower()] = int(band)
    return roles
