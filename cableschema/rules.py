"""The rule-authoring API: what a rule is, what it sees and what it returns.

A rule is one function registered with :func:`rule`. It receives a :class:`Context` (the
document, the parse and its parts) and yields :class:`Violation`\\ s whose positions are offsets
into the normalised text. The engine maps them back to the source file, applies selection,
severity overrides and baselines; rules know nothing of those::

    @rule("M106", "classification-unknown", "error")
    def classification_unknown(ctx: Context) -> Iterator[Violation]:
        \"\"\"## What it does ... (the docs, under fixed headings)\"\"\"
        ...

Rules are registered in :data:`REGISTRY` by importing their family module (``validators/``);
the docstring is the rule's documentation and must carry the four headings of
:data:`DOC_HEADINGS`.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from . import _regex

if TYPE_CHECKING:  # a run served by the cache reads the rules' codes, never a parse
    from .document import Document
    from .parser import Item, ParsedCable, Parts

Severity = Literal["error", "warning", "info"]
Scope = Literal["cable", "file", "corpus", "engine"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")
DOC_HEADINGS = ("What it does", "Why it matters", "Example", "Fix")


@dataclass(frozen=True)
class TextEdit:
    """Replace ``text[start:end]`` by ``content``; offsets into the normalised text."""

    start: int
    end: int
    content: str = ""


@dataclass(frozen=True)
class FixSpec:
    applicability: Literal["safe", "unsafe"]
    message: str
    edits: tuple[TextEdit, ...]


@dataclass(frozen=True)
class Violation:
    """What a rule reports: a message and a span of the normalised text.

    ``source_span`` (offsets into the source) is for values that are not in the text, such as
    the release metadata of an HTML page's table. File rules, which see no single text, give
    ``location``: the 1-based (line, column) in the file, and the ``record`` it concerns.
    """

    message: str
    start: int = 0
    end: int = 0
    fix: FixSpec | None = None
    source_span: tuple[int, int] | None = None
    location: tuple[int, int] | None = None
    record: int | None = None
    reference_id: str | None = None


@dataclass
class Context:
    """What a cable rule sees. Everything is computed once and shared by all rules."""

    document: Document
    parsed: ParsedCable
    options: dict[str, Any] = field(default_factory=dict)

    @property
    def parts(self) -> Parts:
        return self.parsed.parts

    @property
    def text(self) -> str:
        return self.document.text

    @property
    def lines(self) -> list[str]:
        return self.parsed.parts.lines

    @property
    def data(self) -> dict[str, Any]:
        return self.parsed.data

    def line_span(self, line: int, *, strip: bool = True) -> tuple[int, int]:
        """Offsets of a (0-based) line, without its surrounding blanks when ``strip``."""
        parts = self.parts
        start = parts.line_starts[line]
        text = parts.lines[line]
        if not strip or not text.strip():
            return start, start + len(text)
        lead = len(text) - len(text.lstrip())
        return start + lead, start + len(text.rstrip())

    def at_line(self, line: int, message: str, fix: FixSpec | None = None) -> Violation:
        start, end = self.line_span(line)
        return Violation(message, start, end, fix)

    def at_item(self, item: Item, message: str, key: str | None = None, fix: FixSpec | None = None) -> Violation:
        """A violation at an item, or at one named part of it (``_spans`` of its values)."""
        if key is not None:
            spans = item.values.get("_spans") or {}
            if key in spans:
                base = self.parts.line_starts[item.line]
                begin, finish = spans[key]
                return Violation(message, base + begin, base + finish, fix)
        return Violation(message, item.start, item.end, fix)

    def at_metadata(self, key: str, message: str) -> Violation:
        """A violation at a release-metadata value: in the page table, record field or text."""
        span = self.document.metadata.spans.get(key)
        if span is not None:
            return Violation(message, 0, 0, source_span=span)
        start = self.parts.line_starts[self.parts.cable_start_line] if self.parts.lines else 0
        return Violation(message, start, start)


@dataclass
class FileContext:
    """What a file rule sees: the outcome of reading one file."""

    path: str
    format: str | None
    problems: Sequence[Any]  # ReadProblem
    #: Documents that were read but hold no cable, with their parse.
    documents: Sequence[Document]
    parsed: Sequence[ParsedCable]
    #: How many cables the file held.
    cables: int = 0
    #: False when this is one chunk of a large file's records (linted in parallel).
    complete: bool = True


@dataclass(frozen=True, slots=True)
class CorpusEntry:
    """One cable of a run, as corpus rules see it."""

    path: str
    record: int | None
    reference_id: str | None
    text_hash: str
    line: int
    column: int
    end_line: int
    end_column: int
    cable_line: int | None


@dataclass(frozen=True)
class CorpusViolation:
    """A corpus rule's finding, placed on one cable of the run."""

    entry: CorpusEntry
    message: str


