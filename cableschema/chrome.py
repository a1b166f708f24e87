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
from functools import lru_cache

from . import _regex


def _any_of(*patterns: str) -> re.Pattern[str]:
    return _regex.compile("|".join(f"(?:{p})" for p in patterns), re.I)


#: Phrases that only web pages use, however long the line (help texts are long paragraphs).
_STRONG_ANYWHERE = _any_of(
    r"\byou are commenting using\b",
    r"\bfill in your details below\b",
    r"\byour email address will not be published\b",
    r"\brequired fields are marked\b",
    r"\bnotify me of (?:new|follow-up) (?:comments|posts)\b",
    r"\bbloggers?\s+like\s+this\b",
    r"\bbe the first to (?:like|comment)\b",
    r"\bunderstanding cables\b|\bdiscussing cables\b|\bif you are new to these pages\b",
    r"\bhash\s?tags? #?cablegate\b|\bwikisource\b|\bunique reference number\b",
    r"\bcurrently released so far\b|\bappears in these articles\b",
    # news sites
    r"\bthis article is more than [\w ]{1,20} old\b|\barticle history\b",
    # a list of links: a teletype has no "|", and a cable's text none with blanks around it
    r"(?:\s\|\s+[^|\s][^|]{0,80}){2,}$",
    r"^(?=[^\n]*[a-z])[^/]{1,80}(?:\s/\s+[^/\s][^/]{0,80}){3,}$",  # the same with " / ", in lower case
    # WikiLeaks' Public Library of US Diplomacy (PlusD): its words and its table's labels
    r"\bpublic library of us diplomacy\b|\bfind the cable in the full dataset\b",
    r"^\s*(?:canonical id|original classification|current classification|handling restrictions|character count|"
    r"executive order|locator|concepts|enclosure|office origin|office action|archive status|markings)\s*:?\t",
    r"\bpost a comment or leave a trackback\b",
    # forums
    r"\breply with quote\b|\bquick navigation\b|\breport (?:post|abuse|this post)\b|\bforum index\b",
    r"\bpost subject\s*:|^\s*posted\s*:\s",
    r"%[sd]\b|\{\{|\}\}",
)
#: For each pattern of _STRONG_ANYWHERE, a literal that each of its matches holds, in lower case
#: (a " / " with any blanks is looked for apart). A line of ASCII, where ignoring case is lower
#: casing, that holds none of them is no match, and the regex, which tries each of its patterns at
#: every character (0.2 ms for a flattened paragraph), is not run.
_STRONG_ANYWHERE_NEEDLES = (
    "commenting using", "fill in your details below", "will not be published", "required fields are marked",
    "notify me of", "blogger", "be the first to", "understanding cables", "discussing cables",
    "if you are new to these pages", "cablegate", "wikisource", "unique reference number",
    "currently released so far", "appears in these articles", "this article is more than", "article history",
    "|", "public library of us diplomacy", "find the cable in the full dataset", "\t", "leave a trackback",
    "reply with quote", "quick navigation", "report ", "forum index", "post subject", "posted", "%s", "%d",
    "{{", "}}",
)  # fmt: skip
_SPACED_SLASH = _regex.compile(r"\s/\s")


def _has_strong_phrase(stripped: str) -> bool:
    """``_STRONG_ANYWHERE.search(stripped)``, ruled out first by its literals on a line of ASCII."""
    if stripped.isascii():
        lowered = stripped.lower()
        if not any(needle in lowered for needle in _STRONG_ANYWHERE_NEEDLES) and not (
            "/" in stripped and _SPACED_SLASH.search(stripped)
        ):
            return False
    return _STRONG_ANYWHERE.search(stripped) is not None


