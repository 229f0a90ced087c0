"""The QGIS plugin: registers the cropseg Processing provider and its toolbox actions."""

from qgis.core import QgsApplication


class CropsegPlugin:
    """Adds the cropseg provider to the Processing registry and removes it on unload."""

    def __init__(self, iface):
        self.iface = iface
        self.provider = None
        self.context_actions = []

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


def edit_workflow_copy_action():
    """Toolbox context action: open a copy of a shipped workflow in the Model Designer.

    The copy has no file, so saving asks where to put it (by default the user's
    models folder, where it then shows under Models) and the shipped file is
    never overwritten.
    """
    from processing.gui.ContextAction import ContextAction
    from processing.modeler.ModelerDialog import ModelerDialog
    from qgis.core import QgsProcessingModelAlgorithm

    class EditWorkflowCopy(ContextAction):
        def __init__(self):
            super().__init__()
            self.name = "Edit a Copy in the Model Designer…"

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
