"""Pure-Python core of cropseg.

Nothing in this package imports QGIS, PyQt, ``processing`` or ``osgeo``: the
Processing algorithms, the graphical modeler and ``qgis_process`` all call the
same functions here, and the functions can be used from plain Python too.
"""

__version__ = "0.1.0"
