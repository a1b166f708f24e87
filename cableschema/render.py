"""``render``: a well-formed :class:`~cableschema.model.Cable` written back as text in the release's
layout, the inverse of :func:`cableschema.parse`.

The text is what a cable page's text looks like once copied (the ``page-text`` format, like
``shared/seed/07ASTANA2221.scraped.txt`` without the site around it)::

    Reference ID Created Released Classification Origin
    07ASTANA2221 2007-08-14 08:37 2011-08-30 01:44 UNCLASSIFIED//FOR OFFICIAL USE ONLY Embassy Astana

    VZCZCXRO4549                          <- the header: one line per format line, then
    RR RUEHDBU RUEHFL                        FM, TO and INFO with one addressee a line
    DE RUEHTA #2221/01 2260837
    ...
    UNCLAS SECTION 01 OF 03 ASTANA 002221 <- caption, handling, E.O., TAGS, SUBJECT, REF,
    ...                                      page 1's marker, Classified By
    1. (SBU) ...                          <- the body: numbered paragraphs, page markers,
    ASTANA 00002221  002.2 OF 003            the signature
    ...
    ORDWAY

Everything the model holds is written from its fields: the metadata line, every header line,
the caption and handling lines, the E.O., TAGS, SUBJECT, REF and Classified By lines, each
paragraph's number and portion marking, each page marker and the signature. The model holds no
prose, so the prose comes from ``cable.text``: the lines of its body (from the first numbered
paragraph on) are kept, with their paragraph labels, markers and signature rewritten from the
fields. Summary, comment and note spans and redactions live in that prose and stay as they are.

The round trip ``parse(render(c)).cable == c`` holds for every cable whose ``text`` is its own
rendering and whose ``source`` is that of a parsed string (``Source(path="<string>",
format="page-text")``): that is how :mod:`cableschema.strategies` builds its cables.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from . import _regex

if TYPE_CHECKING:  # importing pydantic's models takes a tenth of a second: not for `--version`
    from .model import Cable, Caption, ClassifiedBy, ExecutiveOrder, Header, ModernPageMarker, OldPageMarker, Reference

__all__ = ["render"]

METADATA_HEADER = "Reference ID Created Released Classification Origin"
PARTIAL_BANNER = (
    "This record is a partial extract of the original cable. The full text of the original cable is not available."
)
#: Labelled lines (SUBJECT, REF, Classified By) are wrapped at this width, like the release's.
WRAP_WIDTH = 70
_MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
_SIGNATURE_LINE = _regex.compile(r"^\s*[A-Za-z][A-Za-z'.-]*(?:\s+[A-Za-z][A-Za-z'.-]*){0,3}\s*$")


def metadata_stamp(iso: str) -> str:
    """``2007-08-14T08:37:00`` -> ``2007-08-14 08:37`` (seconds kept when not zero)."""
    date, _, time = iso.partition("T")
    return f"{date} {time[:5]}" if time.endswith(":00") else f"{date} {time}"


def metadata_lines(
    reference_id: str, created: str, released: str | None, classification: str, origin: str
) -> list[str]:
    """The pasted metadata table: its header line, its values, a blank line."""
    values = [reference_id, metadata_stamp(created)]
    if released is not None:
        values.append(metadata_stamp(released))
    values += [classification, origin]
    header = METADATA_HEADER if released is not None else METADATA_HEADER.replace(" Released", "")
    return [header, " ".join(values), ""]


def dtg_text(iso: str) -> str:
    """``2007-08-14T08:37:00`` -> ``140837Z AUG 07``."""
    date, _, time = iso.partition("T")
    year, month, day = date.split("-")
    return f"{day}{time[:2]}{time[3:5]}Z {_MONTHS[int(month) - 1]} {year[2:]}"


def dtg_line(precedence: Sequence[str], iso: str, signal: str | None = None) -> str:
    """The precedence/DTG line: ``R 140837Z AUG 07``."""
    line = " ".join([*precedence, dtg_text(iso)])
    return f"{line} {signal}" if signal else line


def de_line(indicator: str, serial: str, section: str | None, julian_day: str, time: str) -> str:
    """The routing line: ``DE RUEHTA #2221/01 2260837``."""
    return f"DE {indicator} #{serial}{'/' + section if section else ''} {julian_day}{time}"