#: Words of widgets, navigation and footers: chrome only on short lines.
_STRONG_SHORT = _any_of(
    # comment forms and discussion widgets
    r"\b(?:leave|post|add|write|submit)\s+(?:a|your|new)?\s*(?:reply|comment|response)s?\b",
    r"\b[0-9]+\s+(?:comments?|responses?|replies|trackbacks?|pingbacks?)\b",
    r"\bcomments?\s*(?:\([0-9]+\)|are closed|closed|feed)|\bcomments?\b[\w ]{0,30}\bare (?:now )?closed\b",
    r"\bcancel reply\b",
    r"\b(?:log|sign)\s?(?:in|out|up)\b",
    r"\b(?:trackback|pingback|permalink)s?\b",
    r"^\s*(?:reply|quote|report|flag)\s*$",
    # sharing and social widgets
    r"\b(?:share|tweet|pin|email|print)\s+(?:this|it|on)\b",
    r"\b(?:facebook|twitter|google\+|reddit|linkedin|pinterest|tumblr|digg|stumbleupon|"
    r"del\.icio\.us|whatsapp|vkontakte|mastodon)\b",
    r"^\s*(?:like|share)\s+this:?\s*$",
    r"\bshare this (?:story|article|post|page)\b|\blike loading\b|^\s*reblog\s*$",
    r"^\s*#[A-Za-z]\w*(?:\s+#[A-Za-z]\w*)+\s*$",  # a line of hashtags
    # blogging platforms and feeds
    r"\b(?:wordpress|blogger|blogspot|typepad|livejournal|disqus|gravatar|substack|squarespace|"
    r"drupal|joomla|documentcloud|scribd|pastebin|medium\.com)\b",
    r"\bpowered by\b|\btheme\s*(?:by|:)",
    r"\b[0-9]+\s+min(?:ute)?s?\s+read\b|^\s*(?:sign in|get started|follow|responses|notes)\s*$",
    r"^\s*posted\s+[0-9]+\s+(?:minutes?|hours?|days?|weeks?|months?)\s+ago\b",
    # news sites
    r"^\s*(?:source|via|quelle|fuente|kilde)\s*:\s*\S+\.[a-z]{2,}\S*\s*$",
    r"^\s*(?:advertisement|anzeige|publicidad|publicité|annonse|sponsored(?: content)?|"
    r"most (?:popular|read|viewed|shared)|related(?: articles?| stories)?|"
    r"read more|more from [\w ]{1,30})\s*:?\s*$",
    r"^\s*related\s*:",
    r"\b(?:rss|atom)\s+feed\b|\bsubscribe\b|\bnewsletter\b",
    # navigation
    r"^\s*(?:home|about(?: us)?|contact(?: us)?|archives?|categories|search|menu|"
    r"skip to (?:main )?content|older posts|newer posts|recent posts|popular posts|"
    r"related posts?|previous(?: post| article)?|next(?: post| article)?|back to top|topics|"
    r"reuse this content|show headers|raw content|rss)\s*[:|»«>]?\s*$",
    r"\b(?:previous|next)\s+(?:post|entry|article)\b",
    r"\b(?:read more|continue reading|click here)\b",
    r"^\s*posted\s+(?:on|in|by|at)\b",
    r"^\s*(?:filed under|categor(?:y|ies)|tagged(?: with)?)\s*:",
    r"[«»]",
    r"^\s*[\w ]{1,24}(?:\s[|·•>›]\s[\w ]{1,24}){2,}\s*$",
    # the papers that published the cables, in their languages: print, send, share, comment,
    # related articles, subscribe, front page, updated
    r"^\s*(?:imprimir|enviar|compartir|corregir|comentarios|portada|imprimer|imprimez|envoyer|envoyez|"
    r"partager|partagez|réagir|réagissez|classez|drucken|teilen|versenden|merken|kommentare|startseite|"
    r"impressum|datenschutz|skriv ut|forsiden|kommentarer|tips en venn)\s*(?:\([0-9]+\))?\s*:?\s*$",
    r"\b(?:noticias relacionadas|vota resultado|sur le même sujet|mis à jour le|abonnez-vous|"
    r"mentions légales|mehr zum thema|artikel versenden|zur startseite|les også|del på|publisert:|"
    r"oppdatert:|ansvarlig redaktør)",
    # footers
    r"©|\(c\)\s*(?:19|20)[0-9]{2}|\bcopyright\b|\ball rights reserved\b",
    r"\bprivacy policy\b|\bterms of (?:use|service)\b|\bcookies?\b",
    # the cable sites' own words
    r"\bwikileaks\b|\bcablegate\b|\bcabledrum\b|\bplusd\b",
    r"\bbrowse\s+(?:by|latest)\b|\bview(?:ing)?\s+cable\b",
)
#: Short means a widget caption or a menu item, not a paragraph.
_SHORT = 100
#: Help-text paragraphs are long but never this long.
_SEARCH_LIMIT = 1200
_URL = _regex.compile(r"https?://|\bwww\.[a-z0-9-]+\.|\b[a-z0-9.-]+\.(?:com|org|net|info)/", re.I)
_CABLE_URL = _regex.compile(r"\.sgov\.gov|state\.gov|\.mil\b", re.I)
#: A numbered paragraph (``7. (C) ...``) or a labelled cable line is never chrome.
_PARAGRAPH = _regex.compile(r"^(?:[0-9]{1,3}[a-z]?\.\s*\(|(?:\(?[A-Z]{1,4}\)\s*)?(?:COMMENT|SUMMARY|NOTE)\b)", re.I)
#: Lines that belong to a cable however short: signers in capitals, markers, banners, rules.
_CABLE_LIKE = _regex.compile(
    r"^\s*(?:[A-Z][A-Z'.-]+(?:\s+[A-Z][A-Z'.-]+){0,3}|[0-9]+\.\s.*|[-=_*#\s]+|.*\bEND\b.*|"
    r"NNNN|BT|.*[0-9]{6}Z\b.*)\s*$"
)


