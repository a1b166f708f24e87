"""Prose for generated cables: sentences, subjects and headings in the register of the release.

Everything here is written for cableschema (no sentence is copied from a cable). Sentences are
built from templates and slot fillers by a seeded :class:`random.Random`, so the same seed gives
the same words. The vocabulary avoids what would make a clean cable look damaged or structured:
no ``summary``/``comment``/``note`` outside the spans the generator places, no labels (``REF``,
``TAGS``, ``E.O.``), no markup characters, no web words (``share``, ``log in``, ``subscribe``).
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from functools import cache

from .posts import Post

MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

REDACTED = "XXXXXXXXXXXX"


def _split(text: str) -> tuple[str, ...]:
    return tuple(text.split())


_FIRST = _split(
    """
    Aleksandr Adil Agzam Ahmed Aida Alan Ana Andrei Anna Arman Carlos Chen Daniel David Elena
    Erik Fatima Hassan Ibrahim Igor Ivan Jean Jorge Jose Karim Kenji Lars Leila Luis Maria Marta
    Mehmet Mikhail Nadia Nikolai Omar Pavel Pedro Rafael Rashid Sergei Sofia Stefan Tomas Viktor
    Yusuf
    """
)
_LAST = _split(
    """
    Abdullayev Alvarez Andersen Baranov Becker Bernard Castillo Chang Costa Demir Dimitrov
    Duarte Farouk Fischer Garcia Gomez Haddad Hansen Hoffmann Ibragimov Ivanova Jensen Kaplan
    Kovacs Kurt Lindqvist Lopez Mansour Marino Medina Mendes Molina Morales Nazarov Novak Okafor
    Ortiz Petrov Popescu Quispe Ramos Reyes Rossi Saleh Santos Schmidt Sokolov Suleimenov Tanaka
    Torres Vargas Volkov Yilmaz Zhukov
    """
)
#: Surnames of signers (chiefs of mission), printed in capitals at the end of a cable.
SIGNERS = _split(
    """
    ORDWAY HOAGLAND MILAS BRENNAN CARTER WHITAKER DUNLOP GALLAGHER HARTMAN KESSLER LANDRY
    MCCARTHY PRESTON RADCLIFFE SINCLAIR THORNTON WALSH YOUNG ABERCROMBIE BRADSHAW CALLOWAY
    DONNELLY ELLISON FAIRBANKS GARRISON HOLLOWAY JENNINGS KIMBALL LOCKWOOD MERRIMAN NORCROSS
    OAKLEY PEMBERTON QUINLAN ROWLAND STRATTON TREMAINE UPTON VALENTINE WESTBROOK
    """
)
TWO_WORD_SIGNERS = ("VAN VOORST", "DE LA TORRE", "MC CORMICK")
#: Secretaries of State, by the year they signed the Department's cables.
SECRETARIES = ((1997, "ALBRIGHT"), (2001, "POWELL"), (2005, "RICE"), (2009, "CLINTON"))

_ACTORS = (
    "Poloff",
    "Econoff",
    "PolOff",
    "Pol/Econ Chief",
    "PolCouns",
    "EconCouns",
    "the Ambassador",
    "the DCM",
    "Emboffs",
    "Conoff",
    "the Charge",
    "Embassy officers",
    "USAID officials",
)
_TITLES = (
    "Foreign Minister",
    "Deputy Foreign Minister",
    "Minister of Energy",
    "Minister of Finance",
    "Interior Minister",
    "Prime Minister",
    "presidential adviser",
    "opposition leader",
    "parliamentarian",
    "Central Election Commission chairman",
    "MFA Americas Director",
    "National Security Council secretary",
    "ruling party deputy chairman",
    "local NGO leader",
    "Supreme Court justice",
    "central bank governor",
)
_GROUPS = (
    "opposition parties",
    "ruling party officials",
    "independent journalists",
    "local human rights groups",
    "business leaders",
    "regional governors",
    "the security services",
    "civil society activists",
    "foreign investors",
    "the trade unions",
    "opposition leaders",
    "donor representatives",
)
_TOPICS = (
    "the draft election law",
    "energy sector reform",
    "the upcoming parliamentary elections",
    "bilateral trade",
    "counternarcotics cooperation",
    "the border dispute",
    "religious freedom",
    "the new media law",
    "the privatization program",
    "visa fraud",
    "the national budget",
    "HIV/AIDS programs",
    "judicial reform",
    "the refugee situation",
    "the investment climate",
    "military cooperation",
    "the pipeline project",
    "the anticorruption campaign",
    "regional security",
    "the textile quota negotiations",
    "nonproliferation export controls",
    "the debt restructuring talks",
    "the constitutional amendments",
    "police training programs",
    "the food security initiative",
    "trafficking in persons",
    "the customs union",
    "intellectual property protection",
    "the peace process",
    "the census results",
)
_SAID = (
    "said",
    "told Poloff",
    "noted",
    "stressed",
    "claimed",
    "explained",
    "complained",
    "predicted",
    "acknowledged",
    "argued",
    "confirmed",
    "asserted",
)
_CLAUSES = (
    "the government intends to submit {T} to parliament before the end of the year",
    "{G} are unlikely to accept any changes to {T}",
    "the ministry had not yet received instructions on {T}",
    "progress on {T} would depend on the outcome of the cabinet reshuffle",
    "{G} had been excluded from the working group on {T}",
    "the authorities were prepared to discuss {T} with the United States",
    "funding for {T} had been cut by {N} percent",
    "the president personally approved the final text",
    "local officials had obstructed several requests for meeting facilities",
    "voters in {P} were tired of elections and expected little to change",
    "the delay reflected disagreements within the cabinet rather than any change in policy",
    "the new regulations would take effect in {M}",
    "{G} had little time to prepare for the campaign",
    "the situation had improved somewhat since last year",
    "international observers would be welcome at every stage of the process",
    "the government saw no need to revisit its earlier decision",
    "talks with the neighboring states had stalled over technical details",
    "the ministry would need further assistance to meet the deadline",
    "{N} people had been detained during the protests in {P}",
    "a decision on {T} was expected within weeks",
    "the prime minister had asked for a review of {T}",
    "his office had received no complaints about {T}",
    "the draft had been sent back to the ministry for revisions",
    "{G} were waiting to see how the courts would rule",
    "the cabinet was divided over how far to go on {T}",
    "the police had acted on orders from the regional administration",
    "the government would not allow outside interference in {T}",
)
_SENTENCES = (
    "{A} met with {O} on {D} to discuss {T}.",
    "{O} {S} that {X}.",
    "According to {O}, {X}.",
    "{A} raised {T} with {O}, who {S} that {X}.",
    "{O} was pessimistic about {T}.",
    "In a separate meeting, {O} {S} that {X}.",
    "{G} criticized the handling of {T}.",
    "{O} added that {X}.",
    "The government has made little progress on {T} since {M}.",
    "{O} asked for continued U.S. support on {T}.",
    "{A} urged the government to move quickly on {T}.",
    "Press reports on {D} suggested that {X}.",
    "{O} denied that {X}.",
    "Several contacts in {P} {S} that {X}.",
    "The issue of {T} remains a source of friction between {G} and the government.",
    "{A} reiterated the U.S. position on {T}.",
    "Embassy contacts expect {T} to dominate the agenda for the coming months.",
    "{O} expressed serious concerns about {T}.",
    "{O} {S} that {X}, but offered no details.",
    "The Ambassador delivered the points on {T} to {O} on {D}.",
    "{O} welcomed the offer of technical assistance on {T}.",
    "Official figures show that {X}.",
    "{G} and {G} called for a delay in {T}.",
    "{O} did not expect {T} to be resolved before {M}.",
    "He {S} that {X}.",
    "She added that {X}.",
    'He said the government "will not back down" on {T}.',
    'In his view, {T} was "a matter for the courts."',
    "When pressed, {O} conceded that {X}.",
    "{O} (protect) {S} that {X}.",
    "Poloff also met with {G} in {P}.",
    "The meeting lasted over an hour and was cordial throughout.",
    "{A} noted that the United States had raised {T} at every level.",
    "{O} promised to look into the matter and report back.",
    "Turnout at the rally in {P} was estimated at {N} thousand.",
    "{G} told Emboffs that {X}.",
    "Asked about {T}, {O} {S} that {X}.",
)
_CLOSING = (
    "Post will continue to follow {T} closely.",
    "It remains to be seen whether {G} will accept the compromise.",
    "The government appears unwilling to risk a confrontation over {T}.",
    "We expect {T} to remain contentious through the end of the year.",
    "{O}'s remarks suggest that the leadership has not yet decided how to handle {T}.",
    "These factors will weigh heavily on {T} in the months ahead.",
    "We will seek further meetings with {G} before the vote.",
    "Taken together, these conversations point to a government that is more confident than a year ago.",
    "The outcome will depend largely on whether {G} can agree on a common position.",
)
_ASIDES = (
    "{O} is a long-time Embassy contact.",
    "The ministry later confirmed the figures to Poloff.",
    "The same proposal was rejected by parliament in {M}.",
    "{O} was appointed to the post in {M}.",
    "The figures could not be independently confirmed.",
)
_HEADINGS = (
    "Background",
    "Opposition Complains of Pressure",
    "Economic Outlook",
    "Next Steps",
    "Government Response",
    "Mixed Signals from the Ministry",
    "Regional Implications",
    "Campaign Gets Under Way",
    "Donor Coordination",
    "Security Concerns",
    "Reform Agenda Stalls",
    "Looking Ahead",
)
_HEADLINES = (
    "OPPOSITION PARTIES FACE OBSTACLES AHEAD OF {MU} ELECTIONS",
    "AMBASSADOR RAISES {TU} WITH {TITLEU}",
    "GOVERNMENT DELAYS DECISION ON {TU}",
    "SCENESETTER FOR THE VISIT OF THE DEPUTY SECRETARY",
    "{TU}: SLOW PROGRESS, MANY CHALLENGES",
    "DEMARCHE DELIVERED ON {TU}",
    "{PU} OFFICIALS DISCUSS {TU}",
    "PARLIAMENT DEBATES {TU}",
    "NEW CABINET SIGNALS CONTINUITY ON {TU}",
    "CIVIL SOCIETY CONCERNS OVER {TU}",
)
_WORD = re.compile(r"[A-Za-z]+")
_SLOT = re.compile(r"\{([A-Z]+)\}")
_NUMBERS = ("3", "5", "12", "15", "20", "25", "40", "60", "150", "300")


@cache
def _parts(template: str) -> tuple[tuple[str, str | None], ...]:
    """A template as (literal text, slot key or None) pairs."""
    parts: list[tuple[str, str | None]] = []
    position = 0
    for match in _SLOT.finditer(template):
        parts.append((template[position : match.start()], match.group(1)))
        position = match.end()
    parts.append((template[position:], None))
    return tuple(parts)


def _words_of(*groups: tuple[str, ...]) -> set[str]:
    words: set[str] = set()
    for group in groups:
        for item in group:
            words.update(w.lower() for w in _WORD.findall(item))
    return words


@cache
def vocabulary() -> frozenset[str]:
    """Every word the prose can contain (lower case), and common short English words: a word
    split across lines must not leave pieces that are words themselves."""
    common = _split(
        """
        a an as at be by do go he if in is it me my no of on or so to up us we am are was
        were has had him her his its our out per the and for not but all any can did end few
        get got let may new now off old one own saw say see set she too two use way who why
        yes yet also area each even more most much must only over part said same some such
        than that them then they this very what when will with year ate est ion tion ent
        ment ing ed er re
        """
    )
    return frozenset(
        _words_of(
            _ACTORS,
            _TITLES,
            _GROUPS,
            _TOPICS,
            _SAID,
            _CLAUSES,
            _SENTENCES,
            _CLOSING,
            _ASIDES,
            _HEADINGS,
            MONTH_NAMES,
            common,
        )
    )


@dataclass(frozen=True)
class Cast:
    """Who and what one cable is about: a few officials with fixed names, a main topic and two
    more, the groups involved. Every paragraph of the cable draws from the same cast."""

    officials: tuple[str, ...]
    topics: tuple[str, ...]
    groups: tuple[str, ...]


def make_cast(rng: random.Random) -> Cast:
    titles = rng.sample(_TITLES, 5)
    officials = tuple(f"{title} {rng.choice(_FIRST)} {rng.choice(_LAST)}" for title in titles)
    return Cast(officials, tuple(rng.sample(_TOPICS, 3)), tuple(rng.sample(_GROUPS, 3)))


class ProseMaker:
    """Sentences about one post in one month, from a seeded random generator."""

    def __init__(self, rng: random.Random, post: Post, year: int, month: int, cast: Cast | None = None) -> None:
        self.rng = rng
        self.post = post
        self.year = year
        self.month = month
        self.cast = cast or make_cast(rng)
        self._place = post.printed.title() if not post.is_department else "Washington"
        self._used: dict[int, set[int]] = {}

    def _name(self) -> str:
        return f"{self.rng.choice(_FIRST)} {self.rng.choice(_LAST)}"

    def _official(self) -> str:
        rng = self.rng
        roll = rng.random()
        if roll < 0.08:
            return REDACTED
        if roll < 0.2:
            return rng.choice(("a senior MFA official", "a presidential administration official", "a local journalist"))
        officials = self.cast.officials
        # The first officials of the cast are the cable's main interlocutors.
        return officials[min(int(rng.random() ** 2 * len(officials)), len(officials) - 1)]

    def _topic(self) -> str:
        roll = self.rng.random()
        topics = self.cast.topics
        return (
            topics[0]
            if roll < 0.55
            else topics[1]
            if roll < 0.8
            else topics[2]
            if roll < 0.93
            else self.rng.choice(_TOPICS)
        )

    def _date(self) -> str:
        day = self.rng.randint(1, 28)
        return f"{MONTH_NAMES[self.month - 1]} {day}"

    def _fill(self, template: str) -> str:
        """A template with its slots filled, capitalised as a sentence."""
        text = self._expand(template)
        return text[0].upper() + text[1:] if text[:1].islower() else text

    def _expand(self, template: str) -> str:
        rng = self.rng
        out: list[str] = []
        for literal, key in _parts(template):
            out.append(literal)
            if key is None:
                continue
            if key == "A":
                out.append(rng.choice(_ACTORS))
            elif key == "O":
                out.append(self._official())
            elif key == "T":
                out.append(self._topic())
            elif key == "G":
                out.append(rng.choice(self.cast.groups))
            elif key == "S":
                out.append(rng.choice(_SAID))
            elif key == "D":
                out.append(self._date())
            elif key == "P":
                out.append(self._place)
            elif key == "N":
                out.append(rng.choice(_NUMBERS))
            elif key == "M":
                out.append(rng.choice(MONTH_NAMES))
            elif key == "X":
                out.append(self._expand(rng.choice(_CLAUSES)))
            elif key == "TU":
                out.append(self.cast.topics[0].upper().removeprefix("THE "))
            elif key == "MU":
                out.append(rng.choice(MONTH_NAMES).upper())
            elif key == "TITLEU":
                out.append(self.cast.officials[0].rsplit(" ", 2)[0].upper())
            elif key == "PU":
                out.append(self._place.upper())
            else:
                raise KeyError(key)
        return "".join(out)

    def _fresh(self, templates: tuple[str, ...]) -> str:
        """A template not used since the maker was made (until all have been)."""
        used = self._used.setdefault(id(templates), set())
        if len(used) >= len(templates):
            used.clear()
        while True:
            index = self.rng.randrange(len(templates))
            if index not in used:
                used.add(index)
                return templates[index]

    def sentence(self) -> str:
        return self._fill(self._fresh(_SENTENCES))

    def closing(self) -> str:
        return self._fill(self._fresh(_CLOSING))

    def aside(self) -> str:
        return self._fill(self.rng.choice(_ASIDES))

    def heading(self) -> str:
        return self.rng.choice(_HEADINGS)

    def subject(self) -> str:
        head = self.post.country.upper().removeprefix("THE ") if not self.post.is_department else ""
        line = self._fill(self.rng.choice(_HEADLINES))
        return f"{head}: {line}" if head and ":" not in line and self.rng.random() < 0.6 else line

    def name(self) -> str:
        return self._name()
