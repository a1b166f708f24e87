"""W6xx: what web sites and transports put around a cable."""

from __future__ import annotations

from collections.abc import Iterator

from cableschema.rules import Context, FixSpec, TextEdit, Violation, rule


@rule("W601", "leading-site-text", "warning", "site chrome before the cable", fix="safe")
def leading_site_text(ctx: Context) -> Iterator[Violation]:
    """## What it does
    Reports text a web page put before the cable: help text, navigation, a blog's header.
    Chrome is recognised by what it is (help and navigation text of the cable sites, login,
    share and comment widgets, URLs, platform names), and only in front of a recognised cable
    start or pasted metadata block.

    ## Why it matters
    Text that is not the cable's corrupts word counts, search indexes and models trained on the
    corpus, and hides where the cable really starts.

    ## Example
    ```text
    WikiLeaks Link
    Discussing cables
    Reference ID Created Released Classification Origin
    07ASTANA2221 2007-08-14 08:37 2011-08-30 01:44 UNCLASSIFIED Embassy Astana
    DE RUEHTA #2221/01 2260837
    ```

    ```text
    x.txt:1:1: W601 [warning] 2 lines of site text before the cable (WikiLeaks Link ...)
    ```

    ## Fix
    Safe: deletes the lines before the cable (or before its pasted metadata block), and nothing
    else.
    """
    span = ctx.parts.leading_chrome
    if span is None:
        return
    first, last = span
    lines = ctx.lines
    while first < last and not lines[first].strip():
        first += 1
    if first >= last:
        return
    count = sum(1 for line in lines[first:last] if line.strip())
    preview = lines[first].strip()
    if len(preview) > 40:
        preview = preview[:40].rstrip() + " ..."
    start, _ = ctx.line_span(first)
    end = ctx.parts.line_starts[last] if last < len(lines) else len(ctx.text)
    fix = FixSpec("safe", "delete the site text before the cable", (TextEdit(0, end, ""),))
    noun = "line" if count == 1 else "lines"
    yield Violation(f"{count} {noun} of site text before the cable ({preview})", start, ctx.line_span(first)[1], fix)


@rule("W602", "trailing-site-text", "warning", "site chrome after the cable", fix="safe")
def trailing_site_text(ctx: Context) -> Iterator[Violation]:
    """## What it does
    Reports text a web page put after the cable: comment forms, share and login widgets, blog
    footers. A block of such lines at the end of the text is chrome only when it holds at least
    one line that only a web page would carry; a cable's own short last line, such as its
    signer, is never taken for chrome.

    ## Why it matters
    Trailing chrome makes a complete cable look truncated or unsigned, and puts words in the
    corpus that no diplomat wrote.

    ## Example
    ```text
    1. (U) The cable's last paragraph.
    TEFFT

    Leave a Reply
    You are commenting using your WordPress.com account. Log Out / Change
    ```

    ```text
    x.txt:4:1: W602 [warning] 2 lines of site text after the cable (Leave a Reply ...)
    ```

    ## Fix
    Safe: deletes everything after the cable's last line (the blank lines and the chrome).
    """
    span = ctx.parts.trailing_chrome
    if span is None:
        return
    first, last = span
    lines = ctx.lines
    count = sum(1 for line in lines[first:last] if line.strip())
    preview = lines[first].strip()
    if len(preview) > 40:
        preview = preview[:40].rstrip() + " ..."
    # Delete from the end of the cable's last non-blank line (keeping its newline) to the end.
    keep = first - 1
    while keep >= 0 and not lines[keep].strip():
        keep -= 1
    delete_from = ctx.parts.line_starts[keep + 1] if keep >= 0 else 0
    fix = FixSpec("safe", "delete the site text after the cable", (TextEdit(delete_from, len(ctx.text), ""),))
    start, end = ctx.line_span(first)
    noun = "line" if count == 1 else "lines"
    yield Violation(f"{count} {noun} of site text after the cable ({preview})", start, end, fix)
