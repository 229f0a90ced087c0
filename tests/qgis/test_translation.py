"""Every text the interface shows goes through the plugin's translation, and the template
translators start from lists them all."""

import ast
import os
import re
import shutil
import string
import subprocess
import sys

import pytest
from qgis.core import (QgsApplication, QgsProcessingException, QgsProcessingFeedback,
                       QgsProcessingParameterEnum)
from qgis.PyQt.QtCore import QCoreApplication, QTranslator

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


class Bracketing(QTranslator):
    """Translates every text of the cropseg context as itself in brackets."""

    def isEmpty(self):  # noqa: N802 (Qt API)
        return False

    def translate(self, context, text, disambiguation=None, n=-1):
        return f"⟦{text}⟧" if context == "cropseg" else ""


def translated(text):
    return text.startswith("⟦") and text.endswith("⟧")


def test_every_name_help_parameter_and_output_is_translated(plugin):
    from cropseg.algorithms.base import CropsegAlgorithm

    provider = plugin.provider
    translator = Bracketing()
    QCoreApplication.installTranslator(translator)
    try:
        assert translated(provider.name())
        algorithms = [a.create() for a in provider.algorithms() if isinstance(a, CropsegAlgorithm)]
        assert len(algorithms) >= 10
        for algorithm in algorithms:
            texts = [algorithm.displayName(), algorithm.group(), algorithm.shortHelpString()]
            for parameter in algorithm.parameterDefinitions():
                texts += [parameter.description(), parameter.help()]
                if isinstance(parameter, QgsProcessingParameterEnum) and \
                        not parameter.usesStaticStrings():
                    texts += parameter.options()
            texts += [output.description() for output in algorithm.outputDefinitions()]
            untranslated = [text for text in texts if not translated(text)]
            assert not untranslated, f"{algorithm.name()}: {untranslated}"
    finally:
        QCoreApplication.removeTranslator(translator)
    assert not translated(provider.algorithm("trainpixelclassifier").displayName())


def test_messages_of_the_plugin_are_translated():
    from qgis.core import QgsProcessingContext

    from cropseg.algorithms.classify_raster import ClassifyRaster

    translator = Bracketing()
    QCoreApplication.installTranslator(translator)
    try:
        with pytest.raises(QgsProcessingException) as raised:
            ClassifyRaster().raster_inputs({}, QgsProcessingContext())
    finally:
        QCoreApplication.removeTranslator(translator)
    assert str(raised.value) == "⟦Give INPUT_RASTER (one date) or TIME_STACK (several dates).⟧"


class Lines(QgsProcessingFeedback):
    """Keeps the lines an algorithm logs."""

    def __init__(self):
        super().__init__()
        self.lines = []

    def pushInfo(self, info):  # noqa: N802 (QGIS API)
        self.lines.append(info)


def test_messages_of_the_core_are_translated(provider, planet_scene, planet_metadata, tmp_path):
    import shutil

    import processing

    raster, _ = planet_scene
    other = str(tmp_path / "20160831_180257_0e26_3B_AnalyticMS_clip.tif")
    shutil.copy(raster, other)
    translator, feedback = Bracketing(), Lines()
    QCoreApplication.installTranslator(translator)
    try:
        processing.run("cropseg:planetreflectance", {
            "INPUT_RASTER": raster, "METADATA": planet_metadata,
            "OUTPUT": str(tmp_path / "refl.tif")}, feedback=feedback)
        with pytest.raises(QgsProcessingException) as raised:
            processing.run("cropseg:planetreflectance", {
                "INPUT_RASTER": other, "METADATA": planet_metadata,
                "OUTPUT": str(tmp_path / "other.tif")})
    finally:
        QCoreApplication.removeTranslator(translator)
    # The translation is looked up for the template; the values are filled in afterwards.
    assert any(re.fullmatch(r"⟦.+ to reflectance; \d+ pixel\(s\) masked .*⟧", line)
               for line in feedback.lines), feedback.lines
    assert re.fullmatch(r"⟦METADATA is for scene \S+ but INPUT_RASTER is scene "
                        r"20160831_180257_0e26.*⟧", str(raised.value))


def test_every_message_of_the_code_is_a_template_with_its_values():
    """Errors, messages and feedback lines take a literal template whose fields are given as
    keywords, so that the template can be translated and filled without a KeyError."""
    sys.path.insert(0, os.path.join(ROOT, "scripts"))
    try:
        from translations import code_paths, message_calls, template_calls
    finally:
        sys.path.remove(os.path.join(ROOT, "scripts"))
    problems, checked, names = [], 0, template_calls()
    assert {"InputError", "ModelFileError", "Cancelled", "_Transient"} <= names
    for path in code_paths():
        for call in message_calls(path, names):
            name = getattr(call.func, "id", getattr(call.func, "attr", ""))
            if name == "tr" or not call.args:
                continue
            where = f"{os.path.relpath(path, ROOT)}:{call.lineno}"
            template = call.args[0]
            if not (isinstance(template, ast.Constant) and isinstance(template.value, str)):
                problems.append(f"{where}: the template is not a literal string")
                continue
            fields = {field.split(".")[0].split("[")[0]
                      for _, field, _, _ in string.Formatter().parse(template.value) if field}
            keywords = {keyword.arg for keyword in call.keywords}
            if None not in keywords and fields != keywords:
                problems.append(f"{where}: fields {sorted(fields)} but values {sorted(keywords)}")
            checked += 1
    assert checked > 150 and not problems, problems


def test_translation_template_lists_every_text():
    subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "translations.py"), "--check"],
                   check=True, cwd=ROOT, capture_output=True, text=True)


@pytest.mark.skipif(not shutil.which("lrelease"), reason="needs Qt's lrelease (qttools5-dev-tools)")
def test_plugin_loads_the_translation_of_qgis_language(qgis_iface, tmp_path, monkeypatch):
    import cropseg
    import cropseg.plugin

    with open(os.path.join(ROOT, "resources", "i18n", "cropseg.ts"), encoding="utf-8") as f:
        template = f.read()
    french = template.replace("<source>Train pixel classifier from vector labels</source>\n        "
                              "<translation type=\"unfinished\"></translation>",
                              "<source>Train pixel classifier from vector labels</source>\n        "
                              "<translation>Entraîner un classifieur de pixels</translation>")
    (tmp_path / "cropseg_fr.ts").write_text(french, encoding="utf-8")
    subprocess.run(["lrelease", str(tmp_path / "cropseg_fr.ts")], check=True,
                   capture_output=True)
    monkeypatch.setattr(cropseg.plugin, "TRANSLATIONS", str(tmp_path))
    monkeypatch.setattr(QgsApplication, "locale", staticmethod(lambda: "fr"))
    from cropseg.algorithms.train_pixel_classifier import TrainPixelClassifier

    plugin = cropseg.classFactory(qgis_iface)
    try:
        assert plugin.translator is not None
        algorithm = TrainPixelClassifier()
        assert algorithm.displayName() == "Entraîner un classifieur de pixels"
        assert algorithm.group() == TrainPixelClassifier.GROUP   # no translation given
    finally:
        plugin.unload()
    assert TrainPixelClassifier().displayName() == TrainPixelClassifier.DISPLAY_NAME