#: A header of a mail or a news post (``From: ...``, ``Message-ID: ...``), as they write it:
#: capitalised, a colon, a blank. A cable's ``SUBJECT:`` is in capitals; its ``FM`` and ``TO``
#: have no colon (but a database dump's ``From: AMCONSUL TIJUANA`` has one).
#: The headers only a mail or a post has; the others (From, To, Date, Subject) are a mail's
#: alone when they hold an address, or sit among other headers.
_MAIL_ONLY_NAMES = (
    r"Newsgroups|Message-I[Dd]|Organi[sz]ation|Reply-To|In-Reply-To|Path|MIME-Version|Content-[A-Za-z-]+|"
    r"X-[A-Za-z0-9-]+|List-[A-Za-z-]+|User-Agent|Return-Path|Received|Followup-To|Xref|NNTP-Posting-[A-Za-z-]+"
)
_MAIL_HEADER = _regex.compile(rf"^(?:From|To|Cc|Bcc|Date|Sent|Subject|References|Lines|{_MAIL_ONLY_NAMES}):[ \t]")
_MAIL_ONLY = _regex.compile(rf"^(?:{_MAIL_ONLY_NAMES}):")
#: What a mail writes around what it quotes or forwards; what a forum or a Markdown page writes
#: around a quote or a block of code.
_MAIL_CHROME = _any_of(
    r"^on\b.{4,120}\bwrote:$",
    r"^-{2,}\s*(?:original message|forwarded message)\s*-{2,}$|^begin forwarded message:$",
    r"^\[(?:quote|code|spoiler)(?:=[^\]]{0,80})?\]$|^\[/(?:quote|code|spoiler)\]$|^```[\w+-]*$|^~~~[\w+-]*$",
    r"^#{1,6}\s+\S",
    r"^posts\s*:\s*[0-9]|^joined\s*:\s*\S",
)
#: A line that closes a quote or a block of code: what follows it is the page's.
_CLOSING = _regex.compile(r"^(?:\[/(?:quote|code|spoiler)\]|```|~~~)$", re.I)


def is_mail_header(line: str) -> bool:
    """A header line of a mail or a news post."""
    return _MAIL_HEADER.match(line.strip()) is not None


