"""The pydantic models: what a well-formed cable is (schema ``cable/1-0-0``) and what a report is
(schema ``report/1-0-0``).

These models are the single source of the JSON Schemas in ``schemas/``: ``cableschema schema
export`` writes them and a test fails when the committed files drift. This module imports nothing
of the project, so that every other layer may import it.

Values are kept as printed in the cable (zero-padded serials, page numbers as three digits) so that
a damaged value read by the parser stays visible and fails the schema on exactly that field.

Every constraint is written so that JSON Schema can say it too (patterns in the common subset of
ECMA-262, Python ``re`` and Rust ``regex``: no look-around, no ``\\d``), with two exceptions that
compare two fields: a modern page marker's page is never above its total, and a caption's
``SECTION n OF m`` never has n above m. The model checks those (``MODEL_ONLY_CHECKS``); the
schema documents them in its descriptions.
"""

from __future__ import annotations

from typing import Annotated, Any, Final, Literal, TypeVar

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

from .findings import REPORT_SCHEMA_VERSION as REPORT_SCHEMA_VERSION
from .vocab import CLASSIFICATIONS as CLASSIFICATIONS

CABLE_SCHEMA_VERSION: Final = "1-0-0"


Classification = Literal[
    "UNCLASSIFIED",
    "UNCLASSIFIED//FOR OFFICIAL USE ONLY",
    "CONFIDENTIAL",
    "CONFIDENTIAL//NOFORN",
    "SECRET",
    "SECRET//NOFORN",
]

#: The levels a caption line prints, letter spacing removed.
CaptionLevel = Literal["UNCLASSIFIED", "UNCLAS", "CONFIDENTIAL", "SECRET", "TOP SECRET", "LIMITED OFFICIAL USE"]

#: The readers (``Document.format``): which one read a cable.
SourceFormat = Literal["html", "page-text", "pre-text", "text", "jsonl", "csv", "cable-json"]

#: Cross-field checks the model makes and JSON Schema cannot express: (JSON pointer pattern, what).
MODEL_ONLY_CHECKS: tuple[tuple[str, str], ...] = (
    ("/page_markers/<n>", "a modern page marker's page is not above its total"),
    ("/caption", "a caption's SECTION n OF m has n <= m"),
)

# -- patterns shared by the schema and the parser's notion of "well-formed" -----------------------
# Each is anchored (^...$) and uses only syntax that ECMA-262, Python and Rust read alike.

#: Two-digit year, the post token (4-17 letters), the serial without leading zeros.
REFERENCE_ID_PATTERN = r"^[0-9]{2}[A-Z]{4,17}[1-9][0-9]{0,6}$"

_YEAR = r"(?:19|20)[0-9]{2}"
_MONTH_DAY = (
    r"(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])"
    r"|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)"
    r"|02-(?:0[1-9]|1[0-9]|2[0-8]))"
)
_LEAP_YEAR = r"(?:19(?:0[48]|[2468][048]|[13579][26])|20(?:0[048]|[2468][048]|[13579][26]))"
_DATE = rf"(?:{_YEAR}-{_MONTH_DAY}|{_LEAP_YEAR}-02-29)"
#: A real calendar date, years 1900-2099 (leap years included): 2007-08-14.
DATE_PATTERN = rf"^{_DATE}$"
#: ISO 8601 timestamp of a real date and time, without offset (all release timestamps are UTC).
TIMESTAMP_PATTERN = rf"^{_DATE}T(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]$"
#: Portion markings: (U) (SBU) (SBU/N) (C) (S) (TS) (C/NF) (S//NF) (C/REL LIBYA) (C - ENTIRE TEXT).
MARKING_PATTERN = r"^(?:TS|S|C|U|SBU|LOU)(?:(?:/{1,2}| ?- ?| )[A-Z][A-Z0-9 ,/-]*)?$"
ROUTING_INDICATOR_PATTERN = r"^[RQ][A-Z]{3,6}$"
TRANSMISSION_ID_PATTERN = r"^VZCZC[A-Z]{3}[0-9]{4}$"
CLASSIFICATION_SIGNAL_PATTERN = r"^ZN[RY] [UECST]{5}(?: [A-Z0-9]{2,6})*(?: \([A-Z0-9 -]+\))?$"
#: A tag: a code (PGOV, KPAO, KZ, NATO, ZANU-PF) or a person (STEINBERG, JAMES B), upper case.
TAG_PATTERN = r"^[A-Z0-9][A-Z0-9&.'/-]*(?:,? [A-Z0-9][A-Z0-9&.'/-]*)*$"
#: Three digits, not 000 (modern page markers).
PAGE3_PATTERN = r"^(?:00[1-9]|0[1-9][0-9]|[1-9][0-9]{2})$"
#: Two or three digits, not zero (old page lines, DE section numbers).
NUMBER_2_OR_3_PATTERN = r"^(?:0[1-9]|[1-9][0-9]|00[1-9]|0[1-9][0-9]|[1-9][0-9]{2})$"
#: Day, hour and minute of a DTG with its Z: 082030Z.
DTG_DAY_TIME_PATTERN = r"^(?:0[1-9]|[12][0-9]|3[01])(?:[01][0-9]|2[0-3])[0-5][0-9]Z$"
RULE_CODE_PATTERN = r"^[EMHPSTW][0-9]{3}$"

