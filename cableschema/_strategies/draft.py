"""The grammar of a generated cable: what to say (:func:`draft`) and how it is laid out
(:func:`layout`), with the :class:`~cableschema.model.Cable` that a correct parser must read from it.

Every field is kept consistent the way real cables are: the DE serial is the ID serial mod
10,000, the DE julian day and time are the DTG's, Created is the DTG, the caption, the page
markers and the DE section agree with the ID and the page count, the E.O. declassification date
follows Created, portion markings never exceed the classification, ``//NOFORN`` cables carry the
NOFORN caption and ``//FOR OFFICIAL USE ONLY`` ones the SENSITIVE caption and (SBU) marks.

The header and the labelled lines are laid out by :mod:`cableschema.render`'s own helpers, so that
``render(cable)`` gives back exactly the generated text.
"""

from __future__ import annotations

import datetime as _dt
import random
import re
import typing
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from .. import grammar
from ..model import (
    CLASSIFICATIONS,
    Cable,
    Caption,
    CaptionLevel,
    ClassifiedBy,
    ExecutiveOrder,
    Header,
    ModernPageMarker,
    Paragraph,
    Redaction,
    Reference,
    Routing,
    Source,
    Span,
)
from ..render import dtg_line, header_lines, marker_text, metadata_lines, top_lines
from . import prose as _prose
from .choices import Chooser, RandomChooser
from .posts import Post, all_posts

#: Cables of the release by year of the ID (spec 1.4), for the years this generator writes.
YEAR_WEIGHTS = {
    1996: 48,
    1997: 58,
    1998: 62,
    1999: 56,
    2000: 432,
    2001: 878,
    2002: 2570,
    2003: 8083,
    2004: 11808,
    2005: 24131,
    2006: 42391,
    2007: 44693,
    2008: 49446,
    2009: 56813,
    2010: 9005,
}
MIN_YEAR, MAX_YEAR = 1996, 2010
#: The six classifications, simplest first; weights as often quoted for the release.
CLASSIFICATION_ORDER = (
    "UNCLASSIFIED",
    "CONFIDENTIAL",
    "UNCLASSIFIED//FOR OFFICIAL USE ONLY",
    "SECRET",
    "CONFIDENTIAL//NOFORN",
    "SECRET//NOFORN",
)
CLASSIFICATION_WEIGHTS = (75792, 97070, 58095, 11322, 4678, 4330)
HEADER_KINDS = ("full", "dtg", "partial")
HEADER_WEIGHTS = (193225, 5936, 49082)
#: Page counts of generated corpora (about half the release's cables are one page long).
PAGE_WEIGHTS = {1: 50, 2: 20, 3: 12, 4: 7, 5: 4, 6: 2, 7: 1.5, 8: 1, 10: 1, 12: 0.6, 15: 0.4, 20: 0.2}
LAST_CREATED = _dt.datetime(2010, 2, 28, 23, 59)

_LEVEL_PRINTED = {"UNCLASSIFIED": "UNCLAS", "CONFIDENTIAL": "C O N F I D E N T I A L", "SECRET": "S E C R E T"}
_SIGNAL = {"UNCLASSIFIED": "ZNR UUUUU ZZH", "CONFIDENTIAL": "ZNY CCCCC ZZH", "SECRET": "ZNY SSSSS ZZH"}
_PRECEDENCE_WORD = {"Z": "FLASH", "O": "IMMEDIATE", "P": "PRIORITY", "R": ""}
_TRANSMISSION_PREFIXES = ("XRO", "XYZ", "ADI", "AJI", "BGI", "DOI", "DRI", "FRI", "JII", "LOI", "MZI", "PCI", "SFI")
_COLLECTIVES = (
    "RUEHZL/EUROPEAN POLITICAL COLLECTIVE",
    "RUCNCIS/CIS COLLECTIVE",
    "RUEHXK/ARAB ISRAELI COLLECTIVE",
    "RUEHZO/AFRICAN UNION COLLECTIVE",
    "RUEHZS/ASSOCIATION OF SOUTHEAST ASIAN NATIONS",
    "RUCNMEU/EU INTEREST COLLECTIVE",
    "RUEHWH/WESTERN HEMISPHERIC AFFAIRS DIPL POSTS",
)
_AGENCIES = (
    "RUEKJCS/SECDEF WASHINGTON DC",
    "RHEHNSC/NSC WASHDC",
    "RUEAIIA/CIA WASHDC",
    "RHEFDIA/DIA WASHINGTON DC",
    "RUCPDOC/USDOC WASHDC",
    "RUEATRS/DEPT OF TREASURY WASHINGTON DC",
)
_SUBJECT_TAGS = (
    "PREL",
    "PGOV",
    "PHUM",
    "ECON",
    "PTER",
    "MARR",
    "ETRD",
    "EFIN",
    "SNAR",
    "ENRG",
    "EPET",
    "PINR",
    "KDEM",
    "KJUS",
    "SOCI",
    "EAID",
    "CVIS",
    "ASEC",
    "MASS",
    "OVIP",
    "KCRM",
    "KTIP",
    "ELAB",
    "EINV",
    "SENV",
    "KIRF",
    "KPAO",
    "PARM",
    "KNNP",
    "AORC",
)
_ORGANIZATION_TAGS = ("UNSC", "NATO", "EUN", "IAEA", "OSCE", "WTRO", "UNGA", "OPEC", "AU", "UNHCR", "IMF", "OAS")
_CLASSIFIER_TITLES = (
    "Ambassador",
    "Charge d'Affaires",
    "DCM",
    "Deputy Chief of Mission",
    "Political Counselor",
    "Pol/Econ Chief",
    "Political Officer",
    "Economic Counselor",
    "Consul General",
    "Principal Officer",
    "Acting DCM",
)
_REASON_FORMS = (
    "for reasons {s} ({a}) and ({b}).",
    "for reasons {s} ({a}) and ({b})",
    "Reasons {s} ({a}) and ({b})",
    "reasons {s} ({a}), ({b}).",
    "for reason {s} ({a}).",
)
_CHROME_FREE_WORD = re.compile(r"^[a-z]{5,}$")
_NUMBERED_START = re.compile(r"^[0-9]{1,3}[a-z]?[.)]")


