"""Helpers shared by the rule, recommendation and scenario tests.

They build small strategy files, run the engine, find the text a range covers and apply fixes,
computing the expected ranges from the text itself (not from the engine's outline), so that a
range test checks the engine against an independent reading of the file.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ai_strategy.analysis import LintOptions, Report, analyse
from ai_strategy.document import Document, LineIndex
from ai_strategy.findings import Edit, Finding, Fix, Range
from ai_strategy.fixes import apply_edits

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - the project runs on 3.10 too
    import tomli as tomllib

__all__ = [
    "CALIBRATION_DIR",
    "SCENARIO_DIR",
    "Expectation",
    "apply_edits",
    "apply_fix",
    "at",
    "check_expectation",
    "codes",
    "comments",
    "doc",
    "findings",
    "header_scores",
    "header_span",
    "is_valid_toml",
    "key_span",
    "load_toml",
    "one",
    "parse_header",
    "run",
    "span",
    "toml_value",
    "value_span",
]

REPO = Path(__file__).resolve().parents[1]
# vendored; tests/test_vendored.py compares the copy with its source
CALIBRATION_DIR = Path(__file__).resolve().parent / "calibration"
SCENARIO_DIR = Path(__file__).resolve().parent / "scenarios"


# ---- building files ------------------------------------------------------------------------


def toml_value(value: Any) -> str:
    """A Python value written as TOML (inline tables for mappings)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{k} = {toml_value(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    raise TypeError(f"cannot write {value!r} as TOML")


def doc(approach: str = "rag", task: str = "qa", **tables: Mapping[str, Any]) -> str:
    """A strategy file: version 1, [strategy] approach, [task] type, then `tables` in order.

    `strategy=` and `task_=` add keys to those two tables; every other keyword is a table.
    """
    strategy = {"approach": approach, **dict(tables.pop("strategy", {}))}
    task_table = {"type": task, **dict(tables.pop("task_", {}))}
    parts = ["version = 1", ""]
    for name, body in (("strategy", strategy), ("task", task_table), *tables.items()):
        parts.append(f"[{name}]")
        parts.extend(f"{key} = {toml_value(value)}" for key, value in body.items())
        parts.append("")
    return "\n".join(parts)


# ---- running the engine ----------------------------------------------------------------------


def run(text: str, options: LintOptions | None = None) -> Report:
    """Analyse `text` and check the invariants every report must hold."""
    report = analyse(text, "ai-strategy.toml", options)
    for finding in report.findings:
        assert_inside(text, finding.range)
        for related in finding.related:
            assert_inside(text, related.range)
        for fix in finding.fixes:
            for edit in fix.edits:
                assert_inside(text, edit.range)
    return report


def assert_inside(text: str, where: Range) -> None:
    """The range is ordered and lies inside the text (columns within their lines)."""
    lines = LineIndex(text)
    assert where.start <= where.end, where
    for position in (where.start, where.end):
        assert 0 <= position.line < lines.line_count, (position, lines.line_count)
        assert 0 <= position.column <= len(lines.line_text(position.line)), position


def codes(report: Report) -> list[str]:
    """The codes of the report's findings, in order."""
    return [f.code for f in report.findings]


def findings(report: Report, code: str) -> list[Finding]:
    """The report's findings with `code`."""
    return [f for f in report.findings if f.code == code]


def one(report: Report, code: str) -> Finding:
    """The single finding with `code` (fails with the report's codes when there is not one)."""
    found = findings(report, code)
    assert len(found) == 1, f"expected one {code}, got {codes(report)}"
    return found[0]


# ---- reading the text independently of the engine -------------------------------------------


def span(text: str, where: Range) -> str:
    """The text a range covers."""
    lines = LineIndex(text)
    return text[lines.offset(where.start) : lines.offset(where.end)]


_COMMENT_TAIL = re.compile(r"\s*(#.*)?$")


def _table_lines(text: str, table: str) -> Iterable[tuple[int, str]]:
    current = ""
    for number, line in enumerate(text.splitlines()):
        header = re.match(r"\s*\[\s*([A-Za-z0-9_.-]+)\s*\]", line)
        if header and not line.lstrip().startswith("[["):
            current = header.group(1)
            continue
        if current == table:
            yield number, line


def key_span(text: str, table: str, key: str) -> tuple[int, int, int]:
    """(line, start column, end column) of `key` in `[table]` ("" for the root table)."""
    for number, line in _table_lines(text, table):
        match = re.match(rf"(\s*)({re.escape(key)})\s*=", line)
        if match:
            return number, match.start(2), match.end(2)
    raise AssertionError(f"{table}.{key} not in the text")


def value_span(text: str, table: str, key: str) -> tuple[int, int, int]:
    """(line, start column, end column) of the single-line value of `key` in `[table]`."""
    number, _, key_end = key_span(text, table, key)
    line = text.splitlines()[number]
    equals = line.index("=", key_end)
    start = equals + 1
    while line[start] == " ":
        start += 1
    rest = line[start:]
    if rest.startswith(('"', "'")):
        quote = rest[0]
        end = start + 1 + rest[1:].index(quote) + 1
    elif rest.startswith(("[", "{")):
        end = start + _balanced(rest)
    else:
        end = start + len(rest) - len(_COMMENT_TAIL.search(rest).group(0))  # type: ignore[union-attr]
    return number, start, end


def _balanced(text: str) -> int:
    depth = 0
    quote = ""
    for index, char in enumerate(text):
        if quote:
            if char == quote:
                quote = ""
        elif char in "\"'":
            quote = char
        elif char in "[{":
            depth += 1
        elif char in "]}":
            depth -= 1
            if depth == 0:
                return index + 1
    raise AssertionError(f"unbalanced value {text!r}")


def header_span(text: str, table: str) -> tuple[int, int, int]:
    """(line, start column, end column) of the `[table]` header."""
    for number, line in enumerate(text.splitlines()):
        match = re.match(rf"\s*(\[\s*{re.escape(table)}\s*\])", line)
        if match:
            return number, match.start(1), match.end(1)
    raise AssertionError(f"[{table}] not in the text")


def at(finding: Finding) -> tuple[int, int, int]:
    """A single-line finding's (line, start column, end column)."""
    assert finding.range.start.line == finding.range.end.line, finding.range
    return finding.range.start.line, finding.range.start.column, finding.range.end.column


# ---- fixes -------------------------------------------------------------------------------------


def apply_fix(text: str, fix: Fix) -> str:
    """The text with every edit of `fix` applied."""
    return apply_edits(text, fix.edits)


def is_valid_toml(text: str) -> bool:
    """True when Python's TOML 1.0 reader accepts the text."""
    try:
        tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return False
    return True


def load_toml(text: str) -> dict[str, Any]:
    """The values of a valid TOML text."""
    return tomllib.loads(text)


def comments(text: str) -> list[str]:
    """Every comment of the text (with its `#`), in order, as tree-sitter-toml finds them."""
    return [c.text.rstrip() for c in Document(text).outline.comments]


def removed_lines(text: str, fix: Fix) -> set[int]:
    """Lines of `text` that an edit of `fix` replaces entirely (for table and line removals)."""
    gone: set[int] = set()
    lines = LineIndex(text)
    for edit in fix.edits:
        start, end = edit.range.start, edit.range.end
        for line in range(start.line, end.line + 1):
            whole_start = start.line < line or start.column == 0
            whole_end = end.line > line or end.column >= len(lines.line_text(line))
            if whole_start and whole_end and (line < end.line or end.column > 0):
                gone.add(line)
    return gone


def assert_fix_resolves(
    text: str, finding: Finding, fix: Fix | None = None, *, keep_comments: bool = True
) -> str:
    """Apply `fix` (default: the finding's first) and check the result; return the new text.

    The new text is valid TOML, the finding (same code, same message) is gone, and every comment
    outside the lines the fix removes on purpose is still there.
    """
    fix = fix or finding.fix
    assert fix is not None, f"{finding.code} has no fix"
    fixed = apply_fix(text, fix)
    assert is_valid_toml(fixed), fixed
    after = run(fixed)
    assert all(not (f.code == finding.code and f.message == finding.message) for f in after.findings), (
        f"{finding.code} still reported after {fix.title!r}:\n{fixed}"
    )
    if keep_comments:
        gone = removed_lines(text, fix)
        lines = text.splitlines()
        expected = [c for c in comments(text) if not any(c in lines[n] for n in gone)]
        remaining = comments(fixed)
        for comment in expected:
            assert comment in remaining, f"comment {comment!r} lost by {fix.title!r}:\n{fixed}"
    return fixed


def replace_edit(where: Range, new_text: str) -> Edit:
    """An edit (for tests that build their own)."""
    return Edit(where, new_text)


# ---- scenario headers --------------------------------------------------------------------------


@dataclass(frozen=True)
class Expectation:
    """What a calibration or scenario file's header promises."""

    recommendation: str
    close_call: bool
    exact: bool
    codes: tuple[str, ...]


_EXPECT = re.compile(
    r"#\s*expect:\s*(?P<rec>[a-z-]+)\s+close:\s*(?P<close>true|false)\s+"
    r"findings:\s*(?P<kind>exactly|at least)\s+(?P<codes>.*)$"
)


def parse_header(text: str) -> Expectation:
    """Read `# expect: X   close: Y   findings: exactly|at least CODES|(none)` from the header."""
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        match = _EXPECT.match(line.strip())
        if match:
            listed = match.group("codes").strip()
            found = tuple(re.findall(r"AIS\d{3}", listed))
            if not found:
                assert listed == "(none)", f"cannot read findings: {listed!r}"
            return Expectation(
                match.group("rec"),
                match.group("close") == "true",
                match.group("kind") == "exactly",
                found,
            )
    raise AssertionError("no `# expect:` line in the header")


def header_scores(text: str) -> dict[str, tuple[list[int], int]]:
    """The `# K = ... = N` and `# B = ... = N` lines of a header (the knowledge and behaviour
    points of docs/model.md): {"K": (terms, total), ...}.

    A line may continue on following comment lines indented by four spaces or more; anything
    after `->`, `(` or `,` (or a colon after the total) is commentary. Each term ends with its
    points ("goal both 3").
    """
    lines: list[str] = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        if re.match(r"#\s{4,}\S", line) and lines:
            lines[-1] += " " + line[1:].strip()
        else:
            lines.append(line)
    found: dict[str, tuple[list[int], int]] = {}
    for line in lines:
        match = re.match(r"#\s*([KB])\s*=\s*(.*)$", line)
        if not match:
            continue
        body = re.split(r"->|\(", match.group(2))[0]
        *sums, total = [part.strip() for part in body.split("=")]
        terms = [int(term.split()[-1]) for term in sums[0].split(" + ")] if sums else []
        number = re.match(r"-?\d+", total)
        assert number, f"no total in {line!r}"
        found[match.group(1)] = (terms, int(number.group(0)))
    return found


def check_expectation(text: str) -> Report:
    """Analyse a calibration or scenario file and hold it to the promises of its header."""
    expected = parse_header(text)
    report = run(text)
    rec = report.recommendation
    assert rec is not None, "no recommendation: the file must be valid"
    got = codes(report)
    assert rec.approach == expected.recommendation, (rec.approach, rec.knowledge, rec.behaviour)
    assert rec.close_call is expected.close_call, (rec.knowledge, rec.behaviour)
    if expected.exact:
        assert sorted(got) == sorted(expected.codes), got
    else:
        missing = set(expected.codes) - set(got)
        assert not missing, f"missing {sorted(missing)}; got {got}"
    scores = header_scores(text)
    for side, value in (("K", rec.knowledge), ("B", rec.behaviour)):
        if side in scores:
            terms, total = scores[side]
            if terms:
                assert sum(terms) == total, f"the header's {side} terms do not add up to {total}"
                points = [
                    c.factor.knowledge if side == "K" else c.factor.behaviour for c in rec.contributions
                ]
                assert sorted(t for t in terms if t) == sorted(p for p in points if p), (
                    f"the header's {side} terms are not the engine's contributions"
                )
            assert total == value, f"header says {side} = {total}, the engine {value}"
    return report