def in_mail_headers(lines: list[str], index: int) -> bool:
    """``lines[index]`` is a mail's or a post's header next to another (a ``Subject:`` among
    ``From:`` and ``Date:`` is not the cable's SUBJECT line)."""
    if not is_mail_header(lines[index]):
        return False
    return any(0 <= other < len(lines) and is_mail_header(lines[other]) for other in (index - 1, index + 1))


def is_strong(line: str) -> bool:
    """A line only a web page (or a mail) would carry."""
    stripped = line.strip()
    if not stripped or len(stripped) > _SEARCH_LIMIT:
        return False
    if _MAIL_CHROME.match(stripped) or (
        _MAIL_HEADER.match(stripped) and (_MAIL_ONLY.match(stripped) or "@" in stripped)
    ):
        return True
    if len(stripped) <= _SHORT:
        return _short_is_strong(stripped)
    return not _PARAGRAPH.match(stripped) and _has_strong_phrase(stripped)


@lru_cache(maxsize=4096)
def _short_is_strong(stripped: str) -> bool:
    """``is_strong`` of a short stripped line. The same short lines end cable after cable (a
    signer, ``NNNN``, a site's footer) and the searches cost microseconds each: they are
    remembered (short lines only, so that the cache stays small)."""
    if _PARAGRAPH.match(stripped):
        return False
    if _has_strong_phrase(stripped) or _STRONG_SHORT.search(stripped):
        return True
    url = _URL.search(stripped)
    return bool(url and not _CABLE_URL.search(stripped) and len(stripped.split()) <= 8)


def is_weak(line: str) -> bool:
    """A short, non-cable-like line that may sit inside a block of chrome."""
    stripped = line.strip()
    if not stripped:
        return True
    if len(stripped) > 120 or _CABLE_LIKE.match(stripped):
        return False
    words = stripped.split()
    ends_sentence = stripped.endswith((".", ";", ",")) and not stripped.endswith(("...", "…"))
    return (len(words) <= 7 and not ends_sentence) or bool(_URL.search(stripped))


#: The most lines a block of site text around a cable is taken to have (the seed's has 30).
MAX_BLOCK_LINES = 400


def trailing_block(lines: list[str], first: int, last: int) -> int | None:
    """Index of the first line of trailing chrome in ``lines[first:last]``, or None.

    Walks back from the end over chrome-like lines; the block starts at its first strong line.
    A page's footer is never longer than :data:`MAX_BLOCK_LINES` lines, which bounds the walk.
    """
    index = last - 1
    while index >= first and not lines[index].strip():
        index -= 1
    start: int | None = None
    strong_seen = 0
    floor = max(first, index - MAX_BLOCK_LINES)
    while index >= floor:
        line = lines[index]
        if is_strong(line):
            start = index
            strong_seen += 1
        elif not is_weak(line):
            break
        index -= 1
    # Past a block of chrome at the end, or a signature's separator where the walk stopped (only
    # then: a clean cable's last line ends the walk at once): back to a mail's signature, a
    # quote's end, or the cable's signer over a page's prose.
    if start is not None:
        found = [
            at
            for at in (start, _signature(lines, first, start, last), _after_signer(lines, first, start))
            if at is not None
        ]
        return min(found)
    # A signature of a few lines that the walk stopped in ("Mehmet K." ends a sentence).
    for separator in range(index, max(first, index - _SIGNATURE_LINES) - 1, -1):
        if lines[separator].rstrip("\r\n") in _SEPARATORS:
            return _signature(lines, first, separator + 1, last)
    return None


#: A signer's line: a name in capitals, of one to three words (JEFFREY, RICE, VAN VOORST).
_SIGNER = _regex.compile(r"^[A-Z][A-Z'.-]{1,30}(?:\s+[A-Z][A-Z'.-]{1,30}){0,2}$")
#: How a cable's last paragraph ends, before its signer.
_PARAGRAPH_END = _regex.compile(r"(?:[.)\"'”’]|\bEND\b[^a-z]*)$", re.I)
_RULE = _regex.compile(r"^[-=_*~#\s]+$")
#: The line a cable's transport ends it with: a "CABLE ENDS" banner, NNNN.
_TRANSPORT_END = _regex.compile(r"^(?:=*\s*CABLE\s+ENDS?\s*=*|NNNN|END OF (?:DOCUMENT|CABLE|TEXT)\.?)$", re.I)
_LOWER = _regex.compile(r"[a-zà-ÿ]")
#: The most lines (not blank) between a signer and the text's end that are taken for a page's.
_AFTER_SIGNER_LINES = 120


