"""Output files that appear whole or not at all."""

import os
import tempfile
from contextlib import contextmanager


@contextmanager
def atomic_outputs(*paths):
    """Give temporary paths beside each output; move them into place only on success.

    On any exception (cancel included) every temporary file is removed and the
    final paths are left untouched, so no half-written output remains.
    """
    temps = []
    try:
        for path in paths:
            if not path:
                temps.append(None)
                continue
            folder = os.path.dirname(os.path.abspath(path))
            os.makedirs(folder, exist_ok=True)
            suffix = os.path.splitext(path)[1]
            handle, temp = tempfile.mkstemp(prefix=".cropseg-", suffix=suffix, dir=folder)
            os.close(handle)
            temps.append(temp)
        yield temps
    except BaseException:
        for temp in temps:
            _remove_with_sidecars(temp)
        raise
    umask = os.umask(0)
    os.umask(umask)
    for temp, path in zip(temps, paths):
        if temp is not None:
            _remove_with_sidecars(path)
            if os.path.isfile(temp):
                os.chmod(temp, 0o666 & ~umask)  # mkstemp made it private to this user
            os.replace(temp, path)
            for sidecar in (".aux.xml",):
                if os.path.exists(temp + sidecar):
                    os.replace(temp + sidecar, path + sidecar)


def _remove_with_sidecars(path):
    if path is None:
        return
    for candidate in (path, path + ".aux.xml"):
        if os.path.exists(candidate):
            os.remove(candidate)


def write_geopackage(frame, path, layer, **options):
    """Write a GeoDataFrame as ``layer`` of a new GeoPackage at ``path``.

    An existing file there (such as the placeholder :func:`atomic_outputs` makes)
    is replaced: GeoPackage would otherwise add the layer to it.
    """
    if os.path.exists(path):
        os.remove(path)
    frame.to_file(path, driver="GPKG", layer=layer, **options)
