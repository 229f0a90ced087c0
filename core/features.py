"""Feature recipes: which values of a raster become the classifier's features.

Training stores the recipe in the model; classification rebuilds exactly the
same features from the raster it is given, and refuses rasters that cannot
provide them.
"""

from dataclasses import dataclass

import numpy as np

from .errors import InputError


@dataclass(frozen=True)
class FeatureRecipe:
    """Raw band values of selected bands (1-based), in order."""

    bands: tuple
    raster_band_names: tuple  # names of every band of the training raster

    @property
    def feature_names(self):
        return [self.raster_band_names[b - 1] for b in self.bands]

    @property
    def bytes_per_pixel(self):
        """Working memory per pixel while computing features (read + feature copy)."""
        return 8 * len(self.bands)

    def pixels(self, data):
        """Features of every pixel of a block read with :meth:`read_bands`: (pixels, features)."""
        return np.ascontiguousarray(data.reshape(data.shape[0], -1).T)

    def check_raster(self, info):
        """Refuse a raster whose bands do not match the training raster's."""
        if info.count != len(self.raster_band_names):
            raise InputError(f"INPUT_RASTER has {info.count} band(s) but the model was trained "
                             f"on a raster with {len(self.raster_band_names)} "
                             f"({', '.join(self.raster_band_names)}).")
        for band in self.bands:
            expected, found = self.raster_band_names[band - 1], info.band_names[band - 1]
            if _named(expected) and _named(found) and expected.lower() != found.lower():
                raise InputError(f"INPUT_RASTER band {band} is '{found}' but the model expects "
                                 f"'{expected}'; use a raster with the training band order.")

    def to_dict(self):
        return {"kind": "bands", "bands": list(self.bands),
                "raster_band_names": list(self.raster_band_names)}

    @classmethod
    def from_dict(cls, data):
        if data.get("kind") != "bands":
            raise InputError(f"The model uses a feature recipe of kind '{data.get('kind')}' that "
                             "this version of cropseg does not know; update cropseg.")
        return cls(tuple(int(b) for b in data["bands"]),
                   tuple(str(n) for n in data["raster_band_names"]))


def _named(name):
    """True for a real band description (not the ``band_N`` placeholder)."""
    return not (name.startswith("band_") and name[5:].isdigit())
