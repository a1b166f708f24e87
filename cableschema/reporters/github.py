"""``--format github``: GitHub Actions workflow commands, one annotation per finding.

``::error file=F,line=L,col=C,endLine=L2,endColumn=C2,title=T::message``; ``info`` findings are
``::notice``. Property values and messages are escaped as the runner expects (``%``, CR, LF, and
``:``/``,`` in properties).
"""

from __future__ import annotations

from typing import TextIO

from ..engine import RunResult
from ._context import ReportContext, printable

_COMMAND = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(value: str) -> str:
    # Other control characters (a terminal escape in a reference ID) as escapes of their own.
    return printable(value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def escape_property(value: str) -> str:
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def report(run: RunResult, context: ReportContext, stream: TextIO) -> None:
    for finding in run.findings:
        properties = [
            f"file={escape_property(finding.path)}",
            f"line={finding.line}",
            f"col={finding.column}",
            f"endLine={finding.end_line}",
            f"endColumn={finding.end_column}",
            f"title={escape_property(f'{finding.code} {finding.name}')}",
        ]
        message = finding.message
        if finding.reference_id:
            message = f"{finding.reference_id}: {message}"
        stream.write(f"::{_COMMAND[finding.severity]} {','.join(properties)}::{escape_data(message)}\n")