class InvalidConstraints(ValueError):
    """The keyword arguments of a strategy cannot be satisfied together."""


@dataclass(frozen=True)
class Constraints:
    """What a generated cable must be; everything else is drawn."""

    classifications: tuple[str, ...] = CLASSIFICATION_ORDER
    years: tuple[int, int] = (MIN_YEAR, MAX_YEAR)
    posts: tuple[Post, ...] = ()
    paragraphs: tuple[int, int] = (1, 8)
    pages: tuple[int, int] = (1, 3)
    headers: tuple[str, ...] = HEADER_KINDS
    #: None: maybe; True: always; False: never.
    summary: bool | None = None
    bracketed_comment: bool | None = None
    #: Draw like the release (weights) rather than like a test (simplest first).
    realistic: bool = False
    #: A fixed (post, year, serial), for corpora whose IDs must be unique.
    identity: tuple[Post, int, int] | None = None

    def checked(self) -> Constraints:
        for value in self.classifications:
            if value not in CLASSIFICATIONS:
                raise InvalidConstraints(f"classification {value!r} is not one of {CLASSIFICATIONS}")
        if not self.classifications:
            raise InvalidConstraints("no classification to choose from")
        low, high = self.years
        if low > high or low < MIN_YEAR or high > MAX_YEAR:
            raise InvalidConstraints(f"years must lie in {MIN_YEAR}..{MAX_YEAR}, got {low}..{high}")
        for name, (low, high) in (("paragraphs", self.paragraphs), ("pages", self.pages)):
            if low < 1 or low > high:
                raise InvalidConstraints(f"{name} must be a range of positive counts, got {low}..{high}")
        if self.pages[0] > self.paragraphs[1]:
            raise InvalidConstraints(
                f"{self.pages[0]} pages need at least as many paragraphs; paragraphs allow at most {self.paragraphs[1]}"
            )
        if self.pages[1] > 999:
            raise InvalidConstraints("page numbers have three digits: at most 999 pages")
        for kind in self.headers:
            if kind not in HEADER_KINDS:
                raise InvalidConstraints(f"header kind {kind!r} is not one of {HEADER_KINDS}")
        if not self.headers:
            raise InvalidConstraints("no header kind to choose from")
        return self

    def post_choices(self) -> tuple[Post, ...]:
        return self.posts or all_posts()


# -- the draft: what the cable says ----------------------------------------------------------------


@dataclass
class Seg:
    """A piece of a paragraph: a sentence, or a span opener/closer (an atomic token)."""

    text: str
    kind: str = "text"  # text, open, close
    span: str | None = None  # summary, comment, note
    bracketed: bool = False
    #: For span pieces: an id shared by an opener and its closer.
    pair: int = 0


@dataclass
class Para:
    number: int
    marking: str | None
    segs: list[Seg]
    heading: str | None = None  # a section heading printed before the paragraph
    seed: int = 0


@dataclass
class Draft:
    post: Post
    year: int
    serial: int
    created: _dt.datetime
    released: _dt.datetime
    classification: str
    header: Header
    header_kind: str
    pages: int
    marker_style: str  # suffix (001.2 first) or plain (002 first)
    caption: Caption
    eo: ExecutiveOrder
    tags: list[str]
    subject: str
    references: list[Reference]
    classified_by: ClassifiedBy | None
    paragraphs: list[Para]
    signature: str
    style: str  # wrapped (lines of ~65 columns ending in a space) or long (a line a paragraph)
    width: int
    double_space: bool
    last_page_fraction: float

    @property
    def reference_id(self) -> str:
        return f"{self.year % 100:02d}{self.post.token}{self.serial}"


def _pick_weighted(chooser: Chooser, options: tuple[Any, ...], weights: tuple[float, ...], realistic: bool) -> Any:
    return chooser.choice(options, weights if realistic else None)


