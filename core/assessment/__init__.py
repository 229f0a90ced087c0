"""Accuracy assessment: metrics, comparison with reference data, sample design, report files."""
