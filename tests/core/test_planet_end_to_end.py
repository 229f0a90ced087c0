"""From search to reflectance: search, order, download and convert, as a user chains them."""

import os

import numpy as np
import rasterio
from shapely.geometry import box, mapping

from cropseg.core.planet.api import connect
from cropseg.core.planet.search import search_scenes, write_footprints
from cropseg.core.planet.metadata import read_scene_metadata
from cropseg.core.planet.order import order_scenes
from cropseg.core.planet.reflectance import NODATA, to_reflectance

SCENE = "20160831_180231_0e0e"


def test_search_order_download_and_convert(fake_planet, planet_scene, planet_metadata,
                                           tmp_path):
    raster, dn = planet_scene
    with rasterio.open(raster) as src:
        profile = src.profile
    udm2 = np.zeros((8,) + dn.shape[1:], dtype=np.uint8)
    udm2[0] = 1
    udm2[0, 20:30, 20:30], udm2[5, 20:30, 20:30] = 0, 1   # a cloud
    udm2_path = str(tmp_path / "udm2.tif")
    with rasterio.open(udm2_path, "w", **{**profile, "count": 8, "dtype": "uint8",
                                           "nodata": None}) as dst:
        dst.write(udm2)
    metadata = read_scene_metadata(planet_metadata)
    fake_planet.items = [{"id": SCENE, "type": "Feature",
                          "geometry": mapping(metadata.footprint),
                          "properties": {"acquired": "2016-08-31T18:02:31Z", "cloud_cover": 0.0,
                                         "clear_percent": 100, "sun_elevation": 49.1,
                                         "instrument": "PS2"}}]
    fake_planet.files = {
        f"{SCENE}_3B_AnalyticMS_clip.tif": open(raster, "rb").read(),
        f"{SCENE}_3B_AnalyticMS_metadata_clip.xml": open(planet_metadata, "rb").read(),
        f"{SCENE}_3B_udm2_clip.tif": open(udm2_path, "rb").read()}

    connection = connect()
    aoi = box(-121.56, 38.28, -121.52, 38.31)
    found = search_scenes(aoi, "2016-08-01", "2016-09-30", connection=connection)
    write_footprints(found, aoi, str(tmp_path / "scenes.gpkg"))
    order = order_scenes([item["id"] for item in found], str(tmp_path / "planet"),
                         connection=connection, bundle="analytic_udm2", aoi=aoi,
                         poll_seconds=0.01)
    files = {os.path.basename(p): p for p in order.files}
    assert sorted(files) == sorted(fake_planet.files)
    request = fake_planet.orders[order.order_id]["request"]
    assert request["tools"][0]["clip"]["aoi"]["type"] == "Polygon"

    out = str(tmp_path / "reflectance.tif")
    to_reflectance(files[f"{SCENE}_3B_AnalyticMS_clip.tif"], out,
                   metadata_path=files[f"{SCENE}_3B_AnalyticMS_metadata_clip.xml"],
                   udm2_path=files[f"{SCENE}_3B_udm2_clip.tif"])
    with rasterio.open(out) as src:
        reflectance = src.read()
    coefficients = np.array(metadata.reflectance_coefficients)[:, None, None]
    valid = np.all(dn > 0, axis=0)
    valid[20:30, 20:30] = False
    assert np.array_equal(reflectance[:, valid], (dn * coefficients).astype(np.float32)[:, valid])
    assert np.all(reflectance[:, 20:30, 20:30] == NODATA)
