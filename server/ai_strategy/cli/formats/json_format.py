"""`--format json`: the machine-readable report (README.md, "Command line")."""

from __future__ import annotations

import json
from typing import Any

from ...escaping import json_text
from ...findings import Finding, Position, Range
from ...knowledge.factors import MODEL_VERSION
from ...rule_docs import rule_url
from ...rules import RULES_BY_CODE
from ..check_run import CheckRun

FORMAT_VERSION = 1


def position_json(position: Position) -> dict[str, int]:
    """1-based line and 1-based code-point column."""
    return {"line": position.line + 1, "column": position.column + 1}


def range_json(where: Range) -> dict[str, dict[str, int]]:
    """A range with 1-based positions, end exclusive."""
    return {"start": position_json(where.start), "end": position_json(where.end)}


def finding_json(finding: Finding, docs_base_url: str = "") -> dict[str, Any]:
    """One diagnostic object."""
    fix = finding.fix
    return {
        "code": finding.code,
        "name": RULES_BY_CODE[finding.code].name,
        "severity": finding.severity.value,
        "message": finding.message,
        "range": range_json(finding.range),
        "fix": None
        if fix is None
        else {
            "applicability": fix.applicability,
            "title": fix.title,
            "edits": [{"range": range_json(e.range), "new_text": e.new_text} for e in fix.edits],
        },
        "related": [{"range": range_json(r.range), "message": r.message} for r in finding.related],
        "url": rule_url(finding.code, docs_base_url),
    }


def run_json(run: CheckRun) -> dict[str, Any]:
    """The whole report as a JSON-ready dict."""
    counts = run.counts()
    return {
        "version": FORMAT_VERSION,
        "model_version": MODEL_VERSION,
        "files": [
            {
                "path": f.display,
                "recommendation": f.recommendation_json(),
                "diagnostics": [finding_json(d, run.docs_base_url) for d in f.report.findings],
            }
            for f in run.files
        ],
        "summary": {
            "files": len(run.files),
            "errors": counts["error"],
            "warnings": counts["warning"],
            "infos": counts["info"],
        },
    }


def render(run: CheckRun) -> str:
    """Indented JSON with a final newline."""
    return json_text(json.dumps(run_json(run), indent=2, ensure_ascii=False, default=str)) + "\n"
