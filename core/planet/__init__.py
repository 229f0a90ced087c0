"""PlanetScope imagery: the Data and Orders APIs, scene metadata, reflectance and UDM2 cloud masks."""
