"""Run cropseg with qgis_process against a throwaway QGIS profile with the plugin enabled."""

import json
import os
import shutil
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class QgisProcessError(RuntimeError):
    """qgis_process failed; the message is its error line, ``output`` all it printed and
    ``returncode`` its exit status."""

    def __init__(self, message, output="", returncode=None):
        super().__init__(message)
        self.output = output
        self.returncode = returncode


class QgisProcess:
    """qgis_process with a private profile in ``folder`` where cropseg is installed and enabled.

    ``plugin`` is the plugin folder to install (this checkout by default).
    """

    def __init__(self, folder, plugin=ROOT):
        # Debian's /usr/bin/qgis_process wrapper passes an option qgis_process rejects.
        self.executable = shutil.which("qgis_process.bin") or shutil.which("qgis_process")
        if self.executable is None:
            raise QgisProcessError("qgis_process is not installed; run `make setup`.")
        plugins = os.path.join(folder, "plugins")
        os.makedirs(plugins, exist_ok=True)
        link = os.path.join(plugins, "cropseg")
        if not os.path.islink(link):
            os.symlink(plugin, link)
        self.env = dict(os.environ)
        self.env.update({
            "QT_QPA_PLATFORM": "offscreen",
            "QGIS_CUSTOM_CONFIG_PATH": os.path.join(folder, "profile"),
            "QGIS_PLUGINPATH": plugins,
            # QGIS's embedded Python finds its environment from the python3 first on PATH.
            "PATH": os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", ""),
        })
        try:
            self.call(["plugins", "enable", "cropseg"])
        except QgisProcessError as exc:  # a profile used before
            if "already enabled" not in str(exc):
                raise

    def run(self, algorithm, parameters, env=None):
        """Run ``algorithm`` (an id or a .model3 path); return its results dict.

        A list value repeats its parameter (multiple layers).  ``env`` adds
        environment variables for this run only.
        """
        arguments = [f"{key}={item}" for key, value in parameters.items()
                     for item in (value if isinstance(value, (list, tuple)) else [value])]
        output = self.call(["--json", "run", algorithm, "--", *arguments], env)
        return json.loads(output)["results"]

    def call(self, arguments, env=None):
        """Run qgis_process with ``arguments``; return its standard output."""
        process = subprocess.run([self.executable, *arguments], env={**self.env, **(env or {})},
                                 text=True, capture_output=True, check=False)
        if process.returncode != 0:
            errors = [line.split("ERROR:", 1)[1].strip() for line in
                      (process.stdout + process.stderr).splitlines() if "ERROR:" in line]
            lines = [line for line in process.stderr.splitlines() if line.strip()]
            raise QgisProcessError(errors[-1] if errors else lines[-1] if lines else "",
                                   process.stdout + process.stderr, process.returncode)
        return process.stdout
