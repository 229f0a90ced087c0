"""Make the checkout importable as the package ``cropseg``, whatever its folder is called."""

import importlib.util
import os
import sys

_ROOT = os.path.dirname(os.path.abspath(__file__))

if "cropseg" not in sys.modules:
    _spec = importlib.util.spec_from_file_location(
        "cropseg", os.path.join(_ROOT, "__init__.py"), submodule_search_locations=[_ROOT])
    _module = importlib.util.module_from_spec(_spec)
    sys.modules["cropseg"] = _module
    _spec.loader.exec_module(_module)
