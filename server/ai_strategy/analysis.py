"""analyse(text, path) -> Report: the single entry point of every front end.

Text goes through the document parser, the schema rules, then (on valid TOML) the recommendation,
the strategy-fit and consistency rules; the `[lint]` table, inline suppressions and any options
a front end adds (CLI flags, editor settings) decide what is reported and how severe it is.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from .document import _SUPPRESSION as SUPPRESSION_COMMENT
from .document import MAX_BYTES, Document, LineIndex
from .findings import Finding, Position, Severity
from .project_settings import LintTable
from .recommend import Recommendation, recommend
from .rules import Context, run_checks
from .rules.schema import check_schema
from .rules.suppressions import report_unused
from .rules.syntax import report_syntax_problem, unreadable


@dataclass(frozen=True)
class LintOptions:
    """Selection added by a front end to the file's own [lint] table.

    `select` narrows (a code must match the file's select and this one); `ignore` adds;
    `severity` applies where the file's own [lint] severity says nothing about the code.
    `project` is the `[tool.ai-strategy.lint]` table of the file's pyproject.toml
    (project_settings.py): the file's own [lint] wins over it (its select replaces the project's,
    its severity overrides the project's, ignore lists add up), and it wins over `severity`.
    """

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    severity: Mapping[str, str] = field(default_factory=dict)
    project: LintTable = field(default_factory=LintTable)


@dataclass
class Report:
    """What analysing one file found: its findings, its recommendation and its document."""

    path: str
    text: str
    findings: list[Finding]
    recommendation: Recommendation | None
    document: Document | None

    @property
    def has_syntax_error(self) -> bool:
        """True when the text is not valid TOML (or not text at all)."""
        return any(f.code == "AIS001" for f in self.findings) or self.document is None

    def count(self, severity: Severity) -> int:
        """How many findings have `severity`."""
        return sum(1 for f in self.findings if f.severity is severity)


def decode(data: bytes) -> tuple[str | None, str, Position]:
    """(text, problem, where): UTF-8 with an optional BOM; problem is "" when the bytes decode.

    One BOM is dropped here; a second one stays in the text, where it is a syntax error.
    """
    if b"\x00" in data[:8192]:
        return None, "this is a binary file, not TOML text", Position(0, 0)
    try:
        return data.decode("utf-8-sig"), "", Position(0, 0)
    except UnicodeDecodeError as error:
        start = 3 if data.startswith(b"\xef\xbb\xbf") else 0
        good = data[start : error.start].decode("utf-8", "replace")
        where = LineIndex(good).end()
        return (
            None,
            f"invalid UTF-8 (byte 0x{data[error.start]:02x} at offset {error.start}); "
            "TOML files must be UTF-8",
            where,
        )


_FIRST_READ = 64 * 1024


def read_limited(handle: BinaryIO) -> bytes:
    """A file's bytes, at most one past MAX_BYTES: enough for `analyse_bytes` to refuse a file
    that is too large, and never endless (a device such as /dev/zero, or a pipe, can be).

    A first small read takes a whole strategy file: asking for 4 MiB at once costs an
    allocation of that size per file (four times the time of reading a 2 KiB file).
    """
    data = handle.read(_FIRST_READ)
    if len(data) < _FIRST_READ:
        return data
    return data + handle.read(MAX_BYTES + 1 - len(data))


def analyse_bytes(data: bytes, path: str = "ai-strategy.toml", options: LintOptions | None = None) -> Report:
    """Analyse a file's raw bytes: decoding problems and oversized files become AIS001."""
    if len(data) > MAX_BYTES:
        return _unreadable(
            path,
            f"file is over {MAX_BYTES // 1048576} MiB; ai-strategy reads files up to that size",
            Position(0, 0),
        )
    text, problem, where = decode(data)
    if text is None:
        shown = "" if where == Position(0, 0) else _shown_text(data)
        return _unreadable(path, problem, where, shown)
    return analyse(text, path, options)


def _shown_text(data: bytes) -> str:
    """Undecodable bytes as an editor shows them (U+FFFD for bad bytes): where the finding points."""
    text = data.decode("utf-8", "replace")
    return text[1:] if text.startswith("\ufeff") else text


def _unreadable(path: str, message: str, where: Position, text: str = "") -> Report:
    return Report(path, text, [unreadable(message, where)], None, None)


def analyse(
    text: str,
    path: str = "ai-strategy.toml",
    options: LintOptions | None = None,
    previous_tree: Any = None,
) -> Report:
    """Analyse the text of a strategy file and return every finding and the recommendation.

    The text is taken as it is: a U+FEFF at its start is content (an editor has already dropped
    the file's byte-order mark), so positions always count from the text the caller holds.
    `previous_tree`: an editor's tree-sitter tree of its earlier text with its edits recorded
    (see `Document.outline`); the result is the same, found sooner.
    """
    options = options or LintOptions()
    if len(text) > MAX_BYTES:
        return _unreadable(
            path,
            f"text is over {MAX_BYTES // 1048576} MiB; ai-strategy reads files up to that size",
            Position(0, 0),
        )
    document = Document(text, path, previous_tree)
    ctx = Context(document, {})
    report_syntax_problem(ctx)
    values = document.working_values()
    clean, go_on = check_schema(ctx, values, complete=document.is_valid)
    ctx.values = clean
    recommendation = None
    if document.is_valid and go_on:
        recommendation = recommend(clean)
        ctx.recommendation = recommendation
        run_checks(ctx)
    findings = _apply_lint(ctx, clean, options, check_unused=document.is_valid and go_on)
    findings.sort(key=Finding.sort_key)
    return Report(path, text, findings, recommendation, document)


# ---- [lint], suppressions and AIS301 ----------------------------------------------------------


def _matches(code: str, patterns: Iterable[str]) -> bool:
    """True when a pattern is a prefix of `code` (a set of patterns: one lookup per prefix)."""
    if not isinstance(patterns, (set, frozenset)):
        patterns = frozenset(patterns)
    return any(code[:size] in patterns for size in range(len(code) + 1))


def _apply_lint(
    ctx: Context, clean: Mapping[str, Any], options: LintOptions, check_unused: bool
) -> list[Finding]:
    lint = clean.get("lint") or {}
    file_select = tuple(lint.get("select") or ()) or options.project.select
    file_ignore = tuple(lint.get("ignore") or ())
    file_severity: Mapping[str, str] = lint.get("severity") or {}
    project_severity = options.project.severity
    raw = list(ctx.findings)
    ctx.findings = []

    inline = ctx.document.outline.suppressions() if _has_suppressions(ctx) else []
    by_line: dict[int, set[str]] = {}
    for suppression in inline:
        by_line.setdefault(suppression.line, set()).update(suppression.codes)

    used_inline: set[tuple[int, str]] = set()
    kept: list[Finding] = []
    for finding in raw:
        codes_here = by_line.get(finding.range.start.line, set())
        hit = [c for c in codes_here if finding.code.startswith(c)]
        if hit:
            used_inline.update((finding.range.start.line, c) for c in hit)
            continue
        kept.append(finding)

    if check_unused:
        report_unused(ctx, raw, inline, used_inline, file_ignore)
    kept.extend(ctx.findings)

    ignore = frozenset(file_ignore + options.project.ignore + options.ignore)
    selected, also_selected = frozenset(file_select), frozenset(options.select)
    result = []
    for finding in kept:
        code = finding.code
        if _matches(code, ignore):
            continue
        if selected and not _matches(code, selected):
            continue
        if also_selected and not _matches(code, also_selected):
            continue
        level = file_severity.get(code) or project_severity.get(code) or options.severity.get(code)
        if level and level != finding.severity.value:
            finding = Finding(
                finding.code,
                Severity(level),
                finding.message,
                finding.range,
                finding.fixes,
                finding.related,
                finding.unnecessary,
            )
        result.append(finding)
    return result


def _has_suppressions(ctx: Context) -> bool:
    # The outline (a tree-sitter parse) is built only when the text holds a suppression: the
    # pattern the outline looks for in comments, searched in the whole text (a superset), so
    # no suppression is ever missed. Testing for "ai-strategy" alone built it for every file
    # with a `#:schema .../ai-strategy.schema.json` line.
    return SUPPRESSION_COMMENT.search(ctx.document.text) is not None
