"""Feature recipes: which values of a raster become the classifier's features.

A recipe lists raster bands used as they are and spectral indices computed
from bands with known roles (blue, green, red, nir).  Training stores the
recipe in the model; classification rebuilds exactly the same features from
the raster it is given, and refuses rasters that cannot provide them.
"""

from dataclasses import dataclass

import numpy as np

from .errors import InputError

#: Spectral indices: the band roles they need and their formula on reflectance (0..1).
INDICES = {
    "NDVI": (("red", "nir"), lambda b: (b["nir"] - b["red"]) / (b["nir"] + b["red"])),
    "NDWI": (("green", "nir"), lambda b: (b["green"] - b["nir"]) / (b["green"] + b["nir"])),
    "GNDVI": (("green", "nir"), lambda b: (b["nir"] - b["green"]) / (b["nir"] + b["green"])),
    "EVI": (("blue", "red", "nir"),
            lambda b: 2.5 * (b["nir"] - b["red"])
            / (b["nir"] + 6 * b["red"] - 7.5 * b["blue"] + 1)),
    "SAVI": (("red", "nir"), lambda b: 1.5 * (b["nir"] - b["red"]) / (b["nir"] + b["red"] + 0.5)),
    "MSAVI": (("red", "nir"),
              lambda b: (2 * b["nir"] + 1
                         - np.sqrt((2 * b["nir"] + 1) ** 2 - 8 * (b["nir"] - b["red"]))) / 2),
}

#: Band descriptions that reveal a role (PlanetScope names, Sentinel-2 and Landsat 8/9 bands).
ROLE_NAMES = {
    "blue": ("blue", "b2", "b02", "sr_b2"),
    "green": ("green", "b3", "b03", "sr_b3"),
    "red": ("red", "b4", "b04", "sr_b4"),
    "nir": ("nir", "b8", "b08", "b8a", "sr_b5", "nir08"),
}


@dataclass(frozen=True)
class FeatureRecipe:
    """Selected bands (1-based) as they are, then spectral indices."""

    bands: tuple
    raster_band_names: tuple            # names of every band of the training raster
    indices: tuple = ()
    band_roles: tuple = ()              # (role, band) pairs the indices use
    index_scale: float = 1.0            # multiplies band values into reflectance for indices
    context: tuple = ()                 # window sizes of neighbourhood mean and std features

    @property
    def base_names(self):
        """Bands and indices: the per-pixel features the context statistics summarise."""
        return [self.raster_band_names[b - 1] for b in self.bands] + list(self.indices)

    @property
    def feature_names(self):
        context = [f"{name}_{stat}{size}" for size in self.context for name in self.base_names
                   for stat in ("mean", "std")]
        return self.base_names + context

    @property
    def halo(self):
        """Pixels around a block the features need (half the largest context window)."""
        return max(self.context, default=1) // 2

    @property
    def read_bands(self):
        """Bands to read, in order: the selected bands and those the indices need."""
        return sorted(set(self.bands) | {band for _, band in self.band_roles})

    @property
    def bytes_per_pixel(self):
        """Working memory per pixel while computing features."""
        return 8 * len(self.read_bands) + 8 * len(self.feature_names)

    def features(self, data, valid, core=None):
        """Features (valid pixels, features) of a block read with :attr:`read_bands`.

        ``data`` and ``valid`` may include a halo of :attr:`halo` pixels; ``core``
        (row and column slices) is then the block itself.  Returns the features of
        the valid core pixels and the core validity mask, from which pixels whose
        features are not finite (a zero denominator) have been removed.
        """
        core = core or (slice(None), slice(None))
        position = {band: i for i, band in enumerate(self.read_bands)}
        images = [data[position[b]].astype(np.float32) for b in self.bands]
        if self.indices:
            roles = {role: data[position[band]] * self.index_scale
                     for role, band in self.band_roles}
            with np.errstate(divide="ignore", invalid="ignore"):
                images += [INDICES[name][1](roles).astype(np.float32) for name in self.indices]
        usable = valid & np.all([np.isfinite(image) for image in images], axis=0)
        for size in self.context:
            images += _neighbourhood(images[:len(self.base_names)], usable, size)
        valid = usable[core]
        matrix = np.stack([image[core][valid] for image in images], axis=1)
        return np.ascontiguousarray(matrix, dtype=np.float32), valid

    def check_raster(self, info):
        """Refuse a raster whose bands do not match the training raster's."""
        if info.count != len(self.raster_band_names):
            raise InputError(f"INPUT_RASTER has {info.count} band(s) but the model was trained "
                             f"on a raster with {len(self.raster_band_names)} "
                             f"({', '.join(self.raster_band_names)}).")
        for band in self.read_bands:
            expected, found = self.raster_band_names[band - 1], info.band_names[band - 1]
            if _named(expected) and _named(found) and expected.lower() != found.lower():
                raise InputError(f"INPUT_RASTER band {band} is '{found}' but the model expects "
                                 f"'{expected}'; use a raster with the training band order.")

    def to_dict(self):
        return {"kind": "bands", "bands": list(self.bands),
                "raster_band_names": list(self.raster_band_names),
                "indices": list(self.indices), "band_roles": dict(self.band_roles),
                "index_scale": self.index_scale, "context": list(self.context)}

    @classmethod
    def from_dict(cls, data):
        if data.get("kind") != "bands":
            raise InputError(f"The model uses a feature recipe of kind '{data.get('kind')}' that "
                             "this version of cropseg does not know; update cropseg.")
        unknown = [name for name in data.get("indices", []) if name not in INDICES]
        if unknown:
            raise InputError(f"The model uses indices this version of cropseg does not know "
                             f"({', '.join(unknown)}); update cropseg.")
        return cls(tuple(int(b) for b in data["bands"]),
                   tuple(str(n) for n in data["raster_band_names"]),
                   tuple(data.get("indices", ())),
                   tuple(sorted((str(r), int(b)) for r, b in data.get("band_roles", {}).items())),
                   float(data.get("index_scale", 1.0)),
                   tuple(int(s) for s in data.get("context", ())))


