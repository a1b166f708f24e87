"""docs/strategies.md: its Python examples run as written, and the cables it shows are the ones
the tools print (the generated one always; the real one when the corpus is present)."""

from __future__ import annotations

import re
import sys

from cableschema import parse, read

from .conftest import CORPUS, ROOT, requires_corpus

DOC = ROOT / "docs" / "strategies.md"
_BLOCK = re.compile(r"```(\w*)\n(.*?)```", re.S)


def _blocks(language: str) -> list[str]:
    return [body for lang, body in _BLOCK.findall(DOC.read_text(encoding="utf-8")) if lang == language]


def _trimmed(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.strip("\n").split("\n"))


def test_the_python_examples_run() -> None:
    namespace: dict[str, object] = {"__name__": "docs_strategies"}
    blocks = _blocks("python")
    assert len(blocks) >= 6
    for block in blocks:
        exec(compile(block, str(DOC), "exec"), namespace)  # the docs' own examples
    assert namespace["found_the_bug"] is True


def test_the_generated_cable_is_the_tools_output() -> None:
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        from show_generated import generated
    finally:
        sys.path.pop(0)
    shown = _blocks("text")
    expected = _trimmed(generated(57, "CONFIDENTIAL", 2007, "MADRID", 3))
    assert expected in [_trimmed(block) for block in shown]


@requires_corpus
def test_the_real_cable_is_the_corpus_page() -> None:
    path = CORPUS / "anarchivist-cablegate-data" / "cable" / "2007" / "03" / "07MADRID546.html"
    (document,) = read(path)
    assert parse(document).cable is not None
    assert _trimmed(document.text) in [_trimmed(block) for block in _blocks("text")]
