"""The containers a generated cable is written in, each the way the release's copies are:

* ``text``: the page text (:meth:`~.draft.Sheet.page_text`), like a cable copied off its page;
* ``html``: a cablegate page (``shared/spec/damage.md`` section 1): the navigation sidebar, the
  ``Viewing cable`` heading, the help text, the five-column ``<table class='cable'>``, then the
  header and the body in two ``<code><pre>`` blocks with newlines written ``&#x000A;``, TAGS as
  links and ``<a id='parN'>¶</a>`` anchors before numbered paragraphs and lettered REF items;
* ``jsonl``: the cablegatesearch mongoexport layout (``_id``, ``origin``, ``date_time``,
  ``classification``, ``header``, ``body``), one record a line (newlines kept as ``\\n``);
* ``csv``: the cables.csv layout (``id, created, reference_id, origin, classification,
  references, header, body``; every field quoted, backslash escapes, ``M/D/YYYY H:MM`` dates).

Each writer also says where every line of the cable is in the file (for ground truth), and
:func:`relocate` gives the cable a correct reader makes of the container (the text without the
pasted metadata lines, the source, no Released date where the container has none).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from functools import cache

from .. import vocab
from ..model import Cable
from .draft import Cell, Sheet

FORMATS = ("text", "html", "jsonl", "csv")
SUFFIX = {"text": "txt", "html": "html", "jsonl": "jsonl", "csv": "csv"}

_CLASSIFICATION_LINKS = (
    ("CONFIDENTIAL", "unclassified"),
    ("CONFIDENTIAL//NOFORN", "secret"),
    ("SECRET", "confidential"),
    ("SECRET//NOFORN", "secret//noforn"),
    ("UNCLASSIFIED", "unclassified//fouo"),
    ("UNCLASSIFIED//FOR OFFICIAL USE ONLY", "confidential//noforn"),
)
_ENTITY_LIKE = re.compile(r"&(?=#[xX]?[0-9a-fA-F]{1,7};|[A-Za-z][A-Za-z0-9]{1,31};)")
_LINK_LIKE = re.compile(r"<(?=a\b|/a\s*>)", re.I)
_PARAGRAPH_LABEL = re.compile(r"^([ \t]*)(?=[1-9][0-9]{0,2}[a-z]?\.[ \t]+\S)")
_REF_LETTER = re.compile(r"^(REF: |)([A-H])(?=\. )")


# -- lines of the cable text in a container --------------------------------------------------------


def container_cells(sheet: Sheet) -> list[Cell | None]:
    """The lines of the text a reader makes of a container: header, a blank line, body."""
    cells: list[Cell | None] = []
    if sheet.header:
        cells += [*sheet.header, None]
    cells += sheet.body
    return cells


def container_text(sheet: Sheet) -> str:
    header = "\n".join(c.text for c in sheet.header)
    body = "\n".join(c.text for c in sheet.body)
    return f"{header}\n\n{body}" if sheet.header else body


def relocate(cable: Cable, sheet: Sheet, fmt: str, path: str, record: int | None = None) -> Cable:
    """The clean page-text cable as a correct reader of ``fmt`` reads it from this container."""
    if fmt == "text":
        return cable.model_copy(update={"source": cable.source.model_copy(update={"path": path})})
    shift = -3

    def moved(item: object) -> object:
        return item.model_copy(update={"line": item.line + shift})  # type: ignore[attr-defined]

    header = cable.header
    if header.routing is not None:
        header = header.model_copy(update={"routing": moved(header.routing)})
    update: dict[str, object] = {
        "header": header,
        "caption": moved(cable.caption) if cable.caption else None,
        "eo": moved(cable.eo) if cable.eo else None,
        "classified_by": moved(cable.classified_by) if cable.classified_by else None,
        "page_markers": [moved(m) for m in cable.page_markers],
        "paragraphs": [moved(p) for p in cable.paragraphs],
        "spans": [
            s.model_copy(
                update={
                    "start_line": s.start_line + shift,
                    "end_line": s.end_line + shift if s.end_line is not None else None,
                }
            )
            for s in cable.spans
        ],
        "redactions": [moved(r) for r in cable.redactions],
        "text": container_text(sheet),
        "source": cable.source.model_copy(
            update={"path": path, "format": fmt, "record": record if fmt in ("jsonl", "csv") else None}
        ),
    }
    if fmt in ("jsonl", "csv"):
        update["released"] = None
    return cable.model_copy(update=update)


# -- HTML ------------------------------------------------------------------------------------------


def _pre_escape(text: str) -> str:
    """Text for a ``<pre>`` block as the site writes it: raw, except what a reader would decode
    (an entity-like ``&``, a link tag), which is escaped so that the text reads back unchanged."""
    if "&" in text:
        text = _ENTITY_LIKE.sub("&amp;", text)
    if "<" in text:
        text = _LINK_LIKE.sub("&lt;", text)
    return text


def _attr(text: str) -> str:
    return text.replace("&", "&amp;").replace("'", "&#39;").replace("<", "&lt;").replace(">", "&gt;")


def _body_line_html(line: str, paragraph_index: list[int]) -> str:
    """One body line: escaped, TAGS as links, the ¶ anchor before a numbered paragraph or a
    lettered REF item (``parN`` / ``parB``)."""
    escaped = _pre_escape(line)
    if line.startswith("TAGS: "):
        tags = re.sub(
            r"(?<=[ ,(])([A-Z0-9][A-Z0-9&.'/-]*)",
            lambda m: f"<a href='/tag/{m.group(1)}_0.html'>{m.group(1)}</a>",
            " " + escaped[6:],
        )
        return "TAGS:" + tags
    label = _PARAGRAPH_LABEL.match(line)
    if label is not None:
        paragraph_index[0] += 1
        number = paragraph_index[0]
        return f"{label.group(1)}<a id='par{number}' href='#par{number}'>¶</a>{escaped[len(label.group(1)) :]}"
    letter = _REF_LETTER.match(line)
    if letter is not None and (letter.group(1) or paragraph_index[0] == 0):
        tag = letter.group(2)
        return f"{letter.group(1)}<a id='par{tag}' href='#par{tag}'>¶</a>{escaped[len(letter.group(1)) :]}"
    return escaped


@cache
def _sidebar_parts() -> tuple[str, str]:
    """The navigation sidebar of a cablegate page (about 1,500 lines): the same on every page but
    for the cable's own links, which go between the two parts."""
    out: list[str] = [
        "<div class='pane small'>",
        "<a href='/support.html'>",
        "<img alt='Keep Us Strong' src='/static/gfx/ja-cg.jpg' />",
        "</a>",
        "<a href='/index.html'>",
        "<img alt='WikiLeaks logo' src='/static/gfx/WL_Hour_Glass_small.png' />",
        "<p>Currently released so far... 251287 / 251,287</p>",
        "</a>",
        "<div id='browse'>",
        "<h3>Browse latest releases</h3>",
        "<div class='pick'>",
    ]
    months = [(2010, 11), (2010, 12)] + [(2011, m) for m in range(1, 9)]
    for year, month in months:
        key = f"{year}{month:02d}"
        out.append(
            f"<a class='sort fix' href='#rdate_{key}' onclick=\"return swap('rdate_{key}');\">{year}/{month:02d}</a>"
        )
    out.append("</div>")
    for year, month in months:
        out.append(f"<div class='sort' id='rdate_{year}{month:02d}'>")
        # The site lists the days a batch came out: about every other day.
        first = 28 if (year, month) == (2010, 11) else 1
        for day in range(first, 31 if month != 2 else 29, 1 if (year, month) == (2010, 11) else 2):
            out.append(f"<a href='/reldate/{year}-{month:02d}-{day:02d}_0.html'>{year}/{month:02d}/{day:02d}</a>")
        out.append("</div>")
    out += ["<h3>Browse by creation <a href='#year_1966' onclick='return sha(0);'>date</a></h3>", "<div class='pick'>"]
    years = [1966, 1972, 1973, 1975, 1978, 1979, *range(1985, 2011)]
    for year in years:
        out.append(f"<a class='sort' href='#year_{year}' onclick=\"return swap('year_{year}');\">{year % 100:02d}</a>")
    out.append("</div>")
    for year in years:
        out.append(f"<div class='sort' id='year_{year}'>")
        for month in range(1, 13 if year < 2010 else 3):
            out.append(f"<a href='/date/{year}-{month:02d}_0.html'>{year}/{month:02d}</a>")
        out.append("</div>")
    names = sorted(vocab.origin_names())
    letters = sorted({n[0].upper() for n in names if n[0].isalpha()})
    out += ["<h3>Browse by <a href='#by_A' onclick='return sha(1);'>origin</a></h3>", "<div class='pick'>"]
    out += [f"<a class='sort' href='#by_{c}' onclick=\"return swap('by_{c}');\">{c}</a>" for c in letters]
    out.append("</div>")
    for letter in letters:
        out.append(f"<div class='sort' id='by_{letter}'>")
        out += [
            f"<a href='/origin/{i}_0.html'>{_attr(n)}</a>" for i, n in enumerate(names, 1) if n[0].upper() == letter
        ]
        out.append("</div>")
    # Subject, program and geographic tags, and the organisations most cables use (about 700
    # links, as on the site).
    table = vocab.tags()
    tags = sorted(t for t, kind in table.items() if kind != "organization")
    tags += sorted(t for t, kind in table.items() if kind == "organization")[:250]
    tags.sort()
    tag_letters = sorted({t[0] for t in tags if t[0].isalpha()})
    out += ["<h3>Browse by <a href='#tag_A' onclick='return sha(2);'>tag</a></h3>", "<div class='pick'>"]
    out += [f"<a class='sort' href='#tag_{c}' onclick=\"return swap('tag_{c}');\">{c}</a>" for c in tag_letters]
    out.append("</div>")
    for letter in tag_letters:
        out.append(f"<div class='sort' id='tag_{letter}'>")
        out += [f"<a href='/tag/{t}_0.html'>{t}</a>" for t in tags if t[0] == letter]
        out.append("</div>")
    out += ["<h3>Browse by <a href='#class' onclick='return sha(3);'>classification</a></h3>", "<div class='sort'>"]
    for index, (text, title) in enumerate(_CLASSIFICATION_LINKS, 1):
        out.append(f"<a href='/classification/{index}_0.html' title='{title}'>{text}</a>")
    out += ["</div>", "</div>", "<h3>Community resources</h3>", "<div class='sort'>"]
    head = "\n".join(out)
    tail = "\n".join(
        [
            "<a href='https://sunshinepress.org'>Contact us on IRC</a>",
            "</div>",
            "<p>",
            "<i>",
            "courage is contagious",
            "</i>",
            "</p>",
            "</div>",
        ]
    )
    return head, tail


