"""Is a labelled damage really in the text? Checked on the text alone, without the rules.

The rules of some damage kinds are written in parallel with the generators; until they are
registered, these checks are what says that a generated damage is there, at its line.
"""

from __future__ import annotations

import re

from cableschema import chrome, grammar, vocab
from cableschema.model import CLASSIFICATIONS, Cable

_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_QUOTE_DAMAGE = re.compile(r"&[a-z][a-z ]{2,}8")
_SUMMARY_OPEN = re.compile(r"\bsummary:", re.I)
_SUMMARY_CLOSE = re.compile(r"\bend summary\b", re.I)
_COMMENT_CLOSE = re.compile(r"\bend comment\b", re.I)
_COMMENT_OPEN = re.compile(r"(?<![a-z] )\b(?:\(|begin )?comment:", re.I)


def _markers(lines: list[str]) -> list[tuple[int, int, int]]:
    """(1-based line, page, total) of every whole-line page marker."""
    found = []
    for number, line in enumerate(lines, 1):
        match = grammar.PAGE_MARKER.match(line.rstrip())
        if match:
            found.append((number, int(match.group("page")), int(match.group("total"))))
    return found


def _words(text: str) -> set[str]:
    return {w.lower() for w in re.findall(r"[A-Za-z]+", text)}


def present(
    code: str,
    line: int,
    lines: list[str],
    clean: Cable,
    reference_id: str | None,
    classification: str | None,
) -> bool:
    """True when damage ``code`` is visible at ``line`` (1-based) of ``lines``.

    ``reference_id`` and ``classification`` are the damaged metadata values as read.
    """
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    if code == "M101":
        # Not two digits, a known post and a serial: a caption word glued in, a lost serial...
        match = grammar.REFERENCE_ID.match(reference_id or "")
        return match is None or match.group(2) not in vocab.origins()
    if code == "M106":
        return classification not in CLASSIFICATIONS
    if code == "H202":
        match = grammar.DE_LINE.match(text.strip())
        serial = re.search(r"[0-9]+$", clean.reference_id)
        return bool(match and serial) and match.group("serial") != f"{int(serial.group()) % 10_000:04d}"  # type: ignore[union-attr]
    if code == "H204":
        match = grammar.DTG_LINE.match(text.strip())
        if match is None:
            return bool(grammar.DTG_LINE_LOOSE.match(text.strip()))
        parts = (match.group(k) for k in ("day", "hour", "minute", "month", "year"))
        return grammar.dtg_timestamp(*parts) is None
    if code == "T501":
        if line >= len(lines):
            return False
        head = re.search(r"([a-z]+)$", text)
        tail = re.match(r"^([a-z]+)", lines[line])
        if not head or not tail:
            return False
        vocabulary = _words(clean.text)
        joined = head.group(1) + tail.group(1)
        # The tail may be a letter or two ("comple" + "x"); the pieces are not words of the cable.
        return (
            joined in vocabulary
            and head.group(1) not in vocabulary
            and (len(tail.group(1)) <= 2 or tail.group(1) not in vocabulary)
        )
    if code == "T502":
        # The text stops at this line: only site text (a blog's comment form) may follow.
        after = [candidate for candidate in lines[line:] if candidate.strip()]
        if not all(chrome.is_strong(c) or chrome.is_weak(c) for c in after):
            return False
        stripped = text.strip()
        if re.fullmatch(r"=+CABLE END", stripped):
            return True
        signature = clean.signature or ""
        return stripped != signature and not stripped.endswith((".", ".)", '."', ")"))
    if code == "T504":
        return "&#" in text or "<br" in text or text.rstrip(" ").endswith("\\")
    if code == "T505":
        return "\ufffd" in text or "â€" in text or bool(_QUOTE_DAMAGE.search(text))
    if code == "T508":
        return bool(_CONTROL.search(text))
    if code == "S404":
        rest = "\n".join(lines[line - 1 :])
        return bool(_SUMMARY_OPEN.search(text)) and not _SUMMARY_CLOSE.search(rest)
    if code == "S406":
        # Open until the next comment opens or the text ends, no "End comment" comes.
        opener = text.find("(Comment:")
        if opener < 0:
            return False
        rest = text[opener + 9 :] + "\n" + "\n".join(lines[line:])
        following = _COMMENT_OPEN.search(rest)
        return not _COMMENT_CLOSE.search(rest, 0, following.start() if following else len(rest))
    if code == "P303":
        markers = _markers(lines)
        for index, (number, page, _) in enumerate(markers):
            if number == line and index > 0:
                previous = markers[index - 1][1]
                return page != previous + 1
        return False
    if code == "P305":
        markers = _markers(lines)
        return bool(markers) and markers[-1][0] == line and markers[-1][1] < markers[-1][2]
    if code in ("W601", "W602"):
        return chrome.is_strong(text)
    raise ValueError(f"no presence check for {code}")
