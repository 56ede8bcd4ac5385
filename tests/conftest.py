"""Shared fixtures. Importing cllstr_mm first applies the compatibility layer
before any OpenMMLab module is imported."""
import cllstr_mm  # noqa: F401
