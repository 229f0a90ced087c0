"""The generated scene: deterministic, block-wise, with labels that match its pixels."""

import numpy as np
import rasterio

from cropseg.devkit.synthetic import COVERS, generate_scene


def test_same_seed_same_scene_and_labels_match_covers(tmp_path):
    import geopandas as gpd

    a = generate_scene(str(tmp_path / "a"), width=700, height=300, seed=5)
    b = generate_scene(str(tmp_path / "b"), width=700, height=300, seed=5)
    with rasterio.open(a.raster) as first, rasterio.open(b.raster) as second:
        assert np.array_equal(first.read(), second.read())
        assert first.descriptions == ("blue", "green", "red", "nir")
        assert first.nodata == 0
        data = first.read()
    assert np.any(np.all(data == 0, axis=0))  # the nodata corner
    parcels = gpd.read_file(a.all_parcels)
    assert set(parcels["crop_type"]) <= {c[0] for c in COVERS}
    crop = gpd.read_file(a.train_labels)
    assert set(crop["is_crop"]) == {1} and set(crop["split"]) == {"train"}
    reference = gpd.read_file(a.reference)
    assert set(reference["split"]) == {"test"}


def test_crop_fields_are_greener_than_bare_soil(tmp_path):
    import geopandas as gpd
    from rasterio.mask import mask

    files = generate_scene(str(tmp_path), width=500, height=500, seed=9)
    parcels = gpd.read_file(files.all_parcels)
    ndvi = {}
    with rasterio.open(files.raster) as src:
        for cover in ("maize", "bare soil"):
            shapes = parcels[parcels["crop_type"] == cover].geometry
            values, _ = mask(src, shapes, crop=True, filled=False)
            red, nir = values[2].compressed().astype(float), values[3].compressed().astype(float)
            ndvi[cover] = np.median((nir - red) / (nir + red))
    assert ndvi["maize"] > ndvi["bare soil"] + 0.2
