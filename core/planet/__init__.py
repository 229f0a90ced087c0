"""PlanetScope imagery: scene metadata, reflectance and UDM2 cloud masks (and later the API)."""
