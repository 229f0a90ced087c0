#!/usr/bin/env bash
# `make test-matrix`: `make -k test` (the three tiers, each run even when another fails) and
# `make demo` (through qgis_process) inside Debian chroots of newer QGIS: trixie (QGIS 3.40 LTR,
# Python 3.13, numpy 2.2) and sid (3.44, Python 3.14, numpy 2.4).  Needs root, mmdebstrap and
# about 4 GB per suite.
#
#   SUITES="trixie sid" scripts/test_matrix.sh
#
# A chroot is built once per suite and package list and reused (CROPSEG_CHROOTS, default
# /var/cache/cropseg-chroots); the checkout is copied in afresh for every run, its virtual
# environment kept.  Prints one summary line per suite; logs go to test-matrix/SUITE.log.  Fails
# when a suite fails, except those in ALLOWED_TO_FAIL (default: sid, which Debian breaks at times).
set -uo pipefail
cd "$(dirname "$0")/.."

SUITES=${SUITES:-trixie}
ALLOWED_TO_FAIL=${ALLOWED_TO_FAIL:-sid}
CACHE=${CROPSEG_CHROOTS:-/var/cache/cropseg-chroots}
LOGS=test-matrix
# What the chroots need besides the project's own packages: make runs the targets, git lists
# what `make package` ships, pip verifies its downloads with the system certificates.
EXTRA_PACKAGES=(make git ca-certificates)

if [ "$(id -u)" -ne 0 ]; then
    echo "test-matrix: building and entering chroots needs root." >&2
    exit 1
fi
if ! command -v mmdebstrap >/dev/null 2>&1; then
    echo "test-matrix: installing mmdebstrap"
    { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
        --no-install-recommends mmdebstrap; } >/dev/null \
        || { echo "test-matrix: could not install mmdebstrap." >&2; exit 1; }
fi

# The Debian mirror this machine's apt uses.
mirror() {
    local uri
    uri=$(grep -hsE '^(URIs:|deb )' /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list \
          /etc/apt/sources.list | grep -v security | head -n1 \
          | sed -E 's/^URIs:[[:space:]]*//; s/^deb[[:space:]]+(\[[^]]*\][[:space:]]+)?//; s/[[:space:]].*//')
    echo "${uri:-http://deb.debian.org/debian}"
}
MIRROR=${MIRROR:-$(mirror)}

read -r -a PACKAGES <<< "$(scripts/setup.sh --packages) ${EXTRA_PACKAGES[*]}"

# Delete old chroots, never one with something still mounted inside (a host's /dev or /sys).
remove_chroots() {
    local dir
    for dir in "$@"; do
        [ -e "$dir" ] || continue
        if awk '{print $2}' /proc/mounts | grep -q "^$dir/"; then
            echo "test-matrix: $dir still has mounts inside; unmount them first." >&2
            return 1
        fi
        rm -rf "$dir"
    done
}

# The chroot of a suite, built when its package list or mirror changed since the last build.
chroot_for() {
    local suite=$1 key root
    key=$(printf '%s\n' "$suite" "$MIRROR" "${PACKAGES[@]}" | sha256sum | cut -c1-12)
    root=$CACHE/$suite-$key
    if [ ! -x "$root/usr/bin/python3" ]; then
        echo "test-matrix: building the $suite chroot (a few minutes)" >&2
        remove_chroots "$CACHE/$suite"-* || return 1
        mkdir -p "$CACHE"
        local packages
        packages=$(IFS=,; echo "${PACKAGES[*]}")
        mmdebstrap --variant=minbase --include="$packages" \
            --aptopt='Acquire::Check-Valid-Until "false"' \
            --customize-hook='chroot "$1" apt-get clean' \
            "$suite" "$root.partial" "$MIRROR" >&2 || return 1
        mv "$root.partial" "$root"
    fi
    echo "$root"
}

