"""The versioned JSON Schemas: export from the models, the offline registry, validation, upgrades.

The pydantic models in :mod:`cableschema.model` are the single source. :func:`export` turns them
into JSON Schema 2020-12 documents restricted to keywords that draft-07 tools understand (no
``prefixItems``, ``$dynamicRef``, ``unevaluated*``, no OpenAPI ``discriminator``; a ``$ref`` never
has siblings), each with a ``$id`` that carries its version, plus a SchemaStore-style
``catalog.json``. The committed files in ``schemas/`` (package data ``cableschema.schemas``) are
what :func:`load`, :func:`registry` and :func:`validator` read: no network, and ``$ref`` between
the files resolves offline through a :class:`referencing.Registry`.

Versions follow SchemaVer (``MODEL-REVISION-ADDITION``, e.g. ``1-0-0``); docs/versioning.md says
what each part means, and :class:`Upgrades` holds the functions that carry a document from one
version to the next.

Validating documents (:class:`DocumentChecker`): when a document is of the version the models
define, pydantic (strict JSON mode) decides, which is many times faster than ``jsonschema``; only
for an invalid document is ``jsonschema`` run, for its best-match message. Documents of another
published version are checked by ``jsonschema`` against that version's file.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import IO, Any, Final, NamedTuple, Protocol

from pydantic import BaseModel, ValidationError
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaMode, JsonSchemaValue
from pydantic_core import CoreSchema

from . import _regex
from .model import CABLE_SCHEMA_VERSION, REPORT_SCHEMA_VERSION, Cable, Report

#: Where the schema files are published; a schema's ``$id`` is ``BASE_URI + name/version.json``.
BASE_URI: Final = "https://cableschema.github.io/schemas/"
DIALECT: Final = "https://json-schema.org/draft/2020-12/schema"
CATALOG_SCHEMA: Final = "https://json.schemastore.org/schema-catalog.json"
CATALOG_FILE: Final = "catalog.json"

#: Keywords a draft-07 tool does not understand (or that pydantic adds for OpenAPI only).
NOT_DRAFT_07: Final = frozenset(
    {
        "prefixItems",
        "$dynamicRef",
        "$dynamicAnchor",
        "$recursiveRef",
        "$recursiveAnchor",
        "$anchor",
        "$vocabulary",
        "unevaluatedItems",
        "unevaluatedProperties",
        "dependentRequired",
        "dependentSchemas",
        "minContains",
        "maxContains",
        "contentSchema",
        "discriminator",
    }
)

_VERSION = _regex.compile(r"^([1-9][0-9]*)-(0|[1-9][0-9]*)-(0|[1-9][0-9]*)$")


class SchemaError(Exception):
    """A schema name, version or file that cannot be used (a usage error for the command line)."""


@dataclass(frozen=True)
class SchemaInfo:
    """A schema the models define: its name, the model and the version it is at."""

    name: str
    model: type[BaseModel]
    version: str
    title: str
    description: str
    file_match: tuple[str, ...]


#: The schemas of cableschema, by name. ``version`` is the version the models define now.
SCHEMAS: Final[dict[str, SchemaInfo]] = {
    "cable": SchemaInfo(
        "cable",
        Cable,
        CABLE_SCHEMA_VERSION,
        "cableschema cable",
        "A US diplomatic cable of the Cablegate release as cableschema parses it (`cableschema parse --format json`).",
        ("*.cable.json",),
    ),
    "report": SchemaInfo(
        "report",
        Report,
        REPORT_SCHEMA_VERSION,
        "cableschema report",
        "The JSON report of `cableschema lint --format json`.",
        ("cableschema-report.json", "*.cableschema-report.json"),
    ),
}


# -- versions ---------------------------------------------------------------------------------------


def parse_version(version: str) -> tuple[int, int, int]:
    """``"1-2-0"`` -> ``(1, 2, 0)``; raises :class:`SchemaError` for anything else."""
    match = _VERSION.match(version)
    if not match:
        raise SchemaError(f"{version!r} is not a SchemaVer version (MODEL-REVISION-ADDITION, e.g. 1-0-0)")
    model, revision, addition = (int(part) for part in match.groups())
    return model, revision, addition


def schema_id(name: str, version: str) -> str:
    """The ``$id`` of a schema version: ``https://cableschema.github.io/schemas/cable/1-0-0.json``."""
    return f"{BASE_URI}{relative_path(name, version)}"


def relative_path(name: str, version: str) -> str:
    parse_version(version)
    return f"{name}/{version}.json"


# -- export from the models -------------------------------------------------------------------------


