"""Site chrome: the text a web page puts around a pasted cable.

Chrome is recognised by what it is (comment forms, share and login widgets, navigation, footers,
blog-platform names, template placeholders, the cable sites' own help text), not by a list of one
blog's sentences. A line is *strong* chrome when it says something only a web page says, *weak*
when it is merely short and non-cable-like (a menu word, a caption of a share button). A block of
chrome must contain strong lines; weak lines only extend a block between or after strong ones, so a
cable's own short last line (a signer ``Tueller``) is never taken for chrome.
"""

from __future__ import annotations

import re

_STRONG = re.compile(
    r"(?=[\w©«»%{}|])(?:"
    + r"|".join(
        (
            # comment forms and discussion widgets
            r"\b(?:leave|post|add|write|submit)\s+(?:a|your|new)?\s*(?:reply|comment|response)s?\b",
            r"\b[0-9]+\s+(?:comments?|responses?|replies|trackbacks?|pingbacks?)\b",
            r"\bcomments?\s*(?:\([0-9]+\)|:\s*[0-9]+|closed|are closed|feed)\b",
            r"\b(?:cancel reply|notify me of|your email address will not be published)",
            r"\brequired fields are marked\b",
            r"\byou are commenting using\b",
            r"\bfill in your details\b",
            r"\b(?:log|sign)\s?(?:in|out|up)\b",
            r"\b(?:trackback|pingback|permalink)s?\b",
            r"\bin reply to\b",
            # sharing and social widgets
            r"\b(?:share|tweet|pin|email|print)\s+(?:this|it|on)\b",
            r"\b(?:facebook|twitter|google\+|reddit|linkedin|pinterest|tumblr|digg|stumbleupon|"
            r"del\.icio\.us|whatsapp|vkontakte|mastodon)\b",
            r"\bbloggers?\s+like\s+this\b",
            r"^\s*(?:like|share)\s+this:?\s*$",
            r"\bbe the first to (?:like|comment)\b",
            # blogging platforms and feeds
            r"\b(?:wordpress|blogger|blogspot|typepad|livejournal|disqus|gravatar|substack|"
            r"squarespace|drupal|joomla)\b",
            r"\bpowered by\b",
            r"\btheme\s*(?:by|:)",
            r"\b(?:rss|atom)\s+feed\b|\bsubscribe\b|\bnewsletter\b|\bunsubscribe\b",
            # navigation
            r"^\s*(?:home|about(?: us)?|contact(?: us)?|archives?|categories|search|menu|"
            r"skip to (?:main )?content|older posts|newer posts|recent posts|popular posts|"
            r"related posts?|previous(?: post| article)?|next(?: post| article)?|top)\s*[:|»«>]?\s*$",
            r"\b(?:previous|next)\s+(?:post|entry|article|page)\b",
            r"\b(?:read more|continue reading|click here)\b",
            r"\bposted\s+(?:on|in|by|at)\b",
            r"\bfiled under\b|\bcategor(?:y|ies)\s*:|\btagged\s+(?:with|as)\b",
            r"[«»]|\s\|\s.*\s\|\s",
            # footers
            r"©|\(c\)\s*(?:19|20)[0-9]{2}|\bcopyright\b",
            r"\ball rights reserved\b|\bprivacy policy\b|\bterms of (?:use|service)\b|\bcookies?\b",
            # template placeholders left by a scraper
            r"%[sd]\b|\{\{|\}\}",
            # the cable sites' own help and navigation text
            r"\bwikileaks\b|\bcablegate\b|\bcabledrum\b|\bplusd\b",
            r"\bunderstanding cables\b|\bdiscussing cables\b|\bif you are new to these pages\b",
            r"\bbrowse\s+(?:by|latest)\b|\bcurrently released so far\b|\bappears in these articles\b",
            r"\bhash\s?tags?\b|\bwikisource\b|\bunique reference number\b",
            r"\bview(?:ing)?\s+cable\b",
        )
    )
    + ")",
    re.I,
)
_URL = re.compile(r"https?://|\bwww\.[a-z0-9-]+\.|\b[a-z0-9.-]+\.(?:com|org|net|info)/", re.I)
_CABLE_URL = re.compile(r"\.sgov\.gov|state\.gov|\.mil\b", re.I)
#: Lines that belong to a cable however short: signers in capitals, markers, banners, rules.
_CABLE_LIKE = re.compile(
    r"^\s*(?:[A-Z][A-Z'.-]+(?:\s+[A-Z][A-Z'.-]+){0,3}|[0-9]+\.\s.*|[-=_*#\s]+|.*\bEND\b.*|"
    r"NNNN|BT|.*[0-9]{6}Z\b.*)\s*$"
)


#: Chrome lines are short; longer lines are searched only at their start.
_SEARCH_LIMIT = 600


def is_strong(line: str) -> bool:
    """A line only a web page would carry."""
    line = line[:_SEARCH_LIMIT]
    if not line.strip():
        return False
    if _STRONG.search(line):
        return True
    url = _URL.search(line)
    return bool(url and not _CABLE_URL.search(line) and len(line.split()) <= 8)


def is_weak(line: str) -> bool:
    """A short, non-cable-like line that may sit inside a block of chrome."""
    stripped = line.strip()
    if not stripped:
        return True
    if len(stripped) > 120 or _CABLE_LIKE.match(stripped):
        return False
    words = stripped.split()
    return len(words) <= 7 and not stripped.endswith((".", ";", ",")) or bool(_URL.search(stripped))


def trailing_block(lines: list[str], first: int, last: int) -> int | None:
    """Index of the first line of trailing chrome in ``lines[first:last]``, or None.

    Walks back from the end over chrome-like lines; the block starts at its first strong line.
    """
    index = last - 1
    while index >= first and not lines[index].strip():
        index -= 1
    start: int | None = None
    strong_seen = 0
    while index >= first:
        line = lines[index]
        if is_strong(line):
            start = index
            strong_seen += 1
        elif not is_weak(line):
            break
        index -= 1
    if start is None or strong_seen == 0:
        return None
    return start


def leading_block(lines: list[str], first: int, last: int) -> int | None:
    """End index (exclusive) of leading chrome in ``lines[first:last]``, or None.

    Every non-blank line before the cable must be chrome-like and at least one strong.
    """
    strong_seen = False
    end: int | None = None
    for index in range(first, last):
        line = lines[index]
        if not line.strip():
            continue
        if is_strong(line):
            strong_seen = True
            end = index + 1
        elif is_weak(line) or len(line) > 200:
            # Long lines of help text (a paragraph of instructions) are accepted once strong
            # chrome has been seen; the cable start bounds the block anyway.
            end = index + 1
        else:
            return None
    return end if strong_seen else None
