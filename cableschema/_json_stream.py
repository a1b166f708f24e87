"""A JSON document with one long array written an item at a time, byte for byte as ``json.dumps``
writes the whole document (with the same indent and ``ensure_ascii=False``), so that a writer
never holds a second structure per item in memory."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, TextIO


def write_with_streamed_array(
    stream: TextIO, document: dict[str, Any], key: str, depth: int, items: Iterable[Any], indent: int
) -> int:
    """Write ``document``, whose member ``key`` (``depth`` levels deep) is an empty list, with
    ``items`` in that list. Returns the number of items written; iterates ``items`` once."""
    text = json.dumps(document, indent=indent, ensure_ascii=False)
    # JSON strings never hold a raw newline: a newline, the key's indentation and the key can only
    # be the member itself, never text inside a value.
    member = "\n" + " " * (indent * depth) + json.dumps(key, ensure_ascii=False) + ": []"
    if text.count(member) != 1:
        raise ValueError(f"the document has no single empty {key!r} at depth {depth}")
    head, _, tail = text.partition(member)
    stream.write(head + member[:-1])  # up to the list's "["
    item_margin = "\n" + " " * (indent * (depth + 1))
    count = 0
    for item in items:
        item_text = json.dumps(item, indent=indent, ensure_ascii=False).replace("\n", item_margin)
        stream.write(("," if count else "") + item_margin + item_text)
        count += 1
    # json.dumps writes an empty list as "[]" and closes any other on a line of its own.
    stream.write("\n" + " " * (indent * depth) + "]" if count else "]")
    stream.write(tail)
    return count
