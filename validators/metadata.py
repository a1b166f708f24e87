"""M1xx: the reference ID and the release metadata (Created, Released, Classification, Origin)."""

from __future__ import annotations

import datetime as _dt
import functools
import re
from collections import defaultdict
from collections.abc import Iterator, Sequence

from cableschema import _regex, grammar, vocab
from cableschema.readers.text import reference_id_from_filename
from cableschema.rules import Context, CorpusEntry, CorpusViolation, Violation, rule

from ._shared import created_iso, id_is_odd_one_out, reference_id_parts

#: Caption and handling words that WikiLeaks' ID derivation glued into the post token.
_GLUED_PREFIXES = ("EFTO", "AMEMBASSY", "NOFORN", "SIFIED", "FSC", "USMISSION", "AMCONSUL")
_SECTION_FRAGMENT = _regex.compile(r"^(?:S?E?C?T?I?O?N?|SECTIO?N?)[0-9A-Z]{0,2}O?F[0-9]{1,2}", re.I)


def _describe(reference_id: str) -> str | None:
    """What is wrong with an ID's shape, or None when it is ``YY`` + post + serial."""
    if grammar.REFERENCE_ID.match(reference_id):
        return None
    if not re.match(r"^[0-9]{2}", reference_id):
        return "it does not start with a two-digit year"
    if re.match(r"^[0-9]{4}", reference_id):
        return "the year is doubled or four digits long"
    rest = reference_id[2:]
    if not re.search(r"[0-9]$", reference_id):
        return "the serial number is missing"
    post = re.match(r"^[A-Z]*", rest).group()  # type: ignore[union-attr]
    serial = rest[len(post) :]
    if not post:
        return "the post is missing"
    if serial.startswith("0"):
        return f"the serial {serial} has leading zeros"
    if not serial.isdigit():
        return f"'{serial}' after the post {post} is not a serial number"
    if len(post) < 4 or len(post) > 17:
        return f"the post token {post} is {len(post)} letters long (4 to 17 expected)"
    return "it is not two digits, a post and a serial"


def _glued_post(post: str) -> tuple[str, str] | None:
    """``EFTOKABUL`` -> (``EFTO``, ``KABUL``) when a caption word is glued before a known post."""
    known = vocab.origins()
    for prefix in _GLUED_PREFIXES:
        if post.startswith(prefix) and post[len(prefix) :] in known:
            return prefix, post[len(prefix) :]
    return None


@rule("M101", "reference-id-malformed", "error", "ID not YY + post + serial")
def reference_id_malformed(ctx: Context) -> Iterator[Violation]:
    """## What it does
    Checks that the reference ID is a two-digit year, a post token of 4 to 17 letters and a serial
    number without leading zeros (``07ASTANA2221``). IDs that WikiLeaks derived from a garbled
    caption line, with ``EFTO``, ``AMEMBASSY`` or ``SECTION 01 OF 02`` glued in, are reported
    too. The 203 malformed IDs known from the release are recognised and the ID that would be
    correct is given. A record (JSON, JSON Lines, CSV) whose ID is null, a number, an object or
    empty is reported, as is one that gives other release metadata and no ID, and a cable
    document (``parse --format json``) without ``reference_id``.

    ## Why it matters
    The reference ID is the key of every cable: links, citations and de-duplication rely on it.
    A malformed ID breaks joins with other copies of the same cable.

    ## Example
    ```text
    Reference ID Created Released Classification Origin
    10EFTOKABUL668 2010-02-20 10:10 2011-08-30 01:44 UNCLASSIFIED//FOR OFFICIAL USE ONLY Embassy Kabul

    UNCLAS KABUL 000668
    ```

    ```text
    x.txt:2:1: M101 [error] reference ID 10EFTOKABUL668 is malformed: 'EFTO' is glued before
    the post KABUL; known malformed release ID, the correct ID is 10KABUL668
    ```

    ## Fix
    None: the release published the cable under this ID, so the ID is reported, not rewritten.
    """
    metadata = ctx.document.metadata
    reference_id = metadata.reference_id
    if not reference_id:
        held = metadata.unusable.get("reference_id")
        if held == "missing":
            yield ctx.at_metadata("reference_id", "the record gives release metadata but no reference ID")
        elif held is not None:
            yield ctx.at_metadata("reference_id", f"the record's reference ID is {held}, not an ID")
        elif ctx.document.format == "cable-json":
            yield ctx.at_metadata("reference_id", "the cable document has no reference_id")
        return
    known = vocab.malformed_ids().get(reference_id)
    problem = _describe(reference_id)
    if problem is None:
        match = grammar.REFERENCE_ID.match(reference_id)
        assert match is not None
        glued = _glued_post(match.group(2))
        if glued is not None:
            problem = f"'{glued[0]}' is glued before the post {glued[1]}"
        elif known is None:
            return  # a well-shaped ID with an unknown post is M102's
    if problem is None and known is not None and not _is_misspelled_post(reference_id):
        problem = "it is a known malformed ID of the release"
    if problem is None:
        return
    message = f"reference ID {reference_id} is malformed: {problem}"
    if known is not None:
        twin = "its correct twin is also in the release" if known.has_twin else "no twin is in the release"
        message += f"; known malformed release ID, the correct ID is {known.canonical} ({twin})"
    if ctx.document.metadata.reference_id_from == "filename":
        message += " (taken from the file name)"
    yield ctx.at_metadata("reference_id", message)


