"""Write resources/i18n/cropseg.ts, the Qt Linguist template of every text the plugin shows.

The texts of the interface are collected by asking for them: a translator that
records what it is asked to translate is installed, then every algorithm of
the provider is created and its name, group, help, parameters and outputs are
read, so the template holds exactly the texts that ``tr()`` looks up.  The
messages the plugin writes while it runs are read from the literal ``tr("...")``
calls in its code.  Messages that come from the core stay in English.

Translators fill in a copy (``cropseg_fr.ts``) with Qt Linguist; ``lrelease``
makes the ``cropseg_fr.qm`` the plugin loads for a French QGIS.

Run with the project's venv: ``make translations``; ``--check`` only says whether the
committed template is up to date.
"""

import ast
import glob
import os
import sys
from xml.sax.saxutils import escape

from qgis_app import cropseg_in_qgis

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TEMPLATE = os.path.join(ROOT, "resources", "i18n", "cropseg.ts")


def source_texts(plugin):
    """Every text, in the order first shown, that the plugin's interface translates."""
    from qgis.PyQt.QtCore import QCoreApplication, QTranslator

    from cropseg.algorithms.base import TRANSLATION_CONTEXT, CropsegAlgorithm, tr
    from cropseg.plugin import EDIT_COPY_ACTION

    class Recorder(QTranslator):
        def __init__(self):
            super().__init__()
            self.texts = []

        def isEmpty(self):  # noqa: N802 (Qt API)
            return False

        def translate(self, context, text, disambiguation=None, n=-1):
            if context == TRANSLATION_CONTEXT and text not in self.texts:
                self.texts.append(text)
            return ""

    recorder = Recorder()
    QCoreApplication.installTranslator(recorder)
    try:
        provider = plugin.provider
        provider.name()
        tr(EDIT_COPY_ACTION)
        for algorithm in sorted(provider.algorithms(), key=lambda a: a.name()):
            if isinstance(algorithm, CropsegAlgorithm):   # not the shipped workflows
                instance = algorithm.create()
                instance.displayName(), instance.group(), instance.shortHelpString()
    finally:
        QCoreApplication.removeTranslator(recorder)
    return recorder.texts


def message_texts():
    """The texts of literal ``tr("...")`` and ``self.tr("...")`` calls in the plugin's code."""
    texts = []
    paths = sorted(glob.glob(os.path.join(ROOT, "algorithms", "*.py"))) + \
        [os.path.join(ROOT, name) for name in ("plugin.py", "provider.py")]
    for path in paths:
        with open(path, encoding="utf-8") as handle:
            tree = ast.parse(handle.read())
        calls = sorted((node for node in ast.walk(tree) if isinstance(node, ast.Call)
                        and getattr(node.func, "id", getattr(node.func, "attr", "")) == "tr"
                        and node.args and isinstance(node.args[0], ast.Constant)),
                       key=lambda node: (node.lineno, node.col_offset))
        texts += [node.args[0].value for node in calls]
    return texts


def ts_document(texts):
    """A Qt TS file with ``texts`` to translate, in the plugin's one context."""
    from cropseg.algorithms.base import TRANSLATION_CONTEXT

    messages = "".join(f"    <message>\n        <source>{escape(text)}</source>\n"
                       "        <translation type=\"unfinished\"></translation>\n"
                       "    </message>\n" for text in texts)
    return ("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<!DOCTYPE TS>\n"
            "<TS version=\"2.1\">\n<context>\n"
            f"    <name>{TRANSLATION_CONTEXT}</name>\n{messages}</context>\n</TS>\n")


def main():
    with cropseg_in_qgis() as plugin:
        texts = source_texts(plugin)
    document = ts_document(texts + [text for text in dict.fromkeys(message_texts())
                                    if text not in texts])
    if "--check" in sys.argv:
        with open(TEMPLATE, encoding="utf-8") as handle:
            if handle.read() != document:
                raise SystemExit(f"{TEMPLATE} is out of date: run make translations.")
        print(f"{TEMPLATE} is up to date.")
    else:
        with open(TEMPLATE, "w", encoding="utf-8") as handle:
            handle.write(document)
        print(f"wrote {TEMPLATE}")


if __name__ == "__main__":
    main()