def _years(chooser: Chooser, c: Constraints) -> int:
    low, high = c.years
    years = tuple(range(low, high + 1))
    if c.realistic:
        return chooser.choice(years, tuple(YEAR_WEIGHTS[y] for y in years))
    # Shrinks towards the latest year in range (the release's busiest).
    return high - chooser.integer(0, high - low)


def _created(chooser: Chooser, year: int) -> _dt.datetime:
    last_day = (LAST_CREATED.date() if year == 2010 else _dt.date(year, 12, 31)).timetuple().tm_yday
    day = chooser.integer(1, last_day)
    minutes = chooser.integer(0, 24 * 60 - 1)
    return _dt.datetime(year, 1, 1) + _dt.timedelta(days=day - 1, minutes=minutes)


def _released(chooser: Chooser, created: _dt.datetime) -> _dt.datetime:
    bulk = _dt.datetime(2011, 8, 30, 1, 44)
    if chooser.flag(0.4):
        return bulk
    start = _dt.datetime(2010, 11, 28)
    days = chooser.integer(0, (bulk - start).days - 1)
    return start + _dt.timedelta(days=days, minutes=chooser.integer(0, 24 * 60 - 1))


def _serial(chooser: Chooser, post: Post) -> int:
    if post.is_department:
        return chooser.integer(1, 199_999)
    return chooser.integer(1, 2_999)


def _header(
    chooser: Chooser, kind: str, post: Post, serial: int, created: _dt.datetime, level: str, sectioned: bool
) -> Header:
    if kind == "partial":
        return Header(partial=True)
    precedence = chooser.choice(("R", "P", "O", "Z"), (40, 45, 14, 1))
    letters = [precedence]
    if precedence in "OP" and chooser.flag(0.05):
        letters.append("R")
    word = _PRECEDENCE_WORD[precedence]
    to: list[str] = []
    if post.is_department:
        for other in _other_posts(chooser, post, chooser.integer(1, 4)):
            to.append(_addressee(chooser, other, word))
    else:
        mcn = chooser.integer(1, 9999)
        to.append(f"RUEHC/SECSTATE WASHDC {word} {mcn:04d}".replace("  ", " "))
    info: list[str] = []
    count = chooser.integer(0, 6)
    for index in range(count):
        roll = chooser.integer(0, 9)
        if roll < 6 or index == 0:
            info += [
                _addressee(chooser, p, chooser.choice((word, "PRIORITY", ""))) for p in _other_posts(chooser, post, 1)
            ]
        elif roll < 8:
            info.append(chooser.choice(_COLLECTIVES))
        else:
            info.append(chooser.choice(_AGENCIES) + (f" {word}" if word else ""))
    info = list(dict.fromkeys(info))
    dtg = created.strftime("%Y-%m-%dT%H:%M:00")
    if kind == "dtg":
        return Header(precedence=letters, dtg=dtg, **{"from": post.fm}, to=to, info=info)  # type: ignore[arg-type]
    de_time = created + _dt.timedelta(minutes=chooser.integer(0, 9))
    if de_time.date() != created.date():
        de_time = created
    relays = [post.indicator] + [p.indicator for p in _other_posts(chooser, post, chooser.integer(0, 5))]
    routing = Routing(
        indicator=post.indicator,
        serial=f"{serial % 10_000:04d}",
        section="01" if sectioned or chooser.flag(0.4) else None,
        julian_day=f"{de_time.timetuple().tm_yday:03d}",
        time=de_time.strftime("%H%M"),
        line=1,  # placeholder: set by the layout
    )
    prefix = chooser.choice(_TRANSMISSION_PREFIXES)
    return Header(
        transmission_id=f"VZCZC{prefix}{chooser.integer(0, 9999):04d}",
        relay=f"{precedence}{precedence} " + " ".join(dict.fromkeys(relays[1:] or relays)),
        routing=routing,
        classification_signal=_SIGNAL[level],
        precedence=letters,  # type: ignore[arg-type]
        dtg=dtg,
        **{"from": post.fm},  # type: ignore[arg-type]
        to=to,
        info=info,
    )


@cache
def _busiest_posts() -> tuple[Post, ...]:
    return tuple(p for p in all_posts() if not p.is_department)[:41]


def _other_posts(chooser: Chooser, post: Post, count: int) -> list[Post]:
    others = [p for p in _busiest_posts() if p.token != post.token][:40]
    return [others[chooser.integer(0, len(others) - 1)] for _ in range(count)]


def _addressee(chooser: Chooser, post: Post, word: str) -> str:
    text = f"{post.indicator}/{post.fm}"
    if word:
        text += f" {word}"
    if chooser.flag(0.7):
        text += f" {chooser.integer(1, 9999):04d}"
    return text


def _level(classification: str) -> str:
    return classification.split("//")[0]


