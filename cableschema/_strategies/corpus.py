"""The corpus generator behind ``cableschema generate`` (see :mod:`cableschema.generate`)."""

from __future__ import annotations

import json
import os
import random
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import __version__
from . import containers
from . import damage as _damage
from .choices import RandomChooser
from .draft import YEAR_WEIGHTS, Constraints, Sheet, draft, layout
from .posts import Post, all_posts

GROUND_TRUTH_COLUMNS = ("path", "record", "code", "line", "cable_line", "kind", "description")
_CHUNK = 200


@dataclass(frozen=True)
class Options:
    seed: int
    damage_rate: float
    fmt: str
    kinds: tuple[str, ...]


@dataclass
class Made:
    """One generated cable: its sheet and the damage put in."""

    index: int
    sheet: Sheet
    applied: list[_damage.Applied]


@dataclass(frozen=True)
class Record:
    """One cable as written: what the parent process needs to place it and its ground truth."""

    reference_id: str
    created: str
    content: str
    #: (code, line, cable_line, kind, description), lines counted from the record's first line.
    damage: tuple[tuple[str, int, int | None, str, str], ...]


def _identities(seed: int, count: int) -> list[tuple[str, int, int]]:
    """(post token, year, serial) of every cable, unique IDs, weighted like the release."""
    posts = all_posts()
    weights = [p.weight for p in posts]
    years = list(YEAR_WEIGHTS)
    year_weights = list(YEAR_WEIGHTS.values())
    rng = random.Random(f"cableschema-generate:{seed}:ids")
    seen: set[str] = set()
    result: list[tuple[str, int, int]] = []
    for _ in range(count):
        post = rng.choices(posts, weights)[0]
        year = rng.choices(years, year_weights)[0]
        limit = 199_999 if post.is_department else 9_999
        while True:
            serial = rng.randint(1, limit)
            key = f"{year % 100:02d}{post.token}{serial}"
            if key not in seen:
                seen.add(key)
                break
        result.append((post.token, year, serial))
    return result


def make(index: int, identity: tuple[str, int, int], options: Options) -> Made:
    """Cable ``index`` of the corpus: a function of the seed and the index only."""
    table = {p.token: p for p in all_posts()}
    token, year, serial = identity
    post: Post = table[token]
    chooser = RandomChooser(random.Random(f"cableschema-generate:{options.seed}:{index}"))
    constraints = Constraints(realistic=True, pages=(1, 999), paragraphs=(1, 999), identity=(post, year, serial))
    kinds: tuple[str, ...] = ()
    if options.kinds and options.damage_rate > 0 and chooser.flag(options.damage_rate):
        kinds = _damage.choose_kinds(chooser, options.kinds, 1, 2)
        constraints = _damage.requirements(kinds, constraints)
    lay = layout(draft(chooser, constraints), with_cable=False)
    applied = _damage.apply(lay, kinds, chooser) if kinds else []
    return Made(index, lay.sheet, applied)


def _make_chunk(args: tuple[int, list[tuple[str, int, int]], Options]) -> list[Record]:
    start, identities, options = args
    out = []
    for offset, identity in enumerate(identities):
        made = make(start + offset, identity, options)
        content, where = containers.write(made.sheet, options.fmt, row_id=made.index + 1)
        damage = []
        for item in made.applied:
            line, cable_line = where(item.anchor, item.code)
            damage.append((item.code, line, cable_line, item.kind, item.description))
        out.append(Record(made.sheet.reference_id, made.sheet.created, content, tuple(damage)))
    return out


def _chunks(identities: list[tuple[str, int, int]], options: Options) -> Iterator[tuple[int, list[Any], Options]]:
    for start in range(0, len(identities), _CHUNK):
        yield start, identities[start : start + _CHUNK], options


def _page_path(record: Record, suffix: str, taken: set[str]) -> str:
    name = "".join(c for c in record.reference_id if c.isalnum()) or "cable"
    base = f"cable/{record.created[:4]}/{record.created[5:7]}/{name}"
    path = f"{base}.{suffix}"
    number = 2
    while path in taken:
        path = f"{base}_{number}.{suffix}"
        number += 1
    taken.add(path)
    return path


