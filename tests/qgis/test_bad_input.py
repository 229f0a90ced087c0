"""Every bad-input case of tests/bad_input_cases.py through processing.run.

Each case must fail (or, for a warning case, succeed and warn) with one line that names the
parameter (or, for a misbehaving server or setting, the cause), leave every input byte for byte
as it was, leave no output, and take under 10 s.
"""

import importlib.util
import os
import re
import time
from pathlib import Path

import pytest
from qgis.core import QgsProcessingException, QgsProcessingFeedback

_SPEC = importlib.util.spec_from_file_location(
    "bad_input_cases", Path(__file__).resolve().parents[1] / "bad_input_cases.py")
cases = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(cases)

#: Seconds until a case fails, or until it warns.
LIMIT_S = 10.0


class Recorder(QgsProcessingFeedback):
    """Feedback that keeps the warnings an algorithm pushes, with the seconds until each."""

    def __init__(self):
        super().__init__()
        self.started = time.perf_counter()
        self.warnings = []

    def pushWarning(self, warning):  # noqa: N802 (QGIS API)
        self.warnings.append((warning, time.perf_counter() - self.started))
        super().pushWarning(warning)


@pytest.fixture(scope="module")
def inputs(provider, scene, tmp_path_factory):
    """The files of every case, written once: cases must not change them."""
    import processing

    folder = tmp_path_factory.mktemp("made")
    model = processing.run("cropseg:trainpixelclassifier", {
        "INPUT_RASTER": scene.raster, "LABELS": scene.train_labels, "AOI": scene.train_aoi,
        "CLASSIFIER": 0, "TUNE": False, "MAX_SAMPLES_PER_CLASS": 1000,
        "OUTPUT_MODEL": str(folder / "model.cropseg")})["OUTPUT_MODEL"]
    classified = processing.run("cropseg:classifyraster", {
        "INPUT_RASTER": scene.raster, "MODEL": model,
        "OUTPUT_CLASSES": str(folder / "classes.tif"),
        "OUTPUT_CONFIDENCE": str(folder / "confidence.tif")})
    return cases.write_inputs(str(tmp_path_factory.mktemp("inputs")), scene, model,
                              classified["OUTPUT_CLASSES"], classified["OUTPUT_CONFIDENCE"])


def _prepare(case, inputs, tmp_path, request, monkeypatch):
    """The case's parameters; for Planet cases a fake Planet set up as the case asks."""
    files = {**inputs, "out": str(tmp_path / "out")}
    if cases.calls_planet(case):
        cases.serve(case, request.getfixturevalue("fake_planet"))
    for name, value in case.env.items():
        monkeypatch.setenv(name, value)
    return cases.parameters_of(case, files)


@pytest.mark.parametrize("case", cases.CASES, ids=lambda case: case.id)
def test_bad_input_costs_nothing(case, inputs, tmp_path, request, monkeypatch):
    import processing

    parameters = _prepare(case, inputs, tmp_path, request, monkeypatch)
    before = cases.checksums(inputs["folder"])
    feedback = Recorder()
    if case.warning:
        processing.run(f"cropseg:{case.algorithm}", parameters, feedback=feedback)
        seconds = [s for w, s in feedback.warnings if _matches(case.message, w)]
        assert seconds, feedback.warnings
        assert seconds[0] < LIMIT_S
    else:
        with pytest.raises(QgsProcessingException) as error:
            processing.run(f"cropseg:{case.algorithm}", parameters, feedback=feedback)
        assert time.perf_counter() - feedback.started < LIMIT_S
        line = _error_line(str(error.value))
        assert _matches(case.message, line), line
        assert "Traceback" not in line and "failed unexpectedly" not in line, line
        assert _parameters_named(case.algorithm, line) or _names_the_cause(case, line), line
        assert cases.files_left(case, tmp_path / "out") == []
        if not case.may_leave:
            assert not os.path.exists(tmp_path / "out")  # not even a folder
    assert cases.checksums(inputs["folder"]) == before


def _parameters_named(algorithm, line):
    """The parameters of ``algorithm`` that ``line`` names."""
    from qgis.core import QgsApplication

    definitions = QgsApplication.processingRegistry().algorithmById(
        f"cropseg:{algorithm}").parameterDefinitions()
    return [d.name() for d in definitions if re.search(rf"\b{d.name()}\b", line)]


def _names_the_cause(case, line):
    """A failure that no parameter causes names its cause: the environment variable, or the
    Planet server and what it did."""
    return any(name in line for name in case.env) or (bool(case.server) and "Planet" in line)


def _matches(pattern, text):
    return re.search(pattern, text) is not None


def _error_line(message):
    """The one line of an error; QGIS's own parameter check puts a heading line above it."""
    heading = "Unable to execute algorithm\n"
    if message.startswith(heading):
        message = message[len(heading):]
    assert "\n" not in message.strip(), message
    return message.strip()


@pytest.mark.parametrize("algorithm", sorted(cases.GOOD))
def test_the_good_run_of_every_case_works(algorithm, inputs, tmp_path, request, monkeypatch):
    """The cases change one thing of a run that works, so each fails for its own reason."""
    import processing

    case = cases.Case(algorithm, "good run", {}, "")
    results = processing.run(f"cropseg:{algorithm}",
                             _prepare(case, inputs, tmp_path, request, monkeypatch))
    assert os.listdir(tmp_path / "out") and results
