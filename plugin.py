"""The QGIS plugin: registers the cropseg Processing provider and its toolbox actions."""

import os

from qgis.core import QgsApplication

#: The toolbox action on shipped workflows.
EDIT_COPY_ACTION = "Edit a Copy in the Model Designer…"

#: Compiled translations, ``cropseg_<locale>.qm`` (see scripts/translations.py).
TRANSLATIONS = os.path.join(os.path.dirname(__file__), "resources", "i18n")


class CropsegPlugin:
    """Adds the cropseg provider to the Processing registry and removes it on unload."""

    def __init__(self, iface):
        self.iface = iface
        self.provider = None
        self.context_actions = []
        self.translator = install_translation()

    def initProcessing(self):  # noqa: N802 (QGIS API)
        """Register the provider (once); qgis_process calls only this."""
        from .provider import CropsegProvider

        if self.provider is not None:
            return
        provider = CropsegProvider()
        # QGIS deletes a provider whose id is already registered and returns False.
        self.provider = provider if QgsApplication.processingRegistry().addProvider(provider) \
            else None

    def initGui(self):  # noqa: N802 (QGIS API)
        """Register the provider and the toolbox's "Edit a copy" action on shipped workflows."""
        from processing.gui.ProviderActions import ProviderContextMenuActions

        self.initProcessing()
        self.context_actions = [edit_workflow_copy_action()]
        ProviderContextMenuActions.registerProviderContextMenuActions(self.context_actions)

    def unload(self):
        """Remove the provider and the toolbox action."""
        if self.context_actions:
            from processing.gui.ProviderActions import ProviderContextMenuActions

            ProviderContextMenuActions.deregisterProviderContextMenuActions(self.context_actions)
            self.context_actions = []
        if self.provider is not None:
            QgsApplication.processingRegistry().removeProvider(self.provider)
            self.provider = None
        if self.translator is not None:
            from qgis.PyQt.QtCore import QCoreApplication

            QCoreApplication.removeTranslator(self.translator)
            self.translator = None


def install_translation():
    """Install the translation for QGIS's language, if the plugin has one; return it."""
    from qgis.PyQt.QtCore import QCoreApplication, QTranslator

    path = os.path.join(TRANSLATIONS, f"cropseg_{QgsApplication.locale()}.qm")
    translator = QTranslator()
    if not os.path.exists(path) or not translator.load(path):
        return None
    QCoreApplication.installTranslator(translator)
    return translator


def edit_workflow_copy_action():
    """Toolbox context action: open a copy of a shipped workflow in the Model Designer.

    The copy has no file, so saving asks where to put it (by default the user's
    models folder, where it then shows under Models) and the shipped file is
    never overwritten.
    """
    from processing.gui.ContextAction import ContextAction
    from processing.modeler.ModelerDialog import ModelerDialog
    from qgis.core import QgsProcessingModelAlgorithm

    from .algorithms.base import tr

    class EditWorkflowCopy(ContextAction):
        def __init__(self):
            super().__init__()
            self.name = tr(EDIT_COPY_ACTION)

        def isEnabled(self):  # noqa: N802 (QGIS API)
            algorithm = self.itemData
            return (isinstance(algorithm, QgsProcessingModelAlgorithm)
                    and algorithm.provider() is not None
                    and algorithm.provider().id() == "cropseg")

        def execute(self):
            copy = QgsProcessingModelAlgorithm()
            copy.loadVariant(self.itemData.toVariant())
            dialog = ModelerDialog.create(copy)
            dialog.show()
            dialog.activate()
            return dialog

    return EditWorkflowCopy()
