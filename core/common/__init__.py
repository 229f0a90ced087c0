"""Shared utilities: errors, progress and cancel, atomic files, styles, dependencies."""
