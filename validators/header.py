"""H2xx: the header (routing, DTG, classification signal, addressees) and the caption block
(classification line, E.O., TAGS, SUBJECT) checked against each other and the release metadata."""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterator

from cableschema import _regex, grammar, vocab
from cableschema.parser import Item
from cableschema.rules import Context, Violation, rule

from ._shared import (
    KNOWN_ORDERS,
    LEVEL_NAMES,
    cable_class,
    capped,
    created_iso,
    id_is_odd_one_out,
    level_of_classification,
    post_matches,
    reference_id_parts,
)

#: The release's only cable before 1972 (66BUENOSAIRES2481, 1966) predates the E.O., TAGS and
#: SUBJECT lines; from 1972 on every telegram carries them.
_FIRST_CAPTIONED_YEAR = 1972

#: ``rest`` ends at the line's last non-blank (``(?:.*\S)?``), where the lazy ``.*?`` before ``\s*$``
#: ended it too, without trying ``\s*$`` after each character of a long run of blanks.
_DE_PIECES = _regex.compile(r"^DE\s+(?P<indicator>\S+)?\s*(?P<serial>#\S*)?\s*(?P<rest>(?:.*\S)?)\s*$")
_PRECEDENCE_NAMES = {"Z": "FLASH", "O": "IMMEDIATE", "P": "PRIORITY", "R": "ROUTINE"}
_SIGNAL_LEVELS = {"U": 0, "E": 0, "C": 1, "S": 2, "T": 3}
_DTG_PIECES = _regex.compile(
    r"^(?P<precedence>[A-Z](?:\s+[A-Z])?)\s+(?P<digits>\S+?)(?P<z>Z?)\s+(?P<month>\S+)\s+(?P<year>\S+)"
)


def _has_caption_block(ctx: Context) -> bool:
    """The cable shows the caption block of a modern telegram (classification line, E.O.,
    TAGS or SUBJECT): a cable whose TAGS or SUBJECT can be expected."""
    parts = ctx.parts
    return bool(parts.caption or parts.eo or parts.tags or parts.subject)


def _first_body_line(ctx: Context) -> int:
    """Where a missing caption-block line is reported: the first line after the header."""
    parts = ctx.parts
    index = max(parts.header.end_line, parts.cable_start_line)
    while index < parts.cable_end_line - 1 and not parts.lines[index].strip():
        index += 1
    return min(index, len(parts.lines) - 1)


def _line_of_item_span(ctx: Context, item: Item, needle: str) -> tuple[int, int]:
    """Offsets of ``needle`` inside an item's text (the item's whole span when absent)."""
    found = ctx.text.find(needle, item.start, item.end)
    if found < 0:
        return item.start, item.end
    return found, found + len(needle)


# -- routing line -----------------------------------------------------------------------------------


@rule("H201", "routing-line-malformed", "error", "DE line not DE <RI> #<SSSS>[/<NN>] <JJJHHMM>")
def routing_line_malformed(ctx: Context) -> Iterator[Violation]:
    """## What it does
    Checks the routing line (ACP-127 format line 3) of the header: ``DE``, the originating
    station's routing indicator (4 to 7 letters), ``#`` and the station serial number (4 digits),
    an optional section (``/01``), then the day of the year and time of transmission (7 digits,
    ``2260837``).

    ## Why it matters
    The DE line carries the serial and transmission time that tie a text to its reference ID and
    DTG. A garbled DE line cannot be checked against them and marks a damaged header.

    ## Example
    ```text
    DE RUEHTA #22X1/01 2260837
    R 140837Z AUG 07
    FM AMEMBASSY ASTANA
    TO RUEHC/SECSTATE WASHDC 0383

    UNCLAS ASTANA 002221
    ```

    ```text
    x.txt:1:11: H201 [error] routing line 'DE RUEHTA #22X1/01 2260837' is malformed: the serial
    '#22X1/01' is not # and four digits with an optional /section
    ```

    ## Fix
    None: the right values are not in the line.
    """
    de = ctx.parts.header.de
    if de is None or de.values.get("indicator"):
        return
    line = ctx.text[de.start : de.end]
    pieces = _DE_PIECES.match(line)
    problem = "it is not DE, a routing indicator, #serial and the day and time"
    start, end = de.start, de.end
    if pieces is not None:
        indicator, serial, rest = pieces.group("indicator"), pieces.group("serial"), pieces.group("rest")
        bad = None
        if not indicator or not re.fullmatch(r"[A-Z]{4,7}", indicator):
            problem = f"the routing indicator {indicator or '(none)'!r} is not 4 to 7 capital letters"
            bad = "indicator"
        elif not serial or not re.fullmatch(r"#[0-9]{4}(?:/[0-9]{2,3})?", serial):
            problem = f"the serial {serial or '(none)'!r} is not # and four digits with an optional /section"
            bad = "serial"
        elif not re.fullmatch(r"[0-9]{7}", rest):
            problem = f"the day and time {rest or '(none)'!r} is not 7 digits (day of the year, then HHMM)"
            bad = "rest"
        if bad is not None and pieces.group(bad):
            start, end = de.start + pieces.start(bad), de.start + pieces.end(bad)
    yield Violation(f"routing line {line.strip()!r} is malformed: {problem}", start, end)


