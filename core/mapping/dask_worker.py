"""Preload for Dask workers that run cropseg tasks: ``dask worker --preload <this file>``.

A task names its function by module (``cropseg.core.mapping.batch``), so a worker must import
the plugin as the package ``cropseg`` whatever its folder is called. Loading this file
registers the plugin folder under that name: the folder in the environment variable
CROPSEG_PLUGIN_FOLDER, or else the one that holds this file (Dask runs a copy of a preload
file, so the variable is how a local cluster passes the folder on). It needs only the core's
own dependencies, never QGIS.
"""

import importlib.util
import os
import sys

#: The environment variable that names the plugin folder.
FOLDER_VARIABLE = "CROPSEG_PLUGIN_FOLDER"

ROOT = os.environ.get(FOLDER_VARIABLE) or \
    os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

if "cropseg" not in sys.modules:
    spec = importlib.util.spec_from_file_location(
        "cropseg", os.path.join(ROOT, "__init__.py"), submodule_search_locations=[ROOT])
    module = importlib.util.module_from_spec(spec)
    sys.modules["cropseg"] = module
    spec.loader.exec_module(module)
