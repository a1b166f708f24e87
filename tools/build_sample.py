"""Build ``fixtures/sample/``: a small corpus of real cables in every supported format.

Run from the repository root with ``../shared`` present::

    python tools/build_sample.py

Files are copied byte for byte from ``../shared/corpus`` (and the seed), except the variants that
no snapshot at hand has: a 4-column table page and a relative-link mirror page (edits of real
pages, described in ``SOURCES.md``), and the cables.csv file (real cables written in exactly the
cables.csv layout). The script is deterministic; its output is committed.
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"
OUT = ROOT / "fixtures" / "sample"

COPIES = {
    "html/04ANKARA348.html": "avilaroman-wikileaks-mirror/cable/2004/01/04ANKARA348.html",
    "html/04BOGOTA2313.html": "avilaroman-wikileaks-mirror/cable/2004/03/04BOGOTA2313.html",
    "html/08BERLIN1068.html": "avilaroman-wikileaks-mirror/cable/2008/08/08BERLIN1068.html",
    "html/00HARARE5461.html": "avilaroman-wikileaks-mirror/cable/2000/09/00HARARE5461.html",
    "html/09ULAANBAATAR234.html": "avilaroman-wikileaks-mirror/cable/2009/08/09ULAANBAATAR234.html",
    "html/06LIMA622.html": "anarchivist-cablegate-data/cable/2006/02/06LIMA622.html",
    "html/7575LIBREVILLE1895.html": "markchips-cablegate-search-app/test-set/1975/11/7575LIBREVILLE1895.html",
    "html/07BERN881.html": "heuer-cablemap/cablemap.core/tests/data-subject/in/07BERN881.html",
    "text/04MADRID893.txt": "tathagata-reveal/cables/04MADRID893.txt",
    "text/05LONDON4981.txt": "tathagata-reveal/cables/05LONDON4981.txt",
    "text/09UNVIEVIENNA289.txt": (
        "paul-mathieu-cablegate-cia-analysis/data-sample/cablegate-converted/09UNVIEVIENNA289.txt"
    ),
}
CSV_FROM = (
    "avilaroman-wikileaks-mirror/cable/2008/08/08BERLIN1068.html",
    "anarchivist-cablegate-data/cable/2006/02/06LIMA622.html",
    "avilaroman-wikileaks-mirror/cable/2004/03/04BOGOTA2313.html",
)
#: WikiLeaks' internal row ids are not known for these cables (07BERN881 is 121752, from a
#: dump row); the CSV uses made-up ids in the same integer column.
CSV_IDS = (170001, 52837, 15903)


def _variant_4col(raw: str) -> str:
    """A page of the 2015 site: the Released column removed from the table."""
    raw = re.sub(r"<th>Released</th>\n", "", raw, count=1)
    return re.sub(r"<td>\n<a href='/reldate/[^']*'>[^<]*</a>\n</td>\n", "", raw, count=1)


def _variant_relative(raw: str, page: str) -> str:
    """A mirror's copy: absolute site links made relative to cable/YYYY/MM/."""
    raw = re.sub(r"href='/cable/[0-9]{4}/[0-9]{2}/", "href='", raw)
    raw = re.sub(r"href='/(date|reldate|origin|classification|tag)/", r"href='../../../\1/", raw)
    return raw.replace("src='/static/", "src='../../../static/").replace("href='/static/", "href='../../../static/")


def _cable_from_page(raw: str) -> dict[str, str]:
    """Metadata, header and body of a page, with lxml (the test of the reader is elsewhere)."""
    from lxml import html

    raw = re.sub(r"<a id='par[^']*' href='#par[^']*'>¶</a>", "", raw)  # the site's, not the cable's
    tree = html.fromstring(raw.encode(), parser=html.HTMLParser(no_network=True))
    rows = tree.xpath("//table[@class='cable']//tr")
    head = [th.text_content().strip() for th in rows[0].xpath("./th")]
    values = dict(zip(head, [td.text_content().strip() for td in rows[1].xpath("./td")], strict=False))
    blocks = [pre.text_content() for pre in tree.xpath("//pre")]
    return {"meta": values, "header": blocks[0] if len(blocks) > 1 else "", "body": blocks[-1]}  # type: ignore[dict-item]


def _csv_date(stamp: str) -> str:
    date, time = stamp.split()
    year, month, day = (int(x) for x in date.split("-"))
    hour, minute = time.split(":")
    return f"{month}/{day}/{year} {int(hour)}:{minute}"


def _csv_field(value: str) -> str:
    """cables.csv quoting: every field in quotes, backslash escapes for backslash, quote and
    newline (MySQL's SELECT ... INTO OUTFILE with ESCAPED BY '\\\\')."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\\n") + '"'


def build() -> None:
    if not CORPUS.is_dir():
        sys.exit("build_sample: ../shared/corpus is not here")
    if OUT.exists():
        shutil.rmtree(OUT)
    for target, source in COPIES.items():
        destination = OUT / target
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(CORPUS / source, destination)
    shutil.copyfile(SHARED / "seed" / "07ASTANA2221.scraped.txt", OUT / "text" / "07ASTANA2221.scraped.txt")

    lima = (CORPUS / COPIES["html/06LIMA622.html"]).read_text(encoding="utf-8")
    (OUT / "html" / "variant-4col-06LIMA622.html").write_text(_variant_4col(lima), encoding="utf-8")
    berlin = (CORPUS / COPIES["html/08BERLIN1068.html"]).read_text(encoding="utf-8")
    (OUT / "html" / "variant-relative-08BERLIN1068.html").write_text(
        _variant_relative(berlin, "08BERLIN1068"), encoding="utf-8"
    )

    jsonl = (CORPUS / "none-later-wikileaks-processing" / "wikileaks-11-28-10.json").read_text(encoding="utf-8")
    (OUT / "jsonl").mkdir(parents=True, exist_ok=True)
    (OUT / "jsonl" / "wikileaks-11-28-10.first5.json").write_text(
        "".join(jsonl.splitlines(keepends=True)[:5]), encoding="utf-8"
    )

    rows = []
    for row_id, source in zip(CSV_IDS, CSV_FROM, strict=True):
        cable = _cable_from_page((CORPUS / source).read_text(encoding="utf-8"))
        meta: dict[str, str] = cable["meta"]  # type: ignore[assignment]
        refs = ""
        fields = [
            str(row_id),
            _csv_date(meta["Created"]),
            meta["Reference ID"],
            meta["Origin"],
            meta["Classification"],
            refs,
            cable["header"],
            cable["body"],
        ]
        rows.append(",".join([fields[0]] + [_csv_field(f) for f in fields[1:]]))
    (OUT / "csv").mkdir(parents=True, exist_ok=True)
    (OUT / "csv" / "cables.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")


if __name__ == "__main__":
    build()
