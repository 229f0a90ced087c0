"""Order PlanetScope scenes and download them, verified against the order's manifest.

An order is created once per name and folder: its id is kept in
``.cropseg-order.json`` in the output folder, so running again with the same
name and folder reuses the order and skips files that are already complete.
Files are downloaded to a temporary name and moved into place only when their
checksum matches the manifest; a mismatch or a broken transfer is retried once,
then reported.  Cancel works while waiting and while downloading.
"""

import asyncio
import hashlib
import json
import os
import re
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from ..common.errors import Cancelled, CropsegError, InputError, Message
from ..common.files import missing_folders, remove_empty_folders
from ..common.progress import ensure_feedback
from .api import check_area_of_interest, run_with_session, timeout_message

STATE_FILE = ".cropseg-order.json"
BUNDLES = ("analytic_sr_udm2", "analytic_udm2")
FINAL_STATES = ("success", "partial", "failed", "cancelled")
DOWNLOAD_ATTEMPTS = 2
#: Minutes an order is waited for by default.
MAX_WAIT_MINUTES = 120.0


@dataclass
class OrderResult:
    """The order and the files in the output folder."""

    order_id: str
    name: str
    state: str
    reused: bool
    files: list = field(default_factory=list)
    skipped: list = field(default_factory=list)   # already complete before this run


def order_scenes(scene_ids, folder, *, connection, bundle="analytic_sr_udm2",
                 item_type="PSScene", aoi=None, harmonize=False, name=None, poll_seconds=10.0,
                 max_wait_minutes=MAX_WAIT_MINUTES, feedback=None):
    """Order ``scene_ids``, wait for Planet to deliver (at most ``max_wait_minutes``),
    download into ``folder``."""
    from planet import order_request
    from shapely.geometry import mapping

    feedback = ensure_feedback(feedback)
    scene_ids = [s.strip() for s in scene_ids if s and s.strip()]
    if not scene_ids:
        raise InputError("SCENES: no scene id was given.")
    if bundle not in BUNDLES:
        raise InputError("BUNDLE must be one of {bundles}.", bundles=", ".join(BUNDLES))
    if aoi is not None:
        check_area_of_interest(aoi)
    name = name or f"cropseg {scene_ids[0]}" + (f" +{len(scene_ids) - 1}" if len(scene_ids) > 1
                                                else "")
    reused = _saved_order(folder, name) is not None
    new_folders = missing_folders(folder)

    async def work(session):  # may run again after a server error: the saved id is reread
        client = session.client("orders", base_url=f"{connection.base_url}/compute/ops")
        order_id = _saved_order(folder, name)
        if order_id is None:
            tools = [order_request.clip_tool(mapping(aoi))] if aoi is not None else []
            if harmonize:
                tools.append(order_request.harmonize_tool("Sentinel-2"))
            request = order_request.build_request(
                name, products=[order_request.product(scene_ids, bundle, item_type)],
                tools=tools or None)
            order_id = (await client.create_order(request))["id"]
            _save_order(folder, name, order_id)
            feedback.info("Order {order_id} created.", order_id=order_id)
        else:
            feedback.info("Reusing order {order_id} ({name}).", order_id=order_id, name=name)
        order = await _wait(client, order_id, poll_seconds, max_wait_minutes, feedback)
        if order["state"] in ("failed", "cancelled"):
            os.remove(os.path.join(folder, STATE_FILE))  # a new run orders afresh
            remove_empty_folders(new_folders)
            raise CropsegError("Planet could not deliver order {order_id} ({state}): {reason}",
                               order_id=order_id, state=order["state"],
                               reason=_failure_reason(order))
        result = OrderResult(order_id, name, order["state"], reused)
        await _download_all(session, order, folder, result, connection, feedback)
        return result

    return run_with_session(connection, work, feedback=feedback)


def _failure_reason(order):
    """Planet's reason for a failed or cancelled order, with its hints."""
    reason = order.get("last_message") or Message("no reason given")
    hints = "; ".join(order.get("error_hints") or [])
    return Message("{reason} ({hints})", reason=reason, hints=hints) if hints else reason


def _saved_order(folder, name):
    path = os.path.join(folder, STATE_FILE)
    try:
        with open(path, encoding="utf-8") as handle:
            state = json.load(handle)
    except (OSError, ValueError):
        return None
    return state.get("order_id") if state.get("name") == name else None


def _save_order(folder, name, order_id):
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, STATE_FILE), "w", encoding="utf-8") as handle:
        json.dump({"name": name, "order_id": order_id}, handle)


async def _wait(client, order_id, poll_seconds, max_wait_minutes, feedback):
    """Poll the order until it is final (delivered, failed or cancelled); stop waiting after
    ``max_wait_minutes``."""
    last = None
    give_up = time.monotonic() + 60 * max_wait_minutes
    while True:
        order = await client.get_order(order_id)
        state = order.get("state")
        if state != last:
            feedback.info("Order {order_id}: {state}.", order_id=order_id, state=state)
            last = state
        if state in FINAL_STATES:
            break
        if time.monotonic() >= give_up:
            raise CropsegError("MAX_WAIT: order {order_id} is still {state} after "
                               "{max_wait_minutes:g} min; run again with the same ORDER_NAME "
                               "and OUTPUT_FOLDER later to download it.", order_id=order_id,
                               state=state, max_wait_minutes=max_wait_minutes)
        deadline = min(time.monotonic() + poll_seconds, give_up)
        while time.monotonic() < deadline:
            feedback.check_cancelled()
            await asyncio.sleep(min(0.05, poll_seconds))
    return order