def make_recipe(info, bands, indices=(), band_roles=None, context=()):
    """The recipe for ``info`` (a RasterInfo): bands, indices and the roles they need.

    ``band_roles`` maps roles to 1-based bands; roles not given are found from
    the band names.  Integer rasters are taken to hold reflectance x 10000 for
    the indices whose formula is not scale-free (EVI, SAVI, MSAVI).
    """
    unknown = [name for name in indices if name not in INDICES]
    if unknown:
        raise InputError(f"INDICES: unknown index {', '.join(unknown)}; choose from "
                         f"{', '.join(INDICES)}.")
    roles = {}
    for name in indices:
        for role in INDICES[name][0]:
            band = (band_roles or {}).get(role) or _band_named(info, role)
            if band is None:
                raise InputError(f"INDICES: {name} needs a '{role}' band; name the raster's "
                                 "bands or set BAND_ROLES, for example blue=1,green=2,red=3,nir=4.")
            if not 1 <= band <= info.count:
                raise InputError(f"BAND_ROLES: band {band} for '{role}' does not exist; the "
                                 f"raster has {info.count} band(s).")
            roles[role] = band
    if any(size < 3 or size % 2 == 0 or size > 51 for size in context):
        raise InputError("CONTEXT: window sizes must be odd numbers of pixels from 3 to 51.")
    integer = np.issubdtype(np.dtype(info.dtypes[0]), np.integer)
    return FeatureRecipe(tuple(bands), info.band_names, tuple(indices),
                         tuple(sorted(roles.items())), 1e-4 if integer else 1.0,
                         tuple(sorted(set(context))))


def _neighbourhood(images, usable, size):
    """Mean and standard deviation of each image over ``size`` x ``size`` usable pixels."""
    import cv2

    window = (size, size)
    weight = usable.astype(np.float32)
    count = cv2.boxFilter(weight, -1, window, normalize=False, borderType=cv2.BORDER_CONSTANT)
    out = []
    for image in images:
        values = np.where(usable, image, 0).astype(np.float64)
        total = cv2.boxFilter(values, -1, window, normalize=False, borderType=cv2.BORDER_CONSTANT)
        squares = cv2.boxFilter(values * values, -1, window, normalize=False,
                                borderType=cv2.BORDER_CONSTANT)
        with np.errstate(divide="ignore", invalid="ignore"):
            mean = total / count
            spread = np.sqrt(np.maximum(squares / count - mean * mean, 0.0))
        out += [mean.astype(np.float32), spread.astype(np.float32)]
    return out


def _band_named(info, role):
    for band, name in enumerate(info.band_names, 1):
        if name.lower() in ROLE_NAMES[role]:
            return band
    return None


def _named(name):
    """True for a real band description (not the ``band_N`` placeholder)."""
    return not (name.startswith("band_") and name[5:].isdigit())
