"""Classification of a raster or time stack in blocks, of many rasters on a Dask cluster, and
temporal composites."""
