"""The grammar of a cable: regular expressions and small pure helpers for its lines.

Every pattern here is anchored or bounded so that it runs in linear time on any input (no nested
unbounded quantifiers over the same characters); ``tests/test_hostile.py`` holds the proof on
pathological lines. Patterns are compiled once at import.
"""

from __future__ import annotations

import datetime as _dt
import re

from . import _regex

MONTHS = {
    m: i for i, m in enumerate(("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"), 1)
}

# -- reference IDs ----------------------------------------------------------------------------------

REFERENCE_ID = _regex.compile(r"^([0-9]{2})([A-Z]{4,17})([1-9][0-9]{0,6})$")
#: Anything shaped like an ID, however damaged: used to find IDs in file names and text.
REFERENCE_ID_LOOSE = _regex.compile(r"^[0-9]{2}[0-9A-Z]{2,40}?[0-9]*$")


def id_year(yy: str) -> int:
    """Two-digit ID year to a four-digit year: 66-99 are 19YY, 00-65 are 20YY."""
    value = int(yy)
    return 1900 + value if value >= 66 else 2000 + value


# -- release metadata ------------------------------------------------------------------------------

#: ``2007-08-14 08:37`` (cablegate pages) and ``2007-08-14 08:37:00`` (dump rows).
META_TIMESTAMP = _regex.compile(
    r"^\s*([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})[ T]([0-9]{1,2}):([0-9]{2})(?::([0-9]{2}))?\s*$"
)
#: ``8/14/2007 8:37`` (cables.csv).
CSV_TIMESTAMP = _regex.compile(r"^\s*([0-9]{1,2})/([0-9]{1,2})/([0-9]{4}) ([0-9]{1,2}):([0-9]{2})(?::([0-9]{2}))?\s*$")


def iso_timestamp(value: str | None) -> str | None:
    """A release timestamp in any known layout as ISO 8601, or None when it does not parse."""
    if value is None:
        return None
    match = META_TIMESTAMP.match(value)
    if match:
        y, mo, d, h, mi, s = match.groups()
    else:
        match = CSV_TIMESTAMP.match(value)
        if not match:
            return None
        mo, d, y, h, mi, s = match.groups()
    try:
        stamp = _dt.datetime(int(y), int(mo), int(d), int(h), int(mi), int(s or 0))
    except ValueError:
        return None
    if stamp.year < 1000:  # strftime's %Y does not pad such a year on every platform: kept as it was
        return stamp.strftime("%Y-%m-%dT%H:%M:%S")
    return stamp.isoformat()  # the same text, without strftime's format parsing (a quarter of the time)


# -- header (ACP-127 format lines) -----------------------------------------------------------------