def _is_misspelled_post(reference_id: str) -> bool:
    """A well-shaped known-malformed ID whose post is a misspelling (M102 reports those)."""
    match = grammar.REFERENCE_ID.match(reference_id)
    return bool(match) and match.group(2) not in vocab.origins() and _glued_post(match.group(2)) is None  # type: ignore[union-attr]


@rule("M106", "classification-unknown", "error", "not one of the six release classifications")
def classification_unknown(ctx: Context) -> Iterator[Violation]:
    """## What it does
    Checks that the release classification is one of the six of the release: ``UNCLASSIFIED``,
    ``UNCLASSIFIED//FOR OFFICIAL USE ONLY``, ``CONFIDENTIAL``, ``CONFIDENTIAL//NOFORN``, ``SECRET``,
    ``SECRET//NOFORN``. On cablegate pages the value is the link text; the link's ``title``
    attribute is wrong on almost every page and is never used.

    ## Why it matters
    Classification drives filtering and statistics. A scraper that took the ``title`` attribute,
    lower-cased or truncated the value produces numbers that do not add up.

    ## Example
    ```jsonl
    {"reference_id": "07ASTANA2221", "classification": "SECRET//NOFRN", "body": "1. (S) Text."}
    ```

    ```text
    x.jsonl:1:53: M106 [error] classification 'SECRET//NOFRN' is not one of the six of the release
    (did you mean SECRET//NOFORN?)
    ```

    ## Fix
    None: the right value is not certain from the text alone.
    """
    metadata = ctx.document.metadata
    value = metadata.classification
    if value is None:
        if ctx.document.format in _DATED_FORMATS and _has_release_metadata(ctx):
            yield _missing(ctx, "classification", "Classification")
        return
    if value in vocab.CLASSIFICATIONS:
        return
    message = f"classification {value!r} is not one of the six of the release"
    candidates = sorted(vocab.CLASSIFICATIONS, key=lambda c: vocab.edit_distance(value.upper(), c))
    if value.upper() in vocab.CLASSIFICATIONS:
        message += f" (it is {value.upper()} in other case)"
    elif vocab.edit_distance(value.upper(), candidates[0]) <= 3:
        message += f" (did you mean {candidates[0]}?)"
    yield ctx.at_metadata("classification", message)


