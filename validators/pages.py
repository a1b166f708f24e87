"""P3xx: page markers (``ASTANA 00002221  002.2 OF 003``): well-formed, this cable's, in order,
agreeing on the total and not stopping short of it."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from cableschema.parser import Item
from cableschema.rules import Context, Violation, rule

from ._shared import capped, id_is_odd_one_out, per_cable, post_matches, reference_id_parts


@dataclass(frozen=True)
class _Marker:
    item: Item
    page: int
    total: int
    suffix: str | None


@per_cable
def _own_markers(ctx: Context) -> list[_Marker]:
    """This cable's modern page markers (and near misses whose page and total read), in text
    order: those with the reference ID's serial, or the most common serial when there is no ID."""
    parts = ctx.parts
    candidates = [m for m in parts.page_markers if m.values["style"] == "modern"]
    candidates += [m for m in parts.malformed_markers if _readable(m)]
    if not candidates:
        return []
    candidates.sort(key=lambda m: m.start)
    ident = reference_id_parts(ctx)
    if ident is not None and id_is_odd_one_out(ctx) is None:
        serial = ident.serial
    else:
        serial = Counter(int(m.values["serial"]) for m in candidates).most_common(1)[0][0]
    return [
        _Marker(m, int(m.values["page"]), int(m.values["total"]), m.values.get("suffix"))
        for m in candidates
        if int(m.values["serial"]) == serial
    ]


def _readable(item: Item) -> bool:
    return bool(re.fullmatch(r"[0-9]{1,3}", str(item.values.get("page") or ""))) and bool(
        re.fullmatch(r"[0-9]{1,3}", str(item.values.get("total") or ""))
    )


def _marker_text(ctx: Context, item: Item) -> str:
    return " ".join(ctx.text[item.start : item.end].split())


@rule("P301", "page-marker-malformed", "error", "a line that is almost a page marker")
def page_marker_malformed(ctx: Context) -> Iterator[Violation]:
    """## What it does
    Reports lines that are almost a page marker: the post, an 8-digit serial, the page
    (``002``, ``001.2``), ``OF`` and the total, but with a part of the wrong width
    (``ASTANA 0002221 001.2 OF 003``), ``of`` in lower case, or ``0F`` for ``OF``.

    ## Why it matters
    Markers are how copies of a cable are checked for lost pages; a damaged marker is missed by
    every tool that strips markers, so it stays in the text as noise, and its page cannot be
    counted.

    ## Example
    ```text
    UNCLAS ASTANA 002221

    1. (SBU) Text.
    ASTANA 0002221  002.2 OF 003
    2. (SBU) Text.
    ```

    ```text
    x.txt:4:1: P301 [error] page marker 'ASTANA 0002221 002.2 OF 003' is malformed: the serial 0002221 has 7
    digits, not 8
    ```

    ## Fix
    None.
    """
    for item in ctx.parts.malformed_markers:
        values = item.values
        problems = []
        serial, page, total = str(values["serial"]), str(values["page"]), str(values["total"])
        if len(serial) != 8:
            problems.append(f"the serial {serial} has {len(serial)} digits, not 8")
        if len(page) != 3:
            problems.append(f"the page {page} has {len(page)} digits, not 3")
        if len(total) != 3:
            problems.append(f"the total {total} has {len(total)} digits, not 3")
        if values.get("of") != "OF":
            problems.append(f"{values.get('of')!r} is written for OF")
        if not problems:
            problems.append("its parts are not post, serial, page, OF and total")
        yield Violation(
            f"page marker {_marker_text(ctx, item)!r} is malformed: {'; '.join(problems)}", item.start, item.end
        )


