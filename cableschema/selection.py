"""Which rules run on which file, at what severity: flake8's decision, longest prefix wins.

``select`` and ``ignore`` hold codes or prefixes (``T5``, ``T501``, ``ALL``). For a code, the
longest matching prefix of each list is found; the longer one decides, and a tie goes to
``ignore`` (the explicit exclusion). ``extend-select`` adds to ``select``. Per-file ignores add
to ``ignore`` for files matching a glob.
"""

from __future__ import annotations

import fnmatch
import functools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from . import _regex

SEVERITIES = ("error", "warning", "info")

_PREFIX = _regex.compile(r"^(?:ALL|[EMHPSTW][0-9]{0,3})$")
_EXAMPLES = "(e.g. T501, T5, T, ALL)"

# The codes of the rule pack. A selection is checked against them without importing every rule,
# which costs more than the rest of a run served by the cache; a test keeps them equal to the
# registry, and rules a caller registers (already in REGISTRY) are known too.
RULE_CODES = frozenset(
    (
        *("E001", "E002", "E009"),
        *(f"H2{n:02}" for n in range(1, 15)),
        *(f"M1{n:02}" for n in range(1, 10)),
        *(f"P30{n}" for n in range(1, 6)),
        *(f"S4{n:02}" for n in range(1, 12)),
        *("T501", "T502", "T504", "T505", "T506", "T507", "T508", "T509"),
        *("W601", "W602", "W604", "W605"),
    )
)


class SelectionError(ValueError):
    """A bad code or prefix in a selection; the message names it."""


def known_codes() -> frozenset[str]:
    """Every rule code a selection may name: the rule pack's and any registered since."""
    from .rules import REGISTRY  # the registry module alone: no rule is imported

    return RULE_CODES.union(REGISTRY) if REGISTRY.keys() - RULE_CODES else RULE_CODES


def _check_code(piece: str, option: str, known: frozenset[str]) -> str:
    code = piece.upper()
    if not _PREFIX.match(code):
        raise SelectionError(f"{option}: {piece!r} is not a rule code or prefix {_EXAMPLES}")
    if code != "ALL" and not any(k.startswith(code) for k in known):
        # As ruff's "unknown rule selector": a code that matches nothing would run (or ignore)
        # nothing without a word.
        raise SelectionError(f"{option}: {piece!r} matches no rule (`cableschema rules` lists them)")
    return code


def parse_codes(values: Iterable[str] | str | None, option: str) -> tuple[str, ...]:
    """``"T5, M101"`` or ``["T5", "M101"]`` -> ``("T5", "M101")``; rejects unknown shapes, codes
    and prefixes that match no rule, and a value that holds no code at all (``""``, ``","``)."""
    if values is None:
        return ()
    if isinstance(values, str):
        values = [values]
    known = known_codes()
    codes: list[str] = []
    for value in values:
        if not isinstance(value, str):
            raise SelectionError(f"{option}: {value!r} is not a rule code or prefix {_EXAMPLES}")
        pieces = [piece for piece in re.split(r"[,\s]+", value.strip()) if piece]
        if not pieces:
            raise SelectionError(f"{option}: {value!r} holds no rule code {_EXAMPLES}")
        codes.extend(_check_code(piece, option, known) for piece in pieces)
    return tuple(codes)


def parse_code(value: str, option: str) -> str:
    """Exactly one code or prefix (a key of ``severity``)."""
    codes = parse_codes(value, option)
    if len(codes) != 1:
        raise SelectionError(f"{option}: {value!r} is not one rule code or prefix (give each its own entry)")
    return codes[0]


def parse_severity(item: str, option: str = "--severity") -> tuple[str, str]:
    """``"T507=info"`` -> ``("T507", "info")``."""
    code, sep, level = item.partition("=")
    if not sep or level not in SEVERITIES:
        raise SelectionError(f"{option}: {item!r} is not CODE=error|warning|info")
    return parse_code(code, option), level


def _longest(code: str, prefixes: Sequence[str]) -> int:
    best = -1
    for prefix in prefixes:
        if prefix == "ALL":
            best = max(best, 0)
        elif code.startswith(prefix):
            best = max(best, len(prefix))
    return best


