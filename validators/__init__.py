"""The rule pack: one module per rule family, one function per rule, each with its docs.

Importing this package registers every rule in :data:`cableschema.rules.REGISTRY`. To add a rule,
write one decorated function in its family's module (see ``cableschema.rules``), plus fixtures
named by its code under ``fixtures/rules/`` and their snapshots.

=========  ===========================================================================
family     codes
=========  ===========================================================================
files      E0xx: files that cannot be read, hold no cable, or broke a rule
metadata   M1xx: reference ID and release metadata
header     H2xx: routing, DTG, signals, caption, E.O., TAGS, SUBJECT, addressees
pages      P3xx: page markers
structure  S4xx: paragraphs, markings, summary/comment/note, headings, signature
damage     T5xx: broken words, truncation, markup, encoding, garbling, duplication
site       W6xx: site chrome, trailers, dump rows
=========  ===========================================================================
"""

from . import damage, files, header, metadata, pages, site, structure  # noqa: F401  (importing registers the rules)
