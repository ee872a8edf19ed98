"""`ai-strategy recommend --format html`: one self-contained page that explains a recommendation.

The page lays out what `explain.py` says (the decision, both needs and how each is met, the
runner-up and the declarations that would flip it, the hard constraints, every factor's reason
and sources) with two charts: each need's points against its threshold, and every factor's
knowledge and behaviour points. Then the file's findings. Everything is inline (CSS, SVG); the page
loads nothing, and its Content-Security-Policy forbids it to, so it can be attached to a CI run,
mailed, or opened offline. Text from the file goes through `escaping.html_text`.
"""

from __future__ import annotations

from collections.abc import Iterable

from .. import __version__
from ..analysis import Report
from ..escaping import html_text as escape
from ..explain import FLIPS_TITLE, Explanation, FactorRow, explain, signed
from ..findings import Finding
from ..knowledge.factors import MODEL_VERSION
from ..knowledge.sources import SOURCES
from ..recommend import BEHAVIOUR_NEED, KNOWLEDGE_NEED, Recommendation
from ..rule_docs import rule_url
from ..rules import RULES_BY_CODE

KNOWLEDGE_COLOR = "#2563eb"
BEHAVIOUR_COLOR = "#d97706"

CHART_WIDTH = 760
LABEL_WIDTH = 300
ROW_HEIGHT = 36
BAR_HEIGHT = 12
AXIS_HEIGHT = 28
LABEL_CHARS = 40

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"

STYLE = f"""
:root {{
  color-scheme: light dark;
  --fg: #1f2933; --muted: #52606d; --bg: #ffffff; --card: #f5f7fa; --line: #d9e2ec;
  --knowledge: {KNOWLEDGE_COLOR}; --behaviour: {BEHAVIOUR_COLOR};
  --error: #c81e1e; --warning: #b45309; --info: #0e7490; --ok: #047857;
}}
@media (prefers-color-scheme: dark) {{
  :root {{ --fg: #e4e7eb; --muted: #9aa5b1; --bg: #111827; --card: #1f2937; --line: #374151; }}
}}
* {{ box-sizing: border-box; }}
body {{ margin: 0; background: var(--bg); color: var(--fg);
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }}
main {{ max-width: 980px; margin: 0 auto; padding: 24px 28px 40px; }}
header p {{ margin: 0; color: var(--muted); }}
h1 {{ font-size: 26px; margin: 4px 0 8px; }}
h2 {{ font-size: 18px; margin: 32px 0 10px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }}
code, .mono {{ font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "Liberation Mono", monospace;
  font-size: 13px; }}
.decision {{ background: var(--card); border-left: 6px solid var(--ok); border-radius: 6px;
  padding: 16px 20px; margin-top: 16px; }}
.decision .approach {{ font-size: 30px; font-weight: 700; }}
.badge {{ display: inline-block; border-radius: 999px; padding: 1px 10px; font-size: 13px;
  font-weight: 600; margin-left: 8px; vertical-align: middle; border: 1px solid currentColor; }}
.badge.close {{ color: var(--warning); }}
.badge.error {{ color: var(--error); }} .badge.warning {{ color: var(--warning); }}
.badge.info {{ color: var(--info); }}
.note {{ color: var(--warning); font-weight: 600; }}
table {{ border-collapse: collapse; width: 100%; }}
th, td {{ text-align: left; vertical-align: top; padding: 6px 8px; border-bottom: 1px solid var(--line); }}
th {{ font-size: 13px; color: var(--muted); font-weight: 600; }}
td.rule {{ white-space: nowrap; }}
td.num {{ text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }}
.pos-knowledge {{ color: var(--knowledge); font-weight: 600; }}
.pos-behaviour {{ color: var(--behaviour); font-weight: 600; }}
.neg {{ color: var(--error); font-weight: 600; }}
svg {{ display: block; max-width: 100%; height: auto; }}
svg text {{ fill: var(--fg); font: 12px ui-monospace, Menlo, Consolas, "Liberation Mono", monospace; }}
svg .tick {{ fill: var(--muted); font-size: 11px; }}
svg .grid {{ stroke: var(--line); stroke-width: 1; }}
svg .zero {{ stroke: var(--muted); stroke-width: 1.5; }}
svg .threshold {{ stroke: var(--muted); stroke-width: 1.5; stroke-dasharray: 5 4; }}
.legend span {{ display: inline-block; margin-right: 18px; }}
.swatch {{ display: inline-block; width: 12px; height: 12px; border-radius: 2px; margin-right: 6px;
  vertical-align: -1px; }}
ul.plain {{ padding-left: 20px; }}
a {{ color: var(--knowledge); }}
footer {{ margin-top: 36px; color: var(--muted); font-size: 13px; }}
@media print {{ .decision {{ break-inside: avoid; }} svg {{ break-inside: avoid; }} }}
"""