@rule("H202", "routing-serial-mismatch", "error", "DE #SSSS is not the ID serial (mod 10,000)")
def routing_serial_mismatch(ctx: Context) -> Iterator[Violation]:
    """## What it does
    Compares the station serial of the DE line (``DE RUEHTA #2221``) with the serial of the
    reference ID (``07ASTANA2221``): they are the same number, the DE line keeping its last four
    digits. Six-digit serials are compared only for State cables (other senders, such as the
    Secretary's delegation, number their transmissions separately).

    ## Why it matters
    A different serial means the header belongs to another cable, or that a digit was changed
    in the ID or the header.

    ## Example
    ```text
    Reference ID Created Released Classification Origin
    07ASTANA2221 2007-08-14 08:37 2011-08-30 01:44 UNCLASSIFIED Embassy Astana

    DE RUEHTA #2212/01 2260837
    R 140837Z AUG 07
    ```

    ```text
    x.txt:4:12: H202 [error] DE serial #2212 but reference ID serial 2221
    ```

    ## Fix
    None: which of the two is wrong is not known.
    """
    de = ctx.parts.header.de
    if de is None or not de.values.get("serial"):
        return
    parts = reference_id_parts(ctx)
    if parts is None or (parts.serial >= 10000 and parts.post != "STATE"):
        return
    printed = de.values["serial"]
    if int(printed) == parts.serial % 10000:
        return
    if id_is_odd_one_out(ctx) is not None:
        return  # the ID is wrong, not the header: M103
    name = "reference ID" if parts.well_formed else f"reference ID (as {parts.canonical})"
    yield ctx.at_item(de, f"DE serial #{printed} but {name} serial {parts.serial}", "serial")


@rule("H203", "routing-time-mismatch", "warning", "DE day-of-year/time inconsistent with the DTG")
def routing_time_mismatch(ctx: Context) -> Iterator[Violation]:
    """## What it does
    Compares the DE line's day of the year and time (``2260837``: day 226, 08:37) with the DTG
    (``140837Z AUG 07``: 14 August 2007 is day 226). The message is transmitted at or after the
    DTG: the same minute or up to two days later (``DE ... 3011247`` for ``271649Z OCT 09`` is
    real: sent the next day). Earlier, or later than that, is reported.

    ## Why it matters
    The two come from the same transmission; when they disagree a digit was changed, or the
    header lines come from different messages.

    ## Example
    ```text
    DE RUEHTA #2221/01 2250837
    R 140837Z AUG 07
    ```

    ```text
    x.txt:1:20: H203 [warning] DE day 225 time 0837 (2007-08-13 08:37) is 1 day before the DTG
    140837Z AUG 07 (day 226)
    ```

    ## Fix
    None.
    """
    header = ctx.parts.header
    de, dtg = header.de, header.dtg
    if de is None or dtg is None or not de.values.get("julian_day") or not dtg.values.get("timestamp"):
        return
    sent = _dt.datetime.fromisoformat(dtg.values["timestamp"])
    day, time = int(de.values["julian_day"]), de.values["time"]
    hour, minute = int(time[:2]), int(time[2:])
    if not 1 <= day <= 366 or hour > 23 or minute > 59:
        yield ctx.at_item(de, f"DE day {de.values['julian_day']} time {time} is not a day of the year and time")
        return

    def reading(year: int) -> _dt.datetime | None:
        try:
            return _dt.datetime(year, 1, 1, hour, minute) + _dt.timedelta(days=day - 1)
        except (ValueError, OverflowError):
            return None

    # The DE day is read in the DTG's year, or the next one for a DTG at the year's end. Within
    # two days after the DTG (most cables) the DTG's year is the closest reading, the next year's
    # a year away: it is not made.
    same_year = reading(sent.year)
    if same_year is not None and 0 <= (same_year - sent).total_seconds() / 60 <= 2 * 1440:
        return
    candidates = [c for c in (same_year, reading(sent.year + 1)) if c is not None]
    moment = min(candidates, key=lambda c: abs((c - sent).total_seconds()))
    delta = (moment - sent).total_seconds() / 60
    if 0 <= delta <= 2 * 1440:
        return
    doy = sent.timetuple().tm_yday
    raw = " ".join(str(dtg.values.get("raw", "")).split()[-3:])
    days = abs(moment.date() - sent.date()).days
    if days:
        relation = f"{days} day{'s' if days != 1 else ''} {'after' if delta > 0 else 'before'}"
    else:
        relation = f"{abs(round(delta))} minutes before"
    message = (
        f"DE day {de.values['julian_day']} time {time} ({moment:%Y-%m-%d %H:%M}) is {relation} the DTG {raw} "
        f"(day {doy:03d})"
    )
    spans = de.values.get("_spans") or {}
    if "julian_day" in spans:
        base = ctx.parts.line_starts[de.line]
        yield Violation(message, base + spans["julian_day"][0], base + spans["time"][1])
    else:
        yield ctx.at_item(de, message)


