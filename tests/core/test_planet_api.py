"""Scene search through the real planet SDK against a local fake of Planet's Data API."""

import datetime

import pytest
from shapely.geometry import box

from cropseg.core.common.errors import CropsegError, InputError
from cropseg.core.planet.api import connect
from cropseg.core.planet.search import search_scenes

AOI = box(-121.6, 38.25, -121.5, 38.33)


def _items(count):
    return [{"id": f"20170601_1804{i:02d}_0f35", "type": "Feature",
             "geometry": {"type": "Polygon", "coordinates": [[[-121.7, 38.2], [-121.4, 38.2],
                                                              [-121.4, 38.4], [-121.7, 38.4],
                                                              [-121.7, 38.2]]]},
             "properties": {"acquired": f"2017-06-{i + 1:02d}T18:04:00Z",
                            "cloud_cover": 0.01 * i, "clear_percent": 99 - i,
                            "sun_elevation": 60.0, "instrument": "PS2"}}
            for i in range(count)]


def test_search_follows_every_page_with_the_key(fake_planet):
    fake_planet.items = _items(5)
    items = search_scenes(AOI, "2017-06-01T00:00:00Z", "2017-10-01T00:00:00Z",
                          connection=connect(), max_cloud=10)
    assert [i["id"] for i in items] == [i["id"] for i in _items(5)]
    calls = [(method, path.split("?")[0]) for method, path, _, _ in fake_planet.log]
    assert calls == [("GET", "/compute/ops/bundles/spec"), ("POST", "/data/v1/quick-search"),
                     ("GET", "/data/v1/searches/s1/results"),
                     ("GET", "/data/v1/searches/s1/results")]
    assert all(auth == "api-key test-key" for _, path, auth, _ in fake_planet.log
               if path.startswith("/data/"))
    request = fake_planet.log[1][3]
    filters = {f["field_name"]: f["config"] for f in request["filter"]["config"]}
    assert request["item_types"] == ["PSScene"]
    assert filters["cloud_cover"] == {"lte": 0.1}
    assert filters["acquired"]["gte"].startswith("2017-06-01")
    assert filters["geometry"]["type"] == "Polygon"


def test_rejected_key_is_one_clear_line_without_the_key(fake_planet, monkeypatch):
    monkeypatch.setenv("PL_API_KEY", "wrong-secret")
    with pytest.raises(InputError, match="^Planet rejected the API key") as error:
        search_scenes(AOI, "2017-06-01", "2017-10-01", connection=connect())
    assert "wrong-secret" not in str(error.value)
    assert "wrong-secret" not in repr(connect())


@pytest.mark.parametrize("status", [429, 500, 502, 503])
def test_rate_limit_and_server_errors_are_retried(fake_planet, status):
    fake_planet.items = _items(3)
    fake_planet.fail = {"/data/v1/quick-search": [status]}
    items = search_scenes(AOI, "2017-06-01", "2017-10-01", connection=connect())
    assert len(items) == 3
    posts = [entry for entry in fake_planet.log if entry[0] == "POST"]
    assert len(posts) == 2


def test_retry_after_is_honoured(fake_planet):
    import time

    fake_planet.items = _items(1)
    fake_planet.retry_after = "2"
    fake_planet.fail = {"/data/v1/quick-search": [429]}
    started = time.monotonic()
    search_scenes(AOI, "2017-06-01", "2017-10-01", connection=connect())
    assert 2.0 <= time.monotonic() - started < 4.0


def test_persistent_server_errors_report_planet_s_message(fake_planet):
    fake_planet.fail = {"/data/v1/quick-search": [400]}
    with pytest.raises(CropsegError, match="Planet answered with an error: .*scripted 400"):
        search_scenes(AOI, "2017-06-01", "2017-10-01", connection=connect())


def test_missing_key(monkeypatch):
    monkeypatch.delenv("PL_API_KEY", raising=False)
    with pytest.raises(InputError, match="No Planet API key"):
        connect()


def test_bad_dates(fake_planet):
    with pytest.raises(InputError, match="START_DATE: 'June' is not a date"):
        search_scenes(AOI, "June", "2017-10-01", connection=connect())
    with pytest.raises(InputError, match="END_DATE is before START_DATE"):
        search_scenes(AOI, "2017-10-01", "2017-06-01", connection=connect())


