"""QGIS Processing algorithms of cropseg: thin wrappers around ``core``."""
