"""Property-based fuzzing of the entry points: arbitrary bytes, arbitrary text and mutated real
cables given to read, parse and lint. None raises, and every finding points inside the input."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cableschema.config import Settings
from cableschema.document import Document
from cableschema.engine import lint_text
from cableschema.parser import parse
from cableschema.readers import FORMATS, read_bytes

from .conftest import FIXTURES, SAMPLE

_LINES = re.compile(r"\r\n|\r|\n")
_SETTINGS = Settings(cache=False)
_SAMPLES = [
    (SAMPLE / name).read_text(encoding="utf-8", errors="replace")
    for name in (
        "text/07ASTANA2221.scraped.txt",
        "text/04MADRID893.txt",
        "jsonl/06LIMA622.cable.jsonl",
        "csv/cables.csv",
    )
] + [
    # A page without a <pre>, read as its text shows, and a cable quoted in a mail.
    (FIXTURES / "rules" / name).read_text(encoding="utf-8", errors="replace")
    for name in ("W601/bad-blog-page-without-pre.html", "W601/bad-mail-quoting-a-cable.txt")
]
_FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _check(text: str, fmt: str | None = None) -> None:
    lines = _LINES.split(text)
    for finding in lint_text(text, _SETTINGS, format=fmt):
        assert 1 <= finding.line <= len(lines), finding
        assert 1 <= finding.column <= len(lines[finding.line - 1]) + 1, finding
        assert (finding.end_line, finding.end_column) >= (finding.line, finding.column), finding
        assert finding.end_line <= len(lines), finding


@_FUZZ
@given(st.binary(max_size=4000), st.sampled_from((None, *FORMATS)))
def test_arbitrary_bytes(data: bytes, fmt: str | None) -> None:
    for item in read_bytes(data, "fuzz", fmt):
        if isinstance(item, Document):
            parse(item)


@_FUZZ
@given(st.text(max_size=3000), st.sampled_from((None, *FORMATS)))
def test_arbitrary_text(text: str, fmt: str | None) -> None:
    _check(text, fmt)


_CABLE_WORDS = st.sampled_from(
    ["\n", " ", "\r\n", "End summary.", "(Comment:", "End comment.)", "1. (S)", "&#x000A;", "<br>", "¶",
     "ASTANA 00002221  002 OF 003", "DE RUEHTA #2221/01 2260837", "R 140837Z AUG 07", "TAGS:", "SUBJECT:",
     "XXXXXXXXXXXX", "\x00", "\t", "\"", "\\", "comple", "=====CABLE END", "{", "}", "<pre>", "</pre>",
     "<p>", "</p>", "<textarea>", "<td>", "<!--", "<script>", "&nbsp;", "\n> ", "\n>> ", "\n-- \n", "[/quote]"]
)  # fmt: skip


@st.composite
def mutated_cables(draw: st.DrawFn) -> str:
    text = draw(st.sampled_from(_SAMPLES))
    for _ in range(draw(st.integers(1, 8))):
        position = draw(st.integers(0, len(text)))
        action = draw(st.sampled_from(("insert", "delete", "replace", "cut")))
        if action == "cut":
            text = text[:position]
        elif action == "delete":
            text = text[:position] + text[position + draw(st.integers(1, 200)) :]
        else:
            piece = draw(st.one_of(_CABLE_WORDS, st.text(max_size=20)))
            skip = draw(st.integers(1, 20)) if action == "replace" else 0
            text = text[:position] + piece + text[position + skip :]
    return text


@_FUZZ
@given(mutated_cables())
def test_mutated_real_cables(text: str) -> None:
    _check(text)
