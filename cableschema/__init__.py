"""cableschema: data quality and schema validation for the cables of the Cablegate release.

The data flow, one module per stage::

    readers (read)  ->  parser (parse)  ->  validators (rules)  ->  engine (lint)  ->  reporters
"""

from __future__ import annotations

__version__ = "0.1.0"

from .document import Document, ReadProblem  # noqa: E402
from .engine import lint  # noqa: E402
from .model import Cable, Finding  # noqa: E402
from .parser import FieldError, ParsedCable, parse  # noqa: E402
from .readers import ReadError, read  # noqa: E402
from .render import render  # noqa: E402

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
