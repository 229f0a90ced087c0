"""A trained model (``ModelBundle``): its estimator, how estimators are made and applied,
and how the model file is written and loaded safely (see ``archive`` for the file)."""

import datetime
import hashlib
import json
import platform
import zipfile
from dataclasses import dataclass

import numpy as np

from .. import __version__
from ..common.errors import ModelFileError
from ..rasters.class_raster import ClassInfo
from .archive import (FORMAT_NAME, FORMAT_VERSION, MANIFEST, MANIFEST_CHECKSUM, TRAINING_AREA,
                      checked_manifest, open_archive, read_member)
from . import neighbours
from .features import FeatureRecipe

# Types skops may rebuild beyond its own trusted defaults: the compiled parts of
# scikit-learn's trees and neighbour searches.  Anything else is refused.
SKOPS_ALLOWED_TYPES = frozenset({
    "sklearn.tree._tree.Tree",
    "sklearn.neighbors._kd_tree.KDTree",
    "sklearn.neighbors._ball_tree.BallTree",
    "sklearn.metrics._dist_metrics.EuclideanDistance64",
    "sklearn.metrics._dist_metrics.EuclideanDistance32",
})

#: Pixels per prediction call, and about the size of the strips classification threads
#: work on.  The working arrays then stay small enough to be reused from the heap and the
#: CPU cache: with one thread per chunk, KNN predicts 60% faster than with its own threads
#: on whole blocks.
PREDICT_CHUNK = 65536


def make_estimator(kind, params=None, *, seed=0, n_jobs=-1):
    """A fresh, unfitted estimator of ``kind`` with ``params`` over the defaults."""
    params = dict(params or {})
    if kind == "random_forest":
        from sklearn.ensemble import RandomForestClassifier

        # 60 trees of depth 10 apply fast whatever the sample size; training compares them
        # with full-grown trees (learn.candidates.FULL_FOREST) where tuning is on.
        defaults = {"n_estimators": 60, "max_depth": 10, "max_features": "sqrt",
                    "min_samples_leaf": 1}
        return RandomForestClassifier(**{**defaults, **params}, random_state=seed, n_jobs=n_jobs)
    if kind == "xgboost":
        from xgboost import XGBClassifier

        defaults = {"n_estimators": 200, "max_depth": 6, "learning_rate": 0.1}
        return XGBClassifier(**{**defaults, **params}, tree_method="hist", random_state=seed,
                             n_jobs=n_jobs)
    if kind == "knn":
        from sklearn.neighbors import KNeighborsClassifier
        from sklearn.pipeline import make_pipeline
        from sklearn.preprocessing import StandardScaler

        defaults = {"n_neighbors": 5}
        return make_pipeline(StandardScaler(),
                             KNeighborsClassifier(**{**defaults, **params}, n_jobs=n_jobs))
    raise ValueError(f"unknown classifier {kind!r}")


@dataclass
class ModelBundle:
    """A fitted estimator with everything needed to apply it to a raster.

    The estimator predicts class *indices* 0..k-1; ``classes[i]`` describes index ``i``.
    """

    estimator: object
    kind: str
    params: dict
    recipe: FeatureRecipe
    classes: list
    training: dict
    validation: dict
    created: str = ""
    libraries: dict = None
    training_area: object = None  # shapely geometry in the training raster's CRS

    @property
    def class_values(self):
        return np.array([c.value for c in self.classes], dtype=np.uint8)

    @property
    def crop_values(self):
        return [c.value for c in self.classes if c.is_crop]

    @property
    def final_estimator(self):
        return final_step(self.kind, self.estimator)

    @property
    def predict_bytes_per_pixel(self):
        """Memory per pixel the estimator works in while predicting, the output included."""
        n_classes, n_features = len(self.classes), len(self.recipe.feature_names)
        if self.kind == "random_forest":
            # The compiled forest's sums, then their average.
            per_pixel = 8 * n_classes
        elif self.kind == "xgboost":
            per_pixel = 4 * n_features + 8 * n_classes
        else:
            # Scaled features, then distances, indices, weights and neighbour labels (k each).
            per_pixel = 8 * n_features + 32 * self.final_estimator.n_neighbors
        return per_pixel + 8 * n_classes

    def predictor(self):
        """A function of features -> class probabilities (pixels, classes) as float32;
        see :func:`make_predictor`."""
        return make_predictor(self.kind, self.estimator, len(self.classes))

    def manifest(self, estimator_member, digest):
        return {
            "format": FORMAT_NAME,
            "format_version": FORMAT_VERSION,
            "created": self.created,
            "cropseg_version": __version__,
            "libraries": self.libraries or library_versions(),
            "estimator": {"kind": self.kind, "params": self.params,
                          "member": estimator_member, "sha256": digest},
            "features": {"names": self.recipe.feature_names, "recipe": self.recipe.to_dict()},
            "classes": [c.to_dict() for c in self.classes],
            "training": self.training,
            "validation": self.validation,
        }


def final_step(kind, estimator):
    """The classifier itself: for KNN, the step after the pipeline's scaler."""
    return estimator.steps[-1][1] if kind == "knn" else estimator


