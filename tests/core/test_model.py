"""Model files: round trips for every classifier, and hostile or foreign files refused."""

import hashlib
import json
import zipfile

import numpy as np
import pytest
from cropseg.core.common.errors import ModelFileError
from cropseg.core.learn.train import save_training, train_classifier
from cropseg.core.model.archive import FORMAT_VERSION, read_manifest
from cropseg.core.model.bundle import load_model


@pytest.fixture(scope="module")
def trained(scene):
    return {kind: train_classifier(scene.raster, scene.all_parcels, label_field="crop_type",
                                   crop_classes=["maize", "alfalfa"], classifier=kind,
                                   tune=False, feature_search=False, max_samples_per_class=400)
            for kind in ("random_forest", "xgboost", "knn")}


@pytest.mark.parametrize("kind", ["random_forest", "xgboost", "knn"])
def test_round_trip_predicts_identically(trained, kind, tmp_path):
    result = trained[kind]
    path = str(tmp_path / "m.cropseg")
    save_training(result, path, str(tmp_path / "report.html"))
    loaded = load_model(path)
    rng = np.random.default_rng(0)
    pixels = rng.uniform(200, 4000, size=(500, 4)).astype(np.float32)
    assert np.array_equal(loaded.predictor()(pixels), result.bundle.predictor()(pixels))
    assert loaded.classes == result.bundle.classes
    assert loaded.recipe == result.bundle.recipe
    assert loaded.kind == kind and loaded.params == result.bundle.params
    manifest = read_manifest(path)
    assert manifest["format_version"] == FORMAT_VERSION
    assert set(manifest["libraries"]) >= {"numpy", "scikit-learn", "xgboost"}
    assert manifest["features"]["names"] == ["blue", "green", "red", "nir"]
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
    assert not any(name.endswith((".pkl", ".pickle", ".joblib")) for name in names)
    report = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "Grouped by label feature" in report and "Random pixels" in report


def _rewrite(source, target, *, manifest_change=None, member=None, payload=None, reseal=True):
    """Copy a model file, editing its manifest and/or estimator member."""
    with zipfile.ZipFile(source) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        members = {n: archive.read(n) for n in archive.namelist() if n != "manifest.json"}
    if payload is not None:
        members = {member: payload}
        manifest["estimator"]["member"] = member
        manifest["estimator"]["sha256"] = hashlib.sha256(payload).hexdigest()
    if manifest_change:
        manifest_change(manifest)
    text = json.dumps(manifest).encode()
    if reseal:  # as a deliberate editor would, so that later checks are reached
        members["manifest.sha256"] = hashlib.sha256(text).hexdigest().encode()
    with zipfile.ZipFile(target, "w") as archive:
        archive.writestr("manifest.json", text)
        for name, data in members.items():
            archive.writestr(name, data)
    return str(target)


@pytest.fixture
def saved(trained, tmp_path):
    path = str(tmp_path / "rf.cropseg")
    save_training(trained["random_forest"], path)
    return path


@pytest.mark.parametrize("kind", ["random_forest", "xgboost", "knn"])
def test_predictor_gives_the_estimators_probabilities(trained, kind):
    bundle = trained[kind].bundle
    pixels = np.random.default_rng(1).uniform(200, 4000, size=(3000, 4)).astype(np.float32)
    proba = bundle.predictor()(pixels)
    assert proba.dtype == np.float32 and proba.shape == (3000, len(bundle.classes))
    np.testing.assert_allclose(proba, bundle.estimator.predict_proba(pixels), atol=1e-6)


