"""cropseg: crop segmentation from satellite imagery, as a QGIS Processing plugin."""


def classFactory(iface):  # noqa: N802 (QGIS plugin entry point)
    """QGIS entry point: create the plugin."""
    from .plugin import CropsegPlugin

    return CropsegPlugin(iface)
