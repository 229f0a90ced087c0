"""`make demo`'s script: the shipped workflow end to end, its figures and every output."""

import json
import re
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import rasterio

ROOT = Path(__file__).resolve().parents[2]


def test_demo_runs_the_workflow_and_lists_every_output(tmp_path):
    run = subprocess.run([sys.executable, str(ROOT / "scripts" / "demo.py"), str(tmp_path), "600"],
                         capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stderr[-2000:]
    listed = dict(re.findall(r"^  ([A-Z][a-z]+(?: [a-z]+)*) +(/\S+)$", run.stdout, re.M))
    assert {"Model", "Classes", "Confidence", "Cleaned crop mask", "Field polygons",
            "Accuracy report", "Accuracy figures", "Quicklook", "Training report"} <= set(listed)
    assert all(Path(path).exists() for path in listed.values())
    figures = json.loads(Path(listed["Accuracy figures"]).read_text(encoding="utf-8"))
    printed = re.search(r"held-out test parcels:\n  overall accuracy (\d\.\d{3})", run.stdout)
    assert printed and float(printed.group(1)) == round(figures["overall_accuracy"], 3)
    assert figures["overall_accuracy"] > 0.7
    assert "<html" in Path(listed["Accuracy report"]).read_text(encoding="utf-8")[:200].lower()
    with rasterio.open(listed["Cleaned crop mask"]) as src:
        assert src.width == 600
    assert len(gpd.read_file(listed["Field polygons"])) > 3
    assert Path(listed["Quicklook"]).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
