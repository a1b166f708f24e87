"""``python -m cableschema``."""

from .cli import entry

entry()
