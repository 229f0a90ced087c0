"""Dependency report and install commands for each kind of QGIS installation."""

import json
import shlex
import subprocess
import sys

import numpy as np

from cropseg.core.common.dependencies import (NUMPY_1, PACKAGES, dependency_report, install_command,
                                       numpy_pin, python_executable)


def test_report_lists_every_package_with_its_imported_version():
    rows = dependency_report()
    assert [name for name, _, _ in rows] == [pip for pip, _ in PACKAGES.values()]
    versions = {name: version for name, version, _ in rows}
    assert versions["numpy"] == np.__version__
    assert all(version and not problem for _, version, problem in rows)


def test_report_names_a_missing_package(monkeypatch):
    monkeypatch.setitem(sys.modules, "cv2", None)
    rows = {name: (version, problem) for name, version, problem in dependency_report()}
    version, problem = rows["opencv-python-headless"]
    assert version is None and problem.text() == "not installed"


def test_install_command_for_each_system():
    names = ["geopandas", "xgboost-cpu"]
    numpy = f'"{numpy_pin()}"'
    debian = install_command(names, "debian")
    assert debian.startswith("sudo apt install python3-geopandas && ")
    assert debian.endswith(f'-m pip install --user --break-system-packages {numpy} '
                           '"xgboost-cpu==3.2.0"')
    assert install_command(names, "windows") == (
        f'in the OSGeo4W Shell: python -m pip install --user {numpy} "geopandas" '
        '"xgboost-cpu==3.2.0"')
    for system in ("macos", "linux"):
        assert install_command(names, system) == (
            f'"{python_executable()}" -m pip install --user {numpy} "geopandas" '
            '"xgboost-cpu==3.2.0"')


def test_numpy_keeps_the_major_version_qgis_was_built_with():
    assert numpy_pin("2.2.4") == "numpy==2.2.4"  # the distribution's numpy 2 is never replaced
    assert numpy_pin("1.24.2") == f"numpy=={NUMPY_1}"  # QGIS 3.22: newest 1.x only
    assert numpy_pin() == numpy_pin(np.__version__)
    assert numpy_pin(np.__version__).split("==")[1].split(".")[0] == np.__version__.split(".")[0]


def test_the_printed_install_command_resolves_for_this_python(tmp_path):
    """pip resolves the printed command against the running Python's packages (no install)."""
    command = install_command(["scikit-learn", "skops", "xgboost-cpu"], "linux")
    arguments = shlex.split(command)[3:]  # after: python -m pip
    arguments.remove("--user")  # a virtual environment has no user site
    result = subprocess.run([sys.executable, "-m", "pip", *arguments, "--dry-run", "--quiet",
                             "--report", str(tmp_path / "report.json")],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    report = json.loads((tmp_path / "report.json").read_text())
    assert all(item["metadata"]["name"].lower() != "numpy" or
               item["metadata"]["version"] == np.__version__ for item in report["install"])