def _markings(chooser: Chooser, classification: str, count: int) -> list[str | None]:
    level = _level(classification)
    noforn = classification.endswith("NOFORN")
    if level == "UNCLASSIFIED":
        if classification.endswith("ONLY"):
            options: tuple[str | None, ...] = ("SBU", "U")
        else:
            return [None] * count if chooser.flag(0.6) else ["U"] * count
    elif level == "CONFIDENTIAL":
        nf = chooser.choice(("C//NF", "C/NF")) if noforn else None
        options = (nf, "C", "U", "SBU") if nf else ("C", "U", "SBU")
    else:
        nf = chooser.choice(("S//NF", "S/NF")) if noforn else None
        options = (nf, "S", "C", "U") if nf else ("S", "C", "U", "SBU")
    marks: list[str | None] = [options[0]]
    for _ in range(count - 1):
        marks.append(options[0] if chooser.flag(0.6) else chooser.choice(options))
    return marks


def _tags(chooser: Chooser, post: Post) -> list[str]:
    count = chooser.integer(1, 5)
    tags: list[str] = []
    for _ in range(count):
        tag = chooser.choice(_SUBJECT_TAGS)
        if tag not in tags:
            tags.append(tag)
    if "OVIP" in tags and chooser.flag(0.5):
        tags.insert(
            tags.index("OVIP") + 1, f"{chooser.choice(_prose._LAST).upper()}, {chooser.choice(_prose._FIRST).upper()}"
        )
    if chooser.flag(0.1):
        tags.append(chooser.choice(_ORGANIZATION_TAGS))
    if post.geo:
        tags.append(post.geo)
    return tags


def _eo(created: _dt.datetime, level: str, chooser: Chooser) -> ExecutiveOrder:
    if level == "UNCLASSIFIED":
        text = "E.O. 12958: N/A"
        return ExecutiveOrder(text=text, order="12958", na=True, line=1)
    years = chooser.choice((10, 5, 15, 20, 25))
    day = min(created.day, 28) if created.month == 2 else created.day
    decl = _dt.date(created.year + years, created.month, day)
    printed = decl.strftime("%m/%d/%Y")
    text = chooser.choice(("E.O. 12958: DECL: {d}", "EO 12958 DECL: {d}", "E.O. 12958: DECL: {d}")).format(d=printed)
    return ExecutiveOrder(text=text, order="12958", decl=printed, decl_date=decl.isoformat(), line=1)


def _references(chooser: Chooser, post: Post, year: int, serial: int) -> list[Reference]:
    count = chooser.integer(0, 3)
    yy = f"{year % 100:02d}"
    references: list[Reference] = []
    for index in range(count):
        roll = chooser.integer(0, 9)
        cited = post if roll < 6 else (all_posts()[-1] if not post.is_department else _other_posts(chooser, post, 1)[0])
        if cited.is_department:
            cited_serial = chooser.integer(1, 199_999)
        else:
            cited_serial = chooser.integer(1, max(1, serial - 1)) if serial > 1 else chooser.integer(2, 2_999)
        prefix_year = None
        if chooser.flag(0.15) and year > MIN_YEAR:
            prefix_year = f"{(year - 1) % 100:02d}"
        text = f"{cited.printed} {cited_serial}"
        if prefix_year:
            text = f"{prefix_year} {text}"
        if chooser.flag(0.1):
            text += " (NOTAL)"
        label = "ABCDEFGH"[index] if count > 1 else None
        candidate = f"{prefix_year or yy}{cited.printed.replace(' ', '')}{cited_serial}"
        reference_id = candidate if grammar.REFERENCE_ID.match(candidate) else None
        references.append(Reference(label=label, text=text, reference_id=reference_id))
    return references


def _classified_by(chooser: Chooser, created: _dt.datetime, rng: random.Random) -> ClassifiedBy:
    title = chooser.choice(_CLASSIFIER_TITLES)
    name = rng.choice(_prose._FIRST) + (f" {rng.choice('ABCDEFGHJKLMPRSTW')}." if rng.random() < 0.6 else "")
    name += " " + rng.choice(_prose.SIGNERS).title()
    section = "1.4" if created.year >= 2003 else "1.5"
    letters = sorted(rng.sample(("b", "c", "d", "e", "g", "h"), 2))
    form = chooser.choice(_REASON_FORMS)
    reasons_text = form.format(s=section, a=letters[0], b=letters[1])
    joiner = ", " if form[0].isupper() or form.startswith("reasons") else " "
    statement = f"{title} {name}{joiner}{reasons_text}"
    text = f"Classified By: {statement}"
    used = letters if "({b})" in form else letters[:1]
    return ClassifiedBy(text=text, by=f"{title} {name}", reasons=[f"{section}({x})" for x in used], line=1)


def _signature(chooser: Chooser, post: Post, year: int) -> str:
    if post.is_department:
        signer = _prose.SECRETARIES[0][1]
        for since, name in _prose.SECRETARIES:
            if year >= since:
                signer = name
        return signer
    if chooser.flag(0.05):
        return chooser.choice(_prose.TWO_WORD_SIGNERS)
    signer = chooser.choice(_prose.SIGNERS)
    return signer.title() if chooser.flag(0.1) else signer


