"""Labelled pixels: rasterising, edge buffer, nodata, caps, seeds and groups."""

import numpy as np
import pytest

from cropseg.core.common.errors import InputError
from cropseg.core.model.features import FeatureRecipe
from cropseg.core.rasters.labels import read_labels
from cropseg.core.rasters.access import read_raster_info
from cropseg.core.learn.sampling import collect_samples
from cropseg.core.rasters.stack import open_stack
from cropseg.core.learn.validation import make_folds


def _samples(raster, labels, **options):
    info = read_raster_info(raster)
    label_options = {k: options.pop(k) for k in ("label_field", "aoi_path") if k in options}
    parsed = read_labels(labels, info, **label_options)
    recipe = FeatureRecipe(tuple(range(1, info.count + 1)), info.band_names)
    return collect_samples(open_stack(raster), parsed, recipe, **options)


def _flat_raster(write_raster, rows=40, cols=40, value=100):
    return write_raster(np.full((2, rows, cols), value, dtype=np.uint16))


def test_crop_mode_edge_buffer_drops_border_pixels_both_sides(write_raster, write_vector,
                                                               pixel_box):
    raster = _flat_raster(write_raster)
    info = read_raster_info(raster)
    labels = write_vector([pixel_box(info.transform, 10, 10, 30, 30)])
    buffered = _samples(raster, labels, edge_buffer=1, max_per_class=10000)
    assert buffered.labelled_pixels == {1: 18 * 18, 0: 40 * 40 - 22 * 22}
    exact = _samples(raster, labels, edge_buffer=0, max_per_class=10000)
    assert exact.labelled_pixels == {1: 20 * 20, 0: 40 * 40 - 20 * 20}
    inside = (exact.rows >= 10) & (exact.rows < 30) & (exact.cols >= 10) & (exact.cols < 30)
    assert np.array_equal(exact.y == 1, inside)


def test_edge_buffer_narrows_for_small_polygons_instead_of_erasing_them(write_raster,
                                                                       write_vector, pixel_box):
    raster = _flat_raster(write_raster, rows=60, cols=60)
    info = read_raster_info(raster)
    boxes = {"large": (5, 5, 25, 25), "small": (40, 5, 44, 9), "thin": (40, 20, 42, 40),
             "tiny": (50, 50, 55, 55)}
    labels = write_vector([pixel_box(info.transform, *b) for b in boxes.values()],
                          kind=list(boxes))
    samples = _samples(raster, labels, label_field="kind", edge_buffer=2, max_per_class=10000)
    # Text classes are numbered in sorted order: large 1, small 2, thin 3, tiny 4.
    assert samples.labelled_pixels == {
        1: 16 * 16,     # buffer 2 kept
        2: 4 * 4,       # 4 x 4: buffer 2 or 1 would leave 0 or 4 pixels; none
        3: 2 * 20,      # two pixels wide: none
        4: 5 * 5}       # 5 x 5: buffer 1 would leave 9 pixels, fewer than 10; none
    assert samples.narrowed_buffers == 3
    wide = _samples(raster, labels, label_field="kind", edge_buffer=1, max_per_class=10000)
    assert wide.labelled_pixels[1] == 18 * 18 and wide.narrowed_buffers == 3


def test_class_balance_as_labelled_or_balanced(write_raster, write_vector, pixel_box):
    raster = _flat_raster(write_raster, rows=80, cols=80)
    info = read_raster_info(raster)
    labels = write_vector([pixel_box(info.transform, 0, 0, 60, 60),
                           pixel_box(info.transform, 70, 70, 75, 78)], kind=["big", "small"])
    options = {"label_field": "kind", "edge_buffer": 0, "max_per_class": 500, "seed": 2}
    as_labelled = _samples(raster, labels, balance="proportional", **options)
    counts = dict(zip(*np.unique(as_labelled.y, return_counts=True)))
    # 1000 pixels in all, in proportion (3600 : 40 would give the small class 11): the small
    # class keeps its floor of 5% of 500.
    assert counts[2] == 25 and 950 < counts[1] < 1000
    weights = as_labelled.class_weights()
    assert np.allclose(weights[as_labelled.y == 1], 3600 / counts[1])
    assert np.allclose(weights[as_labelled.y == 2], 40 / 25)
    balanced = _samples(raster, labels, balance="balanced", **options)
    assert dict(zip(*np.unique(balanced.y, return_counts=True))) == {1: 500, 2: 40}


def test_aoi_limits_background_pixels(write_raster, write_vector, pixel_box):
    raster = _flat_raster(write_raster)
    info = read_raster_info(raster)
    labels = write_vector([pixel_box(info.transform, 2, 2, 12, 12)])
    aoi = write_vector([pixel_box(info.transform, 0, 0, 20, 20)], name="aoi.gpkg")
    samples = _samples(raster, labels, aoi_path=aoi, edge_buffer=0, max_per_class=10000)
    assert samples.labelled_pixels == {1: 100, 0: 400 - 100}
    assert samples.rows.max() < 20 and samples.cols.max() < 20