# -- DTG and precedence -----------------------------------------------------------------------------


def _dtg_problem(raw: str) -> str:
    pieces = _DTG_PIECES.match(raw)
    if pieces is None:
        return "it is not precedence, DDHHMMZ, month and year"
    digits, month, year = pieces.group("digits"), pieces.group("month"), pieces.group("year")
    if not re.fullmatch(r"[0-9]{6}", digits):
        return f"{digits!r} is not six digits (day, hour, minute)"
    if not pieces.group("z"):
        return f"the Z after {digits} is missing"
    if month.upper() not in grammar.MONTHS:
        return f"{month!r} is not a month"
    if not re.fullmatch(r"[0-9]{2}", year):
        return f"{year!r} is not a two-digit year"
    day, hour, minute = int(digits[:2]), int(digits[2:4]), int(digits[4:])
    if hour > 23 or minute > 59:
        return f"{digits[2:]} is not a time of day"
    return f"day {day:02d} is not a day of {month.upper()} {year}"


@rule("H204", "dtg-malformed", "error", "precedence/DTG line does not parse")
def dtg_malformed(ctx: Context) -> Iterator[Violation]:
    """## What it does
    Checks the precedence and date-time group line (``R 140837Z AUG 07``): precedence letter(s),
    day, hour and minute, ``Z``, a three-letter month, a two-digit year, and that it names a real
    time. A line in the DTG's place (after the routing lines, or before ``FM``) that does not
    read is reported with what is wrong.

    ## Why it matters
    The DTG is the cable's own timestamp; Created, the DE time and the DECL date are checked
    against it. A garbled DTG makes all of them unverifiable.

    ## Example
    ```text
    DE RUEHTA #2221/01 2260837
    R 14O837Z AUG 07
    FM AMEMBASSY ASTANA
    ```

    ```text
    x.txt:2:1: H204 [error] DTG line 'R 14O837Z AUG 07' does not parse: '14O837' is not six digits
    (day, hour, minute)
    ```

    ## Fix
    None.
    """
    dtg = ctx.parts.header.dtg
    if dtg is None:
        return
    values = dtg.values
    raw = str(values.get("raw") or ctx.text[dtg.start : dtg.end]).strip()
    if "timestamp" not in values:
        yield Violation(f"DTG line {raw!r} does not parse: {_dtg_problem(raw)}", dtg.start, dtg.end)
    elif values["timestamp"] is None:
        yield Violation(f"DTG {raw!r} names no real time: {_dtg_problem(raw)}", dtg.start, dtg.end)