PARTIAL_BANNER = _regex.compile(r"This record is a partial extract of the original cable", re.I)
TRANSMISSION_ID = _regex.compile(r"\bVZCZ[A-Z]{0,4}[0-9]{0,6}\b")
RELAY_LINE = _regex.compile(r"^(ZZ|OO|PP|RR|[ZOPR]{2})((?:\s+[A-Z]{4,8})+)\s*$")
DE_LINE_START = _regex.compile(r"^DE\s")
DE_LINE = _regex.compile(
    r"^DE\s+(?P<indicator>[A-Z]{4,7})\s+#(?P<serial>[0-9]{4})(?:/(?P<section>[0-9]{2,3}))?"
    r"\s+(?P<julian_day>[0-9]{3})(?P<time>[0-9]{4})\s*$"
)
SIGNAL_LINE = _regex.compile(r"^(?P<signal>ZN[RY])\s+(?P<level>[A-Z]{5})(?P<rest>(?:\s+[A-Z0-9]{2,6})*)\s*$")
SIGNAL_LINE_START = _regex.compile(r"^ZN[A-Z]\b")
DTG_LINE = _regex.compile(
    r"^(?P<precedence>[ZOPR](?:\s+[ZOPR])?)\s+(?P<day>[0-9]{2})(?P<hour>[0-9]{2})(?P<minute>[0-9]{2})Z"
    r"\s+(?P<month>[A-Za-z]{3})\s+(?P<year>[0-9]{2})(?:\s+(?P<signal>\S(?:.*\S)?))?\s*$"
)
#: A DTG line with any precedence letters (H205 reports those that are not Z, O, P or R).
DTG_LINE_ANY = _regex.compile(
    r"^(?P<precedence>[A-Z](?:\s+[A-Z])?)\s+(?P<day>[0-9]{2})(?P<hour>[0-9]{2})(?P<minute>[0-9]{2})Z"
    r"\s+(?P<month>[A-Za-z]{3})\s+(?P<year>[0-9]{2})(?:\s+(?P<signal>\S(?:.*\S)?))?\s*$"
)
#: A line that is trying to be a DTG line (precedence letter, digits, Z or a month): for H204.
DTG_LINE_LOOSE = _regex.compile(
    r"^[A-Z0-9](?:\s+[A-Z])?\s+[0-9OIlSZ]{2,8}(?:\s?[0-9OIlZ]{1,6})?\s*[A-Za-z]{3,9}\.?"
    # The blanks after the month are taken whole (\s*+): then the year, the year and a signal, or a
    # signal alone after at least one blank (the lookbehind), which is what the backtracking form
    # ``\s*[0-9OIl]{0,4}(?:\s+[A-Z0-9]{2,6})?\s*$`` accepts, without trying each split of a run.
    r"\s*+(?:[0-9OIl]{1,4}(?:\s++[A-Z0-9]{2,6})?|(?<=\s)[A-Z0-9]{2,6})?\s*$"
)
#: DTG glued to the partial-extract banner in JSON records: ``...not available.201247Z Jan 04``.
BARE_DTG = _regex.compile(
    r"(?<![0-9])(?P<day>[0-9]{2})(?P<hour>[0-9]{2})(?P<minute>[0-9]{2})Z\s+(?P<month>[A-Za-z]{3})\s+"
    r"(?P<year>[0-9]{2})\b"
)
#: The value ends at its last non-blank (``\S(?:.*\S)?``): the one end a lazy ``\S.*?`` before
#: ``\s*$`` finds too, found without trying ``\s*$`` after each character (a line with a long run
#: of blanks inside was quadratic). The DTG patterns above end their signal the same way.
FM_LINE = _regex.compile(r"^FM\s+(?P<value>\S(?:.*\S)?)\s*$")
TO_LINE = _regex.compile(r"^TO\s+(?P<value>\S(?:.*\S)?)\s*$")
INFO_LINE = _regex.compile(r"^INFO\s+(?P<value>\S(?:.*\S)?)\s*$")
#: Distribution lines of the 1990s "PAGE" header (``ACTION AF-00``, ``INFO LOG-00 NP-00``).
DISTRIBUTION_LINE = _regex.compile(r"^(?:ACTION|INFO)\s+[A-Z]{1,6}-[0-9]{2}\b")
BT_LINE = _regex.compile(r"^BT\s*$")


def dtg_timestamp(day: str, hour: str, minute: str, month: str, year: str) -> str | None:
    """The parts of a DTG as an ISO timestamp, or None when they name no real time."""
    month_number = MONTHS.get(month.upper())
    if month_number is None:
        return None
    try:
        stamp = _dt.datetime(
            1900 + int(year) if int(year) >= 66 else 2000 + int(year),
            month_number,
            int(day),
            int(hour),
            int(minute),
        )
    except ValueError:
        return None
    return stamp.isoformat()  # the year has four digits: as strftime("%Y-%m-%dT%H:%M:%S"), faster


# -- caption ----------------------------------------------------------------------------------------

