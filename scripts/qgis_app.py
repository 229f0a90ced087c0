"""QGIS started headless in this process, with Processing and the cropseg plugin loaded from
the checkout: for the scripts that build files with QGIS's own API."""

import contextlib
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@contextlib.contextmanager
def cropseg_in_qgis():
    """The cropseg plugin, registered in a started QGIS; QGIS exits afterwards."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.path.insert(0, ROOT)
    sys.path.append("/usr/share/qgis/python/plugins")
    import conftest  # noqa: F401  (registers the checkout as the package 'cropseg')
    from qgis.core import QgsApplication

    app = QgsApplication([], False)
    app.initQgis()
    from processing.core.Processing import Processing

    Processing.initialize()
    import cropseg

    plugin = cropseg.classFactory(None)
    plugin.initProcessing()
    try:
        yield plugin
    finally:
        plugin.unload()
        app.exitQgis()
