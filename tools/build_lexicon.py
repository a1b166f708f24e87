"""Build ``cableschema/data/lexicon.txt``: the words T501 (word-split-across-lines) knows.

Run from the repository root with ``../shared`` present::

    python tools/build_lexicon.py                      # corpus words + the system word lists
    python tools/build_lexicon.py --no-wordlists       # corpus words only
    python tools/build_lexicon.py --exclude IDS.txt    # hold some cables out (for evaluation)

Two sources, merged and lower-cased:

1. **Words seen whole in real cables**: every cable of ``../shared/corpus`` is read with
   cableschema's own readers and parser. A word counts only where it stands *inside* a line
   (neither the first nor the last word of its line), because a word broken across a line break
   leaves its halves exactly at line ends and line starts (``Opport`` / ``unity`` in a real
   cable): the 14 real breaks of the corpus teach the list nothing. Only the text after the
   routing header is read, TAGS lines left out (tag codes are no words), and JSON records are
   left out: their newlines were deleted, which glues neighbouring lines' words together
   (``ZZHO``, ``TerrorismSUBJECT``). A word must be seen whole in at least ``--min-cables``
   distinct cables (by reference ID, so a cable kept in two formats counts once), which drops
   one-off typos and garbles; redaction runs glued to words (``XXXXXXXXXXXXsaid``) are dropped.
   The number of cables each word was seen in is kept: T501 weighs how likely two halves are to
   meet by chance against how common the joined word is.
2. **A curated English word list**: SCOWL's ``american-english`` and ``british-english``
   (Debian packages ``wamerican`` and ``wbritish``, installed with ``apt-get install wamerican
   wbritish``; licence: permission to use, copy, modify, distribute and sell, Kevin Atkinson and
   the list's other authors, see ``/usr/share/doc/wamerican/copyright``). Only alphabetic entries
   of two or more letters are kept (no possessives).

Only words of letters ``a-z`` are stored; one-letter words are left out on purpose (``x`` in
``comple`` / ``x`` is not a word). After a comment header saying how it was made, the words are
grouped by the number of cables each was seen whole in (``0`` for words only the lists know): a
line holds the number, a tab, and up to 1,000 of its words, sorted, separated by spaces (every
worker of a run reads the list, and reading a count for each word took a third of that). The
script is deterministic; its output is committed.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cableschema.document import Document  # noqa: E402
from cableschema.parser import parse  # noqa: E402
from cableschema.readers import iter_file  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus"
OUT = ROOT / "cableschema" / "data" / "lexicon.txt"
WORDLISTS = (Path("/usr/share/dict/american-english"), Path("/usr/share/dict/british-english"))
#: A word between non-letters. Parts of contractions (``we've``), of addresses (``gob.ve``,
#: ``noc.com.ly``) and the second part of a hyphenated compound (``-ly``) are not counted.
_WORD = re.compile(r"(?<![A-Za-z0-9'’./@_-])[A-Za-z]{2,40}(?![A-Za-z0-9_@/]|['’.][A-Za-z])")
_ALPHA = re.compile(r"^[a-z]{2,40}$")


def corpus_words(corpus: Path, min_cables: int, exclude: set[str]) -> tuple[dict[str, int], int]:
    """Words seen inside lines of at least ``min_cables`` distinct cables, with the number of
    cables each was seen in; and the number of cables read."""
    seen_in: dict[str, set[str]] = defaultdict(set)
    cables: set[str] = set()
    for path in sorted(corpus.rglob("*")):
        if not path.is_file() or path.name in ("INDEX.tsv", "SOURCES.md"):
            continue
        for item in iter_file(str(path)):
            if not isinstance(item, Document):
                continue
            if item.format in ("jsonl", "json"):
                continue  # records with their newlines deleted glue words together (``ZZHO``)
            parsed = parse(item)
            if not parsed.is_cable:
                continue
            key = parsed.reference_id or f"{path}#{item.record}"
            if key in exclude:
                continue
            cables.add(key)
            parts = parsed.parts
            skip = set()
            if parts.tags is not None:  # tag codes (``LY``, ``PGOV``) are not words
                skip = set(range(parts.tags.line, parsed.document.cable_line(parts.tags.end)))
            for index in range(parts.header.end_line, parts.cable_end_line):
                if index in skip:
                    continue
                line = parts.lines[index]
                stripped = line.strip()
                if not stripped:
                    continue
                lead = len(line) - len(line.lstrip())
                last = lead + len(stripped)
                for match in _WORD.finditer(line):
                    if match.start() == lead or match.end() == last:
                        continue  # a line's first or last word may be half of a broken word
                    word = match.group().lower()
                    if "xxx" not in word:  # redactions glued to words (``XXXXXXXXXXXXsaid``)
                        seen_in[word].add(key)
    return {word: len(keys) for word, keys in seen_in.items() if len(keys) >= min_cables}, len(cables)


def wordlist_words(paths: list[Path]) -> set[str]:
    words: set[str] = set()
    for path in paths:
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            word = line.strip().lower()
            if _ALPHA.match(word):
                words.add(word)
    return words


#: Words on one line of the lexicon at most.
LINE_WORDS = 1000


def write_lexicon(path: Path, header: list[str], counts: dict[str, int]) -> None:
    """The header, then the words grouped by count: ``count<TAB>word word ...``, counts ascending,
    words sorted, at most :data:`LINE_WORDS` a line."""
    groups: dict[int, list[str]] = defaultdict(list)
    for word in sorted(counts):
        groups[counts[word]].append(word)
    rows = [
        f"{count}\t{' '.join(group[start : start + LINE_WORDS])}"
        for count, group in sorted(groups.items())
        for start in range(0, len(group), LINE_WORDS)
    ]
    path.write_text("\n".join([*header, *rows]) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--output", type=Path, default=OUT)
    parser.add_argument("--min-cables", type=int, default=2)
    parser.add_argument("--no-wordlists", action="store_true", help="corpus words only")
    parser.add_argument("--exclude", type=Path, help="file of reference IDs to leave out (held-out evaluation)")
    args = parser.parse_args(argv)
    exclude = set(args.exclude.read_text().split()) if args.exclude else set()
    if not args.corpus.is_dir():
        print(f"{args.corpus}: not found; the corpus is needed", file=sys.stderr)
        return 2
    from_corpus, cable_count = corpus_words(args.corpus, args.min_cables, exclude)
    lists = [] if args.no_wordlists else [p for p in WORDLISTS if p.is_file()]
    if not args.no_wordlists and len(lists) < len(WORDLISTS):
        print("word lists missing: apt-get install wamerican wbritish (or pass --no-wordlists)", file=sys.stderr)
        return 2
    from_lists = wordlist_words(lists)
    words = sorted(set(from_corpus) | from_lists)
    header = [
        "# T501's lexicon: lower-case words of two or more letters, grouped by the number of real cables",
        "# each was seen whole in (0: only in the word lists): the number, a tab, the words. Built by",
        "# tools/build_lexicon.py:",
        f"# {len(from_corpus)} words seen inside lines of at least {args.min_cables} of {cable_count} real cables"
        " (shared/corpus),",
        f"# merged with {len(from_lists)} words of SCOWL's american-english and british-english lists"
        " (Debian wamerican, wbritish;",
        "# Copyright 2000-2011 Kevin Atkinson and others, used under its permission to copy and distribute).",
        f"# {len(words)} words in all.",
        f"# cables read: {cable_count}",
    ]
    write_lexicon(args.output, header, {word: from_corpus.get(word, 0) for word in words})
    print(f"{args.output}: {len(words)} words ({len(from_corpus)} from {cable_count} cables)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
