"""Write resources/i18n/cropseg.ts, the Qt Linguist template of every text the plugin shows.

The texts of the interface are collected by asking for them: a translator that
records what it is asked to translate is installed, then every algorithm of
the provider is created and its name, group, help, parameters and outputs are
read, so the template holds exactly the texts that ``tr()`` looks up.  The
messages written while it runs are read from the code: the literal ``tr("...")``
calls of the plugin, and the templates of errors, of ``Message`` and of the
feedback's ``info`` and ``warning`` calls in the plugin and the core (see
``core/common/errors.py``), which the plugin translates when it shows them.

Translators fill in a copy (``cropseg_fr.ts``) with Qt Linguist; ``lrelease``
makes the ``cropseg_fr.qm`` the plugin loads for a French QGIS.

Run with the project's venv: ``make translations``; ``--check`` only says whether the
committed template is up to date.
"""

import ast
import glob
import os
import re
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


#: Calls whose first argument is a message template: errors and messages (and the classes the
#: code derives from them, see :func:`template_calls`) and feedback lines.
TEMPLATE_CALLS = {"CropsegError", "Message", "info", "warning"}


def code_paths():
    """The Python files of the plugin and its core."""
    return sorted(glob.glob(os.path.join(ROOT, "algorithms", "*.py"))) + \
        [os.path.join(ROOT, name) for name in ("plugin.py", "provider.py")] + \
        sorted(glob.glob(os.path.join(ROOT, "core", "**", "*.py"), recursive=True))


def _tree(path):
    with open(path, encoding="utf-8") as handle:
        return ast.parse(handle.read())


def template_calls():
    """TEMPLATE_CALLS and the names of every class of the code derived from one of them."""
    names, classes = set(TEMPLATE_CALLS), [node for path in code_paths()
                                           for node in ast.walk(_tree(path))
                                           if isinstance(node, ast.ClassDef)]
    while True:
        derived = {c.name for c in classes
                   if any(getattr(base, "id", getattr(base, "attr", "")) in names
                          for base in c.bases)}
        if derived <= names:
            return names
        names |= derived


def message_calls(path, names):
    """The ``tr()`` calls and the calls of ``names`` (see :func:`template_calls`) in ``path``,
    in source order."""
    return sorted((node for node in ast.walk(_tree(path)) if isinstance(node, ast.Call)
                   and getattr(node.func, "id", getattr(node.func, "attr", "")) in names | {"tr"}),
                  key=lambda node: (node.lineno, node.col_offset))


def message_texts():
    """The literal messages of :func:`message_calls` over the code, with words to translate."""
    from cropseg.core.common.errors import Cancelled

    texts, names = [Cancelled().template], template_calls()
    for path in code_paths():
        texts += [node.args[0].value for node in message_calls(path, names)
                  if node.args and isinstance(node.args[0], ast.Constant)
                  and any(c.isalpha() for c in re.sub(r"{[^}]*}", "", node.args[0].value))]
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
        messages = message_texts()
    document = ts_document(texts + [text for text in dict.fromkeys(messages)
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
