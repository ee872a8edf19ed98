"""`ai-strategy recommend --format html`: one self-contained page that explains a recommendation.

The page holds the decision and why, the two scores against the hybrid threshold, a bar chart of
every factor's points for RAG and for fine-tuning, the approaches ruled out, each factor's reason
and sources, the keys left undeclared, and the file's findings. Everything is inline (CSS, SVG);
the page loads nothing, and its Content-Security-Policy forbids it to, so it can be attached to a
CI run, mailed, or opened offline.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from .. import __version__
from ..analysis import Report
from ..explain import decision_sentence
from ..findings import Finding
from ..knowledge.factors import FACTORS, MODEL_VERSION
from ..knowledge.rules import RULES_BY_CODE, rule_url
from ..knowledge.sources import SOURCES, cite
from ..recommend import HYBRID_MIN, Contribution, Recommendation, format_value

RAG_COLOR = "#2563eb"
FINE_TUNING_COLOR = "#d97706"

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
  --rag: {RAG_COLOR}; --ft: {FINE_TUNING_COLOR};
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
.pos-rag {{ color: var(--rag); font-weight: 600; }} .pos-ft {{ color: var(--ft); font-weight: 600; }}
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
a {{ color: var(--rag); }}
footer {{ margin-top: 36px; color: var(--muted); font-size: 13px; }}
@media print {{ .decision {{ break-inside: avoid; }} svg {{ break-inside: avoid; }} }}
"""


def render_html(rec: Recommendation, display: str, declared: str | None, report: Report | None) -> str:
    """The whole page for the recommendation `rec` of the file shown as `display`."""
    findings = list(report.findings) if report is not None else []
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
        _decision(rec, declared),
        _scores_section(rec),
        _factors_chart_section(rec.contributions),
        _blocked_section(rec),
        _reasons_section(rec),
        _undeclared_section(rec),
        _findings_section(findings, display),
        _footer(),
        "</main>",
        "</body>",
        "</html>",
    ]
    return "\n".join(part for part in parts if part) + "\n"


def _signed(points: int) -> str:
    return f"+{points}" if points > 0 else str(points)


def _header(display: str) -> str:
    return f'<header id="file"><p>ai-strategy recommendation for <code>{escape(display)}</code></p></header>'


def _decision(rec: Recommendation, declared: str | None) -> str:
    close = '<span class="badge close">close call</span>' if rec.close_call else ""
    lines = [
        '<section class="decision" id="decision" aria-label="decision">',
        f'<h1>Recommended: <span class="approach" data-approach="{escape(rec.approach)}">'
        f"{escape(rec.approach)}</span>{close}</h1>",
        f'<p class="scores"><strong>RAG {rec.rag_score}</strong> · '
        f"<strong>fine-tuning {rec.fine_tuning_score}</strong> · model version {MODEL_VERSION}</p>",
        f"<p>{escape(decision_sentence(rec))}</p>",
    ]
    if rec.close_call:
        lines.append("<p>A close call: one point more or less on either side could change it.</p>")
    if declared and declared not in ("undecided", rec.approach):
        lines.append(
            f'<p class="note">The file declares <code>approach = "{escape(declared)}"</code>, '
            "which differs from this recommendation.</p>"
        )
    elif declared == "undecided":
        lines.append(
            '<p class="note">The file has not decided yet (<code>approach = "undecided"</code>).</p>'
        )
    lines.append("</section>")
    return "\n".join(lines)


def _scale(values: Iterable[int], minimum_high: int) -> tuple[int, int]:
    numbers = list(values)
    low = min([0, *numbers])
    high = max([minimum_high, *numbers])
    return low, high


