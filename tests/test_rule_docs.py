"""Every rule is documented under the fixed headings, its example runs, and docs/rules.md is in step."""

from __future__ import annotations

import re

import pytest

from cableschema.config import Settings
from cableschema.docs import rules_markdown
from cableschema.engine import lint_file
from cableschema.rules import DOC_HEADINGS, load
from cableschema.selection import Selection

from .conftest import ROOT

REGISTRY = load()
_BLOCK = re.compile(r"```(\w*)\n(.*?)```", re.S)
_EXPECTED = re.compile(r"^x\.(\w+):(\d+):(\d+): ([A-Z][0-9]{3}) ")
_SUFFIX = {"text": "txt", "jsonl": "jsonl", "html": "html", "csv": "csv", "json": "json"}


def test_catalogue_is_complete_and_well_formed() -> None:
    for code, rule in REGISTRY.items():
        assert rule.code == code
        for heading in DOC_HEADINGS:
            assert rule.section(heading), f"{code}: empty section {heading!r}"
        if rule.fix:
            assert rule.fix in rule.section("Fix").lower(), f"{code}: the Fix section must say {rule.fix}"


def examples() -> list[tuple[str, str, str, list[str]]]:
    found = []
    for code, rule in REGISTRY.items():
        blocks = _BLOCK.findall(rule.section("Example"))
        if len(blocks) < 2:
            continue
        (language, source), (_, expected) = blocks[0], blocks[1]
        found.append(
            (
                code,
                language or "text",
                source,
                [line for line in expected.splitlines() if _EXPECTED.match(line)],
            )
        )
    return found


@pytest.mark.parametrize(("code", "language", "source", "expected"), examples(), ids=[e[0] for e in examples()])
def test_doc_examples_run(code: str, language: str, source: str, expected: list[str], tmp_path) -> None:
    """The example of each rule, linted with that rule alone, gives the finding the docs show."""
    suffix = _SUFFIX.get(language, "txt")
    path = tmp_path / f"x.{suffix}"
    path.write_text(source, encoding="utf-8")
    settings = Settings(selection=Selection(select=(code,)), cache=False)
    result = lint_file(str(path), settings, display_path=f"x.{suffix}")
    got = [(f.line, f.column, f.code) for f in result.findings]
    assert any(c == code for _, _, c in got), f"{code}: its docs example gives {got}"
    for line in expected:
        match = _EXPECTED.match(line)
        assert match is not None
        want = (int(match.group(2)), int(match.group(3)), match.group(4))
        if want[2] == code:
            assert want in got, f"{code}: docs say {want}, lint gives {got}"


def test_docs_rules_md_is_in_step() -> None:
    path = ROOT / "docs" / "rules.md"
    assert path.read_text(encoding="utf-8") == rules_markdown(REGISTRY), (
        "docs/rules.md is out of date: run `python -m cableschema.docs > docs/rules.md`"
    )
