"""Real cables from ../shared/corpus as page text, for damage-injection tests.

Each cable is written the way the seed is: the pasted metadata line and its values, a blank line,
then the cable's normalised text (header and body). Injection tests change one thing in such a
text at a known line and check that the rule reports it there, and that the same rule is quiet on
the undamaged text. Draws are seeded, so a failure names the same cables every run.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from functools import cache

from cableschema.document import Document
from cableschema.parser import parse
from cableschema.readers import iter_file

from .conftest import CORPUS

HEADER_LINE = "Reference ID Created Released Classification Origin"


@dataclass(frozen=True)
class RealCable:
    reference_id: str
    path: str
    text: str  # page text: metadata block, blank line, cable text
    first_cable_line: int  # 1-based line of the cable's first line in ``text``


@cache
def _pages() -> tuple[str, ...]:
    if not CORPUS.is_dir():
        return ()
    return tuple(sorted(str(p) for p in CORPUS.rglob("*.html")))


@cache
def _as_page_text(path: str) -> RealCable | None:
    items = list(iter_file(path))
    if len(items) != 1 or not isinstance(items[0], Document):
        return None
    document = items[0]
    parsed = parse(document)
    metadata = document.metadata
    if not parsed.is_cable or not metadata.reference_id or not metadata.created:
        return None
    values = [metadata.reference_id, metadata.created]
    if metadata.released:
        values.append(metadata.released)
    values += [metadata.classification or "", metadata.origin or ""]
    header = HEADER_LINE if metadata.released else HEADER_LINE.replace(" Released", "")
    prefix = f"{header}\n{' '.join(values)}\n\n"
    return RealCable(metadata.reference_id, path, prefix + document.text, prefix.count("\n") + 1)


def real_cables(count: int, seed: int = 20101128, where: str | None = None) -> list[RealCable]:
    """``count`` distinct real cables (fewer if the corpus has fewer), drawn with ``seed``.

    ``where`` keeps only pages whose path contains it (a corpus group, a year directory).
    """
    pages = [p for p in _pages() if where is None or where in p]
    rng = random.Random(seed)
    rng.shuffle(pages)
    chosen: list[RealCable] = []
    seen: set[str] = set()
    for page in pages:
        cable = _as_page_text(page)
        if cable is None or cable.reference_id in seen:
            continue
        seen.add(cable.reference_id)
        chosen.append(cable)
        if len(chosen) == count:
            break
    return chosen
