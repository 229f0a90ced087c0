"""The QGIS plugin: registers the cropseg Processing provider."""

from qgis.core import QgsApplication


class CropsegPlugin:
    """Adds the cropseg provider to the Processing registry and removes it on unload."""

    def __init__(self, iface):
        self.iface = iface
        self.provider = None

    def initProcessing(self):  # noqa: N802 (QGIS API)
        """Register the provider; qgis_process calls only this."""
        from .provider import CropsegProvider

        provider = CropsegProvider()
        # QGIS deletes a provider whose id is already registered and returns False.
        self.provider = provider if QgsApplication.processingRegistry().addProvider(provider) \
            else None

    def initGui(self):  # noqa: N802 (QGIS API)
        """Register the provider when QGIS starts with a GUI."""
        self.initProcessing()

    def unload(self):
        """Remove the provider."""
        if self.provider is not None:
            QgsApplication.processingRegistry().removeProvider(self.provider)
            self.provider = None
