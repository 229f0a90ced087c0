"""Crop mask clean-up: filters, connected components, vectorizing."""