@rule(
    "M108",
    "duplicate-reference-id",
    "warning",
    "the same ID twice in one run with different text",
    scope="corpus",
)
def duplicate_reference_id(entries: Sequence[CorpusEntry]) -> Iterator[CorpusViolation]:
    """## What it does
    Reports a reference ID that occurs more than once in a run with different body text. Bodies
    are compared with their whitespace removed, so re-wrapped copies count as the same, and so do
    copies whose line breaks were deleted (the JSON Lines batch: T507 reports those). Every copy
    after the first is reported, naming where the first one is.

    ## Why it matters
    The same ID can hold different texts: newspaper versions later replaced by the full text
    (08PARIS1698 grew from 4,991 to 31,538 characters), added or removed date lines, duplicate
    transmissions. A corpus keyed by ID silently keeps only one of them.

    ## Example
    ```text
    a/07BERN881.html:1:1: ...
    b/07BERN881.txt:1:1: M108 [warning] 07BERN881 also at a/07BERN881.html with different text
    ```

    ## Fix
    None: decide which copy to keep.
    """
    by_id: dict[str, list[CorpusEntry]] = defaultdict(list)
    for entry in entries:
        if entry.reference_id:
            by_id[entry.reference_id].append(entry)
    for reference_id, group in by_id.items():
        if len(group) < 2:
            continue
        first = group[0]
        seen_hashes = {first.text_hash}
        for entry in group[1:]:
            if entry.text_hash in seen_hashes:
                continue
            seen_hashes.add(entry.text_hash)
            where = first.path + (f" record {first.record}" if first.record else "")
            yield CorpusViolation(entry, f"{reference_id} also at {where} with different text")


# -- M102 M103 M104 M105 M107 M109 ------------------------------------------------------------------

#: The release spans these Created times (WikiLeaks: 28 Dec 1966 to 28 Feb 2010).
_FIRST_CREATED = _dt.datetime(1966, 12, 28)
_LAST_CREATED = _dt.datetime(2010, 2, 28, 23, 59, 59)
#: Containers that always carry a Created value.
_DATED_FORMATS = ("html", "jsonl", "csv", "page-text", "cable-json")


def _has_release_metadata(ctx: Context) -> bool:
    """The container gives the release's metadata: it has a reference ID, usable or not."""
    metadata = ctx.document.metadata
    return metadata.reference_id_from == "container" or "reference_id" in metadata.unusable


def _missing(ctx: Context, key: str, name: str) -> Violation:
    """A release-metadata value the container lacks, or holds as something other than text."""
    held = ctx.document.metadata.unusable.get(key)
    if held is None:
        return ctx.at_metadata("reference_id", f"the release metadata has no {name}")
    return ctx.at_metadata(key, f"the release metadata has no {name}: the record's value is {held}")


@functools.lru_cache(maxsize=1024)  # several rules read each cable's Created and Released
def _stamp(value: str | None) -> _dt.datetime | None:
    return _from_iso(grammar.iso_timestamp(value))


def _from_iso(iso: str | None) -> _dt.datetime | None:
    return _dt.datetime.fromisoformat(iso) if iso else None


def _created_stamp(ctx: Context) -> _dt.datetime | None:
    """:func:`_stamp` of the release's Created, its text read once a cable (:func:`created_iso`)."""
    return _from_iso(created_iso(ctx))


