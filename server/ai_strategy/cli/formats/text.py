"""`--format text`: ruff-style lines `path:line:col: CODE [severity] message`, the source line with
a caret under the range, and a summary (or, with `--statistics`, the count per code alone). ANSI
colour on a terminal unless NO_COLOR is set.

Paths, messages and source lines come from the checked files: each goes through
`escaping.printable`, and each line through `escaping.log_line`, so a file cannot write terminal
escapes or a line a CI runner would execute; the caret stays under the escaped text."""

from __future__ import annotations

from collections import Counter

from ...escaping import log_line, printable
from ...findings import Finding
from ...rules import RULES_BY_CODE
from ..check_run import CheckRun, FileResult

MAX_SHOWN = 200
"""Longest part of a source line shown under a finding (longer lines get a window with `…`)."""
SHOWN_BEFORE = 60
"""How much of a long line is shown before the finding's start."""

_COLORS = {"error": "31", "warning": "33", "info": "36", "bold": "1", "dim": "2", "blue": "34"}


def _paint(text: str, color: str, enabled: bool) -> str:
    return f"\x1b[{_COLORS[color]}m{text}\x1b[0m" if enabled else text


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _shown(source: str) -> str:
    """Part of a source line as shown: a tab as one space (as the caret counts), controls escaped."""
    return printable(source.expandtabs(1))


def render_finding(result: FileResult, finding: Finding, color: bool) -> list[str]:
    """The heading line and, when the file has text, the source line with a caret."""
    start = finding.range.start
    severity = finding.severity.value
    head = (
        f"{_paint(printable(result.display), 'bold', color)}:{start.line + 1}:{start.column + 1}: "
        f"{_paint(finding.code, severity, color)} [{_paint(severity, severity, color)}] "
        f"{printable(finding.message)}"
    )
    lines = [log_line(head)]
    index = result.source_lines()
    if index is not None and start.line < index.line_count:
        length = index.line_length(start.line)
        end_column = finding.range.end.column if finding.range.end.line == start.line else length
        # a long line is shown as a window around the range, so the output stays bounded
        low = 0 if length <= MAX_SHOWN else max(0, min(start.column - SHOWN_BEFORE, length - MAX_SHOWN))
        high = min(length, low + MAX_SHOWN)
        offset = index.line_starts[start.line]
        before = _shown(index.text[offset + low : offset + start.column])
        marked = _shown(index.text[offset + start.column : offset + max(start.column, min(end_column, high))])
        after = _shown(index.text[offset + max(start.column, min(end_column, high)) : offset + high])
        source = ("…" if low else "") + before + marked + after + ("…" if high < length else "")
        width = max(1, len(marked))
        number = str(start.line + 1)
        gutter = " " * len(number)
        lines.append(f"{_paint(gutter + ' |', 'blue', color)}")
        lines.append(f"{_paint(number + ' |', 'blue', color)} {source}")
        lines.append(
            f"{_paint(gutter + ' |', 'blue', color)} {' ' * (len(before) + (1 if low else 0))}"
            f"{_paint('^' * width, severity, color)}"
        )
        fix = finding.fix
        if fix is not None:
            marker = "fix available" if fix.safe else "unsafe fix available"
            title = printable(fix.title)
            lines.append(f"{_paint(gutter + ' =', 'blue', color)} help: {title} ({marker})")
        lines.append("")
    return lines


def statistics(run: CheckRun) -> str:
    """`--statistics`: the count table alone, as ruff prints it (most frequent code first)."""
    by_code: Counter[str] = Counter(f.code for _, f in run.findings())
    lines = []
    for code, count in sorted(by_code.items(), key=lambda kv: (-kv[1], kv[0])):
        doc = RULES_BY_CODE[code]
        lines.append(f"{count:>5}  {code}  [{doc.severity}] {doc.name}\n")
    return "".join(lines)


def render(run: CheckRun) -> str:
    """Every finding, then a summary line (unless quiet); with `--statistics` the count table only."""
    if run.statistics:
        return statistics(run)
    out: list[str] = []
    for result, finding in run.findings():
        out.extend(render_finding(result, finding, run.color))
    if not run.quiet:
        counts = run.counts()
        total = sum(counts.values())
        files = _plural(len(run.files), "file")
        if total == 0:
            out.append(_paint(f"All checks passed ({files} checked).", "bold", run.color))
        else:
            parts = [_plural(counts[name], name) for name in ("error", "warning", "info") if counts[name]]
            safe = sum(1 for _, f in run.findings() if f.fix is not None and f.fix.safe)
            line = f"Found {_plural(total, 'finding')} ({', '.join(parts)}) in {files}."
            if safe:
                line += f" {safe} fixable with --fix."
            out.append(_paint(line, "bold", run.color))
        for display, count in run.fixed.items():
            out.append(f"Fixed {_plural(count, 'finding')} in {printable(display)}.")
    return "\n".join(out) + ("\n" if out else "")
