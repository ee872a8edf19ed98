"""The recommendation in words, shared by every front end (a rule's documentation: rule_docs.py).

The recommendation is rendered once, here: `explain()` turns it into sentences and rows that
`recommend` (text, json's neighbours markdown and html), hover on `approach`, the code lens,
inlay hints and the `ai-strategy.showRecommendation` panel all show; `markdown()` and `text()`
write them out, the HTML report lays the same pieces out as a page. Values read from the file
reach Markdown and HTML only through `escaping.py`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .escaping import markdown_code, markdown_table_cell, printable
from .knowledge.factors import HARD_CONSTRAINTS, MODEL_VERSION
from .knowledge.sources import SOURCES, cite
from .recommend import BY_PROMPTING, BY_RETRIEVAL, BY_TRAINING, IN_PROMPT, Need, Recommendation
from .toml_value import toml_value

# ---- the recommendation ---------------------------------------------------------------------------

_HOW = {
    IN_PROMPT: "in the prompt",
    BY_RETRIEVAL: "by retrieval",
    BY_TRAINING: "by training",
    BY_PROMPTING: "by prompting",
}


def signed(points: int) -> str:
    """Points as every front end shows them: "+3", "-1", "0"."""
    return f"{points:+d}" if points else "0"


def points_label(knowledge: int, behaviour: int) -> str:
    """A factor's points: "knowledge +3", "knowledge +3 · behaviour +2", "0"."""
    parts = []
    if knowledge:
        parts.append(f"knowledge {signed(knowledge)}")
    if behaviour:
        parts.append(f"behaviour {signed(behaviour)}")
    return " · ".join(parts) or "0"


def headline(rec: Recommendation) -> str:
    """One line, as the code lens and the status bar show it:
    "hybrid (knowledge 10 · behaviour 6) · close call · ruled out: fine-tuning"."""
    text = f"{rec.approach} (knowledge {rec.knowledge} · behaviour {rec.behaviour})"
    notes = []
    if rec.close_call:
        notes.append("close call")
    if rec.blocks:
        notes.append("ruled out: " + ", ".join(sorted({b.approach for b in rec.blocks})))
    return text + "".join(" · " + note for note in notes)


def need_sentence(need: Need) -> str:
    """ "Knowledge need: 10 points, a need from 3: met by retrieval (because ...)." """
    title = need.name.capitalize()
    if need.present:
        verdict = f"{need.points} points, a need from {need.threshold}"
    else:
        verdict = f"{need.points} points, below the {need.threshold} that makes a need"
    text = f"{title} need: {verdict}"
    if need.met_by:
        text += f": met {_HOW[need.met_by]}"
        if need.why:
            text += " (" + "; ".join(need.why) + ")"
    elif need.present:
        text += ": not met"
    return text + "."


def decision_sentence(rec: Recommendation) -> str:
    """Why the decision came out as it did, in one sentence."""
    parts = []
    for need in (rec.knowledge_need, rec.behaviour_need):
        if need.present and need.met_by:
            parts.append(f"the {need.name} need is met {_HOW[need.met_by]}")
        elif need.met_by:
            parts.append(f"no {need.name} need, yet {_HOW[need.met_by]} is added (a hard constraint)")
        else:
            parts.append(f"no {need.name} need")
    ways = {
        "hybrid": "retrieval and training",
        "rag": "retrieval without training",
        "fine-tuning": "training without retrieval",
        "prompting": "neither retrieval nor training",
    }
    return f"{parts[0].capitalize()} and {parts[1]}: {ways[rec.approach]}, so {rec.approach}."


def runner_up_sentence(rec: Recommendation) -> str:
    """The runner-up, and whether one point decides between them."""
    if not rec.runner_up:
        return "No runner-up: the hard constraints leave nothing else open."
    text = f"Runner-up: {rec.runner_up}."
    if rec.close_call:
        text += " A close call: one point more or less on either need changes the outcome."
    return text