Timestamp = Annotated[
    str,
    StringConstraints(pattern=TIMESTAMP_PATTERN),
    Field(description="ISO 8601 timestamp in UTC without offset, e.g. 2007-08-14T08:37:00."),
]
IsoDate = Annotated[str, StringConstraints(pattern=DATE_PATTERN)]
ReferenceId = Annotated[str, StringConstraints(pattern=REFERENCE_ID_PATTERN)]
Marking = Annotated[str, StringConstraints(pattern=MARKING_PATTERN)]
Line = Annotated[int, Field(ge=1, description="1-based line in the normalised cable text.")]
RuleCode = Annotated[str, StringConstraints(pattern=RULE_CODE_PATTERN)]


class _Strict(BaseModel):
    # serialize_by_alias: ``model_dump()`` writes ``from`` (the schema's key), never ``from_``.
    # defer_build: a model's validator is built when first used; a lint run never validates a
    # Cable, and importing the package builds none of them (a third of the module's import time).
    model_config = ConfigDict(
        extra="forbid", frozen=True, populate_by_name=True, serialize_by_alias=True, defer_build=True
    )


class Routing(_Strict):
    """The ``DE`` line (ACP-127 format line 3): ``DE RUEHTA #2221/01 2260837``."""

    indicator: Annotated[str, StringConstraints(pattern=ROUTING_INDICATOR_PATTERN)] = Field(
        description="Routing indicator of the originating station, e.g. RUEHTA."
    )
    serial: Annotated[str, StringConstraints(pattern=r"^[0-9]{4}$")] = Field(
        description="Station serial as printed, four digits: the reference ID serial mod 10,000."
    )
    section: Annotated[str, StringConstraints(pattern=NUMBER_2_OR_3_PATTERN)] | None = Field(
        default=None, description="Section number after the slash (/01), as printed; null when none."
    )
    julian_day: Annotated[
        str, StringConstraints(pattern=r"^(?:00[1-9]|0[1-9][0-9]|[12][0-9]{2}|3[0-5][0-9]|36[0-6])$")
    ] = Field(description="Day of the year of transmission, three digits (001-366).")
    time: Annotated[str, StringConstraints(pattern=r"^(?:[01][0-9]|2[0-3])[0-5][0-9]$")] = Field(
        description="Time of transmission HHMM (UTC)."
    )
    line: Line


class Header(_Strict):
    """The transmission header: ACP-127 format lines and addressees."""

    transmission_id: Annotated[str, StringConstraints(pattern=TRANSMISSION_ID_PATTERN)] | None = Field(
        default=None, description="Format line 1: VZCZC, three letters, four digits (VZCZCXRO4549)."
    )
    relay: str | None = Field(
        default=None,
        description="Format line 2 as printed: doubled precedence and relay indicators (OO RUEHRG).",
    )
    routing: Routing | None = Field(default=None, description="The DE line (format line 3), parsed.")
    classification_signal: Annotated[str, StringConstraints(pattern=CLASSIFICATION_SIGNAL_PATTERN)] | None = Field(
        default=None,
        description="Format line 4: ZNR (unclassified) or ZNY (classified), five level letters, operating "
        "signals, e.g. ZNY CCCCC ZZH.",
    )
    precedence: list[Literal["Z", "O", "P", "R"]] = Field(
        default_factory=list,
        max_length=2,
        description="Precedence letters of the DTG line: action, then info (Z flash, O immediate, P priority, "
        "R routine).",
    )
    dtg: Timestamp | None = Field(
        default=None,
        description="Date-time group of the precedence line: ISO timestamp in UTC of a real date and time, "
        "years 1900-2099 (2007-08-14T08:37:00).",
    )
    dtg_signal: str | None = Field(
        default=None, description="What follows the DTG on its line, as printed: an operating signal (ZFF4)."
    )
    from_: str | None = Field(default=None, alias="from", description="The FM line: the originator's address.")
    to: list[str] = Field(default_factory=list, description="TO addressees, one per line, as printed.")
    info: list[str] = Field(default_factory=list, description="INFO addressees, one per line, as printed.")
    partial: bool = Field(
        default=False,
        description="True when the header is the 'partial extract of the original cable' banner.",
    )


