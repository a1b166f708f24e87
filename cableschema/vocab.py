"""The vocabularies shipped as package data: posts, origin names, tags, known malformed IDs.

Sources are noted in each data file (``cableschema/data/``); they were copied from
``shared/spec/`` and, for the malformed IDs, from heuer/cablemap's ``consts.py`` (BSD).
Everything is loaded once, lazily, and is read-only.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache
from pkgutil import get_data

#: The six classifications of the release (link text of the cablegate pages).
CLASSIFICATIONS: tuple[str, ...] = (
    "UNCLASSIFIED",
    "UNCLASSIFIED//FOR OFFICIAL USE ONLY",
    "CONFIDENTIAL",
    "CONFIDENTIAL//NOFORN",
    "SECRET",
    "SECRET//NOFORN",
)


def data_text(name: str) -> str:
    """The text of ``cableschema/data/<name>``. (``pkgutil.get_data`` asks the package's loader,
    as ``importlib.resources`` does, zipped installs included; importing the latter and the
    readers it loads took 5-9 ms of every run's start, before the workers could begin.)"""
    data = get_data("cableschema", f"data/{name}")
    if data is None:  # a loader that cannot read data: no installed package has one
        raise FileNotFoundError(f"cableschema/data/{name}")
    return data.decode("utf-8")


def _data_lines(name: str) -> list[str]:
    text = data_text(name)
    return [line for line in text.splitlines() if line.strip() and not line.startswith("#")]


@cache
def origins() -> frozenset[str]:
    """The 293 post tokens of reference IDs (cablemap's list)."""
    return frozenset(line.strip() for line in _data_lines("origins.txt"))


@cache
def origins_in_release() -> dict[str, int]:
    """The 282 tokens that occur in well-formed release IDs, with their cable counts."""
    counts: dict[str, int] = {}
    for line in _data_lines("origins-in-release.tsv"):
        token, _, count = line.partition("\t")
        counts[token.strip()] = int(count or 0)
    return counts


@cache
def origin_names() -> frozenset[str]:
    """The 275 Origin display names of the release (``Embassy Astana``)."""
    return frozenset(line.strip() for line in _data_lines("origin-names.txt"))


@dataclass(frozen=True)
class TagEntry:
    tag: str
    kind: str


@cache
def tags() -> dict[str, str]:
    """TAG -> kind (subject, program, organization, geographic)."""
    table: dict[str, str] = {}
    for line in _data_lines("tags.txt"):
        parts = line.split("\t")
        if len(parts) >= 2:
            table.setdefault(parts[0].strip().upper(), parts[1].strip())
    return table


@dataclass(frozen=True)
class MalformedId:
    malformed: str
    canonical: str
    has_twin: bool  # cablemap's MALFORMED_CABLE_IDS: the good twin is also in the release


@cache
def malformed_ids() -> dict[str, MalformedId]:
    """The 203 release IDs that fail cablemap's pattern, with the ID that would be correct."""
    table: dict[str, MalformedId] = {}
    for line in _data_lines("malformed-ids.tsv"):
        kind, bad, good = line.split("\t")
        table[bad] = MalformedId(bad, good, kind == "M")
    return table


#: Post tokens that name the same post (or a mission at the same place) at different times.
#: A mismatch between two members of one group is not damage.
POST_ALIAS_GROUPS: tuple[frozenset[str], ...] = (
    frozenset({"KIEV", "KYIV"}),
    frozenset({"CALCUTTA", "KOLKATA"}),
    frozenset({"MADRAS", "CHENNAI"}),
    frozenset({"TAIPEI", "AITTAIPEI"}),
    frozenset({"BRUSSELS", "USEUBRUSSELS", "USNATO"}),
    frozenset({"PARIS", "PARISFR", "UNESCOPARISFR", "UNESCOPARIS"}),
    frozenset({"VIENNA", "UNVIEVIENNA", "USOSCE", "UNVIE", "UNVIEVIEN"}),
    frozenset({"GENEVA", "CDGENEVA", "USTRGENEVA"}),
    frozenset({"DUBAI", "RPODUBAI", "IRANRPODUBAI"}),
    frozenset({"DAMASCUS", "DAMASCCUS"}),
    frozenset({"ROME", "UNROME", "VATICAN"}),
    frozenset({"USUNNEWYORK", "USUN", "USUNNEWYORKNY", "USUNNEWYOR"}),
    frozenset({"STATE", "SECSTATE", "SECSTATEWASHDC", "WASHDC"}),
    frozenset({"RANGOON", "YANGON"}),
    frozenset({"OSAKAKOBE", "OSAKA"}),
    frozenset({"HOCHIMINHCITY", "HOCHIMINH"}),
    frozenset({"BANDARSERIBEGAWAN", "BANDARSERI"}),
)


@cache
def _alias_index() -> dict[str, frozenset[str]]:
    index: dict[str, frozenset[str]] = {}
    for group in POST_ALIAS_GROUPS:
        for token in group:
            index[token] = group
    return index


def same_post(a: str, b: str) -> bool:
    """True when two post tokens (spaces removed, upper case) name the same post."""
    a, b = a.replace(" ", "").upper(), b.replace(" ", "").upper()
    if a == b:
        return True
    group = _alias_index().get(a)
    if group is not None and b in group:
        return True
    # Captions and markers may cut a long post name (UNVIE VIEN, CAPE T): a prefix of at least
    # four letters of the other token names the same post.
    shorter, longer = sorted((a, b), key=len)
    return len(shorter) >= 4 and longer.startswith(shorter)


@cache
def _post_prefixes() -> frozenset[str]:
    """Every known post token and alias, and each of their prefixes of four letters or more
    (page markers and captions cut long names: ``BUENOS AIR``, ``UNVIE VIEN``)."""
    tokens = set(origins()) | {token for group in POST_ALIAS_GROUPS for token in group}
    return frozenset(token[:size] for token in tokens for size in range(4, len(token) + 1))


@lru_cache(maxsize=4096)  # once or twice a cable, over a few hundred posts as printed
def known_post_suffix(printed: str) -> int:
    """Where the post starts in ``printed``: the longest run of its last words that names a known
    post (``HANDICAPPING THE FIELD TRIPOLI`` -> the offset of ``TRIPOLI``), or the known tail of
    one glued word (``MOISDUBAI`` -> the offset of ``DUBAI``); 0 when nothing is known."""
    upper = printed.upper()
    known = _post_prefixes()
    starts = [0] + [i + 1 for i, char in enumerate(upper) if char == " "]
    for start in starts:
        if upper[start:].replace(" ", "") in known:
            return start
    last = starts[-1]
    word = upper[last:]
    exact = origins()
    for cut in range(1, len(word) - 3):
        if word[cut:] in exact:
            return last + cut
    return 0


def nearest_posts(token: str, limit: int = 3) -> list[str]:
    """Known post tokens closest to ``token`` by edit distance (for "did you mean")."""
    token = token.upper()
    scored: list[tuple[int, int, str]] = []
    known = origins_in_release()
    for candidate in origins():
        if abs(len(candidate) - len(token)) > 3:
            continue
        distance = edit_distance(token, candidate, cutoff=3)
        if distance <= 3:
            scored.append((distance, -known.get(candidate, 0), candidate))
    scored.sort()
    return [candidate for _, _, candidate in scored[:limit]]


def edit_distance(a: str, b: str, cutoff: int = 1 << 30) -> int:
    """Levenshtein distance, giving up (returning cutoff + 1) once it exceeds ``cutoff``."""
    if a == b:
        return 0
    if abs(len(a) - len(b)) > cutoff:
        return cutoff + 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        best = i
        for j, cb in enumerate(b, 1):
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
            current.append(value)
            best = min(best, value)
        if best > cutoff:
            return cutoff + 1
        previous = current
    return previous[-1]
