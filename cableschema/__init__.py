"""cableschema: data quality and schema validation for the cables of the Cablegate release.

The data flow, one module per stage::

    readers (read)  ->  parser (parse)  ->  validators (rules)  ->  engine (lint)  ->  reporters
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from .document import Document, ReadProblem
    from .engine import lint
    from .model import Cable, Finding
    from .parser import FieldError, ParsedCable, parse
    from .readers import ReadError, read

# Imported now, not on first use: the function has its module's name, and a later import of the
# module would otherwise bind ``cableschema.render`` to the module.
from .render import render

#: The other public names, each imported from its module on first use: ``cableschema --version``
#: need not compile the parser's patterns or load the readers.
_EXPORTS = {
    "Cable": "model",
    "Document": "document",
    "FieldError": "parser",
    "Finding": "model",
    "ParsedCable": "parser",
    "ReadError": "readers",
    "ReadProblem": "document",
    "lint": "engine",
    "parse": "parser",
    "read": "readers",
}

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


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'cableschema' has no attribute {name!r}")
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_EXPORTS])