class Caption(_Strict):
    """The classification line opening the body: ``S E C R E T SECTION 01 OF 02 BERN 000881``.

    The model checks that SECTION n OF m has n <= m (JSON Schema cannot compare two fields)."""

    text: str = Field(description="The caption line as printed.")
    classification: CaptionLevel = Field(
        description="The level as printed, letter spacing removed (SECRET, CONFIDENTIAL, UNCLAS)."
    )
    section: int | None = Field(
        default=None, ge=1, le=999, description="n of SECTION n OF m; never above m (checked by the model)."
    )
    sections: int | None = Field(default=None, ge=1, le=999, description="m of SECTION n OF m.")
    post: Annotated[str, StringConstraints(pattern=r"^[A-Za-z][A-Za-z .'-]*$")] | None = Field(
        default=None, description="Post as printed, with its spaces (BUENOS AIRES)."
    )
    serial: Annotated[str, StringConstraints(pattern=r"^[0-9]{1,7}$")] | None = Field(
        default=None, description="Serial as printed, usually six digits (000881)."
    )
    handling: list[str] = Field(
        default_factory=list,
        description="Captions and handling words that follow: SIPDIS, NOFORN, SENSITIVE, EXDIS...",
    )
    line: Line

    @model_validator(mode="after")
    def _section_within_total(self) -> Caption:
        if self.section is not None and self.sections is not None and self.section > self.sections:
            raise ValueError(f"SECTION {self.section} OF {self.sections}: section exceeds total")
        return self


class ExecutiveOrder(_Strict):
    """The E.O. line: ``E.O. 12958: DECL: 09/08/2013`` or ``E.O. 12958: N/A``."""

    text: str = Field(description="The line as printed.")
    order: Literal["11652", "12065", "12356", "12958", "13292", "13526"] = Field(
        description="The executive order cited: 11652 (1972), 12065 (1978), 12356 (1982), "
        "12958 (1995, amended by 13292 in 2003) or 13526 (2009)."
    )
    na: bool = Field(default=False, description="N/A: not classified.")
    decl: str | None = Field(default=None, description="What follows DECL as printed (a date, OADR, X1, an event).")
    decl_date: IsoDate | None = Field(
        default=None,
        description="The declassification date, when DECL gives one: ISO date of a real day, years 1900-2099 "
        "(2017-08-14).",
    )
    exemptions: list[Literal["X1", "X2", "X3", "X4", "X5", "X6", "X7", "X8"]] = Field(
        default_factory=list, description="Exemption codes X1-X8."
    )
    oadr: bool = Field(default=False, description="DECL: OADR (originating agency's determination).")
    line: Line


class Reference(_Strict):
    """One item of the REF block."""

    label: Annotated[str, StringConstraints(pattern=r"^[A-Z]$")] | None = Field(
        default=None, description="Item letter (A, B, ...), if any."
    )
    text: str = Field(description="The item as printed.")
    reference_id: ReferenceId | None = Field(
        default=None, description="The cited cable's reference ID, where the item names a cable."
    )


class ClassifiedBy(_Strict):
    """The ``Classified By:`` line."""

    text: str = Field(description="The statement as printed, joined over its lines.")
    by: str | None = Field(default=None, description="Who classified it.")
    reasons: list[Annotated[str, StringConstraints(pattern=r"^1\.[45](?:\([a-h]\))?$")]] = Field(
        default_factory=list,
        description="Reasons, one per letter: section 1.4 or 1.5 and the category a-h, e.g. ['1.4(b)', '1.4(d)'].",
    )
    line: Line


