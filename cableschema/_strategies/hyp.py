"""The Hypothesis strategies, over the same grammar as ``cableschema generate``.

Every decision of :mod:`.draft` and :mod:`.damage` is a draw, so failing examples shrink: to one
page, one paragraph, the latest year, the first post and classification of the lists, one damage
of the first kind, its first variant.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from hypothesis import reject
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from .. import grammar
from ..model import Cable
from ..render import de_line, dtg_line
from . import damage as _damage
from .choices import DrawChooser
from .draft import Constraints, InvalidConstraints, Layout, _tags, draft, layout
from .posts import Post, all_posts, by_token

Range = int | tuple[int, int]


def _range(name: str, value: Range | None, default: tuple[int, int]) -> tuple[int, int]:
    if value is None:
        return default
    if isinstance(value, int):
        return (value, value)
    if isinstance(value, tuple) and len(value) == 2 and all(isinstance(v, int) for v in value):
        return (value[0], value[1])
    raise InvalidArgument(f"{name} must be an int or a (low, high) tuple of ints, not {value!r}")


def _strings(name: str, value: str | Sequence[str] | None) -> tuple[str, ...] | None:
    if value is None:
        return None
    if isinstance(value, str):
        return (value,)
    values = tuple(value)
    if not values or not all(isinstance(v, str) for v in values):
        raise InvalidArgument(f"{name} must be a string or a non-empty sequence of strings, not {value!r}")
    return values


def _posts(value: str | Sequence[str] | None) -> tuple[Post, ...]:
    tokens = _strings("posts", value)
    if tokens is None:
        return ()
    table = by_token()
    unknown = [t for t in tokens if t.upper() not in table]
    if unknown:
        raise InvalidArgument(
            f"unknown post token(s) {', '.join(unknown)}; use the ID tokens of the release (ASTANA, "
            f"BUENOSAIRES, STATE...): {len(table)} are known"
        )
    return tuple(table[t.upper()] for t in tokens)


def constraints(
    *,
    classification: str | Sequence[str] | None = None,
    years: Range | None = None,
    posts: str | Sequence[str] | None = None,
    paragraphs: Range | None = None,
    pages: Range | None = None,
    headers: str | Sequence[str] | None = None,
) -> Constraints:
    """The keyword arguments of the public strategies, checked."""
    base = Constraints()
    page_range = _range("pages", pages, base.pages)
    # Long cables have more paragraphs: by default up to three a page.
    default_paragraphs = (base.paragraphs[0], max(base.paragraphs[1], 3 * page_range[1]))
    try:
        return Constraints(
            classifications=_strings("classification", classification) or base.classifications,
            years=_range("years", years, base.years),
            posts=_posts(posts),
            paragraphs=_range("paragraphs", paragraphs, default_paragraphs),
            pages=page_range,
            headers=_strings("headers", headers) or base.headers,
        ).checked()
    except InvalidConstraints as exc:
        raise InvalidArgument(str(exc)) from None


@st.composite
def layouts(draw: Any, c: Constraints) -> Layout:
    """A laid-out clean cable."""
    chooser = DrawChooser(draw)
    return layout(draft(chooser, c))


@dataclass(frozen=True)
class Sample:
    """A damaged layout with its clean cable and what was put in (for container tests)."""

    clean: Cable
    layout: Layout
    applied: tuple[_damage.Applied, ...]

    def damaged(self) -> _damage.DamagedCable:
        return _damage.DamagedCable(
            text=self.layout.sheet.page_text(),
            cable=self.clean,
            damage=_damage.page_text_damage(self.layout, list(self.applied)),
        )


def _kinds(kinds: str | Sequence[str] | None, allowed: tuple[str, ...]) -> tuple[str, ...]:
    chosen = _strings("kinds", kinds)
    if chosen is None:
        return allowed
    unknown = [k for k in chosen if k not in _damage.KINDS]
    if unknown:
        raise InvalidArgument(f"unknown damage kind(s) {', '.join(unknown)}; known: {', '.join(_damage.KINDS)}")
    refused = [k for k in chosen if k not in allowed]
    if refused:
        raise InvalidArgument(f"damage kind(s) {', '.join(refused)} cannot be put in this container")
    return tuple(k for k in _damage.KINDS if k in chosen)


def samples(
    kinds: str | Sequence[str] | None = None,
    count: Range = (1, 3),
    *,
    page_text: bool = True,
    **kwargs: Any,
) -> st.SearchStrategy[Sample]:
    """Damaged layouts: the clean cable, the damaged sheet and the damage put in."""
    allowed = _damage.KINDS if page_text else tuple(k for k in _damage.KINDS if k not in _damage.PAGE_TEXT_ONLY)
    chosen = _kinds(kinds, allowed)
    low, high = _range("count", count, (1, 3))
    if low < 1 or high < low:
        raise InvalidArgument(f"count must be a range of at least one damage, got {count!r}")
    base = constraints(**kwargs)

    @st.composite
    def build(draw: Any) -> Sample:
        chooser = DrawChooser(draw)
        picked = _damage.choose_kinds(chooser, chosen, low, high)
        try:
            narrowed = _damage.requirements(picked, base)
        except InvalidConstraints as exc:
            raise InvalidArgument(f"damage {', '.join(picked)}: {exc}") from None
        lay = layout(draft(chooser, narrowed))
        clean = lay.cable
        applied = _damage.apply(lay, picked, chooser)
        if not applied:
            reject()  # no kind found a place (never seen; every kind has a fallback)
        return Sample(clean, lay, tuple(applied))

    return build()


# -- small pieces ----------------------------------------------------------------------------------


def reference_ids(posts: str | Sequence[str] | None = None, years: Range | None = None) -> st.SearchStrategy[str]:
    c = constraints(posts=posts, years=years)
    choices = c.post_choices()

    @st.composite
    def build(draw: Any) -> str:
        chooser = DrawChooser(draw)
        post = chooser.choice(choices)
        year = c.years[1] - chooser.integer(0, c.years[1] - c.years[0])
        serial = chooser.integer(1, 199_999 if post.is_department else 2_999)
        return f"{year % 100:02d}{post.token}{serial}"

    return build()


def _layout_piece(c: Constraints) -> st.SearchStrategy[Layout]:
    return layouts(c)


def dtgs(years: Range | None = None) -> st.SearchStrategy[str]:
    c = constraints(years=years, headers=("full",), pages=1, paragraphs=1)

    def line(lay: Layout) -> str:
        header = lay.draft.header
        assert header.dtg is not None
        return dtg_line(header.precedence, header.dtg)

    return _layout_piece(c).map(line)


def routing_lines(posts: str | Sequence[str] | None = None, years: Range | None = None) -> st.SearchStrategy[str]:
    c = constraints(posts=posts, years=years, headers=("full",), pages=1, paragraphs=1)

    def line(lay: Layout) -> str:
        routing = lay.draft.header.routing
        assert routing is not None
        return de_line(routing.indicator, routing.serial, routing.section, routing.julian_day, routing.time)

    return _layout_piece(c).map(line)


def page_markers(posts: str | Sequence[str] | None = None, pages: Range | None = None) -> st.SearchStrategy[str]:
    low, high = _range("pages", pages, (2, 20))
    if low < 2:
        raise InvalidArgument("page markers need cables of two pages or more")
    c = constraints(posts=posts)
    choices = c.post_choices()

    @st.composite
    def build(draw: Any) -> str:
        chooser = DrawChooser(draw)
        post = chooser.choice(choices)
        serial = chooser.integer(1, 199_999 if post.is_department else 2_999)
        total = chooser.integer(low, high)
        suffix = chooser.flag(0.2)
        page = chooser.integer(1 if suffix else 2, total)
        text = f"{post.printed} {serial:08d}  {page:03d}{'.2' if suffix else ''} OF {total:03d}"
        assert grammar.PAGE_MARKER.match(text)
        return text

    return build()


def tags(posts: str | Sequence[str] | None = None) -> st.SearchStrategy[list[str]]:
    c = constraints(posts=posts)
    choices = c.post_choices()

    @st.composite
    def build(draw: Any) -> list[str]:
        chooser = DrawChooser(draw)
        return _tags(chooser, chooser.choice(choices))

    return build()


def known_posts() -> tuple[str, ...]:
    return tuple(p.token for p in all_posts())
