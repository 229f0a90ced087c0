"""Fixtures shared by every test tier: files written on disk, real data, a generated scene."""

from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
REAL_DATA = ROOT.parent / "shared" / "data" / "real"
PLANET_DATA = ROOT.parent / "shared" / "data" / "planet"

#: Spectra (4 bands) of the two classes of the small known-answer raster.
WHEAT = (800.0, 1400.0, 900.0, 3800.0)
FALLOW = (1500.0, 1700.0, 2100.0, 2300.0)


def _pixel_box(transform, row0, col0, row1, col1):
    """Polygon covering pixel rows row0..row1-1 and columns col0..col1-1."""
    from shapely.geometry import box

    left, top = transform * (col0, row0)
    right, bottom = transform * (col1, row1)
    return box(left, bottom, right, top)


@pytest.fixture
def pixel_box():
    """``pixel_box(transform, row0, col0, row1, col1)``: polygon over those pixels."""
    return _pixel_box


def _classify_in_one_piece(bundle, raster, masks=(), mask_kind=""):
    """Classes and confidence of a whole raster from one features call and one prediction:
    the reference that block- and strip-wise classification must match exactly."""
    from rasterio.windows import Window

    from cropseg.core.rasters.stack import open_stack

    stack = open_stack(raster, masks, mask_kind)
    with stack.open() as reader:
        data, valid = reader.read(bundle.recipe.read_bands,
                                  Window(0, 0, stack.grid.width, stack.grid.height))
    pixels, valid = bundle.recipe.features(data, valid, times=bundle.recipe.times(stack))
    proba = bundle.predictor()(pixels)
    classes = np.full(valid.shape, 255, dtype=np.uint8)
    classes[valid] = bundle.class_values[np.argmax(proba, axis=1)]
    confidence = np.full(valid.shape, -1.0, dtype=np.float32)
    confidence[valid] = proba.max(axis=1)
    return classes, confidence


@pytest.fixture
def classify_in_one_piece():
    """``classify_in_one_piece(bundle, raster, masks=(), mask_kind="")``: (classes, confidence)."""
    return _classify_in_one_piece


@pytest.fixture
def write_raster(tmp_path):
    """Write a (bands, rows, cols) array as a GeoTIFF and return its path."""
    import rasterio
    from rasterio.transform import from_origin

    def write(data, name="raster.tif", *, crs="EPSG:32633", nodata=None, descriptions=None,
              transform=from_origin(500000.0, 5000000.0, 10.0, 10.0)):
        data = np.asarray(data)
        path = tmp_path / name
        with rasterio.open(path, "w", driver="GTiff", width=data.shape[2], height=data.shape[1],
                           count=data.shape[0], dtype=data.dtype, crs=crs, transform=transform,
                           nodata=nodata) as dst:
            dst.write(data)
            for band, text in enumerate(descriptions or (), 1):
                dst.set_band_description(band, text)
        return str(path)

    return write


@pytest.fixture
def write_vector(tmp_path):
    """Write geometries with attribute columns to a GeoPackage and return its path."""
    import geopandas as gpd

    def write(geometries, name="labels.gpkg", *, crs="EPSG:32633", **columns):
        frame = gpd.GeoDataFrame(dict(columns), geometry=list(geometries), crs=crs)
        path = tmp_path / name
        frame.to_file(path, driver="GPKG")
        return str(path)

    return write


@pytest.fixture
def two_class_scene(write_raster, write_vector):
    """A 4-band 100 x 120 raster: wheat on the left half, fallow on the right, labels per field.

    Returns (raster path, labels path, transform).  Six fields of each class are
    labelled with field ``crop`` (text) and ``code`` (1 wheat, 2 fallow).
    """
    from rasterio.transform import from_origin

    rng = np.random.default_rng(7)
    rows, cols = 100, 120
    data = np.empty((4, rows, cols), dtype=np.float32)
    data[:, :, :60] = np.array(WHEAT)[:, None, None]
    data[:, :, 60:] = np.array(FALLOW)[:, None, None]
    data += rng.normal(0, 60, size=data.shape)
    transform = from_origin(500000.0, 5000000.0, 10.0, 10.0)
    raster = write_raster(data.astype(np.uint16), descriptions=("blue", "green", "red", "nir"),
                          transform=transform)
    boxes, names, codes = [], [], []
    for i, row in enumerate((5, 38, 70)):
        for col0, name, code in ((5, "wheat", 1), (30, "wheat", 1), (65, "fallow", 2),
                                 (92, "fallow", 2)):
            boxes.append(_pixel_box(transform, row, col0, row + 22, col0 + 22))
            names.append(name)
            codes.append(code)
    labels = write_vector(boxes, crop=names, code=codes)
    return raster, labels, transform


@pytest.fixture(scope="session")
def scene(tmp_path_factory):
    """A generated 600 x 500 PlanetScope-like scene (see devkit.synthetic)."""
    from cropseg.devkit.synthetic import generate_scene

    return generate_scene(str(tmp_path_factory.mktemp("scene")), width=600, height=500, seed=3)