class ModernPageMarker(_Strict):
    """A page marker of the modern form: ``ASTANA 00002221  001.2 OF 003``.

    The model checks that the page is not above the total (JSON Schema cannot compare two fields)."""

    style: Literal["modern"] = Field(default="modern", description="Which form of marker: modern.")
    line: Line
    post: Annotated[str, StringConstraints(pattern=r"^[A-Z]+(?: [A-Z]+)*$")] = Field(
        description="Post as printed in the caption (NEW DELHI)."
    )
    serial: Annotated[str, StringConstraints(pattern=r"^[0-9]{8}$")] = Field(
        description="The cable's serial zero-padded to eight digits."
    )
    page: Annotated[str, StringConstraints(pattern=PAGE3_PATTERN)] = Field(
        description="Page number, three digits; never above the total (checked by the model)."
    )
    suffix: Annotated[str, StringConstraints(pattern=r"^[0-9]$")] | None = Field(
        default=None, description="The .n suffix (001.2), meaning undocumented."
    )
    total: Annotated[str, StringConstraints(pattern=PAGE3_PATTERN)] = Field(description="Total pages, three digits.")

    @model_validator(mode="after")
    def _page_within_total(self) -> ModernPageMarker:
        if int(self.page) > int(self.total):
            raise ValueError(f"page {self.page} is beyond the total {self.total}")
        return self


class OldPageMarker(_Strict):
    """A page line of the older form: ``PAGE 02 ROME 01196 01 OF 02 082030Z``."""

    style: Literal["old"] = Field(default="old", description="Which form of marker: old.")
    line: Line
    post: Annotated[str, StringConstraints(pattern=r"^[A-Z][A-Z .]*[A-Z.]$")] = Field(
        description="Post as printed, possibly cut (CAPE T)."
    )
    serial: Annotated[str, StringConstraints(pattern=r"^[0-9]{4,6}$")] = Field(
        description="Serial as printed, usually five digits."
    )
    page: Annotated[str, StringConstraints(pattern=NUMBER_2_OR_3_PATTERN)] = Field(
        description="Page number, two (or three) digits."
    )
    section: Annotated[str, StringConstraints(pattern=r"^(?:0[1-9]|[1-9][0-9])$")] | None = Field(
        default=None, description="Section n of 'nn OF mm', if printed."
    )
    sections: Annotated[str, StringConstraints(pattern=r"^(?:0[1-9]|[1-9][0-9])$")] | None = Field(
        default=None, description="Sections m of 'nn OF mm', if printed."
    )
    time: Annotated[str, StringConstraints(pattern=DTG_DAY_TIME_PATTERN)] = Field(
        description="Day, hour and minute of the DTG (082030Z)."
    )


PageMarker = Annotated[ModernPageMarker | OldPageMarker, Field(discriminator="style")]


class Paragraph(_Strict):
    """A numbered paragraph: ``1. (SBU) ...``."""

    number: int = Field(ge=1, description="Paragraph number.")
    sub: Annotated[str, StringConstraints(pattern=r"^[a-z]$")] | None = Field(
        default=None, description="Sub-paragraph letter (2a.)."
    )
    marking: Marking | None = Field(default=None, description="Portion marking without brackets (SBU, C/NF, S//NF).")
    line: Line


class Span(_Strict):
    """A summary, comment or note: where it opens and where its closer is."""

    kind: Literal["summary", "comment", "note"] = Field(description="What the span is.")
    start_line: Line
    end_line: Line | None = Field(
        default=None, description="Line of the closing 'End ...' marker; null when never closed."
    )
    bracketed: bool = Field(default=False, description="Opened inside brackets: (Comment: ...")


class Redaction(_Strict):
    """A run of X that a media partner put in place of a name."""

    line: Line
    column: int = Field(ge=1, description="1-based column of the first X.")
    length: int = Field(ge=5, description="Number of X in the run.")


class Source(_Strict):
    """Where the cable was read from."""

    path: str = Field(description="The file as given on the command line, or <string>.")
    format: SourceFormat = Field(description="The reader that read it.")
    record: int | None = Field(default=None, ge=1, description="For a file of many records, its 1-based line or row.")


