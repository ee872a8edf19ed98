"""`--format sarif`: a SARIF 2.1.0 log for code-scanning services (GitHub, Azure DevOps, IDEs).

One run, whose tool driver lists every rule of the catalogue (id, name, short and full
description, help text and URI, default level), so that `ruleIndex` is stable across runs.
Regions are 1-based lines and 1-based columns counted in Unicode code points (the run says so with
`columnKind`), end column exclusive, as SARIF defines it. Fixes become `fixes[].artifactChanges`
with their applicability in `properties`. The recommendation model's version sits in
`run.properties.model_version`, because a change to the model can change a team's CI result.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any
from urllib.parse import quote

from ... import __version__
from ...escaping import json_text
from ...findings import Finding, Fix, Range
from ...knowledge.factors import MODEL_VERSION
from ...rule_docs import rule_markdown, rule_plain, rule_url
from ...rules import RULES, Rule
from ..check_run import CheckRun

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/ai-strategy/ai-strategy"
SRCROOT = "%SRCROOT%"

LEVELS = {"error": "error", "warning": "warning", "info": "note"}
"""Our severity -> SARIF `level`."""

RULE_INDEX: dict[str, int] = {rule.code: index for index, rule in enumerate(RULES)}


def artifact_location(display: str) -> dict[str, str]:
    """Where a file is: a relative URI against %SRCROOT%, or a file:// URI for absolute paths."""
    path = Path(display)
    if path.is_absolute():
        return {"uri": path.as_uri()}
    return {"uri": quote(path.as_posix(), safe="/"), "uriBaseId": SRCROOT}


def region(where: Range) -> dict[str, int]:
    """A SARIF region: 1-based lines and code-point columns, end column exclusive."""
    return {
        "startLine": where.start.line + 1,
        "startColumn": where.start.column + 1,
        "endLine": where.end.line + 1,
        "endColumn": where.end.column + 1,
    }


def rule_descriptor(rule: Rule, docs_base_url: str = "") -> dict[str, Any]:
    """`tool.driver.rules[]` entry of one rule."""
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.what},
        "help": {
            "text": rule_plain(rule.code),
            "markdown": rule_markdown(rule.code, docs_base_url),
        },
        "helpUri": rule_url(rule.code, docs_base_url),
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "properties": {"tags": [rule.family], "fixable": rule.fixable or "no"},
    }


def fix_json(fix: Fix, location: dict[str, str]) -> dict[str, Any]:
    """A SARIF `fix`: the edits as replacements of one artifact."""
    return {
        "description": {"text": fix.title},
        "artifactChanges": [
            {
                "artifactLocation": location,
                "replacements": [
                    {"deletedRegion": region(edit.range), "insertedContent": {"text": edit.new_text}}
                    for edit in fix.edits
                ],
            }
        ],
        "properties": {"applicability": fix.applicability},
    }


def result_json(finding: Finding, location: dict[str, str]) -> dict[str, Any]:
    """A SARIF `result` for one finding."""
    result: dict[str, Any] = {
        "ruleId": finding.code,
        "ruleIndex": RULE_INDEX[finding.code],
        "level": LEVELS[finding.severity.value],
        "message": {"text": finding.message},
        "locations": [{"physicalLocation": {"artifactLocation": location, "region": region(finding.range)}}],
    }
    if finding.related:
        result["relatedLocations"] = [
            {
                "id": index,
                "physicalLocation": {"artifactLocation": location, "region": region(related.range)},
                "message": {"text": related.message},
            }
            for index, related in enumerate(finding.related, start=1)
        ]
    if finding.fixes:
        result["fixes"] = [fix_json(fix, location) for fix in finding.fixes]
    return result


def run_sarif(run: CheckRun) -> dict[str, Any]:
    """The whole SARIF log as a JSON-ready dict."""
    results: list[dict[str, Any]] = []
    artifacts: list[dict[str, Any]] = []
    for file in run.files:
        location = artifact_location(file.display)
        artifacts.append({"location": location, "mimeType": "application/toml"})
        results.extend(result_json(finding, location) for finding in file.report.findings)
    root = Path(os.getcwd()).as_uri().rstrip("/") + "/"
    return {
        "$schema": SARIF_SCHEMA,
        "version": SARIF_VERSION,
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "ai-strategy",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "informationUri": INFORMATION_URI,
                        "rules": [rule_descriptor(rule, run.docs_base_url) for rule in RULES],
                    }
                },
                "originalUriBaseIds": {SRCROOT: {"uri": root}},
                "columnKind": "unicodeCodePoints",
                "artifacts": artifacts,
                "results": results,
                "properties": {"model_version": MODEL_VERSION},
            }
        ],
    }


def render(run: CheckRun) -> str:
    """Indented SARIF JSON with a final newline."""
    return json_text(json.dumps(run_sarif(run), indent=2, ensure_ascii=False)) + "\n"
