"""A generated PlanetScope-like scene with field labels, for the demo, tests and benchmarks.

The scene is a grid of parcels separated by roads.  Each parcel has a land
cover (two crops, fallow grass, bare soil, woodland, built-up) with its own
brightness, a gentle gradient and pixel noise; scattered trees and a nodata
corner make it realistic enough that classifiers disagree.  The left part of
the scene is the training area and the right part the test area, as in the
Planet/AWS crop-segmentation workflow.  Written block by block, so large
scenes use little memory; the same seed gives the same files.
"""

import os
from dataclasses import dataclass

import numpy as np

#: Land covers: name, is crop, reflectance x 10000 (blue, green, red, nir), share of parcels.
COVERS = (
    ("maize", True, (350, 700, 420, 3900), 0.30),
    ("alfalfa", True, (420, 820, 560, 3300), 0.25),
    ("fallow", False, (620, 900, 1000, 2700), 0.17),
    ("bare soil", False, (1100, 1400, 1800, 2400), 0.12),
    ("woodland", False, (280, 480, 330, 2900), 0.10),
    ("built-up", False, (1300, 1400, 1500, 1800), 0.06),
)
#: Greenness over the season: day of peak and the lowest share of the cover's own spectrum
#: (the rest is bare soil); maize peaks late, alfalfa early, fallow greens briefly in spring.
#: Other covers do not change.
PHENOLOGY = {"maize": (215, 0.1), "alfalfa": (150, 0.45), "fallow": (125, 0.55)}
CLOUD = (4200, 4300, 4500, 4800)
ROAD = (1500, 1550, 1600, 1900)
TREE = (260, 460, 310, 3000)
BAND_NAMES = ("blue", "green", "red", "nir")
NODATA = 0
CRS = "EPSG:32610"  # UTM 10N, Sacramento Valley
_BLOCK = 512


@dataclass(frozen=True)
class SceneFiles:
    """Paths of a generated scene."""

    raster: str
    train_labels: str   # crop parcels inside the training area (crop mode labels)
    reference: str      # every parcel of the test area, with crop_type and is_crop
    train_aoi: str
    test_aoi: str
    all_parcels: str    # every parcel with crop_type, is_crop and split


