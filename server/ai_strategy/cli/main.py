"""`ai-strategy`: check, recommend, rule, schema, init, lsp.

Exit codes (SPEC section 5): 0 nothing at or above the fail level; 1 findings at or above it;
2 usage or I/O error, with one line on stderr. Heavy imports (rich, pydantic, pygls) happen only
in the subcommands that need them.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from .. import __version__
from .discover import FILE_NAME, DiscoveryError, Target, discover

if TYPE_CHECKING:  # the engine is imported by the commands that use it: `lsp` starts without it
    from ..analysis import Report
    from .run import FileResult

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
CACHE_MIN_FILES = 16
"""Fewer files than this are checked without the result cache (loading it costs more)."""


class UsageError(Exception):
    """A problem with what the user asked for: printed as one line, exit 2."""


class _Formatter(argparse.HelpFormatter):
    """argparse's formatter, sized without importing shutil (and bz2, lzma, zlib with it).

    argparse builds a formatter for every argument it adds, so each run of the command paid for
    that import, about 1.5 ms of a 45 ms pre-commit check. Same width rule: $COLUMNS, else the
    terminal's, else 80.
    """

    def __init__(self, prog: str, indent_increment: int = 2, max_help_position: int = 24) -> None:
        super().__init__(prog, indent_increment, max_help_position, width=_columns() - 2)


def _columns() -> int:
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    try:
        return os.get_terminal_size(sys.__stdout__.fileno()).columns or 80  # type: ignore[union-attr]
    except (AttributeError, ValueError, OSError):
        return 80


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        sys.stderr.write(f"ai-strategy: error: {message}\n")
        raise SystemExit(EXIT_ERROR)


def _codes(text: str) -> tuple[str, ...]:
    return tuple(c.strip().upper() for c in text.split(",") if c.strip())


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every subcommand."""
    parser = _Parser(
        prog="ai-strategy",
        description="Check ai-strategy.toml: schema, strategy fit (RAG, fine-tuning, hybrid, "
        "prompting) and a recommendation with its evidence.",
    )
    parser.add_argument("--version", action="version", version=f"ai-strategy {__version__}")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)

    check = sub.add_parser("check", help="check files and folders (default: the current folder)")
    check.add_argument("paths", nargs="*", help="files, folders, or - for standard input")
    check.add_argument(
        "--format", default="text", choices=["text", "json", "sarif", "github", "gitlab", "junit"]
    )
    check.add_argument("--fail-on", default="error", choices=["error", "warning", "info"])
    check.add_argument("--exit-zero", action="store_true", help="exit 0 even when findings fail")
    check.add_argument(
        "--select", type=_codes, default=(), help="only these codes or prefixes (comma-separated)"
    )
    check.add_argument("--ignore", type=_codes, default=(), help="never these codes or prefixes")
    check.add_argument("--quiet", "-q", action="store_true", help="print findings only, no summary")
    check.add_argument("--statistics", action="store_true", help="count findings per code")
    check.add_argument("--output-file", "-o", help="write the report to this file")
    check.add_argument("--stdin-filename", help="the name to show for text read from -")
    check.add_argument("--fix", action="store_true", help="apply safe fixes")
    check.add_argument("--unsafe-fixes", action="store_true", help="also apply unsafe fixes")
    check.add_argument("--diff", action="store_true", help="show the fixes as a diff; write nothing")
    check.add_argument(
        "--no-cache", action="store_true", help="neither read nor write the result cache (.ai-strategy-cache)"
    )
    check.add_argument("--docs-base-url", default="", help=argparse.SUPPRESS)

    rec = sub.add_parser("recommend", help="the recommendation with every factor's contribution")
    rec.add_argument("file", nargs="?", default=FILE_NAME)
    rec.add_argument("--format", default="text", choices=["text", "json", "markdown", "html"])
    rec.add_argument("--output-file", "-o")

    rule = sub.add_parser("rule", help="documentation of a rule (or --all)")
    rule.add_argument("code", nargs="?")
    rule.add_argument("--all", action="store_true")
    rule.add_argument("--format", default="text", choices=["text", "markdown", "json"])

    sub.add_parser("schema", help="print the JSON Schema of the file format")

    init = sub.add_parser("init", help="write a commented starter ai-strategy.toml")
    init.add_argument("path", nargs="?", default=FILE_NAME)

    lsp = sub.add_parser("lsp", help="start the language server (stdio by default)")
    lsp.add_argument("--stdio", action="store_true", help="use standard input/output (default)")
    lsp.add_argument("--tcp", type=int, metavar="PORT")
    lsp.add_argument("--ws", type=int, metavar="PORT")
    lsp.add_argument("--host", default="127.0.0.1")
    return parser