@rule("P302", "page-marker-mismatch", "error", "a marker's post or serial is not this cable's")
def page_marker_mismatch(ctx: Context) -> Iterator[Violation]:
    """## What it does
    Compares each page marker's post and serial with the reference ID: ``TBILISI 00002290`` is a
    marker of ``07TBILISI2290``. Cut posts (``UNVIE VIEN``, ``BUENOS AIR``) and aliases
    (``KYIV``/``KIEV``) match. Markers of another cable are reported once per cable, at the
    first of them, with how many there are.

    ## Why it matters
    Another cable's markers mean another cable's pages are in the text: a dump of the next
    cable, a quoted cable, or a page that was pasted into the wrong file.

    ## Example
    ```text
    Reference ID Created Released Classification Origin
    07BERN881 2007-09-11 09:44 2011-08-30 01:44 SECRET Embassy Bern

    S E C R E T SECTION 01 OF 02 BERN 000881

    1. (S) Text.
    BERN 00000881  002 OF 002
    2. (S) Text.
    TBILISI 00002290  002 OF 006
    3. Text.
    ```

    ```text
    x.txt:9:1: P302 [error] page marker 'TBILISI 00002290 002 OF 006' is not this cable's (07BERN881): it
    names TBILISI 2290 (1 marker)
    ```

    ## Fix
    None.
    """
    ident = reference_id_parts(ctx)
    if ident is None or id_is_odd_one_out(ctx) is not None:
        return
    foreign: dict[tuple[str, int], list[Item]] = {}
    for item in ctx.parts.page_markers:
        if item.values["style"] != "modern":
            continue
        serial = int(item.values["serial"])
        post = str(item.values["post"])
        if serial == ident.serial and post_matches(post, ident.post):
            continue
        foreign.setdefault((post, serial), []).append(item)
    for (post, serial), items in foreign.items():
        first = items[0]
        count = f"{len(items)} marker{'s' if len(items) != 1 else ''}"
        if serial == ident.serial:
            message = f"page marker {_marker_text(ctx, first)!r} names post {post}, not {ident.post} ({count})"
            yield ctx.at_item(first, message, "post")
            continue
        yield Violation(
            f"page marker {_marker_text(ctx, first)!r} is not this cable's ({ident.canonical}): it names {post} "
            f"{serial} ({count})",
            first.start,
            first.end,
        )


def _first_page(markers: list[_Marker]) -> int:
    """Page 1 has a marker only in some cables (``001.2`` right after the SUBJECT block); the
    first marker is page 1 or page 2."""
    return 1 if markers[0].page == 1 else 2


@rule("P303", "page-sequence-broken", "error", "pages not consecutive: gap, repeat or out of order")
def page_sequence_broken(ctx: Context) -> Iterator[Violation]:
    """## What it does
    Walks this cable's page markers in text order and checks that the pages follow each other:
    ``002``, ``003``, ``004`` (page 1 has a marker, ``001.2``, only in some cables). Reports a
    gap at the marker after it, a page repeated, two pages swapped (once, at the first of them),
    and a page that goes back (pages that start over once, for a repeated block, are reported
    once).

    ## Why it matters
    A gap means a marker, or the page it opened, was lost; pages out of order mean the text was
    reassembled wrongly. Either way, the text between is not what was sent.

    ## Example
    ```text
    UNCLAS ASTANA 002221

    1. (SBU) Text.
    ASTANA 00002221  002 OF 004
    2. (SBU) Text.
    ASTANA 00002221  004 OF 004
    3. (SBU) Text.
    ```

    ```text
    x.txt:6:1: P303 [error] page 004 follows page 002: the marker of page 003 is missing
    ```

    ## Fix
    None.
    """
    return capped(_page_sequence_broken(ctx))


def _page_sequence_broken(ctx: Context) -> Iterator[Violation]:
    markers = _own_markers(ctx)
    if not markers:
        return
    expected = _first_page(markers)
    index = 0
    while index < len(markers):
        marker = markers[index]
        page = marker.page
        if page == expected:
            expected += 1
            index += 1
            continue
        following = markers[index + 1] if index + 1 < len(markers) else None
        if following is not None and page == expected + 1 and following.page == expected:
            yield Violation(
                f"pages {page:03d} and {following.page:03d} are out of order: page {page:03d}'s marker comes first",
                marker.item.start,
                marker.item.end,
            )
            expected += 2
            index += 2
            continue
        if page > expected:
            if index == 0:
                message = f"the first page marker is page {page:03d}: "
            else:
                message = f"page {page:03d} follows page {expected - 1:03d}: "
            missing = list(range(expected, page))
            if len(missing) == 1:
                message += f"the marker of page {missing[0]:03d} is missing"
            else:
                message += f"the markers of pages {missing[0]:03d} to {missing[-1]:03d} are missing"
        elif page == expected - 1:
            message = f"page {page:03d} is marked twice"
        else:
            message = f"page {page:03d} comes after page {expected - 1:03d}"
            if page == 1 or page == _first_page(markers):
                message += ": the pages start over (a repeated block of text?)"
        yield Violation(message, marker.item.start, marker.item.end)
        expected = page + 1
        index += 1