_SPACED = {
    "UNCLASSIFIED": r"U\s?N\s?C\s?L\s?A\s?S\s?S\s?I\s?F\s?I\s?E\s?D",
    "UNCLAS": r"U\s?N\s?C\s?L\s?A\s?S",
    "CONFIDENTIAL": r"C\s?O\s?N\s?F\s?I\s?D\s?E\s?N\s?T\s?I\s?A\s?L",
    "SECRET": r"S\s?E\s?C\s?R\s?E\s?T",
    "TOP SECRET": r"T\s?O\s?P\s+S\s?E\s?C\s?R\s?E\s?T",
    "LIMITED OFFICIAL USE": r"LIMITED\s+OFFICIAL\s+USE",
}
CAPTION_LEVEL = _regex.compile(
    r"^\s*(?P<level>"
    + "|".join(
        _SPACED[k] for k in ("TOP SECRET", "UNCLASSIFIED", "UNCLAS", "CONFIDENTIAL", "SECRET", "LIMITED OFFICIAL USE")
    )
    # A letter-spaced level may run into the post: "C O N F I D E N T I A LCAIRO 000079".
    + r")(?:(?![A-Za-z])|(?<=\s[A-Za-z])(?=[A-Z]{3}))",
    re.I,
)
#: ``SECTION 01 OF 02`` and the garbled forms seen in captions (``SCTION``, ``SECTON``, ``0F``).
_SECTION = (
    r"(?:SECTION|SCTION|SECTON|SECTIO|ECTION)\s*(?P<section>[0-9]{1,3})\s*(?:OF|0F|QF)\s*(?P<sections>[0-9]{1,3})"
)
CAPTION_HEAD = _regex.compile(
    r"(?P<caveat>(?:\s+(?:E\s?F\s?T\s?O|NOFORN|SENSITIVE|NODIS|EXDIS|LIMDIS|STADIS))*)"
    r"(?:\s+" + _SECTION + r")?",
    re.I,
)
#: The same, matched at a given position (after a dateline glued before the caption).
CAPTION_LEVEL_AT = _regex.compile(CAPTION_LEVEL.pattern[1:], re.I)
#: ``Cable dated:2006-06-08T06:52:00``: the dateline of some newspaper versions.
CABLE_DATED = _regex.compile(r"^\s*Cable dated:\s*[0-9]{4}-[0-9]{2}-[0-9]{2}(?:T[0-9]{2}:[0-9]{2}(?::[0-9]{2})?)?")
CAPTION_REST = _regex.compile(
    r"(?P<caveat>(?:\s+(?:E\s?F\s?T\s?O|NOFORN|SENSITIVE|NODIS|EXDIS|LIMDIS|STADIS))*)"
    r"(?:\s+" + _SECTION + r")?"
    r"(?:\s+(?P<yy>[0-9]{2}))?"
    # The post is never the SECTION word itself (``SECTION 01`` is not post ``SECTION``, serial 01).
    r"(?:\s+|(?<=[0-9])(?=[A-Za-z]))(?!(?:S?E?C?T?I?O?N|SCTION|SECTON)\s*[0-9])"
    r"(?P<post>[A-Za-z][A-Za-z .'-]{0,40}?)\s+(?P<serial>[0-9]{1,7})(?![0-9])",
    re.I,
)
#: A caption's post and serial wrapped onto the next line (``TRIPOLI 000133``).
CAPTION_POST_LINE = _regex.compile(r"^\s*(?P<post>[A-Za-z][A-Za-z .'-]{0,40}?)\s+(?P<serial>[0-9]{1,7})\s*$")
HANDLING_WORDS = (
    "SIPDIS",
    "NOFORN",
    "SENSITIVE",
    "EXDIS",
    "NODIS",
    "LIMDIS",
    "STADIS",
    "CHEROKEE",
    "ROGER",
    "SIPDIS CXGENEV",
)
#: The blanks after the word are taken whole (``\s*+``): ``<br>`` and the end follow no blank, so
#: nothing that matched is lost, and a word followed by a long run of blanks and then text fails
#: in one pass instead of once per split of the run.
HANDLING_LINE = _regex.compile(
    r"^\s*(?P<word>SIPDIS|NOFORN|SENSITIVE(?: BUT UNCLASSIFIED)?|EXDIS|NODIS|LIMDIS|STADIS|"
    r"C O R R E C T E D\s+COPY\b.*|NOT FOR INTERNET DISTRIBUTION)\s*+(?:<br\s*/?>)?\s*$",
    re.I,
)


def level_of(spaced: str) -> str:
    """``C O N F I D E N T I A L`` -> ``CONFIDENTIAL``; ``Unclas`` -> ``UNCLAS``."""
    squeezed = "".join(spaced.split()).upper()  # str.split splits on what \s matches
    if squeezed == "TOPSECRET":
        return "TOP SECRET"
    if squeezed == "LIMITEDOFFICIALUSE":
        return "LIMITED OFFICIAL USE"
    return squeezed


# -- labelled body lines ---------------------------------------------------------------------------