def render_html(rec: Recommendation, display: str, declared: str | None, report: Report | None) -> str:
    """The whole page for the recommendation `rec` of the file shown as `display`."""
    findings = list(report.findings) if report is not None else []
    explanation = explain(rec, declared)
    title = f"ai-strategy: {display}: {rec.approach}"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta name="generator" content="ai-strategy {escape(__version__)}">',
        f"<title>{escape(title)}</title>",
        f"<style>{STYLE}</style>",
        "</head>",
        "<body>",
        "<main>",
        _header(display),
        _decision(rec, explanation),
        _needs_section(rec, explanation),
        _factors_chart_section(explanation.factors),
        _alternatives_section(explanation),
        _constraints_section(explanation),
        _reasons_section(rec, explanation),
        _findings_section(findings, display),
        _footer(explanation),
        "</main>",
        "</body>",
        "</html>",
    ]
    return "\n".join(part for part in parts if part) + "\n"


def _header(display: str) -> str:
    return f'<header id="file"><p>ai-strategy recommendation for <code>{escape(display)}</code></p></header>'


def _decision(rec: Recommendation, explanation: Explanation) -> str:
    close = '<span class="badge close">close call</span>' if rec.close_call else ""
    lines = [
        '<section class="decision" id="decision" aria-label="decision">',
        f'<h1>Recommended: <span class="approach" data-approach="{escape(rec.approach)}">'
        f"{escape(rec.approach)}</span>{close}</h1>",
        f'<p class="scores"><strong>{escape(explanation.scores)}</strong> · '
        f"model version {MODEL_VERSION}</p>",
        f"<p>{escape(explanation.decision)}</p>",
    ]
    if explanation.declared:
        lines.append(f'<p class="note">{escape(explanation.declared)}</p>')
    lines.append("</section>")
    return "\n".join(lines)


def _scale(values: Iterable[int], minimum_high: int) -> tuple[int, int]:
    numbers = list(values)
    low = min([0, *numbers])
    high = max([minimum_high, *numbers])
    return low, high


def _needs_section(rec: Recommendation, explanation: Explanation) -> str:
    """Each need's points as a bar, with a dashed line at the threshold that makes it a need."""
    rows = [
        ("knowledge", rec.knowledge, KNOWLEDGE_NEED, KNOWLEDGE_COLOR, 14),
        ("behaviour", rec.behaviour, BEHAVIOUR_NEED, BEHAVIOUR_COLOR, 62),
    ]
    low, high = _scale((rec.knowledge, rec.behaviour), max(KNOWLEDGE_NEED, BEHAVIOUR_NEED) + 1)
    x0, x1 = 130, CHART_WIDTH - 60
    unit = (x1 - x0) / (high - low)
    zero = x0 + (0 - low) * unit
    height = 110
    svg = [
        f'<svg id="needs-chart" viewBox="0 0 {CHART_WIDTH} {height}" width="{CHART_WIDTH}" '
        f'height="{height}" role="img" aria-label="Needs: knowledge {rec.knowledge} '
        f'(a need from {KNOWLEDGE_NEED}), behaviour {rec.behaviour} (a need from {BEHAVIOUR_NEED})">',
    ]
    for label, points, threshold, color, y in rows:
        start, end = sorted((zero, zero + points * unit))
        mark = zero + threshold * unit
        svg.append(f'<text x="{x0 - 10}" y="{y + 18}" text-anchor="end">{label}</text>')
        svg.append(
            f'<rect class="bar" data-side="{label}" x="{start:.1f}" y="{y}" '
            f'width="{end - start:.1f}" height="26" rx="3" fill="{color}">'
            f"<title>{label}: {points} (a need from {threshold})</title></rect>"
        )
        svg.append(f'<text x="{end + 6:.1f}" y="{y + 18}" font-weight="700">{points}</text>')
        svg.append(
            f'<line class="threshold" data-side="{label}" x1="{mark:.1f}" y1="{y - 4}" '
            f'x2="{mark:.1f}" y2="{y + 30}"/>'
        )
    svg.append(f'<line class="zero" x1="{zero:.1f}" y1="8" x2="{zero:.1f}" y2="96"/>')
    svg.append(
        f'<text class="tick" x="{x1:.1f}" y="106" text-anchor="end">'
        "dashed: the points that make a need</text>"
    )
    svg.append("</svg>")
    items = "".join(f"<li>{escape(sentence)}</li>" for sentence in explanation.needs)
    return (
        '<section id="needs"><h2>The two needs</h2>\n'
        + "\n".join(svg)
        + f'\n<ul class="plain">{items}</ul></section>'
    )


