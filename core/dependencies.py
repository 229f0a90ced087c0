"""Which Python packages cropseg needs, and how to install a missing one.

Only the standard library is imported here, so this module works even when
every dependency is missing: QGIS still starts, the provider still loads, and
each algorithm explains what to install.
"""

import importlib
import os
import sys
import sysconfig

#: import name -> (pip name, version pinned in requirements.txt)
PACKAGES = {
    "numpy": ("numpy", "1.26.4"),
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
    "matplotlib": ("matplotlib", None),
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

#: What training and classification import.
LEARNING = ("numpy", "rasterio", "geopandas", "shapely", "pyproj", "rtree", "scipy", "sklearn",
            "skops", "xgboost")


def missing(modules):
    """``[(pip name, reason)]`` for each module in ``modules`` that fails to import."""
    problems = []
    for module in modules:
        try:
            importlib.import_module(module)
        except Exception as exc:  # a broken install raises more than ImportError
            reason = "not installed" if isinstance(exc, ModuleNotFoundError) else \
                f"broken: {str(exc).splitlines()[0][:120]}"
            problems.append((PACKAGES[module][0], reason))
    return problems


def python_executable():
    """The Python interpreter of the running QGIS.

    Inside QGIS ``sys.executable`` is QGIS itself or whatever ``python3`` is first
    on PATH; ``sys.prefix`` is the installation QGIS really imports from.
    """
    if os.name == "nt":
        return os.path.join(sys.prefix, "python.exe")
    versioned = os.path.join(sys.prefix, "bin", f"python{sys.version_info[0]}.{sys.version_info[1]}")
    return versioned if os.path.exists(versioned) else os.path.join(sys.prefix, "bin", "python3")


def install_command(pip_names):
    """The command that installs ``pip_names`` for the running QGIS's Python."""
    commands = []
    pip_names = list(pip_names)
    if os.path.exists("/etc/debian_version"):
        system = [DEBIAN_PACKAGES[n] for n in pip_names if n in DEBIAN_PACKAGES]
        pip_names = [n for n in pip_names if n not in DEBIAN_PACKAGES]
        if system:
            commands.append("sudo apt install " + " ".join(system))
    if pip_names:
        pins = {p: v for p, v in PACKAGES.values()}
        specs = [f"{n}=={pins[n]}" if pins.get(n) else n for n in pip_names]
        # Debian 12 and recent Ubuntu mark the system Python as externally managed
        # (PEP 668): pip refuses --user installs without this flag.
        managed = os.path.exists(os.path.join(sysconfig.get_path("stdlib"),
                                              "EXTERNALLY-MANAGED"))
        flags = "--user --break-system-packages" if managed else "--user"
        commands.append(f"\"{python_executable()}\" -m pip install {flags} \"numpy<2\" "
                        + " ".join(f"\"{s}\"" for s in specs))
    return " && ".join(commands)


def missing_message(modules):
    """One line naming what is missing and how to install it, or ``""`` when nothing is."""
    problems = missing(modules)
    if not problems:
        return ""
    listed = ", ".join(f"{name} ({reason})" for name, reason in problems)
    return (f"cropseg needs Python packages that are missing or broken: {listed}. "
            f"Install them with: {install_command([name for name, _ in problems])}")
