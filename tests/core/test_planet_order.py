"""Orders through the real planet SDK against the local fake: wait, download, verify, reuse."""

import os

import pytest

from cropseg.core.common.errors import Cancelled, CropsegError
from cropseg.core.planet.api import connect
from cropseg.core.planet.order import STATE_FILE, order_scenes
from cropseg.core.common.progress import Feedback

SCENE = "20170601_180425_0f35"
SR = f"{SCENE}_3B_AnalyticMS_SR_clip.tif"
XML = f"{SCENE}_3B_AnalyticMS_metadata_clip.xml"


@pytest.fixture
def delivery(fake_planet):
    fake_planet.files = {SR: os.urandom(300_000), XML: b"<xml/>"}
    return fake_planet


def _order(folder, **options):
    return order_scenes([SCENE], str(folder), connection=connect(), poll_seconds=0.01,
                        **options)


def test_order_waits_downloads_and_verifies(delivery, tmp_path):
    messages = []
    result = _order(tmp_path, feedback=Feedback(on_info=messages.append))
    assert result.state == "success" and not result.reused
    names = sorted(os.path.basename(p) for p in result.files)
    assert names == sorted([SR, XML])
    for path in result.files:
        assert open(path, "rb").read() == delivery.files[os.path.basename(path)]
    assert not [p for p in os.listdir(tmp_path / result.order_id / "PSScene")
                if p.endswith(".part")]
    request = delivery.orders[result.order_id]["request"]
    assert request["products"][0]["product_bundle"] == "analytic_sr_udm2"
    assert any("running" in m for m in messages) and any("success" in m for m in messages)


def test_rerun_reuses_the_order_and_skips_complete_files(delivery, tmp_path):
    first = _order(tmp_path)
    second = _order(tmp_path)
    assert second.reused and second.order_id == first.order_id
    assert len(delivery.orders) == 1
    assert sorted(second.skipped) == sorted(first.files)
    assert os.path.exists(tmp_path / STATE_FILE)


def test_failed_order_reports_planet_s_reason(delivery, tmp_path):
    delivery.order_failure = "No access to assets: ortho_analytic_4b_sr"
    with pytest.raises(CropsegError, match="Planet could not deliver order [0-9a-f-]+ "
                                           "\\(failed\\): No access to assets"):
        _order(tmp_path)


@pytest.mark.parametrize("problem", ["corrupt", "truncate"])
def test_a_bad_transfer_is_retried_once(delivery, tmp_path, problem):
    setattr(delivery, problem, {f"PSScene/{SR}": 1})
    result = _order(tmp_path)
    target = [p for p in result.files if p.endswith(SR)][0]
    assert open(target, "rb").read() == delivery.files[SR]


@pytest.mark.parametrize("problem, message", [
    ("corrupt", "its checksum does not match the order manifest"),
    ("truncate", "the transfer broke off"),
])
def test_a_transfer_that_fails_twice_is_reported_and_leaves_nothing(delivery, tmp_path,
                                                                    problem, message):
    setattr(delivery, problem, {f"PSScene/{SR}": 2})
    with pytest.raises(CropsegError, match=f"Download of {SR} from Planet failed twice: {message}"):
        _order(tmp_path)
    leftovers = [f for _, _, files in os.walk(tmp_path) for f in files
                 if f.endswith((".part", ".tif"))]
    assert leftovers == []


def test_cancel_while_downloading_leaves_no_partial_file(delivery, tmp_path):
    delivery.files[SR] = os.urandom(4_000_000)
    seen = []

    def cancel_once_downloading():
        seen.append(1)
        return any(f.endswith(".part") for _, _, files in os.walk(tmp_path) for f in files)

    with pytest.raises(Cancelled):
        _order(tmp_path, feedback=Feedback(is_cancelled=cancel_once_downloading))
    files = [f for _, _, names in os.walk(tmp_path) for f in names]
    assert not [f for f in files if f.endswith((".part", ".tif"))]


def test_cancel_while_waiting(delivery, tmp_path):
    with pytest.raises(Cancelled):
        order_scenes([SCENE], str(tmp_path), connection=connect(), poll_seconds=5,
                     feedback=Feedback(is_cancelled=lambda: True))


@pytest.mark.parametrize("prefix", ["../../", "/tmp/stolen/", "..\\..\\", "./../"])
def test_hostile_file_names_stay_inside_the_output_folder(delivery, tmp_path, prefix):
    delivery.name_prefix = prefix
    result = _order(tmp_path / "out")
    assert sorted(os.listdir(tmp_path)) == ["out"]
    assert not os.path.exists("/tmp/stolen")
    out = os.path.realpath(tmp_path / "out")
    assert len(result.files) == 2 and all(
        os.path.realpath(path).startswith(out + os.sep) for path in result.files)
    for path in result.files:
        assert open(path, "rb").read() == delivery.files[os.path.basename(path)]


def test_links_to_another_host_are_fetched_without_the_key(delivery, storage_host, tmp_path):
    delivery.download_url = storage_host.url
    result = _order(tmp_path)
    assert len(result.files) == 2
    downloads = [entry for entry in storage_host.log if entry[1].startswith("/download/")]
    assert len(downloads) == 3  # manifest and two files
    assert all(authorization is None for _, _, authorization, _ in downloads)
    assert all(authorization == f"api-key {delivery.KEY}" for method, path, authorization, _
               in delivery.log if path.startswith("/compute/ops/orders"))


def test_a_redirect_to_another_host_gets_no_key(delivery, storage_host, tmp_path):
    delivery.redirect_url = storage_host.url
    result = _order(tmp_path)
    assert len(result.files) == 2
    redirected = [entry for entry in storage_host.log if entry[1].startswith("/download/")]
    assert len(redirected) == 3
    assert all(authorization is None for _, _, authorization, _ in redirected)


def test_a_stalled_download_fails_within_the_timeout_and_leaves_nothing(delivery, tmp_path):
    import time

    delivery.stall = ("/download/",)
    started = time.monotonic()
    with pytest.raises(CropsegError, match=r"^Download of manifest.json stalled: the server at "
                                           r".* did not answer within 2 s"):
        order_scenes([SCENE], str(tmp_path), connection=connect(timeout=2), poll_seconds=0.01)
    assert time.monotonic() - started < 10
    assert [name for _, _, names in os.walk(tmp_path) for name in names] == [STATE_FILE]


def test_an_order_that_never_finishes_stops_at_the_longest_wait(delivery, tmp_path):
    import time

    delivery.never_finish = True
    started = time.monotonic()
    with pytest.raises(CropsegError, match=r"^MAX_WAIT: order [0-9a-f-]+ is still running after "
                                           r"0.01 min; run again"):
        _order(tmp_path, max_wait_minutes=0.01)
    assert 0.6 <= time.monotonic() - started < 10
