"""The choices of the training step, with the words the dialog shows for them.

Plain data without imports, so the plugin can list them before it knows whether the learning
packages are installed.
"""

#: Validation schemes (learn.validation).
VALIDATIONS = {"grouped": "Grouped by label feature (no leakage)",
               "spatial": "Spatial blocks",
               "random": "Random pixels (optimistic)"}

#: How the sample shares its pixels among the classes (learn.sampling).
BALANCES = {"proportional": "As labelled (class proportions of the labels)",
            "balanced": "Balanced (the same number of pixels per class)"}
