"""The bad-input cases marked ``cli`` through qgis_process: a non-zero exit, one error line
naming the parameter, no traceback, inputs unchanged and nothing written."""

import importlib.util
import re
from pathlib import Path

import pytest

_SPEC = importlib.util.spec_from_file_location(
    "bad_input_cases", Path(__file__).resolve().parents[1] / "bad_input_cases.py")
cases = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(cases)

CLI_CASES = [case for case in cases.CASES if case.cli]


@pytest.fixture(scope="module")
def inputs(scene, tmp_path_factory):
    from cropseg.core.mapping.classify import classify_raster
    from cropseg.core.learn.train import save_training, train_classifier

    folder = tmp_path_factory.mktemp("made")
    model = str(folder / "model.cropseg")
    save_training(train_classifier(scene.raster, scene.train_labels, aoi_path=scene.train_aoi,
                                   classifier="knn", tune=False, max_samples_per_class=1000),
                  model)
    classes, confidence = str(folder / "classes.tif"), str(folder / "confidence.tif")
    classify_raster(scene.raster, model, classes, output_confidence=confidence)
    return cases.write_inputs(str(tmp_path_factory.mktemp("inputs")), scene, model, classes,
                              confidence)


def test_every_algorithm_has_a_case_through_qgis_process():
    assert {case.algorithm for case in CLI_CASES} == set(cases.GOOD)


@pytest.mark.parametrize("case", CLI_CASES, ids=lambda case: case.id)
def test_bad_input_through_qgis_process(case, inputs, qgis_process, process_error, tmp_path,
                                        request):
    env = dict(case.env)
    if cases.calls_planet(case):
        fake = request.getfixturevalue("fake_planet")
        cases.serve(case, fake)
        env = {"CROPSEG_PLANET_URL": fake.url, "PL_API_KEY": fake.KEY, **env}
    parameters = cases.parameters_of(case, {**inputs, "out": str(tmp_path / "out")})
    parameters = {k: str(v).lower() if isinstance(v, bool) else v for k, v in parameters.items()}
    before = cases.checksums(inputs["folder"])
    with pytest.raises(process_error) as error:
        qgis_process.run(f"cropseg:{case.algorithm}", parameters, env=env)
    assert error.value.returncode != 0
    assert re.search(case.message, str(error.value)), str(error.value)
    assert "Traceback" not in error.value.output, error.value.output
    assert cases.checksums(inputs["folder"]) == before
    assert cases.files_left(case, tmp_path / "out") == []
