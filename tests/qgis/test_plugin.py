"""The plugin inside QGIS: registration, dialogs, dependency messages, and the core beside
QGIS's GDAL."""

import importlib
import os
import pkgutil
import sys
from pathlib import Path

import numpy as np
import pytest
from qgis.core import QgsApplication, QgsProcessingParameterEnum
from qgis.PyQt.QtGui import QImage

ALGORITHMS = {"cropseg:trainpixelclassifier", "cropseg:classifyraster", "cropseg:classifybatch",
              "cropseg:denoisevectorizemask", "cropseg:accuracyreport",
              "cropseg:stratifiedsample", "cropseg:planetsearch",
              "cropseg:planetorder", "cropseg:planetreflectance",
              "cropseg:temporalcomposite", "cropseg:checkdependencies",
              "cropseg:crop_mask_workflow"}


def test_provider_registers_every_algorithm(plugin):
    provider = QgsApplication.processingRegistry().providerById("cropseg")
    assert provider is plugin.provider
    assert {a.id() for a in provider.algorithms()} == ALGORITHMS
    for algorithm in provider.algorithms():
        assert "Example" in algorithm.shortHelpString()
        assert algorithm.helpUrl().startswith("https://github.com/cropseg/cropseg#")
        assert not algorithm.icon().isNull()
        for parameter in algorithm.parameterDefinitions():
            # Models (the shipped workflow) keep parameter help in their help content.
            text = algorithm.helpContent().get(parameter.name()) \
                if algorithm.id() == "cropseg:crop_mask_workflow" else parameter.help()
            assert text, f"{algorithm.id()} {parameter.name()} has no help"
            if isinstance(parameter, QgsProcessingParameterEnum) and \
                    parameter.usesStaticStrings():  # qgis_process's help lists numbers
                assert f"name ({', '.join(parameter.options())}); option numbers are not " \
                    "accepted" in text, parameter.name()


def test_every_algorithm_has_its_own_icon_and_the_workflow_a_readable_title(provider):
    algorithms = provider.algorithms()
    images = {a.id(): a.icon().pixmap(32, 32).toImage() for a in algorithms}
    assert not any(image.isNull() for image in images.values())
    provider_image = provider.icon().pixmap(32, 32).toImage()
    for algorithm_id, image in images.items():
        assert image != provider_image, algorithm_id
        assert [other for other in images.values() if other == image] == [image], algorithm_id
    workflow = provider.algorithm("crop_mask_workflow")
    assert workflow.displayName() == "Crop mask workflow"
    copy = workflow.create()
    assert copy.displayName() == "Crop mask workflow" and copy.icon().pixmap(32, 32).toImage() \
        == images["cropseg:crop_mask_workflow"]


def test_shipped_workflow_opens_as_an_unsaved_copy_in_the_model_designer(plugin, qgis_iface,
                                                                         monkeypatch, tmp_path):
    from processing.gui.ProviderActions import ProviderContextMenuActions
    from qgis.PyQt.QtCore import QSize

    # pytest-qgis's stand-in interface lacks the default argument QGIS's own has.
    monkeypatch.setattr(qgis_iface, "iconSize", lambda dockedToolbar=False: QSize(24, 24),
                        raising=False)
    plugin.initGui()
    assert plugin.provider is QgsApplication.processingRegistry().providerById("cropseg")
    (action,) = [a for a in ProviderContextMenuActions.actions if a in plugin.context_actions]
    action.setData(plugin.provider.algorithm("classifyraster"), None)
    assert not action.isEnabled()
    workflow = plugin.provider.algorithm("crop_mask_workflow")
    action.setData(workflow, None)
    assert action.isEnabled()
    dialog = action.execute()
    try:
        QgsApplication.processEvents()
        model = dialog.model()
        assert {child.algorithmId() for child in model.childAlgorithms().values()} == {
            "cropseg:trainpixelclassifier", "cropseg:classifyraster",
            "cropseg:denoisevectorizemask", "cropseg:accuracyreport"}
        instance = workflow.create()
        assert {p.name() for p in model.parameterDefinitions()} == {
            p.name() for p in instance.parameterDefinitions()}
        # No file behind the copy: saving asks where, the shipped file stays as it is.
        assert model.sourceFilePath() == ""
        # Inputs, algorithms and outputs are drawn on the designer's canvas.
        assert len(dialog.view().scene().items()) > 10
        assert dialog.view().grab().save(str(tmp_path / "designer.png"))
    finally:
        dialog.close()
        dialog.deleteLater()


