"""Planet's Data API through the ``planet`` SDK: key, base URL, bundles spec, scene search.

The API key comes from the caller (a QGIS authentication configuration) or the
``PL_API_KEY`` environment variable and is never written to logs, outputs or
messages.  ``CROPSEG_PLANET_URL`` points the clients at another base URL
(proxies, mirrors, tests); the SDK's product bundles spec is then read from
that host too instead of Planet's production host.
"""

import asyncio
import datetime
import itertools
import json
import os
from dataclasses import dataclass

from ..common.errors import CropsegError, InputError

PRODUCTION_URL = "https://api.planet.com"
URL_VARIABLE = "CROPSEG_PLANET_URL"
KEY_VARIABLE = "PL_API_KEY"
#: Seconds Planet may take to accept a connection or to send the next data, before a request
#: fails; the environment variable sets another limit.
TIMEOUT = 60.0
TIMEOUT_VARIABLE = "CROPSEG_PLANET_TIMEOUT"
SPEC_PATH = "/compute/ops/bundles/spec"


@dataclass(frozen=True)
class PlanetConnection:
    """Where and as whom to call Planet.  ``repr`` never shows the key."""

    api_key: str
    base_url: str
    timeout: float = TIMEOUT

    def __repr__(self):
        return f"PlanetConnection(base_url={self.base_url!r}, timeout={self.timeout:g})"


def connect(api_key=None, base_url=None, timeout=None):
    """A connection from explicit values, else ``PL_API_KEY``, ``CROPSEG_PLANET_URL`` and
    ``CROPSEG_PLANET_TIMEOUT``."""
    key = api_key or os.environ.get(KEY_VARIABLE, "")
    if not key.strip():
        raise InputError("No Planet API key: choose an authentication configuration (AUTH_CONFIG) "
                         f"or set the {KEY_VARIABLE} environment variable.")
    url = (base_url or os.environ.get(URL_VARIABLE) or PRODUCTION_URL).rstrip("/")
    timeout = _timeout(timeout if timeout is not None else
                       os.environ.get(TIMEOUT_VARIABLE, TIMEOUT))
    if url != PRODUCTION_URL:
        _install_bundles_spec(url, timeout)
    return PlanetConnection(key.strip(), url, timeout)


def _timeout(value):
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        seconds = float("nan")
    if not 0 < seconds <= 3600:  # NaN fails too
        raise InputError(f"{TIMEOUT_VARIABLE}: '{value}' is not a number of seconds between 0 "
                         "and 3600.")
    return seconds


def check_area_of_interest(aoi):
    """Refuse an area of interest (shapely) that encloses no area."""
    if aoi is None or aoi.is_empty or aoi.area <= 0:
        raise InputError("AOI: the area of interest has no area (points or lines); give "
                         "polygons or AOI_EXTENT.")


def search_scenes(aoi, start, end, *, connection, max_cloud=10.0, min_clear=None,
                  item_type="PSScene", limit=100, feedback=None):
    """Items of ``item_type`` over ``aoi`` (shapely, EPSG:4326) acquired in ``[start, end]``.

    ``start`` and ``end`` are dates (both included) or date-times, as objects or ISO 8601
    text.  ``max_cloud`` and ``min_clear`` are percents.  All result pages are followed.
    """
    from planet import data_filter
    from shapely.geometry import mapping

    check_area_of_interest(aoi)
    start = _as_datetime(start, "START_DATE")
    end = _as_datetime(end, "END_DATE", end_of_day=True)
    if end < start:
        raise InputError("END_DATE is before START_DATE.")
    filters = [data_filter.geometry_filter(mapping(aoi)),
               data_filter.date_range_filter("acquired", gte=start, lte=end),
               data_filter.range_filter("cloud_cover", lte=max_cloud / 100.0)]
    if min_clear is not None:
        filters.append(data_filter.range_filter("clear_percent", gte=min_clear))

    async def run(session):
        client = session.client("data", base_url=f"{connection.base_url}/data/v1/")
        items = []
        async for item in client.search([item_type], data_filter.and_filter(filters),
                                        limit=limit):
            if feedback is not None:
                feedback.check_cancelled()
            items.append(item)
        return items

    return run_with_session(connection, run, feedback=feedback)


