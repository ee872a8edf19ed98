"""`ai-strategy`: check, recommend, rule, schema, init, lsp.

Exit codes (README.md, "Command line"): 0 nothing at or above the fail level; 1 findings at or above it;
2 usage or I/O error, with one line on stderr. Heavy imports (rich, pydantic, pygls) happen only
in the subcommands that need them.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import __version__
from ..file_names import STRATEGY_FILE, is_strategy_file_name
from .process import HelpFormatter, collect_less, imports_uncollected, leave_now, note

if TYPE_CHECKING:  # the engine is imported by the commands that use it: `lsp` starts without it
    from ..analysis import Report
    from ..discovery import Target
    from ..project_settings import ProjectSettings
    from .check_run import FileResult
    from .parallel import Job

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
CACHE_MIN_FILES = 16
"""Fewer files than this are checked without the result cache (loading it costs more)."""


class UsageError(Exception):
    """A problem with what the user asked for: printed as one line, exit 2."""


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", HelpFormatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        note(f"error: {message}")
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
    check.add_argument(
        "--fail-on",
        choices=["error", "warning", "info"],
        help="lowest severity that fails (default: the project's fail-on in pyproject.toml, else error)",
    )
    check.add_argument("--exit-zero", action="store_true", help="exit 0 even when findings fail")
    check.add_argument(
        "--select", type=_codes, default=(), help="only these codes or prefixes (comma-separated)"
    )
    check.add_argument("--ignore", type=_codes, default=(), help="never these codes or prefixes")
    check.add_argument("--quiet", "-q", action="store_true", help="print findings only, no summary")
    check.add_argument("--statistics", action="store_true", help="print only the count of findings per code")
    check.add_argument("--output-file", "-o", help="write the report to this file")
    check.add_argument("--stdin-filename", help="the name to show for text read from -")
    check.add_argument("--fix", action="store_true", help="apply safe fixes")
    check.add_argument("--unsafe-fixes", action="store_true", help="also apply unsafe fixes")
    check.add_argument("--diff", action="store_true", help="show the fixes as a diff; write nothing")
    check.add_argument(
        "--no-cache", action="store_true", help="neither read nor write the result cache (.ai-strategy-cache)"
    )
    check.add_argument(
        "--verbose", "-v", action="store_true", help="say on stderr how the files were checked"
    )
    check.add_argument("--docs-base-url", default="", help=argparse.SUPPRESS)

    rec = sub.add_parser("recommend", help="the recommendation with every factor's contribution")
    rec.add_argument("file", nargs="?", default=STRATEGY_FILE)
    rec.add_argument("--format", default="text", choices=["text", "json", "markdown", "html"])
    rec.add_argument("--output-file", "-o")

    rule = sub.add_parser("rule", help="documentation of a rule (or --all)")
    rule.add_argument("code", nargs="?")
    rule.add_argument("--all", action="store_true")
    rule.add_argument("--format", default="text", choices=["text", "markdown", "json"])

    sub.add_parser("schema", help="print the JSON Schema of the file format")

    init = sub.add_parser("init", help="write a commented starter ai-strategy.toml")
    init.add_argument("path", nargs="?", default=STRATEGY_FILE)

    lsp = sub.add_parser("lsp", help="start the language server (stdio by default)")
    lsp.add_argument("--stdio", action="store_true", help="use standard input/output (default)")
    lsp.add_argument("--tcp", type=int, metavar="PORT")
    lsp.add_argument("--ws", type=int, metavar="PORT")
    lsp.add_argument("--host", default="127.0.0.1")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    args = build_parser().parse_args(argv)
    try:
        if args.command == "check":
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
            from ..lsp.compile_cache import cached_compiles

            # The code attrs and cattrs generate as pygls imports comes from the cache.
            with imports_uncollected(), cached_compiles():
                from ..lsp.server import start  # type: ignore[import-not-found,unused-ignore]

            code = start(tcp=args.tcp, ws=args.ws, host=args.host)
        else:
            build_parser().print_help(sys.stderr)
            code = EXIT_ERROR
    except UsageError as error:
        note(str(error))
        code = EXIT_ERROR
    except BrokenPipeError:
        code = EXIT_OK
    except KeyboardInterrupt:
        code = 130
    return code


def entry() -> None:
    """Console-script entry point (and `python -m ai_strategy`): where the process starts, so the
    process-wide tricks of cli/process.py apply here, to `check` (a short run) only."""
    checking = sys.argv[1:2] == ["check"]
    if checking:
        collect_less()
    code = main()
    if checking:
        leave_now(code)
    raise SystemExit(code)


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


def _discover(paths: list[str]) -> tuple[list[Target], list[str]]:
    from ..discovery import DiscoveryError, discover
    from ..project_settings import SettingsError

    try:
        return discover(paths)
    except (DiscoveryError, SettingsError) as error:
        raise UsageError(str(error)) from error


def _check_selectors(args: argparse.Namespace) -> None:
    """--select and --ignore name rule codes or prefixes: anything else selects nothing."""
    from ..rules import is_selector

    for flag, codes in (("--select", args.select), ("--ignore", args.ignore)):
        for code in codes:
            if not is_selector(code):
                raise UsageError(
                    f"{flag}: {code!r} is not a rule code or prefix (like AIS105 or AIS1; "
                    "see `ai-strategy rule --all`)"
                )


def cmd_check(args: argparse.Namespace) -> int:
    """`ai-strategy check`."""
    from ..analysis import read_limited
    from ..discovery import Target
    from .check_run import CheckRun, RunStats

    _check_selectors(args)
    if args.statistics and args.format != "text":
        raise UsageError(f"--statistics prints a count table: it does not go with --format {args.format}")
    if args.unsafe_fixes and not (args.fix or args.diff):
        args.fix = True
    stdin_mode = args.paths == ["-"]
    if "-" in args.paths and not stdin_mode:
        raise UsageError("- (standard input) cannot be combined with other paths")
    stats = RunStats()
    notes: list[str] = []
    stdin_data: bytes | None = None
    if stdin_mode:
        display = args.stdin_filename or "-"
        target = Target(Path(display), display, _settings_for(Path(args.stdin_filename or ".")))
        stdin_data = read_limited(sys.stdin.buffer)
        results = [_job([target], args, read_target).analyse(0, stdin_data)]
        stats.files = stats.analysed = 1
    else:
        targets, notes = _discover(list(args.paths))
        job = _job(targets, args, read_target)
        job.recommendations = args.format == "json"
        if args.fix or args.diff:
            results = [job.analyse(index) for index in range(len(targets))]
            stats.files = stats.analysed = len(targets)
        else:
            from .parallel import check_targets

            if not args.no_cache and len(targets) >= CACHE_MIN_FILES:
                from .cache import open_cache

                job.cache = open_cache()
            results = check_targets(job, stats)
    for message in notes:
        note(message)
    if args.verbose:
        note(stats.line())

    fixed_counts: dict[str, int] = {}
    if args.fix or args.diff:
        from .fixing import apply_fixes

        outcome = apply_fixes(
            results, unsafe=args.unsafe_fixes, diff=args.diff, stdin=stdin_mode, stdin_data=stdin_data
        )
        if outcome.exit_code is not None:
            return outcome.exit_code
        if stdin_mode or args.diff:
            # stdout holds the fixed text or the diff; the report goes to stderr
            if not args.quiet:
                from .formats.text import render

                sys.stderr.write(render(CheckRun(results)))
            return _finish(results, args.exit_zero)
        fixed_counts = outcome.fixed

    run = CheckRun(
        files=results,
        color=_use_color(bool(args.output_file)) and args.format == "text",
        statistics=args.statistics,
        quiet=args.quiet,
        docs_base_url=args.docs_base_url,
        notes=notes,
        fixed=fixed_counts,
    )
    from .formats import renderer

    _emit(renderer(args.format)(run), args.output_file)
    return _finish(results, args.exit_zero)


def _settings_for(path: Path) -> ProjectSettings:
    from ..project_settings import SettingsError, settings_for

    try:
        return settings_for(path)
    except SettingsError as error:
        raise UsageError(str(error)) from error


def _job(targets: list[Target], args: argparse.Namespace, read: Callable[[Target], bytes]) -> Job:
    """The files of a run with each one's options and fail level: the command line's flags over
    its project's settings (pyproject.toml), which the file's own [lint] table overrides."""
    from ..analysis import LintOptions
    from ..findings import Severity
    from .parallel import Job

    by_settings: dict[int, tuple[LintOptions, Severity]] = {}
    options, fail_on = [], []
    for target in targets:
        known = by_settings.get(id(target.settings))
        if known is None:
            settings = target.settings
            known = (
                settings.lint_options(select=args.select, ignore=args.ignore),
                Severity(args.fail_on or settings.fail_on or "error"),
            )
            by_settings[id(settings)] = known
        options.append(known[0])
        fail_on.append(known[1])
    return Job(targets, options, fail_on, read)


def _finish(results: list[FileResult], exit_zero: bool) -> int:
    failed = any(result.failed() for result in results)
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


def _recommend_targets(path_text: str) -> list[Target]:
    """The files `recommend PATH` is about: the file, or each strategy file found in a folder."""
    from ..discovery import Target

    path = Path(path_text)
    if path.is_dir():
        targets, _ = _discover([path_text])
        if not targets:
            raise UsageError(f"{path_text}: no {STRATEGY_FILE} (or NAME.{STRATEGY_FILE}) found in it")
        return targets
    if not path.exists():
        raise UsageError(f"{path_text}: no such file")
    return [Target(path, str(path), _settings_for(path))]


def cmd_recommend(args: argparse.Namespace) -> int:
    """`ai-strategy recommend`: the recommendation of a file, or of each file found in a folder
    (text format; the others take one file). Exit 1 (with the errors) when a file has syntax or
    schema errors."""
    from ..analysis import analyse_bytes, read_limited

    if args.file == "-":
        reports = [analyse_bytes(read_limited(sys.stdin.buffer), "-")]
    else:
        targets = _recommend_targets(args.file)
        if len(targets) > 1 and args.format != "text":
            names = ", ".join(t.display for t in targets[:5]) + (", ..." if len(targets) > 5 else "")
            raise UsageError(
                f"{args.file} holds {len(targets)} strategy files ({names}): name one for "
                f"--format {args.format}, or use `ai-strategy check --format json`, which gives each "
                "file's recommendation"
            )
        reports = [analyse_bytes(read_target(t), t.display) for t in targets]
    outputs = []
    code = EXIT_OK
    for report in reports:
        shown = _recommendation_of(report, args.format)
        if shown is None:
            code = EXIT_FINDINGS
        else:
            outputs.append(shown)
    if outputs:
        _emit("\n".join(outputs), args.output_file)
    return code


def _recommendation_of(report: Report, output_format: str) -> str | None:
    """The rendered recommendation; None, with the blocking errors on stderr, when there is none."""
    from ..analysis import Report
    from ..findings import Severity
    from .check_run import CheckRun, FileResult

    display = report.path
    blocking = [f for f in report.findings if f.code < "AIS100" and f.severity is Severity.ERROR]
    if report.recommendation is None or blocking:
        from .formats.text import render as render_text

        shown = Report(display, report.text, blocking or report.findings, None, report.document)
        errors = CheckRun([FileResult(display, shown)], color=_use_color(False), quiet=True)
        sys.stderr.write(render_text(errors))
        note(f"{display}: fix the errors above to get a recommendation")
        return None
    from .recommend_view import render_recommendation

    declared = None
    if report.document is not None and report.document.values:
        strategy = report.document.values.get("strategy")
        declared = strategy.get("approach") if isinstance(strategy, dict) else None
    return render_recommendation(report.recommendation, output_format, display, declared, report)


# ---- rule, init ---------------------------------------------------------------------------------


def cmd_rule(args: argparse.Namespace) -> int:
    """`ai-strategy rule CODE` / `rule --all`."""
    from ..rule_docs import rule_markdown, rule_plain
    from ..rules import RULES, RULES_BY_CODE

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

        payload = [RULES_BY_CODE[c].as_json() for c in codes]
        sys.stdout.write(json.dumps(payload if args.all else payload[0], indent=2) + "\n")
    else:
        render = rule_markdown if args.format == "markdown" else rule_plain
        separator = "\n" + ("-" * 72) + "\n\n" if args.format == "text" else "\n"
        sys.stdout.write(separator.join(render(c) for c in codes))
    return EXIT_OK


def cmd_init(args: argparse.Namespace) -> int:
    """`ai-strategy init [PATH]`: write the starter file (PATH: a folder, created when missing, or
    a strategy file name); refuse to overwrite (exit 2)."""
    from ..template import starter_text

    path = Path(args.path)
    if not path.is_dir() and not is_strategy_file_name(path.name):
        if path.suffix == ".toml":
            raise UsageError(
                f"{path}: a strategy file is named {STRATEGY_FILE} or NAME.{STRATEGY_FILE} "
                "(check finds no other name)"
            )
        path = path / STRATEGY_FILE  # a folder to create
    elif path.is_dir():
        path = path / STRATEGY_FILE
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise UsageError(f"{path.parent}: cannot create this folder ({error.strerror})") from error
    try:
        with open(path, "x", encoding="utf-8") as handle:
            handle.write(starter_text())
    except FileExistsError as error:
        raise UsageError(f"{path}: already exists; not overwriting it") from error
    except OSError as error:
        raise UsageError(f"{path}: cannot write ({error.strerror})") from error
    note(f"wrote {path}; fill it in, then run `ai-strategy check {path}`")
    return EXIT_OK
