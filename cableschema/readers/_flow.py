"""The text of an HTML page's flow, for a cable pasted into a page without a ``<pre>``.

Blogs, newspapers and other cable sites paste a cable into paragraphs (``<p>``), quotes
(``<blockquote>``) or a ``<div>`` whose lines end in ``<br>``. Their text is rendered as a
browser copies it: blanks run together into one space, a ``<br>`` ends a line, a block
element (paragraph, heading, list item, row) starts a new one, scripts, styles and comments
are dropped, entities decoded. An anchor before each piece maps the text back to the page.

The scan is one regular expression whose alternatives are bounded or lazy up to a literal, so
it is linear in the page; the page is never given to an HTML parser. Text between two tags is
one piece, whatever its words: a blank that is one character stays one (a space), and only a
run of blanks needs an anchor of its own.
"""

from __future__ import annotations

import re

from .. import _regex
from ..document import AnchorPairs, Anchors
from . import _artefacts
from ._artefacts import _PILCROW, _replacement

#: Elements whose content is not text a reader sees.
_HIDDEN = "script|style|noscript|template|head|svg|math|iframe|object|select|button"
#: Elements that start a new paragraph (a blank line before and after them), and a new line.
_PARAGRAPH = (
    "p|blockquote|h[1-6]|ul|ol|dl|table|section|article|header|footer|nav|aside|hr|figure|form|address|"
    "main|center|fieldset|details|summary|pre"
)
_LINE = "div|li|dd|dt|tr|caption|figcaption|body|html|title|option|legend"
_TOKEN = _regex.compile(
    r"(?P<comment><!--.*?(?:-->|\Z))"
    rf"|(?P<hidden><(?P<name>{_HIDDEN})\b[^<>]{{0,2000}}>.*?(?:</(?P=name)\s*>|\Z))"
    r"|(?P<textarea><textarea\b[^<>]{0,2000}>)"
    r"|(?P<cell><t[dh]\b[^<>]{0,2000}>)"
    r"|(?P<br><br\b[^<>]{0,2000}>)"
    rf"|(?P<paragraph></?(?:{_PARAGRAPH})\b[^<>]{{0,2000}}>)"
    rf"|(?P<line></?(?:{_LINE})\b[^<>]{{0,2000}}>)"
    r"|(?P<tag></?[A-Za-z][^<>]{0,2000}>|<![^<>]{0,2000}>|<\?[^<>]{0,2000}>)"
    r"|(?P<entity>&#[xX][0-9a-fA-F]{1,6};|&#[0-9]{1,7};|&[A-Za-z][A-Za-z0-9]{1,31};)",
    re.I | re.S,
)
_TEXTAREA_END = _regex.compile(r"</textarea\s*>", re.I)
#: A body's start: what comes before it (the head, the doctype) is no text.
_BODY = _regex.compile(r"<body\b[^<>]{0,2000}>", re.I)
#: HTML's blanks, and the no-break space a copy gives as a space, each one space (lengths kept).
_TO_SPACE = str.maketrans("\t\r\n\f\u00a0", "     ")
#: Two blanks or more, written as one space; and a paragraph label's ``¶`` (a site's anchor).
_SPLIT = _regex.compile(rf"( {{2,}}|{_PILCROW})")


def flow_text(raw: str) -> tuple[str, Anchors]:
    """The text of the page ``raw`` as a browser shows it (see the module's docs) and its
    anchors ``(text_pos, source_pos)``, one before each piece of text."""
    body = _BODY.search(raw)
    position = body.end() if body is not None else 0
    pieces: list[str] = []
    # Compact (8 bytes an anchor): a page of nothing but line breaks has one a character.
    anchors = Anchors([(0, position)], source_length=len(raw))
    produced = 0
    newlines = 2  # the newlines the text ends with (as many as a paragraph's break, at its start)
    blank: int | None = None  # where blanks after text start, not yet written (one space, if text follows)

    write, text_at, source_at = pieces.append, anchors.text.append, anchors.source.append

    def emit(piece: str, source: int, inner: AnchorPairs | None = None) -> None:
        """Write ``piece`` (text that starts with no blank, or line ends), from ``source``; or,
        with ``inner``, a piece decoded elsewhere with its own anchors."""
        nonlocal produced, newlines, blank
        if blank is not None and piece[0] != "\n":
            write(" ")
            text_at(produced)
            source_at(blank)
            produced += 1
        blank = None
        write(piece)
        if inner is None:
            text_at(produced)
            source_at(source)
        else:
            anchors.extend(inner)
        produced += len(piece)
        before_newlines = piece.rstrip("\n")
        newlines = newlines + len(piece) if not before_newlines else len(piece) - len(before_newlines)

    def text(piece: str, source: int) -> None:
        """A run of text between tags: blanks as a browser shows them, ``¶`` labels dropped."""
        nonlocal blank
        piece = piece.translate(_TO_SPACE)
        words = piece.strip(" ")
        if not words:
            if newlines == 0 and blank is None:
                blank = source
            return
        lead = len(piece) - len(piece.lstrip(" "))
        if lead and newlines == 0 and blank is None:
            blank = source
        at = source + lead
        if "  " not in words and "¶" not in words:
            emit(words, at)
        else:
            for index, part in enumerate(_SPLIT.split(words)):
                if index % 2 == 0:
                    if part:
                        emit(part, at)
                elif part[0] == " " and newlines == 0:
                    blank = at  # one space, if text follows
                at += len(part)  # (a pilcrow is dropped)
        if len(piece) > lead + len(words) and newlines == 0:
            blank = source + lead + len(words)

    search = _TOKEN.search
    while (match := search(raw, position)) is not None:
        start = match.start()
        if start > position:
            text(raw[position:start], position)
        kind = match.lastgroup
        if kind == "textarea":
            # Its content is text as written, line ends and all (a paste site's raw paste):
            # entities decoded, no tag in it.
            close = _TEXTAREA_END.search(raw, match.end())
            stop = close.start() if close is not None else len(raw)
            if newlines < 2:
                blank = None
                emit("\n" * (2 - newlines), start)
            content, inner = _artefacts.decode(raw, match.end(), stop, markup=True, text_offset=produced)
            if content:
                emit(content, match.end(), inner)
            position = close.end() if close is not None else len(raw)
            continue
        if kind == "cell":
            if newlines == 0:
                blank = None
                emit("\t", start)  # cells side by side, as a browser copies a row
        elif kind == "br":
            blank = None
            emit("\n", start)
        elif kind == "paragraph" or kind == "line":
            blank = None  # blanks before a line's end are dropped
            wanted = 2 if kind == "paragraph" else 1
            if newlines < wanted:
                emit("\n" * (wanted - newlines), start)
        elif kind == "entity":
            value = _replacement(match.group())
            if value:
                text(value, start)  # (a newline written as an entity is a blank, as any is here)
        position = match.end()
    if position < len(raw):
        text(raw[position:], position)
    return "".join(pieces), anchors
