"""Benchmark of ``cableschema schema validate``: documents per second on a JSON Lines file of at
least 10,000 cable documents, beside a floor measured in the same run, with peak memory.

    python benchmarks/bench_schema.py                    # 10,000 documents
    python benchmarks/bench_schema.py --documents 50000  # more
    python benchmarks/bench_schema.py --jsonschema-documents 0   # jsonschema on every document

The file is built by parsing ../shared/corpus (or fixtures/sample when it is absent) to
``cable/1-0-0`` documents and repeating them. Each measure runs in its own Python process so that
its peak resident memory is its own:

- ``read``: read the lines (the least any validator does);
- ``floor``: read the lines and ``json.loads`` each: what a validator written in Python cannot avoid;
- ``pydantic``: ``Cable.model_validate_json(line, strict=True)`` on each line (no ``json.loads``);
- ``jsonschema``: ``json.loads`` and ``Draft202012Validator.is_valid`` (on the first
  ``--jsonschema-documents`` documents, it is slow);
- ``validate``: what ``schema validate`` does (``schema.validate_stream``: pydantic decides,
  jsonschema words the problem of an invalid document);
- ``cli``: the ``cableschema schema validate FILE`` command (``cli.main``), imports included.

Shared machines are noisy: compare the ratios to the floor, not absolute times.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
SAMPLE = ROOT / "fixtures" / "sample"

CHILD = r"""
import json, resource, sys, time
mode, path, limit = sys.argv[1], sys.argv[2], int(sys.argv[3])
count = invalid = 0
size = 0
start = time.perf_counter()
if mode == "cli":
    import contextlib, io, os
    from cableschema.cli import main
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        main(["schema", "validate", "-q", path])
    invalid = len(out.getvalue().splitlines())
    count = sum(1 for _ in open(path, "rb"))
    size = os.path.getsize(path)
elif mode == "read":
    with open(path, "rb") as stream:
        for line in stream:
            count += 1; size += len(line)
elif mode == "floor":
    with open(path, "rb") as stream:
        for line in stream:
            json.loads(line); count += 1; size += len(line)
elif mode == "pydantic":
    from pydantic import ValidationError
    from cableschema.model import Cable
    start = time.perf_counter()
    with open(path, "rb") as stream:
        for line in stream:
            count += 1; size += len(line)
            try:
                Cable.model_validate_json(line, strict=True, by_alias=True, by_name=False)
            except ValidationError:
                invalid += 1
elif mode == "jsonschema":
    from cableschema import schema
    validator = schema.validator("cable")
    start = time.perf_counter()
    with open(path, "rb") as stream:
        for line in stream:
            if limit and count >= limit:
                break
            count += 1; size += len(line)
            if not validator.is_valid(json.loads(line)):
                invalid += 1
elif mode == "validate":
    from cableschema import schema
    start = time.perf_counter()
    with open(path, "rb") as stream:
        for _, problem in schema.validate_stream(stream):
            count += 1
            invalid += problem is not None
    size = __import__("os").path.getsize(path)
seconds = time.perf_counter() - start
try:  # VmHWM: this process's peak (ru_maxrss would keep the parent's across fork and exec)
    status = open("/proc/self/status").read()
    peak = int(status.split("VmHWM:")[1].split()[0]) / 1024
except (OSError, IndexError, ValueError):
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"mode": mode, "documents": count, "invalid": invalid, "bytes": size, "seconds": seconds,
                  "peak_mb": peak}))
"""


def build_file(target: Path, documents: int) -> tuple[int, int]:
    """Write ``documents`` cable documents as JSON Lines; returns (distinct documents, bytes)."""
    from cableschema.document import Document
    from cableschema.parser import parse
    from cableschema.readers import iter_file

    source = CORPUS if CORPUS.is_dir() else SAMPLE
    lines: list[str] = []
    for path in sorted(p for p in source.rglob("*") if p.is_file() and p.suffix not in (".pdf", ".md", ".tsv")):
        for item in iter_file(path):
            if isinstance(item, Document):
                lines.append(json.dumps(parse(item).data, ensure_ascii=False))
    if not lines:
        raise SystemExit(f"no cable documents in {source}")
    with target.open("w", encoding="utf-8") as out:
        for index in range(documents):
            out.write(lines[index % len(lines)] + "\n")
    return len(lines), target.stat().st_size


def run_child(mode: str, path: Path, limit: int) -> dict[str, Any]:
    result = subprocess.run(
        [sys.executable, "-c", CHILD, mode, str(path), str(limit)],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    measured: dict[str, float] = json.loads(result.stdout.strip().splitlines()[-1])
    return measured


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=10_000, help="documents in the file (default 10,000)")
    parser.add_argument(
        "--jsonschema-documents",
        type=int,
        default=2_000,
        help="documents jsonschema alone validates (0: all; default 2,000)",
    )
    parser.add_argument("--json", action="store_true", help="print the measures as JSON")
    args = parser.parse_args(argv)
    if args.documents < 1:
        parser.error("--documents must be 1 or more")
    with tempfile.TemporaryDirectory(prefix="cableschema-bench-") as folder:
        path = Path(folder) / "cables.jsonl"
        distinct, size = build_file(path, args.documents)
        print(
            f"file: {args.documents:,} documents ({distinct:,} distinct, parsed from "
            f"{'the corpus' if CORPUS.is_dir() else 'the sample'}), {size / 1e6:.1f} MB",
            file=sys.stderr,
        )
        measures = [run_child(mode, path, 0) for mode in ("read", "floor", "pydantic", "validate")]
        measures.append(run_child("jsonschema", path, args.jsonschema_documents))
        measures.append(run_child("cli", path, 0))
    floor = next(m for m in measures if m["mode"] == "floor")
    floor_rate = floor["documents"] / floor["seconds"]
    if args.json:
        print(json.dumps(measures, indent=2))
        return 0
    print(
        f"{'measure':<11} {'documents':>9} {'invalid':>7} {'seconds':>8} {'docs/s':>9} {'MB/s':>7} "
        f"{'x floor':>7} {'peak MB':>8}"
    )
    for m in measures:
        rate = m["documents"] / m["seconds"] if m["seconds"] else float("inf")
        print(
            f"{m['mode']:<11} {int(m['documents']):>9,} {int(m['invalid']):>7} {m['seconds']:>8.2f} "
            f"{rate:>9,.0f} {m['bytes'] / 1e6 / m['seconds']:>7.1f} {floor_rate / rate:>7.2f} {m['peak_mb']:>8.1f}"
        )
    pydantic = next(m for m in measures if m["mode"] == "pydantic")
    schema_only = next(m for m in measures if m["mode"] == "jsonschema")
    speedup = (pydantic["documents"] / pydantic["seconds"]) / (schema_only["documents"] / schema_only["seconds"])
    print(f"pydantic (strict JSON) is {speedup:.0f}x faster than jsonschema per document", file=sys.stderr)
    if os.environ.get("CI"):
        print("(CI: figures from a shared runner)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