def _scores_section(rec: Recommendation) -> str:
    """Two bars (the totals) against the hybrid threshold."""
    low, high = _scale((rec.rag_score, rec.fine_tuning_score), HYBRID_MIN + 1)
    x0, x1 = 130, CHART_WIDTH - 60
    unit = (x1 - x0) / (high - low)
    zero = x0 + (0 - low) * unit
    threshold = zero + HYBRID_MIN * unit
    height = 110
    rows = [
        ("RAG", rec.rag_score, RAG_COLOR, 14),
        ("fine-tuning", rec.fine_tuning_score, FINE_TUNING_COLOR, 50),
    ]
    svg = [
        f'<svg id="scores-chart" viewBox="0 0 {CHART_WIDTH} {height}" width="{CHART_WIDTH}" '
        f'height="{height}" role="img" aria-label="Scores: RAG {rec.rag_score}, '
        f'fine-tuning {rec.fine_tuning_score}; hybrid needs {HYBRID_MIN} on each side">',
    ]
    for label, score, color, y in rows:
        start, end = sorted((zero, zero + score * unit))
        svg.append(f'<text x="{x0 - 10}" y="{y + 18}" text-anchor="end">{label}</text>')
        svg.append(
            f'<rect class="bar" data-side="{label}" x="{start:.1f}" y="{y}" '
            f'width="{end - start:.1f}" height="26" rx="3" fill="{color}">'
            f"<title>{label}: {score}</title></rect>"
        )
        # the number sits right of the bar, or right of the zero line for a negative score
        svg.append(f'<text x="{end + 6:.1f}" y="{y + 18}" font-weight="700">{score}</text>')
    svg.append(f'<line class="zero" x1="{zero:.1f}" y1="8" x2="{zero:.1f}" y2="82"/>')
    svg.append(f'<line class="threshold" x1="{threshold:.1f}" y1="6" x2="{threshold:.1f}" y2="86"/>')
    svg.append(
        f'<text class="tick" x="{threshold:.1f}" y="102" text-anchor="middle">'
        f"hybrid needs {HYBRID_MIN} on each side</text>"
    )
    svg.append("</svg>")
    return '<section id="scores"><h2>Scores</h2>\n' + "\n".join(svg) + "\n</section>"


def _label(contribution: Contribution) -> str:
    return f"{contribution.factor.key} = {format_value(contribution.value)}"


def _factors_chart_section(contributions: tuple[Contribution, ...]) -> str:
    """A grouped bar chart: per factor, its RAG points and its fine-tuning points around zero."""
    heading = '<section id="factors"><h2>What each factor adds</h2>'
    legend = (
        '<p class="legend">'
        f'<span><span class="swatch" style="background:{RAG_COLOR}"></span>RAG points</span>'
        f'<span><span class="swatch" style="background:{FINE_TUNING_COLOR}"></span>fine-tuning points</span>'
        "</p>"
    )
    if not contributions:
        return (
            heading
            + "\n<p>No declared value adds points yet: declare the factors listed below.</p></section>"
        )
    points = [p for c in contributions for p in (c.factor.rag, c.factor.fine_tuning)]
    low, high = _scale(points, 3)
    x0, x1 = LABEL_WIDTH, CHART_WIDTH - 40
    unit = (x1 - x0) / (high - low)
    zero = x0 + (0 - low) * unit
    height = AXIS_HEIGHT + ROW_HEIGHT * len(contributions) + 8
    svg = [
        f'<svg id="factor-chart" viewBox="0 0 {CHART_WIDTH} {height}" width="{CHART_WIDTH}" '
        f'height="{height}" role="img" '
        'aria-label="Points each declared factor gives to RAG and to fine-tuning">',
    ]
    for tick in range(low, high + 1):
        x = zero + tick * unit
        svg.append(f'<line class="grid" x1="{x:.1f}" y1="{AXIS_HEIGHT - 6}" x2="{x:.1f}" y2="{height - 4}"/>')
        svg.append(
            f'<text class="tick" x="{x:.1f}" y="{AXIS_HEIGHT - 12}" text-anchor="middle">'
            f"{_signed(tick)}</text>"
        )
    for index, contribution in enumerate(contributions):
        top = AXIS_HEIGHT + index * ROW_HEIGHT
        label = _label(contribution)
        shown = label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"
        svg.append(
            f'<text x="{LABEL_WIDTH - 12}" y="{top + ROW_HEIGHT / 2 + 4:.1f}" text-anchor="end">'
            f"<title>{escape(label)}</title>{escape(shown)}</text>"
        )
        for side, value, color, y in (
            ("rag", contribution.factor.rag, RAG_COLOR, top + 5),
            ("fine-tuning", contribution.factor.fine_tuning, FINE_TUNING_COLOR, top + 5 + BAR_HEIGHT + 2),
        ):
            start, end = sorted((zero, zero + value * unit))
            tip = f"{label}: {side} {_signed(value)} ({contribution.factor.reason})"
            svg.append(
                f'<rect class="bar" data-side="{side}" data-key="{escape(contribution.factor.key)}" '
                f'data-points="{value}" x="{start:.1f}" y="{y}" width="{end - start:.1f}" '
                f'height="{BAR_HEIGHT}" rx="2" fill="{color}"><title>{escape(tip)}</title></rect>'
            )
            if value:
                svg.append(
                    f'<text class="tick" x="{end + 5:.1f}" y="{y + BAR_HEIGHT - 2}">{_signed(value)}</text>'
                )
    svg.append(
        f'<line class="zero" x1="{zero:.1f}" y1="{AXIS_HEIGHT - 6}" x2="{zero:.1f}" y2="{height - 4}"/>'
    )
    svg.append("</svg>")
    return heading + "\n" + legend + "\n" + "\n".join(svg) + "\n</section>"


