"""The model file: a manifest plus an estimator stored in a safe format.

A model file is a zip archive with two members:

``manifest.json``
    Format name and version, feature recipe, class table, training raster CRS
    and pixel size, validation scores, library versions, creation time, and the
    SHA-256 of the estimator member.
``estimator.skops`` or ``estimator.xgb.json``
    scikit-learn estimators through skops (only an allow-list of types can be
    loaded), XGBoost boosters in XGBoost's own JSON.  Nothing is unpickled.
``training_area.wkb``
    Where the training pixels came from (label features, and the AOI in crop
    mode) as well-known binary in the training raster's CRS, so an accuracy
    report can tell when its reference overlaps the training data.
"""

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
from .features import FeatureRecipe

FORMAT_NAME = "cropseg-model"
#: Version 2 seals the manifest with a checksum; version 1 files are read without it.
FORMAT_VERSION = 2
MODEL_EXTENSION = ".cropseg"
MANIFEST = "manifest.json"
MANIFEST_CHECKSUM = "manifest.sha256"
TRAINING_AREA = "training_area.wkb"
#: Class values 0..254 (255 is nodata in class rasters).
MAX_CLASSES = 254

CLASSIFIERS = ("random_forest", "xgboost", "knn")
CLASSIFIER_LABELS = {"random_forest": "Random forest", "xgboost": "XGBoost",
                     "knn": "K-nearest neighbours"}

