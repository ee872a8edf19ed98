"""Markdown for the GitHub job summary, from `ai-strategy check --format json` on stdin.

Usage: ai-strategy check --format json ... | python summary.py FAIL_ON >> "$GITHUB_STEP_SUMMARY"
(run by the Python that runs ai-strategy: paths and messages come from the checked repository,
so they are written with ai-strategy's own Markdown escaping, never as Markdown or HTML).
"""

from __future__ import annotations

import json
import sys
from typing import Any

from ai_strategy.escaping import markdown_code, markdown_table_cell, markdown_text

RANK = {"error": 3, "warning": 2, "info": 1}


def code_cell(text: str) -> str:
    """Text from the checked repository as an inline code span inside a table cell."""
    return markdown_table_cell(markdown_code(text))


def text_cell(text: str) -> str:
    """Text from the checked repository as literal text inside a table cell."""
    return markdown_table_cell(markdown_text(text))


def summary(report: dict[str, Any], fail_on: str) -> str:
    """The summary: a verdict, a table of files, then the findings at or above the fail level."""
    files = report["files"]
    totals = report["summary"]
    failing = [
        (f["path"], d) for f in files for d in f["diagnostics"] if RANK[d["severity"]] >= RANK.get(fail_on, 3)
    ]
    verdict = "failed" if failing else "passed"
    lines = [
        f"## ai-strategy check {verdict}",
        "",
        f"{totals['files']} file(s): {totals['errors']} error(s), {totals['warnings']} warning(s), "
        f"{totals['infos']} info(s); fail level: {fail_on}; model version {report['model_version']}.",
        "",
    ]
    if files:
        lines += [
            "| file | recommended | knowledge | behaviour | errors | warnings | infos |",
            "|---|---|--:|--:|--:|--:|--:|",
        ]
        for f in files:
            rec = f["recommendation"]
            counts = {s: sum(1 for d in f["diagnostics"] if d["severity"] == s) for s in RANK}
            close = " (close call)" if rec and rec["close_call"] else ""
            recommended = "–" if rec is None else rec["recommendation"] + close
            scores = (
                ("", "") if rec is None else (str(rec["scores"]["rag"]), str(rec["scores"]["fine_tuning"]))
            )
            lines.append(
                f"| {code_cell(f['path'])} | {recommended} | {scores[0]} | {scores[1]} | "
                f"{counts['error']} | {counts['warning']} | {counts['info']} |"
            )
    if failing:
        lines += ["", "| where | rule | message |", "|---|---|---|"]
        for path, d in failing:
            start = d["range"]["start"]
            where = code_cell(f"{path}:{start['line']}:{start['column']}")
            lines.append(
                f"| {where} | [{d['code']}]({d['url']}) {d['severity']} | {text_cell(d['message'])} |"
            )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    text = sys.stdin.read()
    if text.strip():  # nothing when the check could not run (its error is on the log already)
        sys.stdout.write(summary(json.loads(text), sys.argv[1] if len(sys.argv) > 1 else "error"))