def main(argv: Sequence[str] | None = None, *, process: bool = False) -> int:
    """Run the command line; returns (and exits with) the exit code.

    `process`: this is the whole process (the console script), so process-wide settings apply:
    a `check` run collects garbage less often and ends without tearing the interpreter down.
    """
    args = build_parser().parse_args(argv)
    try:
        if args.command == "check":
            if process:
                _short_run_gc()
            code = cmd_check(args)
        elif args.command == "recommend":
            code = cmd_recommend(args)
        elif args.command == "rule":
            code = cmd_rule(args)
        elif args.command == "schema":
            from ..schema_gen import schema_text

            sys.stdout.write(schema_text())
            code = EXIT_OK
        elif args.command == "init":
            code = cmd_init(args)
        elif args.command == "lsp":
            from ..lsp.server import start  # type: ignore[import-not-found,unused-ignore]

            code = start(tcp=args.tcp, ws=args.ws, host=args.host)
        else:
            build_parser().print_help(sys.stderr)
            code = EXIT_ERROR
    except (UsageError, DiscoveryError) as error:
        sys.stderr.write(f"ai-strategy: {error}\n")
        code = EXIT_ERROR
    except BrokenPipeError:
        code = EXIT_OK
    except KeyboardInterrupt:
        code = 130
    if process and args.command == "check":
        _leave_now(code)
    return code


def entry() -> None:
    """Console-script entry point."""
    raise SystemExit(main(process=True))


def _leave_now(code: int) -> NoReturn:
    """End a `check` process without tearing the interpreter down.

    Everything is written by now (report, output file, result cache); what is left is freeing
    every report and module one by one, about 8% of a run over 1,000 files. Standard output and
    error are flushed first; a reader that has gone away is not an error, as in `main`.
    """
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(BrokenPipeError, ValueError):
            stream.flush()
    os._exit(code)


def _short_run_gc() -> None:
    """`check` is a short run that makes no reference cycles worth collecting early.

    What the imports made lives until exit: freeze it so collections do not scan it again, and
    collect less often (about 4% of `check` on 1,000 files).
    """
    import gc

    gc.freeze()
    gc.set_threshold(50_000, 20, 20)


# ---- check ----------------------------------------------------------------------------------


def _use_color(stream_is_file: bool) -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return not stream_is_file and sys.stdout.isatty()


def read_target(target: Target) -> bytes:
    """The bytes of a file to check; UsageError with a one-line reason when it cannot be read."""
    from ..analysis import read_limited

    try:
        with open(target.path, "rb") as handle:
            return read_limited(handle)
    except FileNotFoundError as error:
        raise UsageError(f"{target.display}: file disappeared before it could be read") from error
    except IsADirectoryError as error:
        raise UsageError(f"{target.display}: is a directory") from error
    except PermissionError as error:
        raise UsageError(f"{target.display}: permission denied") from error
    except OSError as error:
        raise UsageError(f"{target.display}: cannot read ({error.strerror})") from error


def cmd_check(args: argparse.Namespace) -> int:
    """`ai-strategy check`."""
    from ..analysis import LintOptions, analyse_bytes, read_limited
    from ..findings import Severity
    from .run import CheckRun, FileResult

    options = LintOptions(select=args.select, ignore=args.ignore)
    if args.unsafe_fixes and not (args.fix or args.diff):
        args.fix = True
    stdin_mode = args.paths == ["-"]
    if "-" in args.paths and not stdin_mode:
        raise UsageError("- (standard input) cannot be combined with other paths")
    results: list[FileResult] = []
    notes: list[str] = []
    stdin_data: bytes | None = None
    if stdin_mode:
        display = args.stdin_filename or "-"
        data = stdin_data = read_limited(sys.stdin.buffer)
        results.append(FileResult(display, analyse_bytes(data, display, options)))
    else:
        targets, notes = discover(list(args.paths))
        if args.fix or args.diff:
            results = [
                FileResult(t.display, analyse_bytes(read_target(t), t.display, options)) for t in targets
            ]
        else:
            from .parallel import check_targets

            cache = None
            if not args.no_cache and len(targets) >= CACHE_MIN_FILES:
                from .cache import open_cache

                cache = open_cache(options)
            results = check_targets(targets, options, read_target, cache)
    for note in notes:
        sys.stderr.write(f"ai-strategy: {note}\n")

    if args.fix or args.diff:
        from .fixing import apply_fixes

        outcome = apply_fixes(
            results,
            options,
            unsafe=args.unsafe_fixes,
            diff=args.diff,
            stdin=stdin_mode,
            stdin_data=stdin_data,
        )
        if outcome.exit_code is not None:
            return outcome.exit_code
        if stdin_mode or args.diff:
            # stdout holds the fixed text or the diff; the report goes to stderr
            _report_to_stderr(results, args)
            return _finish(results, fail_on=args.fail_on, exit_zero=args.exit_zero)
        fixed_counts = outcome.fixed
    else:
        fixed_counts = {}

    run = CheckRun(
        files=results,
        fail_on=Severity(args.fail_on),
        color=_use_color(bool(args.output_file)) and args.format == "text",
        statistics=args.statistics,
        quiet=args.quiet,
        docs_base_url=args.docs_base_url,
        notes=notes,
    )
    run.fixed = fixed_counts
    from .formats import renderer

    _emit(renderer(args.format)(run), args.output_file)
    return _finish(results, fail_on=args.fail_on, exit_zero=args.exit_zero)


