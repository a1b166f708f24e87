"""Print a generated cable as ``cableschema parse --format text`` prints a page's text.

Used for the generated cable shown in ``docs/strategies.md`` beside a real one of the same shape
(a test keeps the two in step)::

    python tools/show_generated.py --seed 3 --classification CONFIDENTIAL --year 2007 \\
        --post MADRID --paragraphs 3
"""

from __future__ import annotations

import argparse
import random

from cableschema._strategies.choices import RandomChooser
from cableschema._strategies.containers import container_text
from cableschema._strategies.draft import Constraints, draft, layout
from cableschema._strategies.posts import by_token


def generated(seed: int, classification: str, year: int, post: str, paragraphs: int, pages: int = 1) -> str:
    constraints = Constraints(
        classifications=(classification,),
        years=(year, year),
        posts=(by_token()[post],),
        paragraphs=(paragraphs, paragraphs),
        pages=(pages, pages),
        headers=("full",),
    ).checked()
    lay = layout(draft(RandomChooser(random.Random(seed)), constraints), with_cable=False)
    return container_text(lay.sheet)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--classification", default="CONFIDENTIAL")
    parser.add_argument("--year", type=int, default=2007)
    parser.add_argument("--post", default="MADRID")
    parser.add_argument("--paragraphs", type=int, default=3)
    parser.add_argument("--pages", type=int, default=1)
    args = parser.parse_args()
    print(generated(args.seed, args.classification, args.year, args.post, args.paragraphs, args.pages))


if __name__ == "__main__":
    main()
