"""cropseg:temporalcomposite."""

from qgis.core import (QgsProcessingOutputNumber, QgsProcessingParameterEnum,
                       QgsProcessingParameterMultipleLayers, QgsProcessingParameterNumber,
                       QgsProcessingParameterRasterDestination, QgsProcessingParameterString)

from ..core.common.parsing import parse_bands
from .base import CropsegAlgorithm
from .enums import INTEGER, RASTER

PERIODS = ["Calendar month", "Fixed number of days (PERIOD_DAYS)"]


class TemporalComposite(CropsegAlgorithm):
    """Per-period median composites of a series of dated rasters."""

    NAME = "temporalcomposite"
    DISPLAY_NAME = "Temporal composite"
    GROUP, GROUP_ID = "Time series", "timeseries"
    HELP_ANCHOR = "temporal-composite"
    MODULES = ("numpy", "rasterio", "shapely")
    HELP = (
        "Turns a series of dated rasters (for example every PlanetScope or Sentinel-2 scene of "
        "a season) into one composite per period: the median of the clear observations of "
        "each pixel in each calendar month, or in spans of N days from the first date.<br><br>"
        "Pixels with no clear observation in a period (clouds, no scene that month) are "
        "filled by linear interpolation in time between the neighbouring periods; the first "
        "and last periods take the nearest value. Pixels never observed clear are nodata "
        "(-9999).<br><br>The output is one float32 GeoTIFF with one band per period and band, "
        "named <i>&lt;band&gt;_&lt;period&gt;</i> (for example <i>nir_2024-06</i>), on the "
        "grid of the earliest raster; it can be used directly as the input raster of "
        "<i>Train pixel classifier</i>.<br><br>The date of each raster is read from its file "
        "name (YYYY-MM-DD or YYYYMMDD). Works block by block in bounded memory.<br>"
        "Example: twelve <i>2024MMDD_..._SR.tif</i> scenes with their UDM2 files &rarr; "
        "<i>monthly.tif</i> with 4 bands x 6 months.")

    # Parameter and output keys.
    PERIOD = "PERIOD"
    PERIOD_DAYS = "PERIOD_DAYS"
    BANDS = "BANDS"
    PERIODS = "PERIODS"

    def initAlgorithm(self, config=None):  # noqa: N802 (QGIS API)
        self.add(QgsProcessingParameterMultipleLayers(self.INPUT_RASTERS, "Dated rasters",
                                                      RASTER),
                 "Two or more rasters with the same bands and the date in each file name. "
                 "Several rasters on one day are allowed (their clear pixels are pooled).")
        self.add_mask_inputs()
        self.add(QgsProcessingParameterEnum(self.PERIOD, "Period", PERIODS, defaultValue=0),
                 "Calendar months (default), or consecutive spans of PERIOD_DAYS days starting "
                 "at the first date.")
        self.add(QgsProcessingParameterNumber(self.PERIOD_DAYS, "Days per period",
                                              INTEGER, 30,
                                              minValue=1, maxValue=366),
                 "Length of each period when PERIOD is a fixed number of days.")
        self.add(QgsProcessingParameterString(self.BANDS, "Bands (default: all)", optional=True),
                 "Comma-separated band numbers to composite, for example 1,2,3,4. Empty: every "
                 "band.")
        self.add_memory_budget(256)
        self.add(QgsProcessingParameterRasterDestination(self.OUTPUT, "Composite"),
                 "float32 GeoTIFF, one band per period and band named <band>_<period>, nodata "
                 "-9999.")
        self.add_output(QgsProcessingOutputNumber(self.PERIODS, "Number of periods"))

    def execute_core(self, parameters, context, feedback, core_feedback):
        from ..core.mapping.composite import temporal_composite

        masks, mask_kind = self.mask_inputs(parameters, context)
        by_days = self.parameterAsEnum(parameters, self.PERIOD, context) == 1
        output = self.parameterAsOutputLayer(parameters, self.OUTPUT, context)
        result = temporal_composite(
            self.raster_paths(parameters, self.INPUT_RASTERS, context), output,
            masks=masks, mask_kind=mask_kind,
            period_days=self.parameterAsInt(parameters, self.PERIOD_DAYS, context) if by_days
            else None,
            bands=parse_bands(self.parameterAsString(parameters, self.BANDS, context)) or None,
            memory_mb=self.parameterAsInt(parameters, self.MEMORY_MB, context),
            feedback=core_feedback)
        return {self.OUTPUT: output, self.PERIODS: len(result.periods)}