@rule("M102", "reference-id-unknown-post", "warning", "post token not in the known list; suggests the nearest")
def reference_id_unknown_post(ctx: Context) -> Iterator[Violation]:
    """## What it does
    Checks that the post token of a well-shaped reference ID is one of the 293 known post tokens
    (``ASTANA``, ``BUENOSAIRES``, ``USUNNEWYORK``, ``STATE``...). When it is not, the nearest
    known posts are suggested, and for the known malformed release IDs (``07SOIA828``) the ID
    that would be correct is given. Aliases of one post (``KIEV``/``KYIV``, ``TAIPEI``/
    ``AITTAIPEI``) are all known.

    ## Why it matters
    A misspelled post splits a post's cables in two and breaks joins on the ID: ``07SOIA828`` is
    the same cable as ``07SOFIA828``.

    ## Example
    ```text
    Reference ID Created Released Classification Origin
    07SOIA828 2007-04-12 14:02 2011-08-30 01:44 CONFIDENTIAL Embassy Sofia

    C O N F I D E N T I A L SOFIA 000828
    ```

    ```text
    x.txt:2:1: M102 [warning] reference ID 07SOIA828: post SOIA is not a known post (did you mean
    SOFIA?); known malformed release ID, the correct ID is 07SOFIA828 (its correct twin is also in
    the release)
    ```

    ## Fix
    None: the release published the cable under this ID.
    """
    reference_id = ctx.document.metadata.reference_id
    if not reference_id:
        return
    match = grammar.REFERENCE_ID.match(reference_id)
    if match is None:
        return  # not well-shaped: M101's
    post = match.group(2)
    if post in vocab.origins() or _glued_post(post) is not None:
        return
    nearest = vocab.nearest_posts(post)
    message = f"reference ID {reference_id}: post {post} is not a known post"
    if nearest:
        best = vocab.edit_distance(post, nearest[0])
        closest = [token for token in nearest if vocab.edit_distance(post, token) == best][:2]
        message += f" (did you mean {' or '.join(closest)}?)"
    known = vocab.malformed_ids().get(reference_id)
    if known is not None:
        twin = "its correct twin is also in the release" if known.has_twin else "no twin is in the release"
        message += f"; known malformed release ID, the correct ID is {known.canonical} ({twin})"
    if ctx.document.metadata.reference_id_from == "filename":
        message += " (taken from the file name)"
    yield ctx.at_metadata("reference_id", message)


@rule("M103", "reference-id-mismatch", "error", "the ID disagrees with the file name, caption line or page markers")
def reference_id_mismatch(ctx: Context) -> Iterator[Violation]:
    """## What it does
    Compares the reference ID given by the page or record with the file's name (when the file is
    named by an ID) and with the cable's own text. It reports the ID when the caption line, the
    page markers and the DE line agree with each other and not with the ID: the text belongs to
    another cable. When only one of them disagrees, H208, P302 or H202 reports that one instead.

    ## Why it matters
    A page that holds another cable's text, or a file saved under the wrong name, silently
    attaches one cable's text to another's ID, date and classification.

    ## Example
    ```text
    Reference ID Created Released Classification Origin
    09BANGKOK706 2009-03-17 10:10 2011-08-30 01:44 CONFIDENTIAL Embassy Bangkok

    C O N F I D E N T I A L SECTION 01 OF 03 TAIPEI 000320

    E.O. 12958: DECL: 03/17/2034
    TAGS: PREL TW
    SUBJECT: X

    1. (C) Text.
    TAIPEI 00000320  002 OF 003
    2. (C) Text.
    ```

    ```text
    x.txt:2:1: M103 [error] reference ID 09BANGKOK706 disagrees with the cable's text: the caption
    line and the page markers say TAIPEI 320
    ```

    ## Fix
    None: find the right text for the ID, or the right ID for the text.
    """
    metadata = ctx.document.metadata
    reference_id = metadata.reference_id
    if not reference_id:
        return
    if metadata.reference_id_from == "container" and ctx.document.record is None:
        named = reference_id_from_filename(ctx.document.path)
        if named and named != reference_id and grammar.REFERENCE_ID.match(named):
            yield ctx.at_metadata("reference_id", f"reference ID {reference_id} but the file name says {named}")
            return
    odd = id_is_odd_one_out(ctx)
    if odd is None:
        return
    _, evidence = odd
    sources = [e.source for e in evidence]
    named_by = (
        " and the ".join(sources) if len(sources) < 3 else ", the ".join(sources[:-1]) + " and the " + sources[-1]
    )
    printed = next((e for e in evidence if e.post), evidence[0])
    what = f"{printed.post} {printed.serial}" if printed.post else f"serial {printed.serial}"
    verb = "say" if len(evidence) > 1 else "says"
    yield ctx.at_metadata(
        "reference_id", f"reference ID {reference_id} disagrees with the cable's text: the {named_by} {verb} {what}"
    )


