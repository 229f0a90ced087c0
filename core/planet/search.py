"""Scene search in Planet's Data API, and the scene footprints it writes."""

import datetime

from ..common.errors import InputError
from .api import check_area_of_interest, run_with_session


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
            raise InputError("{role}: '{value}' is not a date (use YYYY-MM-DD).", role=role,
                             value=value) from None
    if not isinstance(value, datetime.datetime):
        value = datetime.datetime.combine(value, datetime.time.max if end_of_day
                                          else datetime.time.min)
    if value.tzinfo is None:
        value = value.replace(tzinfo=datetime.timezone.utc)
    return value
