"""Denoise and vectorize: known-answer masks, exact polygons, seams, nodata, attributes, errors."""

import os

import numpy as np
import pytest
import rasterio
from rasterio.features import rasterize
from rasterio.transform import from_origin

from cropseg.core.rasters.class_raster import TAG_CLASSES, TAG_CROP_CLASSES
from cropseg.core.cleanup.denoise_vectorize import POLYGON_LAYER, denoise_vectorize_mask
from cropseg.core.common.errors import Cancelled, InputError
from cropseg.core.common.progress import Feedback

TRANSFORM = from_origin(500000.0, 5000000.0, 10.0, 10.0)  # 10 m pixels: 1 px = 0.01 ha


@pytest.fixture
def class_raster(tmp_path):
    """Write a class raster (values 1 crop, 2 non-crop by default; 255 nodata) with tags."""
    import json

    def write(classes, name="classes.tif", *, crop=(1,), tags=True, dtype="uint8", crs="EPSG:32633"):
        path = str(tmp_path / name)
        with rasterio.open(path, "w", driver="GTiff", width=classes.shape[1],
                           height=classes.shape[0], count=1, dtype=dtype, nodata=255, crs=crs,
                           transform=TRANSFORM) as dst:
            dst.write(classes.astype(dtype), 1)
            if tags:
                table = [{"value": 1, "name": "wheat", "color": "#00ff00", "is_crop": True},
                         {"value": 2, "name": "fallow", "color": "#aa8800", "is_crop": False}]
                dst.update_tags(**{TAG_CLASSES: json.dumps(table),
                                   TAG_CROP_CLASSES: ",".join(map(str, crop))})
        return path

    return write


def _run(tmp_path, classes, **options):
    mask, fields = str(tmp_path / "mask.tif"), str(tmp_path / "fields.gpkg")
    result = denoise_vectorize_mask(classes, mask, fields, **options)
    with rasterio.open(mask) as src:
        cleaned = src.read(1)
    import geopandas as gpd

    return result, cleaned, gpd.read_file(fields, layer=POLYGON_LAYER)


def _rasterized(polygons, shape):
    if len(polygons) == 0:
        return np.zeros(shape, dtype=bool)
    return rasterize([(g, 1) for g in polygons.geometry], out_shape=shape, transform=TRANSFORM,
                     fill=0, dtype="uint8") == 1


def test_speckle_is_removed_and_roads_between_fields_kept(class_raster, tmp_path):
    truth = np.full((80, 90), 2, dtype=np.uint8)
    truth[5:40, 5:42] = 1
    truth[5:40, 44:85] = 1   # a 2-pixel road between the two fields
    truth[45:75, 5:85] = 1
    noisy = truth.copy()
    flipped = 0
    for row in range(2, 78, 4):      # isolated speckles wherever the 3 x 3 neighbourhood is uniform
        for col in range(2, 88, 4):
            if np.all(truth[row - 1:row + 2, col - 1:col + 2] == truth[row, col]):
                noisy[row, col] = 3 - truth[row, col]
                flipped += 1
    assert flipped > 300
    result, cleaned, polygons = _run(tmp_path, class_raster(noisy), median_size=3)
    corners = np.zeros_like(truth, dtype=bool)  # a 3 x 3 median rounds each field corner
    for top, bottom, left, right in ((5, 39, 5, 41), (5, 39, 44, 84), (45, 74, 5, 84)):
        corners[[top, top, bottom, bottom], [left, right, left, right]] = True
    assert np.array_equal(cleaned == 1, (truth == 1) & ~corners)
    assert len(polygons) == 3 and result.polygons == 3


def test_holes_are_kept_or_filled_by_area_and_small_patches_removed(class_raster, tmp_path):
    classes = np.full((100, 100), 2, dtype=np.uint8)
    classes[10:70, 10:70] = 1
    classes[20:30, 20:30] = 2   # farmhouse, 100 px = 1 ha
    classes[50:53, 50:53] = 2   # 9 px = 0.09 ha
    classes[85:87, 85:87] = 1   # crop speck, 4 px = 0.04 ha
    result, cleaned, polygons = _run(tmp_path, class_raster(classes), median_size=0,
                                     min_area_ha=0.1)
    expected = np.zeros((100, 100), bool)
    expected[10:70, 10:70] = True
    expected[20:30, 20:30] = False
    assert np.array_equal(cleaned == 1, expected)
    assert (result.holes_filled, result.patches_removed) == (1, 1)
    assert len(polygons) == 1
    field = polygons.geometry.iloc[0]
    assert field.geom_type == "Polygon" and len(field.interiors) == 1
    assert polygons["area_ha"].iloc[0] == pytest.approx(36.0 - 1.0)
    assert polygons["perimeter_m"].iloc[0] == pytest.approx(4 * 600 + 4 * 100)


