"""Readers: format detection, artefact decoding and the map back to source positions."""

from __future__ import annotations

import codecs
import dataclasses
import json
from pathlib import Path

import pytest

from cableschema import ReadError, read
from cableschema.document import Document, ReadProblem
from cableschema.readers import detect_format, iter_file, read_bytes

from .conftest import SAMPLE


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("html/06LIMA622.html", "html"),
        ("html/variant-4col-06LIMA622.html", "html"),
        ("html/variant-relative-08BERLIN1068.html", "html"),
        ("text/04MADRID893.txt", "pre-text"),
        ("text/07ASTANA2221.scraped.txt", "page-text"),
        ("text/09UNVIEVIENNA289.txt", "text"),
        ("jsonl/wikileaks-11-28-10.first5.json", "jsonl"),
        ("jsonl/06LIMA622.cable.jsonl", "cable-json"),
        ("csv/cables.csv", "csv"),
    ],
)
def test_formats_are_detected_by_content(name: str, fmt: str) -> None:
    documents = read(SAMPLE / name)
    assert documents and {d.format for d in documents} == {fmt}


def test_html_newline_entities_and_anchors_are_decoded() -> None:
    (document,) = read(SAMPLE / "html/06LIMA622.html")
    assert "&#x000A;" not in document.text
    assert "<a " not in document.text and "¶" not in document.text
    assert "TAGS: PTER PGOV PE" in document.text
    assert "\nB. 05 LIMA 5203" in document.text  # the ¶ anchor before a REF letter is gone


def test_html_positions_point_into_the_pre_line() -> None:
    path = SAMPLE / "html/06LIMA622.html"
    (document,) = read(path)
    raw_lines = path.read_text(encoding="utf-8").split("\n")
    offset = document.text.index("SENDERO LUMINOSO")
    line, column = document.position(offset)
    assert raw_lines[line - 1][column - 1 : column - 1 + len("SENDERO LUMINOSO")] == "SENDERO LUMINOSO"


def test_html_metadata_trusts_the_link_text_not_the_title() -> None:
    (document,) = read(SAMPLE / "html/00HARARE5461.html")
    assert document.metadata.classification == "CONFIDENTIAL"  # title attribute says 'unclassified'


def test_four_column_table_has_no_released() -> None:
    (document,) = read(SAMPLE / "html/variant-4col-06LIMA622.html")
    assert document.metadata.released is None
    assert document.metadata.created == "2006-02-14 18:06"


@pytest.mark.parametrize("markup", ["plain", "lxml"])
def test_a_metadata_table_of_many_rows_is_read_from_its_first_two(markup: str, monkeypatch) -> None:
    """A table past MAX_TABLE_CHARS is cut before its third row: a million rows took 2.2 GB
    and 16 s to parse whole. The metadata and its positions are those of the whole table."""
    from cableschema.readers import html as html_reader

    cell = "<td>{}</td>" if markup == "plain" else "<td><b>{}</b></td>"
    head = (
        "<html><body><table class='cable'><tr><th>Reference ID</th><th>Created</th><th>Origin</th></tr>\n"
        "<tr><td><a href='/cable/07BERN881.html'>07BERN881</a></td><td>2007-09-11 09:44</td>"
        "<td>Embassy Bern</td></tr>\n"
    )
    rows = "".join("<tr>" + cell.format(f"v{i}") * 3 + "</tr>\n" for i in range(5_000))
    tail = "</table><pre>HEADER\n</pre><pre>1. (C) Text.\n</pre></body></html>"
    read_whole = [html_reader.read(head + tail, "x.html")[0]]
    seen: list[int] = []
    cell_texts = html_reader._cell_texts
    monkeypatch.setattr(html_reader, "_cell_texts", lambda table: seen.append(len(table)) or cell_texts(table))
    (document,) = html_reader.read(head + rows + tail, "x.html")
    assert len(rows) > 64 * 1024  # html_reader.MAX_TABLE_CHARS
    assert seen == [len(head) - len("<html><body>") + len("</table>")]
    (whole,) = read_whole
    assert document.metadata == whole.metadata
    assert document.metadata.reference_id == "07BERN881" and document.metadata.origin == "Embassy Bern"
    assert document.text == whole.text


def test_jsonl_positions_point_into_the_raw_json_string() -> None:
    path = SAMPLE / "jsonl/wikileaks-11-28-10.first5.json"
    documents = read(path)
    raw_lines = path.read_text(encoding="utf-8").split("\n")
    for document in documents:
        for needle in ("E.O. 12958", "TAGS", "Classified"):
            offset = document.text.find(needle)
            if offset < 0:
                continue
            line, column = document.position(offset)
            assert line == document.record
            assert raw_lines[line - 1][column - 1 :].startswith(needle)


def test_csv_escapes_and_positions() -> None:
    path = SAMPLE / "csv/cables.csv"
    documents = read(path)
    assert [d.metadata.reference_id for d in documents] == ["08BERLIN1068", "06LIMA622", "04BOGOTA2313"]
    assert documents[0].metadata.created == "8/6/2008 7:07"
    assert "\\" not in documents[1].text  # escapes decoded
    raw_lines = path.read_text(encoding="utf-8").split("\n")
    for document in documents:
        offset = document.text.index("E.O. 12958" if "E.O. 12958" in document.text else "E.o. 12958")
        line, column = document.position(offset)
        assert raw_lines[line - 1][column - 1 :].lower().startswith("e.o. 12958")


def test_csv_fields_far_beyond_the_default_field_limit() -> None:
    body = "1. (U) " + "word " * 60000  # 300 KB, Python's csv refuses 128 KB by default
    row = '1,"8/14/2007 8:37","07ASTANA2221","Embassy Astana","UNCLASSIFIED","","","' + body + '"\n'
    (document,) = list(read_bytes(row.encode(), "big.csv"))
    assert isinstance(document, Document) and len(document.text) == len(body)