def summary(rec: Recommendation) -> str:
    """The two needs in a few words, for rule messages: "knowledge 10 by retrieval, behaviour 2"."""
    parts = []
    for need in (rec.knowledge_need, rec.behaviour_need):
        how = f" {_HOW[need.met_by]}" if need.met_by else ""
        parts.append(f"{need.name} {need.points}{how}")
    text = ", ".join(parts)
    return text + (", a close call" if rec.close_call else "")


def top_reasons(rec: Recommendation, count: int = 3) -> list[str]:
    """The reasons that weigh most: hard constraints first, then the largest factors."""
    reasons = [f"{b.key}: {b.reason}" for b in rec.blocks]
    ranked = sorted(
        rec.contributions, key=lambda c: max(c.factor.knowledge, c.factor.behaviour), reverse=True
    )
    reasons += [f"{c.factor.key} = {toml_value(c.value)}: {c.factor.reason}" for c in ranked]
    return list(dict.fromkeys(reasons))[:count]


@dataclass(frozen=True)
class FactorRow:
    """One counted factor as the explanation lists it (`value` is the file's value, unescaped)."""

    key: str
    value: str
    knowledge: int
    behaviour: int
    reason: str
    sources: str

    @property
    def points(self) -> str:
        """Its points as a label: "knowledge +3 · behaviour +2"."""
        return points_label(self.knowledge, self.behaviour)

    def note(self) -> str:
        """The row as one Markdown sentence (an inlay hint's tooltip): the value escaped."""
        return f"{markdown_code(f'{self.key} = {self.value}')}: {self.reason} ({self.sources})."


@dataclass(frozen=True)
class Explanation:
    """Everything the explanation says, as plain sentences and rows; the renderers lay it out."""

    approach: str
    scores: str
    decision: str
    declared: str
    needs: tuple[str, ...]
    runner_up: str
    flips: tuple[tuple[str, str], ...]
    """(the declaration, what it would give)."""
    constraints: tuple[str, ...]
    factors: tuple[FactorRow, ...]
    knowledge_total: int
    behaviour_total: int
    sources: tuple[str, ...]
    footer: str


def explain(rec: Recommendation, declared: Any = None) -> Explanation:
    """The recommendation `rec` in words; `declared` is the file's `approach`, if any."""
    note = ""
    if isinstance(declared, str):
        if declared == rec.approach:
            note = f'The file declares approach = "{declared}": it matches.'
        elif declared == "undecided":
            note = 'The file has not decided yet (approach = "undecided", AIS113).'
        else:
            note = f'The file declares approach = "{declared}", which differs (AIS112).'
    flips = tuple((f"{key} = {toml_value(value)}", outcome) for key, value, outcome in rec.flips)
    constraints = []
    for block_key, approaches, reason in ruled_out(rec):
        constraints.append(f"{block_key} rules out {', '.join(approaches)}: {reason}")
    used: list[str] = []
    for ids in [c.factor.sources for c in rec.contributions] + [c.sources for c in _applied(rec)]:
        used.extend(i for i in ids if i not in used)
    return Explanation(
        approach=rec.approach,
        scores=f"knowledge {rec.knowledge} · behaviour {rec.behaviour}"
        + (" · close call" if rec.close_call else ""),
        decision=decision_sentence(rec),
        declared=note,
        needs=(need_sentence(rec.knowledge_need), need_sentence(rec.behaviour_need)),
        runner_up=runner_up_sentence(rec),
        flips=flips,
        constraints=tuple(constraints),
        factors=tuple(
            FactorRow(
                c.factor.key,
                toml_value(c.value),
                c.factor.knowledge,
                c.factor.behaviour,
                c.factor.reason,
                cite(c.factor.sources),
            )
            for c in rec.contributions
        ),
        knowledge_total=rec.knowledge,
        behaviour_total=rec.behaviour,
        sources=tuple(f"{s}: {SOURCES[s].title}" for s in used if s in SOURCES),
        footer=f"Recommendation model version {MODEL_VERSION}.",
    )