def test_unload_removes_the_provider_and_init_restores_it(plugin):
    registry = QgsApplication.processingRegistry()
    plugin.unload()
    assert registry.providerById("cropseg") is None and plugin.provider is None
    assert plugin.context_actions == []
    plugin.initProcessing()
    assert registry.providerById("cropseg") is plugin.provider is not None
    assert {a.id() for a in plugin.provider.algorithms()} == ALGORITHMS


@pytest.mark.parametrize("algorithm_id", sorted(ALGORITHMS))
def test_dialog_shows_a_widget_for_every_parameter(provider, algorithm_id, qgis_iface,
                                                   monkeypatch, tmp_path):
    from processing.gui.AlgorithmDialog import AlgorithmDialog
    from qgis.gui import QgsBrowserGuiModel

    browser = QgsBrowserGuiModel()
    monkeypatch.setattr(qgis_iface, "browserModel", lambda: browser, raising=False)
    algorithm = QgsApplication.processingRegistry().createAlgorithmById(algorithm_id)
    dialog = AlgorithmDialog(algorithm)
    try:
        dialog.resize(900, 700)
        dialog.show()
        QgsApplication.processEvents()
        wrappers = dialog.mainWidget().wrappers
        names = {p.name() for p in algorithm.parameterDefinitions()}
        assert names <= set(wrappers)
        for name in names:
            widget = wrappers[name].wrappedWidget()
            assert widget is not None and widget.window() is dialog
        # `make screenshots` keeps them for the README (CROPSEG_SCREENSHOTS=docs/images).
        folder = Path(os.environ.get("CROPSEG_SCREENSHOTS", tmp_path))
        screenshot = folder / f"dialog_{algorithm.name()}.png"
        assert dialog.grab().save(str(screenshot))
        image = QImage(str(screenshot))
        assert (image.width(), image.height()) == (900, 700)
        # A rendered dialog, not a blank window: many distinct colours (text, frames, icons).
        colours = {image.pixel(x, y) for x in range(0, 900, 7) for y in range(0, 700, 7)}
        assert len(colours) > 20
    finally:
        dialog.close()
        dialog.deleteLater()


def test_missing_dependency_is_named_with_its_install_command(provider, monkeypatch):
    monkeypatch.setitem(sys.modules, "xgboost", None)  # import now fails like a missing package
    algorithm = QgsApplication.processingRegistry().createAlgorithmById(
        "cropseg:trainpixelclassifier")
    ok, message = algorithm.canExecute()
    assert not ok
    assert "xgboost-cpu (not installed)" in message
    assert "-m pip install" in message and "xgboost-cpu==3.2.0" in message


def test_check_dependencies_lists_versions_and_the_command_for_what_is_missing(provider,
                                                                               monkeypatch):
    import processing
    import sklearn
    from qgis.core import QgsProcessingFeedback

    class Log(QgsProcessingFeedback):
        lines = []

        def pushInfo(self, text):  # noqa: N802 (QGIS API)
            self.lines.append(text)

        def reportError(self, text, fatalError=False):  # noqa: N802 (QGIS API)
            self.lines.append(text)

    everything = processing.run("cropseg:checkdependencies", {}, feedback=Log())
    assert everything == {"MISSING": 0, "INSTALL_COMMAND": ""}
    assert f"scikit-learn: {sklearn.__version__}" in Log.lines
    assert f"numpy: {np.__version__}" in Log.lines

    Log.lines.clear()
    monkeypatch.setitem(sys.modules, "planet", None)
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    result = processing.run("cropseg:checkdependencies", {}, feedback=Log())
    assert result["MISSING"] == 2
    assert "planet: not installed" in Log.lines and "matplotlib: not installed" in Log.lines
    # Debian: matplotlib from the distribution, planet with pip, pinned.
    assert result["INSTALL_COMMAND"].startswith("sudo apt install python3-matplotlib && ")
    assert "-m pip install" in result["INSTALL_COMMAND"]
    assert '"planet==3.7.0"' in result["INSTALL_COMMAND"]
    assert result["INSTALL_COMMAND"] in Log.lines[-1]


def test_whole_core_runs_beside_qgis_gdal(tmp_path):
    import rasterio
    from osgeo import gdal, gdal_array

    import cropseg.core

    modules = [m.name for m in pkgutil.walk_packages(cropseg.core.__path__, "cropseg.core.")]
    for name in modules:
        importlib.import_module(name)
    assert {"cropseg.core.learn.train", "cropseg.core.mapping.classify",
            "cropseg.core.model.bundle", "cropseg.core.learn.sampling"} <= set(modules)

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
