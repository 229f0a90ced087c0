"""Raster access shared by every step: grids and blocks, time stacks, the class raster, label
polygons on the grid, block reservoirs, mosaics of tiles."""