class _Layout:
    """Parcels, roads and trees of a scene, drawn once from the seed."""

    def __init__(self, width, height, seed):
        rng = np.random.default_rng(seed)
        self.col_edges = _edges(rng, width)
        self.row_edges = _edges(rng, height)
        n = (len(self.row_edges) - 1) * (len(self.col_edges) - 1)
        shares = np.array([c[3] for c in COVERS])
        self.cover = rng.choice(len(COVERS), size=n, p=shares / shares.sum())
        # Growth stage: a crop's spectrum is mixed with bare soil (up to half), a
        # fallow parcel's with alfalfa (up to 45%), so classes overlap as in real scenes.
        base = np.array([c[2] for c in COVERS], dtype=np.float32)
        is_crop = np.array([c[1] for c in COVERS])[self.cover]
        fallow = self.cover == _index("fallow")
        own = np.ones(n)
        own[is_crop] = rng.uniform(0.5, 1.0, is_crop.sum())
        own[fallow] = rng.uniform(0.55, 1.0, fallow.sum())
        towards = np.where(is_crop, _index("bare soil"), _index("alfalfa"))
        gain = rng.normal(1.0, 0.1, size=(n, 4)).clip(0.7, 1.3)
        self.spectrum = (own[:, None] * base[self.cover]
                         + (1 - own[:, None]) * base[towards]) * gain
        self.slope = rng.normal(0.0, 0.0004, size=(n, 2))
        self.road_rows = rng.integers(2, 5, size=len(self.row_edges))
        self.road_cols = rng.integers(2, 5, size=len(self.col_edges))
        self.peak_shift = rng.normal(0.0, 10.0, size=n)
        count = max(width * height // 2500, 1)
        self.trees = np.column_stack([rng.uniform(0, height, count), rng.uniform(0, width, count),
                                      rng.uniform(1.5, 5.0, count)])
        self.width, self.height, self.seed = width, height, seed

    @property
    def n_cols(self):
        return len(self.col_edges) - 1

    def cells(self, row0, col0, rows, cols):
        """Parcel index, offsets inside the parcel, road and nodata masks of a block."""
        r = np.arange(row0, row0 + rows)
        c = np.arange(col0, col0 + cols)
        pr = np.searchsorted(self.row_edges, r, side="right") - 1
        pc = np.searchsorted(self.col_edges, c, side="right") - 1
        parcel = pr[:, None] * self.n_cols + pc[None, :]
        dr = (r - self.row_edges[pr])[:, None]
        dc = (c - self.col_edges[pc])[None, :]
        road = (dr < self.road_rows[pr][:, None]) | (dc < self.road_cols[pc][None, :])
        corner = (r[:, None] + c[None, :]) < 0.06 * (self.width + self.height)
        return parcel, dr, dc, road, corner

    def spectrum_on(self, day):
        """Spectrum of every parcel on ``day`` of the year (None: at full greenness)."""
        if day is None:
            return self.spectrum
        share = np.ones(len(self.cover))
        for cover, (peak, lowest) in PHENOLOGY.items():
            of_cover = self.cover == _index(cover)
            distance = (day - peak - self.peak_shift[of_cover]) / 40.0
            share[of_cover] = lowest + (1 - lowest) * np.exp(-distance ** 2)
        soil = np.array(COVERS[_index("bare soil")][2], dtype=np.float64)
        return share[:, None] * self.spectrum + (1 - share[:, None]) * soil

    def block(self, row0, col0, rows, cols, day=None):
        """Reflectance x 10000 (4, rows, cols) as uint16 for one block (on ``day``)."""
        r = np.arange(row0, row0 + rows)
        c = np.arange(col0, col0 + cols)
        parcel, dr, dc, road, corner = self.cells(row0, col0, rows, cols)
        image = self.spectrum_on(day)[parcel].transpose(2, 0, 1).astype(np.float32)
        image *= 1 + self.slope[parcel, 0] * dr + self.slope[parcel, 1] * dc
        image[:, road] = np.array(ROAD, dtype=np.float32)[:, None]
        near = ((self.trees[:, 0] > row0 - 6) & (self.trees[:, 0] < row0 + rows + 6)
                & (self.trees[:, 1] > col0 - 6) & (self.trees[:, 1] < col0 + cols + 6))
        off_field = ~np.array([cv[1] for cv in COVERS])[self.cover[parcel]] | road
        for tr, tc, radius in self.trees[near]:
            disk = ((r[:, None] - tr) ** 2 + (c[None, :] - tc) ** 2) <= radius ** 2
            disk &= off_field  # trees grow along roads and off the fields
            image[:, disk] = np.array(TREE, dtype=np.float32)[:, None]
        rng = np.random.default_rng([self.seed, row0, col0] + ([day] if day else []))
        image *= rng.normal(1.0, 0.10, size=image.shape).astype(np.float32)
        image = np.clip(image, 1, 10000).astype(np.uint16)
        image[:, corner] = NODATA
        return image

    def parcels(self, pixel_size, origin):
        """(row, col, cover index, polygon in map coordinates) for every parcel."""
        from shapely.geometry import box

        x0, y0 = origin
        out = []
        for i in range(len(self.row_edges) - 1):
            for j in range(self.n_cols):
                top = self.row_edges[i] + self.road_rows[i]
                left = self.col_edges[j] + self.road_cols[j]
                bottom, right = self.row_edges[i + 1], self.col_edges[j + 1]
                geometry = box(x0 + left * pixel_size, y0 - bottom * pixel_size,
                               x0 + right * pixel_size, y0 - top * pixel_size)
                out.append((i, j, int(self.cover[i * self.n_cols + j]), geometry))
        return out


def _clouds(width, height, seed, day, cover):
    """Cloud disks (row, col, radius) of one date covering about ``cover`` of the scene."""
    rng = np.random.default_rng([seed, 99, day])
    radius = rng.uniform(0.03, 0.08, size=64) * min(width, height)
    wanted = cover * width * height
    count = int(np.searchsorted(np.cumsum(np.pi * radius ** 2), wanted))
    return np.column_stack([rng.uniform(0, height, count), rng.uniform(0, width, count),
                            radius[:count]])


def generate_season(folder, days=(130, 160, 190, 220, 250), *, year=2024, width=600,
                    height=500, seed=3, pixel_size=3.0, cloud_cover=0.1, name="season"):
    """Write one scene per day of ``year`` with a UDM2 mask each, plus the scene's labels.

    Crops green up and dry down on their own calendars (``PHENOLOGY``), so maize
    and alfalfa differ more over the season than on any one date.  Clouds hide
    about ``cloud_cover`` of each date; UDM2 band 1 (clear) is 0 under them.
    Returns (raster paths, UDM2 paths, :class:`SceneFiles` of the full-green scene).
    """
    import datetime

    import rasterio

    from ..core.rasters.access import GTIFF_OPTIONS

    files = generate_scene(folder, width=width, height=height, seed=seed,
                           pixel_size=pixel_size, name=name)
    layout = _Layout(width, height, seed)
    with rasterio.open(files.raster) as src:
        profile = {**GTIFF_OPTIONS, "width": width, "height": height, "crs": src.crs,
                   "transform": src.transform}
    rasters, masks = [], []
    for day in days:
        date = datetime.date(year, 1, 1) + datetime.timedelta(days=day - 1)
        rasters.append(os.path.join(folder, f"{name}_{date.isoformat()}.tif"))
        masks.append(os.path.join(folder, f"{name}_{date.isoformat()}_udm2.tif"))
        clouds = _clouds(width, height, seed, day, cloud_cover)
        with rasterio.open(rasters[-1], "w", **profile, count=4, dtype="uint16",
                           nodata=NODATA) as dst, \
                rasterio.open(masks[-1], "w", **profile, count=8, dtype="uint8") as udm2:
            for band, band_name in enumerate(BAND_NAMES, 1):
                dst.set_band_description(band, band_name)
            for window, row, col, rows, cols in _blocks(width, height):
                image = layout.block(row, col, rows, cols, day)
                r = np.arange(row, row + rows)[:, None]
                c = np.arange(col, col + cols)[None, :]
                cloudy = np.zeros((rows, cols), dtype=bool)
                for cr, cc, radius in clouds:
                    cloudy |= (r - cr) ** 2 + (c - cc) ** 2 <= radius ** 2
                cloudy &= image[0] != NODATA
                image[:, cloudy] = np.array(CLOUD, dtype=np.uint16)[:, None]
                dst.write(image, window=window)
                flags = np.zeros((8, rows, cols), dtype=np.uint8)
                flags[0] = ~cloudy & (image[0] != NODATA)
                flags[5] = cloudy
                udm2.write(flags, window=window)
    return rasters, masks, files


def generate_class_raster(path, *, width=8000, height=8000, seed=42, pixel_size=3.0,
                          error_rate=0.08):
    """Write a crop / non-crop class raster like a pixel classifier's, block by block.

    Parcels are crop (1) or non-crop (0) by their cover, roads are non-crop, the
    nodata corner is 255; ``error_rate`` of the pixels are flipped in specks of
    one to a few pixels, the speckle a pixel classifier leaves.
    """
    import json

    import cv2
    import rasterio
    from rasterio.transform import from_origin

    from ..core.rasters.class_raster import CROP_MODE_CLASSES, TAG_CLASSES, TAG_CROP_CLASSES
    from ..core.rasters.access import GTIFF_OPTIONS

    layout = _Layout(width, height, seed)
    is_crop = np.array([c[1] for c in COVERS])
    profile = {**GTIFF_OPTIONS, "width": width, "height": height, "count": 1, "dtype": "uint8",
               "crs": CRS, "transform": from_origin(630000.0, 4270000.0, pixel_size, pixel_size),
               "nodata": 255}
    table = [c.to_dict() for c in CROP_MODE_CLASSES]
    with rasterio.open(path, "w", **profile) as dst:
        dst.update_tags(**{TAG_CLASSES: json.dumps(table), TAG_CROP_CLASSES: "1"})
        for window, row, col, rows, cols in _blocks(width, height):
            parcel, _, _, road, corner = layout.cells(row, col, rows, cols)
            classes = (is_crop[layout.cover[parcel]] & ~road).astype(np.uint8)
            rng = np.random.default_rng([seed, 7, row, col])
            seeds = (rng.random((rows, cols)) < error_rate / 3).astype(np.uint8)
            specks = cv2.dilate(seeds, np.ones((2, 2), np.uint8)) > 0
            classes[specks] = 1 - classes[specks]
            classes[corner] = 255
            dst.write(classes, 1, window=window)


def _blocks(width, height):
    """(window, row, col, rows, cols) of each block the generators write, row by row."""
    from ..core.rasters.access import block_windows

    for window in block_windows(width, height, _BLOCK):
        yield (window, int(window.row_off), int(window.col_off), int(window.height),
               int(window.width))


def _index(cover_name):
    return [c[0] for c in COVERS].index(cover_name)


def _edges(rng, size):
    edges = [0]
    while edges[-1] < size:
        edges.append(edges[-1] + int(rng.integers(40, 110)))
    edges[-1] = size
    return np.array(edges)


def generate_scene(folder, *, width=1000, height=1000, seed=42, pixel_size=3.0,
                   train_share=0.6, name="scene"):
    """Write a scene raster and its label layers into ``folder``; return :class:`SceneFiles`."""
    import geopandas as gpd
    import rasterio
    from rasterio.transform import from_origin
    from shapely.geometry import box

    from ..core.rasters.access import GTIFF_OPTIONS

    os.makedirs(folder, exist_ok=True)
    layout = _Layout(width, height, seed)
    origin = (630000.0, 4270000.0)
    transform = from_origin(origin[0], origin[1], pixel_size, pixel_size)
    raster = os.path.join(folder, f"{name}.tif")
    profile = {**GTIFF_OPTIONS, "width": width, "height": height, "count": 4,
               "dtype": "uint16", "crs": CRS, "transform": transform, "nodata": NODATA}
    with rasterio.open(raster, "w", **profile) as dst:
        for band, band_name in enumerate(BAND_NAMES, 1):
            dst.set_band_description(band, band_name)
        for window, row, col, rows, cols in _blocks(width, height):
            dst.write(layout.block(row, col, rows, cols), window=window)

    split_x = origin[0] + round(width * train_share) * pixel_size
    extent = box(origin[0], origin[1] - height * pixel_size, origin[0] + width * pixel_size,
                 origin[1])
    train_area = box(origin[0], extent.bounds[1], split_x, origin[1])
    test_area = box(split_x, extent.bounds[1], extent.bounds[2], origin[1])
    records = []
    for _, _, cover, geometry in layout.parcels(pixel_size, origin):
        name_, is_crop = COVERS[cover][0], COVERS[cover][1]
        for split, area in (("train", train_area), ("test", test_area)):
            part = geometry.intersection(area)
            if part.area > 16 * pixel_size ** 2:
                records.append({"crop_type": name_, "is_crop": int(is_crop), "split": split,
                                "geometry": part})
    parcels = gpd.GeoDataFrame(records, geometry="geometry", crs=CRS)
    files = SceneFiles(
        raster=raster,
        train_labels=os.path.join(folder, f"{name}_train_crop_fields.gpkg"),
        reference=os.path.join(folder, f"{name}_test_reference.gpkg"),
        train_aoi=os.path.join(folder, f"{name}_train_aoi.gpkg"),
        test_aoi=os.path.join(folder, f"{name}_test_aoi.gpkg"),
        all_parcels=os.path.join(folder, f"{name}_parcels.gpkg"))
    train = parcels[(parcels["split"] == "train") & (parcels["is_crop"] == 1)]
    _write(train, files.train_labels)
    _write(parcels[parcels["split"] == "test"], files.reference)
    _write(parcels, files.all_parcels)
    _write(gpd.GeoDataFrame({"name": ["train"]}, geometry=[train_area], crs=CRS), files.train_aoi)
    _write(gpd.GeoDataFrame({"name": ["test"]}, geometry=[test_area], crs=CRS), files.test_aoi)
    return files


def _write(frame, path):
    if os.path.exists(path):
        os.remove(path)
    frame.reset_index(drop=True).to_file(path, driver="GPKG")
