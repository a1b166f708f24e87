"""The pytest plugin (entry point ``pytest11``): Hypothesis and fixtures for testing cable parsers.

* Registers :class:`cableschema.Cable` with Hypothesis, so that ``st.from_type(Cable)`` (and
  ``@given(cable=...)`` with ``st.builds`` of functions taking a ``Cable``) draws well-formed cables
  from :func:`cableschema.strategies.cables`.
* ``cableschema_sample``: paths of the bundled sample corpus (real cables in every supported
  format), when the package runs from a source checkout.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import strategies as st

from .model import Cable


def _cable_strategy(_: type) -> st.SearchStrategy[Cable]:
    from .strategies import cables

    return cables()


# A resolver, not a strategy: nothing is built or imported until a test asks for a Cable.
st.register_type_strategy(Cable, _cable_strategy)


def _sample_directory() -> Path | None:
    candidate = Path(__file__).resolve().parent.parent / "fixtures" / "sample"
    return candidate if candidate.is_dir() else None


@pytest.fixture(scope="session")
def cableschema_sample() -> list[Path]:
    """Every file of the bundled sample corpus; skips the test when it is not available."""
    directory = _sample_directory()
    if directory is None:
        pytest.skip("the cableschema sample corpus is only in a source checkout")
    return sorted(p for p in directory.rglob("*") if p.is_file() and p.name != "SOURCES.md")