@dataclass(frozen=True)
class Selection:
    select: tuple[str, ...] = ("ALL",)
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    severity: Mapping[str, str] = field(default_factory=dict)

    def is_selected(self, code: str, path: str | None = None, *, ignores: tuple[str, ...] | None = None) -> bool:
        """Whether ``code`` runs on ``path``. ``ignores``: the path's :meth:`file_ignores`, when
        the caller has them (a file's per-file ignores, found once for all its codes)."""
        selected = _longest(code, self.select + self.extend_select)
        if selected < 0 or selected <= _longest(code, self.ignore):
            return False
        # Per-file ignores are applied after selection, as in ruff: they always win.
        return _longest(code, self.file_ignores(path) if ignores is None else ignores) < 0

    def file_ignores(self, path: str | None) -> tuple[str, ...]:
        if path is None or not self.per_file_ignores:
            return ()
        normalised = path.replace("\\", "/")
        extra: list[str] = []
        for glob, codes in self._per_file_globs:
            if glob.matches(normalised):
                extra.extend(codes)
        return tuple(extra)

    @functools.cached_property
    def _per_file_globs(self) -> tuple[tuple[Glob, tuple[str, ...]], ...]:
        return tuple((Glob(pattern), codes) for pattern, codes in self.per_file_ignores)

    def severity_of(self, code: str, default: str) -> str:
        """Severity overrides: an exact code, else the longest prefix, else the rule default."""
        best, value = -1, default
        for prefix, level in self.severity.items():
            length = _longest(code, (prefix,))
            if length > best:
                best, value = length, level
        return value


def _glob_match(path: str, pattern: str) -> bool:
    """Glob on the path or any of its trailing parts: ``*.html`` matches ``a/b/c.html``."""
    pattern = pattern.replace("\\", "/")
    if fnmatch.fnmatchcase(path, pattern):
        return True
    if "/" not in pattern:
        return fnmatch.fnmatchcase(path.rsplit("/", 1)[-1], pattern)
    parts = path.split("/")
    return any(fnmatch.fnmatchcase("/".join(parts[i:]), pattern) for i in range(1, len(parts)))


glob_match = _glob_match


class Glob:
    """:func:`glob_match` of one pattern, its regular expression compiled once: a run tries every
    per-file ignore and every ``exclude`` pattern on every file (through ``fnmatch``, each call a
    look-up of the compiled pattern, 40 patterns on 10,000 files took seconds)."""

    def __init__(self, pattern: str) -> None:
        pattern = pattern.replace("\\", "/")
        translated = fnmatch.translate(pattern)  # "(?s:...)\Z", what fnmatchcase matches
        self._match = re.compile(translated).match
        self._trailing_parts = "/" in pattern
        if self._trailing_parts and translated.startswith("(?s:") and translated.endswith(")\\Z"):
            # The path or any of its trailing parts, in one match: whatever runs up to a "/"
            # may come first (the engine tries each "/" in C).
            self._match = re.compile(f"(?s:(?:.*/)?(?:{translated[4:-3]}))\\Z").match
            self._trailing_parts = False
            self._name_too = False
        else:
            self._name_too = not self._trailing_parts

    def matches(self, path: str) -> bool:
        """Whether ``path`` (its separators ``/``) or, as :func:`glob_match` says, its name or
        one of its trailing parts matches."""
        if self._match(path):
            return True
        if self._name_too:
            return self._match(path.rsplit("/", 1)[-1]) is not None
        if not self._trailing_parts:
            return False
        parts = path.split("/")
        return any(self._match("/".join(parts[i:])) for i in range(1, len(parts)))


class GlobSet:
    """Globs compiled once: those without a slash match a file's name (one regular expression),
    the others the path or any of its trailing parts, as :func:`glob_match` does."""

    def __init__(self, patterns: Sequence[str]) -> None:
        names = [p for p in patterns if "/" not in p.replace("\\", "/")]
        self._names = re.compile("|".join(fnmatch.translate(p) for p in names)) if names else None
        self._paths = [Glob(p) for p in patterns if p not in names]

    def matches(self, path: str, name: str | None = None) -> bool:
        if name is None:
            name = path.replace("\\", "/").rsplit("/", 1)[-1]
        if self._names is not None and self._names.match(name):
            return True
        normalised = path.replace("\\", "/")
        return any(glob.matches(normalised) for glob in self._paths)
