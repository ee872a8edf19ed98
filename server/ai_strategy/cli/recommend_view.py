"""`ai-strategy recommend` output: a rich table (text), JSON, markdown, or a self-contained HTML page."""

from __future__ import annotations

import io
import json
import os
import sys

from ..analysis import Report
from ..explain import decision_sentence, recommendation_markdown
from ..knowledge.factors import MODEL_VERSION
from ..knowledge.sources import cite
from ..recommend import Recommendation, format_value


def render_recommendation(
    rec: Recommendation, fmt: str, display: str, declared: str | None, report: Report
) -> str:
    """The recommendation in format `fmt` (text, json, markdown, html)."""
    if fmt == "json":
        return json.dumps(rec.as_json(), indent=2, ensure_ascii=False, default=str) + "\n"
    if fmt == "markdown":
        return recommendation_markdown(rec, declared)
    if fmt == "html":
        from .html_report import render_html  # type: ignore[import-not-found,unused-ignore]

        html: str = render_html(rec, display, declared, report)
        return html
    return _text(rec, display, declared)


def _signed(points: int) -> str:
    return f"+{points}" if points > 0 else str(points)


def _text(rec: Recommendation, display: str, declared: str | None) -> str:
    from rich.console import Console
    from rich.table import Table

    color = not os.environ.get("NO_COLOR") and sys.stdout.isatty()
    console = Console(
        record=True, force_terminal=color, no_color=not color, width=120, file=io.StringIO()
    )
    close = " (close call)" if rec.close_call else ""
    console.print(f"[bold]{display}[/bold]: recommended [bold green]{rec.approach}[/bold green]{close}")
    console.print(
        f"RAG {rec.rag_score} · fine-tuning {rec.fine_tuning_score} · model version {MODEL_VERSION}"
    )
    console.print(decision_sentence(rec))
    if declared and declared not in ("undecided", rec.approach):
        console.print(f'[yellow]The file declares approach = "{declared}".[/yellow]')
    table = Table(show_lines=False)
    table.add_column("factor", no_wrap=True)
    table.add_column("value", no_wrap=True)
    table.add_column("RAG", justify="right")
    table.add_column("fine-tuning", justify="right")
    table.add_column("why")
    table.add_column("source")
    for c in rec.contributions:
        table.add_row(
            c.factor.key,
            format_value(c.value),
            _signed(c.factor.rag) if c.factor.rag else "",
            _signed(c.factor.fine_tuning) if c.factor.fine_tuning else "",
            c.factor.reason,
            cite(c.factor.sources),
        )
    table.add_row(
        "[bold]total[/bold]",
        "",
        f"[bold]{rec.rag_score}[/bold]",
        f"[bold]{rec.fine_tuning_score}[/bold]",
        "",
        "",
    )
    console.print(table)
    for block in rec.blocks:
        console.print(f"[red]ruled out[/red] {block.approach}: {block.key}: {block.reason}")
    if rec.undeclared:
        console.print("Undeclared keys that could change it: " + ", ".join(rec.undeclared))
    return console.export_text(styles=color)