MOUNTED=()
unmount_all() {
    local i
    for (( i=${#MOUNTED[@]}-1; i>=0; i-- )); do
        umount -R "${MOUNTED[$i]}" 2>/dev/null || umount -lR "${MOUNTED[$i]}" 2>/dev/null
    done
    MOUNTED=()
}
trap unmount_all EXIT INT TERM

mount_into() {
    local root=$1
    mount -t proc proc "$root/proc" && MOUNTED+=("$root/proc")
    for fs in sys dev; do
        mount --rbind "/$fs" "$root/$fs" && mount --make-rslave "$root/$fs" \
            && MOUNTED+=("$root/$fs")
    done
    # Real data for the tests that use it, read-only, where the tests look for it.
    if [ -d ../shared ]; then
        mkdir -p "$root/root/shared"
        mount --bind ../shared "$root/root/shared" && MOUNTED+=("$root/root/shared") \
            && mount -o remount,bind,ro "$root/root/shared"
    fi
    # Name resolution and this machine's certificates (pip behind an inspecting proxy).
    cp -L /etc/resolv.conf "$root/etc/resolv.conf"
    if compgen -G "/usr/local/share/ca-certificates/*" >/dev/null; then
        cp -r /usr/local/share/ca-certificates/. "$root/usr/local/share/ca-certificates/"
    fi
    [ -f /etc/pip.conf ] && cp /etc/pip.conf "$root/etc/pip.conf"
    chroot "$root" update-ca-certificates >/dev/null 2>&1
}

# The checkout with its git repository, less ignored files (a build's .venv there is kept).
copy_checkout() {
    local target=$1/root/cropseg
    mkdir -p "$target"
    find "$target" -mindepth 1 -maxdepth 1 ! -name .venv -exec rm -rf {} +
    { git ls-files -z --cached --others --exclude-standard; printf '.git\0'; } \
        | tar --null --files-from=- --ignore-failed-read -cf - 2>/dev/null \
        | tar --no-same-owner -xf - -C "$target"
}

# Pytest's closing counts of each tier and the demo's accuracy, from a suite's log.
summary_of() {
    local log=$1 tiers demo
    tiers=$(grep -E '^=+ .*(passed|failed|error).* in [0-9.]+s' "$log" \
            | sed -E 's/^=+ //; s/ in [0-9.]+s.*//' | paste -sd ';' | sed 's/;/; /g')
    demo=$(grep -A1 'held-out test parcels' "$log" | tail -n1 | sed -E 's/^ +//')
    echo "tests: ${tiers:-none ran}; demo: ${demo:-did not finish}"
}

run_suite() {
    local suite=$1 display=$2 root log versions status
    log=$LOGS/$suite.log
    : > "$log"
    root=$(chroot_for "$suite" 2>>"$log") || { echo "chroot build failed (see $log)"; return 1; }
    mount_into "$root"
    copy_checkout "$root"
    chroot "$root" /usr/bin/env -i HOME=/root LANG=C.UTF-8 TERM=dumb \
        PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
        PIP_CERT=/etc/ssl/certs/ca-certificates.crt PIP_DISABLE_PIP_VERSION_CHECK=1 \
        XVFB_RUN_ARGS="-n $display" \
        bash -c 'cd /root/cropseg; make -k test; tested=$?; make demo && exit $tested' >>"$log" 2>&1
    status=$?
    versions=$(chroot "$root" /root/cropseg/.venv/bin/python -c 'import sys, numpy
from osgeo import gdal
from qgis.core import Qgis
print("QGIS", Qgis.QGIS_VERSION.split("-")[0] + ", Python", sys.version.split()[0]
      + ", numpy", numpy.__version__ + ", GDAL", gdal.__version__)' 2>/dev/null \
        || echo "no virtual environment")
    unmount_all
    echo "$versions; $(summary_of "$log")"
    return $status
}

main() {
    local suite display status result verdict failed=0
    mkdir -p "$LOGS"
    for suite in $SUITES; do
        # Each suite its own X display, so that two suites may run at once.
        display=$((150 + $(printf '%s' "$suite" | cksum | cut -d' ' -f1) % 100))
        run_suite "$suite" "$display" > "$LOGS/$suite.summary"
        status=$?
        result=$(cat "$LOGS/$suite.summary")
        if [ $status -eq 0 ]; then
            verdict="passed"
        elif [[ " $ALLOWED_TO_FAIL " == *" $suite "* ]]; then
            verdict="FAILED (allowed)"
        else
            verdict="FAILED"; failed=1
        fi
        echo "test-matrix: $suite $verdict: $result"
    done
    return $failed
}

# Read whole before it runs, so that editing this file cannot change a run under way.
main; exit $?
