"""Command-line tier: qgis_process with a throwaway profile where cropseg is enabled."""

import importlib.util
from pathlib import Path

import pytest

_SPEC = importlib.util.spec_from_file_location(
    "qgis_cli", Path(__file__).resolve().parents[2] / "scripts" / "qgis_cli.py")
qgis_cli = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(qgis_cli)


@pytest.fixture(scope="session")
def qgis_process(tmp_path_factory):
    return qgis_cli.QgisProcess(str(tmp_path_factory.mktemp("qgis_process")))


@pytest.fixture(scope="session")
def process_error():
    return qgis_cli.QgisProcessError