def make_predictor(kind, estimator, n_classes):
    """A function of features -> class probabilities (pixels, classes) as float32.

    It predicts in chunks of ``PREDICT_CHUNK`` on the calling thread only, so
    classification threads can share it.  A random forest runs on XGBoost's
    compiled tree walker (``forest.CompiledForest``): scikit-learn's
    probabilities to float32 rounding, 1.8 times as fast with the default forest.
    KNN searches OpenCV's KD-tree (``neighbours.NeighbourVotes``): scikit-learn's
    probabilities, 2.2 times as fast with the benchmark model.
    """
    if kind == "random_forest":
        from .forest import CompiledForest

        predict = CompiledForest(estimator).predict_proba
    else:
        # One thread per call, also where KNN asks scikit-learn about distance ties.
        final_step(kind, estimator).set_params(n_jobs=1)
        predict = estimator.predict_proba
        if kind == "knn" and neighbours.usable(estimator):
            predict = neighbours.NeighbourVotes(estimator).predict_proba

    def predict_proba(features):
        proba = np.empty((len(features), n_classes), dtype=np.float32)
        for start in range(0, len(features), PREDICT_CHUNK):
            proba[start:start + PREDICT_CHUNK] = predict(features[start:start + PREDICT_CHUNK])
        return proba

    return predict_proba


def library_versions():
    """Versions of the libraries that shape a model."""
    import sklearn
    import xgboost

    return {"python": platform.python_version(), "numpy": np.__version__,
            "scikit-learn": sklearn.__version__, "xgboost": xgboost.__version__}


def save_model(bundle, path):
    """Write ``bundle`` to ``path`` (a zip with a manifest and a safe estimator member)."""
    if not bundle.created:
        bundle.created = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")
    if bundle.kind == "xgboost":
        member = "estimator.xgb.json"
        payload = bytes(bundle.estimator.get_booster().save_raw(raw_format="json"))
    else:
        import skops.io

        member = "estimator.skops"
        payload = skops.io.dumps(bundle.estimator)
    manifest = bundle.manifest(member, hashlib.sha256(payload).hexdigest())
    area = bundle.training_area.wkb if bundle.training_area is not None else None
    if area is not None:
        manifest["training_area"] = {"member": TRAINING_AREA,
                                     "sha256": hashlib.sha256(area).hexdigest()}
    text = json.dumps(manifest, indent=2).encode("utf-8")
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(MANIFEST, text)
        archive.writestr(MANIFEST_CHECKSUM, hashlib.sha256(text).hexdigest())
        archive.writestr(member, payload)
        if area is not None:
            archive.writestr(TRAINING_AREA, area)


def load_model(path):
    """Load a model file, refusing tampered, unsafe or incompatible files.

    Raises
    ------
    ModelFileError
        With a one-line reason; no code from the file is run.
    """
    with open_archive(path) as archive:
        manifest = checked_manifest(path, archive)
        spec = manifest["estimator"]
        payload = read_member(path, archive, spec["member"])
    if hashlib.sha256(payload).hexdigest() != spec["sha256"]:
        raise ModelFileError("MODEL: '{path}' was modified after it was saved (checksum "
                             "mismatch); retrain or use the original file.", path=path)
    estimator = _load_estimator(path, spec, payload, len(manifest["classes"]),
                                manifest.get("libraries") or {})
    try:
        return ModelBundle(
            estimator=estimator, kind=spec["kind"], params=spec.get("params", {}),
            recipe=FeatureRecipe.from_dict(manifest["features"]["recipe"]),
            classes=[ClassInfo.from_dict(c) for c in manifest["classes"]],
            training=manifest.get("training", {}), validation=manifest.get("validation", {}),
            created=manifest.get("created", ""), libraries=manifest.get("libraries", {}))
    except (KeyError, TypeError, ValueError) as exc:
        raise ModelFileError("MODEL: '{path}' has an incomplete manifest ({exc}).", path=path,
                             exc=exc) from None


def _load_estimator(path, spec, payload, n_classes, libraries):
    if spec["kind"] == "xgboost":
        from xgboost import XGBClassifier

        estimator = XGBClassifier()
        try:
            estimator.load_model(bytearray(payload))
        except Exception as exc:  # xgboost raises XGBoostError or ValueError for bad JSON
            raise ModelFileError("MODEL: '{path}' holds an XGBoost model this version cannot "
                                 "read ({exc}).", path=path,
                                 exc=str(exc).splitlines()[0][:160]) from None
        estimator.n_classes_ = n_classes
        return estimator
    import skops.io

    try:
        untrusted = set(skops.io.get_untrusted_types(data=payload))
    except Exception:
        raise ModelFileError("MODEL: '{path}' has an unreadable estimator.", path=path) from None
    refused = sorted(untrusted - SKOPS_ALLOWED_TYPES)
    if refused:
        raise ModelFileError("MODEL: '{path}' contains types cropseg does not allow "
                             "({refused}); the file was not loaded.", path=path,
                             refused=", ".join(refused[:3]))
    try:
        return skops.io.loads(payload, trusted=sorted(untrusted))
    except Exception as exc:  # skops raises many types for version mismatches
        import sklearn

        raise ModelFileError("MODEL: '{path}' was saved with scikit-learn "
                             "{saved_with} and cannot be loaded with {installed} ({exc}); "
                             "retrain the model.", path=path,
                             saved_with=libraries.get("scikit-learn", "?"),
                             installed=sklearn.__version__,
                             exc=str(exc).splitlines()[0][:120]) from None
