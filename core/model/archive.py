"""The model file's archive: its members, the checks on its manifest, its training area.

A model file is a zip archive with these members:

``manifest.json`` (sealed by ``manifest.sha256``)
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

Reading the manifest and the training area needs no machine-learning library;
``bundle.load_model`` loads the estimator.
"""

import hashlib
import json
import zipfile

from ..common.errors import ModelFileError
from .options import CLASSIFIERS

FORMAT_NAME = "cropseg-model"
#: Version 2 seals the manifest with a checksum; version 1 files are read without it.
FORMAT_VERSION = 2
MANIFEST = "manifest.json"
MANIFEST_CHECKSUM = "manifest.sha256"
TRAINING_AREA = "training_area.wkb"
#: Class values 0..254 (255 is nodata in class rasters).
MAX_CLASSES = 254
#: Larger members are refused unread.
MAX_MEMBER_BYTES = 2 * 1024 ** 3


def read_manifest(path):
    """The manifest of the model file at ``path``, checked for format and version."""
    with open_archive(path) as archive:
        return checked_manifest(path, archive)


def read_training_area(path):
    """The training area recorded in a model file (shapely, training CRS), or None."""
    from shapely import wkb

    with open_archive(path) as archive:
        manifest = checked_manifest(path, archive)
        spec = manifest.get("training_area")
        if not spec:
            return None, manifest
        payload = read_member(path, archive, TRAINING_AREA)
    if hashlib.sha256(payload).hexdigest() != spec.get("sha256"):
        raise ModelFileError("MODEL: '{path}' was modified after it was saved (training area "
                             "checksum mismatch).", path=path)
    try:
        return wkb.loads(payload), manifest
    except Exception:  # shapely raises several types for bad WKB
        raise ModelFileError("MODEL: '{path}' has an unreadable training area.",
                             path=path) from None


def open_archive(path):
    try:
        return zipfile.ZipFile(path)
    except FileNotFoundError:
        raise ModelFileError("MODEL: '{path}' does not exist.", path=path) from None
    except (zipfile.BadZipFile, OSError):
        raise ModelFileError("MODEL: '{path}' is not a cropseg model file (not a readable "
                             "archive).", path=path) from None


def read_member(path, archive, name):
    try:
        info = archive.getinfo(name)
        if info.file_size > MAX_MEMBER_BYTES:
            raise ModelFileError("MODEL: '{path}' has an oversized member '{name}'.", path=path,
                                 name=name)
        return archive.read(name)
    except KeyError:
        raise ModelFileError("MODEL: '{path}' lacks its '{name}' member.", path=path,
                             name=name) from None
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        raise ModelFileError("MODEL: '{path}' is damaged ('{name}' cannot be read).", path=path,
                             name=name) from None


def checked_manifest(path, archive):
    text = read_member(path, archive, MANIFEST)
    try:
        manifest = json.loads(text.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise ModelFileError("MODEL: '{path}' has an unreadable manifest.", path=path) from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT_NAME:
        raise ModelFileError("MODEL: '{path}' is not a cropseg model file.", path=path)
    version = manifest.get("format_version")
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise ModelFileError("MODEL: '{path}' was written by a newer cropseg (model format "
                             "{version}, this version reads up to {format_version}); "
                             "update cropseg.", path=path, version=version,
                             format_version=FORMAT_VERSION)
    if version >= 2:
        seal = read_member(path, archive, MANIFEST_CHECKSUM).decode("ascii", "replace").strip()
        if seal != hashlib.sha256(text).hexdigest():
            raise ModelFileError("MODEL: '{path}' was modified after it was saved (manifest "
                                 "checksum mismatch); retrain or use the original file.", path=path)
    classes = manifest.get("classes")
    if not isinstance(classes, list) or not 2 <= len(classes) <= MAX_CLASSES or \
            not all(isinstance(c, dict) for c in classes):
        count = len(classes) if isinstance(classes, list) else "no"
        raise ModelFileError("MODEL: '{path}' lists {count} classes; a model has 2 to "
                             "{max_classes}.", path=path, count=count, max_classes=MAX_CLASSES)
    spec = manifest.get("estimator")
    if not isinstance(spec, dict) or spec.get("kind") not in CLASSIFIERS:
        raise ModelFileError("MODEL: '{path}' names an unknown classifier.", path=path)
    expected = "estimator.xgb.json" if spec["kind"] == "xgboost" else "estimator.skops"
    if spec.get("member") != expected:
        raise ModelFileError("MODEL: '{path}' stores its estimator in an unexpected member.",
                             path=path)
    return manifest
