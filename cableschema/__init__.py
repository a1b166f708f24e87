"""cableschema: data quality and schema validation for the cables of the Cablegate release.

The data flow, one module per stage::

    readers (read)  ->  parser (parse)  ->  validators (rules)  ->  engine (lint)  ->  reporters
"""

from __future__ import annotations

__version__ = "0.1.0"

from .document import Document, ReadProblem
from .engine import lint
from .model import Cable, Finding
from .parser import FieldError, ParsedCable, parse
from .readers import ReadError, read
from .render import render

__all__ = [
    "Cable",
    "Document",
    "FieldError",
    "Finding",
    "ParsedCable",
    "ReadError",
    "ReadProblem",
    "__version__",
    "lint",
    "parse",
    "read",
    "render",
]
