"""Random forests on XGBoost's tree walker give scikit-learn's probabilities."""

import numpy as np
import pytest
from sklearn.ensemble import RandomForestClassifier

from cropseg.core.model.forest import CompiledForest


def _labelled_pixels(n_classes, n=6000, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.uniform(0, 3000, size=(n, 4)).astype(np.float32)
    score = X[:, 0] + X[:, 1] - X[:, 3] + rng.normal(0, 300, n)
    y = np.digitize(score, np.quantile(score, np.linspace(0, 1, n_classes + 1)[1:-1]))
    return X, y


def _split_edges(forest):
    """Float32 values at, just below and just above every split threshold of the forest."""
    edges = []
    for estimator in forest.estimators_:
        tree = estimator.tree_
        inner = tree.children_left >= 0
        for feature, threshold in zip(tree.feature[inner], tree.threshold[inner]):
            at = np.float32(threshold)
            edges += [(feature, value) for value in
                      (np.nextafter(at, np.float32(-np.inf)), at,
                       np.nextafter(at, np.float32(np.inf)))]
    return edges


def _assert_same_prediction(compiled, reference):
    assert compiled.dtype == np.float32 and compiled.shape == reference.shape
    np.testing.assert_allclose(compiled, reference, atol=1e-6)
    top_two = np.sort(reference, axis=1)[:, -2:]
    clear = top_two[:, 1] - top_two[:, 0] > 1e-6
    assert clear.mean() > 0.9
    assert np.array_equal(compiled.argmax(axis=1)[clear], reference.argmax(axis=1)[clear])


@pytest.mark.parametrize("n_classes", [2, 3, 6])
@pytest.mark.parametrize("max_depth", [10, None])
def test_probabilities_match_scikit_learn(n_classes, max_depth):
    X, y = _labelled_pixels(n_classes)
    forest = RandomForestClassifier(n_estimators=12, max_depth=max_depth, random_state=0,
                                    n_jobs=1).fit(X[:3000], y[:3000])
    _assert_same_prediction(CompiledForest(forest).predict_proba(X), forest.predict_proba(X))


def test_pixels_on_split_thresholds_take_scikit_learns_branch():
    X, y = _labelled_pixels(3)
    forest = RandomForestClassifier(n_estimators=5, max_depth=8, random_state=0,
                                    n_jobs=1).fit(X, y)
    edges = _split_edges(forest)
    rows = X[np.random.default_rng(2).choice(len(X), size=len(edges))]
    for row, (feature, value) in enumerate(edges):
        rows[row, feature] = value
    compiled = CompiledForest(forest).predict_proba(rows)
    np.testing.assert_allclose(compiled, forest.predict_proba(rows), atol=1e-6)


def test_missing_values_follow_scikit_learn():
    X, y = _labelled_pixels(3)
    holes = X.copy()
    holes[np.random.default_rng(3).random(X.shape) < 0.2] = np.nan
    forest = RandomForestClassifier(n_estimators=8, max_depth=10, random_state=0,
                                    n_jobs=1).fit(holes[:3000], y[:3000])
    _assert_same_prediction(CompiledForest(forest).predict_proba(holes),
                            forest.predict_proba(holes))


def test_threads_share_one_compiled_forest():
    from concurrent.futures import ThreadPoolExecutor

    X, y = _labelled_pixels(2, n=40000)
    forest = RandomForestClassifier(n_estimators=10, max_depth=10, random_state=0,
                                    n_jobs=1).fit(X[:5000], y[:5000])
    compiled = CompiledForest(forest)
    chunks = np.array_split(X, 16)
    with ThreadPoolExecutor(4) as pool:
        parallel = np.concatenate(list(pool.map(compiled.predict_proba, chunks)))
    assert np.array_equal(parallel, compiled.predict_proba(X))
