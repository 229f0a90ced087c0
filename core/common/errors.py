"""Errors whose message is written for the person running the tool."""


class CropsegError(Exception):
    """Root of every error cropseg reports to the user as one line."""


class InputError(CropsegError):
    """An input (raster, layer, field, parameter) cannot be used as given."""


class ModelFileError(CropsegError):
    """A model file is unreadable, tampered with, unsafe or incompatible."""


class Cancelled(CropsegError):
    """The user cancelled the run; outputs were removed."""

    def __init__(self, message="Cancelled by the user; no output was written."):
        super().__init__(message)
