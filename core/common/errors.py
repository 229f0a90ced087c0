"""Errors whose message is written for the person running the tool.

A message is a ``str.format`` template with named fields and the values that fill them, kept
apart so that the plugin can show the template in the user's language (see :func:`fill`).
Templates are literal strings, so that the translation template can list them.
"""


def fill(template, values, translate=None):
    """``template``, translated by ``translate`` when given, with its fields filled from ``values``.

    A value that is itself a :class:`Message` or a :class:`CropsegError` is written in the same
    language.
    """
    if translate is not None:
        template = translate(template)
    return template.format(**{name: value.text(translate)
                              if isinstance(value, (Message, CropsegError)) else value
                              for name, value in values.items()})


class Message:
    """A message to show later, kept as its template and values (see :func:`fill`)."""

    def __init__(self, template, **values):
        self.template = template
        self.values = values

    def text(self, translate=None):
        """The message, in the language of ``translate`` when given."""
        return fill(self.template, self.values, translate)

    def __str__(self):
        return self.text()


class CropsegError(Exception):
    """Root of every error cropseg reports to the user as one line."""

    def __init__(self, template, **values):
        self.template = template
        self.values = values
        super().__init__(fill(template, values))

    def text(self, translate=None):
        """The message, in the language of ``translate`` when given."""
        return fill(self.template, self.values, translate)

    def __reduce__(self):
        # Pickled as template and values: the filled message is not a template itself.
        return _rebuild, (type(self), self.template, self.values)


def _rebuild(cls, template, values):
    return cls(template, **values)


class InputError(CropsegError):
    """An input (raster, layer, field, parameter) cannot be used as given."""


class ModelFileError(CropsegError):
    """A model file is unreadable, tampered with, unsafe or incompatible."""


class Cancelled(CropsegError):
    """The user cancelled the run; outputs were removed."""

    def __init__(self, template="Cancelled by the user; no output was written.", **values):
        super().__init__(template, **values)