@rule("M104", "created-invalid", "error", "Created missing, unparseable or outside 1966-12-28 .. 2010-02-28")
def created_invalid(ctx: Context) -> Iterator[Violation]:
    """## What it does
    Checks the release's Created timestamp: present where the container always gives one (cable
    pages, JSON records, CSV rows, pasted page text), readable (``2007-08-14 08:37``,
    ``8/14/2007 8:37``), within the release's range (28 December 1966 to 28 February 2010) and in
    the year the reference ID names (``07...`` for 2007; a day's slack at New Year).

    ## Why it matters
    Created orders the corpus and drives every timeline. A value outside the release cannot be
    right; one in another year than its ID means the ID or the date was mangled.

    ## Example
    ```text
    Reference ID Created Released Classification Origin
    07ASTANA2221 2010-03-02 08:37 2011-08-30 01:44 UNCLASSIFIED Embassy Astana

    UNCLAS ASTANA 002221
    ```

    ```text
    x.txt:2:14: M104 [error] Created 2010-03-02 08:37 is after the last cable of the release
    (2010-02-28)
    ```

    ## Fix
    None: the right value is not in the file.
    """
    metadata = ctx.document.metadata
    value = metadata.created
    if value is None:
        if ctx.document.format in _DATED_FORMATS and _has_release_metadata(ctx):
            yield _missing(ctx, "created", "Created timestamp")
        return
    created = _created_stamp(ctx)
    if created is None:
        yield ctx.at_metadata("created", f"Created {value!r} is not a timestamp (YYYY-MM-DD HH:MM expected)")
        return
    if created < _FIRST_CREATED:
        yield ctx.at_metadata("created", f"Created {value} is before the first cable of the release (1966-12-28)")
        return
    if created > _LAST_CREATED:
        yield ctx.at_metadata("created", f"Created {value} is after the last cable of the release (2010-02-28)")
        return
    parts = reference_id_parts(ctx)
    if parts is None:
        return
    year = grammar.id_year(parts.yy)
    if created.year != year:
        boundary = _dt.datetime(max(created.year, year), 1, 1)
        if abs((created - boundary).total_seconds()) > 86400:
            yield ctx.at_metadata(
                "created", f"Created {value} is in {created.year} but reference ID {metadata.reference_id} says {year}"
            )


@rule("M105", "released-before-created", "error", "Released earlier than Created")
def released_before_created(ctx: Context) -> Iterator[Violation]:
    """## What it does
    Checks that the release timestamp (Released) is not earlier than the cable's creation
    (Created).

    ## Why it matters
    A cable cannot be released before it was written: one of the two values was swapped or
    mangled by the scrape, and date filters on either give wrong answers.

    ## Example
    ```text
    Reference ID Created Released Classification Origin
    07ASTANA2221 2007-08-14 08:37 2006-08-30 01:44 UNCLASSIFIED Embassy Astana

    UNCLAS ASTANA 002221
    ```

    ```text
    x.txt:2:31: M105 [error] Released 2006-08-30 01:44 is earlier than Created 2007-08-14 08:37
    ```

    ## Fix
    None: which of the two is wrong is not known from the file.
    """
    metadata = ctx.document.metadata
    created, released = _created_stamp(ctx), _stamp(metadata.released)
    if created is None or released is None or released >= created:
        return
    yield ctx.at_metadata("released", f"Released {metadata.released} is earlier than Created {metadata.created}")


