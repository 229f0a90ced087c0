"""Feature recipes: which values of a raster become the classifier's features.

A recipe lists raster bands used as they are, spectral indices computed from
bands with known roles (blue, green, red, nir) and neighbourhood statistics of
both.  For a time stack these are computed for every date, gaps left by masks
are filled in time, and each index is summarised over the season.  Training
stores the recipe in the model; classification rebuilds exactly the same
features from the rasters it is given, and refuses inputs that cannot provide
them.
"""

from dataclasses import dataclass

import numpy as np

from ..common.errors import InputError
from ..rasters.stack import GapFilling
from .band_roles import roles_from_names

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

#: Summaries over time of each index (and of bands named like an index, such as NDVI):
#: lowest, highest and mean clear value, highest minus lowest, and the day of the highest.
SUMMARIES = ("min", "max", "mean", "amplitude", "maxday")


@dataclass(frozen=True)
class FeatureRecipe:
    """Selected bands (1-based) as they are, spectral indices, context; per date for stacks."""

    bands: tuple
    raster_band_names: tuple            # names of every band of the training raster
    indices: tuple = ()
    band_roles: tuple = ()              # (role, band) pairs the indices use
    index_scale: float = 1.0            # multiplies band values into reflectance for indices
    context: tuple = ()                 # window sizes of neighbourhood mean and std features
    n_dates: int = 0                    # rasters of a time stack; 0 for a single raster
    dates: tuple = ()                   # ISO dates of the training stack, when named
    mask_kind: str = ""                 # clear-sky masks the training rasters came with

    @property
    def base_names(self):
        """Bands and indices: the per-pixel features the context statistics summarise."""
        return [self.raster_band_names[b - 1] for b in self.bands] + list(self.indices)

    @property
    def date_feature_names(self):
        """Features computed from one raster (one date)."""
        context = [f"{name}_{stat}{size}" for size in self.context for name in self.base_names
                   for stat in ("mean", "std")]
        return self.base_names + context

    @property
    def summarised(self):
        """Positions in :attr:`base_names` of the indices summarised over time."""
        if not self.n_dates:
            return []
        return [i for i, name in enumerate(self.base_names) if name.upper() in INDICES]

    @property
    def date_labels(self):
        return list(self.dates) or [f"t{i}" for i in range(1, self.n_dates + 1)]

    @property
    def feature_names(self):
        if not self.n_dates:
            return self.date_feature_names
        per_date = [f"{name}_{label}" for label in self.date_labels
                    for name in self.date_feature_names]
        return per_date + [f"{self.base_names[i]}_{stat}" for i in self.summarised
                           for stat in SUMMARIES]

    @property
    def halo(self):
        """Pixels around a block the features need (half the largest context window)."""
        return max(self.context, default=1) // 2

    @property
    def read_bands(self):
        """Bands to read, in order: the selected bands and those the indices need."""
        return sorted(set(self.bands) | {band for _, band in self.band_roles})

    @property
    def read_bytes_per_pixel(self):
        """Memory per pixel of the bands read (float32) and their masks, all dates."""
        return max(self.n_dates, 1) * (5 * len(self.read_bands) + 1)

    @property
    def bytes_per_pixel(self):
        """Working memory per pixel while computing features, the bands read included."""
        dates = max(self.n_dates, 1)
        per_date = 4 * len(self.date_feature_names)
        stacked = 4 * len(self.date_feature_names) * dates if self.n_dates else 0
        filling = 80 * dates if self.n_dates else 0
        return (self.read_bytes_per_pixel + dates * per_date + stacked + filling
                + 8 * len(self.feature_names))

    def times(self, stack):
        """Time of each date of ``stack`` as the features use it (day numbers or positions)."""
        if self.dates:
            return stack.day_numbers
        return np.arange(1, len(stack.rasters) + 1, dtype=np.float64)

    def features(self, data, valid, core=None, times=None):
        """Features (valid pixels, features) of a block read with :attr:`read_bands`.

        ``data`` is (bands, rows, cols) for a single raster or (dates, bands,
        rows, cols) for a time stack, ``valid`` the matching clear pixels, and
        ``times`` the time of each date (see :meth:`times`).  Both may include a
        halo of :attr:`halo` pixels; ``core`` (row and column slices) is then the
        block itself.  Returns the features of the valid core pixels and the core
        validity mask.  A pixel is valid when its features are finite: for a
        single raster, clear and with no zero denominator; for a time stack,
        usable on at least one date (other dates are filled in time).
        """
        core = core or (slice(None), slice(None))
        if data.ndim == 3:
            data, valid = data[None], valid[None]
        per_date = [self._date_images(bands, clear) for bands, clear in zip(data, valid)]
        if self.n_dates:
            images, usable = self._over_time(per_date, times)
        else:
            images, usable = per_date[0]
        valid = usable[core]
        matrix = np.empty((int(valid.sum()), len(images)), dtype=np.float32)
        for column, image in enumerate(images):
            matrix[:, column] = image[core][valid]
        return matrix, valid

    def _date_images(self, data, valid):
        """Per-date feature images and the pixels where they are all finite."""
        position = {band: i for i, band in enumerate(self.read_bands)}
        images = [data[position[b]].astype(np.float32, copy=False) for b in self.bands]
        if self.indices:
            roles = {role: data[position[band]] * self.index_scale
                     for role, band in self.band_roles}
            with np.errstate(divide="ignore", invalid="ignore"):
                images += [INDICES[name][1](roles).astype(np.float32) for name in self.indices]
        usable = valid & np.all([np.isfinite(image) for image in images], axis=0)
        for size in self.context:
            images += _neighbourhood(images[:len(self.base_names)], usable, size)
        return images, usable

    def _over_time(self, per_date, times):
        """Per-date images with masked dates filled in time, then the index summaries."""
        usable = np.stack([clear for _, clear in per_date])
        stack = np.empty((len(per_date), len(per_date[0][0])) + usable.shape[1:],
                         dtype=np.float32)                                # dates, features, ...
        for date, (images, _) in enumerate(per_date):
            for feature, image in enumerate(images):
                stack[date, feature] = image
        np.copyto(stack, np.nan, where=~usable[:, None])
        times = np.arange(1, len(per_date) + 1) if times is None else np.asarray(times)
        summaries = []
        count = usable.sum(axis=0)
        with np.errstate(invalid="ignore"):
            for i in self.summarised:
                series = stack[:, i]
                low, high = np.fmin.reduce(series, axis=0), np.fmax.reduce(series, axis=0)
                mean = np.where(count > 0, np.nansum(series, axis=0) / np.maximum(count, 1),
                                np.nan)
                peak = np.argmax(np.where(usable, series, -np.inf), axis=0)
                summaries += [low, high, mean.astype(np.float32), high - low,
                              np.where(count > 0, times[peak], np.nan).astype(np.float32)]
        # Only pixels clear on some dates but not all have gaps to fill, the same in every
        # feature: the filling is worked out once, then applied one feature at a time.
        partial = usable.any(axis=0) & ~usable.all(axis=0)
        if partial.any():
            filling = GapFilling(usable[:, partial], times)
            for feature in range(stack.shape[1]):
                stack[:, feature, partial] = filling.fill(stack[:, feature, partial])
        images = [image for date in stack for image in date] + summaries
        return images, usable.any(axis=0)

    def check_stack(self, stack, role="INPUT_RASTER"):
        """Refuse rasters that cannot give this recipe's features."""
        dates = len(stack.rasters) if stack.is_time_series else 0
        if dates != self.n_dates:
            if not self.n_dates:
                raise InputError("TIME_STACK: the model was trained on a single raster; give "
                                 "one raster as INPUT_RASTER.")
            if not dates:
                raise InputError("INPUT_RASTER: the model was trained on a time stack of "
                                 "{n_dates} dates; give {n_dates} rasters as "
                                 "TIME_STACK.", n_dates=self.n_dates)
            raise InputError("TIME_STACK has {dates} dates but the model was trained on "
                             "{n_dates} ({date_labels}).", dates=dates, n_dates=self.n_dates,
                             date_labels=", ".join(self.date_labels))
        if self.dates and not stack.dates:
            raise InputError("TIME_STACK: the model was trained on dated rasters and uses the "
                             "day of each date; put the date (YYYY-MM-DD) in every file name.")
        if self.mask_kind and not stack.masks:
            raise InputError("MASKS: the model was trained with a cloud mask per date "
                             "({mask_kind}); give one mask per raster so clouds are not "
                             "classified.", mask_kind=self.mask_kind)
        for info in stack.rasters:
            self.check_raster(info, role)

    def check_raster(self, info, role="INPUT_RASTER"):
        """Refuse a raster whose bands do not match the training raster's."""
        if info.count != len(self.raster_band_names):
            raise InputError("{role} has {count} band(s) but the model was trained "
                             "on a raster with {n_raster_band_names} "
                             "({raster_band_names}).", role=role, count=info.count,
                             n_raster_band_names=len(self.raster_band_names),
                             raster_band_names=", ".join(self.raster_band_names))
        for band in self.read_bands:
            expected, found = self.raster_band_names[band - 1], info.band_names[band - 1]
            if _named(expected) and _named(found) and expected.lower() != found.lower():
                raise InputError("{role} band {band} is '{found}' but the model expects "
                                 "'{expected}'; use a raster with the training band order.",
                                 role=role, band=band, found=found, expected=expected)

    def to_dict(self):
        return {"kind": "bands", "bands": list(self.bands),
                "raster_band_names": list(self.raster_band_names),
                "indices": list(self.indices), "band_roles": dict(self.band_roles),
                "index_scale": self.index_scale, "context": list(self.context),
                "n_dates": self.n_dates, "dates": list(self.dates),
                "mask_kind": self.mask_kind}

    @classmethod
    def from_dict(cls, data):
        if data.get("kind") != "bands":
            raise InputError("The model uses a feature recipe of kind '{kind}' that "
                             "this version of cropseg does not know; update cropseg.",
                             kind=data.get("kind"))
        unknown = [name for name in data.get("indices", []) if name not in INDICES]
        if unknown:
            raise InputError("The model uses indices this version of cropseg does not know "
                             "({unknown}); update cropseg.", unknown=", ".join(unknown))
        return cls(tuple(int(b) for b in data["bands"]),
                   tuple(str(n) for n in data["raster_band_names"]),
                   tuple(data.get("indices", ())),
                   tuple(sorted((str(r), int(b)) for r, b in data.get("band_roles", {}).items())),
                   float(data.get("index_scale", 1.0)),
                   tuple(int(s) for s in data.get("context", ())),
                   int(data.get("n_dates", 0)),
                   tuple(str(d) for d in data.get("dates", ())),
                   str(data.get("mask_kind", "")))