@rule("H205", "precedence-invalid", "warning", "precedence not Z/O/P/R, or the doubled letter disagrees")
def precedence_invalid(ctx: Context) -> Iterator[Violation]:
    """## What it does
    Checks the precedence letters of the DTG line: ``Z`` (FLASH), ``O`` (IMMEDIATE), ``P``
    (PRIORITY) or ``R`` (ROUTINE), one for action and optionally one for information addressees
    (``P R 041820Z JAN 10``). The relay line before the DE line doubles the action precedence
    (``OO RUEHPA`` goes with ``O 041633Z FEB 09``); a different letter there is reported too.

    ## Why it matters
    Precedence is how urgent the cable was. A letter outside the four, or two lines that
    disagree, mean the header was garbled or assembled from two messages.

    ## Example
    ```text
    VZCZCXRO2938
    PP RUEHPA
    DE RUEHUJA #0203/01 0351633
    ZNY SSSSS ZZH
    O 041633Z FEB 09
    FM AMEMBASSY ABUJA
    ```

    ```text
    x.txt:2:1: H205 [warning] relay line precedence PP (PRIORITY) but the DTG line's precedence
    is O (IMMEDIATE)
    ```

    ## Fix
    None.
    """
    header = ctx.parts.header
    dtg = header.dtg
    if dtg is None or not dtg.values.get("precedence"):
        return
    letters = list(dtg.values["precedence"])
    bad = [letter for letter in letters if letter not in _PRECEDENCE_NAMES]
    if bad:
        yield Violation(
            f"precedence {' '.join(letters)} of the DTG line: {', '.join(bad)} is not Z, O, P or R "
            "(FLASH, IMMEDIATE, PRIORITY, ROUTINE)",
            dtg.start,
            dtg.start + len(" ".join(letters)),
        )
        return
    relay = header.relay
    if relay is None:
        return
    doubled = str(relay.values.get("precedence") or "")
    if len(doubled) == 2 and doubled[0] == doubled[1] and doubled[0] != letters[0]:
        yield Violation(
            f"relay line precedence {doubled} ({_PRECEDENCE_NAMES.get(doubled[0], '?')}) but the DTG line's "
            f"precedence is {letters[0]} ({_PRECEDENCE_NAMES[letters[0]]})",
            relay.start,
            relay.start + 2,
        )


# -- classification ---------------------------------------------------------------------------------


@rule(
    "H206",
    "transmission-classification-mismatch",
    "error",
    "ZNR UUUUU / ZNY CCCCC / ZNY SSSSS disagrees with Classification",
)
def transmission_classification_mismatch(ctx: Context) -> Iterator[Violation]:
    """## What it does
    Reads the classification signal of the header (ACP-127 format line 4): ``ZNR`` (unclassified)
    or ``ZNY`` (classified), then five letters for the level: ``UUUUU`` or ``EEEEE``
    unclassified, ``CCCCC`` confidential, ``SSSSS`` secret. Reports when the two parts disagree,
    or when the level disagrees with the release's Classification.

    ## Why it matters
    The signal is the transmission's own classification. A mismatch with the release's value
    means the cable was filed under the wrong classification, or the header is another
    message's; both mislead any filter on classification.

    ## Example
    ```text
    Reference ID Created Released Classification Origin
    09RPODUBAI349 2009-08-05 11:11 2011-08-30 01:44 SECRET//NOFORN Iran RPO Dubai

    DE RUEHDE #0349/01 2171125
    ZNY CCCCC ZZH
    O 051125Z AUG 09
    ```

    ```text
    x.txt:5:5: H206 [error] ZNY CCCCC (confidential) but the release classification is
    SECRET//NOFORN
    ```

    ## Fix
    None: which of the two is right is not known from the file.
    """
    signal = ctx.parts.header.signal
    if signal is None or not signal.values.get("level"):
        return
    kind, letters = str(signal.values["signal"]), str(signal.values["level"])
    start, end = _line_of_item_span(ctx, signal, letters)
    levels = {_SIGNAL_LEVELS.get(letter) for letter in letters}
    if None in levels or len(levels) != 1:
        yield Violation(
            f"classification signal {kind} {letters}: the letters are not five of U, E, C, S or T", start, end
        )
        return
    level = levels.pop()
    assert level is not None
    if (kind == "ZNR") != (level == 0):
        expected = "ZNR" if level == 0 else "ZNY"
        yield Violation(
            f"{kind} {letters}: {kind} is for {'unclassified' if kind == 'ZNR' else 'classified'} traffic, "
            f"{letters} needs {expected}",
            signal.start,
            end,
        )
        return
    release = ctx.document.metadata.classification
    expected_level = level_of_classification(release)
    if expected_level is None or expected_level == level:
        return
    yield Violation(
        f"{kind} {letters} ({LEVEL_NAMES[level].lower()}) but the release classification is {release}", start, end
    )