def draft(chooser: Chooser, constraints: Constraints) -> Draft:
    """Decide everything about one cable.

    The choices that make a cable simpler or harder (post, year, classification, page and
    paragraph counts, header kind, spans) are the chooser's, so that Hypothesis shrinks them; the
    details (dates, addressees, tags, wording) come from a generator seeded by one draw, which
    keeps examples cheap to shrink.
    """
    c = constraints
    fine = RandomChooser(random.Random(chooser.seed()))
    if c.identity is not None:
        post, year, serial = c.identity
    else:
        post = _pick_weighted(chooser, c.post_choices(), tuple(p.weight for p in c.post_choices()), c.realistic)
        year = _years(chooser, c)
        serial = _serial(fine, post)
    created = _created(fine, year)
    released = _released(fine, created)
    classification = _pick_weighted(
        chooser,
        c.classifications,
        tuple(CLASSIFICATION_WEIGHTS[CLASSIFICATION_ORDER.index(x)] for x in c.classifications),
        c.realistic,
    )
    level = _level(classification)
    low_pages, high_pages = c.pages
    high_pages = min(high_pages, c.paragraphs[1])
    if c.realistic:
        options = tuple(p for p in PAGE_WEIGHTS if low_pages <= p <= high_pages) or (low_pages,)
        pages = chooser.choice(options, tuple(PAGE_WEIGHTS.get(p, 1.0) for p in options))
    else:
        pages = chooser.integer(low_pages, high_pages)
    header_kind = _pick_weighted(
        chooser, c.headers, tuple(HEADER_WEIGHTS[HEADER_KINDS.index(k)] for k in c.headers), c.realistic
    )
    header = _header(fine, header_kind, post, serial, created, level, pages > 1)
    marker_style = fine.choice(("plain", "suffix"), (80, 20)) if pages > 1 else "plain"
    handling: list[str] = []
    if classification.endswith("NOFORN"):
        handling.append("NOFORN")
    if classification.endswith("ONLY"):
        handling.append("SENSITIVE")
    if created >= _dt.datetime(2005, 12, 1):
        handling.append("SIPDIS")
    section = f"SECTION 01 OF {pages:02d} " if pages > 1 else ""
    caption_text = f"{_LEVEL_PRINTED[level]} {section}{post.printed} {serial:06d}"
    caption = Caption(
        text=caption_text,
        classification=typing.cast(CaptionLevel, _LEVEL_PRINTED[level].replace(" ", "")),
        section=1 if pages > 1 else None,
        sections=pages if pages > 1 else None,
        post=post.printed,
        serial=f"{serial:06d}",
        handling=handling,
        line=1,
    )
    rng = fine.rng
    cast = _prose.make_cast(rng)
    maker = _prose.ProseMaker(rng, post, year, created.month, cast)
    subject = maker.subject()
    references = _references(fine, post, year, serial)
    classified_by = _classified_by(fine, created, rng) if level != "UNCLASSIFIED" else None
    paragraphs = _paragraphs(chooser, fine, c, post, year, created.month, classification, pages, cast)
    return Draft(
        post=post,
        year=year,
        serial=serial,
        created=created,
        released=released,
        classification=classification,
        header=header,
        header_kind=header_kind,
        pages=pages,
        marker_style=marker_style,
        caption=caption,
        eo=_eo(created, level, fine),
        tags=_tags(fine, post),
        subject=subject,
        references=references,
        classified_by=classified_by,
        paragraphs=paragraphs,
        signature=_signature(fine, post, year),
        style=fine.choice(("wrapped", "long"), (85, 15)),
        width=fine.choice((65, 60, 68, 70, 55)),
        double_space=fine.flag(0.5),
        last_page_fraction=0.25 + fine.integer(0, 60) / 100,
    )