#: ``E.O. 12958:``, ``EO 12958``, ``E.o. 12958`` and, glued in flattened text, ``SipdisE.o. 12958``.
#: The label is kept (``E.0.`` with a zero is a typo H209 reports); ``order`` is the number.
EO_LABEL = _regex.compile(
    r"(?:\b|(?<=[A-Za-z0-9])(?=[Ee]\.[Oo0]\.))(?P<label>[Ee]\.?\s?[Oo0]\.?)\s{0,3}:?\s{0,2}(?P<order>1[0-9]{3,4})\b\s*:?"
)
#: A line that starts like an E.O. line but may not parse (``E.O.: DECL``, ``EO 1295 8``).
EO_LINE_LOOSE = _regex.compile(r"^\s*(?:[Ee]\.?\s?[Oo0]\.?|EXECUTIVE\s+ORDER)\s*(?::|[0-9]|\bDECL)", re.I)
EO_DECL = _regex.compile(r"\bDECL\b\s*:?\s*(?P<value>[^;\n]{0,60})", re.I)
EO_NA = _regex.compile(r"^\s*:?\s*N\s*/\s*A\b", re.I)
DECL_DATE = _regex.compile(r"^(?P<a>[0-9]{1,4})[/.-](?P<b>[0-9]{1,2})[/.-](?P<c>[0-9]{2,4})(?![0-9])")
EXEMPTION = _regex.compile(r"\b(?:25\s?)?X([1-8])\b", re.I)
TAGS_LABEL = _regex.compile(r"^\s*(?:TAGS|TAG|TAGE|TAS|TABS|TGS|AGS)\b\s*:?", re.I)
#: ``TAGS:`` run into the end of a passing instruction (``... USDOC FOR X TAGS: PGOV``).
TAGS_GLUED = _regex.compile(r"(?<![A-Za-z])TAGS\s?:")
#: ``TAGS:``, and in newspaper versions ``TAGS PINR, PINS`` without the colon (capitals only).
TAGS_INLINE = _regex.compile(r"(?<![A-Za-z])(?:TAGS|Tags)\s*:|(?<![A-Za-z])(?-i:TAGS(?=[ \t]+[A-Z]{2,6}[ \t,]))", re.I)
SUBJECT_LABEL = _regex.compile(r"^\s*(?:\(\s*[A-Z/]{1,6}\s*\)\s*)?(?:SUBJECT|SUBJ)\b\s*:?", re.I)
SUBJECT_INLINE = _regex.compile(r"(?:SUBJECT|SUBJ)\s*:", re.I)
REF_LABEL = _regex.compile(
    r"^\s*(?:PROGRAM\s+)?(?:REFS?|REFTELS?|RETELS?|Ref\(s\))\b\s*(?::|(?=\s*[A-Z]\s*[.)]))", re.I
)
REF_INLINE = _regex.compile(r"\b(?:REFS?|REFTELS?)\s*:", re.I)
CLASSIFIED_BY = _regex.compile(r"\bCLASSIFIED\s+BY\b\s*:?", re.I)
REASON_SECTION = _regex.compile(r"\b1\s?\.\s?([45])\b")
REASON_LETTERS = _regex.compile(r"(?<![A-Za-z])([a-hA-H])(?![A-Za-z])")
WEEKDAY_DATE_LINE = _regex.compile(
    r"^\s*(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday),\s+[0-9]{1,2}\s+"
    r"[A-Z][a-z]+\s+[0-9]{4},\s+[0-9]{1,2}:[0-9]{2}\s*$"
)

# -- page markers ----------------------------------------------------------------------------------

PAGE_MARKER = _regex.compile(
    r"^\s*(?P<post>[A-Z][A-Z]*(?: [A-Z]+){0,3})\s+(?P<serial>[0-9]{8})\s+(?P<page>[0-9]{3})"
    r"(?:\.(?P<suffix>[0-9]))?\s+OF\s+(?P<total>[0-9]{3})\s*$"
)
#: The same marker inside a line (flattened cables, markers inside REF lists and subjects).
PAGE_MARKER_INLINE = _regex.compile(
    r"(?<![A-Za-z0-9])(?P<post>[A-Z]{2,}(?: [A-Z]{2,}){0,3}) (?P<serial>[0-9]{8})\s{1,3}"
    r"(?P<page>[0-9]{3})(?:\.(?P<suffix>[0-9]))? OF (?P<total>[0-9]{3})(?![0-9])"
)
#: Almost a marker: digits of the wrong width, a missing OF, lower case. For P301.
PAGE_MARKER_LOOSE = _regex.compile(
    r"^\s*(?P<post>[A-Za-z][A-Za-z]*(?: [A-Za-z]+){0,3})\s+(?P<serial>[0-9]{4,10})\s+"
    r"(?P<page>[0-9]{1,4})(?:\.(?P<suffix>[0-9]{1,2}))?\s*(?P<of>OF|of|0F)?\s*(?P<total>[0-9]{1,4})\s*$"
)
OLD_PAGE_MARKER = _regex.compile(
    r"^\s*PAGE\s+(?P<page>[0-9]{2,3})\s+(?P<post>[A-Z][A-Z .]{0,20}?)\s+(?P<serial>[0-9]{4,6})"
    r"(?:\s+(?P<section>[0-9]{2})\s+OF\s+(?P<sections>[0-9]{2}))?\s+(?P<time>[0-9]{6}Z)\b"
)

