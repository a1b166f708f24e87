"""The engine's fast paths give exactly what the slow ones give: findings as plain values and
their trusted conversion to models, the body hash, and the compact pickling of results between
worker and main process."""

from __future__ import annotations

import hashlib
import pickle
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from cableschema import engine
from cableschema.config import Settings
from cableschema.engine import FileResult, _body_hash, lint_file, lint_text
from cableschema.findings import (
    PlainEdit,
    PlainFinding,
    PlainFix,
    finding_from_row,
    finding_row,
    findings_from_rows,
)
from cableschema.model import Edit, Finding, Fix, construct
from cableschema.parser import ParsedCable, parse
from cableschema.readers import read_string
from cableschema.rules import CorpusEntry

from .conftest import SAMPLE_SEED

EDIT = {"line": 3, "column": 4, "end_line": 3, "end_column": 9, "content": "&"}


def _finding_values(fix: Fix | None) -> dict[str, Any]:
    return {
        "path": "a/b.txt",
        "record": None,
        "reference_id": "07ASTANA2221",
        "code": "T504",
        "name": "markup-leftover",
        "severity": "warning",
        "message": 'entity "&amp;" left in the text',
        "line": 3,
        "column": 4,
        "end_line": 3,
        "end_column": 9,
        "cable_line": 2,
        "fix": fix,
        "fingerprint": "0123456789abcdef",
    }


def _state(model: BaseModel) -> dict[str, Any]:
    return {
        "type": type(model),
        "dict": model.__dict__,
        "dict_order": list(model.__dict__),
        "fields_set": model.__pydantic_fields_set__,
        "extra": model.__pydantic_extra__,
        "private": model.__pydantic_private__,
    }


@pytest.mark.parametrize("model", [Finding, Fix, Edit])
def test_trusted_construction_is_only_for_plain_models(model: type[BaseModel]) -> None:
    # What construct skips: aliases, post-init, private attributes, extra values.
    assert model.__pydantic_post_init__ is None
    assert not model.__private_attributes__
    assert model.model_config.get("extra") != "allow"
    assert all(f.alias is None and f.validation_alias is None for f in model.model_fields.values())


def test_trusted_construction_equals_model_construct_and_validation() -> None:
    edit = construct(Edit, dict(EDIT))
    assert _state(edit) == _state(Edit.model_construct(**EDIT))
    fix_values = {"applicability": "safe", "message": "decode it", "edits": [edit]}
    fix = construct(Fix, dict(fix_values))
    assert _state(fix) == _state(Fix.model_construct(**fix_values))
    for given_fix in (None, fix):
        values = _finding_values(given_fix)
        fast = construct(Finding, dict(values))
        slow = Finding.model_construct(**values)
        validated = Finding.model_validate(values)
        assert _state(fast) == _state(slow) == _state(validated)
        assert fast == slow == validated
        assert fast.model_dump_json() == validated.model_dump_json()
        assert list(values) == list(Finding.model_fields)  # _finding gives every field, in order
    # A fresh set of set fields for each instance: one changed never changes another.
    assert construct(Edit, dict(EDIT)).__pydantic_fields_set__ is not edit.__pydantic_fields_set__


@pytest.mark.parametrize(("plain", "model"), [(PlainFinding, Finding), (PlainFix, Fix), (PlainEdit, Edit)])
def test_plain_values_have_their_models_fields_in_order(plain: type[tuple[Any, ...]], model: type[BaseModel]) -> None:
    assert plain._fields == tuple(model.model_fields)  # type: ignore[attr-defined]


def _equals_its_validated_model(finding: PlainFinding) -> None:
    model = finding.model()
    validated = Finding.model_validate(model.model_dump())
    assert model == validated
    assert _state(model) == _state(validated)
    if finding.fix is not None:
        assert model.fix is not None and validated.fix is not None
        assert _state(model.fix) == _state(validated.fix)
        assert [_state(e) for e in model.fix.edits] == [_state(e) for e in validated.fix.edits]
    assert PlainFinding.of(model) == finding


def test_engine_findings_equal_validated_findings() -> None:
    findings = lint_file(str(SAMPLE_SEED), Settings()).findings
    assert any(f.fix is not None for f in findings)
    for finding in findings:
        assert type(finding) is PlainFinding
        _equals_its_validated_model(finding)


def test_corpus_findings_equal_validated_findings() -> None:
    # Two cables with one reference ID (M108), one of them in a file of records.
    entries = [
        CorpusEntry("a.txt", None, "07ASTANA2221", "1" * 40, 1, 1, 1, 13, None),
        CorpusEntry("b.jsonl", 3, "07ASTANA2221", "2" * 40, 3, 5, 3, 17, 1),
    ]
    findings = engine.corpus_findings(entries, Settings())
    assert [f.code for f in findings] == ["M108"]
    for finding in findings:
        _equals_its_validated_model(finding)


