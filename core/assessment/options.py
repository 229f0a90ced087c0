"""The choices of the assessment; plain data, importable before the dependency check."""

#: How the reference was collected: every pixel of the reference (a census), or a
#: stratified random sample with the map classes as strata.
SAMPLINGS = ("census", "stratified")
