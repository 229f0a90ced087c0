"""Which band is blue, green, red or near infrared, read from the band descriptions.

Descriptions come in many styles: a colour word (``Red``, ``red_665``,
``Green I``), a wavelength (``nir (842 nm)``, ``0.66 um``), or a sensor's band
code (Sentinel-2 ``B04``, Landsat Collection 2 ``SR_B4``).  Words that name a
neighbouring part of the spectrum (``red edge``, ``coastal blue``, ``swir``)
never count as the plain role.  Band codes are read only where the set of names
tells the sensor: ``B4`` is red on Sentinel-2 but near infrared on Landsat 5.
"""

import re

ROLES = ("blue", "green", "red", "nir")

#: Wavelength ranges (nm) of each role, for descriptions that give a wavelength.
ROLE_WAVELENGTHS = {"blue": (440, 520), "green": (520, 600), "red": (620, 690),
                    "nir": (760, 900)}

#: Words that name another part of the spectrum, so a description with one has no role.
OTHER_BANDS = frozenset({"edge", "rededge", "re", "coastal", "aerosol", "yellow", "swir",
                         "shortwave", "thermal", "tir", "pan", "panchromatic", "cirrus",
                         "vapour", "vapor", "mir"})

#: Band codes by sensor: a test on the set of lower-case names, and the code of each role.
CODE_FAMILIES = (
    ("Sentinel-2", lambda names: bool(names & {"b02", "b03", "b04", "b08", "b8a"}),
     {"blue": ("b02", "b2"), "green": ("b03", "b3"), "red": ("b04", "b4"),
      "nir": ("b08", "b8", "b8a")}),
    ("Landsat 8/9", lambda names: "sr_b6" in names,
     {"blue": ("sr_b2",), "green": ("sr_b3",), "red": ("sr_b4",), "nir": ("sr_b5", "nir08")}),
    ("Landsat 4-7", lambda names: "sr_b7" in names and "sr_b6" not in names,
     {"blue": ("sr_b1",), "green": ("sr_b2",), "red": ("sr_b3",), "nir": ("sr_b4",)}),
)

_WAVELENGTH = re.compile(r"(\d+(?:\.\d+)?)\s*(nm|um|µm|μm)\b")
_EXACT, _WORD, _CODE = 3, 2, 1   # how surely a description names a role


def roles_from_names(names):
    """Role -> band (1-based) for every role some description names; the surest match wins,
    then the first band."""
    lowered = [str(name).strip().lower() for name in names]
    codes = {}
    for _, applies, family in CODE_FAMILIES:
        if applies(set(lowered)):
            codes = family
            break
    found = {}
    for band, name in enumerate(lowered, 1):
        for role, rank in _roles_of(name, codes):
            if rank > found.get(role, (0, 0))[0]:
                found[role] = (rank, band)
    return {role: band for role, (_, band) in found.items()}


def band_with_role(info, role):
    """The band (1-based) of ``info`` (a RasterInfo) whose description names ``role``, or None."""
    return roles_from_names(info.band_names).get(role)


def _roles_of(name, codes):
    """(role, rank) pairs that one lower-case description names."""
    text = re.sub(r"near[\s_-]*infra[\s_-]*red", "nir", name)
    words = [w for w in re.split(r"[^a-z0-9]+", text) if w]
    if OTHER_BANDS.intersection(words):
        return []
    pairs = [(role, _CODE) for role, names in codes.items() if text in names]
    for role in ROLES:
        if text == role:
            pairs.append((role, _EXACT))
        elif role in words:
            pairs.append((role, _WORD))
    wavelength = _WAVELENGTH.search(text)
    if wavelength:
        value = float(wavelength.group(1)) * (1 if wavelength.group(2) == "nm" else 1000)
        pairs += [(role, _WORD) for role, (low, high) in ROLE_WAVELENGTHS.items()
                  if low <= value <= high]
    return pairs