@pytest.fixture(scope="session")
def large_scene(scene, tmp_path_factory):
    """The generated scene repeated 2 x 2 (1200 x 1000 px): several blocks at 64 MB."""
    import rasterio

    with rasterio.open(scene.raster) as src:
        data, profile = np.tile(src.read(), (1, 2, 2)), src.profile
        descriptions = src.descriptions
    path = str(tmp_path_factory.mktemp("large") / "large.tif")
    with rasterio.open(path, "w", **{**profile, "width": data.shape[2],
                                     "height": data.shape[1]}) as dst:
        dst.write(data)
        dst.descriptions = descriptions
    return path


@pytest.fixture(scope="session")
def season(tmp_path_factory):
    """Four dates of a generated 300 x 250 scene with UDM2 masks: (rasters, masks, SceneFiles)."""
    from cropseg.devkit.synthetic import generate_season

    return generate_season(str(tmp_path_factory.mktemp("season")), days=(140, 170, 200, 230),
                           width=300, height=250, seed=5)


@pytest.fixture
def planet_metadata():
    """The real metadata XML of the Planet training scene, or skip when it is absent."""
    path = PLANET_DATA / "train_scene_cropped_metadata.xml"
    if not path.exists():
        pytest.skip(f"Planet metadata not available: {path} (../shared/data/planet is absent)")
    return str(path)


@pytest.fixture
def planet_scene(tmp_path):
    """A 4-band DN raster named and placed as a clip of the Planet training scene, and its DNs."""
    import rasterio
    from pyproj import Transformer
    from rasterio.transform import from_origin

    x, y = Transformer.from_crs(4326, 32610, always_xy=True).transform(-121.54, 38.295)
    data = np.random.default_rng(0).integers(1, 12000, size=(4, 40, 50)).astype(np.uint16)
    data[:, :3, :3] = 0
    path = tmp_path / "20160831_180231_0e0e_3B_AnalyticMS_clip.tif"
    with rasterio.open(path, "w", driver="GTiff", width=50, height=40, count=4, dtype="uint16",
                       crs="EPSG:32610", nodata=0, transform=from_origin(x, y, 3.0, 3.0)) as dst:
        dst.write(data)
    return str(path), data