def _after_signer(lines: list[str], first: int, last: int) -> int | None:
    """The line after a cable's signer when all from it to ``last``, where a block of chrome
    starts, is a page's: no numbered paragraph, label or line in capitals of a cable. (A blog's
    comments, a paper's related headlines and legal notes are prose that no walk over chrome-like
    lines gets past.) The signer follows a line that ends a paragraph."""
    seen = 0
    after = last
    for index in range(last - 1, first - 1, -1):
        stripped = lines[index].strip()
        if not stripped:
            continue
        if is_strong(stripped):
            after = index
        elif _TRANSPORT_END.match(stripped):
            return after  # the cable's transport ends it ("CABLE ENDS", "NNNN"; W604's, not the page's)
        elif _SIGNER.match(stripped) and not _CABLE_LABEL.match(stripped):
            before = next((line.strip() for line in reversed(lines[first:index]) if line.strip()), "")
            return after if _PARAGRAPH_END.search(before) else None
        elif _RULE.match(stripped):
            pass  # a page's separator as much as a cable's
        elif not _LOWER.search(stripped) or _PARAGRAPH.match(stripped):
            # A cable's line (no page's text is all in capitals, nor numbers its paragraphs so);
            # a blog's "Tags: Burma, embassy cables" is no cable's TAGS line after its signer.
            return None
        else:
            after = index  # the first line after the signer that is not blank, so far
        seen += 1
        if seen > _AFTER_SIGNER_LINES:
            return None
    return None


#: The most lines (not blank) after a mail's signature separator, and after a quote's end,
#: before the text's end.
_SIGNATURE_LINES = 12
_QUOTE_END_LINES = 40
_SEPARATORS = frozenset(("-- ", "--"))


def _signature(lines: list[str], first: int, upto: int, last: int) -> int | None:
    """The line of a mail's or a post's signature separator (``-- ``) among the lines before
    ``upto``, when what follows it is no cable's (not a signer's name in capitals); or the line
    that closes the quote or the block of code the cable is in. ``last``: the text's end."""
    seen = 0
    for index in range(upto - 1, first - 1, -1):
        line = lines[index]
        if not line.strip():
            continue
        opening = line.lstrip()[:1]  # (each test only for a line that may pass it)
        if opening in "[`~" and _CLOSING.match(line.strip()):
            return index
        if opening == "-" and line.rstrip("\r\n") in _SEPARATORS and seen <= _SIGNATURE_LINES:
            following = next((other for other in lines[index + 1 : last] if other.strip()), None)
            return index if following is not None and not _CABLE_LIKE.match(following.strip()) else None
        seen += 1
        if seen > _QUOTE_END_LINES:
            return None
    return None


def leading_block(lines: list[str], first: int, last: int) -> int | None:
    """End index (exclusive) of leading chrome in ``lines[first:last]``, or None.

    Every non-blank line before the cable must be chrome-like and at least one strong.
    """
    strong_seen = False
    end: int | None = None
    previous_is_menu = False  # the line before (not blank) is a weak or strong line of chrome
    record_start: int | None = None  # the first of the lines just before that are a number or a date
    for index in range(first, last):
        line = lines[index]
        if not line.strip():
            continue
        strong = is_strong(line)
        menu = strong or is_weak(line)
        stripped = line.strip()
        if _RECORD_VALUE.match(stripped):
            # A database record's fields before the cable (its number and date, then its ID or
            # classification): the document's, not the page's.
            if record_start is not None:
                end = record_start
            break
        record_start = (index if record_start is None else record_start) if _RECORD_FIELD.match(stripped) else None
        if strong or in_mail_headers(lines, index):
            strong_seen = True
            end = index + 1
        elif menu or (len(line) > 200 and _is_prose(line)) or _is_introduction(line):
            # Long lines of help text (a paragraph of instructions), and the headline and sentences
            # a blog or a paper writes to introduce the cable ("Here is the full text:"), are
            # chrome in a block with strong chrome; the cable start bounds the block anyway.
            end = index + 1
        elif (previous_is_menu or end is None) and _is_caption(line):
            # A menu item, a masthead or a headline in capitals ("US" between "Europe" and
            # "Americas", "SPIEGEL ONLINE", the cable's subject over a site's table), which
            # alone would be a signer's line; after other chrome, or first.
            end = index + 1
            menu = True
        else:
            return None
        previous_is_menu = menu
    return end if strong_seen else None


