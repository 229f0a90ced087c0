"""core/ stays pure Python: no QGIS, PyQt, processing or osgeo anywhere in it."""

import ast
from pathlib import Path

CORE = Path(__file__).resolve().parents[2] / "core"
FORBIDDEN = ("qgis", "PyQt4", "PyQt5", "PyQt6", "processing", "osgeo")


def _imported_modules(path):
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "import_module":
            if node.args and isinstance(node.args[0], ast.Constant):
                yield str(node.args[0].value)


def test_core_imports_no_qgis_pyqt_processing_or_osgeo():
    offenders = []
    files = sorted(CORE.rglob("*.py"))
    assert len(files) > 5
    for path in files:
        for module in _imported_modules(path):
            if module.split(".")[0] in FORBIDDEN:
                offenders.append(f"{path.relative_to(CORE.parent)}: {module}")
    assert offenders == []


def test_the_guard_catches_a_forbidden_import(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("import os\nfrom qgis.core import QgsApplication\nimport osgeo.gdal\n")
    found = [m for m in _imported_modules(sample) if m.split(".")[0] in FORBIDDEN]
    assert found == ["qgis.core", "osgeo.gdal"]


def test_plugin_uses_only_qgis_pyqt():
    root = CORE.parent
    direct = []
    for path in [root / "plugin.py", root / "provider.py", *sorted((root / "algorithms").glob("*.py"))]:
        for module in _imported_modules(path):
            if module.split(".")[0] in ("PyQt4", "PyQt5", "PyQt6"):
                direct.append(f"{path.name}: {module}")
    assert direct == []
