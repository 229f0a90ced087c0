"""core/ stays pure Python (no QGIS, PyQt, processing or osgeo); the plugin is ready for Qt 6."""

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

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


#: Names of Qt and QGIS classes, whose enum members Qt 6 and QGIS 4 reach only fully scoped.
QT_CLASS = re.compile(r"^(Qt|Qgis|Qgs[A-Z]\w*|Q[A-Z]\w*)$")
#: Qt 6 and QGIS 4 removed these.
REMOVED_IN_QT6_QGIS4 = ("exec_", "QRegExp", "QDesktopWidget", "QgsMapLayerRegistry", "QStringList")


def _qt6_offences(path):
    """Unscoped enum members (``Qt.AlignLeft``, ``QgsProcessing.TypeRaster``) and removed API."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    nested = {id(node.value) for node in ast.walk(tree) if isinstance(node, ast.Attribute)}
    offences = []
    for node in ast.walk(tree):
        name = node.attr if isinstance(node, ast.Attribute) else getattr(node, "id", None)
        if name in REMOVED_IN_QT6_QGIS4:
            offences.append((node.lineno, name))
        elif (isinstance(node, ast.Attribute) and id(node) not in nested
              and isinstance(node.value, ast.Name) and QT_CLASS.match(node.value.id)
              and node.attr[:1].isupper() and not node.attr.isupper()):
            offences.append((node.lineno, f"{node.value.id}.{node.attr}"))
    return [f"{path.name}:{line}: {what}" for line, what in sorted(offences)]


def _plugin_sources():
    root = CORE.parent
    return [root / "plugin.py", root / "provider.py", root / "__init__.py",
            *sorted((root / "algorithms").glob("*.py")), *sorted((root / "scripts").glob("*.py")),
            *sorted((root / "tests").rglob("*.py"))]


def test_plugin_code_is_ready_for_qt6_and_qgis4():
    offences = [o for path in _plugin_sources() for o in _qt6_offences(path)]
    assert offences == []


def test_the_qt6_scan_catches_unscoped_enums_and_removed_api(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("a = Qt.AlignLeft\nb = Qt.AlignmentFlag.AlignLeft\n"
                      "c = QgsProcessing.TypeRaster\nd = Qgis.ProcessingSourceType.Raster\n"
                      "e = QgsApplication.processingRegistry()\nf = Qgis.QGIS_VERSION\n"
                      "dialog.exec_()\ng = QRegExp('x')\n")
    assert _qt6_offences(sample) == [
        "sample.py:1: Qt.AlignLeft", "sample.py:3: QgsProcessing.TypeRaster",
        "sample.py:7: exec_", "sample.py:8: QRegExp"]


def test_every_package_core_imports_is_checked_for():
    """Check dependencies and each algorithm's MODULES can only name packages PACKAGES knows."""
    import sys

    from cropseg.core.common.dependencies import PACKAGES

    # Installed with a package that PACKAGES names: pandas with geopandas, httpx with planet,
    # affine with rasterio.
    come_along = {"pandas", "httpx", "affine"}
    imported = {module.split(".")[0] for path in sorted(CORE.rglob("*.py"))
                for module in _imported_modules(path)}
    third_party = imported - set(sys.stdlib_module_names) - come_along
    assert third_party - set(PACKAGES) == set()


ROOT = CORE.parent
ALGORITHMS = sorted(p for p in (ROOT / "algorithms").glob("*.py")
                    if "(CropsegAlgorithm):" in p.read_text(encoding="utf-8"))


def _declared_modules(path):
    """The MODULES an algorithm module declares (a tuple, a name from core.common.dependencies,
    or a sum of those), or the base class's."""
    from cropseg.core.common import dependencies

    for source in (path, ROOT / "algorithms" / "base.py"):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "MODULES"
                                                    for t in node.targets):
                return tuple(eval(ast.unparse(node.value), vars(dependencies)))
    raise AssertionError(f"{path.name} declares no MODULES")


