"""``cableschema lint`` over the whole real corpus: it runs to the end, reports every file in
every format, writes a report that validates, and the counts the docs quote are today's."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from cableschema.cli import main
from cableschema.schema import validator

from .conftest import CORPUS, ROOT, corpus_files, requires_corpus

#: The docs whose tables give each rule's count of findings over the corpus.
COUNTED_DOCS = ("docs/rules-on-corpus.md", "docs/damage-on-corpus.md")
_COUNT_ROW = re.compile(r"^\| ([A-Z][0-9]{3}) \| [a-z0-9-]+ \| (?:(?:error|warning|info) \| )?([0-9,]+) \|", re.M)


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    output = tmp_path_factory.mktemp("corpus-lint") / "report.json"
    arguments = ["lint", str(CORPUS), "--isolated", "--no-cache", "--select", "ALL", "-q"]
    status = main([*arguments, "--format", "json", "--output", str(output)])
    assert status == 1, "the corpus holds real damage: the run fails on errors"
    loaded: dict[str, Any] = json.loads(output.read_text(encoding="utf-8"))
    return loaded


@requires_corpus
def test_every_file_of_the_corpus_is_in_the_report(report: dict[str, Any]) -> None:
    reported = {Path(entry["path"]).resolve() for entry in report["files"]}
    assert reported == {path.resolve() for path in corpus_files()}
    formats = Counter(entry["format"] for entry in report["files"])
    assert {"html", "pre-text", "text", "jsonl"} <= set(formats), formats
    assert report["summary"]["files"] == len(reported)


@requires_corpus
def test_the_report_validates_against_its_schema(report: dict[str, Any]) -> None:
    errors = list(validator("report").iter_errors(report))
    assert not errors, errors[0].message


@requires_corpus
@pytest.mark.parametrize("doc", COUNTED_DOCS)
def test_the_counts_in_the_docs_are_todays(report: dict[str, Any], doc: str) -> None:
    counts = Counter(finding["code"] for finding in report["findings"])
    quoted = {code: int(number.replace(",", "")) for code, number in _COUNT_ROW.findall((ROOT / doc).read_text())}
    assert len(quoted) >= 10
    stale = {code: (number, counts.get(code, 0)) for code, number in quoted.items() if counts.get(code, 0) != number}
    assert not stale, f"{doc}: (quoted, found) per code: {stale}"
