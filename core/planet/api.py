"""Planet's APIs through the ``planet`` SDK: key, base URL, bundles spec, sessions, retries.

The API key comes from the caller (a QGIS authentication configuration) or the
``PL_API_KEY`` environment variable and is never written to logs, outputs or
messages.  ``CROPSEG_PLANET_URL`` points the clients at another base URL
(proxies, mirrors, tests); the SDK's product bundles spec is then read from
that host too instead of Planet's production host.
"""

import asyncio
import itertools
import json
import os
from dataclasses import dataclass

from ..common.errors import CropsegError, InputError, Message

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
                         "or set the {key_variable} environment variable.",
                         key_variable=KEY_VARIABLE)
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
        raise InputError("{timeout_variable}: '{value}' is not a number of seconds between 0 "
                         "and 3600.", timeout_variable=TIMEOUT_VARIABLE, value=value)
    return seconds


def check_area_of_interest(aoi):
    """Refuse an area of interest (shapely) that encloses no area."""
    if aoi is None or aoi.is_empty or aoi.area <= 0:
        raise InputError("AOI: the area of interest has no area (points or lines); give "
                         "polygons or AOI_EXTENT.")


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
                raise CropsegError("{exc} (still after {retries} retries)", exc=exc,
                                   retries=RETRIES) from None
            _pause(_retry_after(last.get("retry_after"), 2 ** attempt), feedback)


def _retry_after(header, default):
    """Seconds from a Retry-After header (seconds form), capped, else ``default``."""
    try:
        return min(max(float(header), 0.0), MAX_RETRY_AFTER)
    except (TypeError, ValueError):
        return default


class _Transient(CropsegError):
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
            raise _Transient("Planet answered with an error: {error}",
                             error=_one_line(exc)) from None
        if isinstance(exc, exceptions.InvalidAPIKey):
            raise InputError("Planet rejected the API key; check AUTH_CONFIG or "
                             "{key_variable}.", key_variable=KEY_VARIABLE) from None
        raise CropsegError("Planet answered with an error: {exc}", exc=_one_line(exc)) from None
    except httpx.TimeoutException:
        raise CropsegError("{timeout}", timeout=timeout_message(connection)) from None
    except json.JSONDecodeError:
        raise CropsegError("Planet at {base_url} sent an answer that is not JSON; "
                           "is {url_variable} the API's address?", base_url=connection.base_url,
                           url_variable=URL_VARIABLE) from None
    except httpx.TransportError as exc:
        raise _Transient("The connection to Planet at {base_url} broke off ({kind})",
                         base_url=connection.base_url, kind=type(exc).__name__) from None
    except exceptions.PlanetError as exc:
        raise CropsegError("Planet request failed: {exc}", exc=_one_line(exc)) from None
    except OSError as exc:  # network: refused, unreachable
        raise CropsegError("Cannot reach Planet at {base_url}: {exc}", base_url=connection.base_url,
                           exc=_one_line(exc)) \
            from None


def timeout_message(connection, what="Planet"):
    """The one line for a request that got no answer in time."""
    return Message("{what} at {base_url} did not answer within {timeout:g} s (the "
                   "{timeout_variable} environment variable sets this limit).", what=what,
                   base_url=connection.base_url, timeout=connection.timeout,
                   timeout_variable=TIMEOUT_VARIABLE)


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
        raise CropsegError("Cannot read the product bundles spec from {base_url}: "
                           "{exc}", base_url=base_url, exc=_one_line(exc)) from None
    item_types = set(itertools.chain.from_iterable(b["assets"].keys() for b in bundles.values()))
    planet.specs.PRODUCT_BUNDLES.cache = {"bundles": bundles, "bundle_names": bundles.keys(),
                                          "item_types": item_types}