class FakePlanet:
    """A local stand-in for the parts of Planet's API cropseg uses, for the real planet SDK.

    ``items`` are served by quick search in pages of ``page_size``; ``fail`` maps a path
    prefix to status codes answered (in order) before the real answer; every request is
    logged as (method, path, Authorization header, body).
    """

    KEY = "test-key"
    BUNDLES = {"analytic_sr_udm2": {"assets": {"PSScene": ["ortho_analytic_4b_sr",
                                                           "ortho_analytic_4b_xml",
                                                           "ortho_udm2"]}},
               "analytic_udm2": {"assets": {"PSScene": ["ortho_analytic_4b",
                                                        "ortho_analytic_4b_xml", "ortho_udm2"]}}}

    def __init__(self):
        import threading
        from http.server import ThreadingHTTPServer

        self.items, self.page_size, self.fail, self.log = [], 2, {}, []
        self.retry_after = "0"    # Retry-After sent with scripted 429 answers
        self.files = {}           # delivered file name -> bytes, for every order
        self.orders = {}          # order id -> order dict
        self.order_failure = None  # Planet's last_message for orders that fail
        self.corrupt = {}         # file name -> how many downloads serve wrong bytes
        self.truncate = {}        # file name -> how many downloads break off half way
        self.name_prefix = ""     # put before every result name (a hostile server's "../")
        self.download_url = None  # another server that the result links point to
        self.redirect_url = None  # another server that downloads are redirected to
        self.open_downloads = False  # serve downloads without the key (a storage host)
        self.stall = ()           # path prefixes answered with silence (a hung server)
        self.never_finish = False  # orders stay "running"
        self.not_json = ()        # path prefixes answered with an HTML page
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def _handler(self):
        import json
        from http.server import BaseHTTPRequestHandler
        from urllib.parse import parse_qs, urlparse

        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _answer(self, status, body, headers=()):
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for name, value in headers:
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

            def _scripted_failure(self):
                for prefix, codes in fake.fail.items():
                    if self.path.startswith(prefix) and codes:
                        code = codes.pop(0)
                        self._answer(code, {"message": f"scripted {code}"},
                                     [("Retry-After", fake.retry_after)] if code == 429 else [])
                        return True
                public = self.path.startswith("/compute/") or \
                    (fake.open_downloads and self.path.startswith("/download/"))
                if not public and self.headers.get("Authorization") != f"api-key {fake.KEY}":
                    self._answer(401, {"message": "Invalid API key"})
                    return True
                return False

            def _page(self, number):
                start = (number - 1) * fake.page_size
                page = fake.items[start:start + fake.page_size]
                links = {}
                if start + fake.page_size < len(fake.items):
                    links["_next"] = f"{fake.url}/data/v1/searches/s1/results?_page={number + 1}"
                self._answer(200, {"type": "FeatureCollection", "features": page,
                                   "_links": links})

            def _send_file(self, path):
                if fake.redirect_url:
                    self.send_response(302)
                    self.send_header("Location", f"{fake.redirect_url}/download/{path}")
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                order_id, name = path.split("/", 1)
                data = fake.delivered(order_id)[name]
                if fake.corrupt.get(name):
                    fake.corrupt[name] -= 1
                    data = bytes([data[0] ^ 0xFF]) + data[1:]
                self.send_response(200)
                self.send_header("Content-Type", "application/octet-stream")
                self.send_header("Content-Length", str(len(data)))
                self.send_header("Content-Disposition",
                                 f"attachment; filename={name.rsplit('/', 1)[-1]}")
                self.end_headers()
                if fake.truncate.get(name):
                    fake.truncate[name] -= 1
                    self.wfile.write(data[: len(data) // 2])
                    self.wfile.flush()
                    self.close_connection = True
                    return
                self.wfile.write(data)

            def _misbehaved(self):
                """Answer as a hung server or a proxy's web page where the test asks for it."""
                import time

                if self.path.startswith(tuple(fake.stall)):
                    time.sleep(30)  # far longer than the client's timeout in the tests
                    return True
                if self.path.startswith(tuple(fake.not_json)):
                    page = b"<html><body>Welcome to our proxy</body></html>"
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(page)))
                    self.end_headers()
                    self.wfile.write(page)
                    return True
                return False

            def do_GET(self):
                fake.log.append(("GET", self.path, self.headers.get("Authorization"), None))
                if self._misbehaved() or self._scripted_failure():
                    return
                url = urlparse(self.path)
                if url.path == "/compute/ops/bundles/spec":
                    self._answer(200, {"bundles": fake.BUNDLES})
                elif url.path.startswith("/compute/ops/orders/v2/"):
                    self._answer(200, fake.poll(url.path.rsplit("/", 1)[-1]))
                elif url.path.startswith("/download/"):
                    self._send_file(url.path[len("/download/"):])
                elif url.path.startswith("/data/v1/searches/"):
                    self._page(int(parse_qs(url.query).get("_page", ["1"])[0]))
                else:
                    self._answer(404, {"message": "not found"})

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))
                fake.log.append(("POST", self.path, self.headers.get("Authorization"), body))
                if self._misbehaved() or self._scripted_failure():
                    return
                if self.path.startswith("/data/v1/quick-search"):
                    self._page(1)
                elif self.path.rstrip("/") == "/compute/ops/orders/v2":
                    self._answer(202, fake.create_order(body))
                else:
                    self._answer(404, {"message": "not found"})

        return Handler

    def create_order(self, request):
        import uuid

        order_id = str(uuid.uuid4())
        self.orders[order_id] = {"id": order_id, "name": request["name"], "state": "queued",
                                 "polls": 0, "request": request}
        return self._order_view(order_id)

    def poll(self, order_id):
        order = self.orders[order_id]
        order["polls"] += 1
        if self.never_finish:
            order["state"] = "running"
        elif order["polls"] >= 3:
            order["state"] = "failed" if self.order_failure else "success"
        elif order["polls"] == 2:
            order["state"] = "running"
        return self._order_view(order_id)

    def delivered(self, order_id):
        """Files of a delivered order, manifest included, by result name."""
        import hashlib
        import json

        files = {f"PSScene/{name}": data for name, data in self.files.items()}
        manifest = {"name": order_id, "files": [
            {"path": path, "digests": {"md5": hashlib.md5(data).hexdigest()}}
            for path, data in files.items()]}
        return {"manifest.json": json.dumps(manifest).encode(), **files}

    def _order_view(self, order_id):
        order = self.orders[order_id]
        view = {k: v for k, v in order.items() if k not in ("polls", "request")}
        view["_links"] = {"_self": f"{self.url}/compute/ops/orders/v2/{order_id}"}
        if order["state"] == "failed":
            view["last_message"] = self.order_failure
            view["error_hints"] = ["scene not available in the requested bundle"]
        if order["state"] == "success":
            host = self.download_url or self.url
            view["_links"]["results"] = [
                {"name": f"{self.name_prefix}{order_id}/{name}",
                 "location": f"{host}/download/{order_id}/{name}"}
                for name in self.delivered(order_id)]
        return view

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def fake_planet(monkeypatch):
    """A running FakePlanet; CROPSEG_PLANET_URL and PL_API_KEY point at it."""
    fake = FakePlanet()
    monkeypatch.setenv("CROPSEG_PLANET_URL", fake.url)
    monkeypatch.setenv("PL_API_KEY", FakePlanet.KEY)
    yield fake
    fake.close()


@pytest.fixture
def storage_host(fake_planet):
    """A second server that serves fake_planet's deliveries without a key, as storage does."""
    storage = FakePlanet()
    storage.files, storage.orders, storage.open_downloads = fake_planet.files, \
        fake_planet.orders, True
    yield storage
    storage.close()


@pytest.fixture
def real_data():
    """``real_data(*parts)``: a path in ../shared/data/real, or skip when it is absent."""

    def path_of(*parts):
        path = REAL_DATA.joinpath(*parts)
        if not path.exists():
            pytest.skip(f"real data not available: {path} (../shared/data/real is absent)")
        return str(path)

    return path_of