def _label(row: FactorRow) -> str:
    return f"{row.key} = {row.value}"


def _factors_chart_section(rows: tuple[FactorRow, ...]) -> str:
    """A grouped bar chart: per factor, its knowledge points and its behaviour points around zero."""
    heading = '<section id="factors"><h2>What each factor adds</h2>'
    legend = (
        '<p class="legend">'
        f'<span><span class="swatch" style="background:{KNOWLEDGE_COLOR}"></span>knowledge points</span>'
        f'<span><span class="swatch" style="background:{BEHAVIOUR_COLOR}"></span>behaviour points</span>'
        "</p>"
    )
    if not rows:
        return heading + "\n<p>No declared value adds points.</p></section>"
    points = [p for row in rows for p in (row.knowledge, row.behaviour)]
    low, high = _scale(points, 3)
    x0, x1 = LABEL_WIDTH, CHART_WIDTH - 40
    unit = (x1 - x0) / (high - low)
    zero = x0 + (0 - low) * unit
    height = AXIS_HEIGHT + ROW_HEIGHT * len(rows) + 8
    svg = [
        f'<svg id="factor-chart" viewBox="0 0 {CHART_WIDTH} {height}" width="{CHART_WIDTH}" '
        f'height="{height}" role="img" '
        'aria-label="Points each declared factor gives to the knowledge need and the behaviour need">',
    ]
    for tick in range(low, high + 1):
        x = zero + tick * unit
        svg.append(f'<line class="grid" x1="{x:.1f}" y1="{AXIS_HEIGHT - 6}" x2="{x:.1f}" y2="{height - 4}"/>')
        svg.append(
            f'<text class="tick" x="{x:.1f}" y="{AXIS_HEIGHT - 12}" text-anchor="middle">'
            f"{signed(tick)}</text>"
        )
    for index, row in enumerate(rows):
        top = AXIS_HEIGHT + index * ROW_HEIGHT
        label = _label(row)
        shown = label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"
        svg.append(
            f'<text x="{LABEL_WIDTH - 12}" y="{top + ROW_HEIGHT / 2 + 4:.1f}" text-anchor="end">'
            f"<title>{escape(label)}</title>{escape(shown)}</text>"
        )
        for side, value, color, y in (
            ("knowledge", row.knowledge, KNOWLEDGE_COLOR, top + 5),
            ("behaviour", row.behaviour, BEHAVIOUR_COLOR, top + 5 + BAR_HEIGHT + 2),
        ):
            start, end = sorted((zero, zero + value * unit))
            tip = f"{label}: {side} {signed(value)} ({row.reason})"
            svg.append(
                f'<rect class="bar" data-side="{side}" data-key="{escape(row.key)}" '
                f'data-points="{value}" x="{start:.1f}" y="{y}" width="{end - start:.1f}" '
                f'height="{BAR_HEIGHT}" rx="2" fill="{color}"><title>{escape(tip)}</title></rect>'
            )
            if value:
                svg.append(
                    f'<text class="tick" x="{end + 5:.1f}" y="{y + BAR_HEIGHT - 2}">{signed(value)}</text>'
                )
    svg.append(
        f'<line class="zero" x1="{zero:.1f}" y1="{AXIS_HEIGHT - 6}" x2="{zero:.1f}" y2="{height - 4}"/>'
    )
    svg.append("</svg>")
    return heading + "\n" + legend + "\n" + "\n".join(svg) + "\n</section>"