def _applied(rec: Recommendation) -> list[Any]:
    keys = {b.key for b in rec.blocks}
    return [c for c in HARD_CONSTRAINTS if any(k in keys for k in c.keys)]


def ruled_out(rec: Recommendation) -> list[tuple[str, list[str], str]]:
    """(key, the approaches it rules out, why) for each declared value a hard constraint applied to."""
    grouped: dict[tuple[str, str], list[str]] = {}
    for block in rec.blocks:
        grouped.setdefault((block.key, block.reason), []).append(block.approach)
    return [(key, approaches, reason) for (key, reason), approaches in grouped.items()]


FLIPS_TITLE = "Undeclared keys whose declaration would change it (AIS121)"


def markdown(rec: Recommendation, declared: Any = None, heading: str = "#", stale_reason: str = "") -> str:
    """The full explanation as Markdown (recommend --format markdown, hover, the editor panel)."""
    e = explain(rec, declared)
    sub = heading + "#"
    lines = [f"{heading} Recommended: {e.approach}", ""]
    if stale_reason:
        lines += [f"_Last valid recommendation, {stale_reason}._", ""]
    lines += [f"**{e.scores}** · model version {MODEL_VERSION}", "", e.decision, ""]
    if e.declared:
        lines += [_code_declared(e.declared, declared), ""]
    lines += [f"{sub} The two needs", ""] + [f"- {n}" for n in e.needs] + [""]
    lines += [e.runner_up, ""]
    if e.flips:
        lines += [f"{sub} {FLIPS_TITLE}", ""]
        lines += [f"- {markdown_code(assignment)} would give {outcome}" for assignment, outcome in e.flips]
        lines.append("")
    if e.constraints:
        lines += [f"{sub} Hard constraints that applied", ""] + [f"- {c}" for c in e.constraints] + [""]
    lines += [f"{sub} Factors", ""]
    if e.factors:
        lines += ["| factor | value | knowledge | behaviour | why | source |", "|---|---|---:|---:|---|---|"]
        for row in e.factors:
            value = markdown_table_cell(markdown_code(row.value))  # a `|` would end the cell
            lines.append(
                f"| `{row.key}` | {value} | {signed(row.knowledge)} | "
                f"{signed(row.behaviour)} | {row.reason} | {row.sources} |"
            )
        lines.append(f"| **total** | | **{e.knowledge_total}** | **{e.behaviour_total}** | | |")
    else:
        lines.append("No declared value adds points.")
    lines.append("")
    if e.sources:
        lines += [f"{sub} Sources", ""] + [f"- {s}" for s in e.sources] + [""]
    lines.append(f"_{e.footer}_")
    return "\n".join(lines) + "\n"


def _code_declared(note: str, declared: Any) -> str:
    literal = f'approach = "{declared}"'
    return note.replace(literal, markdown_code(literal)) if isinstance(declared, str) else note


def text(rec: Recommendation, display: str, declared: Any = None) -> list[str]:
    """The explanation as plain lines for a terminal, factors left to the caller's table."""
    e = explain(rec, declared)
    lines = [
        f"{printable(display)}: recommended {e.approach}" + (" (close call)" if rec.close_call else ""),
        f"{e.scores} · model version {MODEL_VERSION}",
        e.decision,
    ]
    if e.declared:
        lines.append(printable(e.declared))
    lines += [f"  {n}" for n in e.needs]
    lines.append(e.runner_up)
    if e.flips:
        lines.append(FLIPS_TITLE + ":")
        lines += [f"  {assignment} would give {outcome}" for assignment, outcome in e.flips]
    if e.constraints:
        lines.append("Hard constraints that applied:")
        lines += [f"  {c}" for c in e.constraints]
    return lines
