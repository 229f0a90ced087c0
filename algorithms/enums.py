"""Processing enums under the names the running QGIS gives them.

QGIS 3.36 moved Processing's enums into ``Qgis`` (``Qgis.ProcessingSourceType``
and others); QGIS 4 keeps only those.  QGIS 3.22 to 3.34 have the enums scoped
in their classes.  The algorithms use the names below and work on both.
"""

from qgis.core import (Qgis, QgsProcessing, QgsProcessingFeatureSource,
                       QgsProcessingParameterDateTime, QgsProcessingParameterDefinition,
                       QgsProcessingParameterNumber)

if hasattr(Qgis, "ProcessingSourceType"):
    RASTER = Qgis.ProcessingSourceType.Raster
    VECTOR_POINT = Qgis.ProcessingSourceType.VectorPoint
    VECTOR_POLYGON = Qgis.ProcessingSourceType.VectorPolygon
    INTEGER = Qgis.ProcessingNumberParameterType.Integer
    DOUBLE = Qgis.ProcessingNumberParameterType.Double
    DATE = Qgis.ProcessingDateTimeParameterDataType.Date
    ADVANCED = Qgis.ProcessingParameterFlag.Advanced
    SKIP_GEOMETRY_CHECKS = Qgis.ProcessingFeatureSourceFlag.SkipGeometryValidityChecks
else:
    RASTER = QgsProcessing.SourceType.TypeRaster
    VECTOR_POINT = QgsProcessing.SourceType.TypeVectorPoint
    VECTOR_POLYGON = QgsProcessing.SourceType.TypeVectorPolygon
    INTEGER = QgsProcessingParameterNumber.Type.Integer
    DOUBLE = QgsProcessingParameterNumber.Type.Double
    DATE = QgsProcessingParameterDateTime.Type.Date
    ADVANCED = QgsProcessingParameterDefinition.Flag.FlagAdvanced
    SKIP_GEOMETRY_CHECKS = QgsProcessingFeatureSource.Flag.FlagSkipGeometryValidityChecks
