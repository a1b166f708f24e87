"""The same properties for the other containers of generated cables: cablegate HTML pages, JSON
Lines (the mongoexport layout) and CSV (the cables.csv layout)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cableschema import parse
from cableschema._strategies import containers
from cableschema._strategies.draft import Layout
from cableschema._strategies.hyp import Sample, constraints, layouts, samples
from cableschema.config import Settings
from cableschema.document import Document
from cableschema.engine import lint_text
from cableschema.readers import read_string
from cableschema.rules import load
from cableschema.selection import Selection

from .damage_checks import present

REGISTRY = load()
ALL_RULES = Settings(selection=Selection(select=("ALL",)), cache=False)
FORMATS = st.sampled_from(("html", "jsonl", "csv"))
PROPERTY = settings(
    max_examples=40,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _document(content: str, path: str) -> Document:
    documents = [d for d in read_string(content, path) if isinstance(d, Document)]
    assert len(documents) == 1, f"{path}: {documents}"
    return documents[0]


@PROPERTY
@given(layouts(constraints()), FORMATS)
def test_containers_read_back_to_the_cable(lay: Layout, fmt: str) -> None:
    content, _ = containers.write(lay.sheet, fmt)
    path = f"x.{containers.SUFFIX[fmt]}"
    document = _document(content, path)
    assert document.format == fmt
    parsed = parse(document)
    assert parsed.errors == []
    assert parsed.cable == containers.relocate(lay.cable, lay.sheet, fmt, path, record=1)
    findings = lint_text(content, ALL_RULES, path=path)
    assert [f for f in findings if f.severity in ("error", "warning")] == []


@PROPERTY
@given(samples(page_text=False), FORMATS)
def test_container_damage_is_there_and_reported_where_it_was_put(sample: Sample, fmt: str) -> None:
    content, where = containers.write(sample.layout.sheet, fmt)
    path = f"x.{containers.SUFFIX[fmt]}"
    document = _document(content, path)
    lines = document.text.split("\n")
    findings = lint_text(content, ALL_RULES, path=path)
    codes = {item.code for item in sample.applied}
    metadata = document.metadata
    for item in sample.applied:
        line, cable_line = where(item.anchor, item.code)
        at = cable_line if cable_line is not None else line
        assert present(item.code, at, lines, sample.clean, metadata.reference_id, metadata.classification), item
        if item.code not in REGISTRY:
            continue
        hits = [
            f
            for f in findings
            if f.code == item.code
            and (
                abs(f.cable_line - cable_line) <= 1
                if cable_line is not None and f.cable_line is not None
                else abs(f.line - line) <= 1
            )
        ]
        assert hits, (item, [(f.code, f.line, f.cable_line) for f in findings])
    assert [f for f in findings if f.severity == "error" and f.code not in codes] == []


def test_html_pages_have_the_cablegate_layout() -> None:
    @settings(max_examples=5, deadline=None, database=None)
    @given(layouts(constraints(pages=2)))
    def check(lay: Layout) -> None:
        page, _, meta = containers.html_page(lay.sheet)
        assert page.startswith("<?xml version='1.0' encoding='utf-8' ?>\n<!DOCTYPE html")
        assert page.count("<code><pre>") == 2 and "&#x000A;" in page
        assert "<table class='cable'>" in page and "<div class='pane small'>" in page
        assert page.count("\n") > 1000  # the sidebar, like the site's
        assert "<a id='par1' href='#par1'>¶</a>1." in page
        assert "<a href='/tag/" in page
        lines = page.split("\n")
        assert lay.sheet.reference_id in lines[meta["reference_id"] - 1]
        assert lay.sheet.classification in lines[meta["classification"] - 1]

    check()


def test_csv_rows_use_the_cables_csv_escapes() -> None:
    @settings(max_examples=5, deadline=None, database=None)
    @given(layouts(constraints(pages=1)))
    def check(lay: Layout) -> None:
        row, _ = containers.csv_row(lay.sheet, 7)
        assert row.startswith('7,"')
        assert "\\\n" in row and row.endswith('"\n')
        assert containers.csv_date(lay.sheet.created).count("/") == 2

    check()
