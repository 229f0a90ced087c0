"""`make package`: the plugin zip for QGIS (Install from ZIP) and the plugin repository.

Holds the tracked files QGIS needs, under one top folder ``cropseg/``: the
plugin modules, ``algorithms/``, ``core/``, ``resources/``, metadata, README with
the images it shows (``docs/images/``) and LICENSE.  Tests, benchmarks, scripts and
development files stay out.

Usage: python3 scripts/package.py [OUTPUT_ZIP]
"""

import os
import subprocess
import sys
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TOP_FOLDER = "cropseg"
#: Tracked paths that go into the zip: these files, and everything under these folders.
SHIPPED_FILES = {"metadata.txt", "__init__.py", "plugin.py", "provider.py", "LICENSE",
                 "README.md"}
SHIPPED_FOLDERS = ("algorithms/", "core/", "resources/", "docs/images/")


def shipped_files():
    """Tracked files of the checkout that the plugin needs, sorted."""
    tracked = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, check=True,
                             capture_output=True).stdout.decode().split("\0")
    return sorted(path for path in tracked if path in SHIPPED_FILES
                  or (path.startswith(SHIPPED_FOLDERS) and not path.endswith(".pyc")))


def build(output):
    """Write the zip to ``output``; return the number of files in it."""
    files = shipped_files()
    temporary = output + ".part"
    with zipfile.ZipFile(temporary, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in files:
            archive.write(os.path.join(ROOT, path), f"{TOP_FOLDER}/{path}")
    os.replace(temporary, output)
    return len(files)


if __name__ == "__main__":
    target = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "cropseg.zip")
    print(f"package: {target} ({build(target)} files)")