async def _download_all(session, order, folder, result, connection, feedback):
    results = [r for r in order.get("_links", {}).get("results", []) or [] if r]
    manifest = next((r for r in results if r["name"].endswith("manifest.json")), None)
    if manifest is None:
        raise CropsegError("Planet's order {order_id} has no manifest to verify the files "
                           "against.", order_id=order["id"])
    manifest_name = _inside_folder(manifest["name"], feedback)
    manifest_path = os.path.join(folder, manifest_name)
    await _download(session, manifest["location"], manifest_path, None, connection, feedback)
    with open(manifest_path, encoding="utf-8") as handle:
        entries = json.load(handle).get("files", [])
    base = os.path.dirname(manifest_name)
    digests = {os.path.join(folder, safe_relative_path(f"{base}/{e['path']}")):
               e.get("digests", {}) for e in entries}
    files = [r for r in results if r is not manifest]
    for done, entry in enumerate(files, 1):
        target = os.path.join(folder, _inside_folder(entry["name"], feedback))
        expected = digests.get(target)
        if not expected:
            raise CropsegError("{name} is not in the order's manifest.", name=entry['name'])
        if os.path.exists(target) and _matches(target, expected):
            result.skipped.append(target)
        else:
            await _download(session, entry["location"], target, expected, connection,
                            feedback)
        result.files.append(target)
        feedback.progress(done / len(files))


def _inside_folder(name, feedback):
    """:func:`safe_relative_path` of ``name``, with a warning when that changed it."""
    safe = safe_relative_path(name)
    if safe != os.path.normpath(str(name)):
        feedback.warning("Planet's order names a file '{name}' outside OUTPUT_FOLDER; it was "
                         "written as '{safe}' inside it.", name=name, safe=safe)
    return safe


def safe_relative_path(name):
    """A file name from Planet as a path that stays inside the output folder.

    Every part that could climb out (``..``, a root, a drive) or hide the file
    (``.``, empty) is dropped; what is left must still name a file.
    """
    parts = [part for part in re.split(r"[\\/]+", str(name))
             if part not in ("", ".", "..") and not re.fullmatch(r"[A-Za-z]:", part)]
    if not parts or any("\0" in part for part in parts):
        raise CropsegError("Planet's order names a file '{name}' that cannot be written safely.",
                           name=name)
    return os.path.join(*parts)


def _same_origin(url, api_url):
    """True when ``url`` is on the configured API's scheme, host and port."""
    first, second = urlsplit(url), urlsplit(api_url)
    return (first.scheme, first.hostname, first.port) == \
        (second.scheme, second.hostname, second.port)


async def _download(session, location, target, expected, connection, feedback):
    """Stream ``location`` to a temporary file; move it to ``target`` when its digest matches.

    The API key goes only to the configured API host: a link elsewhere (a signed
    storage URL) is fetched without it.
    """
    import httpx

    os.makedirs(os.path.dirname(target), exist_ok=True)
    temp = target + ".part"
    problem = ""
    for _ in range(DOWNLOAD_ATTEMPTS):
        try:
            if _same_origin(location, connection.base_url):
                await _stream(session.stream(method="GET", url=location), temp, feedback)
            else:
                async with httpx.AsyncClient(timeout=httpx.Timeout(connection.timeout),
                                             follow_redirects=True) as anonymous:
                    await _stream(anonymous.stream("GET", location), temp, feedback)
        except Cancelled:
            _remove(temp)
            raise
        except httpx.TimeoutException:
            _remove(temp)
            raise CropsegError("Download of {target} stalled: {timeout}",
                               target=os.path.basename(target),
                               timeout=timeout_message(connection, "the server")) from None
        except Exception as exc:  # httpx transport errors: truncated or dropped transfers
            _remove(temp)
            problem = Message("the transfer broke off ({kind})", kind=type(exc).__name__)
            continue
        if expected is None or _matches(temp, expected):
            os.replace(temp, target)
            return
        _remove(temp)
        problem = Message("its checksum does not match the order manifest")
    raise CropsegError("Download of {target} from Planet failed twice: "
                       "{problem}.", target=os.path.basename(target), problem=problem)


async def _stream(request, temp, feedback):
    """Write the body of ``request`` (an open stream) to ``temp``; refuse an error status."""
    async with request as response:
        if response.status_code >= 400:
            raise CropsegError("HTTP {status_code}", status_code=response.status_code)
        with open(temp, "wb") as handle:
            async for chunk in response.aiter_bytes():
                if feedback.cancelled():
                    raise Cancelled()
                handle.write(chunk)


def _matches(path, digests):
    """True when the file's md5 (or sha256) equals the manifest's."""
    for algorithm in ("sha256", "md5"):
        if digests.get(algorithm):
            digest = hashlib.new(algorithm)
            with open(path, "rb") as handle:
                for block in iter(lambda: handle.read(1 << 20), b""):
                    digest.update(block)
            return digest.hexdigest() == digests[algorithm]
    return False


def _remove(path):
    if os.path.exists(path):
        os.remove(path)
