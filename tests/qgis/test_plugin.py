"""The plugin inside QGIS: registration, dialogs, dependency messages, the core beside QGIS's GDAL."""

import importlib
import pkgutil
import sys

import numpy as np
import pytest
from qgis.core import QgsApplication

ALGORITHMS = {"cropseg:trainpixelclassifier", "cropseg:classifyraster",
              "cropseg:denoisevectorizemask", "cropseg:accuracyreport",
              "cropseg:stratifiedsample", "cropseg:planetsearch",
              "cropseg:planetorder", "cropseg:planetreflectance",
              "cropseg:temporalcomposite"}


def test_provider_registers_every_algorithm(plugin):
    provider = QgsApplication.processingRegistry().providerById("cropseg")
    assert provider is plugin.provider
    assert {a.id() for a in provider.algorithms()} == ALGORITHMS
    for algorithm in provider.algorithms():
        assert algorithm.shortHelpString() and algorithm.helpUrl().startswith("https://")
        assert not algorithm.icon().isNull()
        for parameter in algorithm.parameterDefinitions():
            assert parameter.help(), f"{algorithm.id()} {parameter.name()} has no help"


def test_unload_removes_the_provider_and_init_restores_it(plugin):
    registry = QgsApplication.processingRegistry()
    plugin.unload()
    assert registry.providerById("cropseg") is None and plugin.provider is None
    plugin.initProcessing()
    assert registry.providerById("cropseg") is plugin.provider is not None
    assert {a.id() for a in plugin.provider.algorithms()} == ALGORITHMS


@pytest.mark.parametrize("algorithm_id", sorted(ALGORITHMS))
def test_dialog_has_a_widget_for_every_parameter(provider, algorithm_id, qgis_iface,
                                                  monkeypatch):
    from processing.gui.AlgorithmDialog import AlgorithmDialog
    from qgis.gui import QgsBrowserGuiModel

    browser = QgsBrowserGuiModel()
    monkeypatch.setattr(qgis_iface, "browserModel", lambda: browser, raising=False)
    algorithm = QgsApplication.processingRegistry().createAlgorithmById(algorithm_id)
    dialog = AlgorithmDialog(algorithm)
    try:
        wrappers = dialog.mainWidget().wrappers
        names = {p.name() for p in algorithm.parameterDefinitions()}
        assert names <= set(wrappers)
        for name in names:
            assert wrappers[name].wrappedWidget() is not None
    finally:
        dialog.deleteLater()


def test_missing_dependency_is_named_with_its_install_command(provider, monkeypatch):
    monkeypatch.setitem(sys.modules, "xgboost", None)  # import now fails like a missing package
    algorithm = QgsApplication.processingRegistry().createAlgorithmById(
        "cropseg:trainpixelclassifier")
    ok, message = algorithm.canExecute()
    assert not ok
    assert "xgboost-cpu (not installed)" in message
    assert "-m pip install" in message and "xgboost-cpu==3.2.0" in message


def test_whole_core_runs_beside_qgis_gdal(tmp_path):
    import rasterio
    from osgeo import gdal, gdal_array

    import cropseg.core

    modules = [m.name for m in pkgutil.iter_modules(cropseg.core.__path__)]
    for name in modules:
        importlib.import_module(f"cropseg.core.{name}")
    assert {"train", "classify", "model", "sampling"} <= set(modules)

    data = np.arange(120, dtype=np.uint16).reshape(1, 10, 12)
    with rasterio.open(tmp_path / "r.tif", "w", driver="GTiff", width=12, height=10, count=1,
                       dtype="uint16", crs="EPSG:32633",
                       transform=rasterio.transform.from_origin(100, 100, 1, 1)) as dst:
        dst.write(data)
    assert np.array_equal(gdal_array.LoadFile(str(tmp_path / "r.tif")), data[0])
    gdal.Translate(str(tmp_path / "g.tif"), str(tmp_path / "r.tif"), scaleParams=[[0, 119, 0, 238]],
                   outputType=gdal.GDT_UInt16)
    with rasterio.open(tmp_path / "g.tif") as src:
        assert np.array_equal(src.read(1), data[0] * 2)
