"""Output files: checked before any work, and written whole or not at all."""

import os
import tempfile
from contextlib import contextmanager

from .errors import InputError
from .styles import sidecar_path

#: Vector formats by file extension: the OGR driver that writes each.
VECTOR_DRIVERS = {".gpkg": "GPKG", ".shp": "ESRI Shapefile", ".geojson": "GeoJSON",
                  ".fgb": "FlatGeobuf"}
RASTER_EXTENSIONS = (".tif", ".tiff")

#: How the temporary file of an output being written begins (see :func:`atomic_outputs`).
TEMP_PREFIX = ".cropseg-"
#: Files that a dataset with this extension has beside it.
_COMPANIONS = {".shp": (".shx", ".dbf", ".prj", ".cpg", ".qix")}


def check_outputs(outputs, inputs):
    """Refuse, before any work, an output that cannot be written or would replace a file in use.

    ``outputs`` maps each parameter to ``(path, extensions)``: the extensions its
    writer supports (any when empty), or None for a folder; empty paths are skipped.  ``inputs``
    maps parameters to the paths they read.  Every output must have a supported
    extension, lie in a folder that can be made and written, and share no file
    (sidecars such as ``.aux.xml`` and ``.qml`` included) with an input or
    another output.  Raises :class:`InputError` naming the parameter.
    """
    claimed = {}
    for name, paths in inputs.items():
        for path in paths:
            if path:
                for file in _files_of(path):
                    claimed.setdefault(file, f"the input {name}")
    for name, (path, extensions) in outputs.items():
        if not path:
            continue
        if extensions and os.path.splitext(path)[1].lower() not in extensions:
            raise InputError("{name}: '{path}' must end in "
                             "{extensions}.", name=name, path=os.path.basename(path),
                             extensions=" or ".join(extensions))
        if extensions is None and os.path.isfile(path):
            raise InputError("{name}: '{path}' is a file, not a folder.", name=name, path=path)
        _check_writable(name, path if extensions is None else os.path.dirname(path))
        real, files = _real(path), _files_of(path)
        if real in claimed:
            what = claimed[real]
        elif files & claimed.keys():
            file = sorted(files & claimed.keys())[0]
            what = f"'{os.path.basename(file)}' of {claimed[file]}"
        else:
            claimed.update((file, f"the output {name}") for file in files)
            continue
        raise InputError("{name}: writing '{path}' would replace {what}; choose another "
                         "file name.", name=name, path=path, what=what)


def _files_of(path):
    """Real paths of a file and, for a map layer, the sidecars written or read beside it."""
    path = _real(path)
    if os.path.splitext(path)[1].lower() not in RASTER_EXTENSIONS + tuple(VECTOR_DRIVERS):
        return {path}
    return {path, sidecar_path(path), *_sidecars(path)}


def _real(path):
    """The resolved, case-normalised path of a file (a layer's ``|layername=`` dropped)."""
    return os.path.normcase(os.path.realpath(os.path.abspath(path.split("|")[0])))


def _check_writable(name, folder):
    """The nearest existing folder of ``folder`` is a folder this process can write in."""
    folder = os.path.abspath(folder or ".")
    existing = folder
    while not os.path.exists(existing):
        existing = os.path.dirname(existing)
    if not os.path.isdir(existing):
        raise InputError("{name}: '{existing}' is a file, so '{folder}' cannot be a folder.",
                         name=name, existing=existing, folder=folder)
    try:
        handle, probe = tempfile.mkstemp(prefix=".cropseg-probe-", dir=existing)
    except OSError as exc:
        raise InputError("{name}: cannot write in '{existing}' ({strerror}).", name=name,
                         existing=existing, strerror=exc.strerror) from None
    os.close(handle)
    os.remove(probe)


@contextmanager
def atomic_outputs(*paths):
    """Give temporary paths beside each output; move them into place only on success.

    On any exception (cancel included) every temporary file is removed and the
    final paths are left untouched, so no half-written output remains.
    """
    temps, made = [], []
    try:
        for path in paths:
            if not path:
                temps.append(None)
                continue
            folder = os.path.dirname(os.path.abspath(path))
            made.extend(missing_folders(folder))
            os.makedirs(folder, exist_ok=True)
            suffix = os.path.splitext(path)[1]
            handle, temp = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=suffix, dir=folder)
            os.close(handle)
            temps.append(temp)
        yield temps
    except BaseException:
        for temp in temps:
            _remove_with_sidecars(temp)
        remove_empty_folders(made)
        raise
    umask = os.umask(0)
    os.umask(umask)
    for temp, path in zip(temps, paths):
        if temp is not None:
            _remove_with_sidecars(path)
            if os.path.isfile(temp):
                os.chmod(temp, 0o666 & ~umask)  # mkstemp made it private to this user
            os.replace(temp, path)
            for temp_sidecar, sidecar in zip(_sidecars(temp), _sidecars(path)):
                if os.path.exists(temp_sidecar):
                    os.replace(temp_sidecar, sidecar)


def missing_folders(folder):
    """The folders of ``folder``'s path that do not exist yet, outermost first."""
    missing = []
    folder = os.path.abspath(folder)
    while not os.path.isdir(folder):
        missing.append(folder)
        folder = os.path.dirname(folder)
    return list(reversed(missing))


def remove_empty_folders(folders):
    """Remove those of ``folders`` (outermost first) that are empty, innermost first."""
    for folder in reversed(folders):
        if os.path.isdir(folder) and not os.listdir(folder):
            os.rmdir(folder)


def _sidecars(path):
    """Files a writer puts beside ``path``: ``.aux.xml``, and a shapefile's companions."""
    stem, extension = os.path.splitext(path)
    return [path + ".aux.xml"] + [stem + c for c in _COMPANIONS.get(extension.lower(), ())]


def _remove_with_sidecars(path):
    if path is None:
        return
    for candidate in (path, *_sidecars(path)):
        if os.path.exists(candidate):
            os.remove(candidate)


def write_vector(frame, path, layer, feedback=None):
    """Write a GeoDataFrame as a new file at ``path``, in the format its extension names.

    ``layer`` names the layer of a GeoPackage.  An existing file there (such as
    the placeholder :func:`atomic_outputs` makes) is replaced.  A Shapefile's
    field names are cut to its 10 characters here, and ``feedback`` is told how.
    """
    extension = os.path.splitext(path)[1].lower()
    _remove_with_sidecars(path)
    options = {"layer": layer} if extension == ".gpkg" else {}
    if extension == ".shp":
        renamed = shapefile_field_names([c for c in frame.columns if c != frame.geometry.name])
        if renamed:
            frame = frame.rename(columns=renamed)
            if feedback is not None:
                feedback.info("Shapefile field names hold at most 10 characters: {renamed}.",
                              renamed=", ".join(f"{a} → {b}" for a, b in renamed.items()))
    frame.to_file(path, driver=VECTOR_DRIVERS[extension], **options)


def shapefile_field_names(columns):
    """{long name: unique name of at most 10 characters} for the ``columns`` that need one."""
    renamed, taken = {}, {c for c in columns if len(c) <= 10}
    for column in columns:
        if len(column) <= 10:
            continue
        short, number = column[:10], 1
        while short in taken:
            suffix = f"_{number}"
            short, number = column[:10 - len(suffix)] + suffix, number + 1
        renamed[column] = short
        taken.add(short)
    return renamed