def test_hole_touching_nodata_is_not_filled(class_raster, tmp_path):
    classes = np.full((60, 60), 1, dtype=np.uint8)
    classes[20:24, 20:24] = 2       # enclosed: filled
    classes[0:4, 30:34] = 2         # touches the raster edge: kept
    classes[40:44, 40:44] = 2
    classes[44:50, 40:44] = 255     # this one touches nodata: kept
    _, cleaned, _ = _run(tmp_path, class_raster(classes), median_size=0, min_area_ha=0.5)
    assert np.all(cleaned[20:24, 20:24] == 1)
    assert np.all(cleaned[0:4, 30:34] == 0)
    assert np.all(cleaned[40:44, 40:44] == 0)
    assert np.all(cleaned[44:50, 40:44] == 255)


def test_nodata_stays_nodata_and_outside_polygons(class_raster, tmp_path):
    rng = np.random.default_rng(3)
    classes = np.where(rng.random((120, 130)) < 0.6, 1, 2).astype(np.uint8)
    classes[30:60, 30:90] = 255
    _, cleaned, polygons = _run(tmp_path, class_raster(classes), median_size=5, opening=1,
                                closing=1)
    assert np.array_equal(cleaned == 255, classes == 255)
    assert not _rasterized(polygons, classes.shape)[classes == 255].any()


def test_polygons_match_pixels_and_are_valid(class_raster, tmp_path):
    rng = np.random.default_rng(4)
    classes = np.where(rng.random((150, 170)) < 0.5, 1, 2).astype(np.uint8)
    classes[::17, :] = 255
    _, cleaned, polygons = _run(tmp_path, class_raster(classes), median_size=3)
    assert len(polygons) > 20
    assert polygons.is_valid.all()
    assert set(polygons.geom_type) == {"Polygon"}
    assert np.array_equal(_rasterized(polygons, cleaned.shape), cleaned == 1)
    assert polygons["area_ha"].sum() == pytest.approx((cleaned == 1).sum() * 0.01)
    assert list(polygons["id"]) == list(range(1, len(polygons) + 1))
    assert set(polygons["class_name"]) == {"crop"} and set(polygons["class_value"]) == {1}


