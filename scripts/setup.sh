#!/usr/bin/env bash
# Idempotent set-up on Debian/Ubuntu: QGIS from the distribution, then .venv from
# QGIS's own Python with the pinned dependencies.
set -euo pipefail
cd "$(dirname "$0")/.."

SYSTEM_PYTHON=/usr/bin/python3
VENV=.venv
STAMP=$VENV/.requirements.sha256

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@";
    elif command -v sudo >/dev/null 2>&1; then sudo -n "$@";
    else echo "setup: '$*' needs root; run as root or install sudo." >&2; exit 1; fi
}

apt_install() {
    echo "setup: installing $* from the distribution packages"
    export DEBIAN_FRONTEND=noninteractive
    as_root apt-get update -q
    as_root apt-get install -y -q --no-install-recommends "$@"
}

# QGIS and the geospatial Python stack linked against the same GDAL/GEOS/PROJ.
DEBIAN_PACKAGES=(qgis qgis-providers python3-qgis python3-venv
                 python3-rasterio python3-geopandas python3-shapely python3-pyproj
                 python3-fiona python3-rtree python3-matplotlib proj-data
                 xvfb xauth)  # a virtual display for the dialog tests
# `make bench` compares with Orfeo ToolBox.
if [ "${1:-}" = "--bench" ]; then
    DEBIAN_PACKAGES+=(otb-bin)
fi
# `scripts/test_matrix.sh` builds its chroots with these.
if [ "${1:-}" = "--packages" ]; then
    echo "${DEBIAN_PACKAGES[*]}"
    exit 0
fi
packages=()
for package in "${DEBIAN_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
        || packages+=("$package")
done
if [ ${#packages[@]} -gt 0 ]; then
    apt_install "${packages[@]}"
fi

if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c "import qgis.core" >/dev/null 2>&1; then
    echo "setup: creating $VENV from $SYSTEM_PYTHON (with QGIS's system packages)"
    rm -rf "$VENV"
    "$SYSTEM_PYTHON" -m venv --system-site-packages "$VENV"
fi

# Debian's pyproj looks for PROJ's data under sys.prefix, which a venv moves.
mkdir -p "$VENV/share"
[ -e "$VENV/share/proj" ] || ln -s /usr/share/proj "$VENV/share/proj"

# numpy stays the one QGIS's GDAL bindings are built on: the distribution's numpy 2 as it is,
# or numpy 1.26 where QGIS runs numpy 1.x (core/common/dependencies.py, numpy_pin).
NUMPY_CONSTRAINT=$VENV/numpy-constraint.txt
"$SYSTEM_PYTHON" core/common/dependencies.py > "$NUMPY_CONSTRAINT"
wanted=$(cat requirements.txt requirements-dev.txt constraints.txt "$NUMPY_CONSTRAINT" \
         | sha256sum | cut -d' ' -f1)
if [ ! -f "$STAMP" ] || [ "$(cat "$STAMP")" != "$wanted" ]; then
    echo "setup: installing pinned Python dependencies ($(cat "$NUMPY_CONSTRAINT"))"
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check --upgrade "pip>=23"
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check \
        -c constraints.txt -c "$NUMPY_CONSTRAINT" -r requirements.txt -r requirements-dev.txt
    echo "$wanted" > "$STAMP"
fi
echo "setup: ready ($("$VENV/bin/python" -c 'from qgis.core import Qgis; print("QGIS", Qgis.QGIS_VERSION)'))"
