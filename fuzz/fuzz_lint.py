"""Coverage-guided fuzzing of read, parse and lint with atheris.

    pip install atheris
    python fuzz/fuzz_lint.py fuzz/corpus -max_total_time=600

The seed corpus is the bundled sample (copy fixtures/sample/**/* into fuzz/corpus first, see
docs/fuzzing.md). Any exception that escapes is a bug: read never raises for bad content, parse
never raises, lint turns a failing rule into E009.
"""

from __future__ import annotations

import sys

import atheris

with atheris.instrument_imports():
    from cableschema.config import Settings
    from cableschema.document import Document
    from cableschema.engine import lint_text
    from cableschema.parser import parse
    from cableschema.readers import FORMATS, read_bytes

SETTINGS = Settings(cache=False)


def test_one_input(data: bytes) -> None:
    provider = atheris.FuzzedDataProvider(data)
    choice = provider.ConsumeIntInRange(0, len(FORMATS))
    fmt = None if choice == len(FORMATS) else FORMATS[choice]
    payload = provider.ConsumeBytes(provider.remaining_bytes())
    for item in read_bytes(payload, "fuzz", fmt):
        if isinstance(item, Document):
            parse(item)
    text = payload.decode("utf-8", errors="replace")
    for finding in lint_text(text, SETTINGS, format=fmt):
        lines = text.splitlines() or [""]
        if not 1 <= finding.line <= len(lines) + 1:
            raise AssertionError(f"finding outside the input: {finding}")


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