def test_blocks_leave_no_seams(class_raster, tmp_path):
    rng = np.random.default_rng(5)
    size = (1300, 1500)
    coarse = rng.random((size[0] // 50 + 1, size[1] // 50 + 1)) < 0.5
    classes = np.where(np.kron(coarse, np.ones((50, 50), bool))[:size[0], :size[1]], 1, 2)
    classes = np.where(rng.random(size) < 0.1, 3 - classes, classes).astype(np.uint8)
    path = class_raster(classes)
    runs = {}
    for memory in (64, 4096):
        folder = tmp_path / str(memory)
        folder.mkdir()
        runs[memory] = _run(folder, path, median_size=5, opening=1, closing=2, min_area_ha=0.3,
                            memory_mb=memory)
    (_, small_mask, small_polygons), (_, whole_mask, whole_polygons) = runs[64], runs[4096]
    assert np.array_equal(small_mask, whole_mask)
    assert sorted(g.wkb_hex for g in small_polygons.geometry.normalize()) == \
        sorted(g.wkb_hex for g in whole_polygons.geometry.normalize())
    assert np.array_equal(_rasterized(small_polygons, size), small_mask == 1)


def test_simplify_keeps_polygons_valid_without_overlaps(class_raster, tmp_path):
    from shapely.ops import unary_union

    rng = np.random.default_rng(8)
    coarse = rng.random((12, 14)) < 0.5
    classes = np.where(np.kron(coarse, np.ones((10, 10), bool)), 1, 2)
    classes = np.where(rng.random(classes.shape) < 0.15, 3 - classes, classes).astype(np.uint8)
    path = class_raster(classes)
    exact = _run(tmp_path, path, median_size=3)[2]
    (tmp_path / "s").mkdir()
    simple = _run(tmp_path / "s", path, median_size=3, simplify=15.0)[2]
    assert len(simple) == len(exact) and simple.is_valid.all()
    assert sum(len(g.exterior.coords) for g in simple.geometry) < \
        0.7 * sum(len(g.exterior.coords) for g in exact.geometry)
    assert unary_union(list(simple.geometry)).area == pytest.approx(simple.geometry.area.sum())
    assert simple["area_ha"].sum() == pytest.approx(exact["area_ha"].sum(), rel=0.05)


def test_simplified_shared_edges_stay_shared():
    from shapely.geometry import box
    from shapely.ops import unary_union

    from cropseg.core.cleanup.vectorize import simplify_shared

    stairs = unary_union([box(i, 0, i + 1, 10 + i) for i in range(10)])
    above = unary_union([box(i, 10 + i, i + 1, 30) for i in range(10)]).difference(
        box(3, 22, 6, 25))
    new = simplify_shared([stairs, above], 1.5)
    assert all(g.is_valid for g in new)
    assert new[0].intersection(new[1]).area == 0
    assert unary_union(new).area == pytest.approx(unary_union([stairs, above]).area)
    assert len(new[1].interiors) == 1
    assert len(new[0].exterior.coords) < len(stairs.exterior.coords)


def _three_classes(class_raster, classes, name="three.tif"):
    import json

    path = class_raster(classes, name=name, crop=(1, 2))
    with rasterio.open(path, "r+") as dst:
        table = json.loads(dst.tags()[TAG_CLASSES]) + [
            {"value": 3, "name": "woodland", "color": "#005500", "is_crop": False}]
        dst.update_tags(**{TAG_CLASSES: json.dumps(table)})
    return path


def test_keep_all_classes_sieves_small_patches_into_their_main_neighbour(class_raster,
                                                                         tmp_path):
    classes = np.full((60, 80), 1, dtype=np.uint8)
    classes[:, 40:] = 2
    classes[:20, 60:] = 3
    classes[30:33, 10:13] = 3   # 9 px inside wheat: becomes wheat
    classes[45:48, 39:44] = 3   # 15 px on the wheat/fallow line: 5 px of border wheat, 11 fallow
    classes[50:60, 0:5] = 255
    result, cleaned, polygons = _run(tmp_path, _three_classes(class_raster, classes),
                                     keep_classes="all", median_size=0, min_area_ha=0.2)
    expected = classes.copy()
    expected[30:33, 10:13] = 1
    expected[45:48, 39:44] = 2
    assert np.array_equal(cleaned, expected)
    assert result.patches_removed == 2
    assert sorted(polygons["class_name"]) == ["fallow", "wheat", "woodland"]
    assert polygons.set_index("class_name")["class_value"].to_dict() == \
        {"wheat": 1, "fallow": 2, "woodland": 3}


def test_keep_all_classes_borders_are_shared_even_when_simplified(class_raster, tmp_path):
    from shapely.ops import unary_union

    rng = np.random.default_rng(9)
    coarse = rng.integers(1, 4, size=(9, 11))
    classes = np.kron(coarse, np.ones((12, 12), dtype=np.uint8)).astype(np.uint8)
    classes = np.where(rng.random(classes.shape) < 0.1, rng.integers(1, 4, classes.shape),
                       classes).astype(np.uint8)
    path = _three_classes(class_raster, classes)
    for tolerance in (0.0, 25.0):
        folder = tmp_path / str(tolerance)
        folder.mkdir()
        _, cleaned, polygons = _run(folder, path, keep_classes="all", median_size=3,
                                    min_area_ha=0.05, simplify=tolerance)
        assert polygons.is_valid.all()
        union = unary_union(list(polygons.geometry))
        assert union.area == pytest.approx(polygons.geometry.area.sum())   # no overlaps
        assert union.area == pytest.approx(cleaned.size * 100.0)            # no gaps
        if tolerance == 0:
            for value in (1, 2, 3):
                shapes = polygons[polygons["class_value"] == value]
                assert np.array_equal(_rasterized(shapes, cleaned.shape), cleaned == value)


def test_keep_all_classes_without_seams(class_raster, tmp_path):
    rng = np.random.default_rng(10)
    coarse = rng.integers(1, 4, size=(27, 31))
    classes = np.kron(coarse, np.ones((50, 50), dtype=np.uint8))[:1300, :1500]
    classes = np.where(rng.random(classes.shape) < 0.08, rng.integers(1, 4, classes.shape),
                       classes).astype(np.uint8)
    path = _three_classes(class_raster, classes)
    runs = {}
    for memory in (64, 4096):
        folder = tmp_path / str(memory)
        folder.mkdir()
        runs[memory] = _run(folder, path, keep_classes="all", median_size=5, min_area_ha=0.3,
                            memory_mb=memory)
    assert np.array_equal(runs[64][1], runs[4096][1])
    assert sorted(g.wkb_hex for g in runs[64][2].geometry.normalize()) == \
        sorted(g.wkb_hex for g in runs[4096][2].geometry.normalize())


def test_mean_confidence_and_crs(class_raster, tmp_path):
    classes = np.full((50, 60), 2, dtype=np.uint8)
    classes[5:20, 5:25] = 1
    classes[30:45, 30:55] = 1
    confidence = np.full((50, 60), 0.5, dtype=np.float32)
    confidence[5:20, 5:25] = 0.9
    confidence[30:45, 30:55] = 0.7
    confidence[30:45, 30:35] = -1   # nodata: left out of the mean
    conf_path = str(tmp_path / "conf.tif")
    with rasterio.open(conf_path, "w", driver="GTiff", width=60, height=50, count=1,
                       dtype="float32", nodata=-1, crs="EPSG:32633", transform=TRANSFORM) as dst:
        dst.write(confidence, 1)
    _, _, polygons = _run(tmp_path, class_raster(classes), confidence_path=conf_path)
    assert polygons.crs.to_epsg() == 32633
    by_area = polygons.sort_values("area_ha")
    assert list(by_area["mean_confidence"]) == pytest.approx([0.9, 0.7])


def test_crop_classes_by_name_override_the_tags(class_raster, tmp_path):
    classes = np.full((40, 40), 1, dtype=np.uint8)
    classes[:, 20:] = 2
    _, cleaned, _ = _run(tmp_path, class_raster(classes), crop_classes=["fallow"])
    assert np.all(cleaned[:, 22:] == 1) and np.all(cleaned[:, :18] == 0)


def test_cancel_leaves_no_output(class_raster, tmp_path):
    classes = np.where(np.random.default_rng(6).random((300, 300)) < 0.5, 1, 2)
    path = class_raster(classes.astype(np.uint8))
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(Cancelled):
        denoise_vectorize_mask(path, str(out / "m.tif"), str(out / "f.gpkg"),
                               feedback=Feedback(is_cancelled=lambda: True))
    assert os.listdir(out) == []


@pytest.mark.parametrize("case, message", [
    ("float", "must be an integer class raster"),
    ("unknown", "'maize' is not a class of the raster"),
    ("nocrs", "has no coordinate reference system"),
    ("untagged", "the class raster names no crop classes"),
    ("even", "MEDIAN_SIZE must be an odd number"),
    ("huge", "MEDIAN_SIZE can be at most 255 pixels"),
    ("simplify", "SIMPLIFY cannot be negative"),
    ("all-with-crop", "CROP_CLASSES must be empty when KEEP_CLASSES is all"),
    ("all-with-opening", "OPENING and CLOSING work on the crop mask"),
])
def test_bad_inputs(class_raster, tmp_path, case, message):
    classes = np.ones((20, 20), dtype=np.uint8)
    options = {}
    if case == "float":
        path = class_raster(classes, dtype="float32")
    elif case == "nocrs":
        path = class_raster(classes, crs=None)
    elif case == "untagged":
        path = class_raster(classes, tags=False)
    else:
        path = class_raster(classes)
        options = {"unknown": {"crop_classes": ["maize"]}, "even": {"median_size": 4},
                   "huge": {"median_size": 257},
                   "simplify": {"simplify": -1.0},
                   "all-with-crop": {"keep_classes": "all", "crop_classes": ["wheat"]},
                   "all-with-opening": {"keep_classes": "all", "opening": 1}}[case]
    with pytest.raises(InputError, match=message):
        denoise_vectorize_mask(path, str(tmp_path / "m.tif"), str(tmp_path / "f.gpkg"),
                               **options)
    assert not (tmp_path / "m.tif").exists() and not (tmp_path / "f.gpkg").exists()


def _whole_raster_clean_up(classes, crop_values, median_size, min_pixels):
    """The crop mask of the documented rules applied to a whole array at once, the plain
    path the block-wise clean-up must match: majority over valid pixels (a tie keeps the
    pixel), then crop patches under ``min_pixels`` removed, then enclosed holes under
    ``min_pixels`` filled."""
    import cv2
    from numpy.lib.stride_tricks import sliding_window_view

    valid = classes != 255
    mask = np.where(valid, np.isin(classes, crop_values), 255).astype(np.uint8)
    if median_size > 1:
        pad = median_size // 2
        around = sliding_window_view(np.pad(mask, pad, constant_values=255),
                                     (median_size, median_size))
        crop, other = (around == 1).sum(axis=(2, 3)), (around == 0).sum(axis=(2, 3))
        mask = np.where(valid & (crop > other), 1, np.where(valid & (other > crop), 0, mask))
    for value, enclosed_only in ((1, False), (0, True)):
        count, labels, stats, _ = cv2.connectedComponentsWithStats(
            (mask == value).astype(np.uint8), connectivity=4)
        change = stats[:, cv2.CC_STAT_AREA] < min_pixels
        change[0] = False
        if enclosed_only:
            edge = np.pad(mask == 255, 1, constant_values=True)
            near = edge[:-2, 1:-1] | edge[2:, 1:-1] | edge[1:-1, :-2] | edge[1:-1, 2:]
            change[np.unique(labels[near & (labels > 0)])] = False
        mask = np.where(change[labels], 1 - value, mask).astype(np.uint8)
    return mask


def _assert_clean_up_is_the_whole_raster_one(path, folder, crop_values, median_size,
                                             min_area_ha, memory_mb):
    from rasterio.features import shapes
    from shapely.geometry import shape

    result = denoise_vectorize_mask(path, str(folder / "mask.tif"), str(folder / "f.gpkg"),
                                    crop_classes=[str(v) for v in crop_values],
                                    median_size=median_size, min_area_ha=min_area_ha,
                                    memory_mb=memory_mb)
    import geopandas as gpd

    with rasterio.open(path) as src, rasterio.open(folder / "mask.tif") as out:
        classes, transform, cleaned = src.read(1), src.transform, out.read(1)
        min_pixels = int(np.ceil(min_area_ha * 10_000 / abs(transform.a * transform.e)))
    expected = _whole_raster_clean_up(classes, crop_values, median_size, min_pixels)
    assert np.array_equal(cleaned, expected)
    # GDAL's polygons of the whole expected mask, traced in one piece.
    whole = sorted(shape(g).normalize().wkb_hex for g, _ in
                   shapes(expected, mask=expected == 1, connectivity=4, transform=transform))
    polygons = gpd.read_file(folder / "f.gpkg", layer=POLYGON_LAYER)
    assert sorted(g.wkb_hex for g in polygons.geometry.normalize()) == whole
    assert result.polygons == len(whole) > 20
    assert result.patches_removed > 0 and result.holes_filled > 0


@pytest.mark.parametrize("median_size", [0, 5])
def test_block_wise_clean_up_is_the_whole_raster_one(median_size, tmp_path):
    from cropseg.devkit.synthetic import generate_class_raster

    path = str(tmp_path / "classes.tif")
    generate_class_raster(path, width=1500, height=1300, pixel_size=3.0)
    # 64 MB: blocks of 1024 px, so fields, patches and holes cross block edges.
    _assert_clean_up_is_the_whole_raster_one(path, tmp_path, [1], median_size, 0.5, 64)


def test_real_classes_clean_up_is_the_whole_raster_one(real_data, tmp_path):
    from cropseg.core.learn.train import train_classifier
    from cropseg.core.mapping.classify import classify_raster

    raster = real_data("rstoolbox_amazon/landsat5_tm/LT52240631988227CUB02_stack_B1-B7.tif")
    labels = real_data("rstoolbox_amazon/landsat5_tm/trainingPolygons_lsat.gpkg")
    bundle = train_classifier(raster, labels, label_field="class", tune=False,
                              feature_search=False, max_samples_per_class=2000).bundle
    classes = str(tmp_path / "classes.tif")
    classify_raster(raster, bundle, classes)
    forest = [c.value for c in bundle.classes if c.name == "forest"]
    # 0.5 ha is 5.6 Landsat pixels: small clearings and forest patches change.
    _assert_clean_up_is_the_whole_raster_one(classes, tmp_path, forest, 3, 0.5, 64)