class _Generator(GenerateJsonSchema):
    """pydantic's generator, made to write a draft-07-compatible 2020-12 schema with a ``$id``."""

    schema_name = ""
    schema_version = ""

    def generate(self, schema: CoreSchema, mode: JsonSchemaMode = "validation") -> JsonSchemaValue:
        tags: list[tuple[str, str]] = []
        body = _draft07(super().generate(schema, mode=mode), tags)
        for definition, tag in tags:
            # A discriminated union: pydantic requires the tag, so every branch requires it.
            required = body["$defs"][definition].setdefault("required", [])
            if tag not in required:
                required.insert(0, tag)
        info = SCHEMAS[self.schema_name]
        head = {
            "$schema": DIALECT,
            "$id": schema_id(self.schema_name, self.schema_version),
            "$comment": "Generated from cableschema.model by `cableschema schema export`. Do not edit: a "
            "published version never changes (docs/versioning.md).",
            "title": body.pop("title", info.title),
            "description": body.pop("description", info.description),
        }
        return {**head, **body}


def _draft07(node: Any, tags: list[tuple[str, str]]) -> Any:
    """Rewrite what draft-07 tools do not read: ``discriminator`` (the ``oneOf`` becomes an
    ``if``/``then``/``else`` chain on the tag, and each branch requires its tag: collected in
    ``tags`` as ``(definition, property)``), ``$ref`` with siblings, and
    ``patternProperties`` objects that would let any other key through. RST ``` `` ``` in
    descriptions become single backquotes."""
    if isinstance(node, list):
        return [_draft07(item, tags) for item in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key == "discriminator":
            continue
        if key in ("properties", "$defs", "patternProperties"):
            out[key] = {name: _draft07(sub, tags) for name, sub in value.items()}
        elif key == "description" and isinstance(value, str):
            out[key] = value.replace("``", "`")
        elif key in ("enum", "const", "default", "examples"):
            out[key] = value
        else:
            out[key] = _draft07(value, tags)
    discriminator = node.get("discriminator")
    if isinstance(discriminator, dict) and isinstance(discriminator.get("mapping"), dict) and "oneOf" in out:
        out = _tagged_union(out, discriminator["propertyName"], discriminator["mapping"], tags)
    if "$ref" in out and len(out) > 1:
        reference = out.pop("$ref")
        out = {"allOf": [{"$ref": reference}], **out}
    if "patternProperties" in out and "additionalProperties" not in out and "properties" not in out:
        out["additionalProperties"] = False
    return out


def _tagged_union(node: dict[str, Any], tag: str, mapping: dict[str, str], tags: list[tuple[str, str]]) -> Any:
    """A discriminated ``oneOf`` as a chain of ``if``/``then``/``else`` on the tag's value.

    Draft-07 tools read it, and a validator reports the errors of the one branch the tag names
    (with ``oneOf``, an invalid modern page marker is also reported as a bad old one)."""
    rest = {key: value for key, value in node.items() if key != "oneOf"}
    described = f"Which kind of item this is: {', '.join(mapping)}."
    chain: dict[str, Any] = {
        "required": [tag],
        "properties": {tag: {"enum": list(mapping), "description": described}},
    }
    for value, target in reversed(list(mapping.items())):
        if target.startswith("#/$defs/"):
            tags.append((target[len("#/$defs/") :], tag))
        chain = {
            "if": {"required": [tag], "properties": {tag: {"const": value, "description": described}}},
            "then": {"$ref": target},
            "else": chain,
        }
    return {**rest, **chain}


def model_schema(name: str) -> dict[str, Any]:
    """The JSON Schema of the model ``name`` at the version the models define now."""
    info = _info(name)
    generator = type("Generator", (_Generator,), {"schema_name": name, "schema_version": info.version})
    schema = info.model.model_json_schema(by_alias=True, mode="validation", schema_generator=generator)
    problems = draft07_problems(schema)
    if problems:  # pragma: no cover - a model change that needs a new rewrite in _draft07
        raise SchemaError(f"{name}: the exported schema uses keywords draft-07 tools do not read: {problems}")
    return schema


def draft07_problems(schema: Any, where: str = "") -> list[str]:
    """JSON pointers (with the keyword) of every keyword draft-07 tools do not understand, and of
    every ``$ref`` that has siblings (ignored by draft-07)."""
    problems: list[str] = []
    if isinstance(schema, list):
        for index, item in enumerate(schema):
            problems += draft07_problems(item, f"{where}/{index}")
    elif isinstance(schema, dict):
        for key, value in schema.items():
            if key in NOT_DRAFT_07:
                problems.append(f"{where}/{key}")
            if key in ("properties", "$defs", "patternProperties") and isinstance(value, dict):
                for name, sub in value.items():
                    problems += draft07_problems(sub, f"{where}/{key}/{name}")
            elif key not in ("enum", "const", "default", "examples", "required"):
                problems += draft07_problems(value, f"{where}/{key}")
        if "$ref" in schema and len(schema) > 1:
            problems.append(f"{where}/$ref (with siblings)")
    return problems


def catalog_for(versions: dict[str, list[str]]) -> dict[str, Any]:
    """A SchemaStore catalog: each schema with its versions; its ``url`` is the latest."""
    entries = []
    for name, found in versions.items():
        info = _info(name)
        ordered = sorted(found, key=parse_version)
        latest = ordered[-1]
        entries.append(
            {
                "name": info.title,
                "description": f"{info.description} Latest version: {latest}.",
                "fileMatch": list(info.file_match),
                "url": schema_id(name, latest),
                "versions": {version: schema_id(name, version) for version in ordered},
            }
        )
    return {"$schema": CATALOG_SCHEMA, "version": 1, "schemas": entries}


def render(document: Any) -> str:
    """The text a schema file holds: two-space JSON, UTF-8, one final newline."""
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


@dataclass
class ExportResult:
    written: list[str] = field(default_factory=list)  # relative paths written (or that would change)
    unchanged: list[str] = field(default_factory=list)


def export(
    output_dir: str | Path,
    *,
    version: str | None = None,
    check: bool = False,
    force: bool = False,
) -> ExportResult:
    """Write the schemas the models define (those at ``version`` when given) and the catalog into
    ``output_dir``; other versions' files already there are kept and listed in the catalog.

    With ``check``, nothing is written: the result lists what would change. An existing schema file
    with other content is a published file changing: refused unless ``force`` (for a version not
    yet released).
    """
    root = Path(output_dir)
    names = [info.name for info in SCHEMAS.values() if version is None or info.version == version]
    if version is not None:
        parse_version(version)
        if not names:
            defined = ", ".join(f"{info.name} {info.version}" for info in SCHEMAS.values())
            raise SchemaError(f"no model is at version {version}: the models define {defined}")
    files: dict[str, str] = {}
    for name in names:
        info = SCHEMAS[name]
        files[relative_path(name, info.version)] = render(model_schema(name))
    on_disk = _versions_in(root)
    for name in names:
        found = on_disk.setdefault(name, [])
        if SCHEMAS[name].version not in found:
            found.append(SCHEMAS[name].version)
    files[CATALOG_FILE] = render(catalog_for({name: on_disk[name] for name in SCHEMAS if on_disk.get(name)}))
    result = ExportResult()
    for relative, text in files.items():
        target = root / relative
        old = target.read_text(encoding="utf-8") if target.is_file() else None
        if old == text:
            result.unchanged.append(relative)
            continue
        result.written.append(relative)
        if check:
            continue
        if old is not None and relative != CATALOG_FILE and not force:
            raise SchemaError(
                f"{target} exists with other content: a published schema never changes. Bump the version "
                "in cableschema/model.py (docs/versioning.md), or pass --force while the version is unreleased"
            )
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(target.name + ".tmp")
        temporary.write_text(text, encoding="utf-8", newline="\n")
        temporary.replace(target)
    return result


def _versions_in(root: Path) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for name in SCHEMAS:
        folder = root / name
        if folder.is_dir():
            found[name] = sorted((p.stem for p in folder.glob("*.json") if _VERSION.match(p.stem)), key=parse_version)
    return found


def _info(name: str) -> SchemaInfo:
    try:
        return SCHEMAS[name]
    except KeyError:
        raise SchemaError(f"no schema named {name!r}; known: {', '.join(SCHEMAS)}") from None


# -- the published files (package data) -------------------------------------------------------------


def _package() -> Any:
    return resources.files("cableschema.schemas")


@cache
def catalog() -> dict[str, Any]:
    """The committed ``catalog.json``."""
    text = _package().joinpath(CATALOG_FILE).read_text(encoding="utf-8")
    result: dict[str, Any] = json.loads(text)
    return result


def _name_of_entry(entry: dict[str, Any]) -> str:
    for name, info in SCHEMAS.items():
        if entry.get("name") == info.title:
            return name
    raise SchemaError(f"catalog.json: unknown schema {entry.get('name')!r}")  # pragma: no cover


def versions(name: str) -> list[str]:
    """The published versions of a schema, oldest first."""
    _info(name)
    for entry in catalog()["schemas"]:
        if _name_of_entry(entry) == name:
            return sorted(entry["versions"], key=parse_version)
    return []  # pragma: no cover - every schema is in the catalog (tested)


def latest(name: str) -> str:
    """The latest published version of a schema."""
    found = versions(name)
    if not found:  # pragma: no cover
        raise SchemaError(f"no published version of {name}")
    return found[-1]


@cache
def load(name: str, version: str | None = None) -> dict[str, Any]:
    """A published schema (default: the latest version), read from package data."""
    version = version or latest(name)
    if version not in versions(name):
        raise SchemaError(f"{name} has no version {version}; published: {', '.join(versions(name))}")
    text = _package().joinpath(name, f"{version}.json").read_text(encoding="utf-8")
    result: dict[str, Any] = json.loads(text)
    return result


def resolve_reference(reference: str) -> tuple[str, str]:
    """``cable``, ``cable/1-0-0`` or ``cable@1-0-0`` -> ``(name, version)`` (latest by default)."""
    name, _, version = reference.replace("@", "/").partition("/")
    _info(name)
    if version.endswith(".json"):
        version = version[: -len(".json")]
    version = version or latest(name)
    if version not in versions(name):
        raise SchemaError(f"{name} has no version {version}; published: {', '.join(versions(name))}")
    return name, version


@cache
def registry() -> Any:
    """A :class:`referencing.Registry` of every published schema, by ``$id``. Nothing is fetched:
    a ``$ref`` to any other URI is unresolvable."""
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012

    resources_: list[tuple[str, Any]] = []
    for name in SCHEMAS:
        for version in versions(name):
            contents = load(name, version)
            resources_.append((contents["$id"], Resource.from_contents(contents, default_specification=DRAFT202012)))
    return Registry().with_resources(resources_).crawl()


def validator(schema: str | dict[str, Any], version: str | None = None) -> Any:
    """A ``jsonschema`` 2020-12 validator for a published schema (by name) or a schema document,
    resolving ``$ref`` through :func:`registry`."""
    from jsonschema import Draft202012Validator

    contents = load(schema, version) if isinstance(schema, str) else schema
    return Draft202012Validator(contents, registry=registry())


def dereference(schema: dict[str, Any], registry_: Any = None) -> dict[str, Any]:
    """The schema with every ``$ref`` replaced by what it points at (through the registry, so
    other files resolve offline): what hypothesis-jsonschema needs. Recursive schemas are refused."""
    from referencing import Registry, Resource
    from referencing.exceptions import Unresolvable
    from referencing.jsonschema import DRAFT202012

    base = registry_ if registry_ is not None else registry()
    uri = schema.get("$id", "urn:cableschema:anonymous")
    if not isinstance(base, Registry):  # pragma: no cover - defensive
        raise SchemaError("dereference needs a referencing.Registry")
    base = base.with_resource(uri, Resource.from_contents(schema, default_specification=DRAFT202012))
    resolver = base.resolver(base_uri=uri)

    def walk(node: Any, resolver: Any, stack: tuple[int, ...]) -> Any:
        if isinstance(node, list):
            return [walk(item, resolver, stack) for item in node]
        if not isinstance(node, dict):
            return node
        if "$ref" in node and isinstance(node["$ref"], str):
            reference = node["$ref"]
            try:
                resolved = resolver.lookup(reference)
            except Unresolvable as exc:
                raise SchemaError(f"cannot resolve $ref {reference!r} offline: {exc}") from None
            key = id(resolved.contents)
            if key in stack:
                raise SchemaError(f"$ref {reference!r} is recursive: cannot inline it")
            target = walk(resolved.contents, resolved.resolver, (*stack, key))
            if isinstance(target, dict):
                target = {k: v for k, v in target.items() if k not in ("$id", "$schema", "$defs", "$comment")}
            rest = {k: walk(v, resolver, stack) for k, v in node.items() if k != "$ref"}
            return {"allOf": [target], **rest} if rest else target
        out: dict[str, Any] = {}
        for key, value in node.items():
            if key in ("$defs", "definitions"):
                continue
            if key in ("enum", "const", "default", "examples"):
                out[key] = value
            elif key in ("properties", "patternProperties"):
                out[key] = {name: walk(sub, resolver, stack) for name, sub in value.items()}
            else:
                out[key] = walk(value, resolver, stack)
        return out

    result: dict[str, Any] = walk(schema, resolver, ())
    return result


# -- checking documents -------------------------------------------------------------------------------


class Problem(NamedTuple):
    """Why a document is invalid: a JSON pointer into it (``""`` for the whole) and a message."""

    pointer: str
    message: str

    def __str__(self) -> str:
        return f"{self.pointer or '/'}: {self.message}"


_MAX_MESSAGE = 400
_LONG_PATTERN = 80  # longer patterns (dates) are not repeated in messages


def _escape(part: object) -> str:
    return str(part).replace("~", "~0").replace("/", "~1")


def _shorten(message: str) -> str:
    message = " ".join(message.split())
    if len(message) <= _MAX_MESSAGE:
        return message
    return message[: _MAX_MESSAGE - 40] + " ... " + message[-35:]


def schema_problem(error: Any) -> Problem:
    """A ``jsonschema`` error as a :class:`Problem`; a pattern error says what the field is."""
    pointer = "".join(f"/{_escape(part)}" for part in error.absolute_path)
    message = error.message
    if error.validator == "pattern":
        if len(str(error.validator_value)) > _LONG_PATTERN:
            message = f"{error.instance!r} does not match the pattern"
        described = error
        while described is not None and not _described(described.schema):
            described = described.parent
        if described is not None:
            message = f"{message}; expected: {described.schema['description'].rstrip('.')}"
    return Problem(pointer, _shorten(message))


def _described(schema: Any) -> bool:
    return isinstance(schema, dict) and bool(schema.get("description"))


_ABSENT = object()


def _child(node: Any, key: int | str) -> Any:
    if isinstance(node, list) and isinstance(key, int) and 0 <= key < len(node):
        return node[key]
    if isinstance(node, dict) and isinstance(key, str) and key in node:
        return node[key]
    return _ABSENT


def _model_pointer(document: Any, location: tuple[int | str, ...], kind: str = "") -> str:
    """A pydantic error location as a JSON pointer into ``document``. Parts that are not in the
    document are union tags (``modern``) or ``[key]`` markers and are dropped, except the last part
    of a missing or forbidden key, which the pointer names."""
    parts: list[str] = []
    node = document
    last = len(location) - 1
    for index, part in enumerate(location):
        key: int | str = "from" if part == "from_" else part
        child = _child(node, key)
        if child is not _ABSENT:
            node = child
        elif index == last and kind in ("missing", "extra_forbidden"):
            node = None
        else:
            continue
        parts.append(_escape(key))
    return "".join(f"/{part}" for part in parts)


class DocumentChecker:
    """Checks documents against a schema version. For the version a model defines, pydantic
    decides (strict JSON mode, by alias) and ``jsonschema`` is run only to word the problem of an
    invalid document; for other versions ``jsonschema`` decides."""

    def __init__(self, name: str, version: str | None = None) -> None:
        self.name = name
        self.version = version or latest(name)
        info = _info(name)
        self.model: type[BaseModel] | None = info.model if info.version == self.version else None
        self._validator: Any = None

    @property
    def schema_validator(self) -> Any:
        if self._validator is None:
            self._validator = validator(self.name, self.version)
        return self._validator

    def check_json(self, raw: str | bytes) -> Problem | None:
        """Check one JSON text; ``None`` when valid. Parses it only when needed."""
        if self.model is not None:
            try:
                self.model.model_validate_json(raw, strict=True, by_alias=True, by_name=False)
                return None
            except ValidationError:
                pass
        try:
            document = json.loads(raw)
        except (ValueError, UnicodeDecodeError) as exc:
            return Problem("", f"not JSON: {_json_error(exc)}")
        return self.check(document)

    def check(self, document: Any) -> Problem | None:
        """Check one decoded document; ``None`` when valid."""
        if self.model is not None:
            try:
                self.model.model_validate(document, strict=True, by_alias=True, by_name=False)
                return None
            except ValidationError as exc:
                model_errors = exc.errors(include_url=False, include_input=False)
        else:
            model_errors = []
        from jsonschema.exceptions import best_match

        error = best_match(self.schema_validator.iter_errors(document))
        if error is not None:
            return schema_problem(error)
        if model_errors:
            # Valid for JSON Schema, not for the model: one of the cross-field checks the schema
            # describes but cannot express (page <= total, section <= sections).
            first = model_errors[0]
            pointer = _model_pointer(document, tuple(first["loc"]), first["type"])
            return Problem(pointer, _shorten(first["msg"]))
        return None


TOO_LONG: Final = "a number too long to read (more than Python's integer digit limit)"


def _json_error(exc: Exception) -> str:
    if isinstance(exc, json.JSONDecodeError):
        return f"{exc.msg} (column {exc.colno})"
    if isinstance(exc, ValueError) and not isinstance(exc, UnicodeDecodeError) and "digits" in str(exc):
        return TOO_LONG  # int() refuses a literal of more than sys.get_int_max_str_digits() digits
    return str(exc)


def kind_of(document: Any) -> str:
    """Which schema a document is meant for: ``report`` when it has the report's keys, else ``cable``."""
    if isinstance(document, dict) and ("findings" in document or "tool" in document):
        return "report"
    return "cable"


class Checkers:
    """Picks the checker for each document: by ``--schema`` when given, else by its keys and its
    ``schema_version`` (the latest when it has none)."""

    def __init__(self, fixed: tuple[str, str] | None = None) -> None:
        self.fixed = fixed
        self._checkers: dict[tuple[str, str], DocumentChecker] = {}
        self._expected: DocumentChecker | None = None

    def get(self, name: str, version: str) -> DocumentChecker:
        key = (name, version)
        if key not in self._checkers:
            self._checkers[key] = DocumentChecker(name, version)
        return self._checkers[key]

    def check_json(self, raw: str | bytes) -> Problem | None:
        if self.fixed is not None:
            return self.get(*self.fixed).check_json(raw)
        # Fast path: the kind of the previous document, at the models' version.
        expected = self._expected or self.get("cable", latest("cable"))
        if expected.model is not None:
            try:
                value = expected.model.model_validate_json(raw, strict=True, by_alias=True, by_name=False)
            except ValidationError:
                pass
            else:
                # A model may accept earlier versions of its MODEL (an ADDITION's schema_version
                # lists them); such a document is checked against its own version's file below.
                if getattr(value, "schema_version", expected.version) == expected.version:
                    return None
        try:
            document = json.loads(raw)
        except (ValueError, UnicodeDecodeError) as exc:
            return Problem("", f"not JSON: {_json_error(exc)}")
        return self.check(document)

    def check(self, document: Any) -> Problem | None:
        if self.fixed is not None:
            return self.get(*self.fixed).check(document)
        name = kind_of(document)
        version = document.get("schema_version") if isinstance(document, dict) else None
        if version is None:
            version = latest(name)
        if not isinstance(version, str) or version not in versions(name):
            known = ", ".join(versions(name))
            return Problem("/schema_version", f"{version!r} is not a published version of the {name} schema ({known})")
        checker = self.get(name, version)
        self._expected = checker
        return checker.check(document)


class SchemaChecker:
    """Checks documents against any schema document with ``jsonschema`` (``$ref`` through the
    registry): ``schema validate --schema FILE``."""

    def __init__(self, document: dict[str, Any]) -> None:
        from jsonschema import Draft202012Validator
        from jsonschema.exceptions import SchemaError as InvalidSchema

        try:
            Draft202012Validator.check_schema(document)
            self._validator = validator(document)
        except InvalidSchema as exc:
            raise SchemaError(f"not a valid JSON Schema: {exc.message}") from None
        except RecursionError:
            raise SchemaError("not a usable JSON Schema: nested too deeply to check") from None

    def check_json(self, raw: str | bytes) -> Problem | None:
        try:
            document = json.loads(raw)
        except (ValueError, UnicodeDecodeError) as exc:
            return Problem("", f"not JSON: {_json_error(exc)}")
        return self.check(document)

    def check(self, document: Any) -> Problem | None:
        from jsonschema.exceptions import best_match

        error = best_match(self._validator.iter_errors(document))
        return schema_problem(error) if error is not None else None


class RecordChecker(Protocol):
    """What checks records: :class:`Checkers` or :class:`SchemaChecker`."""

    def check_json(self, raw: str | bytes) -> Problem | None: ...

    def check(self, document: Any) -> Problem | None: ...


# -- reading JSON and JSON Lines files ----------------------------------------------------------------


class Record(NamedTuple):
    """One document of a file: its 1-based line, and its JSON text or the decoded value."""

    line: int
    raw: bytes | None
    value: Any


def iter_records(stream: IO[bytes]) -> Iterator[Record]:
    """The documents of a JSON Lines file (streamed: one line at a time), of a JSON file holding
    one document or an array of them, or of a file of pretty-printed documents one after another.

    JSON Lines is recognised by its first non-blank line being a whole JSON value."""
    number = 0
    first: bytes | None = None
    for line in stream:
        number += 1
        if line.strip():
            first = line
            break
    if first is None:
        return
    try:
        # A line holding a whole JSON object starts JSON Lines; an array holds documents.
        is_lines = not isinstance(json.loads(first), list)
    except (json.JSONDecodeError, UnicodeDecodeError):
        is_lines = False
    except ValueError:  # a number too long to read: a line by itself, reported as such
        is_lines = not first.lstrip(b"\xef\xbb\xbf \t").startswith(b"[")
    except RecursionError:
        is_lines = True  # one line nested too deeply: reported as such, line by line
    if is_lines:
        yield Record(number, _strip_bom(first) if number == 1 else first, None)
        for line in stream:
            number += 1
            if line.strip():
                yield Record(number, line, None)
        return
    rest = stream.read()
    data = b"\n" * (number - 1) + first + rest
    try:
        text = _strip_bom(data).decode("utf-8")
    except UnicodeDecodeError as exc:
        yield Record(number, None, Problem("", f"not UTF-8: {exc.reason} at byte {exc.start}"))
        return
    yield from _json_values(text, data)


def _strip_bom(data: bytes) -> bytes:
    return data[3:] if data.startswith(b"\xef\xbb\xbf") else data


_SPACE = _regex.compile(r"[ \t\r\n]*")
TOO_DEEP: Final = "not checked: JSON nested more deeply than Python's recursion limit"


class _Lines:
    """The 1-based line of each offset of a text asked about, in ascending order: the newlines
    since the last one asked about are counted, each once. (Counted from the start for each
    element, the 10,000 documents of a 123 MB array took six minutes to check.)"""

    def __init__(self, text: str) -> None:
        self._text = text
        self._offset = 0
        self._line = 1

    def of(self, offset: int) -> int:
        if offset < self._offset:  # never asked: every caller reads forwards
            return self._text.count("\n", 0, offset) + 1
        self._line += self._text.count("\n", self._offset, offset)
        self._offset = offset
        return self._line


def _json_values(text: str, data: bytes) -> Iterator[Record]:
    """The top-level values of a JSON text, one record each; a top-level array is a list of
    records (each element with the line it starts on)."""
    decoder = json.JSONDecoder()
    lines = _Lines(text)
    position = _skip_space(text, 0)
    while position < len(text):
        if text[position] == "[":
            position = yield from _array_elements(text, position, decoder, lines)
            if position < 0:
                return
        else:
            line = lines.of(position)
            try:
                value, position = decoder.raw_decode(text, position)
            except json.JSONDecodeError as exc:
                # Not JSON text: report each line that is not JSON, as JSON Lines would be.
                yield from _lines_fallback(data, exc)
                return
            except RecursionError:
                yield Record(line, None, Problem("", TOO_DEEP))
                return
            except ValueError:
                yield Record(line, None, Problem("", f"not JSON: {TOO_LONG}"))
                return
            yield Record(line, None, value)
        position = _skip_space(text, position)


def _skip_space(text: str, position: int) -> int:
    match = _SPACE.match(text, position)
    return match.end() if match else position


def _array_elements(text: str, position: int, decoder: json.JSONDecoder, lines: _Lines) -> Generator[Record, None, int]:
    """Records of the array at ``position``; returns the position after it, or -1 after an error."""
    position = _skip_space(text, position + 1)
    if position < len(text) and text[position] == "]":
        return position + 1
    while True:
        line = lines.of(position)
        try:
            value, position = decoder.raw_decode(text, position)
        except json.JSONDecodeError as exc:
            yield Record(exc.lineno, None, Problem("", f"not JSON: {exc.msg} (column {exc.colno})"))
            return -1
        except RecursionError:
            yield Record(line, None, Problem("", TOO_DEEP))
            return -1
        except ValueError:
            yield Record(line, None, Problem("", f"not JSON: {TOO_LONG}"))
            return -1
        yield Record(line, None, value)
        position = _skip_space(text, position)
        if position < len(text) and text[position] == ",":
            position = _skip_space(text, position + 1)
            continue
        if position < len(text) and text[position] == "]":
            return position + 1
        where = lines.of(position)
        yield Record(where, None, Problem("", "not JSON: expected ',' or ']' after an array element"))
        return -1


def _lines_fallback(data: bytes, exc: json.JSONDecodeError) -> Iterator[Record]:
    lines = data.split(b"\n")
    if sum(1 for line in lines if line.strip()) <= 1 or not lines[0].strip().startswith((b"{", b"[")):
        yield Record(exc.lineno, None, Problem("", f"not JSON: {exc.msg} (column {exc.colno})"))
        return
    for number, line in enumerate(lines, 1):
        if line.strip():
            yield Record(number, line, None)


def check_record(checkers: RecordChecker, record: Record) -> Problem | None:
    """The problem of one record, or None when it is valid. Never raises for any content."""
    if isinstance(record.value, Problem):
        return record.value
    try:
        if record.raw is not None:
            return checkers.check_json(record.raw)
        return checkers.check(record.value)
    except RecursionError:
        return Problem("", TOO_DEEP)


def validate_stream(stream: IO[bytes], checkers: RecordChecker | None = None) -> Iterator[tuple[int, Problem | None]]:
    """``(line, problem)`` for every document of a JSON or JSON Lines stream (problem ``None`` when
    the document is valid)."""
    checkers = checkers or Checkers()
    for record in iter_records(stream):
        yield record.line, check_record(checkers, record)


# -- upgrades between versions ------------------------------------------------------------------------

UpgradeFunction = Callable[[dict[str, Any]], dict[str, Any]]


class UpgradeError(Exception):
    """No chain of upgrade functions leads from a document's version to the one asked for."""


class Upgrades:
    """Upgrade functions, one per step from a version to the next published one.

    >>> upgrades = Upgrades()
    >>> @upgrades.register("cable", "1-0-0", "1-1-0")
    ... def _(document): return {**document, "new_key": None}

    :meth:`upgrade` applies the chain of steps from the document's ``schema_version`` to the target
    and sets ``schema_version`` after each step.
    """

    def __init__(self) -> None:
        self._steps: dict[tuple[str, str], tuple[str, UpgradeFunction]] = {}

    def register(self, name: str, source: str, target: str) -> Callable[[UpgradeFunction], UpgradeFunction]:
        if parse_version(target) <= parse_version(source):
            raise UpgradeError(f"an upgrade goes forward: {source} -> {target}")
        if (name, source) in self._steps:
            raise UpgradeError(f"{name} {source} already has an upgrade (to {self._steps[(name, source)][0]})")

        def decorate(function: UpgradeFunction) -> UpgradeFunction:
            self._steps[(name, source)] = (target, function)
            return function

        return decorate

    def steps(self, name: str) -> dict[str, str]:
        """``{from_version: to_version}`` of the registered steps of a schema."""
        return {source: target for (n, source), (target, _) in self._steps.items() if n == name}

    def path(self, name: str, source: str, target: str) -> list[str]:
        """The versions from ``source`` to ``target``, both included."""
        chain = [source]
        while chain[-1] != target:
            step = self._steps.get((name, chain[-1]))
            if step is None or parse_version(step[0]) > parse_version(target):
                raise UpgradeError(f"no upgrade path for {name} from {source} to {target} (stuck at {chain[-1]})")
            chain.append(step[0])
        return chain

    def upgrade(self, document: dict[str, Any], name: str, target: str) -> dict[str, Any]:
        source = document.get("schema_version")
        if not isinstance(source, str):
            raise UpgradeError(f"the document has no schema_version (got {source!r})")
        chain = self.path(name, source, target)
        current = dict(document)
        for version in chain[1:]:
            _, function = self._steps[(name, current["schema_version"])]
            current = dict(function(dict(current)))
            current["schema_version"] = version
        return current


#: The upgrade functions of the published versions (none yet: 1-0-0 is the first of each schema).
UPGRADES: Final = Upgrades()


def upgrade(document: dict[str, Any], name: str | None = None, target: str | None = None) -> dict[str, Any]:
    """Carry a document to ``target`` (default: the latest published version of its schema)."""
    name = name or kind_of(document)
    return UPGRADES.upgrade(document, name, target or latest(name))


# -- compatibility between two schemas ------------------------------------------------------------------


class CompatError(Exception):
    """check-compat cannot run (hypothesis-jsonschema missing or broken, a schema it cannot generate from)."""


@dataclass
class Compatibility:
    """What ``check-compat`` found: whether documents of OLD validate against NEW (backward) and
    documents of NEW against OLD (forward), with a counterexample for each direction that fails."""

    backward: bool
    forward: bool
    backward_counterexample: tuple[Any, Problem] | None = None
    forward_counterexample: tuple[Any, Problem] | None = None

    @property
    def verdict(self) -> str:
        if self.backward and self.forward:
            return "FULL"
        if self.backward:
            return "BACKWARD"
        if self.forward:
            return "FORWARD"
        return "NONE"


def _from_schema() -> Callable[..., Any]:
    try:
        from hypothesis_jsonschema import from_schema
    except ImportError:
        raise CompatError("check-compat needs hypothesis-jsonschema: pip install 'cableschema[compat]'") from None
    result: Callable[..., Any] = from_schema
    return result


def _counterexample(source: dict[str, Any], target: Any, examples: int, seed: int) -> tuple[Any, Problem] | None:
    """A document generated from ``source`` that ``target`` (a validator) rejects, or None."""
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import seed as hypothesis_seed
    from hypothesis.errors import HypothesisException
    from hypothesis.reporting import with_reporter
    from jsonschema.exceptions import best_match

    from_schema = _from_schema()
    found: list[Any] = []

    class _Rejected(Exception):
        pass

    try:
        strategy = from_schema(dereference(source))
    except SchemaError:
        raise
    except Exception as exc:
        raise CompatError(f"hypothesis-jsonschema cannot generate from the schema: {exc}") from None

    @hypothesis_seed(seed)
    @settings(
        max_examples=examples,
        database=None,
        deadline=None,
        derandomize=False,
        suppress_health_check=list(HealthCheck),
        phases=(Phase.explicit, Phase.generate),  # no shrinking: slow on big documents, and the
        # problem (pointer and message) is what the user needs, not a minimal document
    )
    @given(strategy)
    def probe(document: Any) -> None:
        if not target.is_valid(document):
            found.append(document)
            raise _Rejected

    try:
        with with_reporter(lambda _message: None):
            probe()
    except _Rejected:
        document = found[-1]
        error = best_match(target.iter_errors(document))
        return document, schema_problem(error) if error is not None else Problem("", "rejected")
    except AttributeError as exc:
        if "more" in str(exc):
            raise CompatError(
                f"hypothesis-jsonschema does not work with this Hypothesis ({exc}): "
                "pip install 'cableschema[compat]' (it bounds Hypothesis below 6.170.10)"
            ) from None
        raise
    except HypothesisException as exc:
        raise CompatError(f"cannot generate documents: {type(exc).__name__}: {exc}") from None
    return None


def load_any(reference: str) -> dict[str, Any]:
    """A schema given as ``name``, ``name/version`` or the path of a schema file."""
    path = Path(reference)
    if path.suffix == ".json" and path.is_file():
        try:
            loaded = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise SchemaError(f"{reference}: not a JSON schema file: {_json_error(exc)}") from None
        except RecursionError:
            raise SchemaError(f"{reference}: not a JSON schema file: nested too deeply to read") from None
        if not isinstance(loaded, dict):
            raise SchemaError(f"{reference}: a schema file holds a JSON object")
        return loaded
    if "/" not in reference.replace("@", "/") and reference not in SCHEMAS:
        raise SchemaError(f"{reference}: no such file, and not a schema name ({', '.join(SCHEMAS)})")
    if path.suffix == ".json" and not reference.startswith(tuple(f"{n}/" for n in SCHEMAS)):
        raise SchemaError(f"{reference}: no such file")
    return load(*resolve_reference(reference))


def check_compat(old: dict[str, Any], new: dict[str, Any], examples: int = 200, seed: int = 0) -> Compatibility:
    """Generate documents from each schema with hypothesis-jsonschema and validate them against the
    other: BACKWARD when NEW accepts OLD's documents, FORWARD when OLD accepts NEW's, FULL for both."""
    from jsonschema import Draft202012Validator

    old_validator = Draft202012Validator(old, registry=_with(old, new))
    new_validator = Draft202012Validator(new, registry=_with(old, new))
    backward = _counterexample(old, new_validator, examples, seed)
    forward = _counterexample(new, old_validator, examples, seed)
    return Compatibility(backward is None, forward is None, backward, forward)


def _with(*schemas: dict[str, Any]) -> Any:
    from referencing import Resource
    from referencing.jsonschema import DRAFT202012

    result = registry()
    for schema in schemas:
        if "$id" in schema and schema["$id"] not in result:
            resource = Resource.from_contents(schema, default_specification=DRAFT202012)
            result = result.with_resource(schema["$id"], resource)
    return result
