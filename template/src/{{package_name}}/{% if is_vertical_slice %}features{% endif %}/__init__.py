"""Vertical slices: one package per feature, one package per action of a feature."""
