"""QGIS tier: the plugin loaded the way QGIS loads it, once per session."""

import pytest


@pytest.fixture(scope="session")
def plugin(qgis_app, qgis_processing, qgis_iface):
    """The cropseg plugin created by classFactory and registered like QGIS does."""
    import cropseg

    instance = cropseg.classFactory(qgis_iface)
    instance.initProcessing()
    yield instance
    instance.unload()


@pytest.fixture(scope="session")
def provider(plugin):
    return plugin.provider
