"""Markdown explanations shared by the front ends: a rule's documentation, a recommendation.

`ai-strategy rule`, `recommend --format markdown`, the generated docs, the editor's hover and the
`ai-strategy.showRecommendation` command all render through here, so they say the same thing.
"""

from __future__ import annotations

from .knowledge.factors import FACTORS, MODEL_VERSION
from .knowledge.rules import RULES_BY_CODE, RuleDoc, rule_url
from .knowledge.sources import SOURCES, cite
from .recommend import Recommendation, format_value


def rule_markdown(code: str, docs_base_url: str = "", heading: str = "#") -> str:
    """The documentation of rule `code` as markdown: what, why (with sources), fix, example."""
    doc: RuleDoc = RULES_BY_CODE[code]
    parts = [
        f"{heading} {doc.code} {doc.name}",
        f"*{doc.family}* · default severity **{doc.severity}**"
        + (f" · fix: {doc.fixable}" if doc.fixable else ""),
        doc.summary,
        f"{heading}# What it does\n\n{doc.what}",
        f"{heading}# Why\n\n{doc.why}",
        f"{heading}# How to fix\n\n{doc.fix}",
        f"{heading}# Example\n\n```toml\n{doc.example.rstrip()}\n```",
    ]
    if doc.sources:
        lines = []
        for source_id in doc.sources:
            source = SOURCES.get(source_id)
            if source is not None:
                link = f" <{source.url}>" if source.url else ""
                lines.append(f"- **{source.id}**: {source.title}.{link} {source.fact}")
        parts.append(f"{heading}# Sources\n\n" + "\n".join(lines))
    parts.append(f"Documentation: {rule_url(code, docs_base_url)}")
    return "\n\n".join(parts) + "\n"


def rule_plain(code: str) -> str:
    """The documentation of rule `code` as plain text (for terminals and non-markdown clients)."""
    doc = RULES_BY_CODE[code]
    lines = [
        f"{doc.code} {doc.name} ({doc.family}, default severity {doc.severity})",
        "",
        doc.summary,
        "",
        "What it does:",
        f"  {doc.what}",
        "",
        "Why:",
        f"  {doc.why}",
        "",
        "How to fix:",
        f"  {doc.fix}",
        "",
        "Example:",
        *("  " + line for line in doc.example.rstrip().splitlines()),
    ]
    if doc.sources:
        lines += ["", "Sources: " + cite(doc.sources)]
    return "\n".join(lines) + "\n"


def decision_sentence(rec: Recommendation) -> str:
    """Why the decision came out as it did, in one sentence."""
    r, f = rec.rag_score, rec.fine_tuning_score
    blocked = sorted({b.approach for b in rec.blocks})
    if rec.step == "both-blocked":
        return "Both fine-tuning and retrieval are ruled out by declared values, so: prompting."
    if rec.step == "blocked":
        other = "rag" if "fine-tuning" in blocked else "fine-tuning"
        score = r if other == "rag" else f
        verdict = f"its score {score} is at least 1" if score >= 1 else f"its score {score} is below 1"
        return f"{', '.join(blocked)} ruled out; {other} remains and {verdict}, so: {rec.approach}."
    if rec.step == "hybrid":
        return f"Both scores reach 4 (RAG {r}, fine-tuning {f}), so: hybrid."
    if rec.step == "lead":
        return f"{rec.approach} leads by {abs(r - f)} (RAG {r}, fine-tuning {f}), so: {rec.approach}."
    return (
        f"Neither side leads by 2 (RAG {r}, fine-tuning {f}): rag first, to establish a "
        "retrieval baseline before training."
    )


def recommendation_markdown(rec: Recommendation, declared: str | None = None) -> str:
    """The full explanation: decision, score table, blockers, undeclared keys, sources."""
    lines = [f"# Recommended: {rec.approach}", ""]
    lines.append(
        f"**RAG {rec.rag_score} · fine-tuning {rec.fine_tuning_score}**"
        + (" · *close call*" if rec.close_call else "")
        + f" · model version {MODEL_VERSION}"
    )
    lines.append("")
    lines.append(decision_sentence(rec))
    if declared and declared not in ("undecided", rec.approach):
        lines += ["", f'The file declares `approach = "{declared}"`.']
    if rec.close_call:
        lines += ["", "A close call: one point more or less on either side could change it."]
    lines += ["", "| factor | value | RAG | fine-tuning | why | source |", "|---|---|---:|---:|---|---|"]
    for c in rec.contributions:
        lines.append(
            f"| `{c.factor.key}` | `{format_value(c.value)}` | {_signed(c.factor.rag)} | "
            f"{_signed(c.factor.fine_tuning)} | {c.factor.reason} | {cite(c.factor.sources)} |"
        )
    lines.append(f"| **total** | | **{rec.rag_score}** | **{rec.fine_tuning_score}** | | |")
    if rec.blocks:
        lines += ["", "## Ruled out", ""]
        lines += [f"- **{b.approach}**: `{b.key}`: {b.reason}" for b in rec.blocks]
    if rec.undeclared:
        lines += ["", "## Undeclared keys that could change it", ""]
        lines += [f"- `{k}`" for k in rec.undeclared]
    used = sorted({s for c in rec.contributions for s in c.factor.sources})
    if used:
        lines += ["", "## Sources", ""]
        lines += [f"- **{s}**: {SOURCES[s].title}" for s in used if s in SOURCES]
    return "\n".join(lines) + "\n"


def _signed(points: int) -> str:
    return f"+{points}" if points > 0 else str(points) if points else "0"


def factor_rows_for(key: str) -> list[tuple[str, int, int, str, str]]:
    """Every row of the factor table for `key`: (condition, R, F, reason, sources)."""
    rows = []
    for factor in FACTORS:
        if factor.key == key:
            points = f"rules out {factor.blocks}" if factor.blocks else ""
            rows.append(
                (
                    factor.when.label + (f" ({points})" if points else ""),
                    factor.rag,
                    factor.fine_tuning,
                    factor.reason,
                    cite(factor.sources),
                )
            )
    return rows
