"""``cableschema generate``: a reproducible synthetic corpus with ground truth, for benchmarks.

::

    cableschema generate --count 10000 --seed 7 --damage-rate 0.2 --format html corpus/

writes ``--count`` cables made by the same grammar as :mod:`cableschema.strategies` (plain seeded
randomness, weighted like the release: posts, years, classifications, header kinds, page counts),
in one of the container formats:

``text``  ``cable/YYYY/MM/<ID>.txt``: the page text (metadata line, header, body)
``html``  ``cable/YYYY/MM/<ID>.html``: cablegate pages (sidebar, table, two ``<pre>`` blocks)
``jsonl`` ``cables-NNNNN.jsonl``: mongoexport records, ``--per-file`` a file
``csv``   ``cables-NNNNN.csv``: cables.csv rows, ``--per-file`` a file

With ``--damage-rate R`` a fraction R of the cables get one or two kinds of damage (those the
format can carry: site text only in ``text``). ``ground-truth.tsv`` lists each damage: the file
(relative to OUTDIR), the record (JSON Lines and CSV), the rule code that must report it, the line
in the file and the line in the cable text (as ``cableschema lint`` reports them: ``line`` and
``cable_line``), the variant and a description. ``manifest.toml`` records the arguments and
counts. Neither file is one ``cableschema lint`` reads, so OUTDIR can be linted as it is. The
same arguments give the same bytes, whatever ``--jobs``.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from typing import Any

FORMATS = ("text", "html", "jsonl", "csv")


def add_parser(sub: Any) -> None:
    parser = sub.add_parser(
        "generate",
        help="write a reproducible synthetic corpus with ground truth",
        description=(__doc__ or "").split("::")[0].strip(),
    )
    parser.add_argument("outdir", metavar="OUTDIR", help="directory to write (must be new or empty)")
    parser.add_argument("--count", type=int, required=True, metavar="N", help="number of cables")
    parser.add_argument("--seed", type=int, default=0, metavar="S", help="random seed (default 0)")
    parser.add_argument(
        "--damage-rate", type=float, default=0.0, metavar="R", help="fraction of damaged cables (default 0)"
    )
    parser.add_argument("--format", choices=FORMATS, default="text", help="container format")
    parser.add_argument(
        "--kinds", metavar="CODES", help="comma-separated damage kinds (default: every kind the format can carry)"
    )
    parser.add_argument(
        "--per-file", type=int, default=10_000, metavar="N", help="records a file for jsonl and csv (default 10000)"
    )
    parser.add_argument("--jobs", type=int, default=1, metavar="N", help="worker processes (default 1)")
    parser.set_defaults(handler=main)


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
    """Write the corpus into ``outdir`` (new or empty); return the manifest. Raises ValueError for
    arguments that cannot be honoured."""
    from ._strategies.corpus import generate as _generate  # the generator is only loaded when used

    return _generate(outdir, count, seed, damage_rate, fmt, kinds, per_file, jobs)


def main(args: argparse.Namespace) -> int:
    kinds = tuple(k.strip().upper() for k in args.kinds.split(",") if k.strip()) if args.kinds else None
    started = time.perf_counter()
    try:
        manifest = generate(
            args.outdir,
            args.count,
            seed=args.seed,
            damage_rate=args.damage_rate,
            fmt=args.format,
            kinds=kinds,
            per_file=args.per_file,
            jobs=max(1, args.jobs),
        )
    except ValueError as exc:
        print(f"cableschema: error: {exc}", file=sys.stderr)
        return 2
    elapsed = time.perf_counter() - started
    print(
        f"wrote {manifest['count']:,} cables ({manifest['damaged_cables']:,} damaged) in {manifest['files']:,} "
        f"files to {args.outdir} in {elapsed:.1f} s",
        file=sys.stderr,
    )
    return 0
