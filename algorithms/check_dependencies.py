"""cropseg:checkdependencies."""

from qgis.core import QgsProcessingOutputNumber, QgsProcessingOutputString

from ..core.common.dependencies import (OPTIONAL, PACKAGES, dependency_report, install_command,
                                        running_system)
from .base import CropsegAlgorithm


class CheckDependencies(CropsegAlgorithm):
    """List every Python package cropseg uses, with its version or how to install it."""

    NAME = "checkdependencies"
    DISPLAY_NAME = "Check dependencies"
    GROUP, GROUP_ID = "Set-up", "setup"
    HELP_ANCHOR = "check-dependencies"
    MODULES = ()
    HELP = (
        "Lists every Python package cropseg uses with the version the running QGIS imports, "
        "and for each missing or broken one the exact command that installs it for this QGIS: "
        "<i>apt</i> and pip on Debian and Ubuntu, pip in the OSGeo4W Shell on Windows, pip of "
        "QGIS's own Python on macOS. Run it after installing the plugin or when an algorithm "
        "says a package is missing; it changes nothing. An optional package (dask[distributed], "
        "for <i>Classify rasters in batch</i>) is listed with its command but not counted as "
        "missing.<br><br>"
        "Example: run it with no parameters; the log lists <i>numpy 2.2.4</i>, ... and "
        "MISSING is 0 when everything is in place.")

    # Parameter and output keys.
    MISSING = "MISSING"
    INSTALL_COMMAND = "INSTALL_COMMAND"

    def initAlgorithm(self, config=None):  # noqa: N802 (QGIS API)
        self.add_output(QgsProcessingOutputNumber(self.MISSING, "Missing or broken packages"))
        self.add_output(QgsProcessingOutputString(self.INSTALL_COMMAND, "Install command"))

    def execute_core(self, parameters, context, feedback, core_feedback):
        rows = dependency_report()
        optional = {PACKAGES[module][0]: algorithm for module, algorithm in OPTIONAL.items()}
        for name, version, problem in rows:
            if version or name not in optional:
                feedback.pushInfo(f"{name}: {version or problem.text(self.tr)}")
            else:
                feedback.pushInfo(self.tr("{name}: {problem}; optional, for {algorithm}: {command}")
                                  .format(name=name, problem=problem.text(self.tr),
                                          algorithm=self.tr(optional[name]),
                                          command=install_command([name])))
        missing = [name for name, version, _ in rows if version is None and name not in optional]
        command = install_command(missing) if missing else ""
        if missing:
            feedback.reportError(self.tr("{count} package(s) missing or broken. Install them "
                                         "({system}) with: {command}").format(
                count=len(missing), system=running_system(), command=command))
        else:
            feedback.pushInfo(self.tr("Every package cropseg uses is installed."))
        return {self.MISSING: len(missing), self.INSTALL_COMMAND: command}