def test_nodata_pixels_are_never_sampled(write_raster, write_vector, pixel_box):
    data = np.full((2, 40, 40), 100, dtype=np.uint16)
    data[1, 15:20, 15:20] = 0  # nodata in one band only
    raster = write_raster(data, nodata=0)
    info = read_raster_info(raster)
    labels = write_vector([pixel_box(info.transform, 10, 10, 30, 30)])
    samples = _samples(raster, labels, edge_buffer=0, max_per_class=10000)
    assert samples.labelled_pixels[1] == 400 - 25
    assert not np.any((samples.rows >= 15) & (samples.rows < 20) & (samples.cols >= 15)
                      & (samples.cols < 20))


def test_points_are_labels_without_edge_buffer(write_raster, write_vector):
    from shapely.geometry import Point

    data = np.full((2, 40, 40), 100, dtype=np.uint16)
    raster = write_raster(data)
    info = read_raster_info(raster)
    cells = [(5, c) for c in range(5, 17)] + [(30, c) for c in range(20, 32)]
    points = [Point(*(info.transform * (c + 0.5, r + 0.5))) for r, c in cells]
    classes = ["a"] * 12 + ["b"] * 12
    samples = _samples(raster, write_vector(points, kind=classes), label_field="kind",
                       edge_buffer=3, max_per_class=100)
    assert samples.labelled_pixels == {1: 12, 2: 12}
    assert set(zip(samples.rows.tolist(), samples.cols.tolist())) == set(cells)


def test_cap_is_balanced_seeded_and_exact(two_class_scene):
    raster, labels, _ = two_class_scene
    first = _samples(raster, labels, label_field="crop", max_per_class=150, seed=1)
    again = _samples(raster, labels, label_field="crop", max_per_class=150, seed=1)
    other = _samples(raster, labels, label_field="crop", max_per_class=150, seed=2)
    assert np.bincount(first.y).tolist()[1:] == [150, 150]
    assert np.array_equal(first.X, again.X) and np.array_equal(first.rows, again.rows)
    assert not np.array_equal(first.rows, other.rows)
    assert len(set(zip(first.rows.tolist(), first.cols.tolist()))) == 300  # no duplicates


def test_cap_does_not_depend_on_block_size(two_class_scene):
    raster, labels, _ = two_class_scene
    small = _samples(raster, labels, label_field="crop", max_per_class=10000, memory_mb=1)
    large = _samples(raster, labels, label_field="crop", max_per_class=10000, memory_mb=512)
    assert small.labelled_pixels == large.labelled_pixels
    assert set(zip(small.rows.tolist(), small.cols.tolist())) == \
        set(zip(large.rows.tolist(), large.cols.tolist()))


def test_labels_in_another_crs_are_reprojected_and_clipped(write_raster, write_vector,
                                                            pixel_box):
    import geopandas as gpd

    raster = _flat_raster(write_raster)
    info = read_raster_info(raster)
    inside = pixel_box(info.transform, 10, 10, 30, 30)
    half_out = pixel_box(info.transform, 30, 30, 50, 50)  # 10 x 10 px inside the raster
    native = write_vector([inside, half_out], name="native.gpkg", kind=["a", "b"])
    geographic = str(native).replace("native", "geographic")
    gpd.read_file(native).to_crs("EPSG:4326").to_file(geographic, driver="GPKG")
    a = _samples(raster, native, label_field="kind", edge_buffer=0, max_per_class=10000)
    b = _samples(raster, geographic, label_field="kind", edge_buffer=0, max_per_class=10000)
    assert a.labelled_pixels == {1: 400, 2: 100}
    assert b.labelled_pixels == a.labelled_pixels


def test_grouped_folds_never_share_a_feature(scene):
    from cropseg.core.rasters.labels import read_labels

    info = read_raster_info(scene.raster)
    labels = read_labels(scene.all_parcels, info, label_field="crop_type")
    recipe = FeatureRecipe((1, 2, 3, 4), info.band_names)
    samples = collect_samples(open_stack(scene.raster), labels, recipe, max_per_class=3000)
    y = np.searchsorted([c.value for c in labels.classes], samples.y)
    splits = make_folds("grouped", samples, y, len(labels.classes), 5, seed=0).splits
    assert len(splits) == 5
    for train, test in splits:
        assert not set(samples.groups[train]) & set(samples.groups[test])
    tested = np.concatenate([test for _, test in splits])
    assert sorted(tested.tolist()) == list(range(len(y)))  # every sample tested once