def _is_caption(line: str) -> bool:
    """A short line that is no label and no numbered paragraph of a cable."""
    stripped = line.strip()
    return len(stripped) <= _SHORT and not _CABLE_LABEL.match(stripped) and not _PARAGRAPH.match(stripped)


#: The start of a line that a cable's own first lines may hold (a cable whose header and caption
#: were lost starts at a later line, and these are not to be taken for a page's text).
_CABLE_LABEL = _regex.compile(
    r"^\s*(?:REFS?\b|REFERENCES?\b|CLASSIFIED\s+BY\b|DERIVED\s+FROM\b|DECL\b|E\.?\s?O\.?\s|TAGS\b|SUBJ|"
    r"SIPDIS|NOFORN|DEPARTMENT\s+(?:FOR|PASS)\b|PASS\s+TO\b|FOR\s+[A-Z/]+\b|STATE\s+FOR\b|USDOC\b|"
    r"(?:UNCLAS|CONFIDENTIAL|SECRET|LIMITED\s+OFFICIAL)\b|(?-i:(?:[ZOPR]{1,2}\s+)?RU[A-Z]{2,6}(?:\s+RU[A-Z]{2,6})+\b))",
    re.I,
)


#: A line that is one field of a database record of the cable: its number or a date (which a
#: page's header may hold too), then its ID, its references or its classification (which no
#: page's header holds alone on a line).
_RECORD_FIELD = _regex.compile(r"^(?:[0-9]{4,9}|(?:19|20)[0-9]{2}-[0-9]{2}-[0-9]{2}(?:[ T][0-9:]{4,8})?)$")
_RECORD_VALUE = _regex.compile(
    r"^(?:[0-9]{2}[A-Z]{3,20}[0-9]{1,7}(?:\|[0-9]{2}[A-Z]{3,20}[0-9]{1,7})*|"
    r"(?:UNCLASSIFIED|CONFIDENTIAL|SECRET)(?://[A-Z ]{2,30})?)$"
)


def _is_prose(line: str) -> bool:
    """Most of the line's letters are lower case (help text; a flattened cable is in capitals)."""
    letters = sum(1 for char in line if char.isalpha())
    return letters > 0 and sum(1 for char in line if char.islower()) * 2 >= letters


def _is_introduction(line: str) -> bool:
    """A line of prose that is not a cable's: no numbered paragraph, label or capitals line."""
    stripped = line.strip()
    return not (
        _PARAGRAPH.match(stripped)
        or _CABLE_LIKE.match(stripped)
        or _CABLE_LABEL.match(stripped)
        or stripped.upper() == stripped
    )


#: A TAGS row of a site's metadata table, each tag with its description (PlusD's
#: "PGOV - Political Affairs--Government; ..."): a cable's TAGS line holds the codes alone.
_DESCRIBED_TAGS = _regex.compile(r"^\s*TAGS:?\s+[A-Z]{2,6}\s+-\s+[A-Z][a-z]+(?:\s+[A-Za-z]+)*--")


def is_site_row(line: str) -> bool:
    """A line of a site's table or menu that a cable's labels would otherwise claim (its TAGS
    row, a row of links): never a cable's first line."""
    stripped = line.strip()
    return stripped.count(" | ") >= 2 or _DESCRIBED_TAGS.match(stripped) is not None