def marker_text(marker: ModernPageMarker | OldPageMarker) -> str:
    """A page marker as printed: ``ASTANA 00002221  001.2 OF 003``."""
    from .model import OldPageMarker

    if isinstance(marker, OldPageMarker):
        sections = f" {marker.section} OF {marker.sections}" if marker.section and marker.sections else ""
        return f"PAGE {marker.page} {marker.post} {marker.serial}{sections} {marker.time}"
    suffix = f".{marker.suffix}" if marker.suffix else ""
    return f"{marker.post} {marker.serial}  {marker.page}{suffix} OF {marker.total}"


def wrap(text: str, width: int = WRAP_WIDTH) -> list[str]:
    """Greedy word wrap; a word longer than the width gets a line of its own."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    if current:
        lines.append(current)
    return lines


def header_lines(header: Header) -> list[str]:
    """The transmission header, one format line or addressee a line (empty when there is none)."""
    if header.partial:
        return [PARTIAL_BANNER]
    lines: list[str] = []
    if header.transmission_id:
        lines.append(header.transmission_id)
    if header.relay:
        lines.append(header.relay)
    if header.routing is not None:
        routing = header.routing
        lines.append(de_line(routing.indicator, routing.serial, routing.section, routing.julian_day, routing.time))
    if header.classification_signal:
        lines.append(header.classification_signal)
    if header.dtg is not None and header.precedence:
        lines.append(dtg_line(header.precedence, header.dtg, header.dtg_signal))
    if header.from_:
        lines.append(f"FM {header.from_}")
    for index, addressee in enumerate(header.to):
        lines.append(f"TO {addressee}" if index == 0 else addressee)
    for index, addressee in enumerate(header.info):
        lines.append(f"INFO {addressee}" if index == 0 else addressee)
    return lines


def reference_lines(references: Sequence[Reference]) -> list[str]:
    """``REF: A. ASTANA 1906`` and one line for each further lettered item."""
    lines: list[str] = []
    for index, reference in enumerate(references):
        item = f"{reference.label}. {reference.text}" if reference.label else reference.text
        lines.append(f"REF: {item}" if index == 0 else item)
    return lines


def top_lines(
    caption: Caption | None,
    eo: ExecutiveOrder | None,
    tags: Sequence[str],
    subject: str | None,
    references: Sequence[Reference],
    markers: Sequence[str],
    classified_by: ClassifiedBy | None,
) -> tuple[list[str], dict[str, int]]:
    """The lines between the header and the first paragraph, and where each element is.

    The layout is the one of the release's 2006-2010 cables as the cablegate site shows them:
    lines end with a space, blank lines are a single space.
    """
    lines: list[str] = []
    where: dict[str, int] = {}
    if caption is not None:
        where["caption"] = len(lines)
        lines += [caption.text + " ", " "]
        if caption.handling:
            lines += [word + " " for word in caption.handling]
            lines.append(" ")
    if eo is not None:
        where["eo"] = len(lines)
        lines.append(eo.text + " ")
    if tags:
        lines.append("TAGS: " + " ".join(f"({tag})" if " " in tag or "," in tag else tag for tag in tags))
    if subject is not None:
        lines += [line + " " for line in wrap("SUBJECT: " + subject)]
    for line in reference_lines(references):
        lines += [part + " " for part in wrap(line)]
    for index, marker in enumerate(markers):
        where[f"marker{index}"] = len(lines)
        lines.append(marker + " ")
    lines.append(" ")
    if classified_by is not None:
        where["classified_by"] = len(lines)
        lines += [line + " " for line in wrap(classified_by.text)]
        lines.append(" ")
    return lines, where


def paragraph_label(old_line: str, number: int, sub: str | None, marking: str | None) -> str:
    """``old_line`` with its paragraph number and portion marking rewritten, spacing kept."""
    from . import grammar  # imported when used: ``import cableschema`` need not compile its patterns

    match = grammar.PARAGRAPH_START.match(old_line)
    label = f"{number}{sub or ''}"
    if match is None:
        mark = f"({marking}) " if marking else ""
        return f"{label}. {mark}{old_line.lstrip()}"
    indent = old_line[: match.start("number")]
    punct_at = match.end("sub") if match.group("sub") else match.end("number")
    punct = old_line[punct_at]
    if match.group("mark") is not None:
        spacing = old_line[punct_at + 1 : match.start("mark") - 1]
        tail = old_line[match.end() :]
        if marking is None:
            return f"{indent}{label}{punct}{tail if tail.startswith(' ') else spacing + tail}"
        return f"{indent}{label}{punct}{spacing}({marking}){tail}"
    tail = old_line[punct_at + 1 :]
    if marking is None:
        return f"{indent}{label}{punct}{tail}"
    return f"{indent}{label}{punct} ({marking}){tail if tail.startswith(' ') or not tail else ' ' + tail}"


def _body_start(cable: Cable, old: list[str]) -> int:
    """Index of the first body line of ``cable.text``: its first numbered paragraph or, without
    one, the first line after the labelled lines."""
    if cable.paragraphs:
        return min(cable.paragraphs[0].line - 1, len(old))
    known = [item.line for item in (cable.caption, cable.eo, cable.classified_by) if item is not None]
    index = max(known) if known else 0
    while index < len(old) and old[index].strip():
        index += 1
    while index < len(old) and not old[index].strip():
        index += 1
    return index


def render(cable: Cable) -> str:
    """The cable as text in the release's layout (see the module docs for what comes from where).

    Raises ValueError when the cable lacks what the metadata line needs (Created,
    Classification, Origin).
    """
    if cable.created is None or cable.classification is None or cable.origin is None:
        raise ValueError(
            f"cannot render {cable.reference_id}: the metadata line needs Created, Classification and Origin"
        )
    from . import grammar  # imported when used: ``import cableschema`` need not compile its patterns

    old = cable.text.split("\n")
    start = _body_start(cable, old)
    lines = metadata_lines(cable.reference_id, cable.created, cable.released, cable.classification, cable.origin)
    header = header_lines(cable.header)
    if header:
        lines += [*header, ""]
    top_markers = [marker_text(m) for m in cable.page_markers if m.line - 1 < start]
    top, _ = top_lines(
        cable.caption, cable.eo, cable.tags, cable.subject, cable.references, top_markers, cable.classified_by
    )
    lines += top
    markers = {m.line - 1: m for m in cable.page_markers if m.line - 1 >= start}
    paragraphs = {p.line - 1: p for p in cable.paragraphs}
    last = len(old) - 1
    while last >= start and not old[last].strip():
        last -= 1
    signature_at = (
        last
        if cable.signature is not None
        and last >= start
        and last not in paragraphs
        and last not in markers
        and _SIGNATURE_LINE.match(old[last])
        else None
    )
    for index in range(start, len(old)):
        line = old[index]
        trailing = line[len(line.rstrip()) :]
        if index in markers and grammar.PAGE_MARKER.match(line.rstrip("\\")):
            lines.append(marker_text(markers[index]) + trailing)
        elif index in paragraphs:
            paragraph = paragraphs[index]
            lines.append(paragraph_label(line, paragraph.number, paragraph.sub, paragraph.marking))
        elif index == signature_at:
            indent = line[: len(line) - len(line.lstrip())]
            lines.append(f"{indent}{cable.signature}{trailing}")
        else:
            lines.append(line)
    return "\n".join(lines)