def _total(markers: list[_Marker]) -> int:
    return Counter(marker.total for marker in markers).most_common(1)[0][0]


@rule("P304", "page-total-inconsistent", "error", "markers disagree on the total, or page > total")
def page_total_inconsistent(ctx: Context) -> Iterator[Violation]:
    """## What it does
    Checks that this cable's page markers agree on the number of pages (``OF 003``) and that no
    page is beyond it (``TBILISI 00002290  006 OF 005``). A marker whose total is not the one
    most markers give is reported.

    ## Why it matters
    The total tells how long the cable is; markers that disagree come from different
    transmissions of the text, or were garbled, and the cable's completeness cannot be judged.

    ## Example
    ```text
    UNCLAS TBILISI 002290

    1. (U) Text.
    TBILISI 00002290  002 OF 005
    2. (U) Text.
    TBILISI 00002290  003 OF 005
    3. (U) Text.
    TBILISI 00002290  004 OF 006
    4. (U) Text.
    TBILISI 00002290  005 OF 005
    ```

    ```text
    x.txt:8:26: P304 [error] page marker 'TBILISI 00002290 004 OF 006' gives 006 pages, the others 005
    ```

    ## Fix
    None.
    """
    return capped(_page_total_inconsistent(ctx))


def _page_total_inconsistent(ctx: Context) -> Iterator[Violation]:
    markers = _own_markers(ctx)
    if not markers:
        return
    total = _total(markers)
    for marker in markers:
        item = marker.item
        if marker.total != total:
            yield ctx.at_item(
                item,
                f"page marker {_marker_text(ctx, item)!r} gives {marker.total:03d} pages, the others {total:03d}",
                "total",
            )
        elif marker.page > marker.total:
            yield ctx.at_item(
                item, f"page marker {_marker_text(ctx, item)!r}: page {marker.page:03d} is beyond the total", "page"
            )


@rule("P305", "pages-missing-at-end", "error", "the last page seen is below the total")
def pages_missing_at_end(ctx: Context) -> Iterator[Violation]:
    """## What it does
    Checks that the last page marker of the cable is its last page: ``003 OF 003``. When the
    last marker seen is below the total and the cable does not end with its signature, the
    pages after it were lost (a copy cut at a page break, a last page that failed to load).
    A cable that ends with its signature lost only a marker, not pages, and is not reported.

    ## Why it matters
    The end of a cable holds its comment and conclusions; a copy that silently lost them reads
    as complete.

    ## Example
    ```text
    UNCLAS ASTANA 002221

    ASTANA 00002221  001.2 OF 003
    1. (SBU) Text.
    ASTANA 00002221  002.2 OF 003
    2. (SBU) Text of page two that goes on and
    ```

    ```text
    x.txt:5:1: P305 [error] the last page marker is page 002 of 003: page 003 is missing at the end
    ```

    ## Fix
    None.
    """
    markers = _own_markers(ctx)
    if not markers:
        return
    total = _total(markers)
    last = markers[-1]
    if last.page >= total or last.total != total:
        return
    signature = ctx.parts.signature
    if signature is not None and signature.start > last.item.end:
        return
    missing = (
        f"page {total:03d} is missing"
        if last.page + 1 == total
        else f"pages {last.page + 1:03d} to {total:03d} are missing"
    )
    yield Violation(
        f"the last page marker is page {last.page:03d} of {total:03d}: {missing} at the end",
        last.item.start,
        last.item.end,
    )