@rule("M107", "created-dtg-mismatch", "warning", "Created differs from the DTG; says so when it is the HH:hh bug")
def created_dtg_mismatch(ctx: Context) -> Iterator[Violation]:
    """## What it does
    Compares Created with the cable's date-time group (``R 140837Z AUG 07`` is 2007-08-14
    08:37 UTC); they are equal in cables.csv and on the 2011 pages. When the date and hour agree
    and Created's minutes are the hour on a 12-hour clock (``09:09`` for ``110944Z``), the
    message says it is the early cablegate site's ``HH:hh`` bug (pages of November 2010 to about
    March 2011), not a wrong date.

    ## Why it matters
    A Created value that is not the DTG misorders cables and breaks joins with other copies. The
    early-site bug affects every page of those snapshots: its minutes must not be trusted.

    ## Example
    ```text
    Reference ID Created Released Classification Origin
    07ASTANA2221 2007-08-14 08:08 2011-08-30 01:44 UNCLASSIFIED Embassy Astana

    DE RUEHTA #2221/01 2260837
    R 140837Z AUG 07
    ```

    ```text
    x.txt:2:14: M107 [warning] Created 2007-08-14 08:08 but the DTG 140837Z AUG 07 is 2007-08-14
    08:37: the minutes are the hour on a 12-hour clock, the early cablegate site's HH:hh bug
    ```

    ## Fix
    None: take the time from the DTG.
    """
    metadata = ctx.document.metadata
    dtg = ctx.parts.header.dtg
    if dtg is None or not dtg.values.get("timestamp"):
        return
    created = _created_stamp(ctx)
    if created is None:
        return
    sent = _dt.datetime.fromisoformat(dtg.values["timestamp"])
    if created == sent:
        return
    raw = " ".join(str(dtg.values.get("raw", "")).split()[-3:])
    message = f"Created {metadata.created} but the DTG {raw} is {sent:%Y-%m-%d %H:%M}"
    if created.date() == sent.date() and created.hour == sent.hour and created.minute == (sent.hour % 12 or 12):
        message += ": the minutes are the hour on a 12-hour clock, the early cablegate site's HH:hh bug"
    else:
        minutes = round((created - sent).total_seconds() / 60)
        message += f" ({_describe_minutes(minutes)})"
    yield ctx.at_metadata("created", message)


def _describe_minutes(minutes: int) -> str:
    size = abs(minutes)
    if size < 120:
        amount = f"{size} minute{'s' if size != 1 else ''}"
    elif size < 2880:
        amount = f"{size // 60} hours"
    else:
        amount = f"{size // 1440} days"
    return f"{amount} {'later' if minutes > 0 else 'earlier'}"


@rule("M109", "origin-unknown", "info", "Origin display name not known")
def origin_unknown(ctx: Context) -> Iterator[Violation]:
    """## What it does
    Checks the release's Origin display value (``Embassy Astana``, ``Consulate Sao Paulo``,
    ``Secretary of State``) against the 275 names the release uses, and suggests the nearest.
    The release's own oddities (``Embasy Bonn``, ``** Dhahran``) are among the known names.

    ## Why it matters
    Origin is how cables are grouped by post. A name outside the release's list was mangled by a
    scrape (cut, re-cased, re-spelled) and splits that post's cables.

    ## Example
    ```text
    Reference ID Created Released Classification Origin
    07ASTANA2221 2007-08-14 08:37 2011-08-30 01:44 UNCLASSIFIED Embassy Astna

    UNCLAS ASTANA 002221
    ```

    ```text
    x.txt:2:61: M109 [info] Origin 'Embassy Astna' is not an origin name of the release (did you
    mean Embassy Astana?)
    ```

    ## Fix
    None: the right name is only a suggestion.
    """
    value = ctx.document.metadata.origin
    if not value:
        held = ctx.document.metadata.unusable.get("origin")
        if held is not None:
            yield ctx.at_metadata("origin", f"the record's Origin is {held}, not a name")
        return
    if value in vocab.origin_names():
        return
    message = f"Origin {value!r} is not an origin name of the release"
    nearest = _nearest_origin_name(value)
    if nearest is not None:
        message += f" (did you mean {nearest}?)"
    yield ctx.at_metadata("origin", message)


def _nearest_origin_name(value: str) -> str | None:
    best: tuple[int, str] | None = None
    for name in vocab.origin_names():
        if abs(len(name) - len(value)) > 4:
            continue
        distance = vocab.edit_distance(value.lower(), name.lower(), cutoff=4)
        if distance <= 4 and (best is None or (distance, name) < best):
            best = (distance, name)
    return best[1] if best else None
