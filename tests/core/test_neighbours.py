"""KNN votes from OpenCV's KD-tree are scikit-learn's KNeighborsClassifier's, ties included."""

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest
import rasterio
from rasterio.windows import Window

from cropseg.core.learn.train import train_classifier
from cropseg.core.mapping.classify import classify_raster
from cropseg.core.model.bundle import make_estimator, make_predictor
from cropseg.core.model.neighbours import NeighbourVotes, usable
from cropseg.core.rasters.stack import open_stack


def _integer_pixels(n, n_classes=3, seed=0):
    """Pixels of four bands on a coarse integer grid: repeated values, and many points at
    exactly the same distance from a pixel, with several classes on the same values."""
    rng = np.random.default_rng(seed)
    X = rng.integers(0, 6, size=(n, 4)).astype(np.float32)
    y = (X[:, 0] + X[:, 1] + rng.integers(0, 3, n)) % n_classes
    return X, y


@pytest.mark.parametrize("k", [4, 5, 15])
def test_votes_are_scikit_learns_with_distance_and_vote_ties(k):
    X, y = _integer_pixels(3000)
    pipeline = make_estimator("knn", {"n_neighbors": k}, n_jobs=1).fit(X[:1000], y[:1000])
    assert usable(pipeline)
    queries = X[1000:]
    reference = pipeline.predict_proba(queries)
    fast = NeighbourVotes(pipeline).predict_proba(queries)
    assert np.array_equal(fast, reference)
    # Both kinds of tie occur, so the test covers them.
    distances, _ = pipeline[-1].kneighbors(pipeline[0].transform(queries), k + 1)
    assert (distances[:, k] == distances[:, k - 1]).mean() > 0.2
    top_two = np.sort(reference, axis=1)[:, -2:]
    assert (top_two[:, 0] == top_two[:, 1]).sum() > 20
    assert np.array_equal(fast.argmax(axis=1), pipeline.predict(queries))


def test_continuous_values_need_no_tie_break():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(20000, 4)).astype(np.float32)
    y = (X[:, 0] + 0.5 * rng.normal(size=len(X)) > 0).astype(int)
    pipeline = make_estimator("knn", {"n_neighbors": 9}, n_jobs=1).fit(X[:5000], y[:5000])
    assert np.array_equal(NeighbourVotes(pipeline).predict_proba(X[5000:]),
                          pipeline.predict_proba(X[5000:]))


def test_threads_share_one_search():
    X, y = _integer_pixels(40000, seed=2)
    pipeline = make_estimator("knn", {"n_neighbors": 5}, n_jobs=1).fit(X[:4000], y[:4000])
    votes = NeighbourVotes(pipeline)
    with ThreadPoolExecutor(4) as pool:
        parallel = np.concatenate(list(pool.map(votes.predict_proba, np.array_split(X, 16))))
    assert np.array_equal(parallel, pipeline.predict_proba(X))


def test_other_weights_keep_scikit_learns_own_search():
    X, y = _integer_pixels(3000)
    pipeline = make_estimator("knn", {"n_neighbors": 5, "weights": "distance"},
                              n_jobs=1).fit(X[:1000] + 0.25, y[:1000])
    assert not usable(pipeline)
    predicted = make_predictor("knn", pipeline, 3)(X[1000:])
    assert np.array_equal(predicted, pipeline.predict_proba(X[1000:]).astype(np.float32))


def _plain_classes(bundle, raster):
    """Classes and confidence of every pixel from scikit-learn's own pipeline."""
    stack = open_stack(raster)
    with stack.open() as reader:
        data, valid = reader.read(bundle.recipe.read_bands,
                                  Window(0, 0, stack.grid.width, stack.grid.height))
    pixels, valid = bundle.recipe.features(data, valid, times=bundle.recipe.times(stack))
    proba = bundle.estimator.predict_proba(pixels)
    classes = np.full(valid.shape, 255, dtype=np.uint8)
    classes[valid] = bundle.class_values[bundle.estimator.predict(pixels)]
    confidence = np.full(valid.shape, -1.0, dtype=np.float32)
    confidence[valid] = proba.max(axis=1)
    return classes, confidence


def _assert_classified_as_scikit_learn(raster, bundle, folder):
    out, confidence = str(folder / "classes.tif"), str(folder / "confidence.tif")
    classify_raster(raster, bundle, out, output_confidence=confidence, memory_mb=64)
    expected_classes, expected_confidence = _plain_classes(bundle, raster)
    with rasterio.open(out) as classes, rasterio.open(confidence) as confidences:
        assert np.array_equal(classes.read(1), expected_classes)
        assert np.array_equal(confidences.read(1), expected_confidence)


def test_generated_scene_classified_as_scikit_learn(scene, tmp_path):
    result = train_classifier(scene.raster, scene.train_labels, classifier="knn", tune=False,
                              feature_search=False, max_samples_per_class=4000)
    assert usable(result.bundle.estimator)
    _assert_classified_as_scikit_learn(scene.raster, result.bundle, tmp_path)


@pytest.mark.parametrize("raster, labels, field", [
    ("rstoolbox_amazon/landsat5_tm/LT52240631988227CUB02_stack_B1-B7.tif",
     "rstoolbox_amazon/landsat5_tm/trainingPolygons_lsat.gpkg", "class"),
    ("fieldrs_uzbekistan_crops/ndvi.tif", "fieldrs_uzbekistan_crops/fieldData_crops.gpkg",
     "crop"),
])
def test_real_data_classified_as_scikit_learn(raster, labels, field, real_data, tmp_path):
    raster = real_data(raster)
    result = train_classifier(raster, real_data(labels), label_field=field, classifier="knn",
                              tune=False, feature_search=False, max_samples_per_class=3000)
    assert usable(result.bundle.estimator)
    _assert_classified_as_scikit_learn(raster, result.bundle, tmp_path)