# Types skops may rebuild beyond its own trusted defaults: the compiled parts of
# scikit-learn's trees and neighbour searches.  Anything else is refused.
SKOPS_ALLOWED_TYPES = frozenset({
    "sklearn.tree._tree.Tree",
    "sklearn.neighbors._kd_tree.KDTree",
    "sklearn.neighbors._ball_tree.BallTree",
    "sklearn.metrics._dist_metrics.EuclideanDistance64",
    "sklearn.metrics._dist_metrics.EuclideanDistance32",
})
_MAX_MEMBER_BYTES = 2 * 1024 ** 3

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
        # with full-grown trees (train.FULL_FOREST) where tuning is on.
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
    """
    if kind == "random_forest":
        from .forest import CompiledForest

        predict = CompiledForest(estimator).predict_proba
    else:
        final_step(kind, estimator).set_params(n_jobs=1)
        predict = estimator.predict_proba

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


def read_manifest(path):
    """The manifest of the model file at ``path``, checked for format and version."""
    with _open_archive(path) as archive:
        return _checked_manifest(path, archive)


def read_training_area(path):
    """The training area recorded in a model file (shapely, training CRS), or None."""
    from shapely import wkb

    with _open_archive(path) as archive:
        manifest = _checked_manifest(path, archive)
        spec = manifest.get("training_area")
        if not spec:
            return None, manifest
        payload = _read_member(path, archive, TRAINING_AREA)
    if hashlib.sha256(payload).hexdigest() != spec.get("sha256"):
        raise ModelFileError(f"MODEL: '{path}' was modified after it was saved (training area "
                             "checksum mismatch).")
    try:
        return wkb.loads(payload), manifest
    except Exception:  # shapely raises several types for bad WKB
        raise ModelFileError(f"MODEL: '{path}' has an unreadable training area.") from None


def load_model(path):
    """Load a model file, refusing tampered, unsafe or incompatible files.

    Raises
    ------
    ModelFileError
        With a one-line reason; no code from the file is run.
    """
    with _open_archive(path) as archive:
        manifest = _checked_manifest(path, archive)
        spec = manifest["estimator"]
        payload = _read_member(path, archive, spec["member"])
    if hashlib.sha256(payload).hexdigest() != spec["sha256"]:
        raise ModelFileError(f"MODEL: '{path}' was modified after it was saved (checksum "
                             "mismatch); retrain or use the original file.")
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
        raise ModelFileError(f"MODEL: '{path}' has an incomplete manifest ({exc}).") from None


def _open_archive(path):
    try:
        return zipfile.ZipFile(path)
    except FileNotFoundError:
        raise ModelFileError(f"MODEL: '{path}' does not exist.") from None
    except (zipfile.BadZipFile, OSError):
        raise ModelFileError(f"MODEL: '{path}' is not a cropseg model file (not a readable "
                             "archive).") from None


def _read_member(path, archive, name):
    try:
        info = archive.getinfo(name)
        if info.file_size > _MAX_MEMBER_BYTES:
            raise ModelFileError(f"MODEL: '{path}' has an oversized member '{name}'.")
        return archive.read(name)
    except KeyError:
        raise ModelFileError(f"MODEL: '{path}' lacks its '{name}' member.") from None
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        raise ModelFileError(f"MODEL: '{path}' is damaged ('{name}' cannot be read).") from None


def _checked_manifest(path, archive):
    text = _read_member(path, archive, MANIFEST)
    try:
        manifest = json.loads(text.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise ModelFileError(f"MODEL: '{path}' has an unreadable manifest.") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT_NAME:
        raise ModelFileError(f"MODEL: '{path}' is not a cropseg model file.")
    version = manifest.get("format_version")
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise ModelFileError(f"MODEL: '{path}' was written by a newer cropseg (model format "
                             f"{version}, this version reads up to {FORMAT_VERSION}); "
                             "update cropseg.")
    if version >= 2:
        seal = _read_member(path, archive, MANIFEST_CHECKSUM).decode("ascii", "replace").strip()
        if seal != hashlib.sha256(text).hexdigest():
            raise ModelFileError(f"MODEL: '{path}' was modified after it was saved (manifest "
                                 "checksum mismatch); retrain or use the original file.")
    classes = manifest.get("classes")
    if not isinstance(classes, list) or not 2 <= len(classes) <= MAX_CLASSES or \
            not all(isinstance(c, dict) for c in classes):
        count = len(classes) if isinstance(classes, list) else "no"
        raise ModelFileError(f"MODEL: '{path}' lists {count} classes; a model has 2 to "
                             f"{MAX_CLASSES}.")
    spec = manifest.get("estimator")
    if not isinstance(spec, dict) or spec.get("kind") not in CLASSIFIERS:
        raise ModelFileError(f"MODEL: '{path}' names an unknown classifier.")
    expected = "estimator.xgb.json" if spec["kind"] == "xgboost" else "estimator.skops"
    if spec.get("member") != expected:
        raise ModelFileError(f"MODEL: '{path}' stores its estimator in an unexpected member.")
    return manifest


def _load_estimator(path, spec, payload, n_classes, libraries):
    if spec["kind"] == "xgboost":
        from xgboost import XGBClassifier

        estimator = XGBClassifier()
        try:
            estimator.load_model(bytearray(payload))
        except Exception as exc:  # xgboost raises XGBoostError or ValueError for bad JSON
            raise ModelFileError(f"MODEL: '{path}' holds an XGBoost model this version cannot "
                                 f"read ({str(exc).splitlines()[0][:160]}).") from None
        estimator.n_classes_ = n_classes
        return estimator
    import skops.io

    try:
        untrusted = set(skops.io.get_untrusted_types(data=payload))
    except Exception:
        raise ModelFileError(f"MODEL: '{path}' has an unreadable estimator.") from None
    refused = sorted(untrusted - SKOPS_ALLOWED_TYPES)
    if refused:
        raise ModelFileError(f"MODEL: '{path}' contains types cropseg does not allow "
                             f"({', '.join(refused[:3])}); the file was not loaded.")
    try:
        return skops.io.loads(payload, trusted=sorted(untrusted))
    except Exception as exc:  # skops raises many types for version mismatches
        import sklearn

        raise ModelFileError(f"MODEL: '{path}' was saved with scikit-learn "
                             f"{libraries.get('scikit-learn', '?')} and cannot be loaded with "
                             f"{sklearn.__version__} ({str(exc).splitlines()[0][:120]}); "
                             "retrain the model.") from None