#: Multiline forms for whole-text scans (``[ \t]`` so that no match crosses a line).
PAGE_MARKER_LOOSE_M = _regex.compile(
    r"^[ \t]*(?P<post>[A-Za-z]+(?: [A-Za-z]+){0,3})[ \t]+(?P<serial>[0-9]{4,10})[ \t]+"
    r"(?P<page>[0-9]{1,4})(?:\.(?P<suffix>[0-9]{1,2}))?[ \t]*(?P<of>OF|of|Of|0F)[ \t]*(?P<total>[0-9]{1,4})[ \t]*$",
    re.M,
)
OLD_PAGE_MARKER_M = _regex.compile(
    r"^[ \t]*PAGE[ \t]+(?P<page>[0-9]{2,3})[ \t]+(?P<post>[A-Z][A-Z .]{0,20}?)[ \t]+(?P<serial>[0-9]{4,6})"
    r"(?:[ \t]+(?P<section>[0-9]{2})[ \t]+OF[ \t]+(?P<sections>[0-9]{2}))?[ \t]+(?P<time>[0-9]{6}Z)\b",
    re.M,
)

# -- paragraphs, markings, spans -------------------------------------------------------------------

PARAGRAPH_START = _regex.compile(
    r"^[ \t]*(?P<number>[1-9][0-9]{0,2})(?P<sub>[a-z])?(?:\.|\)| \.(?=[ \t]*\())(?![0-9])[ \t]*"
    r"(?:\((?P<mark>[^()\n]{1,40})\))?",
    re.M,
)
PARAGRAPH_INLINE = _regex.compile(
    r"(?<=[.!?:\"')\]\s\-”’])(?P<number>[1-9][0-9]?)(?P<sub>[a-z])?\.[ \t]{0,3}"
    r"\((?P<mark>(?:TS|S|C|U|SBU|LOU)(?:[/ -][^()\n]{0,30})?)\)"
)
MARKING = _regex.compile(r"^(?P<level>TS|S|C|U|SBU|LOU)(?P<rest>(?:/{1,2}| ?- ?| )[A-Z][A-Z0-9 ,/-]{0,40})?$", re.I)
#: A mark that starts like a portion marking but is damaged (kept as read so the schema flags it).
MARKING_DAMAGED = _regex.compile(r"^(?:TS|S|C|U|SBU|LOU)\s*[/\\-]", re.I)

SUMMARY_OPEN = _regex.compile(
    r"(?<![A-Za-z])(?:(?:BEGIN|Begin|begin)\s+)?(?P<word>SUMMARY|Summary|summary|Summay|SUMMAY)"
    r"(?:\s+(?:AND|and|And)\s+[A-Za-z]+(?:\s+(?:OF|of)\s+[A-Za-z]+)?|/Comment)?"
    r"\s*(?::|\.(?=\s)|-{1,2}\s|$)",
    re.M,
)
SUMMARY_CLOSE = _regex.compile(r"(?<![A-Za-z])(?:END|End|end)\s+(?:OF\s+|of\s+)?(?:SUMMARY|Summary|summary)\b")
COMMENT_OPEN = _regex.compile(
    r"(?P<bracket>\()?(?<![A-Za-z])(?:(?P<begin>BEGIN|Begin|begin)\s+)?(?:COMMENT|Comment|comment)"
    r"(?:\s+and\s+[A-Za-z]+)?\s*(?::|\.(?=\s)|-{1,2}\s)"
)
COMMENT_CLOSE = _regex.compile(r"(?<![A-Za-z])(?:END|End|end)\s+(?:OF\s+|of\s+)?(?:COMMENT|Comment|comment)\b")
NOTE_OPEN = _regex.compile(
    r"(?P<bracket>\()(?:(?P<begin>BEGIN|Begin|begin)\s+)?(?:NOTE|Note|note)\s*(?::|-{1,2}\s)"
    r"|(?<![A-Za-z])(?P<begin2>BEGIN|Begin|begin)\s+(?:NOTE|Note|note)\b"
)
NOTE_CLOSE = _regex.compile(r"(?<![A-Za-z])(?:END|End|end)\s+(?:OF\s+|of\s+)?(?:NOTE|Note|note)\b")

REDACTION = _regex.compile(r"(?<![A-Za-z])(?:X{5,}|x{5,})")
#: Five dashes, then dashes and spaces to the end: ``-{5}[- ]*+`` is ``-{5,}[- ]*`` (the extra dashes
#: go to the class), taken whole: a long line of dashes that ends in text fails in one pass.
HEADING_RULE = _regex.compile(r"^\s*-{5}[- ]*+$")
CABLE_ENDS = _regex.compile(r"^\s*={3,}\s*CABLE\s+END[A-Z]*\s*={0,}\s*$", re.I)
