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
import os
from dataclasses import dataclass

from ..errors import CropsegError, InputError

PRODUCTION_URL = "https://api.planet.com"
URL_VARIABLE = "CROPSEG_PLANET_URL"
KEY_VARIABLE = "PL_API_KEY"
SPEC_PATH = "/compute/ops/bundles/spec"


@dataclass(frozen=True)
class PlanetConnection:
    """Where and as whom to call Planet.  ``repr`` never shows the key."""

    api_key: str
    base_url: str

    def __repr__(self):
        return f"PlanetConnection(base_url={self.base_url!r})"


def connect(api_key=None, base_url=None):
    """A connection from explicit values, else ``PL_API_KEY`` and ``CROPSEG_PLANET_URL``."""
    key = api_key or os.environ.get(KEY_VARIABLE, "")
    if not key.strip():
        raise InputError("No Planet API key: choose an authentication configuration (AUTH_CONFIG) "
                         f"or set the {KEY_VARIABLE} environment variable.")
    url = (base_url or os.environ.get(URL_VARIABLE) or PRODUCTION_URL).rstrip("/")
    if url != PRODUCTION_URL:
        _install_bundles_spec(url)
    return PlanetConnection(key.strip(), url)


def search_scenes(aoi, start, end, *, connection, max_cloud=10.0, min_clear=None,
                  item_type="PSScene", limit=100, feedback=None):
    """Items of ``item_type`` over ``aoi`` (shapely, EPSG:4326) acquired in ``[start, end]``.

    ``max_cloud`` and ``min_clear`` are percents.  All result pages are followed.
    """
    from planet import data_filter
    from shapely.geometry import mapping

    start, end = _as_datetime(start, "START_DATE"), _as_datetime(end, "END_DATE")
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


def write_footprints(items, aoi, output):
    """Scene footprints (EPSG:4326) with their properties and the share of ``aoi`` each
    covers (percent), best first: most coverage, least cloud, most clear, most recent."""
    import geopandas as gpd
    from shapely.geometry import shape

    from ..files import atomic_outputs

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
        os.remove(temp)
        frame.to_file(temp, driver="GPKG", layer="scenes")
    return frame


def _descending(text):
    """Sort key that puts later ISO timestamps first."""
    return [-ord(c) for c in (text or "")]


#: Attempts after a server error (HTTP 5xx) that the SDK does not retry itself; the SDK
#: already retries rate limiting (429), bad gateways and dropped connections with backoff.
SERVER_ERROR_RETRIES = 3


def run_with_session(connection, work, *, feedback=None):
    """Run ``await work(session)`` in a planet Session, with Planet errors as one line.

    ``work`` must be safe to repeat: it runs again, after a pause of 1, 2, 4 s, when
    Planet answers with a server error.
    """
    import planet

    async def main():
        async with planet.Session(auth=planet.Auth.from_key(connection.api_key)) as session:
            return await work(session)

    for attempt in range(SERVER_ERROR_RETRIES + 1):
        try:
            return _translated(lambda: asyncio.run(main()), connection)
        except _ServerError as exc:
            if attempt == SERVER_ERROR_RETRIES:
                raise CropsegError(f"Planet answered with an error: {exc}") from None
            _pause(2 ** attempt, feedback)


class _ServerError(Exception):
    """A Planet server error that may pass on retry."""


def _pause(seconds, feedback):
    """Sleep, waking up to honour a cancel request."""
    import time

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if feedback is not None:
            feedback.check_cancelled()
        time.sleep(min(0.1, max(deadline - time.monotonic(), 0)))


def _translated(call, connection):
    """``call()`` with the SDK's errors turned into cropseg's one-line errors."""
    from planet import exceptions

    try:
        return call()
    except exceptions.ServerError as exc:
        raise _ServerError(_one_line(exc)) from None
    except exceptions.InvalidAPIKey:
        raise InputError("Planet rejected the API key; check AUTH_CONFIG or "
                         f"{KEY_VARIABLE}.") from None
    except exceptions.APIError as exc:
        raise CropsegError(f"Planet answered with an error: {_one_line(exc)}") from None
    except exceptions.PlanetError as exc:
        raise CropsegError(f"Planet request failed: {_one_line(exc)}") from None
    except OSError as exc:  # network: refused, unreachable, timed out
        raise CropsegError(f"Cannot reach Planet at {connection.base_url}: {_one_line(exc)}") \
            from None


def _as_datetime(value, role):
    """An aware UTC datetime from a datetime or an ISO 8601 date or date-time string."""
    if isinstance(value, str):
        try:
            value = datetime.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            raise InputError(f"{role}: '{value}' is not a date (use YYYY-MM-DD).") from None
    if value.tzinfo is None:
        value = value.replace(tzinfo=datetime.timezone.utc)
    return value


def _one_line(exc):
    return " ".join(str(exc).split())[:300]


def _install_bundles_spec(base_url):
    """Give the SDK its product bundles spec from ``base_url`` (it would ask production)."""
    import httpx
    import planet.specs

    try:
        response = httpx.get(f"{base_url}{SPEC_PATH}", timeout=30)
        response.raise_for_status()
        bundles = response.json()["bundles"]
    except (httpx.HTTPError, KeyError, ValueError) as exc:
        raise CropsegError(f"Cannot read the product bundles spec from {base_url}: "
                           f"{_one_line(exc)}") from None
    item_types = set(itertools.chain.from_iterable(b["assets"].keys() for b in bundles.values()))
    planet.specs.PRODUCT_BUNDLES.cache = {"bundles": bundles, "bundle_names": bundles.keys(),
                                          "item_types": item_types}