class Cable(_Strict):
    """A well-formed cable (schema ``cable/1-0-0``).

    ``cableschema.parse`` fills this model when every field is well-formed; otherwise the values as
    read are kept in ``ParsedCable.data`` and fail validation on exactly the malformed fields.
    """

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        populate_by_name=True,
        serialize_by_alias=True,
        title="Cable",
        json_schema_extra={
            "description": "A US diplomatic cable of the Cablegate release, as cableschema parses it: the values "
            "as printed, with line numbers into the normalised text. Two checks compare fields and so cannot be "
            "said in JSON Schema; the cableschema model and `cableschema schema validate` make them: a modern "
            "page marker's page is never above its total, and a caption's SECTION n OF m never has n above m."
        },
    )

    schema_version: Literal["1-0-0"] = Field(
        default=CABLE_SCHEMA_VERSION, description="Version of this document's schema (SchemaVer)."
    )
    reference_id: ReferenceId = Field(
        description="Release reference ID: two-digit year, post, serial without leading zeros (07ASTANA2221)."
    )
    created: Timestamp | None = Field(
        default=None,
        description="Created (release metadata): ISO timestamp in UTC of a real date and time, years 1900-2099 "
        "(2007-08-14T08:37:00).",
    )
    released: Timestamp | None = Field(
        default=None,
        description="Released (release metadata): ISO timestamp in UTC of a real date and time, years 1900-2099 "
        "(2011-08-30T01:44:00).",
    )
    classification: Classification | None = Field(
        default=None, description="Release classification: one of the six of the release."
    )
    origin: str | None = Field(default=None, description="Origin display name (Embassy Astana).")
    header: Header = Field(default_factory=Header, description="Transmission header.")
    caption: Caption | None = Field(default=None, description="Classification/caption line.")
    eo: ExecutiveOrder | None = Field(default=None, description="E.O. line.")
    tags: list[Annotated[str, StringConstraints(pattern=TAG_PATTERN)]] = Field(
        default_factory=list,
        description="TAGS, in order: codes (PGOV, KPAO, KZ, NATO) or persons (STEINBERG, JAMES B), upper case.",
    )
    subject: str | None = Field(default=None, description="SUBJECT, joined over its lines.")
    references: list[Reference] = Field(default_factory=list, description="REF items.")
    classified_by: ClassifiedBy | None = Field(default=None, description="Classified By line.")
    page_markers: list[PageMarker] = Field(default_factory=list, description="Page markers, in text order.")
    paragraphs: list[Paragraph] = Field(default_factory=list, description="Numbered paragraphs, in text order.")
    spans: list[Span] = Field(default_factory=list, description="Summary, comment and note spans, in text order.")
    redactions: list[Redaction] = Field(default_factory=list, description="Runs of X put in by media partners.")
    signature: str | None = Field(default=None, description="Signer at the end of the cable.")
    text: str = Field(description="The normalised cable text that line numbers refer to.")
    source: Source = Field(description="Where it was read from.")


# -- reports ---------------------------------------------------------------------------------------

Severity = Literal["error", "warning", "info"]


class Edit(_Strict):
    """Replace the source text between two positions (1-based, end exclusive) by ``content``."""

    line: int = Field(ge=1, description="1-based line in the source file where the edit starts.")
    column: int = Field(ge=1, description="1-based column where the edit starts.")
    end_line: int = Field(ge=1, description="1-based line where the edit ends.")
    end_column: int = Field(ge=1, description="1-based column where the edit ends (exclusive).")
    content: str = Field(description="The text that replaces the span (empty to delete it).")


class Fix(_Strict):
    """How to repair a finding."""

    applicability: Literal["safe", "unsafe"] = Field(
        description="safe: applied by --fix; unsafe: only with --unsafe-fixes."
    )
    message: str = Field(description="What the fix does.")
    edits: list[Edit] = Field(description="The edits, in source order; they never overlap.")


