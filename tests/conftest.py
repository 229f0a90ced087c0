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
    """A generated 600 x 500 PlanetScope-like scene (see core.synthetic)."""
    from cropseg.core.synthetic import generate_scene

    return generate_scene(str(tmp_path_factory.mktemp("scene")), width=600, height=500, seed=3)


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
                                     [("Retry-After", "1")] if code == 429 else [])
                        return True
                if not self.path.startswith("/compute/") and \
                        self.headers.get("Authorization") != f"api-key {fake.KEY}":
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

            def do_GET(self):
                fake.log.append(("GET", self.path, self.headers.get("Authorization"), None))
                if self._scripted_failure():
                    return
                url = urlparse(self.path)
                if url.path == "/compute/ops/bundles/spec":
                    self._answer(200, {"bundles": fake.BUNDLES})
                elif url.path.startswith("/data/v1/searches/"):
                    self._page(int(parse_qs(url.query).get("_page", ["1"])[0]))
                else:
                    self._answer(404, {"message": "not found"})

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))
                fake.log.append(("POST", self.path, self.headers.get("Authorization"), body))
                if self._scripted_failure():
                    return
                if self.path.startswith("/data/v1/quick-search"):
                    self._page(1)
                else:
                    self._answer(404, {"message": "not found"})

        return Handler

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
def real_data():
    """``real_data(*parts)``: a path in ../shared/data/real, or skip when it is absent."""

    def path_of(*parts):
        path = REAL_DATA.joinpath(*parts)
        if not path.exists():
            pytest.skip(f"real data not available: {path} (../shared/data/real is absent)")
        return str(path)

    return path_of