def test_tampered_estimator_is_refused(saved, tmp_path):
    with zipfile.ZipFile(saved) as archive:
        payload = bytearray(archive.read("estimator.skops"))
        manifest, seal = archive.read("manifest.json"), archive.read("manifest.sha256")
    payload[len(payload) // 2] ^= 0xFF
    target = tmp_path / "tampered.cropseg"
    with zipfile.ZipFile(target, "w") as archive:
        archive.writestr("manifest.json", manifest)
        archive.writestr("manifest.sha256", seal)
        archive.writestr("estimator.skops", bytes(payload))
    with pytest.raises(ModelFileError, match="modified after it was saved"):
        load_model(str(target))


def test_an_edited_class_table_is_refused(saved, tmp_path):
    def rename(manifest):
        manifest["classes"][0]["name"] = "wheat"

    target = _rewrite(saved, tmp_path / "edited.cropseg", manifest_change=rename, reseal=False)
    with pytest.raises(ModelFileError, match="modified after it was saved \\(manifest checksum"):
        load_model(target)
    with pytest.raises(ModelFileError, match="manifest checksum"):
        read_manifest(target)


@pytest.mark.parametrize("count", [300, 1, 0])
def test_a_class_count_out_of_range_is_one_line(saved, tmp_path, count):
    def resize(manifest):
        first = manifest["classes"][0]
        manifest["classes"] = [{**first, "value": i % 256, "name": f"c{i}"} for i in range(count)]

    target = _rewrite(saved, tmp_path / "many.cropseg", manifest_change=resize)
    with pytest.raises(ModelFileError, match=f"^MODEL: .* lists {count} classes; a model has "
                                             "2 to 254"):
        load_model(target)


def test_disallowed_type_is_refused(saved, tmp_path):
    import skops.io
    from sklearn.preprocessing import FunctionTransformer

    hostile = FunctionTransformer(func=eval)
    payload = skops.io.dumps(hostile)
    target = _rewrite(saved, tmp_path / "hostile.cropseg", member="estimator.skops",
                      payload=payload)
    with pytest.raises(ModelFileError, match="contains types cropseg does not allow"):
        load_model(target)


def test_pickle_payload_is_refused(saved, tmp_path):
    import pickle

    payload = pickle.dumps({"surprise": print})
    target = _rewrite(saved, tmp_path / "pickle.cropseg", member="estimator.skops",
                      payload=payload)
    with pytest.raises(ModelFileError, match="unreadable estimator"):
        load_model(target)


def test_newer_format_is_refused(saved, tmp_path):
    target = _rewrite(saved, tmp_path / "future.cropseg",
                      manifest_change=lambda m: m.update(format_version=FORMAT_VERSION + 1))
    with pytest.raises(ModelFileError, match="written by a newer cropseg"):
        load_model(target)


def test_unexpected_member_name_is_refused(saved, tmp_path):
    def rename(manifest):
        manifest["estimator"]["member"] = "../../estimator.skops"

    target = _rewrite(saved, tmp_path / "odd.cropseg", manifest_change=rename)
    with pytest.raises(ModelFileError, match="unexpected member"):
        load_model(target)


@pytest.mark.parametrize("content, message", [
    (b"not a zip at all", "not a cropseg model file"),
    (b"", "not a cropseg model file"),
])
def test_unreadable_files_are_refused(tmp_path, content, message):
    path = tmp_path / "bad.cropseg"
    path.write_bytes(content)
    with pytest.raises(ModelFileError, match=message):
        load_model(str(path))


def test_foreign_zip_is_refused(tmp_path):
    path = tmp_path / "foreign.cropseg"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("manifest.json", json.dumps({"format": "something-else"}))
    with pytest.raises(ModelFileError, match="is not a cropseg model file"):
        load_model(str(path))


def test_missing_file(tmp_path):
    with pytest.raises(ModelFileError, match="does not exist"):
        load_model(str(tmp_path / "nowhere.cropseg"))


def test_xgboost_member_must_be_xgboost_json(trained, tmp_path):
    path = str(tmp_path / "xgb.cropseg")
    save_training(trained["xgboost"], path)
    target = _rewrite(path, tmp_path / "bad-xgb.cropseg", member="estimator.xgb.json",
                      payload=b"{\"not\": \"a booster\"}")
    with pytest.raises(ModelFileError, match="XGBoost model this version cannot read"):
        load_model(target)
