"""Choices of the mapping stage, as plain data: dialogs list them before any package loads."""

#: What Classify rasters in batch builds from the tiles of each raster.
MOSAICS = {"vrt": "A VRT mosaic of the tiles",
           "cog": "A VRT mosaic and one Cloud Optimized GeoTIFF built from it"}