def _old_body_hash(parsed: ParsedCable) -> str:
    parts = parsed.parts
    body = "\n".join(parts.lines[parts.header.end_line : parts.cable_end_line])
    return hashlib.sha1("".join(body.split()).encode("utf-8", "replace")).hexdigest()


def _parsed(text: str) -> ParsedCable:
    documents = [item for item in read_string(text, "x.txt", None) if not hasattr(item, "code")]
    return parse(documents[0])  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "replacement",
    [
        None,
        "\u2019quoted\u201d",  # curly quotes: non-ASCII, no wide space
        "no\u00a0break",
        "thin\u2009space and\u3000ideographic",
        "file\x1cseparator",  # ASCII, but not a space to bytes.split()
        "lone \ud800 surrogate",
    ],
)
def test_body_hash_is_the_hash_of_the_body_without_whitespace(replacement: str | None) -> None:
    text = SAMPLE_SEED.read_text(encoding="utf-8")
    if replacement is not None:
        text = text.replace("1. (SBU) Summary:", f"1. (SBU) Summary: {replacement}", 1)
    parsed = _parsed(text)
    assert parsed.is_cable
    assert _body_hash(parsed) == _old_body_hash(parsed)


def test_the_python_api_returns_models_of_the_engines_values() -> None:
    import cableschema

    text = SAMPLE_SEED.read_text(encoding="utf-8")
    plain = lint_text(text, Settings())
    models = cableschema.lint(text)
    assert plain and all(type(f) is PlainFinding for f in plain)
    assert all(type(f) is Finding for f in models)
    assert [PlainFinding.of(f) for f in models] == plain
    assert [f.model_dump() for f in models] == [Finding.model_validate(f.model_dump()).model_dump() for f in models]


def _table_position(source: str, offset: int, first_line: int) -> tuple[int, int]:
    starts = [0] + [i + 1 for i, ch in enumerate(source) if ch == "\n"]
    index = max(i for i, start in enumerate(starts) if start <= offset)
    return first_line + index, offset - starts[index] + 1


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize(
    "pieces",
    [["ab", "\n", "é", "\n\n", "xyz "], ["ab", "é", "xyz ", "&#x000A;"] * 30 + ["\n"]],
    ids=["short lines", "long lines"],
)
def test_source_positions_in_any_order_are_those_of_a_full_line_table(seed: int, pieces: list[str]) -> None:
    import random

    from cableschema.document import SourceMap

    chooser = random.Random(seed)
    source = "".join(chooser.choice(pieces) for _ in range(400))
    offsets = [chooser.randrange(0, len(source) + 3) for _ in range(200)]
    offsets += [0, len(source), len(source) + 7, offsets[0]]
    source_map = SourceMap.identity(source, first_line=5)
    for offset in offsets:
        assert source_map.position_of_source_offset(offset) == _table_position(source, offset, 5), offset


def test_source_positions_with_carriage_returns_count_them_as_breaks() -> None:
    from cableschema.document import SourceMap

    source_map = SourceMap.identity("a\r\nb\rc\nd")
    positions = [source_map.position_of_source_offset(o) for o in (0, 3, 5, 7, 8)]
    assert positions == [(1, 1), (2, 1), (3, 1), (4, 1), (4, 2)]


_LINE_PIECES = ["ab", "\n", "é", "\n\n", "xyz ", "&#x000A;", "&amp;", "<br>"]


@given(
    st.one_of(
        st.lists(st.sampled_from(_LINE_PIECES), max_size=80),
        st.lists(st.sampled_from([*_LINE_PIECES, "\r\n", "\r"]), max_size=80),  # read by the line table
    ),
    st.lists(st.integers(-2, 400), max_size=60),
    st.lists(st.integers(0, 400), max_size=5),
    st.sampled_from(["identity", "decoded", "newline-normalised"]),
)
@settings(max_examples=400, deadline=None)
def test_positions_at_once_are_each_offsets_position(
    pieces: list[str], offsets: list[int], looked_up: list[int], kind: str
) -> None:
    """A fix's edits are placed in one pass (SourceMap.positions): exactly where position() puts
    each, on a map of any kind, whatever was looked up on it before."""
    from cableschema.document import SourceMap
    from cableschema.readers._artefacts import decode

    source = "".join(pieces)

    def new_map() -> tuple[SourceMap, str]:
        if kind == "decoded":
            text, anchors = decode(source, markup=True)
            return SourceMap(source, anchors, first_line=3), text
        if kind == "newline-normalised":
            return SourceMap.for_newline_normalised(source, first_line=3), source.replace("\r\n", "\n").replace(
                "\r", "\n"
            )
        return SourceMap.identity(source, first_line=3), source

    source_map, text = new_map()
    offsets = [min(offset, len(text)) for offset in offsets if offset >= 0]
    for offset in looked_up:
        source_map.position(min(offset, len(text)))
    reference, _ = new_map()
    assert source_map.positions(offsets) == {offset: reference.position(offset) for offset in offsets}