def test_csv_wrong_column_count_and_runaway_quote_are_problems() -> None:
    data = b'1,"1/2/2007 3:04","07X1","O","C"\n2,"1/2/2007 3:04","07ASTANA1","E","C","","","1. (U) Text."\n3,"oops\n'
    items = list(read_bytes(data, "bad.csv", "csv"))
    kinds = [type(i).__name__ for i in items]
    assert kinds == ["ReadProblem", "Document", "ReadProblem"]
    assert "5 fields" in items[0].message and "runaway quote" in items[2].message  # type: ignore[union-attr]


def test_pdf_text_is_latin1_and_crlf() -> None:
    path = SAMPLE / "text/09UNVIEVIENNA289.txt"
    (document,) = read(path)
    assert "\r" not in document.text and "\ufffd" not in document.text
    assert "¶" not in document.text  # the pilcrow before labels is decoded
    offset = document.text.index("DE RUEHUNV")
    assert document.position(offset) == (4, 1)


def test_seed_metadata_block() -> None:
    (document,) = read(SAMPLE / "text/07ASTANA2221.scraped.txt")
    metadata = document.metadata
    assert (metadata.reference_id, metadata.created, metadata.released) == (
        "07ASTANA2221",
        "2007-08-14 08:37",
        "2011-08-30 01:44",
    )
    assert metadata.classification == "UNCLASSIFIED//FOR OFFICIAL USE ONLY"
    assert metadata.origin == "Embassy Astana"
    assert document.position(metadata.spans["reference_id"][0]) == (7, 1)


_ROWS = (
    ("Reference ID", "07ASTANA2221"),
    ("Created", "2007-08-14 08:37"),
    ("Released", "2011-08-30 01:44"),
    ("Classification", "UNCLASSIFIED//FOR OFFICIAL USE ONLY"),
    ("Origin", "Embassy Astana"),
)


@pytest.mark.parametrize("released", [True, False])
@pytest.mark.parametrize("separator", ["\t", "\n"])  # a table copied as a row, or a cell a line
def test_a_metadata_table_with_an_articles_row_is_read(separator: str, released: bool) -> None:
    """The August 2011 pages add "Appears in these articles:" and its links after the values:
    joined to them, the Origin took the links, and no value was read."""
    rows = [row for row in _ROWS if released or row[0] != "Released"]
    page = (
        "Viewing cable 07ASTANA2221, KAZAKHSTAN\n\n"
        + separator.join(name for name, _ in rows)
        + "\n"
        + separator.join(value for _, value in rows)
        + "\nAppears in these articles:\nhttp://www.example.org/2011/kazakhstan.html\n\n"
        + "UNCLAS ASTANA 002221\n\nSUBJECT: KAZAKHSTAN\n\n1. (U) Text.\n"
    )
    (document,) = read_bytes(page.encode(), "page.txt")
    assert isinstance(document, Document) and document.format == "page-text"
    metadata = document.metadata
    read_values = (metadata.reference_id, metadata.created, metadata.classification, metadata.origin)
    assert read_values == ("07ASTANA2221", "2007-08-14 08:37", "UNCLASSIFIED//FOR OFFICIAL USE ONLY", "Embassy Astana")
    assert metadata.released == ("2011-08-30 01:44" if released else None)
    start, end = metadata.spans["origin"]
    assert page[start:end] == "Embassy Astana"


def test_a_plusd_page_copied_as_text_has_its_metadata_read() -> None:
    """WikiLeaks' PlusD table: ``Canonical ID`` (PlusD's ``_a`` left off), the original
    classification, and the date over the table; the cable starts after the table."""
    from .conftest import FIXTURES

    path = FIXTURES / "rules" / "W601" / "bad-plusd-page-text.txt"
    (document,) = read(path)
    metadata = document.metadata
    assert document.format == "page-text" and metadata.reference_id_from == "container"
    read_values = (metadata.reference_id, metadata.created, metadata.classification)
    assert read_values == ("09ANKARA1722", "2009-12-04 11:11", "CONFIDENTIAL")
    text = path.read_text(encoding="utf-8")
    start, end = metadata.spans["created"]
    assert text[start:end] == "2009 December 4, 11:11"
    assert document.text[document.cable_start :].lstrip().startswith("Show Headers")


def test_jsonl_broken_lines_are_problems_and_good_lines_still_read() -> None:
    good = json.dumps({"reference_id": "07ASTANA2221", "body": "1. (U) Text."})
    data = f'{good}\n{{"reference_id": "x", "body": "cut off\n{good}\nnot json at all\n'.encode()
    items = list(read_bytes(data, "x.jsonl", "jsonl"))
    assert [type(i).__name__ for i in items] == ["Document", "ReadProblem", "Document", "ReadProblem"]
    assert [i.line for i in items if isinstance(i, ReadProblem)] == [2, 4]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-8-sig", "latin-1", "utf-32"])
def test_encodings(encoding: str) -> None:
    text = "UNCLAS SECTION 01 OF 02 ASTANA 002221\n\nE.O. 12958: N/A\nTAGS: PGOV KZ\nSUBJECT: Caf\u00e9\n"
    data = text.encode(encoding)
    if encoding == "utf-16-le":
        assert not data.startswith(codecs.BOM_UTF16_LE)
    (document,) = list(read_bytes(data, "x.txt"))
    assert isinstance(document, Document)
    assert document.text.replace("\r\n", "\n") == text


def test_utf32_with_a_byte_order_mark_is_not_taken_for_utf16() -> None:
    # UTF-32-LE's mark (FF FE 00 00) opens with UTF-16-LE's (FF FE): read as UTF-16 it was NULs.
    text = "UNCLAS ASTANA 002221\nSUBJECT: Caf\u00e9 \U0001f600\n"
    (document,) = list(read_bytes(text.encode("utf-32"), "x.txt"))
    assert isinstance(document, Document) and document.text == text


