"""The choices of the clean-up step; plain data, importable before the dependency check."""

#: Which classes the cleaned mask keeps: the crop classes (a crop mask), or every class.
KEEP_CLASSES = ("crop", "all")
