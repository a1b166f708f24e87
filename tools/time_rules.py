"""Time every cable rule over a corpus: parse each cable once, then run each rule over all of them.

Usage::

    .venv/bin/python tools/time_rules.py /work/shared/corpus            # every cable rule
    .venv/bin/python tools/time_rules.py /work/shared/corpus T507 T501  # only these codes
    .venv/bin/python tools/time_rules.py /work/shared/corpus --profile T507  # cProfile one rule

Prints, per rule, the CPU time (``time.process_time``: the machine is shared and wall time is
noisy) and the number of violations, then the total. The reading and parsing are not counted:
this measures the rules alone, as the engine runs them (one Context per cable, shared by all).
Facts that several rules share (``validators/_shared.py``'s ``per_cable``) are computed by the
first rule that asks, as in the engine. With ``--repeat N`` the whole set of rules runs N times
(the shared facts forgotten before each round) and each rule's best time is kept.

``--engine-order`` runs every rule on one cable before the next, as the engine does (the
shared facts are then found as the last cable's, not looked up): it prints the best total CPU
of the rounds, and each rule's share of the wall time (``time.perf_counter_ns`` around each
call, so the shares are rough).

The parsed corpus is frozen out of the garbage collector's reach (``gc.freeze``): the engine
holds one cable at a time, and a collector walking 2,000 parsed cables on every full collection
would charge the rules for a heap they never see.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import pstats
import time
from pathlib import Path

from cableschema.validators import _shared

from cableschema.document import Document
from cableschema.parser import parse
from cableschema.readers import iter_file
from cableschema.rules import Context, Rule, load, rules_by_scope

_SKIP_SUFFIXES = (".pdf", ".md", ".tsv")


def contexts_of(root: Path) -> list[Context]:
    """One Context per cable of every file under ``root`` (as the engine builds them)."""
    paths = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
    documents = [
        document
        for path in paths
        if path.suffix not in _SKIP_SUFFIXES
        for document in iter_file(path)
        if isinstance(document, Document)
    ]
    return [Context(parsed.document, parsed) for parsed in map(parse, documents) if parsed.is_cable]


def time_rule(rule: Rule, contexts: list[Context]) -> tuple[float, int]:
    """CPU seconds of ``rule`` over all contexts, and its violation count."""
    assert rule.check is not None
    start = time.process_time()
    found = sum(1 for context in contexts for _ in rule.check(context))
    return time.process_time() - start, found


def time_rules(rules: list[Rule], contexts: list[Context], repeat: int) -> list[tuple[float, int, str]]:
    """(best CPU seconds, violations, code) of each rule, over ``repeat`` rounds of all rules."""
    best: dict[str, tuple[float, int]] = {}
    for _ in range(repeat):
        getattr(_shared, "forget", lambda: None)()  # (a tree without shared facts: nothing to forget)
        for rule in rules:
            seconds, found = time_rule(rule, contexts)
            if rule.code not in best or seconds < best[rule.code][0]:
                best[rule.code] = (seconds, found)
    return [(seconds, found, code) for code, (seconds, found) in best.items()]


def time_engine_order(rules: list[Rule], contexts: list[Context], repeat: int) -> tuple[float, dict[str, int]]:
    """Best total CPU seconds of all rules run cable by cable, and each rule's nanoseconds
    (perf_counter, summed over the rounds)."""
    best = float("inf")
    shares = dict.fromkeys((rule.code for rule in rules), 0)
    checks = [(rule.code, rule.check) for rule in rules]
    clock = time.perf_counter_ns
    for _ in range(repeat):
        getattr(_shared, "forget", lambda: None)()
        start = time.process_time()
        for context in contexts:
            for code, check in checks:
                began = clock()
                for _ in check(context):  # type: ignore[misc]
                    pass
                shares[code] += clock() - began
        best = min(best, time.process_time() - start)
    return best, shares


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("codes", nargs="*", help="only these rule codes (default: every cable rule)")
    parser.add_argument("--repeat", type=int, default=1, help="runs per rule; the best is kept")
    parser.add_argument("--profile", action="store_true", help="print a cProfile of the selected rules")
    parser.add_argument(
        "--no-freeze", action="store_true", help="leave the parsed corpus to the garbage collector (slower, noisier)"
    )
    parser.add_argument("--engine-order", action="store_true", help="run all rules on each cable in turn; the total")
    parser.add_argument("--sort", default="cumulative", help="the --profile's order (a pstats key)")
    args = parser.parse_args()

    load()
    rules = [r for r in rules_by_scope("cable") if not args.codes or r.code in args.codes]
    start = time.process_time()
    contexts = contexts_of(args.corpus)
    print(f"read and parsed {len(contexts)} cables in {time.process_time() - start:.1f} s CPU")
    if not args.no_freeze:
        gc.collect()
        gc.freeze()

    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        for rule in rules:
            time_rule(rule, contexts)
        profiler.disable()
        pstats.Stats(profiler).sort_stats(args.sort).print_stats(40)
        return

    if args.engine_order:
        total, shares = time_engine_order(rules, contexts, args.repeat)
        whole = sum(shares.values()) or 1
        for code, share in sorted(shares.items(), key=lambda item: -item[1]):
            print(f"{code}  {100 * share / whole:5.1f} %  {share / 1000 / args.repeat / len(contexts):6.1f} us/cable")
        print(f"total {total * 1000:7.0f} ms CPU  {total * 1e6 / len(contexts):6.1f} us/cable")
        return

    results = sorted(time_rules(rules, contexts, args.repeat), reverse=True)
    for seconds, found, code in results:
        print(f"{code}  {seconds * 1000:7.0f} ms  {found:6d}")
    print(f"total {sum(r[0] for r in results) * 1000:7.0f} ms")


if __name__ == "__main__":
    main()
