"""The `kb` command: check, build, serve.  The only place errors become exit codes."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from . import build
from .content import registry
from .errors import BuildError, ContentError, KbError, Problem
from .publish import engine


def _print(problems: list[Problem], output_format: str) -> None:
    for problem in problems:
        if output_format == "github":
            # Workflow commands are read from standard output; GitHub shows them on the changed lines.
            print(problem.format_github(), flush=True)
        else:
            print(problem.format(), file=sys.stderr, flush=True)


def _print_problems(error: ContentError, output_format: str = "text", outcome: str = "Nothing was built.") -> None:
    _print(error.problems + error.warnings, output_format)
    count = len(error.problems)
    print(f"\n{count} problem{'s' if count != 1 else ''} found. {outcome}", file=sys.stderr)


def print_warnings(warnings: list[Problem], output_format: str = "text") -> None:
    """Warnings do not stop a build; they are shown so that someone looks (a mobile number, an old statement)."""
    if warnings:
        _print(warnings, output_format)
        count = len(warnings)
        print(f"{count} warning{'s' if count != 1 else ''} (the build goes on).", file=sys.stderr, flush=True)


def cmd_check(args: argparse.Namespace) -> int:
    from . import settings

    graph = build.check_content(args.content)
    # The statement's contact is the site's setting, not the content's: checked with it, in the same round.
    print_warnings(graph.warnings + settings.load(build.DEFAULT_CONFIG).warnings(), args.format)
    total = sum(len(entries) for entries in graph.entries.values())
    print(f"OK: {total} entries checked, no problems found.")
    if args.stale:
        from . import dates
        from .content import freshness

        # The build's date (SOURCE_DATE_EPOCH, else the content's last commit), so this is the site's list.
        today = dates.BuildInfo(dates.build_timestamp(args.content), "").today
        print("\n" + "\n".join(freshness.report(graph, today)))
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    result = build.build_site(args.content, args.site, engine_name=args.engine, strict=args.strict)
    took = time.perf_counter() - started
    print_warnings(result.warnings)
    print(f"Built {result.pages} pages from {result.entries} entries into {result.site_dir} in {took:.1f} s.")
    return 0


def cmd_new(args: argparse.Namespace) -> int:
    import datetime as dt

    from . import scaffold

    answers = scaffold.Answers(
        title=args.title,
        summary=args.summary,
        authorities=args.authority,
        clusters=args.cluster,
        topics=args.topic,
        populations=args.population,
        scope=args.scope,
        context=args.context,
        status=args.status,
        kind=args.kind,
        conveners=args.convener,
        type=args.type,
        district=args.district,
        sector=args.sector,
    )
    ask = scaffold.ask_if_terminal()
    if args.from_issue:
        from . import forms

        if args.collection != "initiatives":
            raise KbError("--from-issue reads the form that proposes an initiative: use `kb new initiatives <id>`")
        answers = forms.answers_from_issue(args.from_issue.read_text(encoding="utf-8"))
        ask = None  # an issue is answered in full: nothing is asked
    today = dt.date.today()
    path = scaffold.new_entry(args.content, args.collection, args.id, answers, ask, today)
    print(f"Created {path}. It passes `kb check`; now fill in its text.")
    return 0


def cmd_forms(args: argparse.Namespace) -> int:
    from . import forms

    for path in forms.write_forms(args.content, args.project):
        print(f"Wrote {path}.")
    return 0


def cmd_schemas(args: argparse.Namespace) -> int:
    from . import schemas

    written = schemas.write_schemas(args.out)
    print(f"Wrote {len(written)} JSON Schemas to {args.out}.")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from . import serve

    serve.serve(args.content, args.site, args.host, args.port)
    return 0


def cmd_outcomes_export(args: argparse.Namespace) -> int:
    from . import outcomes_sheet

    text, count = outcomes_sheet.export_sheet(args.content)
    if str(args.output) == "-":
        sys.stdout.buffer.write(text.encode("utf-8"))
        sys.stdout.flush()
    else:
        try:
            args.output.write_text(text, encoding="utf-8", newline="")
        except OSError as error:
            raise KbError(f"cannot write {args.output}: {error.strerror or error}") from None
        print(f"Wrote {count} outcomes to {args.output}.")
    return 0


def cmd_outcomes_import(args: argparse.Namespace) -> int:
    from . import outcomes_sheet
    from .errors import display_path

    result = outcomes_sheet.import_sheet(args.file, args.content, dry_run=args.dry_run)
    _print(result.warnings, "text")
    for edited in result.edited:
        change = edited.change
        old = "(empty)" if change.old is None else change.old
        new = "(removed)" if change.new is None else change.new
        print(f"{display_path(edited.path)}:{edited.line}: {change.field}: {old} → {new}")
    values, files = len(result.edited), len(result.files)
    if not values:
        print("No changes: the forum files already hold every value of the sheet.")
        return 0
    done = "Would change" if args.dry_run else "Changed"
    print(f"{done} {values} value{'s' if values != 1 else ''} in {files} forum file{'s' if files != 1 else ''}.")
    return 0


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kb", description="Yozmot knowledge base: check content and build the site.")
    commands = parser.add_subparsers(dest="command", required=True)

    def add(name: str, func, help_text: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=help_text)
        sub.add_argument("--content", type=Path, default=build.DEFAULT_CONTENT, help="the content folder (default: content/)")
        sub.set_defaults(func=func)
        return sub

    c = add("check", cmd_check, "Check the content and list every problem.")
    c.add_argument(
        "--format",
        choices=("text", "github"),
        default="text",
        help="text (default): path:line: … lines; github: GitHub Actions annotations on the pull request",
    )
    c.add_argument(
        "--stale",
        action="store_true",
        help="also list the entries last checked 18 months or more before the build date, by authority",
    )
    b = add("build", cmd_build, "Check the content and build the site.")
    b.add_argument("--site", type=Path, default=build.DEFAULT_SITE, help="where to write the site (default: site/)")
    b.add_argument(
        "--engine",
        choices=sorted(engine.ENGINES),
        default=engine.DEFAULT_ENGINE,
        help=f"what turns the pages into HTML (default: {engine.DEFAULT_ENGINE}; zensical where it is installed)",
    )
    b.add_argument(
        "--strict",
        action="store_true",
        help="refuse to build while an entry still holds the text `kb new` wrote for its author to replace",
    )
    s = add("serve", cmd_serve, "Preview the site, rebuilding when content or templates change.")
    s.add_argument("--site", type=Path, default=build.PROJECT_ROOT / ".kb" / "preview", help="where the preview is built")
    s.add_argument("--host", default="127.0.0.1")
    s.add_argument("--port", type=int, default=8000)
    n = add("new", cmd_new, "Create a new entry from a template (asks for what is missing, in a terminal).")
    n.add_argument("collection", help=f"one of: {', '.join(registry.COLLECTIONS)}")
    n.add_argument("id", help="the new entry's id, which is also its file name (e.g. migdal-haemek)")
    for flag in ("title", "summary", "scope", "context", "status", "kind", "type", "district", "sector"):
        n.add_argument(f"--{flag}")
    for flag in ("authority", "cluster", "topic", "population", "convener"):
        n.add_argument(f"--{flag}", action="append", help="may be given more than once")
    n.add_argument("--from-issue", type=Path, help="an issue written with the 'הצעת יוזמה' form (its body, as GitHub renders it)")
    f = add("forms", cmd_forms, "Write the issue form that proposes an initiative, from the content model and the content.")
    f.add_argument("--project", type=Path, default=build.PROJECT_ROOT, help="the project whose .github/ISSUE_TEMPLATE is written")
    o = commands.add_parser("outcomes", help="Export the forums' outcomes to a spreadsheet, or apply one's changes.")
    sheets = o.add_subparsers(dest="sheet_command", required=True)
    oe = sheets.add_parser("export", help="Write every outcome to a CSV file (UTF-8 with BOM, for Excel).")
    oe.add_argument("--output", type=Path, default=Path("outcomes.csv"), help="the CSV file, or - for standard output")
    oi = sheets.add_parser("import", help="Apply a sheet's owner, due and status values to the forum files.")
    oi.add_argument("file", type=Path, help="the CSV file, as exported and edited")
    oi.add_argument("--dry-run", action="store_true", help="show what would change, and change nothing")
    oi.set_defaults(func=cmd_outcomes_import, refused="Nothing was written.")
    oe.set_defaults(func=cmd_outcomes_export, refused="Nothing was written.")
    for sheet in (oe, oi):
        sheet.add_argument("--content", type=Path, default=build.DEFAULT_CONTENT, help="the content folder (default: content/)")
    sc = commands.add_parser("schemas", help="Write the JSON Schema of every collection (for editors).")
    sc.add_argument("--out", type=Path, default=build.PROJECT_ROOT / "schemas", help="where to write them (default: schemas/)")
    sc.set_defaults(func=cmd_schemas)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = make_parser().parse_args(argv)
    try:
        return args.func(args)
    except ContentError as error:
        _print_problems(error, getattr(args, "format", "text"), getattr(args, "refused", "Nothing was built."))
        return 1
    except BuildError as error:
        print(f"The build failed: {error}\nThe last good site was left as it was.", file=sys.stderr)
        return 2
    except KbError as error:
        print(f"Error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