def generate(
    outdir: str | os.PathLike[str],
    count: int,
    seed: int = 0,
    damage_rate: float = 0.0,
    fmt: str = "text",
    kinds: tuple[str, ...] | None = None,
    per_file: int = 10_000,
    jobs: int = 1,
) -> dict[str, Any]:
    """Write the corpus; return the manifest."""
    if fmt not in containers.FORMATS:
        raise ValueError(f"format {fmt!r} is not one of {', '.join(containers.FORMATS)}")
    if count < 0 or per_file < 1 or not 0 <= damage_rate <= 1:
        raise ValueError("--count must be >= 0, --per-file >= 1 and --damage-rate between 0 and 1")
    allowed = tuple(k for k in _damage.KINDS if fmt == "text" or k not in _damage.PAGE_TEXT_ONLY)
    if kinds is None:
        kinds = allowed
    unknown = [k for k in kinds if k not in _damage.KINDS]
    if unknown:
        raise ValueError(f"unknown damage kind(s): {', '.join(unknown)}")
    refused = [k for k in kinds if k not in allowed]
    if refused:
        raise ValueError(f"damage kind(s) {', '.join(refused)} need the text format (site text around a cable)")
    root = Path(outdir)
    if root.exists() and any(root.iterdir()):
        raise ValueError(f"{root} is not empty: generate writes into a new or empty directory")
    root.mkdir(parents=True, exist_ok=True)
    options = Options(seed, damage_rate, fmt, tuple(k for k in _damage.KINDS if k in kinds))
    identities = _identities(seed, count)
    taken: set[str] = set()
    truth: list[tuple[Any, ...]] = []
    damage_counts: Counter[str] = Counter()
    damaged = 0
    files = 0
    shard: Any = None
    shard_path = ""
    shard_records = 0
    shard_lines = 0
    chunks = _chunks(identities, options)
    executor = ProcessPoolExecutor(max_workers=jobs) if jobs > 1 else None
    results = executor.map(_make_chunk, chunks) if executor is not None else map(_make_chunk, chunks)
    try:
        for chunk in results:
            for record in chunk:
                content, damage = record.content, record.damage
                if damage:
                    damaged += 1
                    damage_counts.update(item[0] for item in damage)
                if fmt in ("text", "html"):
                    path = _page_path(record, containers.SUFFIX[fmt], taken)
                    target = root / path
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_text(content, encoding="utf-8", newline="")
                    files += 1
                    truth += [
                        (path, "", code, line, cable_line or "", kind, text)
                        for code, line, cable_line, kind, text in damage
                    ]
                    continue
                if shard is None or shard_records >= per_file:
                    if shard is not None:
                        shard.close()
                    files += 1
                    shard_path = f"cables-{files:05d}.{containers.SUFFIX[fmt]}"
                    shard = open(root / shard_path, "w", encoding="utf-8", newline="")  # noqa: SIM115
                    shard_records = shard_lines = 0
                shard.write(content)
                shard_records += 1
                truth += [
                    (shard_path, shard_records, code, line + shard_lines, cable_line or "", kind, text)
                    for code, line, cable_line, kind, text in damage
                ]
                shard_lines += content.count("\n")
    finally:
        if shard is not None:
            shard.close()
        if executor is not None:
            executor.shutdown()
    with open(root / "ground-truth.tsv", "w", encoding="utf-8", newline="") as handle:
        handle.write("\t".join(GROUND_TRUTH_COLUMNS) + "\n")
        for row in truth:
            handle.write("\t".join(_tsv(value) for value in row) + "\n")
    manifest: dict[str, Any] = {
        "generator": "cableschema generate",
        "version": __version__,
        "seed": seed,
        "count": count,
        "format": fmt,
        "damage_rate": damage_rate,
        "kinds": list(options.kinds),
        "per_file": per_file if fmt in ("jsonl", "csv") else None,
        "files": files,
        "damaged_cables": damaged,
        "damage": dict(sorted(damage_counts.items())),
    }
    (root / "manifest.toml").write_text(_toml(manifest), encoding="utf-8")
    return manifest


def _toml(manifest: dict[str, Any]) -> str:
    lines = []
    for key, value in manifest.items():
        if isinstance(value, dict):
            continue
        if value is None:
            continue
        lines.append(f"{key} = {json.dumps(value)}")
    for key, value in manifest.items():
        if isinstance(value, dict):
            lines.append(f"\n[{key}]")
            lines += [f"{inner} = {json.dumps(count)}" for inner, count in value.items()]
    return "\n".join(lines) + "\n"


def _tsv(value: Any) -> str:
    return str(value).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
