"""PlanetScope reflectance from the real scene metadata files, UDM2 masks, refusals."""

import re

import numpy as np
import pytest
import rasterio
from rasterio.transform import from_origin

from cropseg.core.common.errors import InputError
from cropseg.core.planet.metadata import read_scene_metadata
from cropseg.core.planet.reflectance import NODATA, to_reflectance

TRAIN_SCENE = "20160831_180231_0e0e"
TEST_SCENE = "20160831_180257_0e26"


@pytest.fixture
def metadata(planet_metadata):
    return planet_metadata


@pytest.fixture
def scene_raster(tmp_path):
    """Write a DN raster (bands, rows, cols) inside the training scene's footprint."""
    from pyproj import Transformer

    x, y = Transformer.from_crs(4326, 32610, always_xy=True).transform(-121.54, 38.295)

    def write(data, name=f"{TRAIN_SCENE}_3B_AnalyticMS_clip.tif", *, origin=(x, y),
              dtype="uint16", nodata=0):
        path = str(tmp_path / name)
        with rasterio.open(path, "w", driver="GTiff", width=data.shape[2], height=data.shape[1],
                           count=data.shape[0], dtype=dtype, crs="EPSG:32610", nodata=nodata,
                           transform=from_origin(origin[0], origin[1], 3.0, 3.0)) as dst:
            dst.write(data.astype(dtype))
        return path

    return write


def _dn(bands=4, rows=40, cols=50, seed=0):
    data = np.random.default_rng(seed).integers(1, 12000, size=(bands, rows, cols))
    data[:, :3, :3] = 0  # nodata corner
    return data


def test_every_coefficient_is_read_exactly(metadata):
    text = open(metadata, encoding="utf-8").read()
    expected = tuple(float(v) for v in re.findall(r"<ps:reflectanceCoefficient>([^<]+)<", text))
    parsed = read_scene_metadata(metadata)
    assert parsed.reflectance_coefficients == expected and len(expected) == 4
    assert parsed.scene_id == TRAIN_SCENE and parsed.band_count == 4
    assert parsed.radiometric_scale_factors == (0.01,) * 4
    assert parsed.sun_elevation == pytest.approx(49.13498)


def test_radiance_dn_to_reflectance_pixel_for_pixel(metadata, scene_raster, tmp_path):
    dn = _dn()
    out = str(tmp_path / "refl.tif")
    result = to_reflectance(scene_raster(dn), out, metadata_path=metadata)
    coefficients = np.array(read_scene_metadata(metadata).reflectance_coefficients)
    with rasterio.open(out) as src:
        reflectance = src.read()
        assert src.descriptions == ("blue", "green", "red", "nir")
        assert src.nodata == NODATA and src.dtypes[0] == "float32"
    expected = (dn * coefficients[:, None, None]).astype(np.float32)
    valid = np.all(dn > 0, axis=0)
    assert np.array_equal(reflectance[:, valid], expected[:, valid])
    assert np.all(reflectance[:, ~valid] == NODATA)
    assert result.product == "radiance" and result.valid_pixels == valid.sum()


def test_surface_reflectance_is_scaled_by_10000(scene_raster, tmp_path):
    dn = _dn()
    out = str(tmp_path / "sr.tif")
    to_reflectance(scene_raster(dn, name=f"{TRAIN_SCENE}_3B_AnalyticMS_SR_clip.tif"), out)
    with rasterio.open(out) as src:
        reflectance = src.read()
    valid = np.all(dn > 0, axis=0)
    assert np.array_equal(reflectance[:, valid], (dn / 10000.0).astype(np.float32)[:, valid])


def test_udm2_classes_become_nodata(metadata, scene_raster, tmp_path):
    dn = _dn()
    raster = scene_raster(dn)
    udm2 = np.zeros((8, 40, 50), dtype=np.uint8)
    udm2[0] = 1                       # clear...
    udm2[5, 10:20, 10:20] = 1         # ...except a cloud
    udm2[0, 10:20, 10:20] = 0
    udm2[3, 30:35, 30:40] = 1         # light haze, still marked clear
    udm2_path = scene_raster(udm2, name=f"{TRAIN_SCENE}_3B_udm2_clip.tif", dtype="uint8",
                             nodata=None)
    everything = str(tmp_path / "all.tif")
    result = to_reflectance(raster, everything, metadata_path=metadata, udm2_path=udm2_path)
    only_cloud = str(tmp_path / "cloud.tif")
    to_reflectance(raster, only_cloud, metadata_path=metadata, udm2_path=udm2_path,
                   mask_classes=["cloud"])
    with rasterio.open(everything) as a, rasterio.open(only_cloud) as b:
        all_masked, cloud_masked = a.read(1) == NODATA, b.read(1) == NODATA
    assert np.all(all_masked[10:20, 10:20]) and np.all(all_masked[30:35, 30:40])
    assert np.all(cloud_masked[10:20, 10:20]) and not np.any(cloud_masked[30:35, 30:40])
    assert result.masked_pixels == 100 + 50


@pytest.mark.parametrize("case, message", [
    ("other scene", f"METADATA is for scene {TRAIN_SCENE} but INPUT_RASTER is scene {TEST_SCENE}"),
    ("elsewhere", "whose footprint does not overlap INPUT_RASTER"),
    ("band count", "describes a 4-band product but INPUT_RASTER has 8 bands"),
    ("no metadata", "radiance products need the scene's metadata XML"),
    ("bad class", "unknown class\\(es\\) rain"),
])
def test_refusals(metadata, scene_raster, tmp_path, case, message):
    options = {"metadata_path": metadata}
    if case == "other scene":
        raster = scene_raster(_dn(), name=f"{TEST_SCENE}_3B_AnalyticMS_clip.tif")
    elif case == "elsewhere":
        raster = scene_raster(_dn(), name="renamed.tif", origin=(200000.0, 1000000.0))
    elif case == "band count":
        raster = scene_raster(_dn(bands=8))
    else:
        raster = scene_raster(_dn())
        options = {} if case == "no metadata" else {"metadata_path": metadata,
                                                    "mask_classes": ["rain"]}
    with pytest.raises(InputError, match=message):
        to_reflectance(raster, str(tmp_path / "out.tif"), **options)
    assert not (tmp_path / "out.tif").exists()


def test_xml_entities_are_refused(tmp_path):
    bomb = tmp_path / "bomb_metadata.xml"
    bomb.write_text('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
                    '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
                    '<root>&lol2;</root>')
    with pytest.raises(InputError, match="declares XML entities; it was refused as unsafe"):
        read_scene_metadata(str(bomb))


@pytest.mark.parametrize("value", ["nan", "-1e309", "1e309", "0", "-2.1e-05"])
def test_impossible_coefficients_are_refused(metadata, tmp_path, value):
    text = open(metadata, encoding="utf-8").read()
    edited = tmp_path / "edited_metadata.xml"
    edited.write_text(re.sub(r"(<ps:reflectanceCoefficient>)[^<]*", rf"\g<1>{value}", text,
                             count=1), encoding="utf-8")
    with pytest.raises(InputError, match="^METADATA: .* has an impossible "
                                         r"reflectanceCoefficient \("):
        read_scene_metadata(str(edited))