_PAGE_HEAD = (
    "<?xml version='1.0' encoding='utf-8' ?>\n"
    '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" '
    '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">\n'
    "<html lang='en' xml:lang='en' xmlns='http://www.w3.org/1999/xhtml'>\n"
    "<head>\n<title>Cable Viewer</title>\n"
    "<link href='/static/gfx/favicon.ico' rel='shortcut icon' />\n"
    "<link href='/static/css/reset-fonts-grids.css' rel='stylesheet' type='text/css' />\n"
    "<link href='/static/css/cables.css' rel='stylesheet' type='text/css' />\n"
    "</head>\n<body>\n<div class='main'>"
)
_HELP = (
    "<div>\nIf you are new to these pages, please read an introduction on the "
    '<a href="#help_1" onclick="return sh(1);">structure of a cable</a> as well as how to '
    '<a href="#help_2" onclick="return sh(2);">discuss them</a> with others.\n<br />\n</div>\n'
    "<div id='help_1'>\n<br />\n<b>Understanding cables</b>\n<br />\n"
    "Every cable message consists of three parts: the reference box, the header and the body.\n</div>\n"
    "<div id='help_2'>\n<br />\n<b>Discussing cables</b>\n<br />\n"
    "Please link to a cable by its unique reference number; a paragraph can be linked by its symbol.\n"
    "</div>"
)


