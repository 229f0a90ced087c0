"""Make the checkout importable as the package ``cropseg``, whatever its folder is called, as a
Dask worker does (core/mapping/dask_worker.py)."""

import os
import runpy

runpy.run_path(os.path.join(os.path.dirname(os.path.abspath(__file__)), "core", "mapping",
                            "dask_worker.py"))