class Finding(_Strict):
    """One finding of one rule."""

    path: str = Field(description="The file as given on the command line.")
    record: int | None = Field(default=None, ge=1, description="Record (line or row) in a file of many records.")
    reference_id: str | None = Field(default=None, description="The cable's reference ID as read.")
    code: RuleCode = Field(description="Rule code: family letter and three digits (T501).")
    name: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")] = Field(
        description="Rule name, kebab-case (word-split-across-lines)."
    )
    severity: Severity = Field(description="error, warning or info (after any configured override).")
    message: str = Field(description="What is wrong, naming the values compared.")
    line: int = Field(ge=1, description="1-based line in the source file.")
    column: int = Field(ge=1, description="1-based column (characters) in the source line.")
    end_line: int = Field(ge=1, description="1-based line in the source file where the finding ends.")
    end_column: int = Field(ge=1, description="1-based column where the finding ends (exclusive).")
    cable_line: int | None = Field(
        default=None, ge=1, description="Line in the normalised cable text (parse --format text)."
    )
    fix: Fix | None = Field(default=None, description="How to repair it; null when no fix is certain.")
    fingerprint: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{8,64}$")] | None = Field(
        default=None, description="Stable hash (hex) of code and surrounding text, used by baselines."
    )


class Tool(_Strict):
    """The program that wrote the report."""

    name: Literal["cableschema"] = Field(default="cableschema", description="Always cableschema.")
    version: str = Field(description="cableschema's version.")


class FileSummary(_Strict):
    """One file of the run."""

    path: str = Field(description="The file as given on the command line.")
    format: str | None = Field(
        default=None,
        description="Reader used (html, page-text, pre-text, text, jsonl, csv, cable-json); null when unreadable.",
    )
    reference_ids: list[str] = Field(default_factory=list, description="Reference IDs of its cables, as read.")
    cables: int = Field(default=0, ge=0, description="Number of cables read from it.")
    findings: int = Field(ge=0, description="Number of findings in it.")
    error: str | None = Field(default=None, description="Why the file could not be read.")


class Summary(_Strict):
    """Totals of the run."""

    files: int = Field(ge=0, description="Files read.")
    cables: int = Field(ge=0, description="Cables read.")
    findings: int = Field(ge=0, description="Findings reported.")
    by_code: dict[RuleCode, Annotated[int, Field(ge=1)]] = Field(
        default_factory=dict, description="Findings per rule code."
    )
    by_severity: dict[Severity, Annotated[int, Field(ge=1)]] = Field(
        default_factory=dict, description="Findings per severity."
    )
    baseline_matched: int | None = Field(
        default=None, ge=0, description="Findings hidden because the baseline lists them."
    )
    baseline_stale: int | None = Field(default=None, ge=0, description="Baseline entries that matched no finding.")


class Report(_Strict):
    """The JSON report of ``cableschema lint --format json`` (schema ``report/1-0-0``)."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        serialize_by_alias=True,
        title="Report",
        json_schema_extra={"description": "The JSON report of `cableschema lint --format json`."},
    )

    schema_version: Literal["1-0-0"] = Field(
        default=REPORT_SCHEMA_VERSION, description="Version of this document's schema (SchemaVer)."
    )
    tool: Tool = Field(description="The program that wrote the report and its version.")
    findings: list[Finding] = Field(description="Every finding, in file and line order.")
    files: list[FileSummary] = Field(description="Every file of the run.")
    summary: Summary = Field(description="Totals.")


_Model = TypeVar("_Model", bound=BaseModel)
# BaseModel's slots, set through their descriptors: no look-up of the name on each call.
_set_fields_set = BaseModel.__dict__["__pydantic_fields_set__"].__set__
_set_extra = BaseModel.__dict__["__pydantic_extra__"].__set__
_set_private = BaseModel.__dict__["__pydantic_private__"].__set__


def construct(cls: type[_Model], values: dict[str, Any]) -> _Model:
    """``cls.model_construct(**values)`` for ``values`` that hold every field of ``cls``, by name, in
    field order, each already checked: the same instance state (``__dict__``, every field set, no
    extra, no private values) without pydantic's per-call look-ups of defaults and aliases, which
    cost more than validating. A run builds a model for each of tens of thousands of findings.
    Only for models without aliases, post-init, private attributes or extra allowed: Finding, Fix
    and Edit (tests hold the results equal to model_construct's and to validated models)."""
    model = object.__new__(cls)
    object.__setattr__(model, "__dict__", values)
    _set_fields_set(model, set(values))
    _set_extra(model, None)
    _set_private(model, None)
    return model


def cable_from_data(data: dict[str, Any]) -> Cable:
    """Validate a cable document (as produced by ``parse``) into a :class:`Cable`."""
    return Cable.model_validate(data)