def _page_path(reference_id: str, created: str) -> str:
    return f"/cable/{created[:4]}/{created[5:7]}/{reference_id}.html"


def html_page(sheet: Sheet) -> tuple[str, dict[int, int], dict[str, int]]:
    """The page; the physical line of each cell (``id(cell) -> line``); the physical line of
    each metadata value (``reference_id``, ``created``, ``released``, ``classification``,
    ``origin``)."""
    head, tail = _sidebar_parts()
    rid = sheet.reference_id
    created = sheet.created
    released = sheet.released or created
    texts = [text for text, _ in _CLASSIFICATION_LINKS]
    class_index = texts.index(sheet.classification) + 1 if sheet.classification in texts else 1
    title = dict(_CLASSIFICATION_LINKS).get(sheet.classification, sheet.classification.lower())
    share = (
        f"<a href='http://twitter.com/home?status=Reading%20http%3A%2F%2Fwikileaks.org%2Fcable%2F"
        f"{created[:4]}%2F{created[5:7]}%2F{rid}.html%20%23{rid}'>Twitter this</a>"
    )
    lines: list[str] = [
        _PAGE_HEAD,
        head,
        share,
        tail,
        "<div class='pane big'>",
        f"<h3>Viewing cable {rid}, {_attr(sheet.subject)}</h3>",
        _HELP,
        "<table class='cable'>\n<tr>\n<th>Reference ID</th>\n<th>Created</th>\n<th>Released</th>\n"
        "<th>Classification</th>\n<th>Origin</th>\n</tr>\n<tr>",
    ]
    meta: dict[str, int] = {}
    cells = (
        ("reference_id", f"<a href='{_page_path(rid, created)}'>{rid}</a>"),
        ("created", f"<a href='/date/{created[:7]}_0.html'>{created[:10]} {created[11:16]}</a>"),
        ("released", f"<a href='/reldate/{released[:10]}_0.html'>{released[:10]} {released[11:16]}</a>"),
        (
            "classification",
            f"<a href='/classification/{class_index}_0.html' title='{_attr(title)}'>{_attr(sheet.classification)}</a>",
        ),
        ("origin", f"<a href='/origin/1_0.html'>{_attr(sheet.origin)}</a>"),
    )
    count = sum(part.count("\n") + 1 for part in lines)
    for key, cell in cells:
        lines += ["<td>", cell, "</td>"]
        meta[key] = count + 2
        count += 3
    lines += ["</tr>", "</table>"]
    count += 2
    header_line = count + 1
    counter = [0]
    header_pre = "&#x000A;".join(_pre_escape(c.text) for c in sheet.header)
    body_pre = "&#x000A;".join(_body_line_html(c.text, counter) for c in sheet.body)
    where: dict[int, int] = {id(c): header_line for c in sheet.header}
    where.update({id(c): header_line + 1 for c in sheet.body})
    lines += [
        f"<code><pre>{header_pre}</pre></code>",
        f"<code><pre>{body_pre}</pre></code>",
        "</div>",
        "</div>",
        "<script src='/static/js/cables.js' type='text/javascript'></script>",
        "</body>",
        "</html>",
    ]
    return "\n".join(lines) + "\n", where, meta


