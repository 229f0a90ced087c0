"""Fixtures shared by every test tier: files written on disk, real data, a generated scene."""

from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
REAL_DATA = ROOT.parent / "shared" / "data" / "real"
PLANET_DATA = ROOT.parent / "shared" / "data" / "planet"

#: Spectra (4 bands) of the two classes of the small known-answer raster.
WHEAT = (800.0, 1400.0, 900.0, 3800.0)
FALLOW = (1500.0, 1700.0, 2100.0, 2300.0)


def _pixel_box(transform, row0, col0, row1, col1):
    """Polygon covering pixel rows row0..row1-1 and columns col0..col1-1."""
    from shapely.geometry import box

    left, top = transform * (col0, row0)
    right, bottom = transform * (col1, row1)
    return box(left, bottom, right, top)


@pytest.fixture
def pixel_box():
    """``pixel_box(transform, row0, col0, row1, col1)``: polygon over those pixels."""
    return _pixel_box


@pytest.fixture
def write_raster(tmp_path):
    """Write a (bands, rows, cols) array as a GeoTIFF and return its path."""
    import rasterio
    from rasterio.transform import from_origin

    def write(data, name="raster.tif", *, crs="EPSG:32633", nodata=None, descriptions=None,
              transform=from_origin(500000.0, 5000000.0, 10.0, 10.0)):
        data = np.asarray(data)
        path = tmp_path / name
        with rasterio.open(path, "w", driver="GTiff", width=data.shape[2], height=data.shape[1],
                           count=data.shape[0], dtype=data.dtype, crs=crs, transform=transform,
                           nodata=nodata) as dst:
            dst.write(data)
            for band, text in enumerate(descriptions or (), 1):
                dst.set_band_description(band, text)
        return str(path)

    return write


@pytest.fixture
def write_vector(tmp_path):
    """Write geometries with attribute columns to a GeoPackage and return its path."""
    import geopandas as gpd

    def write(geometries, name="labels.gpkg", *, crs="EPSG:32633", **columns):
        frame = gpd.GeoDataFrame(dict(columns), geometry=list(geometries), crs=crs)
        path = tmp_path / name
        frame.to_file(path, driver="GPKG")
        return str(path)

    return write


@pytest.fixture
def two_class_scene(write_raster, write_vector):
    """A 4-band 100 x 120 raster: wheat on the left half, fallow on the right, labels per field.

    Returns (raster path, labels path, transform).  Six fields of each class are
    labelled with field ``crop`` (text) and ``code`` (1 wheat, 2 fallow).
    """
    from rasterio.transform import from_origin

    rng = np.random.default_rng(7)
    rows, cols = 100, 120
    data = np.empty((4, rows, cols), dtype=np.float32)
    data[:, :, :60] = np.array(WHEAT)[:, None, None]
    data[:, :, 60:] = np.array(FALLOW)[:, None, None]
    data += rng.normal(0, 60, size=data.shape)
    transform = from_origin(500000.0, 5000000.0, 10.0, 10.0)
    raster = write_raster(data.astype(np.uint16), descriptions=("blue", "green", "red", "nir"),
                          transform=transform)
    boxes, names, codes = [], [], []
    for i, row in enumerate((5, 38, 70)):
        for col0, name, code in ((5, "wheat", 1), (30, "wheat", 1), (65, "fallow", 2),
                                 (92, "fallow", 2)):
            boxes.append(_pixel_box(transform, row, col0, row + 22, col0 + 22))
            names.append(name)
            codes.append(code)
    labels = write_vector(boxes, crop=names, code=codes)
    return raster, labels, transform


@pytest.fixture(scope="session")
def scene(tmp_path_factory):
    """A generated 600 x 500 PlanetScope-like scene (see core.synthetic)."""
    from cropseg.core.synthetic import generate_scene

    return generate_scene(str(tmp_path_factory.mktemp("scene")), width=600, height=500, seed=3)


@pytest.fixture
def planet_metadata():
    """The real metadata XML of the Planet training scene, or skip when it is absent."""
    path = PLANET_DATA / "train_scene_cropped_metadata.xml"
    if not path.exists():
        pytest.skip(f"Planet metadata not available: {path} (../shared/data/planet is absent)")
    return str(path)


@pytest.fixture
def planet_scene(tmp_path):
    """A 4-band DN raster named and placed as a clip of the Planet training scene, and its DNs."""
    import rasterio
    from pyproj import Transformer
    from rasterio.transform import from_origin

    x, y = Transformer.from_crs(4326, 32610, always_xy=True).transform(-121.54, 38.295)
    data = np.random.default_rng(0).integers(1, 12000, size=(4, 40, 50)).astype(np.uint16)
    data[:, :3, :3] = 0
    path = tmp_path / "20160831_180231_0e0e_3B_AnalyticMS_clip.tif"
    with rasterio.open(path, "w", driver="GTiff", width=50, height=40, count=4, dtype="uint16",
                       crs="EPSG:32610", nodata=0, transform=from_origin(x, y, 3.0, 3.0)) as dst:
        dst.write(data)
    return str(path), data


@pytest.fixture
def real_data():
    """``real_data(*parts)``: a path in ../shared/data/real, or skip when it is absent."""

    def path_of(*parts):
        path = REAL_DATA.joinpath(*parts)
        if not path.exists():
            pytest.skip(f"real data not available: {path} (../shared/data/real is absent)")
        return str(path)

    return path_of
