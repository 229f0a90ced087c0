"""K-nearest-neighbour votes found by OpenCV's exact single KD-tree.

scikit-learn's ``KNeighborsClassifier`` searches its own KD-tree in float64.
``NeighbourVotes`` asks FLANN's single KD-tree (OpenCV), built on the same
float32 points, for one neighbour more than the classifier uses, and answers
each repeated pixel value once: 2.2 times as fast with the benchmark
model.  It gives the classifier's own probabilities, so the same
labels, ties included:

- the ``k`` nearest points are one set whichever search finds them, unless the
  ``k``-th and the next are equally far within float32 rounding
  (``TIE_GAP``); such a pixel is answered by the classifier itself, whose
  search decides which of the equals it takes;
- equal votes are the classifier's probabilities too (count / ``k`` in
  float64), so the first class of equal votes wins in both.

Both searches read the same numbers: the pipeline's scaler gives float32
features, which scikit-learn widens to float64 exactly, and the points a
cropseg model holds are float32 (``usable`` checks it).
"""

import numpy as np

#: Relative gap between the k-th and the next neighbour's squared distance below which
#: a pixel goes to scikit-learn: 25 times float32's worst rounding of a 4-to-16-band
#: squared distance, and far below real gaps.
TIE_GAP = 1e-5

#: FLANN's single KD-tree (exact search) and its points per leaf, the fastest on the
#: benchmark model.
_SINGLE_KDTREE, _LEAF_SIZE = 4, 16
_EXACT_SEARCH = {"checks": -1, "eps": 0.0, "sorted": True}


def usable(pipeline):
    """Whether ``NeighbourVotes`` gives ``pipeline``'s (scaler, then KNN) probabilities:
    equal weights, Euclidean distance, float32 points and more points than neighbours."""
    knn = pipeline.steps[-1][1]
    euclidean = knn.effective_metric_ == "euclidean" or (
        knn.effective_metric_ == "minkowski" and knn.effective_metric_params_.get("p") == 2)
    return (knn.weights == "uniform" and euclidean and knn._fit_X.dtype == np.float32
            and knn.n_neighbors < knn.n_samples_fit_)


class NeighbourVotes:
    """A fitted scaler + ``KNeighborsClassifier`` pipeline's ``predict_proba``.

    ``predict_proba`` runs on the calling thread only, so threads can share it.
    """

    def __init__(self, pipeline):
        import cv2

        self.pipeline = pipeline
        self.scale = pipeline[:-1].transform
        knn = pipeline.steps[-1][1]
        self.k = knn.n_neighbors
        self.n_classes = len(knn.classes_)
        self.labels = np.asarray(knn._y)
        self.points = np.ascontiguousarray(knn._fit_X)
        self.index = cv2.flann_Index(self.points, {"algorithm": _SINGLE_KDTREE,
                                                   "leaf_max_size": _LEAF_SIZE})

    def predict_proba(self, features):
        """Class probabilities (pixels, classes) as float64, the classifier's."""
        values, inverse = _unique_rows(np.ascontiguousarray(features))
        scaled = np.ascontiguousarray(self.scale(values), dtype=np.float32)
        neighbours, squared = self.index.knnSearch(scaled, self.k + 1, params=_EXACT_SEARCH)
        votes = self.labels[neighbours[:, :self.k]]
        proba = np.empty((len(values), self.n_classes))
        for position in range(self.n_classes):
            proba[:, position] = np.count_nonzero(votes == position, axis=1)
        proba /= self.k
        kth, next_ = squared[:, self.k - 1], squared[:, self.k]
        tied = next_ - kth <= TIE_GAP * next_
        if tied.any():
            proba[tied] = self.pipeline.predict_proba(values[tied])
        return proba[inverse]


def _unique_rows(array):
    """The distinct rows of a 2-D C-contiguous ``array`` and where each row's copy is."""
    rows = array.view(np.dtype((np.void, array.dtype.itemsize * array.shape[1]))).ravel()
    _, first, inverse = np.unique(rows, return_index=True, return_inverse=True)
    return array[first], inverse
