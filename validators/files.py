"""E0xx: files that cannot be read, files with no cable, and rules that failed."""

from __future__ import annotations

from collections.abc import Iterator

from cableschema.rules import FileContext, Violation, define, rule


@rule("E001", "unreadable-file", "error", "cannot be read or decoded as text", scope="file")
def unreadable_file(ctx: FileContext) -> Iterator[Violation]:
    """## What it does
    Reports a file, or a record of a file of many, that cannot be read: binary data, a PDF, an
    encoding broken beyond repair, a JSON Lines line that is not JSON, a CSV row with the wrong
    number of columns or a quote that never closes, a record over the size limit.

    ## Why it matters
    A corpus check that silently skips what it cannot read reports a clean corpus that is not.
    One unreadable file never stops the run: the other files and records are still linted.

    ## Example
    A JSON Lines file whose third line was cut off by a failed download:

    ```jsonl
    {"reference_id": "07ASTANA2221", "body": "
    ```

    ```text
    corpus.jsonl:1:1: E001 [error] line 1 is not valid JSON: Unterminated string starting at
    ```

    ## Fix
    None: fetch or convert the file again. PDFs must be converted to text first (``pdftotext``).
    """
    for problem in ctx.problems:
        if problem.code == "E001":
            yield Violation(problem.message, location=(problem.line, problem.column), record=problem.record)


@rule("E002", "no-cable-found", "error", "no cable in the file", scope="file")
def no_cable_found(ctx: FileContext) -> Iterator[Violation]:
    """## What it does
    Reports a file (or record) that was read but holds no cable: no header line, no caption, no
    E.O., TAGS or SUBJECT line, no numbered paragraph, no page marker.

    ## Why it matters
    Failed scrapes look like files: 104 of the 1,600 texts of one public scrape hold only the
    words ``Appears in these articles:``, the page element the scraper took by mistake.

    ## Example
    ```text
    Appears in these articles:<br />
    ```

    ```text
    06MOSCOW5740.txt:1:1: E002 [error] no cable found (the file holds 1 line of text)
    ```

    ## Fix
    None: scrape the page again.
    """
    for problem in ctx.problems:
        if problem.code == "E002":
            yield Violation(problem.message, location=(problem.line, problem.column), record=problem.record)
    if ctx.complete and not ctx.cables and not ctx.documents and not ctx.problems:
        yield Violation("no cable found: the file holds no cable text", location=(1, 1))
        return
    for parsed in ctx.parsed:
        if parsed.is_cable:
            continue
        document = parsed.document
        lines = sum(1 for line in parsed.parts.lines if line.strip())
        what = "record" if document.record else "file"
        detail = "no text at all" if lines == 0 else f"{lines} line{'s' if lines != 1 else ''} of text"
        yield Violation(
            f"no cable found: the {what} holds {detail} and no header, caption, labelled line or numbered paragraph",
            location=document.position(0),
            record=document.record,
            reference_id=document.metadata.reference_id,
        )


define(
    "E009",
    "internal-error",
    "error",
    "a rule failed on this cable; the others still ran",
    """## What it does
    Reports that a rule (or the parser) raised an exception on this cable. The exception is
    named in the message; every other rule still ran and its findings are reported.

    ## Why it matters
    A rule that crashes must not take the run down, nor hide the other findings of the cable.
    This finding makes the failure visible so that it can be reported and fixed.

    ## Example
    ```text
    x.html:1:1: E009 [error] rule T501 failed: IndexError: list index out of range
    ```

    ## Fix
    None: please report it with the file attached.
    """,
    scope="engine",
)
