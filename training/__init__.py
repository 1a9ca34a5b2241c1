"""Fitting and training: not installed with the product, never imported by it. Each command writes the
data files (weights, manifests, fitted values) that the product loads."""
