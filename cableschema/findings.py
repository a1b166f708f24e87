"""A finding as plain values: what the engine makes, a worker sends back, the cache stores, the
baseline matches and the reporters read.

The pydantic models :class:`cableschema.model.Finding`, ``Fix`` and ``Edit`` are what the Python
API returns (:func:`cableschema.lint`) and what the report's schema is generated from; a run of
the command line never builds one. Importing pydantic and the models takes longer than the rest
of a run served by the cache, and rebuilding a model from a cache row took four times as long
as this tuple (8 us against 2 us, profiled). Each class has its model's fields, in its model's
order (a test holds them equal), and converts to the model with :meth:`~PlainFinding.model` and
from it with :meth:`~PlainFinding.of`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Final, NamedTuple

if TYPE_CHECKING:
    from .model import Edit, Finding, Fix

#: The version of the JSON report's schema (``report/1-0-0``), which a report written from these
#: values declares.
REPORT_SCHEMA_VERSION: Final = "1-0-0"


class PlainEdit(NamedTuple):
    """:class:`cableschema.model.Edit`'s values."""

    line: int
    column: int
    end_line: int
    end_column: int
    content: str

    @classmethod
    def of(cls, edit: Edit) -> PlainEdit:
        return cls(edit.line, edit.column, edit.end_line, edit.end_column, edit.content)


class PlainFix(NamedTuple):
    """:class:`cableschema.model.Fix`'s values."""

    applicability: str
    message: str
    edits: tuple[PlainEdit, ...]

    def model(self) -> Fix:
        from .model import Edit, Fix, construct

        edits = [construct(Edit, edit._asdict()) for edit in self.edits]
        return construct(Fix, {"applicability": self.applicability, "message": self.message, "edits": edits})

    @classmethod
    def of(cls, fix: Fix) -> PlainFix:
        return cls(fix.applicability, fix.message, tuple(PlainEdit.of(edit) for edit in fix.edits))


class PlainFinding(NamedTuple):
    """:class:`cableschema.model.Finding`'s values: see that model for what each one means."""

    path: str
    record: int | None
    reference_id: str | None
    code: str
    name: str
    severity: str
    message: str
    line: int
    column: int
    end_line: int
    end_column: int
    cable_line: int | None
    fix: PlainFix | None
    fingerprint: str | None

    def model(self) -> Finding:
        """The pydantic model of these values, built without validating them: the engine made
        them from checked parts (a test holds such models equal to validated ones)."""
        from .model import Finding, construct

        values = self._asdict()
        if self.fix is not None:
            values["fix"] = self.fix.model()
        return construct(Finding, values)

    @classmethod
    def of(cls, finding: Finding) -> PlainFinding:
        values = finding.__dict__ | {"fix": None if finding.fix is None else PlainFix.of(finding.fix)}
        return cls(**values)


# -- rows: what a cache entry stores -------------------------------------------------------------
#
# A finding of a file's own cache entry is stored as a row: its values but its path (the file's),
# its fix as (applicability, message, [edit values]): plain tuples and lists, which marshal stores.

#: Builds a NamedTuple from its values in field order, unchecked: a NamedTuple's own __new__ is a
#: Python function, and this takes a third of its time.
from_values = tuple.__new__


def finding_row(finding: PlainFinding) -> tuple[Any, ...]:
    """A finding's values but its path."""
    fix = finding.fix
    if fix is None:
        return finding[1:]
    return (*finding[1:12], (fix.applicability, fix.message, [tuple(edit) for edit in fix.edits]), finding[13])


def finding_from_row(row: Sequence[Any], path: str) -> PlainFinding:
    """The finding :func:`finding_row` gave, for a file at ``path``."""
    if len(row) != 13:
        raise ValueError(f"a finding's row holds 13 values, not {len(row)}")
    fix = row[11]
    if fix is None:
        return from_values(PlainFinding, (path, *row))
    applicability, message, edits = fix
    plain_fix = from_values(PlainFix, (applicability, message, tuple([from_values(PlainEdit, edit) for edit in edits])))
    return from_values(PlainFinding, (path, *row[:11], plain_fix, row[12]))


def findings_from_rows(rows: Sequence[Sequence[Any]], path: str) -> list[PlainFinding]:
    """``[finding_from_row(row, path) for row in rows]``, the findings of one file at once: a run
    served by the cache rebuilds hundreds of thousands, most without a fix."""
    if rows and set(map(len, rows)) != {13}:
        raise ValueError(f"a finding's row holds 13 values, not {sorted(set(map(len, rows)) - {13})}")
    return [from_values(PlainFinding, (path, *row)) if row[11] is None else finding_from_row(row, path) for row in rows]