# -- JSON Lines and CSV ----------------------------------------------------------------------------


def jsonl_record(sheet: Sheet) -> str:
    """One mongoexport record (one line, no newline at the end)."""
    created = sheet.created
    record = {
        "_id": sheet.reference_id,
        "origin": sheet.origin,
        "date_time": f"{created[:10]} {created[11:16]}",
        "classification": sheet.classification,
        "header": "\n".join(c.text for c in sheet.header),
        "body": "\n".join(c.text for c in sheet.body),
    }
    return json.dumps(record, ensure_ascii=False)


def csv_date(iso: str) -> str:
    """``2007-08-14T08:37:00`` -> ``8/14/2007 8:37`` (cables.csv)."""
    year, month, day = (int(part) for part in iso[:10].split("-"))
    return f"{month}/{day}/{year} {int(iso[11:13])}:{iso[14:16]}"


def csv_field(value: str) -> str:
    """cables.csv quoting: in quotes, with backslash escapes for backslash, quote and newline."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\\n") + '"'


def csv_row(sheet: Sheet, row_id: int) -> tuple[str, dict[int, int]]:
    """One cables.csv row (ending with a newline), and the physical line offset (0-based, from
    the row's first line) of each cell."""
    header = "\n".join(c.text for c in sheet.header)
    body = "\n".join(c.text for c in sheet.body)
    fields = [
        str(row_id),
        csv_field(csv_date(sheet.created)),
        csv_field(sheet.reference_id),
        csv_field(sheet.origin),
        csv_field(sheet.classification),
        csv_field(""),
        csv_field(header),
        csv_field(body),
    ]
    lines = {id(c): index for index, c in enumerate(sheet.header)}
    body_first = max(0, len(sheet.header) - 1)
    lines.update({id(c): body_first + index for index, c in enumerate(sheet.body)})
    return ",".join(fields) + "\n", lines


Writer = Callable[[Sheet], str]


Where = Callable[[Cell | str, str], tuple[int, int | None]]


def write(sheet: Sheet, fmt: str, row_id: int = 1, first_line: int = 1) -> tuple[str, Where]:
    """The cable in ``fmt``, and where a damage anchor is: ``where(anchor, code)`` gives the line
    in the file (counting from ``first_line``, for a record in a larger file) and the line in the
    cable text, or None for a release-metadata value (the finding is at the container's value)."""
    if fmt == "text":
        numbers = sheet.line_numbers()
        meta_line = sheet.metadata_line() + first_line - 1

        def where_text(anchor: Cell | str, code: str) -> tuple[int, int | None]:
            if isinstance(anchor, str):
                return meta_line, None
            return numbers[id(anchor)] + first_line - 1, numbers[id(anchor)]

        return sheet.page_text() + "\n", where_text
    cable_lines = {id(c): i for i, c in enumerate(container_cells(sheet), 1) if c is not None}
    if fmt == "html":
        content, physical, meta = html_page(sheet)
        meta = {key: value + first_line - 1 for key, value in meta.items()}
        physical = {key: value + first_line - 1 for key, value in physical.items()}
    elif fmt == "jsonl":
        content = jsonl_record(sheet) + "\n"
        physical = {key: first_line for key in cable_lines}
        meta = {"reference_id": first_line, "classification": first_line}
    elif fmt == "csv":
        content, offsets = csv_row(sheet, row_id)
        physical = {key: first_line + value for key, value in offsets.items()}
        meta = {"reference_id": first_line, "classification": first_line}
    else:
        raise ValueError(f"format {fmt!r} is not one of {', '.join(FORMATS)}")

    def where(anchor: Cell | str, code: str) -> tuple[int, int | None]:
        if isinstance(anchor, str):
            return meta["classification" if code == "M106" else "reference_id"], None
        return physical[id(anchor)], cable_lines[id(anchor)]

    return content, where
