"""Hypothesis strategies for cables: well-formed ones, and damaged ones whose damage is known.

Use them to property-test a cable parser or scraper (see ``docs/strategies.md``)::

    from hypothesis import given
    from cableschema import strategies as cst

    @given(cst.cables(classification="SECRET", years=(2008, 2009)))
    def test_my_parser_reads_the_id(cable):
        assert my_parser(cableschema.render(cable)).id == cable.reference_id

    @given(cst.damaged_cables(kinds=["T501"]))
    def test_my_cleaner_joins_split_words(damaged):
        ...  # damaged.text, damaged.cable (the clean cable), damaged.damage (code, line, ...)

Generated cables look like the release's 1996-2010 cables in the layout of the cablegate site:
posts, Origin names and tags come from the release's vocabularies, and every field agrees with
every other (the DE serial and julian day with the ID and the DTG, Created with the DTG, the page
markers with the page count, the E.O. declassification date after Created, portion markings
never above the classification), so that a clean cable has no error or warning finding from any
rule. Prose is made up from templates (no sentence comes from a real cable).

Every decision is a Hypothesis draw, so failing examples shrink to a short cable: one page, one
paragraph, one damage of the simplest kind.

Keyword arguments shared by :func:`cables`, :func:`cable_texts` and :func:`damaged_cables`:

``classification``
    one of the six release classifications, or a sequence of them (default: all six);
``years``
    an ID year or a ``(low, high)`` range within 1996..2010 (default: all);
``posts``
    an ID post token (``"ASTANA"``, ``"STATE"``) or a sequence of them (default: every post);
``paragraphs``
    the number of numbered paragraphs, or a range (default ``(1, 8)``, or up to three a page for
    longer cables); at least one a page;
``pages``
    the number of printed pages, or a range (default ``(1, 3)``); a cable of more than one page
    carries ``SECTION 01 OF nn`` and page markers;
``headers``
    ``"full"`` (the ACP-127 header: VZCZC, relay, DE, ZNR/ZNY, DTG, FM/TO/INFO), ``"dtg"`` (from
    the DTG line on), ``"partial"`` (the partial-extract banner), or a sequence (default: all).

Invalid arguments raise :class:`hypothesis.errors.InvalidArgument`.
"""

from __future__ import annotations

from collections.abc import Sequence

from hypothesis import strategies as st

from ._strategies import hyp as _hyp
from ._strategies.damage import KINDS, Damage, DamagedCable
from ._strategies.draft import MAX_YEAR, MIN_YEAR
from .model import Cable

__all__ = [
    "KINDS",
    "MAX_YEAR",
    "MIN_YEAR",
    "Damage",
    "DamagedCable",
    "cable_texts",
    "cables",
    "damaged_cables",
    "dtgs",
    "page_markers",
    "posts",
    "reference_ids",
    "routing_lines",
    "tags",
]

Range = int | tuple[int, int]
Strings = str | Sequence[str] | None


def cables(
    *,
    classification: Strings = None,
    years: Range | None = None,
    posts: Strings = None,
    paragraphs: Range | None = None,
    pages: Range | None = None,
    headers: Strings = None,
) -> st.SearchStrategy[Cable]:
    """Well-formed :class:`~cableschema.Cable` models.

    ``cable.text`` is the cable's rendering and ``cable.source`` that of a parsed string
    (``path="<string>"``, ``format="page-text"``), so ``cableschema.render(cable) == cable.text``
    and ``cableschema.parse(cableschema.render(cable)).cable == cable``.
    """
    c = _hyp.constraints(
        classification=classification, years=years, posts=posts, paragraphs=paragraphs, pages=pages, headers=headers
    )
    return _hyp.layouts(c).map(lambda lay: lay.cable)


def cable_texts(
    *,
    classification: Strings = None,
    years: Range | None = None,
    posts: Strings = None,
    paragraphs: Range | None = None,
    pages: Range | None = None,
    headers: Strings = None,
) -> st.SearchStrategy[str]:
    """Well-formed cables as text: the pasted metadata line, the header, the body (what
    :func:`cableschema.render` writes). ``cableschema lint`` finds no error or warning in them."""
    c = _hyp.constraints(
        classification=classification, years=years, posts=posts, paragraphs=paragraphs, pages=pages, headers=headers
    )
    return _hyp.layouts(c).map(lambda lay: lay.sheet.page_text())


def damaged_cables(
    kinds: Strings = None,
    *,
    count: Range = (1, 3),
    classification: Strings = None,
    years: Range | None = None,
    posts: Strings = None,
    paragraphs: Range | None = None,
    pages: Range | None = None,
    headers: Strings = None,
) -> st.SearchStrategy[DamagedCable]:
    """Cables with known damage: :class:`DamagedCable` ``(text, cable, damage)``.

    ``kinds`` are rule codes (default: every kind of :data:`KINDS`); ``count`` how many different
    kinds go into one cable (default 1 to 3). Each :class:`Damage` names the rule ``code`` that
    must report it, the 1-based ``line`` of ``text`` where it is, its ``kind`` (the variant, such
    as ``"efto"`` for an ID with EFTO glued in) and a ``description``. ``cable`` is the clean cable
    the text was made from.

    The kinds: M101 malformed reference ID; M106 unknown classification; H202 DE serial not the
    ID's; H204 DTG line that does not parse; T501 word split across lines; T502 truncated ending;
    T504 markup left in the text; T505 encoding damage; T508 control character; S404 summary
    never closed; S406 bracketed comment never closed; P303 page sequence broken; P305 last
    pages missing; W601 site text before the cable; W602 site text after it.
    """
    samples = _hyp.samples(
        kinds,
        count,
        classification=classification,
        years=years,
        posts=posts,
        paragraphs=paragraphs,
        pages=pages,
        headers=headers,
    )
    return samples.map(lambda sample: sample.damaged())


def reference_ids(*, posts: Strings = None, years: Range | None = None) -> st.SearchStrategy[str]:
    """Well-formed reference IDs: ``07ASTANA2221`` (two-digit year, a release post, a serial)."""
    return _hyp.reference_ids(posts, years)


def dtgs(*, years: Range | None = None) -> st.SearchStrategy[str]:
    """Precedence and date-time group lines: ``R 140837Z AUG 07``."""
    return _hyp.dtgs(years)


def routing_lines(*, posts: Strings = None, years: Range | None = None) -> st.SearchStrategy[str]:
    """``DE`` routing lines: ``DE RUEHTA #2221/01 2260837``."""
    return _hyp.routing_lines(posts, years)


def page_markers(*, posts: Strings = None, pages: Range | None = None) -> st.SearchStrategy[str]:
    """Page markers of the modern form: ``ASTANA 00002221  002 OF 003`` or ``... 001.2 OF 003``."""
    return _hyp.page_markers(posts, pages)


def tags(*, posts: Strings = None) -> st.SearchStrategy[list[str]]:
    """The TAGS of a cable: subject and program tags from the release's vocabulary, then the
    host country's geographic tag (``["PGOV", "PREL", "KZ"]``); person tags as ``SURNAME, GIVEN``."""
    return _hyp.tags(posts)


def posts() -> tuple[str, ...]:
    """The post tokens the strategies draw from (the release's, most prolific first)."""
    return _hyp.known_posts()