def test_server_errors_that_persist_are_reported_after_retries(fake_planet):
    fake_planet.fail = {"/data/v1/quick-search": [500] * 4}
    with pytest.raises(CropsegError, match="Planet answered with an error: .*scripted 500.* "
                                           "\\(still after 3 retries\\)"):
        search_scenes(AOI, "2017-06-01", "2017-10-01", connection=connect())
    assert len([entry for entry in fake_planet.log if entry[0] == "POST"]) == 4


def test_footprints_are_sorted_best_first(fake_planet, tmp_path):
    import geopandas as gpd

    from cropseg.core.planet.search import write_footprints

    items = _items(3)
    items[0]["geometry"]["coordinates"] = [[[-121.6, 38.25], [-121.55, 38.25], [-121.55, 38.33],
                                            [-121.6, 38.33], [-121.6, 38.25]]]  # half the AOI
    items[2]["properties"]["cloud_cover"] = 0.0
    fake_planet.items = items
    found = search_scenes(AOI, "2017-06-01", "2017-10-01", connection=connect())
    write_footprints(found, AOI, str(tmp_path / "scenes.gpkg"))
    scenes = gpd.read_file(tmp_path / "scenes.gpkg")
    assert list(scenes["id"]) == [items[2]["id"], items[1]["id"], items[0]["id"]]
    assert list(scenes["aoi_coverage"]) == pytest.approx([100.0, 100.0, 50.0], abs=0.5)
    assert list(scenes["cloud_cover"]) == pytest.approx([0.0, 1.0, 0.0])
    assert scenes.crs.to_epsg() == 4326
    assert list(scenes.columns) == ["id", "acquired", "cloud_cover", "clear_percent",
                                    "sun_elevation", "instrument", "aoi_coverage", "geometry"]


def test_a_server_that_never_answers_fails_within_the_timeout(fake_planet):
    import time

    fake_planet.stall = ("/data/",)
    connection = connect(timeout=2)
    started = time.monotonic()
    with pytest.raises(CropsegError, match=r"^Planet at http://127.0.0.1:\d+ did not answer "
                                           r"within 2 s \(the CROPSEG_PLANET_TIMEOUT"):
        search_scenes(AOI, "2017-06-01", "2017-10-01", connection=connection)
    assert time.monotonic() - started < 10


@pytest.mark.parametrize("value", ["nan", "-5", "soon", "1e309"])
def test_a_bad_timeout_setting_is_refused(fake_planet, monkeypatch, value):
    monkeypatch.setenv("CROPSEG_PLANET_TIMEOUT", value)
    with pytest.raises(InputError, match=f"^CROPSEG_PLANET_TIMEOUT: '{value}' is not a number"):
        connect()


def test_an_answer_that_is_not_json_is_one_line(fake_planet):
    fake_planet.not_json = ("/data/",)
    with pytest.raises(CropsegError, match=r"^Planet at http://127.0.0.1:\d+ sent an answer that "
                                           "is not JSON; is CROPSEG_PLANET_URL"):
        search_scenes(AOI, "2017-06-01", "2017-10-01", connection=connect())


@pytest.mark.parametrize("aoi", [box(-121.6, 38.25, -121.6, 38.33), None])
def test_an_area_of_interest_without_area_is_refused(fake_planet, aoi):
    from shapely.geometry import Point

    aoi = aoi if aoi is not None else Point(-121.6, 38.3)
    with pytest.raises(InputError, match="^AOI: the area of interest has no area"):
        search_scenes(aoi, "2017-06-01", "2017-10-01", connection=connect())


def test_dates_without_a_time_include_the_whole_of_both_days(fake_planet):
    search_scenes(AOI, datetime.date(2017, 6, 1), "2017-10-01", connection=connect())
    body = [entry[3] for entry in fake_planet.log if entry[0] == "POST"][-1]
    ranges = [f["config"] for f in body["filter"]["config"] if f["type"] == "DateRangeFilter"]
    assert ranges == [{"gte": "2017-06-01T00:00:00+00:00",
                       "lte": "2017-10-01T23:59:59.999999+00:00"}]
