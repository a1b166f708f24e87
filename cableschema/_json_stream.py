"""A JSON document with one long array written a few items at a time, byte for byte as
``json.dumps`` writes the whole document (with the same indent and ``ensure_ascii=False``), so that
a writer never holds a second structure per item of the whole array in memory."""

from __future__ import annotations

import json
from collections.abc import Iterable
from itertools import islice
from typing import Any, TextIO

# Items held at once: enough that the encoder's cost per call is shared, few enough to be nothing
# beside a million.
_BATCH = 256


def write_with_streamed_array(
    stream: TextIO,
    document: dict[str, Any],
    key: str,
    depth: int,
    items: Iterable[Any],
    indent: int,
    *,
    encoded: bool = False,
) -> int:
    """Write ``document``, whose member ``key`` (``depth`` levels deep) is an empty list, with
    ``items`` in that list. Returns the number of items written; iterates ``items`` once.
    ``encoded``: the items are their JSON already, as json.dumps writes it in the list (each line
    after the first indented as the item's own first line is)."""
    text = json.dumps(document, indent=indent, ensure_ascii=False)
    # JSON strings never hold a raw newline: a newline, the key's indentation and the key can only
    # be the member itself, never text inside a value.
    member = "\n" + " " * (indent * depth) + json.dumps(key, ensure_ascii=False) + ": []"
    if text.count(member) != 1:
        raise ValueError(f"the document has no single empty {key!r} at depth {depth}")
    head, _, tail = text.partition(member)
    stream.write(head + member[:-1])  # up to the list's "["
    # The items are encoded a batch at a time, as a list: each encoding call makes a new encoder's
    # worth of closures, which costs as much as a small item's text. The batch's text, indented to
    # the list's depth, is "[", its items each on a line of their own, separated by ",", then the
    # closing line: the items are the text between.
    encoder = json.JSONEncoder(indent=indent, ensure_ascii=False)
    list_margin = "\n" + " " * (indent * depth)
    closing = list_margin + "]"
    remaining = iter(items)
    count = 0
    item_margin = list_margin + " " * indent
    while batch := list(islice(remaining, _BATCH)):
        if encoded:
            text = ",".join(item_margin + item for item in batch)
            stream.write(("," if count else "") + text)
        else:
            text = encoder.encode(batch).replace("\n", list_margin)
            stream.write(("," if count else "") + text[1 : -len(closing)])
        count += len(batch)
    # json.dumps writes an empty list as "[]" and closes any other on a line of its own.
    stream.write(closing if count else "]")
    stream.write(tail)
    return count
