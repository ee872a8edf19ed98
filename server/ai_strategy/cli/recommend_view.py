"""`ai-strategy recommend` output: a rich table (text), JSON, markdown, or a self-contained HTML page.

The words come from the one presenter, `explain.py`; this module only lays them out.
"""

from __future__ import annotations

import io
import json
import os
import sys

from ..analysis import Report
from ..escaping import printable
from ..explain import explain, markdown, signed, text
from ..recommend import Recommendation


def render_recommendation(
    rec: Recommendation, fmt: str, display: str, declared: str | None, report: Report
) -> str:
    """The recommendation in format `fmt` (text, json, markdown, html)."""
    if fmt == "json":
        return json.dumps(rec.as_json(), indent=2, ensure_ascii=False, default=str) + "\n"
    if fmt == "markdown":
        return markdown(rec, declared)
    if fmt == "html":
        from .html_report import render_html  # type: ignore[import-not-found,unused-ignore]

        html: str = render_html(rec, display, declared, report)
        return html
    return _text(rec, display, declared)


def _text(rec: Recommendation, display: str, declared: str | None) -> str:
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    color = not os.environ.get("NO_COLOR") and sys.stdout.isatty()
    console = Console(record=True, force_terminal=color, no_color=not color, width=120, file=io.StringIO())
    first, *rest = text(rec, display, declared)
    console.print(f"[bold]{escape(first)}[/bold]")
    for line in rest:
        console.print(escape(line), highlight=False)
    table = Table(show_lines=False)
    for column, justify in (
        ("factor", "left"),
        ("value", "left"),
        ("knowledge", "right"),
        ("behaviour", "right"),
        ("why", "left"),
        ("source", "left"),
    ):
        table.add_column(column, justify=justify, no_wrap=column in ("factor", "value"))  # type: ignore[arg-type]
    explanation = explain(rec, declared)
    for row in explanation.factors:
        table.add_row(
            row.key,
            escape(printable(row.value)),
            signed(row.knowledge) if row.knowledge else "",
            signed(row.behaviour) if row.behaviour else "",
            row.reason,
            row.sources,
        )
    table.add_row(
        "[bold]total[/bold]", "", f"[bold]{rec.knowledge}[/bold]", f"[bold]{rec.behaviour}[/bold]", "", ""
    )
    console.print(table)
    console.print(explanation.footer)
    return console.export_text(styles=color)