def test_crop_mode_background_is_grouped_in_cells(scene):
    info = read_raster_info(scene.raster)
    labels = read_labels(scene.train_labels, info, aoi_path=scene.train_aoi)
    samples = collect_samples(open_stack(scene.raster), labels,
                              FeatureRecipe((1, 2, 3, 4), info.band_names), max_per_class=4000)
    background = samples.y == 0
    assert np.all(samples.groups[background] < 0) and np.all(samples.groups[~background] > 0)
    cell = samples.background_cell
    for group in np.unique(samples.groups[background])[:20]:
        members = samples.groups == group
        assert np.ptp(samples.rows[members] // cell) == 0
        assert np.ptp(samples.cols[members] // cell) == 0
    for train, test in make_folds("grouped", samples, samples.y, 2, 5, seed=0).splits:
        assert not set(samples.groups[train]) & set(samples.groups[test])


def _split_neighbour_share(samples, splits):
    """Share of sampled 4-neighbour pixel pairs that land in different test folds."""
    fold_of = {}
    for fold, (_, test) in enumerate(splits):
        fold_of.update({(int(r), int(c)): fold for r, c in zip(samples.rows[test],
                                                                samples.cols[test])})
    pairs = split = 0
    for (r, c), fold in fold_of.items():
        for neighbour in ((r + 1, c), (r, c + 1)):
            if neighbour in fold_of:
                pairs += 1
                split += fold_of[neighbour] != fold
    return split / pairs


def test_spatial_blocks_keep_neighbours_together(scene):
    info = read_raster_info(scene.raster)
    labels = read_labels(scene.all_parcels, info, label_field="is_crop")
    samples = collect_samples(open_stack(scene.raster), labels,
                              FeatureRecipe((1, 2, 3, 4), info.band_names), max_per_class=20000)
    spatial = make_folds("spatial", samples, samples.y, 2, 4, seed=0).splits
    random = make_folds("random", samples, samples.y, 2, 4, seed=0).splits
    assert len(spatial) == 4
    assert _split_neighbour_share(samples, spatial) < 0.05
    assert _split_neighbour_share(samples, random) > 0.5


@pytest.mark.parametrize("field, message", [
    ("missing", "has no field 'missing'"),
    ("empty", "is empty in every feature"),
])
def test_bad_label_field(write_raster, write_vector, pixel_box, field, message):
    raster = _flat_raster(write_raster)
    info = read_raster_info(raster)
    labels = write_vector([pixel_box(info.transform, 1, 1, 9, 9)], empty=[None])
    with pytest.raises(InputError, match=message):
        read_labels(labels, info, label_field=field)


def test_labels_outside_the_raster(write_raster, write_vector, pixel_box):
    raster = _flat_raster(write_raster)
    info = read_raster_info(raster)
    labels = write_vector([pixel_box(info.transform, 100, 100, 120, 120)])
    with pytest.raises(InputError, match="no label feature overlaps the raster"):
        read_labels(labels, info)


def test_text_classes_get_sorted_ids_and_keep_names(two_class_scene):
    raster, labels, _ = two_class_scene
    parsed = read_labels(labels, read_raster_info(raster), label_field="crop",
                         crop_classes=["wheat"])
    assert [(c.value, c.name, c.is_crop) for c in parsed.classes] == \
        [(1, "fallow", False), (2, "wheat", True)]


def test_unknown_crop_class_is_refused(two_class_scene):
    raster, labels, _ = two_class_scene
    with pytest.raises(InputError, match="'maize' is not a class"):
        read_labels(labels, read_raster_info(raster), label_field="crop", crop_classes=["maize"])


def test_invalid_and_null_label_geometries_are_repaired_or_left_out_and_counted(
        write_raster, write_vector, pixel_box):
    from shapely.geometry import Polygon

    from cropseg.core.common.progress import Feedback

    raster = _flat_raster(write_raster)
    info = read_raster_info(raster)
    x0, y0 = info.transform * (10, 10)
    x1, y1 = info.transform * (30, 30)
    bowtie = Polygon([(x0, y0), (x1, y1), (x1, y0), (x0, y1)])  # crosses itself
    labels = write_vector([pixel_box(info.transform, 2, 2, 8, 8), bowtie, None],
                          crop=["a", "b", "b"])
    messages = []
    parsed = read_labels(labels, info, label_field="crop", feedback=Feedback(
        on_info=messages.append))
    assert len(parsed.geometries) == 2 and all(g.is_valid for g in parsed.geometries)
    # the bowtie repaired into its two triangles: half the square it spans
    assert parsed.geometries[1].area == pytest.approx(abs((x1 - x0) * (y1 - y0)) / 2)
    assert any("LABELS: 1 feature(s) without a geometry left out, 1 invalid geometry(ies)" in m
               for m in messages)