@rule("H207", "caption-classification-mismatch", "error", "body classification line disagrees with Classification")
def caption_classification_mismatch(ctx: Context) -> Iterator[Violation]:
    """## What it does
    Compares the classification line that opens the body (``UNCLAS``, ``C O N F I D E N T I A L``,
    ``S E C R E T``, also letter-spaced or lower-cased in newspaper versions) with the release's
    Classification: ``UNCLAS``/``UNCLASSIFIED`` go with both unclassified values,
    ``CONFIDENTIAL`` with ``CONFIDENTIAL`` and ``CONFIDENTIAL//NOFORN``, and so on.

    ## Why it matters
    The caption is the text's own classification. When the release says otherwise, the cable
    was filed under the wrong classification or the page holds another cable's text.

    ## Example
    ```text
    Reference ID Created Released Classification Origin
    09RPODUBAI349 2009-08-05 11:11 2011-08-30 01:44 SECRET//NOFORN Iran RPO Dubai

    C O N F I D E N T I A L SECTION 01 OF 03 RPO DUBAI 000349
    ```

    ```text
    x.txt:4:1: H207 [error] classification line says CONFIDENTIAL but the release classification
    is SECRET//NOFORN
    ```

    ## Fix
    None.
    """
    caption = ctx.parts.caption
    release = ctx.document.metadata.classification
    expected = level_of_classification(release)
    if caption is None or expected is None:
        return
    printed = str(caption.values["level"])
    level = level_of_classification(printed)
    if level is None or level == expected:
        return
    base = ctx.parts.line_starts[caption.line]
    begin, finish = caption.values.get("level_span") or (caption.start - base, caption.end - base)
    yield Violation(
        f"classification line says {printed} but the release classification is {release}", base + begin, base + finish
    )


@rule("H208", "caption-serial-mismatch", "error", "caption serial or post disagrees with the ID")
def caption_serial_mismatch(ctx: Context) -> Iterator[Violation]:
    """## What it does
    Compares the post and serial of the classification line (``UNCLAS SECTION 01 OF 06 TBILISI
    002290``) with the reference ID (``07TBILISI2290``): the serial is the ID's, zero-padded; the
    post is the ID's post written with spaces (``BUENOS AIRES``, ``RPO DUBAI``), also cut
    (``UNVIE VIEN``) or under an alias of the same post (``KIEV``/``KYIV``).

    ## Why it matters
    The caption is where WikiLeaks derived the ID from; a caption of another post or serial
    means the text is another cable's, or that a digit of the ID or caption was changed.

    ## Example
    ```text
    Reference ID Created Released Classification Origin
    07BERN881 2007-09-11 09:44 2011-08-30 01:44 SECRET Embassy Bern

    S E C R E T SECTION 01 OF 02 BERN 000818
    ```

    ```text
    x.txt:4:35: H208 [error] caption serial 000818 but reference ID serial 881
    ```

    ## Fix
    None.
    """
    caption = ctx.parts.caption
    if caption is None or not caption.values.get("serial"):
        return
    parts = reference_id_parts(ctx)
    if parts is None or id_is_odd_one_out(ctx) is not None:
        return
    name = "reference ID" if parts.well_formed else f"reference ID (as {parts.canonical})"
    printed = str(caption.values["serial"])
    if int(printed) != parts.serial:
        yield ctx.at_item(caption, f"caption serial {printed} but {name} serial {parts.serial}", "serial")
    post = caption.values.get("post")
    if post and not post_matches(str(post), parts.post):
        yield ctx.at_item(caption, f"caption post {post} but {name} post {parts.post}", "post")


# -- E.O. line --------------------------------------------------------------------------------------


