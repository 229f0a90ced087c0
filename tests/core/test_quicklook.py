"""The PNG quicklook: natural colour from named bands, polygons outlined where they lie."""

import numpy as np
from matplotlib.colors import to_rgb
from PIL import Image
from rasterio.transform import from_origin
from shapely.geometry import box

from cropseg.devkit.quicklook import OUTLINE, write_quicklook


def test_quicklook_draws_the_image_and_the_outlines(write_raster, write_vector, tmp_path):
    data = np.full((4, 200, 300), 500, dtype=np.uint16)
    data[2, :, :150] = 3000            # red band bright on the left,
    data[1, :, 150:] = 3000            # green band bright on the right
    raster = write_raster(data, descriptions=("blue", "green", "red", "nir"),
                          transform=from_origin(500000.0, 5000000.0, 10.0, 10.0))
    field = box(500500.0, 4999000.0, 501500.0, 4999500.0)   # columns 50..150, rows 50..100
    polygons = write_vector([field], name="fields.gpkg", value=[1])
    out = write_quicklook(raster, polygons, str(tmp_path / "look.png"), max_side=150)
    pixels = np.asarray(Image.open(out).convert("RGB")).astype(int)
    height, width, _ = pixels.shape
    assert abs(width / height - 1.5) < 0.02
    outline = np.all(np.abs(pixels - np.array(to_rgb(OUTLINE)) * 255) < 40, axis=2)
    rows, cols = np.nonzero(outline)
    assert outline.sum() > 100
    # The outline lies on the field's edges, in the same place of the picture as on the map.
    assert abs(cols.min() / width - 50 / 300) < 0.02 and abs(cols.max() / width - 150 / 300) < 0.02
    assert abs(rows.min() / height - 50 / 200) < 0.02
    assert abs(rows.max() / height - 100 / 200) < 0.02
    left, right = pixels[int(0.8 * height), int(0.1 * width)], pixels[int(0.8 * height),
                                                                       int(0.9 * width)]
    assert left[0] > 200 and left[1] < 60 and right[1] > 200 and right[0] < 60
