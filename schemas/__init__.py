"""Versioned JSON Schemas of cableschema (package data): ``cable/``, ``report/``, ``catalog.json``."""
