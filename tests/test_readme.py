"""README.md: its Python examples run as written, and the output it quotes is what the tools print
on the bundled sample."""

from __future__ import annotations

import os
import re

import pytest

from cableschema.cli import main

from .conftest import ROOT

README = ROOT / "README.md"
_BLOCK = re.compile(r"```(\w*)\n(.*?)```", re.S)


def _blocks(language: str) -> list[str]:
    return [body for lang, body in _BLOCK.findall(README.read_text(encoding="utf-8")) if lang == language]


def test_the_python_examples_run(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # the examples name files of fixtures/sample
    blocks = _blocks("python")
    assert len(blocks) >= 2
    for block in blocks:
        exec(compile(block, str(README), "exec"), {"__name__": "readme"})


def test_the_quoted_findings_are_printed_on_the_sample(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("NO_COLOR", "1")
    assert main(["lint", "--isolated", "--no-cache", "-q", "fixtures/sample"]) == 1
    printed = set(capsys.readouterr().out.splitlines())
    quoted = [
        line
        for block in _blocks("text")
        for line in block.splitlines()
        if line.startswith("fixtures/sample/") and os.sep == "/"
    ]
    assert len(quoted) >= 8
    missing = [line for line in quoted if line not in printed]
    assert not missing, missing
