"""W6xx: what web sites and transports put around a cable."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from cableschema import _regex
from cableschema.rules import Context, FixSpec, TextEdit, Violation, rule

from ._shared import capped, per_cable


@rule("W601", "leading-site-text", "warning", "site chrome before the cable", fix="safe")
def leading_site_text(ctx: Context) -> Iterator[Violation]:
    """## What it does
    Reports text a web page put before the cable: help text, navigation, a blog's header.
    Chrome is recognised by what it is (help and navigation text of the cable sites, login,
    share and comment widgets, URLs, platform names), and only in front of a recognised cable
    start or pasted metadata block. A block that holds such lines may also hold a headline and
    the sentences a blog or a paper writes to introduce the cable; a line of the cable's own
    (a label, a numbered paragraph, a line in capitals) ends it. A mail's or a news post's
    headers and its "On ... wrote:" are such text too (its ``Subject:`` is not the cable's), and
    a cable quoted in one ("> " a line) is read through its quoting. So are a forum's
    ``[quote]`` and a Markdown page's heading and code fence.

    ## Why it matters
    Text that is not the cable's corrupts word counts, search indexes and models trained on the
    corpus, and hides where the cable really starts.

    ## Example
    ```text
    WikiLeaks Link
    Discussing cables
    Reference ID Created Released Classification Origin
    07ASTANA2221 2007-08-14 08:37 2011-08-30 01:44 UNCLASSIFIED Embassy Astana
    DE RUEHTA #2221/01 2260837
    ```

    ```text
    x.txt:1:1: W601 [warning] 2 lines of site text before the cable (WikiLeaks Link ...)
    ```

    ## Fix
    Safe: deletes the lines before the cable (or before its pasted metadata block), and nothing
    else.
    """
    span = ctx.parts.leading_chrome
    if span is None:
        return
    first, last = span
    lines = ctx.lines
    while first < last and not lines[first].strip():
        first += 1
    if first >= last:
        return
    count = sum(1 for line in lines[first:last] if line.strip())
    preview = lines[first].strip()
    if len(preview) > 40:
        preview = preview[:40].rstrip() + " ..."
    start, _ = ctx.line_span(first)
    end = ctx.parts.line_starts[last] if last < len(lines) else len(ctx.text)
    fix = FixSpec("safe", "delete the site text before the cable", (TextEdit(0, end, ""),))
    noun = "line" if count == 1 else "lines"
    yield Violation(f"{count} {noun} of site text before the cable ({preview})", start, ctx.line_span(first)[1], fix)


@rule("W602", "trailing-site-text", "warning", "site chrome after the cable", fix="safe")
def trailing_site_text(ctx: Context) -> Iterator[Violation]:
    """## What it does
    Reports text a web page put after the cable: comment forms, share and login widgets, blog
    footers. A block of such lines at the end of the text is chrome only when it holds at least
    one line that only a web page would carry; a cable's own short last line, such as its
    signer, is never taken for chrome. A mail's or a post's signature, from its ``-- `` line
    among the text's last lines, is chrome when what follows is no signer in capitals; so is
    what follows the end of a forum's ``[/quote]`` or a Markdown code fence, and what follows the
    lines a mail or a post quoted the most (its reply after the quoted cable). After a cable's
    signer (a name in capitals after a paragraph's end), all that follows is the page's when it
    holds such a line and nothing of a cable's (a numbered paragraph, a label, a line in
    capitals): a blog's comments and a paper's related headlines are prose no walk over chrome
    gets past.

    ## Why it matters
    Trailing chrome makes a complete cable look truncated or unsigned, and puts words in the
    corpus that no diplomat wrote.

    ## Example
    ```text
    1. (U) The cable's last paragraph.
    TEFFT

    Leave a Reply
    You are commenting using your WordPress.com account. Log Out / Change
    ```

    ```text
    x.txt:4:1: W602 [warning] 2 lines of site text after the cable (Leave a Reply ...)
    ```

    ## Fix
    Safe: deletes everything after the cable's last line (the blank lines and the chrome).
    """
    span = ctx.parts.trailing_chrome
    if span is None:
        return
    first, last = span
    lines = ctx.lines
    count = sum(1 for line in lines[first:last] if line.strip())
    preview = lines[first].strip()
    if len(preview) > 40:
        preview = preview[:40].rstrip() + " ..."
    # Delete from the end of the cable's last non-blank line (keeping its newline) to the end.
    keep = first - 1
    while keep >= 0 and not lines[keep].strip():
        keep -= 1
    delete_from = ctx.parts.line_starts[keep + 1] if keep >= 0 else 0
    fix = FixSpec("safe", "delete the site text after the cable", (TextEdit(delete_from, len(ctx.text), ""),))
    start, end = ctx.line_span(first)
    noun = "line" if count == 1 else "lines"
    yield Violation(f"{count} {noun} of site text after the cable ({preview})", start, end, fix)


# -- W604 transport-trailer ---------------------------------------------------------------------------

_WHOLE_TRAILER = _regex.compile(r"^=+\s*CABLE\s+ENDS\s*=+$", re.I)


@rule("W604", "transport-trailer", "info", "CABLE ENDS banners, newspaper date lines", fix="unsafe")
def transport_trailer(ctx: Context) -> Iterator[Violation]:
    """## What it does
    Reports lines that a transport or a publisher added to the cable, not its writer: the
    ``=======================CABLE ENDS============================`` banner after the signer
    (234 of 6,712 pages of one mirror), and the weekday date line that the newspaper versions put
    first (``Wednesday, 24 May 2006, 10:28``). A banner cut short is T502's.

    ## Why it matters
    They are harmless but are not the cable's words: a corpus that compares texts, counts words
    or trains models should know they are there.

    ## Example
    ```text
    1. (C) The Ambassador thanked the Minister.
    WOOD

    =======================CABLE ENDS============================
    ```

    ```text
    x.txt:4:1: W604 [info] transport trailer "=====CABLE ENDS=====" after the cable
    ```

    ## Fix
    Unsafe: deletes the line. Some corpora keep these lines on purpose.
    """
    parts = ctx.parts
    whole = [item for item in parts.trailers if _WHOLE_TRAILER.match(ctx.lines[item.line].strip().rstrip("\\").strip())]
    items = [(item, "trailer") for item in whole] + [(item, "date") for item in parts.weekday_lines]
    for item, kind in sorted(items, key=lambda pair: pair[0].line):
        start, end = ctx.line_span(item.line)
        line_end = parts.line_starts[item.line + 1] if item.line + 1 < len(parts.line_starts) else len(ctx.text)
        fix = FixSpec("unsafe", "delete the line", (TextEdit(parts.line_starts[item.line], line_end, ""),))
        shown = ctx.text[start:end]
        if kind == "trailer":
            banner = "=====" + re.sub(r"^=+|=+$", "", shown).strip() + ("=====" if shown.endswith("=") else "")
            yield Violation(f'transport trailer "{banner}" after the cable', start, end, fix)
        else:
            yield Violation(f'newspaper date line "{shown}" before the cable', start, end, fix)


# -- W605 embedded-dump-row ---------------------------------------------------------------------------

_ID = r"[0-9]{2}[A-Z]{4,40}[0-9]{1,7}"
#: The shapes of a database record pasted into a cable's text. Each pattern starts with a
#: literal (a newline, a comma, a slash, a quote) so that it is fast on any text; a row's start
#: is then checked in place.
_SEPARATOR = _regex.compile(r"\n(<<[0-9]{3,9}>>)[ \t]*(?=\n|$)")  # <<220571>>, fields one a line
_SEPARATED_ID = _regex.compile(r"\s*[0-9/: -]{8,20}\s*\n\s*(" + _ID + r")\s*\n")
#: cables.csv: 93207,1/19/2007 16:27,07THEHAGUE105,"Embassy The Hague",...
_CSV_ID = _regex.compile(r",(" + _ID + r"),")
_CSV_TIME_ID = _regex.compile(r":[0-9]{2},[0-9]{2}[A-Z]")
_CSV_HEAD = _regex.compile(r"(?:^|\n)[0-9]{1,7},[0-9]{1,2}/[0-9]{1,2}/[0-9]{4} [0-9]{1,2}:[0-9]{2}$")
#: tabs: 22350<TAB>2004-11-02 18:31:00<TAB>04BOGOTA11339<TAB>Embassy Bogota<TAB>...
_TSV = _regex.compile(r"[^\n\t]{0,40}\t(?:[^\n\t]*\t){0,3}?(" + _ID + r")\t")
#: field by field: "id: 39765" / "date: 9/2/2005 19:41" / "refid: 05QUITO2057"
_FIELDS = _regex.compile(
    r"\n((?:id|refid|date|origin|classification|destination):[ \t][^\n]{1,80}\n"
    r"(?:(?:id|refid|date|origin|classification|destination|header|body):[^\n]{0,200}\n){1,5})"
)
_FIELD_ID = _regex.compile(r"refid:[ \t]*(" + _ID + r")")  # destination: holds the references
#: the fields one a line without a separator: 2009-04-15 / 09KABUL941 / Embassy Kabul
_LINES = _regex.compile(
    r"\n((?:[0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{1,2}/[0-9]{1,2}/[0-9]{4})(?:[ T][0-9:]{4,8})?[ \t]*\n"
    r"(?:[ \t]*\n)?(" + _ID + r")[ \t]*\n(?:[ \t]*\n)?"
    r"(?:Embassy|Consulate|Mission|US|UN|Secretary|Department|American|REO|Iran)[^\n]{0,60}\n)"
)
#: The start of a line that is a date, for :data:`_LINES`, found from its first "-" or "/" (a few
#: a cable; _LINES itself is tried at each of its hundreds of newlines).
_ISO_DATE_LINE = _regex.compile(r"-(?<=\n[0-9]{4}-)[0-9]{2}-[0-9]{2}")
_US_DATE_LINE = r"(?:(?<=\n[0-9]/)|(?<=\n[0-9]{2}/))[0-9]{1,2}/[0-9]{4}"  # after its first "/"
#: A csv row's time and ID (``:27,07T``, :data:`_CSV_TIME_ID`) or a field-by-field record's
#: ``refid:``, in one search from the colons; the empty group at the end names which.
_COLON_CLUES = _regex.compile(r":(?:[0-9]{2},[0-9]{2}[A-Z](?P<csv>)|(?<=refid:)(?P<fields>))")
#: a search site's record after the signer: MILAM 0 10/26/2007 5416 BTIO,ECON,EINV A SUCCESS?: ...
_TAGS_ROW = r"[0-9]{4}[ \t]+[0-9]{1,6}[ \t]+[A-Z]{2,6}(?:,[A-Z]{2,6})+[ \t]"  # after a date's last "/"
_TAGS_ROW_DATE = _regex.compile(r"(?<![0-9/])[0-9]{1,2}/[0-9]{1,2}$")
#: the end of a csv body field and the next fields: DONOVAN ",10/5/2006,"JAPANESE IPR ...
_CSV_TAIL = r'(?:(?<=",[0-9]/)|(?<=",[0-9]{2}/))[0-9]{1,2}/[0-9]{4},"'  # after its first "/"
#: The slashes that start a US date line, a search site's record or a csv row's tail, in one
#: search (each a search of the whole text); the empty group names which. Look-aheads: a date's
#: match does not hide one that starts at its second slash, and no slash starts two of them.
_SLASH_CLUES = _regex.compile(
    rf"/(?:(?={_US_DATE_LINE})(?P<us_date>)|(?={_TAGS_ROW})(?P<tags_row>)|(?={_CSV_TAIL})(?P<csv_tail>))"
)


@dataclass(frozen=True)
class DumpRow:
    line: int  # 0-based line of the row's start
    start: int  # text offsets of the row's first line (or of its fields)
    end: int
    reference_id: str | None
    shape: str


def _row_starts(raw: str) -> Iterator[tuple[int, str | None, str, int]]:
    """``(start, reference_id, shape, covered_until)`` of each row, in no particular order.

    The line-start patterns begin with a newline (a literal is fast to search for), so the text
    is searched with one put in front, and every offset is moved back by one.
    """
    for start, reference_id, shape, until in _row_starts_in("\n" + raw):
        yield start - 1, reference_id, shape, max(0, until - 1)


def _row_starts_in(text: str) -> Iterator[tuple[int, str | None, str, int]]:
    # The pre-checks look for one character where they can (memchr, several times faster than a
    # search for two): most texts have no "<" and no tab.
    if "<" in text and "<<" in text:
        for match in _SEPARATOR.finditer(text):
            after = _SEPARATED_ID.match(text, match.end())
            if after is not None:
                yield match.start(1), after.group(1), "separator", after.end() + 1
    # A csv row's ID follows its time (",93207,1/19/2007 16:27,07THEHAGUE105,"): without a
    # ":dd,ddX" anywhere (found from the rarer colon) there is none, and the commas are not
    # searched one by one. The same search from the colons tells whether "refid:" is there.
    clues = {match.lastgroup for match in _COLON_CLUES.finditer(text)}
    if "csv" in clues:
        # The head can only start at the line's start (its "\n" or the text's start), so it is
        # matched there; each line's start is found once (searched from its start for every ID of
        # a long line, both took time in the IDs times the line's length).
        line_start = searched = 0
        for match in _CSV_ID.finditer(text):
            newline = text.rfind("\n", searched, match.start())
            if newline >= 0:
                line_start = newline + 1
            searched = match.start()
            if _CSV_HEAD.match(text, max(0, line_start - 1), match.start()):
                yield line_start, match.group(1), "csv", 0
    if "\t" in text:
        position = text.find("\t")
        while position >= 0:
            line_start = text.rfind("\n", 0, position) + 1
            line_end = text.find("\n", position)
            line_end = len(text) if line_end < 0 else line_end
            row = _TSV.match(text, line_start, line_end)
            if row is not None:
                yield line_start, row.group(1), "tsv", 0
            position = text.find("\t", line_end)
    if "fields" in clues:  # a record printed field by field is reported by its refid
        for match in _FIELDS.finditer(text):
            found = _FIELD_ID.search(match.group(1))
            if found is not None:
                yield match.start(1), found.group(1), "fields", 0
    slashes = list(_SLASH_CLUES.finditer(text)) if "/" in text else []
    us_date = any(match.lastgroup == "us_date" for match in slashes)
    for match in _LINES.finditer(text) if us_date or _ISO_DATE_LINE.search(text) else ():
        yield match.start(1), match.group(2), "lines", 0
    for match in slashes:
        if match.lastgroup == "tags_row":
            date = _TAGS_ROW_DATE.search(text, max(0, match.start() - 6), match.start())
            if date is not None:
                yield date.start(), None, "tags_row", 0
    tail_end = 0  # (csv tails are reported as their own search found them: none inside another)
    for match in slashes:
        if match.lastgroup == "csv_tail":
            slash = match.start()
            start = slash - 3 if text[slash - 3] == '"' else slash - 4  # '",5/' or '",10/'
            if start >= tail_end:
                yield start, None, "csv_tail", 0
                tail_end = text.index('"', slash) + 1


@per_cable
def dump_rows(ctx: Context) -> list[DumpRow]:
    """The database rows inside a cable's text (also used by T509: a row repeats the text)."""
    text = ctx.text
    rows: list[DumpRow] = []
    document = ctx.parsed.document
    covered = 0  # the fields after a separator belong to its row
    for start, reference_id, shape, until in sorted(_row_starts(text)):
        if start < covered:
            continue
        covered = max(covered, until)
        line = document.cable_line(start) - 1
        line_end = text.find("\n", start)
        rows.append(DumpRow(line, start, line_end if line_end >= 0 else len(text), reference_id, shape))
    return rows


@rule("W605", "embedded-dump-row", "error", "a raw database row (possibly of another cable) inside the text")
def embedded_dump_row(ctx: Context) -> Iterator[Violation]:
    """## What it does
    Reports a raw database record pasted into the cable's text: the ``<<220571>>`` separator of
    a dump followed by its fields one a line (date, ID, origin, classification), a row of
    ``cables.csv`` (``93207,1/19/2007 16:27,07THEHAGUE105,"Embassy The Hague",...``), a
    tab-separated row with ``\\``-escaped newlines (``22350<TAB>2004-11-02 18:31:00<TAB>
    04BOGOTA11339<TAB>...``), a record printed field by field (``refid: 05QUITO2057``). The
    message names the cable the row belongs to, which is sometimes another one.

    ## Why it matters
    The row's fields are not the cable's words, and a row of another cable mixes two cables into
    one: any statistic or search over the text is wrong, and the cable itself may be missing
    its own text.

    ## Example
    ```text
    UNCLAS SECTION 01 OF 03 KABUL 000941
    <<228441>>
    4/15/2009 10:31
    09KABUL941
    Embassy Kabul
    UNCLASSIFIED//FOR OFFICIAL USE ONLY
    1. (SBU) Summary: text.
    ```

    ```text
    x.txt:2:1: W605 [error] a raw database record of this cable (09KABUL941) inside the text:
        a dump's record separator "<<228441>>" and its fields
    ```

    ## Fix
    None: what belongs to the cable and what to the row must be decided by a person.
    """
    return capped(_dump_row_violations(ctx))


def _dump_row_violations(ctx: Context) -> Iterator[Violation]:
    """W605's findings, one a row (a line of a search site's rows, or of a csv file's body
    fields, holds thousands: they are capped)."""
    own = ctx.parsed.reference_id
    shapes = {
        "separator": "a dump's record separator and its fields",
        "csv": "a cables.csv row",
        "tsv": "a tab-separated row",
        "fields": "a record printed field by field",
        "lines": "a record's fields one a line (date, ID, origin, classification)",
        "csv_tail": "the end of a cables.csv body field and the next fields",
        "tags_row": "a search site's record (date, serial, tags, subject) after the text",
    }
    for row in dump_rows(ctx):
        if row.reference_id is None:
            whose = ""
        elif own is None or row.reference_id == own:
            whose = f" of this cable ({row.reference_id})"
        else:
            whose = f" of another cable, {row.reference_id},"
        shape = shapes[row.shape]
        if row.shape == "separator":
            shape = f'a dump\'s record separator "{ctx.text[row.start : row.end].strip()}" and its fields'
        yield Violation(f"a raw database record{whose} inside the text: {shape}", row.start, row.end)