def _paragraphs(
    chooser: Chooser,
    fine: RandomChooser,
    c: Constraints,
    post: Post,
    year: int,
    month: int,
    classification: str,
    pages: int,
    cast: _prose.Cast,
) -> list[Para]:
    # Length: about 4,100 characters a page (spec: 3,400-4,600), the last page shorter.
    if pages == 1:
        total = 150 + chooser.integer(0, 2800)
    else:
        total = (pages - 1) * (3400 + fine.integer(0, 1200)) + 400 + chooser.integer(0, 2500)
    low, high = max(c.paragraphs[0], pages), max(c.paragraphs[1], pages)
    if c.realistic:
        # Real paragraphs run to 400-900 characters.
        count = min(high, max(low, round(total / (400 + fine.integer(0, 500)))))
    else:
        count = chooser.integer(low, high)
    marks = _markings(fine, classification, count)
    weights = [1 + fine.integer(0, 3) for _ in range(count)]
    targets = [max(60, total * w // sum(weights)) for w in weights]
    # Drawn even when a constraint decides, so that constraints do not change the draws.
    drawn_summary, drawn_bracketed = chooser.flag(0.5), chooser.flag(0.25)
    summary = c.summary if c.summary is not None else (count >= 3 and drawn_summary)
    bracketed = c.bracketed_comment if c.bracketed_comment is not None else drawn_bracketed
    closing = None if count < 3 else chooser.choice((None, "closed", "open"), (50, 30, 20))
    note = chooser.flag(0.2)
    paragraphs: list[Para] = []
    pair = 0
    for index in range(count):
        seed = fine.seed() ^ (index * 0x9E3779B9)
        rng = random.Random(seed)
        maker = _prose.ProseMaker(rng, post, year, month, cast)
        segs: list[Seg] = []
        length = 0
        is_summary = summary and index == 0
        is_closing = closing is not None and index == count - 1 and not (is_summary and count == 1)
        if is_summary:
            pair += 1
            segs.append(Seg(rng.choice(("Summary:", "SUMMARY:")), "open", "summary", pair=pair))
        elif is_closing:
            pair += 1
            segs.append(Seg(rng.choice(("Comment:", "COMMENT:")), "open", "comment", pair=pair))
        while length < targets[index] or not any(s.kind == "text" for s in segs):
            sentence = maker.closing() if is_closing else maker.sentence()
            segs.append(Seg(sentence))
            length += len(sentence) + 1
        if is_summary:
            segs.append(
                Seg(rng.choice(("End summary.", "END SUMMARY.", "End Summary.")), "close", "summary", pair=pair)
            )
        elif closing == "closed" and is_closing:
            segs.append(Seg(rng.choice(("End comment.", "END COMMENT.")), "close", "comment", pair=pair))
        paragraphs.append(Para(number=index + 1, marking=marks[index], segs=segs, seed=seed))
    # An aside in brackets, a comment or a note, in one paragraph that is not a span already.
    plain = [p for p in paragraphs if not any(s.kind != "text" for s in p.segs)]
    for kind, wanted in (("comment", bracketed), ("note", note)):
        if not wanted:
            continue
        if not plain:
            plain = [paragraphs[-1]] if kind == "comment" and c.bracketed_comment else []
            if not plain:
                continue
        para = plain.pop(fine.integer(0, len(plain) - 1)) if len(plain) > 1 else plain.pop()
        rng = random.Random(para.seed + 1)
        maker = _prose.ProseMaker(rng, post, year, month, cast)
        first = 2 if para.segs[0].kind == "open" else 1
        where = fine.integer(min(first, len(para.segs)), len(para.segs))
        pair += 1
        opener = "(Comment:" if kind == "comment" else "(Note:"
        closer = "End comment.)" if kind == "comment" else "End note.)"
        body = maker.closing() if kind == "comment" else maker.aside()
        para.segs[where:where] = [
            Seg(opener, "open", kind, bracketed=True, pair=pair),
            Seg(body),
            Seg(closer, "close", kind, bracketed=True, pair=pair),
        ]
    # Section headings before some paragraphs of longer cables.
    if count >= 4:
        rng = random.Random(paragraphs[0].seed + 7)
        for para in paragraphs[2:]:
            if fine.flag(0.15):
                para.heading = _prose.ProseMaker(rng, post, year, month, cast).heading()
    return paragraphs


# -- the layout: the text and the cable read from it -----------------------------------------------


class Cell:
    """One line of text. Damage keeps a reference to the cell it changed, so that its line number
    is known after other damage inserted or removed lines."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return f"Cell({self.text!r})"


@dataclass
class Sheet:
    """A cable as lines, with its release metadata: what every container format writes."""

    reference_id: str
    created: str
    released: str | None
    classification: str
    origin: str
    subject: str
    header: list[Cell]
    body: list[Cell]
    #: Site text around the cable (page-text only).
    before: list[Cell] = field(default_factory=list)
    after: list[Cell] = field(default_factory=list)

    def page_cells(self) -> list[Cell | None]:
        """The lines of the page-text layout: None for the fixed lines (metadata, blank lines)."""
        cells: list[Cell | None] = []
        if self.before:
            cells += [*self.before, None]
        cells += [None, None, None]
        if self.header:
            cells += [*self.header, None]
        cells += self.body
        if self.after:
            cells += [None, *self.after]
        return cells

    def page_text(self) -> str:
        meta = metadata_lines(self.reference_id, self.created, self.released, self.classification, self.origin)
        lines: list[str] = []
        if self.before:
            lines += [c.text for c in self.before] + [""]
        lines += meta
        if self.header:
            lines += [c.text for c in self.header] + [""]
        lines += [c.text for c in self.body]
        if self.after:
            lines += [""] + [c.text for c in self.after]
        return "\n".join(lines)

    def metadata_line(self) -> int:
        """1-based line of the metadata values in the page text."""
        return (len(self.before) + 1 if self.before else 0) + 2

    def line_numbers(self) -> dict[int, int]:
        """id(cell) -> 1-based line in the page text."""
        return {id(cell): index for index, cell in enumerate(self.page_cells(), 1) if cell is not None}


@dataclass
class SpanCells:
    kind: str
    bracketed: bool
    open_cell: Cell
    open_column: int
    open_text: str
    close_cell: Cell | None
    close_column: int
    close_text: str | None


@dataclass
class Layout:
    """A laid-out cable: its sheet, and where each element is."""

    draft: Draft
    sheet: Sheet
    de: Cell | None
    dtg: Cell | None
    caption: Cell
    eo: Cell
    classified_by: Cell | None
    markers: list[tuple[Cell, ModernPageMarker]]
    paragraphs: list[tuple[Cell, Para]]
    spans: list[SpanCells]
    prose: list[Cell]  # body lines holding prose only (no label, marker, heading or signature)
    signature: Cell
    cable: Cable = field(init=False)


_GLUE = "\x01"  # a space that wrapping must not break (inside "End summary.", before "18.")
_GLUE_BEFORE_NUMBER = re.compile(r" (?=[0-9]{1,3}[a-z]?[.)])")


@cache
def _wrapper(width: int) -> re.Pattern[str]:
    # The longest run of at most ``width`` characters that ends before a space or the end; a
    # word longer than the width gets a line of its own.
    return re.compile(r"(.{1,WIDTH})(?: +|$)|(\S+) *".replace("WIDTH", str(width)))


def wrap_paragraph(text: str, width: int) -> list[str]:
    """Greedy wrap at ``width`` columns; every line ends with one space, as on the cable pages."""
    return [(line or word).rstrip(" ") + " " for line, word in _wrapper(width).findall(text)]


def _paragraph_lines(
    para: Para, style: str, width: int, double_space: bool
) -> tuple[list[str], list[tuple[Seg, int, int]]]:
    """The lines of one paragraph, and (segment, line index, column) of each span piece."""
    label = f"{para.number}. ({para.marking})" if para.marking else f"{para.number}."
    gap = "  " if double_space else " "
    pieces = [label]
    previous: Seg | None = None
    for seg in para.segs:
        pieces.append(" " if previous is None or previous.kind == "open" else gap)
        if seg.kind == "text":
            pieces.append(_GLUE_BEFORE_NUMBER.sub(_GLUE, seg.text) if " " in seg.text else seg.text)
        else:
            pieces.append(seg.text.replace(" ", _GLUE))
        previous = seg
    flat = "".join(pieces)
    lines = wrap_paragraph(flat, width) if style == "wrapped" else [flat]
    lines = [line.replace(_GLUE, " ") for line in lines]
    placed: list[tuple[Seg, int, int]] = []
    line_index, column = 0, 0
    for seg in para.segs:
        if seg.kind == "text":
            continue
        while True:
            found = lines[line_index].find(seg.text, column)
            if found >= 0:
                placed.append((seg, line_index, found))
                column = found + len(seg.text)
                break
            line_index, column = line_index + 1, 0
    return lines, placed


def layout(d: Draft, with_cable: bool = True) -> Layout:
    """Lay the draft out as the release prints it, and compute the cable a parser must read
    (``with_cable=False`` skips that, for corpora)."""
    post = d.post
    header_text = header_lines(d.header)
    header_cells = [Cell(line) for line in header_text]
    de_cell = dtg_cell = None
    if d.header.routing is not None:
        de_cell = next(c for c in header_cells if c.text.startswith("DE "))
    if d.header.dtg is not None:
        dtg_cell = header_cells[[c.text for c in header_cells].index(dtg_line(d.header.precedence, d.header.dtg))]
    serial8 = f"{d.serial:08d}"
    total = f"{d.pages:03d}"

    def marker(page: int) -> ModernPageMarker:
        suffix = "2" if d.marker_style == "suffix" else None
        return ModernPageMarker(
            line=1, post=post.printed, serial=serial8, page=f"{page:03d}", suffix=suffix, total=total
        )

    top_markers = [marker(1)] if d.pages > 1 and d.marker_style == "suffix" else []
    top_text, where = top_lines(
        d.caption,
        d.eo,
        d.tags,
        d.subject,
        d.references,
        [marker_text(m) for m in top_markers],
        d.classified_by,
    )
    body: list[Cell] = [Cell(line) for line in top_text]
    caption_cell = body[where["caption"]]
    eo_cell = body[where["eo"]]
    classified_cell = body[where["classified_by"]] if "classified_by" in where else None
    markers = [(body[where[f"marker{i}"]], m) for i, m in enumerate(top_markers)]
    blank = " " if d.style == "wrapped" else ""
    trail = " " if d.style == "wrapped" else ""
    paragraphs: list[tuple[Cell, Para]] = []
    span_pieces: dict[int, list[tuple[Seg, Cell, int]]] = {}
    prose: list[Cell] = []
    headings: set[int] = set()
    for index, para in enumerate(d.paragraphs):
        if index:
            body.append(Cell(blank))
        if para.heading:
            headings.add(len(body))
            body.append(Cell(para.heading + trail))
            body.append(Cell("-" * len(para.heading) + trail))
            body.append(Cell(blank))
        lines, placed = _paragraph_lines(para, d.style, d.width, d.double_space)
        cells = [Cell(line) for line in lines]
        paragraphs.append((cells[0], para))
        prose += cells[1:]
        for seg, line_index, column in placed:
            span_pieces.setdefault(seg.pair, []).append((seg, cells[line_index], column))
        body += cells
    signature = Cell(d.signature)
    body.append(signature)
    # Page breaks: about every page length of text counted from the caption, at line ends.
    first_paragraph = body.index(paragraphs[0][0])
    if d.pages > 1:
        sizes = [len(cell.text) + 1 for cell in body]
        total_size = sum(sizes)
        page_size = total_size / (d.pages - 1 + d.last_page_fraction)
        breaks: list[int] = []
        cumulative = 0
        for index, size in enumerate(sizes[:-2]):
            cumulative += size
            if index < first_paragraph or index in headings:
                continue
            if len(breaks) < d.pages - 1 and cumulative >= (len(breaks) + 1) * page_size:
                breaks.append(index)
        while len(breaks) < d.pages - 1:
            # Not enough text after the last break (long lines): break at the latest free line ends.
            candidates = [
                i for i in range(len(body) - 2, first_paragraph - 1, -1) if i not in breaks and i not in headings
            ]
            breaks.append(candidates[0])
            breaks.sort()
        first_page = 2
        for number, index in enumerate(sorted(breaks, reverse=True)):
            page = first_page + (len(breaks) - 1 - number)
            m = marker(page)
            cell = Cell(marker_text(m) + trail)
            body.insert(index + 1, cell)
            markers.append((cell, m))
        markers.sort(key=lambda item: body.index(item[0]))
    sheet = Sheet(
        reference_id=d.reference_id,
        created=d.created.strftime("%Y-%m-%dT%H:%M:00"),
        released=d.released.strftime("%Y-%m-%dT%H:%M:00"),
        classification=d.classification,
        origin=post.origin,
        subject=d.subject,
        header=header_cells,
        body=body,
    )
    spans: list[SpanCells] = []
    for pieces in span_pieces.values():
        opener = next(p for p in pieces if p[0].kind == "open")
        closer = next((p for p in pieces if p[0].kind == "close"), None)
        spans.append(
            SpanCells(
                kind=opener[0].span or "",
                bracketed=opener[0].bracketed,
                open_cell=opener[1],
                open_column=opener[2],
                open_text=opener[0].text,
                close_cell=closer[1] if closer else None,
                close_column=closer[2] if closer else 0,
                close_text=closer[0].text if closer else None,
            )
        )
    result = Layout(
        draft=d,
        sheet=sheet,
        de=de_cell,
        dtg=dtg_cell,
        caption=caption_cell,
        eo=eo_cell,
        classified_by=classified_cell,
        markers=markers,
        paragraphs=paragraphs,
        spans=spans,
        prose=prose,
        signature=signature,
    )
    if with_cable:
        result.cable = expected_cable(result)
    return result


def expected_cable(lay: Layout, path: str = "<string>", fmt: str = "page-text") -> Cable:
    """The cable a correct parser reads from the page text of this layout."""
    d = lay.draft
    sheet = lay.sheet
    numbers = sheet.line_numbers()
    text = sheet.page_text()

    def line(cell: Cell) -> int:
        return numbers[id(cell)]

    header = d.header
    if header.routing is not None and lay.de is not None:
        header = header.model_copy(update={"routing": header.routing.model_copy(update={"line": line(lay.de)})})
    spans = sorted(
        (
            (line(s.open_cell), s.open_column),
            Span(
                kind=s.kind,  # type: ignore[arg-type]
                start_line=line(s.open_cell),
                end_line=line(s.close_cell) if s.close_cell is not None else None,
                bracketed=s.bracketed,
            ),
        )
        for s in lay.spans
    )
    redactions: list[Redaction] = []
    for cell in sheet.body:
        start = cell.text.find(_prose.REDACTED)
        while start >= 0:
            end = start
            while end < len(cell.text) and cell.text[end] == "X":
                end += 1
            redactions.append(Redaction(line=line(cell), column=start + 1, length=end - start))
            start = cell.text.find(_prose.REDACTED, end)
    return Cable(
        reference_id=sheet.reference_id,
        created=sheet.created,
        released=sheet.released,
        classification=sheet.classification,  # type: ignore[arg-type]
        origin=sheet.origin,
        header=header,
        caption=d.caption.model_copy(update={"line": line(lay.caption)}),
        eo=d.eo.model_copy(update={"line": line(lay.eo)}),
        tags=d.tags,
        subject=d.subject,
        references=d.references,
        classified_by=(
            d.classified_by.model_copy(update={"line": line(lay.classified_by)})
            if d.classified_by is not None and lay.classified_by is not None
            else None
        ),
        page_markers=[m.model_copy(update={"line": line(cell)}) for cell, m in lay.markers],
        paragraphs=[Paragraph(number=p.number, marking=p.marking, line=line(cell)) for cell, p in lay.paragraphs],
        spans=[span for _, span in spans],
        redactions=redactions,
        signature=d.signature,
        text=text,
        source=Source(path=path, format=fmt),  # type: ignore[arg-type]
    )
