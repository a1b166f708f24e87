"""The parser on the seed, on the sample corpus (snapshots) and on odd inputs."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from cableschema import Cable, parse, read

from .conftest import FIXTURES, SAMPLE, SAMPLE_SEED, check_snapshot, sample_files


def test_seed_parses_to_the_founding_values() -> None:
    (document,) = read(SAMPLE_SEED)
    parsed = parse(document)
    data = parsed.data
    assert data["reference_id"] == "07ASTANA2221"
    assert data["created"] == "2007-08-14T08:37:00"
    assert data["released"] == "2011-08-30T01:44:00"
    assert data["classification"] == "UNCLASSIFIED//FOR OFFICIAL USE ONLY"
    assert data["origin"] == "Embassy Astana"
    routing = data["header"]["routing"]
    assert (
        routing["indicator"],
        routing["serial"],
        routing["section"],
        routing["julian_day"],
        routing["time"],
    ) == (
        "RUEHTA",
        "2221",
        "01",
        "226",
        "0837",
    )
    assert data["header"]["precedence"] == ["R"]
    assert data["header"]["dtg"] == "2007-08-14T08:37:00"
    assert data["eo"]["na"] is True and data["eo"]["order"] == "12958"
    markers = [(m["page"], m["suffix"], m["total"]) for m in data["page_markers"]]
    assert markers == [("001", "2", "003"), ("002", "2", "003"), ("003", "2", "003")]
    paragraphs = [(p["number"], p["marking"]) for p in data["paragraphs"]]
    assert [n for n, _ in paragraphs] == list(range(1, 14))
    assert {m for _, m in paragraphs} == {"SBU", "U"}
    assert paragraphs[2] == (3, "U") and paragraphs[0] == (1, "SBU")
    assert data["references"][0]["reference_id"] == "07ASTANA1906"
    assert isinstance(parsed.cable, Cable)


def test_parse_accepts_text_and_never_raises() -> None:
    for text in ("", "\x00\x01", "DE", "R 1408", "1. (", "E.O. 1", "(Comment: " * 100, "\n" * 1000):
        parsed = parse(text)
        assert parsed.internal_error is None
        assert parsed.data["text"] is not None


def test_damaged_values_are_kept_as_read_and_fail_on_their_field() -> None:
    text = (
        "Reference ID Created Released Classification Origin\n"
        "07ASTANA2221 2007-08-14 08:37 2011-08-30 01:44 SECRET Embassy Astana\n\n"
        "DE RUEHTA #2221/01 2260837\nR 14O837Z AUG 07\nFM AMEMBASSY ASTANA\nTO SECSTATE WASHDC\n\n"
        "S E C R E T ASTANA 002221\n\nE.O. 12958: DECL: 08/14/2017\nTAGS: PGOV KZ\nSUBJECT: X\n\n1. (S) Text.\n"
    )
    parsed = parse(text)
    assert parsed.data["header"]["dtg"] == "R 14O837Z AUG 07"
    assert parsed.cable is None
    assert [e.pointer for e in parsed.errors] == ["/header/dtg"]


def test_a_paragraph_opening_the_body_is_listed_once() -> None:
    text = (
        "This record is a partial extract of the original cable. The full text of the original cable "
        "is not available.\n\n1. (C) The only paragraph released.\n2. (C) And a second one.\n"
    )
    assert [(p["number"], p["line"]) for p in parse(text).data["paragraphs"]] == [(1, 3), (2, 4)]


def _snapshot_of(path: Path) -> list[dict]:
    out = []
    for document in read(path):
        data = dict(parse(document).data)
        text = data.pop("text")
        data["text_sha1"] = hashlib.sha1(text.encode()).hexdigest()
        data["text_lines"] = text.count("\n") + 1
        out.append(data)
    return out


@pytest.mark.parametrize("path", list(sample_files()), ids=lambda p: str(p.relative_to(SAMPLE)))
def test_parse_snapshots(path: Path, update_snapshots: bool) -> None:
    snapshot = FIXTURES / "snapshots" / "parse" / (str(path.relative_to(SAMPLE)) + ".json")
    actual = _snapshot_of(path)
    for document in actual:
        document["source"]["path"] = str(path.relative_to(SAMPLE))
    check_snapshot(snapshot, actual, update_snapshots)


@pytest.mark.parametrize(
    ("ending", "signature"),
    [
        ("He did not expect it to be resolved before\nDecember.", None),  # the sentence's last word
        ("The talks were cleared by S/WCI Prosper and EUR\nStephens.", None),  # 04THEHAGUE2793
        ("He did not expect it to be resolved soon.\nSobel.", "Sobel"),
        ("He did not expect it to be resolved soon.\n\nSOBEL", "SOBEL"),
    ],
)
def test_a_last_word_that_ends_a_sentence_is_no_signer(ending: str, signature: str | None) -> None:
    text = "UNCLAS ASTANA 002221\n\nSUBJECT: TALKS\n\n1. (SBU) The mayor met the minister on Monday.\n" + ending
    assert parse(text).data["signature"] == signature
