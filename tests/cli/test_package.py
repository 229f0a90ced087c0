"""`make package`: only the plugin's files, the plugin repository's upload checks, and a zip
that QGIS loads."""

import configparser
import re
import subprocess
import sys
import zipfile
from pathlib import Path
from urllib.parse import urlparse

import pytest

ROOT = Path(__file__).resolve().parents[2]
REQUIRED = ("name", "description", "version", "qgisMinimumVersion", "author", "email", "about",
            "tracker", "repository")


@pytest.fixture(scope="module")
def package(tmp_path_factory):
    """The zip `make package` builds, written once for the module."""
    path = tmp_path_factory.mktemp("package") / "cropseg.zip"
    subprocess.run([sys.executable, str(ROOT / "scripts" / "package.py"), str(path)], check=True,
                   capture_output=True)
    return path


def test_zip_passes_the_plugin_repository_checks(package):
    assert package.stat().st_size < 25_000_000
    with zipfile.ZipFile(package) as archive:
        names = archive.namelist()
        assert archive.testzip() is None
        metadata = configparser.ConfigParser()
        metadata.optionxform = str
        metadata.read_string(archive.read("cropseg/metadata.txt").decode("utf-8"))
    assert {name.split("/")[0] for name in names} == {"cropseg"}
    for name in names:
        parts = name.split("/")
        assert ".." not in name and not name.startswith("/") and not name.endswith(".pyc")
        assert not {"__MACOSX", ".git", "__pycache__"} & set(parts)
    assert {"cropseg/__init__.py", "cropseg/metadata.txt", "cropseg/LICENSE"} <= set(names)
    general = dict(metadata["general"])
    assert all(general.get(key, "").strip() for key in REQUIRED)
    assert "/" not in general["author"]
    assert re.match(r"^\d+\.\d+(\.\d+)?$", general["qgisMinimumVersion"])
    for key in ("tracker", "repository", "homepage"):
        url = urlparse(general[key])
        assert url.scheme in ("http", "https") and url.netloc
    assert f"cropseg/{general['icon']}" in names
    assert general["hasProcessingProvider"] == "yes"


def test_zip_holds_the_plugin_and_no_development_files(package):
    with zipfile.ZipFile(package) as archive:
        shipped = {name.split("/", 1)[1] for name in archive.namelist()}
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, check=True, capture_output=True,
                             text=True).stdout.split()
    needed = {path for path in tracked if path.startswith(("core/", "algorithms/", "resources/"))}
    assert needed <= shipped
    assert "resources/models/crop_mask_workflow.model3" in shipped
    # The README's pictures travel with it.
    images = re.findall(r"!\[[^\]]*\]\(([^)\s]+)\)", (ROOT / "README.md").read_text("utf-8"))
    assert images and set(images) <= shipped
    for development in ("tests/", "bench/", "scripts/", "devkit/", ".ci/", "Makefile",
                        "conftest.py", "pytest.ini", "requirements", "constraints.txt", ".git"):
        assert not any(path.startswith(development) for path in shipped), development


def test_qgis_loads_the_plugin_from_the_unpacked_zip(package, tmp_path):
    sys.path.insert(0, str(ROOT / "scripts"))
    from qgis_cli import QgisProcess

    with zipfile.ZipFile(package) as archive:
        archive.extractall(tmp_path / "unpacked")
    runner = QgisProcess(str(tmp_path / "qgis"), plugin=str(tmp_path / "unpacked" / "cropseg"))
    assert runner.run("cropseg:checkdependencies", {}) == {"MISSING": 0, "INSTALL_COMMAND": ""}
    help_text = runner.call(["help", "cropseg:crop_mask_workflow"])
    assert "TRAINING_RASTER" in help_text and "REFERENCE_FIELD" in help_text
