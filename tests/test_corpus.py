"""The whole of ../shared/corpus: every file read, every HTML page's table equal to the parse.

Skipped when ../shared is absent (a checkout on its own).
"""

from __future__ import annotations

import re

import pytest
from lxml import html as lxml_html

from cableschema.document import Document
from cableschema.parser import parse
from cableschema.readers import iter_file

from .conftest import CORPUS, corpus_files, requires_corpus

pytestmark = [requires_corpus, pytest.mark.corpus]

_DTG_LINE = re.compile(r"^[ZOPR](?: [ZOPR])? [0-9]{6}Z [A-Z]{3} [0-9]{2}", re.M)


def test_every_corpus_file_except_pdfs_parses_without_an_exception() -> None:
    documents = 0
    for path in corpus_files():
        items = list(iter_file(path))
        if path.suffix == ".pdf":
            assert all(not isinstance(i, Document) for i in items)
            continue
        for item in items:
            assert isinstance(item, Document), f"{path}: {item}"
            parsed = parse(item)
            assert parsed.internal_error is None, f"{path}: {parsed.internal_error}"
            documents += 1
    assert documents > 2000


def _table(path) -> dict[str, str]:
    tree = lxml_html.fromstring(path.read_bytes(), parser=lxml_html.HTMLParser(no_network=True))
    rows = tree.xpath("//table[@class='cable']//tr")
    names = [th.text_content().strip().lower() for th in rows[0].xpath("./th")]
    values = [td.text_content().strip() for td in rows[1].xpath("./td")]
    return dict(zip(names, values, strict=False))


def _iso(stamp: str) -> str:
    return stamp.replace(" ", "T") + ":00"


def test_every_html_page_table_equals_the_parse_and_dtg_is_filled() -> None:
    pages = sorted(CORPUS.rglob("*.html"))
    assert len(pages) >= 495
    for path in pages:
        expected = _table(path)
        (document,) = list(iter_file(path))
        assert isinstance(document, Document)
        data = parse(document).data
        assert data["reference_id"] == expected["reference id"], path
        assert data["created"] == _iso(expected["created"]), path
        if "released" in expected:
            assert data["released"] == _iso(expected["released"]), path
        assert data["classification"] == expected["classification"], path
        assert data["origin"] == expected["origin"], path
        tree = lxml_html.fromstring(path.read_bytes(), parser=lxml_html.HTMLParser(no_network=True))
        blocks = tree.xpath("//pre")
        if len(blocks) == 2 and _DTG_LINE.search(blocks[0].text_content()):
            assert data["header"]["dtg"], f"{path}: header has a DTG line but none was parsed"
