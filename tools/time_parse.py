"""CPU time of reading and of parsing a corpus, phase by phase, in one process.

    python tools/time_parse.py                      # ../shared/corpus
    python tools/time_parse.py PATH... --repeat 3   # best of three runs of each phase
    python tools/time_parse.py --profile parse      # cProfile one phase, top functions by own time

Reading is every file discovered as ``cableschema lint`` discovers them, read into documents (file
input, decoding, format detection, the readers); parsing is ``cableschema.parse`` of each document
(the parser, the cable document and its validation). CPU time (``time.process_time``), not wall
time: the machine may be shared.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import time
from collections.abc import Callable
from pathlib import Path

from cableschema.config import Settings
from cableschema.document import Document
from cableschema.engine import discover
from cableschema.parser import parse
from cableschema.readers import iter_file

DEFAULT_CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"


def read_all(files: list[str]) -> list[Document]:
    documents: list[Document] = []
    for path in files:
        documents.extend(item for item in iter_file(path) if isinstance(item, Document))
    return documents


def parse_all(documents: list[Document]) -> None:
    for document in documents:
        parse(document)


def best_of(repeat: int, work: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        work()
        best = min(best, time.process_time() - start)
    return best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("paths", nargs="*", default=[str(DEFAULT_CORPUS)])
    parser.add_argument("--repeat", type=int, default=1, help="runs of each phase; the best is shown")
    parser.add_argument("--profile", choices=("read", "parse"), help="profile one phase with cProfile")
    parser.add_argument("--top", type=int, default=30, help="functions shown by --profile")
    args = parser.parse_args(argv)

    files, missing = discover(args.paths, Settings())
    if missing:
        print(f"not found: {', '.join(missing)}", file=sys.stderr)
        return 2
    documents = read_all(files)  # also warms imports, vocabularies and compiled patterns
    if documents:
        parse(documents[0])

    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        if args.profile == "read":
            read_all(files)
        else:
            parse_all(documents)
        profiler.disable()
        pstats.Stats(profiler).sort_stats("tottime").print_stats(args.top)
        return 0

    read_seconds = best_of(args.repeat, lambda: read_all(files))
    parse_seconds = best_of(args.repeat, lambda: parse_all(documents))
    count = max(1, len(documents))
    print(f"{len(files)} files, {len(documents)} documents")
    print(f"read   {read_seconds:7.3f} s CPU  {1000 * read_seconds / count:7.3f} ms/document")
    print(f"parse  {parse_seconds:7.3f} s CPU  {1000 * parse_seconds / count:7.3f} ms/document")
    total = read_seconds + parse_seconds
    print(f"total  {total:7.3f} s CPU  {1000 * total / count:7.3f} ms/document")
    return 0


if __name__ == "__main__":
    sys.exit(main())