def write_footprints(items, aoi, output, feedback=None):
    """Scene footprints (EPSG:4326) with their properties and the share of ``aoi`` each
    covers (percent), best first: most coverage, least cloud, most clear, most recent."""
    import geopandas as gpd
    from shapely.geometry import shape

    from ..common.files import atomic_outputs, write_vector

    equal_area = "EPSG:6933"
    aoi_area = gpd.GeoSeries([aoi], crs=4326).to_crs(equal_area).iloc[0]
    rows = []
    for item in items:
        properties = item.get("properties", {})
        footprint = shape(item["geometry"])
        covered = gpd.GeoSeries([footprint], crs=4326).to_crs(equal_area).iloc[0]
        rows.append({
            "id": item["id"], "acquired": properties.get("acquired"),
            "cloud_cover": 100.0 * float(properties.get("cloud_cover", float("nan"))),
            "clear_percent": properties.get("clear_percent"),
            "sun_elevation": properties.get("sun_elevation"),
            "instrument": properties.get("instrument"),
            "aoi_coverage": round(100.0 * covered.intersection(aoi_area).area / aoi_area.area, 2),
            "geometry": footprint})
    rows.sort(key=lambda r: (-r["aoi_coverage"], r["cloud_cover"], -(r["clear_percent"] or 0),
                             _descending(r["acquired"])))
    columns = ["id", "acquired", "cloud_cover", "clear_percent", "sun_elevation", "instrument",
               "aoi_coverage", "geometry"]
    frame = gpd.GeoDataFrame(rows, columns=columns, geometry="geometry", crs="EPSG:4326")
    with atomic_outputs(output) as (temp,):
        write_vector(frame, temp, "scenes", feedback)
    return frame


def _descending(text):
    """Sort key that puts later ISO timestamps first."""
    return [-ord(c) for c in (text or "")]


#: Retries of a unit of work after rate limiting (429), a server error (5xx) or a dropped
#: connection; the wait is Planet's Retry-After when it sends one, else 1, 2, 4 s.
RETRIES = 3
MAX_RETRY_AFTER = 120.0


def run_with_session(connection, work, *, feedback=None):
    """Run ``await work(session)`` in a planet Session, with Planet errors as one line.

    ``work`` must be safe to repeat: it runs again when Planet limits the request
    rate, answers with a server error or drops the connection.  The SDK's own
    retries are switched off so that Planet's Retry-After is honoured.
    """
    import httpx
    import planet

    last = {}  # status and Retry-After of the last answer

    async def remember(response):
        last["status"] = response.status_code
        last["retry_after"] = response.headers.get("Retry-After")

    async def main():
        async with planet.Session(auth=planet.Auth.from_key(connection.api_key),
                                  read_timeout_secs=connection.timeout) as session:
            session.max_retries = 0
            session._client.timeout = httpx.Timeout(connection.timeout)
            # before the SDK's own hook, which raises on an error status
            session._client.event_hooks["response"].insert(0, remember)
            return await work(session)

    for attempt in range(RETRIES + 1):
        last.clear()
        try:
            return _translated(lambda: asyncio.run(main()), connection, last.get)
        except _Transient as exc:
            if attempt == RETRIES:
                raise CropsegError(f"{exc} (still after {RETRIES} retries)") from None
            _pause(_retry_after(last.get("retry_after"), 2 ** attempt), feedback)


def _retry_after(header, default):
    """Seconds from a Retry-After header (seconds form), capped, else ``default``."""
    try:
        return min(max(float(header), 0.0), MAX_RETRY_AFTER)
    except (TypeError, ValueError):
        return default


class _Transient(Exception):
    """A failure that may pass on retry: rate limiting, server error, dropped connection."""