@rule("H209", "eo-line-invalid", "warning", "E.O. line missing or malformed")
def eo_line_invalid(ctx: Context) -> Iterator[Violation]:
    """## What it does
    Checks the executive-order line of the caption block: present in a cable that has the
    caption block of a modern telegram (classification line, TAGS, SUBJECT) and was written
    from 1972 on (the release's one cable of the 1960s has none); labelled ``E.O.`` (also
    ``EO``, ``E.o.``) with a classification order (11652, 12065, 12356, 12958, 13292, 13526);
    and followed by a value (``N/A``, ``DECL: 08/14/2017``, ``DECL: OADR``, exemption codes).

    ## Why it matters
    The E.O. line says under which order and until when the cable is classified. A missing or
    unreadable line hides that, and a wrong order number (``19528``) is a garbled copy.

    ## Example
    ```text
    UNCLAS SECTION 01 OF 04 BERLIN 001148

    E.O. 19528: N/A
    TAGS: PGOV GM
    SUBJECT: MEDIA REACTION
    ```

    ```text
    x.txt:3:6: H209 [warning] E.O. 19528 is not an executive order on classification (11652,
    12065, 12356, 12958, 13292 or 13526); did you mean 12958?
    ```

    ## Fix
    None.
    """
    parts = ctx.parts
    eo = parts.eo
    if eo is None:
        if not (parts.caption or parts.tags or parts.subject) or parts.header.partial is not None:
            return
        year = _cable_year(ctx)
        if year is not None and year < _FIRST_CAPTIONED_YEAR:
            return
        line = parts.tags.line if parts.tags is not None else _first_body_line(ctx)
        where = "before TAGS" if parts.tags is not None else "in the caption block"
        start, _ = ctx.line_span(line)
        yield Violation(f"no E.O. line {where} (E.O. 12958: DECL: ... or N/A expected)", start, start)
        return
    values = eo.values
    text = str(values.get("text") or "")
    if values.get("malformed"):
        yield ctx.at_item(
            eo, f"E.O. line {text!r} does not read: the label and order number (E.O. 12958:) are not there"
        )
        return
    label = str(values.get("label") or "")
    if "0" in label:
        yield ctx.at_item(eo, f"E.O. line label {label!r} has a zero for the letter O", "label")
    order = str(values.get("order") or "")
    if order not in KNOWN_ORDERS:
        nearest = min(KNOWN_ORDERS, key=lambda known: vocab.edit_distance(order, known))
        yield ctx.at_item(
            eo,
            f"E.O. {order} is not an executive order on classification (11652, 12065, 12356, 12958, 13292 "
            f"or 13526); did you mean {nearest}?",
            "order",
        )
        return
    if not values.get("na") and not values.get("decl"):
        yield ctx.at_item(eo, f"E.O. line {text!r} has no value: N/A or DECL: <date> expected")


def _cable_year(ctx: Context) -> int | None:
    parts = reference_id_parts(ctx)
    if parts is not None:
        return grammar.id_year(parts.yy)
    dtg = ctx.parts.header.dtg
    if dtg is not None and dtg.values.get("timestamp"):
        return int(str(dtg.values["timestamp"])[:4])
    return None


def _created(ctx: Context) -> _dt.date | None:
    iso = created_iso(ctx)
    if iso is not None:
        return _dt.date.fromisoformat(iso[:10])
    dtg = ctx.parts.header.dtg
    if dtg is not None and dtg.values.get("timestamp"):
        return _dt.date.fromisoformat(str(dtg.values["timestamp"])[:10])
    return None


@rule("H210", "eo-declassification-inconsistent", "warning", "N/A on a classified cable, DECL before Created")
def eo_declassification_inconsistent(ctx: Context) -> Iterator[Violation]:
    """## What it does
    Checks the E.O. line against the classification and the date: ``N/A`` (not classified) is for
    unclassified cables only, and a declassification date (``DECL: 08/14/2017``) lies after the
    cable was created (Created, or the DTG when there is no Created).

    ## Why it matters
    A classified cable marked ``N/A``, or one that was to be declassified before it was written,
    is an inconsistency of the original or a garbled E.O. line: either way its declassification
    cannot be trusted.

    ## Example
    ```text
    Reference ID Created Released Classification Origin
    09ASUNCION595 2009-09-22 15:03 2011-08-30 01:44 CONFIDENTIAL Embassy Asuncion

    C O N F I D E N T I A L ASUNCION 000595

    E.O. 12958: N/A
    TAGS: PGOV PA
    ```

    ```text
    x.txt:6:1: H210 [warning] E.O. 12958: N/A on a CONFIDENTIAL cable (a classified cable gives
    its DECL date)
    ```

    ## Fix
    None.
    """
    eo = ctx.parts.eo
    if eo is None or eo.values.get("malformed"):
        return
    values = eo.values
    klass = cable_class(ctx)
    if values.get("na") and klass is not None and klass.level > 0:
        yield ctx.at_item(
            eo, f"E.O. {values.get('order')}: N/A on a {klass.name} cable (a classified cable gives its DECL date)"
        )
        return
    decl_date = values.get("decl_date")
    created = _created(ctx)
    if decl_date and created is not None and _dt.date.fromisoformat(str(decl_date)) < created:
        yield ctx.at_item(eo, f"DECL {values.get('decl')} is before the cable was created ({created.isoformat()})")


