"""Which Python packages cropseg needs, and how to install a missing one.

Run as a script, it prints :func:`numpy_pin` for the Python that runs it
(``scripts/setup.sh`` builds the virtual environment with it).

Only the standard library is imported here, so this module works even when
every dependency is missing: QGIS still starts, the provider still loads, and
each algorithm explains what to install.
"""

import importlib
import os
import sys
import sysconfig

#: numpy where QGIS runs numpy 1.x (its GDAL bindings are built on it, as on QGIS 3.22):
#: the newest 1.x, which scikit-learn and skops accept.
NUMPY_1 = "1.26.4"

#: import name -> (pip name, version pinned in requirements.txt; numpy: see numpy_pin)
PACKAGES = {
    "numpy": ("numpy", None),
    "rasterio": ("rasterio", None),
    "geopandas": ("geopandas", None),
    "shapely": ("shapely", None),
    "pyproj": ("pyproj", None),
    "rtree": ("rtree", None),
    "scipy": ("scipy", None),
    "sklearn": ("scikit-learn", "1.9.1"),
    "xgboost": ("xgboost-cpu", "3.2.0"),
    "skops": ("skops", "0.16.0"),
    "cv2": ("opencv-python-headless", "4.11.0.86"),
    "planet": ("planet", "3.7.0"),
    "defusedxml": ("defusedxml", "0.7.1"),
    "matplotlib": ("matplotlib", None),
    "distributed": ("dask[distributed]", "2026.8.0"),
}

#: On Debian and Ubuntu these must come from the distribution: QGIS loads the
#: system GDAL, GEOS and PROJ, and pip wheels of these packages then bind to the
#: wrong libraries.  pip name -> Debian package.
DEBIAN_PACKAGES = {
    "rasterio": "python3-rasterio",
    "geopandas": "python3-geopandas",
    "shapely": "python3-shapely",
    "pyproj": "python3-pyproj",
    "rtree": "python3-rtree",
    "scipy": "python3-scipy",
    "matplotlib": "python3-matplotlib",
}

#: What training imports.
LEARNING = ("numpy", "rasterio", "geopandas", "shapely", "pyproj", "scipy", "sklearn", "skops",
            "xgboost", "cv2")

#: What classification imports.
CLASSIFYING = ("numpy", "rasterio", "shapely", "scipy", "sklearn", "skops", "xgboost", "cv2")

#: Packages only some algorithms need, which the plugin works without: import name -> the
#: algorithm that needs it.
OPTIONAL = {"distributed": "Classify rasters in batch"}


def missing(modules):
    """``[(pip name, reason)]`` for each module in ``modules`` that fails to import; the reason
    is a :class:`Message`."""
    from .errors import Message  # imported here: setup runs this file as a script

    problems = []
    for module in modules:
        try:
            importlib.import_module(module)
        except Exception as exc:  # a broken install raises more than ImportError
            reason = Message("not installed") if isinstance(exc, ModuleNotFoundError) else \
                Message("broken: {error}", error=str(exc).splitlines()[0][:120])
            problems.append((PACKAGES[module][0], reason))
    return problems


def numpy_pin(version=None):
    """The numpy that pip must keep for the running Python (``version``: its numpy).

    QGIS's GDAL bindings and the distribution's compiled packages are built
    against the numpy that comes with QGIS, and break under another major
    version: a numpy 2 stays exactly as installed; a numpy 1.x may only move to
    :data:`NUMPY_1`.  ``"numpy"`` where none is installed.
    """
    if version is None:
        try:
            version = importlib.import_module("numpy").__version__
        except Exception:  # a broken numpy is replaced like a missing one
            return "numpy"
    major = int(version.split(".")[0])
    return f"numpy=={version}" if major >= 2 else f"numpy=={NUMPY_1}"


def running_system():
    """How the running QGIS gets Python packages: debian, windows, macos or linux."""
    if os.name == "nt":
        return "windows"
    if sys.platform == "darwin":
        return "macos"
    return "debian" if os.path.exists("/etc/debian_version") else "linux"


def python_executable():
    """The Python interpreter of the running QGIS.

    Inside QGIS ``sys.executable`` is QGIS itself or whatever ``python3`` is first
    on PATH; ``sys.prefix`` is the installation QGIS really imports from.
    """
    if os.name == "nt":
        return os.path.join(sys.prefix, "python.exe")
    major, minor = sys.version_info[:2]
    versioned = os.path.join(sys.prefix, "bin", f"python{major}.{minor}")
    return versioned if os.path.exists(versioned) else os.path.join(sys.prefix, "bin", "python3")


def install_command(pip_names, system=None):
    """The command that installs ``pip_names`` for the running QGIS's Python.

    Debian and Ubuntu: the geospatial packages from the distribution (they must
    bind to the GDAL, GEOS and PROJ QGIS loads), the rest with pip.  Windows:
    pip in the OSGeo4W Shell that comes with every QGIS install.  macOS and
    other Linux: pip of the interpreter QGIS runs.
    """
    system = system or running_system()
    commands = []
    pip_names = list(pip_names)
    if system == "debian":
        apt = [DEBIAN_PACKAGES[n] for n in pip_names if n in DEBIAN_PACKAGES]
        pip_names = [n for n in pip_names if n not in DEBIAN_PACKAGES]
        if apt:
            commands.append("sudo apt install " + " ".join(apt))
    if pip_names:
        pins = {p: v for p, v in PACKAGES.values()}
        specs = " ".join(f"\"{n}=={pins[n]}\"" if pins.get(n) else f"\"{n}\""
                         for n in pip_names if n != "numpy")
        # Debian 12 and recent Ubuntu mark the system Python as externally managed
        # (PEP 668): pip refuses --user installs without this flag.
        managed = system == "debian" and os.path.exists(
            os.path.join(sysconfig.get_path("stdlib"), "EXTERNALLY-MANAGED"))
        flags = "--user --break-system-packages" if managed else "--user"
        python = "python" if system == "windows" else f"\"{python_executable()}\""
        pip = f"{python} -m pip install {flags} \"{numpy_pin()}\" {specs}"
        commands.append(f"in the OSGeo4W Shell: {pip}" if system == "windows" else pip)
    return " && ".join(commands)


def dependency_report():
    """``[(pip name, version or None, problem)]`` for every package, in PACKAGES order.

    The problem is "" for a package that imports, or a :class:`Message`: "not installed", or
    "broken: <first line of the error>".
    """
    from importlib import metadata

    rows = []
    for module, (pip_name, _) in PACKAGES.items():
        problems = missing([module])
        if problems:
            rows.append((pip_name, None, problems[0][1]))
            continue
        version = getattr(sys.modules[module], "__version__", None)
        if version is None:
            try:
                version = metadata.version(pip_name)
            except metadata.PackageNotFoundError:
                version = "unknown"
        rows.append((pip_name, str(version), ""))
    return rows


def missing_message(modules, translate=None):
    """One line naming what is missing and how to install it, in the language of ``translate``
    when given, or ``""`` when nothing is missing."""
    from .errors import Message

    problems = missing(modules)
    if not problems:
        return ""
    listed = ", ".join(f"{name} ({reason.text(translate)})" for name, reason in problems)
    return Message("cropseg needs Python packages that are missing or broken: {listed}. Install "
                   "them with: {command}", listed=listed,
                   command=install_command([name for name, _ in problems])).text(translate)


if __name__ == "__main__":
    print(numpy_pin())