_NON_ASCII = ["\u00e9", "\u2019", "\U0001f600"]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16", "utf-16-le", "utf-32"])
@pytest.mark.parametrize("cut", range(1, 6))
def test_a_head_that_ends_inside_a_character_tells_the_encoding_of_the_whole(encoding: str, cut: int) -> None:
    """The head a format, or a stream's encoding, is told by may end inside a character: a UTF-8
    head that ended inside an "\u00e9" was taken for cp1252 (and the whole stream was decoded as
    mojibake), and a UTF-16 one inside a surrogate pair was "broken UTF-16"."""
    from cableschema.readers._decode import decode

    for character in _NON_ASCII:
        data = ("UNCLAS ASTANA 002221 " * 50 + character * 3).encode(encoding)
        head = data[:-cut]  # cut inside the last character, or inside the one before it
        assert decode(head, complete=False).encoding == decode(data).encoding, (character, len(head))


def test_a_json_lines_file_whose_first_4_kb_end_inside_a_character_is_read_as_utf8(tmp_path) -> None:
    record = {"reference_id": "07ASTANA2221", "body": "UNCLAS ASTANA 002221\n\nThe minister\u2019s office. Caf\u00e9."}
    opening = '{"pad": "'
    first = opening + "a" * (4095 - len(opening)) + '\u00e9", ' + json.dumps(record, ensure_ascii=False)[1:]
    assert first.encode()[4095:4097] == "\u00e9".encode()  # the head's last byte is the first of "\u00e9"
    path = tmp_path / "records.jsonl"
    path.write_text(first + "\n" + json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    documents = [item for item in iter_file(path) if isinstance(item, Document)]
    assert len(documents) == 2
    assert all("minister\u2019s office. Caf\u00e9." in document.text for document in documents)


def test_binary_and_pdf_are_one_line_problems() -> None:
    (pdf,) = list(read_bytes(b"%PDF-1.4\n...", "x.pdf"))
    assert isinstance(pdf, ReadProblem) and "PDF" in pdf.message
    (binary,) = list(read_bytes(bytes(range(256)) * 10, "x.bin"))
    assert isinstance(binary, ReadProblem) and "\n" not in binary.message


def test_read_raises_one_line_error_when_nothing_is_readable(tmp_path) -> None:
    path = tmp_path / "x.pdf"
    path.write_bytes(b"%PDF-1.4")
    with pytest.raises(ReadError) as info:
        read(path)
    assert "\n" not in str(info.value)


def test_detect_format() -> None:
    assert detect_format("<code><pre>C O N F I D E N T I A L") == "pre-text"
    assert detect_format('{"a": 1}\n{"a": 2}\n') == "jsonl"
    assert detect_format('[{"a": 1}]') == "json"
    assert detect_format("plain text") == "text"


def test_a_name_of_records_settles_the_format_the_first_characters_do_not() -> None:
    assert detect_format("connected to: 127.0.0.1\n{}", "dump.jsonl") == "jsonl"
    assert detect_format("plain text", "x.NDJSON") == "jsonl"
    assert detect_format("plain text", "cable.json") == "json"
    assert detect_format("Exported on 2011-08-30\n1,2", "cables.csv") == "csv"
    assert detect_format('{"a": 1}\n{"a": 2}\n', "cables.json") == "jsonl"  # what the characters say first
    assert detect_format("plain text", "cable.txt") == "text"
    assert detect_format("<html><body><pre>x</pre>", "page.csv") == "csv"


def test_a_json_lines_file_whose_first_line_is_broken_has_its_records_read(tmp_path: Path) -> None:
    record = json.dumps({"reference_id": "07ASTANA2221", "body": "UNCLAS ASTANA 002221\nSUBJECT: X\n1. (U) Text."})
    for first in ('"reference_id": "07ASTANA2220", "body": "cut"}', "connected to: 127.0.0.1"):
        path = tmp_path / "cables.jsonl"
        path.write_text(f"{first}\n{record}\n{record}\n", encoding="utf-8")
        items = list(iter_file(path))
        assert isinstance(items[0], ReadProblem) and items[0].message == "line 1 is not a JSON object"
        assert [(item.record, item.metadata.reference_id) for item in items[1:]] == [  # type: ignore[union-attr]
            (2, "07ASTANA2221"),
            (3, "07ASTANA2221"),
        ]


@pytest.mark.parametrize("max_record_bytes", [64 * 1024 * 1024, 1024 * 1024])  # read in blocks, and line by line
@pytest.mark.parametrize("cut", [5, 1])  # into a row's body, and a preamble line
def test_a_csv_file_cut_in_a_row_has_the_rows_after_read(tmp_path: Path, cut: int, max_record_bytes: int) -> None:
    """A part of a larger cables.csv (``split -l``) opens inside a row: read from its first line,
    the quotes went the wrong way round and the whole file was one runaway row."""
    lines = (SAMPLE / "csv" / "cables.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    starts = [number for number, line in enumerate(lines, 1) if line[:1].isdigit() and ',"' in line[:12]]
    head = lines[1:cut] if cut > 1 else ["Exported by cabledb 1.2 on 2011-08-30\n"]
    path = tmp_path / "part-ab.csv"
    path.write_text("".join(head + lines[starts[1] - 1 :]), encoding="utf-8")
    items = list(iter_file(path, max_record_bytes=max_record_bytes))
    problem, *documents = items
    assert isinstance(problem, ReadProblem) and problem.line == 1
    shown = "line 1 is" if len(head) == 1 else f"lines 1-{len(head)} are"
    assert problem.message.startswith(f"{shown} no row: text before the first row, or the end of a row cut off")
    assert problem.message.endswith(f"the rows from line {len(head) + 1} are read")
    whole = [d for d in iter_file(SAMPLE / "csv" / "cables.csv") if isinstance(d, Document)]
    assert [d.metadata.reference_id for d in documents] == [d.metadata.reference_id for d in whole[1:]]  # type: ignore[union-attr]
    assert documents[0].source_map.first_line == len(head) + 1  # type: ignore[union-attr]


def test_a_page_without_a_pre_is_read_as_its_text_shows(tmp_path: Path) -> None:
    """A blog's or a newspaper's page: paragraphs, line breaks, scripts, entities; each line
    of the text maps back to where it is on the page."""
    page = (
        "<!DOCTYPE html>\n<html><head><title>Blog</title><script>var p = '<p>x</p>';</script></head>\n"
        "<body><div class='menu'><a href='/'>Home</a></div>\n"
        "<p>UNCLAS SECTION 01 OF 02 ASTANA 002221<br />\nSUBJECT: KAZAKHSTAN &amp; THE   <b>WTO</b></p>\n"
        "<p>\u00b61. (U) Text of the&nbsp;cable.<!-- a comment --></p>\n</body></html>\n"
    )
    path = tmp_path / "07ASTANA2221.html"
    path.write_text(page, encoding="utf-8")
    (document,) = read(path)
    assert document.format == "html" and not document.fixable
    assert document.text == (
        "Home\n\nUNCLAS SECTION 01 OF 02 ASTANA 002221\nSUBJECT: KAZAKHSTAN & THE WTO\n\n1. (U) Text of the cable.\n\n"
    )
    lines = page.splitlines()
    for word in ("Home", "UNCLAS", "SUBJECT", "WTO", "1. (U)", "cable."):
        line, column = document.position(document.text.index(word))
        assert lines[line - 1][column - 1 :].startswith(word), word


def test_a_pre_whose_only_line_breaks_are_br_tags_has_them_as_line_ends() -> None:
    """A blog editor's "preformatted" block writes the cable on one physical line, a ``<br>``
    a line; a cablegate ``<pre>`` with line ends and a stray ``<br>`` keeps it, for T504."""
    body = "UNCLAS ASTANA 002221<br>SUBJECT: KAZAKHSTAN &amp; THE WTO<br/><br>1. (U) Text."
    page = f"<html><body><p>Posted by a blog</p><pre class='wp-block-preformatted'>{body}</pre></body></html>"
    (document,) = read_bytes(page.encode(), "07ASTANA2221.html")
    assert document.text == "UNCLAS ASTANA 002221\nSUBJECT: KAZAKHSTAN & THE WTO\n\n1. (U) Text."  # type: ignore[union-attr]
    assert document.position(document.text.index("1. (U)")) == (1, page.index("1. (U)") + 1)  # type: ignore[union-attr]
    stray = page.replace("<br/><br>", "<br>&#x000A;&#x000A;")
    (document,) = read_bytes(stray.encode(), "07ASTANA2221.html")
    assert document.text.count("<br>") == 2  # type: ignore[union-attr]


def test_a_quoted_cable_is_read_through_its_quoting_and_maps_back() -> None:
    """A cable quoted in a mail or a post, "> " a line (nested "> > " too, CRLF line ends): its
    caption, TAGS and SUBJECT lines are read, and each line maps to its place after the prefix."""
    cable = (
        "UNCLAS ASTANA 002221\n\nE.O. 12958: N/A\nTAGS: PGOV KZ\nSUBJECT: KAZAKHSTAN\n\n"
        + "".join(f"{n}. (U) Paragraph {n} of the cable.\n" for n in range(1, 12))
        + "\nORDWAY\n"
    )
    for prefix in ("> ", "> > ", ">"):
        raw = "From: A <a@example.org>\r\nSubject: fwd\r\n\r\n" + "".join(
            (prefix + line).rstrip() + "\r\n" if line else ">\r\n" for line in cable.split("\n")
        )
        (document,) = read_bytes(raw.encode(), "mail.txt")
        assert isinstance(document, Document)
        assert "E.O. 12958: N/A\nTAGS: PGOV KZ\nSUBJECT: KAZAKHSTAN\n" in document.text
        lines = raw.split("\r\n")
        for word in ("TAGS:", "SUBJECT:", "11. (U)", "ORDWAY"):
            line, column = document.position(document.text.index(word))
            assert lines[line - 1][column - 1 :].startswith(word), (prefix, word)
        assert not document.text[document.quoted_end :].strip()  # type: ignore[index]  # nothing after the quote


def test_a_reply_after_a_quoted_cable_is_the_mail_s_own_text() -> None:
    from cableschema import lint

    cable = "UNCLAS ASTANA 002221\n\nSUBJECT: KAZAKHSTAN\n\n" + "".join(
        f"{n}. (U) Paragraph {n} of the cable.\n" for n in range(1, 12)
    )
    raw = (
        "On 3 May, Ali wrote:\n" + "".join(f">> {line}\n" for line in cable.split("\n")) + "> Yes.\n\nThanks, useful.\n"
    )
    (document,) = read_bytes(raw.encode(), "mail.txt")
    assert isinstance(document, Document)
    assert document.text[document.quoted_end :] == "Yes.\n\nThanks, useful.\n"  # type: ignore[index]
    (finding,) = lint(raw, select=["W602"])
    assert (finding.line, finding.message) == (len(raw.splitlines()) - 2, "2 lines of site text after the cable (Yes.)")


def test_a_page_without_a_pre_keeps_a_textarea_as_written_and_a_row_s_cells_apart() -> None:
    page = (
        "<html><body><table><tr><th>Document</th><td>07ASTANA2221</td></tr></table>"
        "<textarea readonly>UNCLAS ASTANA 002221\n\nSUBJECT:   S&amp;ED\n  1. (U) Text.</textarea><p>Footer</p>"
    )
    (document,) = read_bytes(page.encode(), "paste.html")
    assert isinstance(document, Document)
    cable = "UNCLAS ASTANA 002221\n\nSUBJECT:   S&ED\n  1. (U) Text."
    assert document.text == f"Document\t07ASTANA2221\n\n{cable}\n\nFooter\n\n"
    for word in ("07ASTANA2221", "SUBJECT", "1. (U)", "Footer"):
        assert page[document.source_map.source_offset(document.text.index(word)) :].startswith(word)


def test_a_page_without_a_pre_gets_findings_and_no_fixes() -> None:
    """An edit of a page's text is no certain edit of its markup: W601 and W602 are reported on
    such a page, and no fix is offered."""
    from cableschema.config import Settings
    from cableschema.engine import lint_file
    from cableschema.selection import Selection

    from .conftest import FIXTURES

    page = FIXTURES / "rules" / "W601" / "bad-blog-page-without-pre.html"
    findings = lint_file(str(page), Settings(selection=Selection(select=("W", "T501")), cache=False)).findings
    assert {f.code for f in findings} == {"W601", "W602"}
    assert all(f.fix is None for f in findings)


def test_missing_file_is_a_problem(tmp_path) -> None:
    (problem,) = list(iter_file(tmp_path / "nope.txt"))
    assert isinstance(problem, ReadProblem) and "cannot read" in problem.message


def test_a_file_head_is_read_by_the_file_size_with_the_same_bytes(tmp_path) -> None:
    import io

    from cableschema.readers import _SNIFF, _read_up_to

    for size in (0, 1, 6000, _SNIFF - 1, _SNIFF, _SNIFF + 10):
        path = tmp_path / f"f{size}"
        path.write_bytes(bytes(range(256)) * (size // 256) + b"x" * (size % 256))
        with open(path, "rb") as handle:
            assert _read_up_to(handle, _SNIFF) == path.read_bytes()[:_SNIFF]
            assert _read_up_to(handle, 5) == path.read_bytes()[_SNIFF : _SNIFF + 5]  # the rest, bounded
    assert _read_up_to(io.BytesIO(b"no file number"), _SNIFF) == b"no file number"  # type: ignore[arg-type]


def _array_records() -> list[dict[str, str]]:
    base = (SAMPLE / "text/04MADRID893.txt").read_text(encoding="utf-8")
    return [
        {"reference_id": f"04MADRID{893 + index}", "header": "HEAD\r\nER" * index, "text": base + "é ¶ 1. x\t" * index}
        for index in range(6)
    ]


def _mapped(document: Document) -> list[tuple[int, int]]:
    offsets = sorted({0, 1, 17, len(document.text) // 3, len(document.text) // 2, len(document.text) - 1})
    return [document.position(offset) for offset in offsets]


def test_one_line_json_array_positions_are_those_of_the_records_as_json_lines() -> None:
    """The records of an array share one table of lines; each points where its own map did."""
    from cableschema.readers import read_string

    lines = [json.dumps(record) for record in _array_records()]
    as_array = [d for d in read_string("[" + ", ".join(lines) + "]", "a.json") if isinstance(d, Document)]
    as_lines = [d for d in read_string("\n".join(lines) + "\n", "a.jsonl") if isinstance(d, Document)]
    assert [d.format for d in as_array] == ["jsonl"] * len(lines)
    assert [d.text for d in as_array] == [d.text for d in as_lines]
    start = 1  # after "["
    for number, (in_array, in_lines) in enumerate(zip(as_array, as_lines, strict=True), 1):
        assert in_array.record == in_lines.record == number
        assert _mapped(in_array) == [(1, start + column) for line, column in _mapped(in_lines)]
        assert {line for line, _ in _mapped(in_lines)} == {number}
        start += len(lines[number - 1]) + 2


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_indented_json_array_positions_are_unchanged_by_the_shared_line_table(newline: str) -> None:
    from cableschema.document import SourceMap
    from cableschema.readers import read_string

    raw = json.dumps(_array_records(), indent=2).replace("\n", newline)
    documents = [d for d in read_string(raw, "a.json") if isinstance(d, Document)]
    assert len(documents) == 6
    lines = set()
    for document in documents:
        shared = _mapped(document)
        lines.update(line for line, _ in shared)
        document.source_map = SourceMap(raw, document.source_map.anchors, first_line=1)  # its own table
        assert shared == _mapped(document)
    assert len(lines) == 11  # the text of each record and the 5 headers that are not empty


def test_json_lines_with_a_first_record_past_the_format_sniff_are_read_whole(tmp_path) -> None:
    """The 256 KB sniff ended inside a 300 KB first record: the file was taken for one JSON
    document and only that record was read (50 of 51 lost without a word)."""
    from cableschema.config import Settings
    from cableschema.readers import read_string
    from cableschema.runner import _streamed_format

    base = (SAMPLE / "text/04MADRID893.txt").read_text(encoding="utf-8")
    records = [{"reference_id": "04MADRID893", "text": base * 110}]
    records += [{"reference_id": f"04MADRID{900 + n}", "text": base} for n in range(50)]
    raw = "".join(json.dumps(record) + "\n" for record in records)
    assert raw.index("\n") > 300_000
    path = tmp_path / "first-record-300k.jsonl"
    path.write_text(raw, encoding="utf-8")
    for items in (list(iter_file(path)), list(read_string(raw, "x.jsonl"))):
        assert [type(item) for item in items] == [Document] * 51
        assert [item.record for item in items] == list(range(1, 52))
        assert [item.format for item in items] == ["jsonl"] * 51
    assert [d.text for d in iter_file(path)] == [d.text for d in iter_file(path, "jsonl")]
    assert _streamed_format(str(path), Settings()) == "jsonl"  # large files are read in chunks
    # A file that is one line (no newline at its end) is read whole as before.
    path.write_text(raw.split("\n", 1)[0], encoding="utf-8")
    assert [type(item) for item in iter_file(path)] == [Document]
    # A line that does not end inside the record size limit is one JSON document over it.
    (problem,) = iter_file(path, max_record_bytes=200_000)
    assert isinstance(problem, ReadProblem) and "record size limit" in problem.message


def _cable_json(number: int) -> str:
    return json.dumps({"reference_id": f"07ASTANA{number}", "body": "UNCLAS\n\nSUBJECT: X\n"})


def _summary(items: list[Document | ReadProblem]) -> list[tuple[str, int | None, int, int]]:
    return [
        (item.message, item.record, item.line, item.column)
        if isinstance(item, ReadProblem)
        else ("document", item.record, 0, 0)
        for item in items
    ]


def test_what_follows_a_json_document_is_reported() -> None:
    """read_json read the first value and dropped the rest without a word (exit status 0)."""
    from cableschema.readers import read_string

    one = _cable_json(2221)
    indented = json.dumps(json.loads(one), indent=2)
    extra = "line {} is not valid JSON: Extra data"
    for fmt in (None, "json"):
        assert _summary(list(read_string(one + " garbage", "x.json", fmt))) == [
            ("document", None, 0, 0),
            (extra.format(1), None, 1, len(one) + 2),
        ]
        assert _summary(list(read_string(indented + indented, "x.json", fmt))) == [
            ("document", None, 0, 0),
            (extra.format(4), None, 4, 2),
        ]
        assert _summary(list(read_string(f"[{one}] {one}", "x.json", fmt))) == [
            ("document", 1, 0, 0),
            (extra.format(1), None, 1, len(one) + 4),
        ]
        # Records an array would have dropped: after a missing comma, or in an array not closed.
        delimiter = "line 1 is not valid JSON: Expecting ',' delimiter"
        assert _summary(list(read_string(f"[{one} {one}]", "x.json", fmt))) == [
            ("document", 1, 0, 0),
            (delimiter, 2, 1, len(one) + 3),
        ]
        assert _summary(list(read_string(f"[{one}", "x.json", fmt)))[1] == (delimiter, 2, 1, len(one) + 2)
        assert _summary(list(read_string(f"[{one},", "x.json", fmt)))[1][0] == "line 1 is not valid JSON: Expecting ']'"
    assert _summary(list(read_string(one + one, "x.json", "json"))) == [
        ("document", None, 0, 0),
        (extra.format(1), None, 1, len(one) + 1),
    ]


def test_json_lines_read_as_json_are_read_as_json_lines(tmp_path) -> None:
    lines = [_cable_json(2221), _cable_json(2222), "not json", _cable_json(2223)]
    path = tmp_path / "cables.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    as_json = list(iter_file(path, "json"))
    assert _summary(as_json) == _summary(list(iter_file(path, "jsonl")))
    assert [item.record for item in as_json] == [1, 2, 3, 4]
    assert isinstance(as_json[2], ReadProblem) and as_json[2].line == 3
    column = lines[0].index('"UNCLAS') + 2  # in the body string, after its quote
    assert [d.position(0) for d in as_json if isinstance(d, Document)] == [(1, column), (2, column), (4, column)]


@pytest.mark.parametrize("name", ["jsonl/06LIMA622.cable.jsonl", "csv/cables.csv"])
def test_a_streamed_file_is_closed_once_read_or_left(name: str) -> None:
    """The text stream over a JSON Lines or CSV file is closed when its records are read, or when
    the reader is left part-way: not left to the collector, which says "unclosed file" (a
    ResourceWarning, shown under -X dev and by test suites that turn warnings into errors)."""
    import gc
    import warnings

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ResourceWarning)
        assert list(iter_file(SAMPLE / name))
        records = iter_file(SAMPLE / name)
        next(records)
        records.close()
        del records
        gc.collect()
    assert [str(warning.message) for warning in caught if warning.category is ResourceWarning] == []


def test_a_csv_file_with_crlf_line_ends_reads_as_with_lf() -> None:
    """The release's CSV escapes each line end of a field with a backslash; written with CRLF line
    ends, the backslash, CR and LF are one line end (the CR was taken for the escaped character
    and the LF made a second line: a blank line after every line, and findings lost)."""
    from cableschema.readers import read_bytes

    from .conftest import SAMPLE

    lf = (SAMPLE / "csv" / "cables.csv").read_bytes()
    crlf = lf.replace(b"\n", b"\r\n")
    assert crlf.count(b"\\\r\n") > 300
    texts = [[d.text for d in read_bytes(data, "cables.csv", "csv")] for data in (lf, crlf)]
    assert texts[0] and texts[1] == texts[0]


def _dump_of(paths: list[Path]) -> str:
    """The files one after another, each ending in a newline."""
    texts = (path.read_text(encoding="utf-8") for path in paths)
    return "".join(text if text.endswith("\n") else text + "\n" for text in texts)


def _lines_of(path: Path) -> int:
    """The lines the file takes in a dump."""
    text = path.read_text(encoding="utf-8")
    return text.count("\n") + (not text.endswith("\n"))


def _findings_as_in_own_file(path: Path, line_offset: int, record: int) -> list[tuple[object, ...]]:
    from cableschema.config import Settings
    from cableschema.engine import lint_file

    return [
        (record, f.code, f.line + line_offset, f.column, f.end_line + line_offset, f.end_column, f.message)
        for f in lint_file(str(path), Settings()).findings
    ]


@pytest.mark.parametrize("damage_rate", [0.0, 0.8])
def test_a_dump_of_page_texts_is_one_document_a_cable(tmp_path: Path, damage_rate: float) -> None:
    """Page texts one after another (each under its metadata table) are one document a cable, a
    record each: each cable's findings are those of its own file, at its lines in the dump."""
    from cableschema.config import Settings
    from cableschema.engine import lint_file
    from cableschema.generate import generate

    generate(tmp_path / "corpus", 12, seed=5, damage_rate=damage_rate, fmt="text")
    paths = sorted((tmp_path / "corpus").rglob("*.txt"))
    dump = tmp_path / "dump.txt"
    dump.write_text(_dump_of(paths), encoding="utf-8")
    documents = [item for item in iter_file(dump) if isinstance(item, Document)]
    ids = [next(iter(read(path))).metadata.reference_id for path in paths]
    assert [d.metadata.reference_id for d in documents] == ids
    assert [d.record for d in documents] == list(range(1, len(paths) + 1))
    expected: list[tuple[object, ...]] = []
    offset = 0
    for record, path in enumerate(paths, 1):
        expected += _findings_as_in_own_file(path, offset, record)
        offset += _lines_of(path)
    found = [
        (f.record, f.code, f.line, f.column, f.end_line, f.end_column, f.message)
        for f in lint_file(str(dump), Settings()).findings
        if f.code != "M108"  # (no two of these cables share an ID)
    ]
    assert sorted(found, key=repr) == sorted(expected, key=repr)
    assert bool(found) == bool(damage_rate)


def test_a_dump_with_crlf_line_ends_maps_each_cable_to_its_lines(tmp_path: Path) -> None:
    from cableschema.generate import generate

    generate(tmp_path / "corpus", 3, seed=8, fmt="text")
    paths = sorted((tmp_path / "corpus").rglob("*.txt"))
    dump = tmp_path / "dump.txt"
    dump.write_bytes(_dump_of(paths).replace("\n", "\r\n").encode("utf-8"))
    documents = [item for item in iter_file(dump) if isinstance(item, Document)]
    assert len(documents) == 3
    line = 1
    for document, path in zip(documents, paths, strict=True):
        start = document.metadata.spans["reference_id"][0]
        assert document.source_map.position_of_source_offset(start)[0] == line + 1  # under the heading
        assert "\r" not in document.text
        line += _lines_of(path)


@pytest.mark.parametrize("line_end", ["\n", "\r\n", "\r"])
def test_a_dump_cut_into_pieces_reads_each_cable_as_the_whole_dump_does(tmp_path: Path, line_end: str) -> None:
    """cable_pieces and documents_from_pieces (a large dump's cables, linted a share in each
    worker) give the documents read_texts gives: texts, records, metadata and every position."""
    from cableschema.generate import generate
    from cableschema.readers.text import cable_pieces, documents_from_pieces, read_texts

    generate(tmp_path / "corpus", 6, seed=9, damage_rate=0.8, fmt="text")
    raw = _dump_of(sorted((tmp_path / "corpus").rglob("*.txt"))).replace("\n", line_end)
    whole = read_texts(raw, "dump.txt")
    pieces = cable_pieces(raw, "dump.txt")
    assert pieces is not None and len(pieces) == len(whole) == 6
    documents = documents_from_pieces(
        [(record, line, raw[start:end]) for record, line, start, end in pieces], "dump.txt"
    )
    for piece, document in zip(documents, whole, strict=True):
        assert (piece.text, piece.record, piece.format, piece.cable_start) == (
            document.text,
            document.record,
            document.format,
            document.cable_start,
        )
        assert piece.metadata.reference_id == document.metadata.reference_id
        every = range(0, len(document.text) + 1, 7)
        assert [piece.position(offset) for offset in every] == [document.position(offset) for offset in every]
        start, end = document.metadata.spans["reference_id"]
        assert piece.source_map.source[slice(*piece.metadata.spans["reference_id"])] == raw[start:end]
    assert cable_pieces(raw[: raw.index("Reference ID", 10)], "one.txt") is None  # one cable: one document


def _array_of_records(indent: int | None, line_end: str = "\n") -> str:
    records = [json.loads(line) for line in (SAMPLE / "jsonl/wikileaks-11-28-10.first5.json").read_text().splitlines()]
    return json.dumps(records * 2, indent=indent).replace("\n", line_end)


@pytest.mark.parametrize(("indent", "line_end"), [(2, "\n"), (1, "\r\n"), (0, "\n")])
def test_a_json_array_cut_into_pieces_reads_each_record_as_the_whole_array_does(indent: int, line_end: str) -> None:
    """array_pieces and documents_from_array_pieces (a large array's records, linted a share in
    each worker) give the documents read_json gives: texts, records, metadata and every position."""
    from cableschema.readers.jsonl import array_pieces, documents_from_array_pieces, read_json

    raw = _array_of_records(indent, line_end)
    whole = list(read_json(raw, "cables.json"))
    pieces = array_pieces(raw)
    assert pieces is not None and len(pieces) == len(whole) == 10
    given = [(record, line, raw[line_start:end], start - line_start) for record, line, line_start, start, end in pieces]
    for piece, document, (_, _, line_start, _, _) in zip(
        documents_from_array_pieces(given, "cables.json"), whole, pieces, strict=True
    ):
        assert isinstance(piece, Document) and isinstance(document, Document)
        assert (piece.text, piece.record, piece.format) == (document.text, document.record, document.format)
        # The metadata's spans are offsets in the piece: the whole's, less the piece's start.
        shifted = {key: (start + line_start, end + line_start) for key, (start, end) in piece.metadata.spans.items()}
        assert shifted == document.metadata.spans and shifted
        assert dataclasses.replace(piece.metadata, spans={}) == dataclasses.replace(document.metadata, spans={})
        every = range(0, len(document.text) + 1, 11)
        assert [piece.position(offset) for offset in every] == [document.position(offset) for offset in every]
        for start, _ in piece.metadata.spans.values():
            assert piece.source_map.position_of_source_offset(start) == (
                document.source_map.position_of_source_offset(start + line_start)
            )


def test_only_a_clean_json_array_of_objects_near_their_lines_starts_is_cut_into_pieces() -> None:
    from cableschema.readers.jsonl import array_pieces

    assert array_pieces(_array_of_records(None)) is None  # minified: one line
    indented = _array_of_records(2)
    assert array_pieces(indented) is not None
    assert array_pieces(indented + "\n{}") is None  # what follows the array: read_json says it
    assert array_pieces(indented.replace('"_id"', '"_id" "x"', 1)) is None  # not JSON
    assert array_pieces('[\n{"a": "b"}, 7\n]') is None  # not an object
    assert array_pieces('[\n{"body": "text"}\n]') is None  # one record: read whole
    assert array_pieces('{"body": "text"}') is None


def test_a_metadata_table_again_for_the_same_cable_stays_in_it(tmp_path: Path) -> None:
    """A cut preview and then the whole page again (T509's) is one cable, and so is a table
    whose values do not read."""
    seed = SAMPLE / "text/07ASTANA2221.scraped.txt"
    text = seed.read_text(encoding="utf-8")
    twice = tmp_path / "twice.txt"
    twice.write_text(text[: len(text) // 2] + "...\n" + text, encoding="utf-8")
    assert len([item for item in iter_file(twice) if isinstance(item, Document)]) == 1
    unreadable = tmp_path / "unreadable.txt"
    heading = "Reference ID Created Released Classification Origin"
    unreadable.write_text(f"{text}\n{heading}\nnothing here\n", encoding="utf-8")
    (document,) = [item for item in iter_file(unreadable) if isinstance(item, Document)]
    assert document.record is None and document.metadata.reference_id == "07ASTANA2221"


def test_a_text_is_cut_into_a_bounded_number_of_cables(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Tables too close to be cables are not cut apart, and past the most cables a text is cut
    into, the rest stays in the last (each piece without a cable is held until the file ends)."""
    from cableschema.generate import generate
    from cableschema.readers import text as text_reader

    heading = "Reference ID Created Released Classification Origin"
    tables = "".join(f"{heading}\n07ROME{n} 2007-08-14 08:37 2011-08-30 01:44 SECRET Embassy Rome\n" for n in range(50))
    tiny = tmp_path / "tiny.txt"
    tiny.write_text(tables, encoding="utf-8")
    assert len([item for item in iter_file(tiny) if isinstance(item, Document)]) == 1
    generate(tmp_path / "corpus", 5, seed=9, fmt="text")
    dump = tmp_path / "dump.txt"
    dump.write_text(_dump_of(sorted((tmp_path / "corpus").rglob("*.txt"))), encoding="utf-8")
    monkeypatch.setattr(text_reader, "_MAX_CABLES", 3)
    documents = [item for item in iter_file(dump) if isinstance(item, Document)]
    assert [d.record for d in documents] == [1, 2, 3]
    assert documents[-1].text.count(heading) == 3


def test_a_json_arrays_documents_are_read_one_at_a_time() -> None:
    """The reader holds none of an array's documents once it has given them (a 53 MB array of
    6,000 cables peaked at 292 MB when it returned them all at once, 121 MB since)."""
    import gc
    import weakref

    from cableschema.readers.jsonl import read_json

    raw = "[\n" + ",\n".join(_cable_json(serial) for serial in range(1, 41)) + "\n]\n"
    documents = read_json(raw, "cables.json")
    first = next(documents)
    assert isinstance(first, Document)
    given = weakref.ref(first)
    del first
    gc.collect()
    assert given() is None
    assert [item.record for item in documents] == list(range(2, 41))


def _pre_bodies(tmp_path: Path) -> list[Path]:
    """Three scraped ``<code><pre>`` bodies, under names that give no reference ID: the fixture's,
    one with a word broken across lines and one with markup left in it."""
    text = (SAMPLE / "text/04MADRID893.txt").read_text(encoding="utf-8")
    broken = text.replace("continues, with an", "contin\nues, with an", 1)
    marked = text.replace("located near the major", "located near the <b>major</b>", 1)
    assert broken != text and marked != text
    paths = []
    for number, body in enumerate((text, broken, marked), 1):
        path = tmp_path / f"body{number}.txt"
        path.write_text(body, encoding="utf-8")
        paths.append(path)
    return paths


def test_a_text_of_several_pre_bodies_is_one_document_a_body(tmp_path: Path) -> None:
    """Scraped bodies put in one file are a record each (read as one, the later ones were the
    first one's text, their tags markup in it): each body's findings are those of its own file,
    at its lines in the file."""
    from cableschema.config import Settings
    from cableschema.engine import lint_file

    paths = _pre_bodies(tmp_path)
    joined = tmp_path / "bodies.txt"
    joined.write_text(_dump_of(paths), encoding="utf-8")
    documents = [item for item in iter_file(joined) if isinstance(item, Document)]
    assert [d.record for d in documents] == [1, 2, 3]
    assert {d.format for d in documents} == {"pre-text"}
    assert [d.text for d in documents] == [next(iter(read(path))).text for path in paths]
    expected: list[tuple[object, ...]] = []
    offset = 0
    for record, path in enumerate(paths, 1):
        expected += _findings_as_in_own_file(path, offset, record)
        offset += _lines_of(path)
    assert {code for _, code, *_ in expected} == {"T501", "T504"}
    found = [
        (f.record, f.code, f.line, f.column, f.end_line, f.end_column, f.message)
        for f in lint_file(str(joined), Settings()).findings
    ]
    assert sorted(found, key=repr) == sorted(expected, key=repr)


def test_pre_bodies_are_parted_only_where_nothing_but_their_tags_stands_between(tmp_path: Path) -> None:
    """Tags in any case, with attributes and blanks, part two bodies; text between them does not
    (its tags stay for markup-leftover), nor does a body too short to hold a cable."""
    text = (SAMPLE / "text/04MADRID893.txt").read_text(encoding="utf-8")
    body = text.removeprefix("<code><pre>").removesuffix("</pre></code>\n")
    variants = {
        "shouted.txt": (f"<CODE><PRE class='x'>{body}</PRE>\r\n </CODE>\r\n<Code>\n<pre>{body}</pre>", 2),
        "between.txt": (f"<pre>{body}</pre>\nsite text\n<pre>{body}</pre>", 1),
        "short.txt": (f"<pre>{body}</pre><pre>(U) short</pre><pre>{body}</pre>", 2),
    }
    for name, (raw, count) in variants.items():
        path = tmp_path / name
        path.write_bytes(raw.encode("utf-8"))
        documents = [item for item in iter_file(path) if isinstance(item, Document)]
        assert len(documents) == count, name
        assert documents[-1].text.strip().endswith("ARGYROS"), name
        if name == "short.txt":
            assert documents[0].text.endswith("ARGYROS</pre><pre>(U) short"), name


def test_a_text_of_pre_bodies_is_cut_into_a_bounded_number(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Past the most cables a text is cut into the rest stays in the last body; a text of nothing
    but joins is one document."""
    from cableschema.readers import text as text_reader

    tags = tmp_path / "tags.txt"
    tags.write_text("<pre>" + "</pre>\n<pre>" * 50_000 + "</pre>", encoding="utf-8")
    assert len([item for item in iter_file(tags) if isinstance(item, Document)]) == 1
    joined = tmp_path / "bodies.txt"
    joined.write_text(_dump_of(_pre_bodies(tmp_path) * 2), encoding="utf-8")
    monkeypatch.setattr(text_reader, "_MAX_CABLES", 4)
    documents = [item for item in iter_file(joined) if isinstance(item, Document)]
    assert [d.record for d in documents] == [1, 2, 3, 4]
    assert documents[-1].text.count("</pre>") == 2