def _core_modules_imported(path):
    """The core modules an algorithm module imports (its core entry points)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return sorted({f"cropseg.{node.module}" for node in ast.walk(tree)
                   if isinstance(node, ast.ImportFrom) and node.level == 2
                   and (node.module or "").startswith("core")})


@pytest.mark.parametrize("path", ALGORITHMS, ids=lambda p: p.stem)
def test_an_algorithm_declares_every_package_its_core_imports(path):
    """With every package the algorithm does not declare made unimportable, its core modules
    still import: canExecute() cannot say ready while the run would fail on an import."""
    from cropseg.core.common.dependencies import PACKAGES

    blocked = sorted(set(PACKAGES) - set(_declared_modules(path)))
    script = "\n".join([
        "import importlib, importlib.abc, sys",
        "class Blocked(importlib.abc.MetaPathFinder):",
        "    def find_spec(self, name, path=None, target=None):",
        f"        if name.split('.')[0] in {blocked!r}:",
        "            raise ModuleNotFoundError(f'blocked: {name}')",
        "sys.meta_path.insert(0, Blocked())",
        f"sys.path.insert(0, {str(ROOT)!r})",
        "import conftest",
        f"for module in {_core_modules_imported(path)!r}:",
        "    importlib.import_module(module)"])
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert run.returncode == 0, (run.stderr.strip().splitlines() or [""])[-1]


def test_the_dependency_check_catches_an_undeclared_package(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("class A:\n    MODULES = ('numpy',)\n    def run(self):\n"
                      "        from ..core.cleanup.components import scan\n")
    assert _declared_modules(sample) == ("numpy",)
    assert _core_modules_imported(sample) == ["cropseg.core.cleanup.components"]
    with pytest.raises(AssertionError, match="blocked: cv2|blocked: rasterio"):
        test_an_algorithm_declares_every_package_its_core_imports(sample)


#: What each core package may import besides itself: the shared packages in layers, and the
#: pipeline's stages (Planet imagery, learn, mapping, cleanup, assessment) only the shared ones.
SHARED = {"common": set(), "rasters": {"common"}, "model": {"common", "rasters"}}
STAGES = ("planet", "learn", "mapping", "cleanup", "assessment")
MAY_IMPORT = {**SHARED, **{stage: set(SHARED) for stage in STAGES}}


def _imported_from(package, node):
    """The parts of the module a relative ``from`` import (``node``) in ``package`` names."""
    target = [*package[:len(package) - node.level + 1], *(node.module or "").split(".")]
    return [part for part in target if part]


def _package_imports(path, core=CORE):
    """(line, core package) of each relative import in a module of a core package."""
    package = path.relative_to(core).parts[:-1]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level > 0:
            target = _imported_from(package, node)
            names = [alias.name for alias in node.names]
            yield node.lineno, (target or names)[0]


def _sideways_imports(core=CORE):
    offenders = []
    for path in sorted(core.rglob("*.py")):
        package = path.relative_to(core).parts[0]
        if package not in MAY_IMPORT:
            continue
        for line, target in _package_imports(path, core):
            if target not in MAY_IMPORT[package] | {package, "__version__"}:
                offenders.append(f"{path.relative_to(core)}:{line} imports {target}")
    return offenders


def test_core_packages_follow_the_pipeline():
    """Every core module lies in a package; a stage imports only itself and the shared
    packages, and the shared packages only those below them."""
    assert sorted(p.name for p in CORE.glob("*.py")) == ["__init__.py"]
    assert {p.name for p in CORE.iterdir() if (p / "__init__.py").exists()} == set(MAY_IMPORT)
    assert _sideways_imports() == []


def test_the_pipeline_guard_catches_a_sideways_import(tmp_path):
    for package, text in (("mapping", "from ..learn.train import train_classifier\n"),
                          ("rasters", "from ..model.bundle import load_model\n"),
                          ("learn", "from ..common.errors import InputError\n")):
        (tmp_path / package).mkdir()
        (tmp_path / package / "step.py").write_text(text)
    assert _sideways_imports(tmp_path) == ["mapping/step.py:1 imports learn",
                                           "rasters/step.py:1 imports model"]


#: Glue modules every algorithm may share; no algorithm imports another.
SHARED_GLUE = {"base", "enums", "planet_account"}


def test_algorithms_share_only_the_common_glue():
    offenders = []
    for path in sorted((ROOT / "algorithms").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level == 1 \
                    and (node.module or "") not in SHARED_GLUE:
                offenders.append(f"{path.name}:{node.lineno} imports .{node.module}")
    assert offenders == []


KEY = re.compile(r"[A-Z][A-Z0-9_]+")


def key_repeats(folder):
    """Parameter keys written as text more than once: anywhere but ``KEY = "KEY"``."""
    offenders = []
    for path in sorted(Path(folder).glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        definitions = {id(node.value) for node in ast.walk(tree)
                       if isinstance(node, ast.Assign) and len(node.targets) == 1
                       and isinstance(node.targets[0], ast.Name)
                       and isinstance(node.value, ast.Constant)
                       and node.value.value == node.targets[0].id}
        offenders += [f"{path.name}:{node.lineno} \"{node.value}\"" for node in ast.walk(tree)
                      if isinstance(node, ast.Constant) and isinstance(node.value, str)
                      and KEY.fullmatch(node.value) and id(node) not in definitions]
    return offenders


def test_parameter_keys_are_constants():
    assert key_repeats(ROOT / "algorithms") == []


def test_the_key_guard_catches_a_key_written_as_text(tmp_path):
    (tmp_path / "algorithm.py").write_text(
        'class A:\n    OUTPUT = "OUTPUT"\n\n    def run(self, parameters):\n'
        '        return parameters["OUTPUT"], parameters[self.OUTPUT]\n')
    assert key_repeats(tmp_path) == ['algorithm.py:5 "OUTPUT"']


#: Packages a declared package needs although no core module imports them.
NEEDED_BY = {"geopandas": {"pyproj"}, "sklearn": {"scipy"}}

#: Packages imported inside functions of a shared module that an algorithm never calls.
NOT_ON_ITS_PATH = {
    "check_dependencies": {"numpy"},            # asks numpy's version, copes when it is missing
    "train_pixel_classifier": {"matplotlib"},   # the accuracy report's charts (common/html)
}


def _core_file(dotted):
    """The file of core module ``dotted`` ("cropseg.core.x.y"), or None when it names no
    module (a function or class imported from one)."""
    path = ROOT.joinpath(*dotted.split(".")[1:])
    for candidate in (path.with_suffix(".py"), path / "__init__.py"):
        if candidate.exists():
            return candidate
    return None


def _relative_imports(path, dotted):
    """Core modules that ``path`` (module ``dotted``) imports, in functions too."""
    package = dotted.split(".") if path.name == "__init__.py" else dotted.split(".")[:-1]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level > 0:
            module = ".".join(_imported_from(package, node))
            names = [module] + [f"{module}.{alias.name}" for alias in node.names]
            yield from (name for name in names if _core_file(name))


def _packages_reached(modules):
    """Packages of PACKAGES imported by ``modules`` or by any core module they import, in
    functions too: every package some path through them may need."""
    from cropseg.core.common.dependencies import PACKAGES

    seen, todo, packages = set(), list(modules), set()
    while todo:
        dotted = todo.pop()
        if dotted not in seen:
            seen.add(dotted)
            path = _core_file(dotted)
            packages |= {module.split(".")[0] for module in _imported_modules(path)}
            todo += _relative_imports(path, dotted)
    return packages & set(PACKAGES)


@pytest.mark.parametrize("path", ALGORITHMS, ids=lambda p: p.stem)
def test_an_algorithm_declares_exactly_the_packages_its_core_imports(path):
    reached = _packages_reached(_core_modules_imported(path)) - NOT_ON_ITS_PATH.get(path.stem,
                                                                                    set())
    needed = reached.union(*(NEEDED_BY.get(package, set()) for package in reached))
    assert sorted(_declared_modules(path)) == sorted(needed)


def test_the_package_scan_follows_imports_into_functions_and_other_packages():
    reached = _packages_reached(["cropseg.core.mapping.classify"])
    assert {"numpy", "rasterio", "cv2", "sklearn", "skops", "xgboost"} <= reached
    assert not {"planet", "defusedxml", "geopandas"} & reached