CableCheck = Callable[[Context], Iterable[Violation]]
FileCheck = Callable[[FileContext], Iterable[Violation]]
CorpusCheck = Callable[[Sequence[CorpusEntry]], Iterable[CorpusViolation]]


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    severity: Severity
    summary: str
    docs: str
    scope: Scope
    check: Callable[..., Iterable[Any]] | None
    fix: Literal["safe", "unsafe"] | None = None

    def section(self, heading: str) -> str:
        """The text under one of the doc headings."""
        return doc_sections(self.docs).get(heading, "")


_CODE = _regex.compile(r"^[EMHPSTW][0-9]{3}$")
_NAME = _regex.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_HEADING = _regex.compile(r"^##\s+(.*?)\s*$")

#: code -> Rule. Filled when the family modules of ``cableschema.validators`` are imported.
REGISTRY: dict[str, Rule] = {}


def doc_sections(docs: str) -> dict[str, str]:
    sections: dict[str, str] = {}
    current: str | None = None
    lines: list[str] = []
    for line in docs.splitlines():
        heading = _HEADING.match(line) if line.startswith("##") else None
        if heading:
            if current is not None:
                sections[current] = "\n".join(lines).strip()
            current, lines = heading.group(1), []
        elif current is not None:
            lines.append(line)
    if current is not None:
        sections[current] = "\n".join(lines).strip()
    return sections


def _dedent_docstring(docstring: str) -> str:
    lines = docstring.expandtabs().splitlines()
    if not lines:
        return ""
    first, rest = lines[0].strip(), lines[1:]
    indents = [len(line) - len(line.lstrip()) for line in rest if line.strip()]
    margin = min(indents) if indents else 0
    return "\n".join([first, *(line[margin:] for line in rest)]).strip()


def rule(
    code: str,
    name: str,
    severity: Severity,
    summary: str,
    *,
    scope: Scope = "cable",
    fix: Literal["safe", "unsafe"] | None = None,
) -> Callable[[Callable[..., Iterable[Any]]], Callable[..., Iterable[Any]]]:
    """Register a rule. Its docstring is its documentation (with the four :data:`DOC_HEADINGS`)."""

    def register(function: Callable[..., Iterable[Any]]) -> Callable[..., Iterable[Any]]:
        define(code, name, severity, summary, function.__doc__ or "", scope=scope, check=function, fix=fix)
        return function

    return register


def define(
    code: str,
    name: str,
    severity: Severity,
    summary: str,
    docs: str,
    *,
    scope: Scope = "cable",
    check: Callable[..., Iterable[Any]] | None = None,
    fix: Literal["safe", "unsafe"] | None = None,
) -> Rule:
    """Register a rule without a check function (findings made by the engine, such as E009)."""
    if not _CODE.match(code):
        raise ValueError(f"rule code {code!r} is not a letter and three digits")
    if not _NAME.match(name):
        raise ValueError(f"rule name {name!r} is not kebab-case")
    if severity not in SEVERITIES:
        raise ValueError(f"rule {code}: severity {severity!r} is not one of {SEVERITIES}")
    if code in REGISTRY and REGISTRY[code].check is not check:
        raise ValueError(f"rule code {code} registered twice")
    text = _dedent_docstring(docs)
    sections = doc_sections(text)
    missing = [heading for heading in DOC_HEADINGS if heading not in sections]
    if missing:
        raise ValueError(f"rule {code} docs lack the heading(s): {', '.join(missing)}")
    registered = Rule(code, name, severity, summary, text, scope, check, fix)
    REGISTRY[code] = registered
    return registered


def rules_by_scope(scope: Scope) -> Iterator[Rule]:
    return (r for r in REGISTRY.values() if r.scope == scope and r.check is not None)


class RulePackMissing(ImportError):
    """The rule pack ``cableschema.validators`` cannot be imported: this copy of the package is
    not an installed one (see :func:`load`)."""


def load() -> dict[str, Rule]:
    """Import the rule pack and return the registry, sorted by code."""
    try:
        importlib.import_module("cableschema.validators")  # importing registers the rules
    except ModuleNotFoundError as exc:
        if exc.name != "cableschema.validators":
            raise
        # The rule pack lives in the source tree's validators/ and an install maps it into the
        # package. ``python -m cableschema`` run in a source checkout imports ./cableschema,
        # without that mapping, whatever is installed.
        raise RulePackMissing(
            f"the rule pack cableschema.validators is missing from {Path(__file__).parent}: a source"
            " checkout's directory is not an installed package; run from another directory, or"
            " install the checkout with `pip install -e .`",
            name=exc.name,
        ) from None
    _regex.save()  # the patterns the package compiled, for the next run (see cableschema._regex)
    return dict(sorted(REGISTRY.items()))