@given(
    st.lists(st.tuples(st.integers(0, 6), st.integers(0, 6)), min_size=1, max_size=30),
    st.lists(st.integers(-5, 120), max_size=60),
    st.booleans(),
)
@settings(max_examples=400, deadline=None)
def test_source_offsets_at_once_are_each_source_offset(
    steps: list[tuple[int, int]], offsets: list[int], compact: bool
) -> None:
    """positions() maps ascending text offsets to source offsets in one walk of the anchors
    (SourceMap._source_offsets): exactly what source_offset() gives each, on any ascending
    anchors, ties included, for offsets before, inside and past the text."""
    from cableschema.document import Anchors, SourceMap

    pairs: list[tuple[int, int]] = []
    text_at = source_at = 0
    for text_step, source_step in steps:
        text_at += text_step
        source_at += max(text_step, source_step)  # a text is never longer than its source
        pairs.append((text_at, source_at))
    source = "x" * (source_at + 10)
    anchors = Anchors(pairs, source_length=len(source)) if compact else pairs
    source_map = SourceMap(source, anchors)
    ordered = sorted(set(offsets))
    assert source_map._source_offsets(ordered) == [source_map.source_offset(offset) for offset in ordered]


# -- results between processes ---------------------------------------------------------------------


def _sample_results() -> list[FileResult]:
    from .conftest import FIXTURES

    settings = Settings()
    return [lint_file(str(path), settings) for path in sorted((FIXTURES / "sample").rglob("*")) if path.is_file()]


def test_a_pickled_result_comes_back_equal_in_every_part() -> None:
    results = _sample_results()
    assert any(f.fix is not None for r in results for f in r.findings)
    assert any(r.cables for r in results)
    back = pickle.loads(pickle.dumps(results, pickle.HIGHEST_PROTOCOL))
    assert back == results
    for copy in back:
        assert all(type(f) is PlainFinding for f in copy.findings)
        fixes = [f.fix for f in copy.findings if f.fix is not None]
        assert all(type(fix) is PlainFix and type(fix.edits) is tuple for fix in fixes)
        assert all(type(e) is PlainEdit for fix in fixes for e in fix.edits)
        assert all(type(c) is CorpusEntry for c in copy.cables)
    # Smaller than the pickling of the same findings as they are: rows leave out their path.
    findings = [f for r in results for f in r.findings]
    assert len(pickle.dumps(results)) < len(pickle.dumps(findings))


def test_a_cache_row_is_made_of_what_marshal_stores() -> None:
    import marshal

    findings = [f for r in _sample_results() for f in r.findings]
    assert any(f.fix is not None for f in findings)
    for finding in findings:
        row = marshal.loads(marshal.dumps(finding_row(finding)))
        assert finding_from_row(row, finding.path) == finding
    with pytest.raises(ValueError, match="13 values"):
        finding_from_row((1, 2), "a.txt")
    by_file: dict[str, list[tuple[Any, ...]]] = {}
    for finding in findings:
        by_file.setdefault(finding.path, []).append(finding_row(finding))
    assert [f for path, rows in by_file.items() for f in findings_from_rows(rows, path)] == findings
    with pytest.raises(ValueError, match="13 values"):
        findings_from_rows([finding_row(findings[0]), (1, 2)], "a.txt")


def test_a_finding_of_another_path_keeps_its_path_through_pickling_and_the_cache_row() -> None:
    # Rows leave the path out (it is the file's): a finding of another file must not take it.
    own, other = (PlainFinding(**{**_finding_values(None), "path": p}) for p in ("a/b.txt", "c/d.txt"))
    result = FileResult(path="a/b.txt", format="text", findings=[own, other])
    back = pickle.loads(pickle.dumps(result))
    assert [f.path for f in back.findings] == ["a/b.txt", "c/d.txt"]
    assert back == result
    assert finding_from_row(finding_row(other), "c/d.txt") == other


def test_the_wide_spaces_are_every_non_ascii_space() -> None:
    assert "".join(chr(c) for c in range(128, 0x110000) if chr(c).isspace()) == engine._WIDE_SPACES


def test_findings_sort_as_by_the_full_key() -> None:
    import random

    findings = [f for r in _sample_results() for f in r.findings]
    findings += [f._replace(path="a\\\\b.txt", record=None) for f in findings[:20]]
    random.Random(7).shuffle(findings)
    expected = sorted(findings, key=engine._finding_key)
    engine._sort_findings(findings)
    assert [id(f) for f in findings] == [id(f) for f in expected]