def _report_to_stderr(results: list[FileResult], args: argparse.Namespace) -> None:
    from .formats.text import render
    from .run import CheckRun

    if not args.quiet:
        sys.stderr.write(render(CheckRun(results, quiet=False)))


def _finish(results: list[FileResult], fail_on: str, exit_zero: bool) -> int:
    from ..findings import Severity

    level = Severity(fail_on).rank
    failed = any(f.severity.rank >= level for r in results for f in r.report.findings)
    return EXIT_FINDINGS if failed and not exit_zero else EXIT_OK


def _emit(output: str, output_file: str | None) -> None:
    if output_file:
        try:
            Path(output_file).write_text(output, encoding="utf-8")
        except OSError as error:
            raise UsageError(f"{output_file}: cannot write ({error.strerror})") from error
    else:
        sys.stdout.write(output)
        sys.stdout.flush()


# ---- recommend ---------------------------------------------------------------------------------


def _load_single(path_text: str) -> tuple[str, Report]:
    from ..analysis import analyse_bytes, read_limited

    if path_text == "-":
        return "-", analyse_bytes(read_limited(sys.stdin.buffer), "-")
    path = Path(path_text)
    if path.is_dir():
        path = path / FILE_NAME
    if not path.exists():
        raise UsageError(f"{path_text}: no such file")
    target = Target(path, str(path))
    return str(path), analyse_bytes(read_target(target), str(path))


def cmd_recommend(args: argparse.Namespace) -> int:
    """`ai-strategy recommend`: exit 1 (with the errors) when the file has syntax or schema errors."""
    from ..analysis import Report
    from ..findings import Severity
    from .run import CheckRun, FileResult

    display, report = _load_single(args.file)
    blocking = [f for f in report.findings if f.code < "AIS100" and f.severity is Severity.ERROR]
    if report.recommendation is None or blocking:
        from .formats.text import render as render_text

        run = CheckRun([FileResult(display, report)], color=_use_color(False))
        only = CheckRun(
            [
                FileResult(
                    display, Report(display, report.text, blocking or report.findings, None, report.document)
                )
            ],
            color=run.color,
            quiet=True,
        )
        sys.stderr.write(render_text(only))
        sys.stderr.write(f"ai-strategy: {display}: fix the errors above to get a recommendation\n")
        return EXIT_FINDINGS
    from .recommend_view import render_recommendation

    declared = None
    if report.document is not None and report.document.values:
        strategy = report.document.values.get("strategy")
        declared = strategy.get("approach") if isinstance(strategy, dict) else None
    output = render_recommendation(report.recommendation, args.format, display, declared, report)
    _emit(output, args.output_file)
    return EXIT_OK


# ---- rule, init ---------------------------------------------------------------------------------


def cmd_rule(args: argparse.Namespace) -> int:
    """`ai-strategy rule CODE` / `rule --all`."""
    from ..explain import rule_markdown, rule_plain
    from ..knowledge.rules import RULES, RULES_BY_CODE

    if args.all:
        codes = [r.code for r in RULES]
    elif args.code:
        code = args.code.upper()
        if code not in RULES_BY_CODE:
            raise UsageError(f"unknown rule code {args.code!r} (see `ai-strategy rule --all`)")
        codes = [code]
    else:
        raise UsageError("give a rule code (e.g. AIS105) or --all")
    if args.format == "json":
        import json
        from dataclasses import asdict

        payload = [asdict(RULES_BY_CODE[c]) for c in codes]
        sys.stdout.write(json.dumps(payload if args.all else payload[0], indent=2) + "\n")
    else:
        render = rule_markdown if args.format == "markdown" else rule_plain
        separator = "\n" + ("-" * 72) + "\n\n" if args.format == "text" else "\n"
        sys.stdout.write(separator.join(render(c) for c in codes))
    return EXIT_OK


def cmd_init(args: argparse.Namespace) -> int:
    """`ai-strategy init`: write the starter file; refuse to overwrite (exit 2)."""
    from ..template import starter_text

    path = Path(args.path)
    if path.is_dir():
        path = path / FILE_NAME
    try:
        with open(path, "x", encoding="utf-8") as handle:
            handle.write(starter_text())
    except FileExistsError as error:
        raise UsageError(f"{path}: already exists; not overwriting it") from error
    except OSError as error:
        raise UsageError(f"{path}: cannot write ({error.strerror})") from error
    sys.stderr.write(f"ai-strategy: wrote {path}; fill it in, then run `ai-strategy check {path}`\n")
    return EXIT_OK
