"""Helpers of the demo, the tests and the benchmarks: generated scenes and the PNG quicklook.

Not part of the plugin: the package (scripts/package.py) ships algorithms/, core/ and
resources/ only.
"""