def make_recipe(info, bands, indices=(), band_roles=None, context=(), stack=None):
    """The recipe for ``info`` (a RasterInfo): bands, indices and the roles they need.

    ``band_roles`` maps roles to 1-based bands; roles not given are found from
    the band names.  Integer rasters are taken to hold reflectance x 10000 for
    the indices whose formula is not scale-free (EVI, SAVI, MSAVI).  With a
    time series ``stack`` (a RasterStack whose grid is ``info``) the features
    are computed per date and the indices summarised over time.
    """
    unknown = [name for name in indices if name not in INDICES]
    if unknown:
        raise InputError("INDICES: unknown index {unknown}; choose from "
                         "{indices}.", unknown=", ".join(unknown), indices=", ".join(INDICES))
    roles, named = {}, roles_from_names(info.band_names)
    for name in indices:
        for role in INDICES[name][0]:
            band = (band_roles or {}).get(role) or named.get(role)
            if band is None:
                raise InputError("INDICES: {name} needs a '{role}' band; name the raster's "
                                 "bands or set BAND_ROLES, for example blue=1,green=2,red=3,nir=4.",
                                 name=name, role=role)
            if not 1 <= band <= info.count:
                raise InputError("BAND_ROLES: band {band} for '{role}' does not exist; the "
                                 "raster has {count} band(s).", band=band, role=role,
                                 count=info.count)
            roles[role] = band
    if any(size < 3 or size % 2 == 0 or size > 51 for size in context):
        raise InputError("CONTEXT: window sizes must be odd numbers of pixels from 3 to 51.")
    integer = np.issubdtype(np.dtype(info.dtypes[0]), np.integer)
    series = stack is not None and stack.is_time_series
    return FeatureRecipe(tuple(bands), info.band_names, tuple(indices),
                         tuple(sorted(roles.items())), 1e-4 if integer else 1.0,
                         tuple(sorted(set(context))),
                         len(stack.rasters) if series else 0,
                         tuple(d.isoformat() for d in stack.dates) if series else (),
                         stack.mask_kind if stack is not None else "")


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


def _named(name):
    """True for a real band description (not the ``band_N`` placeholder)."""
    return not (name.startswith("band_") and name[5:].isdigit())
