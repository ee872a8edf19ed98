"""Findings as LSP diagnostics: the same codes, ranges and messages as the command line.

Each diagnostic carries its rule code, a link to the rule's documentation, `source =
"ai-strategy"`, the other keys involved as related information, the `Unnecessary` tag for dead
tables, and its fixes in `data` (so a client can offer them without asking again).
"""

from __future__ import annotations

from typing import Any

from lsprotocol import types

from ..analysis import Report
from ..findings import Finding, Fix, Severity
from ..rule_docs import rule_url
from ..rules import RULES_BY_CODE
from . import NAME
from .positions import Positions

SOURCE = NAME

SEVERITIES = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.INFO: types.DiagnosticSeverity.Information,
}


def fix_data(fix: Fix, positions: Positions) -> dict[str, Any]:
    """A fix as JSON-ready data in client units: title, applicability and text edits."""
    edits = []
    for edit in fix.edits:
        r = positions.range_to_client(edit.range)
        edits.append(
            {
                "range": {
                    "start": {"line": r.start.line, "character": r.start.character},
                    "end": {"line": r.end.line, "character": r.end.character},
                },
                "newText": edit.new_text,
            }
        )
    return {"title": fix.title, "applicability": fix.applicability, "edits": edits}


def to_diagnostic(
    finding: Finding, positions: Positions, uri: str, docs_base_url: str = ""
) -> types.Diagnostic:
    """One finding as an LSP diagnostic."""
    rule = RULES_BY_CODE.get(finding.code)
    related = [
        types.DiagnosticRelatedInformation(types.Location(uri, positions.range_to_client(r.range)), r.message)
        for r in finding.related
    ]
    return types.Diagnostic(
        range=positions.range_to_client(finding.range),
        message=finding.message,
        severity=SEVERITIES[finding.severity],
        code=finding.code,
        code_description=types.CodeDescription(href=rule_url(finding.code, docs_base_url)),
        source=SOURCE,
        tags=[types.DiagnosticTag.Unnecessary] if finding.unnecessary else None,
        related_information=related or None,
        data={
            "name": rule.name if rule else "",
            "fixes": [fix_data(fix, positions) for fix in finding.fixes],
        },
    )


def to_diagnostics(
    report: Report, positions: Positions, uri: str, docs_base_url: str = ""
) -> list[types.Diagnostic]:
    """Every finding of a report as diagnostics, in the report's order."""
    return [to_diagnostic(f, positions, uri, docs_base_url) for f in report.findings]
