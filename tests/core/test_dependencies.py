"""Dependency report and install commands for each kind of QGIS installation."""

import sys

import numpy as np

from cropseg.core.dependencies import (PACKAGES, dependency_report, install_command,
                                       python_executable)


def test_report_lists_every_package_with_its_imported_version():
    rows = dependency_report()
    assert [name for name, _, _ in rows] == [pip for pip, _ in PACKAGES.values()]
    versions = {name: version for name, version, _ in rows}
    assert versions["numpy"] == np.__version__
    assert all(version and not problem for _, version, problem in rows)


def test_report_names_a_missing_package(monkeypatch):
    monkeypatch.setitem(sys.modules, "cv2", None)
    rows = {name: (version, problem) for name, version, problem in dependency_report()}
    assert rows["opencv-python-headless"] == (None, "not installed")


def test_install_command_for_each_system():
    names = ["geopandas", "xgboost-cpu"]
    debian = install_command(names, "debian")
    assert debian.startswith("sudo apt install python3-geopandas && ")
    assert debian.endswith('-m pip install --user --break-system-packages "numpy<2" '
                           '"xgboost-cpu==3.2.0"')
    assert install_command(names, "windows") == (
        'in the OSGeo4W Shell: python -m pip install --user "numpy<2" "geopandas" '
        '"xgboost-cpu==3.2.0"')
    for system in ("macos", "linux"):
        assert install_command(names, system) == (
            f'"{python_executable()}" -m pip install --user "numpy<2" "geopandas" '
            '"xgboost-cpu==3.2.0"')
