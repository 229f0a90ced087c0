"""The feature recipes training compares, in two stages, and the recipe that samples them all."""

import functools

import numpy as np

from ..model.band_roles import roles_from_names
from ..model.features import INDICES, make_recipe

#: Indices the feature search tries, where the band roles they need are known.
SEARCH_INDICES = ("NDVI", "NDWI", "EVI")

#: Ground widths (metres) of the neighbourhood windows the feature search tries: about one
#: field edge, half a small field and a small field.
SEARCH_WINDOW_METRES = (30, 50, 90)

#: The feature search leaves out neighbourhood windows that would make more features.
MAX_SEARCH_FEATURES = 600


class FeatureStages:
    """The feature recipes to compare, in two stages, and the recipe that samples them all.

    The first stage compares bands only with bands and indices; the second adds
    neighbourhood windows, one scale and then all, to the better of the two.
    Without a search there is one recipe, as given.
    """

    def __init__(self, info, stack, bands, band_roles, searching, indices, context):
        self._make = lambda indices=(), context=(): make_recipe(info, bands, indices, band_roles,
                                                                 context, stack)
        self.notes = []
        if not searching:
            self.first, self.indices, self.windows = [self._make(indices, context)], (), ()
            return
        self.indices = search_indices(info, band_roles)
        self.first = [self._make()] + ([self._make(self.indices)] if self.indices else [])
        if not self.indices:
            self.notes.append("Spectral indices were not tried: the band names do not say "
                              "which bands are blue, green, red and near infrared; set "
                              "BAND_ROLES to try them.")
        self.windows = scales = search_windows(info)
        while self.windows and len(self._make(self.indices, self.windows).feature_names) \
                > MAX_SEARCH_FEATURES:
            self.windows = self.windows[:-1]
        if self.windows != scales:
            left_out = ", ".join(map(str, scales[len(self.windows):]))
            self.notes.append(f"Neighbourhood windows of {left_out} px were not tried: with "
                              f"{len(self.first[-1].feature_names)} features per pixel they "
                              f"would make more than {MAX_SEARCH_FEATURES}.")

    def leave_out_windows(self, few_fields):
        """No windows when classes have fewer label features than folds: they are validated on
        blocks of the same fields, which share their texture, so the folds cannot tell whether
        windows carry over to new fields."""
        if few_fields and self.windows:
            self.windows = ()
            for derived in ("sampled", "_positions"):   # both follow the windows
                self.__dict__.pop(derived, None)
            self.notes.append(f"Neighbourhood windows were not tried: {', '.join(few_fields)} "
                              "had fewer label features than folds, so they are validated on "
                              "blocks of the same fields, which cannot tell whether windows "
                              "carry over to new fields.")

    @property
    def scales(self):
        """The window sets of the second stage: the smallest window, then all."""
        return [self.windows[:1], self.windows] if len(self.windows) > 1 else \
            [self.windows] if self.windows else []

    def second(self, base):
        """The second stage's recipes, on ``base``'s indices."""
        return [self._make(base.indices, windows) for windows in self.scales]

    @functools.cached_property
    def sampled(self):
        """The recipe whose features include every candidate's."""
        if len(self.first) == 1 and not self.windows:
            return self.first[0]
        return self._make(self.indices, self.windows)

    @functools.cached_property
    def _positions(self):
        return {name: i for i, name in enumerate(self.sampled.feature_names)}

    @property
    def count(self):
        return len(self.first) + len(self.scales)

    def columns(self, recipe):
        """Columns of the sampled features that ``recipe`` uses, in its order."""
        return np.array([self._positions[name] for name in recipe.feature_names])


def search_indices(info, band_roles=None):
    """The indices of ``SEARCH_INDICES`` whose band roles are named or given."""
    known = {**roles_from_names(info.band_names), **(band_roles or {})}
    return tuple(name for name in SEARCH_INDICES if set(INDICES[name][0]) <= set(known))


def search_windows(info):
    """Odd window sizes (3..51 px) that span about ``SEARCH_WINDOW_METRES`` on the ground;
    at least two sizes, so coarse pixels still get a small and a larger window."""
    metres = pixel_metres(info)
    sizes = sorted({min(max(int(round(width / metres)) // 2 * 2 + 1, 3), 51)
                    for width in SEARCH_WINDOW_METRES})
    if len(sizes) == 1:
        sizes = [3, 5] if sizes[0] == 3 else [sizes[0] // 2 // 2 * 2 + 1, sizes[0]]
    return tuple(sizes)


def pixel_metres(info):
    """The larger pixel side in metres (degrees taken at 111 km; unknown units as metres)."""
    from rasterio.errors import CRSError

    size = max(info.pixel_size)
    if info.crs.is_geographic:
        return size * 111_320.0
    try:
        return size * info.crs.linear_units_factor[1]
    except CRSError:
        return size
