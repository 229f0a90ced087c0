"""Classification of a raster or time stack in blocks, and temporal composites."""