# -- TAGS, SUBJECT ----------------------------------------------------------------------------------


@rule("H211", "tags-missing", "warning", "no TAGS line")
def tags_missing(ctx: Context) -> Iterator[Violation]:
    """## What it does
    Reports a cable with no TAGS line (``TAGS: PGOV PREL KZ``; also ``TAGS PREL`` without colon,
    the label typos ``TAG``, ``TAGE``, ``TAS``, ``TGS``). Only cables with a text are checked (a
    failed scrape is E002's), from 1972 on (the release's one cable of the 1960s has none).

    ## Why it matters
    TAGS are the cable's subject index; the release's tag browsing and most analyses rely on
    them. Only two real cables have none: a copy without TAGS lost its caption block.

    ## Example
    ```text
    DE RUEHTA #2221/01 2260837
    R 140837Z AUG 07

    E.O. 12958: N/A
    REF: Astana 1906
    1. (SBU) Text.
    ```

    ```text
    x.txt:4:1: H211 [warning] no TAGS line after the E.O. line
    ```

    ## Fix
    None.
    """
    parts = ctx.parts
    if parts.tags is not None or not parts.is_cable:
        return
    year = _cable_year(ctx)
    if year is not None and year < _FIRST_CAPTIONED_YEAR:
        return
    if parts.eo is not None:
        yield ctx.at_item(parts.eo, "no TAGS line after the E.O. line")
    else:
        start, _ = ctx.line_span(_first_body_line(ctx))
        yield Violation("no TAGS line in the caption block", start, start)


#: Tags after which the TAGS line names people (``OVIP CLINTON HILLARY``).
_PERSON_TAGS = frozenset({"OVIP", "OREP", "CODEL", "PINR", "KPAO", "OPDC", "PREL"})
_VOWELS = frozenset("AEIOUY")


@rule("H212", "tag-unknown", "info", "a tag outside the vocabulary and not a person tag")
def tag_unknown(ctx: Context) -> Iterator[Violation]:
    """## What it does
    Checks the TAGS entries that are certainly not tags: known tags run together
    (``PRELPTER``, ``KNNPMNUC``), a known tag with a letter doubled or added (``POGOV``,
    ``MOPPS``), and plain words (``AFFAIRS``, ``TERRORISM``: multi-word subjects split into
    words). The vocabulary (96 subject tags, program tags, 590 organizations, the geographic tags
    seen in the release) is incomplete, so other unknown short codes are not reported, nor are
    person tags (``OVIP (STEINBERG, JAMES B.)``, names after ``OVIP``).

    ## Why it matters
    Concatenated and misspelled tags put cables under tags nobody searches for, and hide them
    from the tags they meant.

    ## Example
    ```text
    UNCLAS ASTANA 002221

    E.O. 12958: N/A
    TAGS: POGOV PRELPTER KZ
    ```

    ```text
    x.txt:4:7: H212 [info] tag POGOV is not a known tag (did you mean PGOV?)
    x.txt:4:13: H212 [info] tag PRELPTER is the tags PREL and PTER run together
    ```

    ## Fix
    None.
    """
    return capped(_tag_unknown(ctx))


def _tag_unknown(ctx: Context) -> Iterator[Violation]:
    known = vocab.tags()
    people = False
    for item in ctx.parts.tag_items:
        value = str(item.values.get("value") or "")
        if value in known:
            people = value in _PERSON_TAGS
            continue
        if not value.isalpha() or not value.isupper() or people:
            continue
        pieces = _split_tags(value, known)
        if pieces:
            yield Violation(
                f"tag {value} is the tags {', '.join(pieces[:-1])} and {pieces[-1]} run together", item.start, item.end
            )
            continue
        nearest = _nearest_tag(value, known)
        if nearest is not None:
            yield Violation(f"tag {value} is not a known tag (did you mean {nearest}?)", item.start, item.end)
        elif len(value) >= 6 and sum(char in _VOWELS for char in value) >= 2:
            yield Violation(f"tag {value} is a word, not a tag", item.start, item.end)


