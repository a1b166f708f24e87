"""The whole of ../shared/corpus, parsed to JSON Lines and validated: only really malformed cables
fail, each for the reason listed here. Skipped when ../shared is absent."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cableschema.cli import main

from .conftest import CORPUS, requires_corpus

pytestmark = [requires_corpus, pytest.mark.corpus]

#: (file name, record in the file or None) -> (JSON pointer that fails, why the cable is malformed)
MALFORMED = {
    ("7575LIBREVILLE1895.html", None): ("/reference_id", "the release ID doubles the year (75LIBREVILLE1895)"),
    ("08SCTION02OF02SAOPAULO335.txt", None): (
        "/reference_id",
        "the file name is the malformed release ID, a garbled 'SECTION 02 OF 02' glued in",
    ),
    ("09SECTION02OF03QRIPOLI583.txt", None): (
        "/reference_id",
        "the file name is the malformed release ID: 'SECTION 02 OF 03' glued in, TRIPOLI garbled",
    ),
    ("09OUAGADOUGOU1158.html", None): ("/eo/order", "E.O. typo: 12928 for 12958"),
    ("08BEIJING661.txt", None): ("/eo/order", "E.O. typo: 12598 for 12958"),
    ("10KABUL571.txt", None): ("/eo/order", "E.O. typo: 12598 for 12958"),
    ("10PARIS183.txt", None): ("/eo/order", "E.O. typo: 19528 for 12958"),
    ("wikileaks-11-28-10.json", 197): ("/eo/order", "E.O. typo: 12598 for 12958 (10PARIS170)"),
    ("09BEIJING2063.txt", None): ("/eo/decl_date", "DECL: 07/20/3034, a year typo (no such date)"),
    ("00HARARE6677.txt", None): (
        "/tags/5",
        "another project's named-entity markup ([LOC HARARE ], [ORG MDC ]) inside the flattened text",
    ),
}


def test_parsed_corpus_is_invalid_only_where_the_cables_are_malformed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "corpus.jsonl"
    main(["parse", str(CORPUS), "--format", "jsonl", "--output", str(out)])
    capsys.readouterr()
    records = out.read_text(encoding="utf-8").splitlines()
    assert len(records) > 2000
    status = main(["schema", "validate", str(out)])
    captured = capsys.readouterr()
    assert status == 1
    assert f"{len(records)} document(s), {len(MALFORMED)} invalid" in captured.err
    found = {}
    for line in captured.out.splitlines():
        where, _, rest = line.partition(": ")
        number = int(where.rsplit(":", 1)[1])
        pointer, _, message = rest.partition(": ")
        source = json.loads(records[number - 1])["source"]
        found[(Path(source["path"]).name, source.get("record"))] = (pointer, message)
    assert {key: pointer for key, (pointer, _) in found.items()} == {
        key: pointer for key, (pointer, _) in MALFORMED.items()
    }
    for key, (_, message) in found.items():
        assert message, key