def _alternatives_section(explanation: Explanation) -> str:
    parts = [f'<section id="runner-up"><h2>Runner-up</h2><p>{escape(explanation.runner_up)}</p>']
    if explanation.flips:
        items = "".join(
            f"<li><code>{escape(assignment)}</code> would give {escape(outcome)}</li>"
            for assignment, outcome in explanation.flips
        )
        parts.append(f'<h3 id="undeclared">{escape(FLIPS_TITLE)}</h3><ul class="plain">{items}</ul>')
    parts.append("</section>")
    return "".join(parts)


def _constraints_section(explanation: Explanation) -> str:
    if not explanation.constraints:
        return ""
    items = "".join(f"<li>{escape(c)}</li>" for c in explanation.constraints)
    return (
        '<section id="blocked"><h2>Hard constraints that applied</h2>'
        f'<ul class="plain">{items}</ul></section>'
    )


def _reasons_section(rec: Recommendation, explanation: Explanation) -> str:
    """The factor table in words, then the sources it cites."""
    rows = []
    for row in explanation.factors:
        cells = []
        for points, css in ((row.knowledge, "pos-knowledge"), (row.behaviour, "pos-behaviour")):
            klass = css if points > 0 else "neg" if points < 0 else ""
            cells.append(f'<td class="num {klass}">{signed(points)}</td>')
        rows.append(
            f"<tr><td><code>{escape(row.key)}</code></td><td><code>{escape(row.value)}</code></td>"
            + "".join(cells)
            + f"<td>{escape(row.reason)}</td><td>{escape(row.sources)}</td></tr>"
        )
    rows.append(
        f'<tr><td><strong>total</strong></td><td></td><td class="num"><strong>{rec.knowledge}</strong></td>'
        f'<td class="num"><strong>{rec.behaviour}</strong></td><td></td><td></td></tr>'
    )
    table = (
        "<table><thead><tr><th>factor</th><th>value</th><th>knowledge</th><th>behaviour</th><th>why</th>"
        "<th>sources</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table>"
    )
    sources = []
    for line in explanation.sources:
        source_id = line.split(": ", 1)[0]
        source = SOURCES[source_id]
        title = escape(source.title)
        if source.url:
            title = f'<a href="{escape(source.url)}" rel="noreferrer">{title}</a>'
        sources.append(
            f'<li id="source-{escape(source_id)}"><strong>{escape(source_id)}</strong>: {title}. '
            f"{escape(source.fact)}</li>"
        )
    sources_html = (
        f'<h3>Sources</h3><ul class="plain" id="sources">{"".join(sources)}</ul>' if sources else ""
    )
    return f'<section id="reasons"><h2>Reasons</h2>\n{table}\n{sources_html}</section>'


def _findings_section(findings: list[Finding], display: str) -> str:
    if not findings:
        return '<section id="findings"><h2>Findings</h2><p>No findings in this file.</p></section>'
    rows = []
    for finding in findings:
        start = finding.range.start
        severity = finding.severity.value
        rule = RULES_BY_CODE[finding.code]
        rows.append(
            f'<tr class="finding" data-code="{finding.code}">'
            f'<td><span class="badge {severity}">{severity}</span></td>'
            f'<td class="rule"><a href="{escape(rule_url(finding.code))}" rel="noreferrer">'
            f"<code>{finding.code}</code></a>"
            f'<br><span class="mono">{escape(rule.name)}</span></td>'
            f'<td class="num mono">{start.line + 1}:{start.column + 1}</td>'
            f"<td>{escape(finding.message)}</td></tr>"
        )
    return (
        f'<section id="findings"><h2>Findings in <code>{escape(display)}</code></h2>'
        "<table><thead><tr><th>severity</th><th>rule</th><th>line:col</th><th>message</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table></section>"
    )


def _footer(explanation: Explanation) -> str:
    return (
        f"<footer>Generated by ai-strategy {escape(__version__)}. {escape(explanation.footer)} "
        "This page loads nothing from the network.</footer>"
    )