def _split_tags(value: str, known: dict[str, str]) -> list[str] | None:
    """``PRELPTER`` -> [PREL, PTER] when the value is known tags run together (2 to 4 of them)."""
    if len(value) < 6 or len(value) > 24:
        return None

    def split(rest: str, depth: int, short: bool) -> list[str] | None:
        if not rest:
            return []
        if depth == 4:
            return None
        # Subject and program tags have four letters; one two-letter country tag may join them.
        for size in (4, 2):
            head = rest[:size]
            if len(head) != size or head not in known or (size == 2 and short):
                continue
            tail = split(rest[size:], depth + 1, short or size == 2)
            if tail is not None:
                return [head, *tail]
        return None

    pieces = split(value, 0, False)
    return pieces if pieces and len(pieces) >= 2 else None


def _nearest_tag(value: str, known: dict[str, str]) -> str | None:
    """A known four-letter subject or program tag that ``value`` is with one letter doubled or
    added (``POGOV``, ``PGOVE``, ``MOPPS``); the vocabulary is too small to judge other shapes."""
    if len(value) != 5:
        return None
    for cut in range(5):
        candidate = value[:cut] + value[cut + 1 :]
        if known.get(candidate) in ("subject", "program"):
            return candidate
    return None


@rule("H213", "subject-missing", "warning", "no SUBJECT")
def subject_missing(ctx: Context) -> Iterator[Violation]:
    """## What it does
    Reports a cable with no SUBJECT line (``SUBJECT:``, ``SUBJ:``, ``Subject`` without colon), or
    one whose SUBJECT is empty. Cables from 1972 on are checked (the release's one cable of the
    1960s has none).

    ## Why it matters
    The subject is the cable's title: the release shows it as the page heading and every index
    lists it. Only a handful of real cables have none; a copy without SUBJECT lost its caption
    block.

    ## Example
    ```text
    DE RUEHTA #2221/01 2260837
    R 140837Z AUG 07

    E.O. 12958: N/A
    REF: Astana 1906
    1. (SBU) Text.
    ```

    ```text
    x.txt:4:1: H213 [warning] no SUBJECT line in the caption block
    ```

    ## Fix
    None.
    """
    parts = ctx.parts
    if not parts.is_cable:
        return
    if parts.subject is not None:
        if not parts.subject.values.get("value"):
            yield ctx.at_item(parts.subject, "the SUBJECT line is empty")
        return
    year = _cable_year(ctx)
    if year is not None and year < _FIRST_CAPTIONED_YEAR:
        return
    anchor = parts.eo or parts.tags
    line = anchor.line if anchor is not None else _first_body_line(ctx)
    start, _ = ctx.line_span(line)
    yield Violation("no SUBJECT line in the caption block", start, start)


@rule("H214", "header-incomplete", "warning", "routing/DTG present but FM/TO lines lost")
def header_incomplete(ctx: Context) -> Iterator[Violation]:
    """## What it does
    Reports a header that has its routing line or its DTG but lost the addressing lines: ``FM``
    (the sender) and ``TO`` (the action addressees; ``INFO`` alone also counts). Partial-extract
    cables, whose header is the WikiLeaks banner, are exempt.

    ## Why it matters
    Sender and addressees say who wrote to whom. A header cut after the DTG was damaged by a
    scrape or a copy-and-paste.

    ## Example
    ```text
    DE RUEHTA #2221/01 2260837
    R 140837Z AUG 07

    E.O. 12958: N/A
    ```

    ```text
    x.txt:2:1: H214 [warning] the header has the DE line and the DTG but no FM and no TO line
    ```

    ## Fix
    None.
    """
    header = ctx.parts.header
    if header.partial is not None or (header.de is None and header.dtg is None):
        return
    missing = []
    if header.fm is None:
        missing.append("FM")
    if not header.to and not header.info:
        missing.append("TO")
    if not missing:
        return
    present = [name for name, item in (("the DE line", header.de), ("the DTG", header.dtg)) if item is not None]
    anchor = header.dtg or header.de
    assert anchor is not None
    lost = " and no ".join(missing)
    yield Violation(f"the header has {' and '.join(present)} but no {lost} line", anchor.start, anchor.end)
