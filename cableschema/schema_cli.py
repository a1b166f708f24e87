"""``cableschema schema list | export | validate | check-compat``: the versioned JSON Schemas.

- ``list``: each schema, its published versions and the latest, with their ``$id``.
- ``export [--version V] [--output-dir DIR] [--check] [--force]``: write the schemas the models
  define, and the catalog (``--check``: write nothing, exit 1 when the files differ).
- ``validate FILE... [--schema NAME[/VERSION]|SCHEMA.json]``: JSON or JSON Lines (streamed); each
  invalid document as ``path:line: pointer: message``; exit 1 when one is invalid, 0 when none.
- ``check-compat OLD NEW``: generate documents from each schema with hypothesis-jsonschema and
  validate them against the other; prints BACKWARD, FORWARD, FULL or NONE.

Usage errors exit 2. Heavy imports wait until a command runs: ``cli.build_parser`` imports this
module on every start.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from .cli import EXIT_FINDINGS, EXIT_OK, UsageError


def add_parser(sub: Any) -> None:
    schema = sub.add_parser(
        "schema",
        help="the versioned JSON Schemas: list, export, validate documents, check compatibility",
        description="The versioned JSON Schemas of cable documents and lint reports.",
    )
    actions = schema.add_subparsers(dest="schema_command", metavar="ACTION", parser_class=type(schema))
    actions.required = True

    listing = actions.add_parser("list", help="the schemas, their versions and the latest")
    listing.add_argument("--format", choices=("text", "json"), default="text")
    listing.set_defaults(handler=command_list)

    export = actions.add_parser("export", help="write the schema files from the models, and the catalog")
    export.add_argument("--version", metavar="V", help="only the schemas the models define at version V (1-0-0)")
    export.add_argument(
        "--output-dir", "-o", metavar="DIR", default="schemas", help="where to write (default: schemas)"
    )
    export.add_argument("--check", action="store_true", help="write nothing; exit 1 when the files differ")
    export.add_argument(
        "--force", action="store_true", help="overwrite a schema file that exists with other content (unreleased)"
    )
    export.set_defaults(handler=command_export)

    validate = actions.add_parser(
        "validate",
        help="validate JSON or JSON Lines documents (cable or report)",
        description="Validate JSON or JSON Lines files of cable/1-0-0 or report/1-0-0 documents. Each invalid "
        "document is printed as path:line: pointer: message. Exit 1 when any is invalid, 0 when none.",
    )
    validate.add_argument("paths", nargs="+", metavar="FILE", help="JSON or JSON Lines files ('-' for standard input)")
    validate.add_argument(
        "--schema",
        metavar="SCHEMA",
        help="cable, report, NAME/VERSION or a schema file (default: by each document's keys and schema_version)",
    )
    validate.add_argument("--quiet", "-q", action="store_true", help="no summary line on standard error")
    validate.set_defaults(handler=command_validate)

    compat = actions.add_parser(
        "check-compat",
        help="compare two schemas: BACKWARD, FORWARD, FULL or NONE",
        description="Generate documents from OLD (hypothesis-jsonschema) and validate them against NEW, and the "
        "reverse. BACKWARD: NEW accepts OLD's documents; FORWARD: OLD accepts NEW's; FULL: both; NONE: neither. "
        "Needs the compat extra: pip install 'cableschema[compat]'.",
    )
    compat.add_argument("old", metavar="OLD", help="NAME/VERSION (cable/1-0-0) or a schema file")
    compat.add_argument("new", metavar="NEW", help="NAME/VERSION or a schema file")
    compat.add_argument("--examples", type=int, default=200, metavar="N", help="documents per direction (default 200)")
    compat.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    compat.add_argument(
        "--require",
        choices=("backward", "forward", "full"),
        help="exit 1 unless the verdict is at least this",
    )
    compat.set_defaults(handler=command_check_compat)


def command_list(args: argparse.Namespace) -> int:
    import json

    from . import schema

    rows = [
        {
            "name": name,
            "versions": schema.versions(name),
            "latest": schema.latest(name),
            "id": schema.schema_id(name, schema.latest(name)),
            "model_version": info.version,
        }
        for name, info in schema.SCHEMAS.items()
    ]
    if args.format == "json":
        print(json.dumps(rows, indent=2))
        return EXIT_OK
    for row in rows:
        print(f"{row['name']:<8} {', '.join(row['versions']):<20} latest {row['latest']:<8} {row['id']}")
    return EXIT_OK


def command_export(args: argparse.Namespace) -> int:
    from . import schema

    try:
        result = schema.export(args.output_dir, version=args.version, check=args.check, force=args.force)
    except schema.SchemaError as exc:
        raise UsageError(str(exc)) from None
    except OSError as exc:
        raise UsageError(f"cannot write to {args.output_dir}: {exc.strerror or exc}") from None
    if args.check:
        for relative in result.written:
            print(f"{args.output_dir}/{relative}: differs from the models (run `cableschema schema export`)")
        return EXIT_FINDINGS if result.written else EXIT_OK
    for relative in result.written:
        print(f"cableschema: wrote {args.output_dir}/{relative}", file=sys.stderr)
    return EXIT_OK


def _schema_option(value: str | None) -> Any:
    """The checker of ``--schema``: a published schema by name (pydantic fast path) or a file."""
    from . import schema

    if value is None:
        return schema.Checkers()
    try:
        document = schema.load_any(value)
        if value.endswith(".json") and not value.startswith(tuple(f"{name}/" for name in schema.SCHEMAS)):
            return schema.SchemaChecker(document)
        return schema.Checkers(schema.resolve_reference(value))
    except schema.SchemaError as exc:
        raise UsageError(f"--schema: {exc}") from None


def command_validate(args: argparse.Namespace) -> int:
    import os

    from . import schema

    checkers = _schema_option(args.schema)
    for path in args.paths:
        if path != "-" and not os.path.isfile(path):
            raise UsageError(f"{path}: no such file" if not os.path.exists(path) else f"{path}: not a file")
    documents = invalid = 0
    out = sys.stdout
    for path in args.paths:
        try:
            stream = sys.stdin.buffer if path == "-" else open(path, "rb")  # noqa: SIM115
        except OSError as exc:
            raise UsageError(f"{path}: cannot read: {exc.strerror or exc}") from None
        try:
            empty = True
            for record in schema.iter_records(stream):
                empty = False
                documents += 1
                problem = schema.check_record(checkers, record)
                if problem is not None:
                    invalid += 1
                    out.write(f"{path}:{record.line}: {problem}\n")
            if empty:
                invalid += 1
                out.write(f"{path}:1: /: no JSON document in the file\n")
        except OSError as exc:
            raise UsageError(f"{path}: cannot read: {exc.strerror or exc}") from None
        finally:
            if stream is not sys.stdin.buffer:
                stream.close()
    if not args.quiet:
        print(f"cableschema: {documents} document(s), {invalid} invalid", file=sys.stderr)
    return EXIT_FINDINGS if invalid else EXIT_OK


def command_check_compat(args: argparse.Namespace) -> int:
    from . import schema

    if args.examples < 1:
        raise UsageError("--examples must be 1 or more")
    try:
        old = schema.load_any(args.old)
        new = schema.load_any(args.new)
        result = schema.check_compat(old, new, examples=args.examples, seed=args.seed)
    except (schema.SchemaError, schema.CompatError) as exc:
        raise UsageError(str(exc)) from None
    for direction, found in (("backward", result.backward_counterexample), ("forward", result.forward_counterexample)):
        if found is not None:
            source, target = (args.old, args.new) if direction == "backward" else (args.new, args.old)
            print(f"cableschema: not {direction}: a document of {source} fails {target}: {found[1]}", file=sys.stderr)
    print(result.verdict)
    if args.require:
        needed = {"backward": result.backward, "forward": result.forward, "full": result.verdict == "FULL"}
        return EXIT_OK if needed[args.require] else EXIT_FINDINGS
    return EXIT_OK
