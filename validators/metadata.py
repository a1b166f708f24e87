"""M1xx: the reference ID and the release metadata (Created, Released, Classification, Origin)."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator, Sequence

from cableschema import grammar, vocab
from cableschema.model import CLASSIFICATIONS
from cableschema.rules import Context, CorpusEntry, CorpusViolation, Violation, rule

#: Caption and handling words that WikiLeaks' ID derivation glued into the post token.
_GLUED_PREFIXES = ("EFTO", "AMEMBASSY", "NOFORN", "SIFIED", "FSC", "USMISSION", "AMCONSUL")
_SECTION_FRAGMENT = re.compile(r"^(?:S?E?C?T?I?O?N?|SECTIO?N?)[0-9A-Z]{0,2}O?F[0-9]{1,2}", re.I)


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
    correct is given.

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
    reference_id = ctx.document.metadata.reference_id
    if not reference_id:
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
        if (
            ctx.document.format in ("html", "jsonl", "csv", "page-text", "cable-json")
            and metadata.reference_id_from == "container"
        ):
            yield ctx.at_metadata("reference_id", "the release metadata has no Classification")
        return
    if value in CLASSIFICATIONS:
        return
    message = f"classification {value!r} is not one of the six of the release"
    candidates = sorted(CLASSIFICATIONS, key=lambda c: vocab.edit_distance(value.upper(), c))
    if value.upper() in CLASSIFICATIONS:
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
    Reports a reference ID that occurs more than once in a run with different body text (the
    body compared with its whitespace collapsed, so re-wrapped copies count as the same). Every
    copy after the first is reported, naming where the first one is.

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
