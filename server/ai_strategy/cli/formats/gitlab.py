"""`--format gitlab`: a GitLab code quality report (a JSON list of issues).

Each issue has `description`, `check_name`, `fingerprint`, `severity` and `location.path` with
`location.lines.begin` and `end` (1-based; Code Climate allows lines or positions, not both).
The fingerprint is a hash of the file, the code, the text of the finding's line and its occurrence
among identical ones, not of the line number: an issue keeps its identity when lines above it
move, so merge requests show it as unchanged rather than fixed and new.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from typing import Any

from ...escaping import json_text
from ...findings import Finding
from ...rule_docs import rule_url
from ...rules import RULES_BY_CODE
from ..check_run import CheckRun

UNUSABLE = frozenset({"AIS001", "AIS007"})
"""Errors that stop the file from being checked at all: reported as `blocker`."""


def severity(finding: Finding) -> str:
    """GitLab's severity: blocker (the file cannot be checked: syntax error, unknown version),
    critical (other schema errors: the file is invalid), major (other errors), minor (warnings),
    info (infos)."""
    if finding.severity.value == "error":
        if finding.code in UNUSABLE:
            return "blocker"
        return "critical" if finding.code < "AIS100" else "major"
    return "minor" if finding.severity.value == "warning" else "info"


def _line_text(lines: list[str], line: int) -> str:
    return lines[line].strip() if 0 <= line < len(lines) else ""


def fingerprint(path: str, code: str, line_text: str, occurrence: int) -> str:
    """A stable identity for an issue: independent of its line number."""
    key = "\0".join((path, code, line_text, str(occurrence)))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def issues(run: CheckRun) -> list[dict[str, Any]]:
    """The report as a JSON-ready list."""
    out: list[dict[str, Any]] = []
    seen: Counter[tuple[str, str, str]] = Counter()
    lines_of: dict[int, list[str]] = {}
    for result, finding in run.findings():
        start, end = finding.range.start, finding.range.end
        lines = lines_of.setdefault(id(result), result.report.text.splitlines())
        text = _line_text(lines, start.line)
        # a range that ends at the start of a line does not cover that line
        last_line = end.line - 1 if end.column == 0 and end.line > start.line else end.line
        identity = (result.display, finding.code, text)
        seen[identity] += 1
        rule = RULES_BY_CODE[finding.code]
        out.append(
            {
                "type": "issue",
                "description": f"{finding.code} {finding.message}",
                "check_name": f"{finding.code} {rule.name}",
                "fingerprint": fingerprint(*identity, seen[identity]),
                "severity": severity(finding),
                "categories": ["Bug Risk"] if finding.code < "AIS300" else ["Style"],
                "location": {
                    "path": result.display,
                    "lines": {"begin": start.line + 1, "end": last_line + 1},
                },
                "content": {"body": f"{rule.summary} {rule_url(finding.code, run.docs_base_url)}"},
            }
        )
    return out


def render(run: CheckRun) -> str:
    """Indented JSON list with a final newline (`[]` when the files are clean)."""
    return json_text(json.dumps(issues(run), indent=2, ensure_ascii=False)) + "\n"