def _blocked_section(rec: Recommendation) -> str:
    if not rec.blocks:
        return ""
    items = [
        f"<li><strong>{escape(b.approach)}</strong> ruled out by <code>{escape(b.key)}</code>: "
        f'{escape(b.reason)} <span class="mono">({escape(cite(_block_sources(b.key)))})</span></li>'
        for b in rec.blocks
    ]
    return '<section id="blocked"><h2>Ruled out</h2>\n<ul class="plain">' + "".join(items) + "</ul></section>"


def _block_sources(key: str) -> tuple[str, ...]:
    for factor in FACTORS:
        if factor.key == key and factor.blocks:
            return factor.sources
    return ()


def _reasons_section(rec: Recommendation) -> str:
    """The factor table in words, then the sources it cites."""
    rows = []
    for c in rec.contributions:
        cells = []
        for points, css in ((c.factor.rag, "pos-rag"), (c.factor.fine_tuning, "pos-ft")):
            klass = css if points > 0 else "neg" if points < 0 else ""
            cells.append(f'<td class="num {klass}">{_signed(points) if points else "0"}</td>')
        rows.append(
            f"<tr><td><code>{escape(c.factor.key)}</code></td><td><code>{escape(format_value(c.value))}</code></td>"
            + "".join(cells)
            + f"<td>{escape(c.factor.reason)}</td><td>{escape(cite(c.factor.sources))}</td></tr>"
        )
    rows.append(
        f'<tr><td><strong>total</strong></td><td></td><td class="num"><strong>{rec.rag_score}</strong></td>'
        f'<td class="num"><strong>{rec.fine_tuning_score}</strong></td><td></td><td></td></tr>'
    )
    table = (
        "<table><thead><tr><th>factor</th><th>value</th><th>RAG</th><th>fine-tuning</th><th>why</th>"
        "<th>sources</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table>"
    )
    used: list[str] = []
    for ids in [c.factor.sources for c in rec.contributions] + [_block_sources(b.key) for b in rec.blocks]:
        used.extend(i for i in ids if i not in used)
    sources = []
    for source_id in used:
        source = SOURCES.get(source_id)
        if source is None:
            continue
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


def _undeclared_section(rec: Recommendation) -> str:
    if not rec.undeclared:
        return ""
    items = "".join(f"<li><code>{escape(key)}</code></li>" for key in rec.undeclared)
    return (
        '<section id="undeclared"><h2>Undeclared keys that could change it</h2>'
        f'<ul class="plain">{items}</ul></section>'
    )


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


def _footer() -> str:
    return (
        f"<footer>Generated by ai-strategy {escape(__version__)}, recommendation model version "
        f"{MODEL_VERSION}. This page loads nothing from the network.</footer>"
    )
