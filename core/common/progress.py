"""Progress reporting and cancellation shared by every long core function.

Core functions take ``feedback=None`` and call :meth:`Feedback.progress`,
:meth:`Feedback.info`, :meth:`Feedback.warning` and :meth:`Feedback.check_cancelled`.
The QGIS wrapper passes a :class:`Feedback` built on ``QgsProcessingFeedback``;
plain Python callers get a silent one. Messages are templates with named fields, as for
errors (see :mod:`core.common.errors`), shown translated when the feedback is given a
``translate`` function.
"""

from .errors import Cancelled, fill


class Feedback:
    """Progress (0..1), messages, warnings and a cancel flag, optionally scaled to a sub-range.

    Warnings go to ``on_warning``, or to ``on_info`` with a "Warning: " prefix without one.
    """

    def __init__(self, on_progress=None, on_info=None, is_cancelled=None,
                 start=0.0, end=1.0, on_warning=None, translate=None):
        self._on_progress = on_progress
        self._on_info = on_info
        self._on_warning = on_warning
        self._is_cancelled = is_cancelled
        self._start = start
        self._end = end
        self._translate = translate

    def progress(self, fraction):
        """Report that ``fraction`` (0..1) of this step is done."""
        if self._on_progress is not None:
            fraction = min(max(float(fraction), 0.0), 1.0)
            self._on_progress(self._start + (self._end - self._start) * fraction)

    def info(self, template, **values):
        """Send a line to the log."""
        if self._on_info is not None:
            self._on_info(fill(template, values, self._translate))

    def warning(self, template, **values):
        """Tell the user of something that went on but may be wrong."""
        if self._on_warning is not None:
            self._on_warning(fill(template, values, self._translate))
        else:
            self.info("Warning: {message}", message=fill(template, values, self._translate))

    def cancelled(self):
        """True once the user asked to stop."""
        return bool(self._is_cancelled and self._is_cancelled())

    def check_cancelled(self):
        """Raise :class:`Cancelled` if the user asked to stop."""
        if self.cancelled():
            raise Cancelled()

    def step(self, start, end):
        """A feedback whose 0..1 maps to ``start..end`` of this one."""
        span = self._end - self._start
        return Feedback(self._on_progress, self._on_info, self._is_cancelled,
                        self._start + span * start, self._start + span * end, self._on_warning,
                        self._translate)


def ensure_feedback(feedback):
    """Return ``feedback`` or a silent one."""
    return feedback if feedback is not None else Feedback()