def _pause(seconds, feedback):
    """Sleep, waking up to honour a cancel request."""
    import time

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if feedback is not None:
            feedback.check_cancelled()
        time.sleep(min(0.1, max(deadline - time.monotonic(), 0)))


#: Answers worth retrying: rate limiting and server errors.
TRANSIENT_STATUS = (429, 500, 502, 503, 504)


def _translated(call, connection, last):
    """``call()`` with the SDK's errors turned into cropseg's one-line errors.

    ``last(key)`` gives the status of the last answer, which tells transient errors apart.
    """
    import httpx
    from planet import exceptions

    try:
        return call()
    except exceptions.APIError as exc:
        if last("status") == 429:
            raise _Transient("Planet limited the request rate") from None
        if last("status") in TRANSIENT_STATUS:
            raise _Transient(f"Planet answered with an error: {_one_line(exc)}") from None
        if isinstance(exc, exceptions.InvalidAPIKey):
            raise InputError("Planet rejected the API key; check AUTH_CONFIG or "
                             f"{KEY_VARIABLE}.") from None
        raise CropsegError(f"Planet answered with an error: {_one_line(exc)}") from None
    except httpx.TimeoutException:
        raise CropsegError(timeout_message(connection)) from None
    except json.JSONDecodeError:
        raise CropsegError(f"Planet at {connection.base_url} sent an answer that is not JSON; "
                           f"is {URL_VARIABLE} the API's address?") from None
    except httpx.TransportError as exc:
        raise _Transient(f"The connection to Planet at {connection.base_url} broke off "
                         f"({type(exc).__name__})") from None
    except exceptions.PlanetError as exc:
        raise CropsegError(f"Planet request failed: {_one_line(exc)}") from None
    except OSError as exc:  # network: refused, unreachable
        raise CropsegError(f"Cannot reach Planet at {connection.base_url}: {_one_line(exc)}") \
            from None


def timeout_message(connection, what="Planet"):
    """The one line for a request that got no answer in time."""
    return (f"{what} at {connection.base_url} did not answer within {connection.timeout:g} s "
            f"(the {TIMEOUT_VARIABLE} environment variable sets this limit).")


def _as_datetime(value, role, *, end_of_day=False):
    """An aware UTC datetime from a datetime, a date, or an ISO 8601 date or date-time string.

    A date without a time of day means the whole day: its first instant, or with
    ``end_of_day`` its last, so that a date range includes both of its dates.
    """
    if isinstance(value, str):
        text = value.strip().replace("Z", "+00:00")
        try:
            value = datetime.date.fromisoformat(text) if len(text) == 10 else \
                datetime.datetime.fromisoformat(text)
        except ValueError:
            raise InputError(f"{role}: '{value}' is not a date (use YYYY-MM-DD).") from None
    if not isinstance(value, datetime.datetime):
        value = datetime.datetime.combine(value, datetime.time.max if end_of_day
                                          else datetime.time.min)
    if value.tzinfo is None:
        value = value.replace(tzinfo=datetime.timezone.utc)
    return value


def _one_line(exc):
    return " ".join(str(exc).split())[:300]


def _install_bundles_spec(base_url, timeout):
    """Give the SDK its product bundles spec from ``base_url`` (it would ask production)."""
    import httpx
    import planet.specs

    try:
        response = httpx.get(f"{base_url}{SPEC_PATH}", timeout=timeout)
        response.raise_for_status()
        bundles = response.json()["bundles"]
    except (httpx.HTTPError, KeyError, ValueError) as exc:
        raise CropsegError(f"Cannot read the product bundles spec from {base_url}: "
                           f"{_one_line(exc)}") from None
    item_types = set(itertools.chain.from_iterable(b["assets"].keys() for b in bundles.values()))
    planet.specs.PRODUCT_BUNDLES.cache = {"bundles": bundles, "bundle_names": bundles.keys(),
                                          "item_types": item_types}
