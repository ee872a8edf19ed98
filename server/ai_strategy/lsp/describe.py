"""Markdown descriptions of keys, values, tables and rules, read from the schema and the
knowledge tables. Hover shows them whole; completion items carry them as documentation.

The descriptions depend only on fixed data, so each is built once and remembered.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from ..escaping import markdown_code
from ..explain import points_label, signed
from ..knowledge.factors import FACTORS, HARD_CONSTRAINTS, PROMPT_LIMITS, TRAINING_LIMITS, Factor
from ..knowledge.sources import cite
from ..recommend import Recommendation
from ..rule_docs import rule_markdown
from ..rules import RULES_BY_CODE
from ..schema_file import bounds, key_schema, table_schemas, type_name
from ..toml_value import toml_value


def enum_values(node: dict[str, Any]) -> list[tuple[str, str]]:
    """(value, explanation) of every allowed value of an enumerated key (or of its array's items)."""
    if "enum" not in node and isinstance(node.get("items"), dict):
        node = node["items"]
    values = node.get("enum") or []
    explanations = node.get("enumDescriptions") or []
    return [(str(v), explanations[i] if i < len(explanations) else "") for i, v in enumerate(values)]


def factors_of(key: str) -> list[Factor]:
    """The rows of the factor table that read `key` ("table.key")."""
    return [f for f in FACTORS if f.key == key]


@lru_cache(maxsize=4096)
def key_summary(path: tuple[str, ...]) -> str:
    """Description, type, allowed values, default, unit, bounds and example of a key."""
    node = key_schema(path)
    dotted = ".".join(path)
    if node is None:
        return f"**{markdown_code(dotted)}** is not a key of format version 1 (AIS002)."
    lines = [f"**{markdown_code(dotted)}** · {type_name(node)}", ""]
    if node.get("description"):
        lines += [node["description"], ""]
    values = enum_values(node)
    if values:
        lines.append("Allowed values:")
        lines += [f"- `{v}`: {text}" if text else f"- `{v}`" for v, text in values]
        lines.append("")
    facts = []
    if "default" in node:
        facts.append(f"Default: `{toml_value(node['default'])}`")
    if node.get("x-unit"):
        facts.append(f"Unit: {node['x-unit']}")
    if bounds(node):
        facts.append(f"Bounds: {bounds(node)}")
    if "const" in node:
        facts.append(f"Must be `{toml_value(node['const'])}`")
    if node.get("examples"):
        facts.append(f"Example: `{toml_value(node['examples'][0])}`")
    if facts:
        lines += [" · ".join(facts), ""]
    return "\n".join(lines).rstrip()


@lru_cache(maxsize=512)
def _factor_lines(key: str) -> tuple[tuple[tuple[Factor, str, str], ...], tuple[str, ...]]:
    """What the factor table says of a key whatever its value: each factor row as (factor, its
    label cell, the rest of the row), and the lines of the hard constraints and limits that read
    it. Worked out once per key: only the row marked as current depends on the file."""
    rows = tuple(
        (
            factor,
            f"| {factor.when.label}",
            f" | {signed(factor.knowledge)} | {signed(factor.behaviour)} | "
            f"{factor.reason} | {cite(factor.sources)} |",
        )
        for factor in factors_of(key)
    )
    rules_out = [
        f"- Hard constraint: {c.condition} rules out {', '.join(c.approaches)}: {c.reason}."
        for c in HARD_CONSTRAINTS
        if key in c.keys
    ]
    limits = [(limit, "long prompts") for limit in PROMPT_LIMITS if limit.key == key] + [
        (limit, "training") for limit in TRAINING_LIMITS if limit.key == key
    ]
    rules_out += [
        f"- {limit.when.label} rules out {what}: {limit.reason} ({cite(limit.sources)})."
        for limit, what in limits
    ]
    return rows, tuple(rules_out)


def factor_table(key: str, value: Any, declared: bool, recommendation: Recommendation | None) -> str:
    """How a key written in the file moves the recommendation: its factor rows (the current one
    marked), and the hard constraints and limits that read it. `declared` is false when its
    value could not be read (a syntax error in the pair, or the key inside an array of tables)."""
    rows, rules_out = _factor_lines(key)
    if not (rows or rules_out):
        return ""
    lines = ["**In the recommendation:**", ""]
    if rows:
        lines += ["| value | knowledge | behaviour | why | source |", "|---|---:|---:|---|---|"]
        for factor, label, rest in rows:
            mark = " ◀" if declared and _matches(factor, value) else ""
            lines.append(label + mark + rest)
        lines.append("")
    if rules_out:
        lines += [*rules_out, ""]
    if not declared:  # written, but a syntax error (or a table of the wrong kind) hides its value
        lines.append("Its value cannot be read here (see the error in the file): it adds no points for now.")
        return "\n".join(lines)
    counted = None
    if recommendation is not None:
        counted = next((c for c in recommendation.contributions if c.factor.key == key), None)
    shown = markdown_code(toml_value(value))
    if counted is not None:
        f = counted.factor
        lines.append(
            f"Current value {shown}: **{points_label(f.knowledge, f.behaviour)}** "
            f"({f.reason}; {cite(f.sources)})."
        )
    else:
        lines.append(f"Current value {shown} adds no points.")
    if recommendation is not None:
        approaches = sorted({b.approach for b in recommendation.blocks if b.key == key})
        if approaches:
            lines.append(f"It rules out {', '.join(approaches)}.")
    return "\n".join(lines)


def _matches(factor: Factor, value: Any) -> bool:
    try:
        return bool(factor.when(value))
    except Exception:
        return False


@lru_cache(maxsize=4096)
def value_summary(path: tuple[str, ...], value: str) -> str:
    """One enum value: its explanation and what it gives in the factor table."""
    node = key_schema(path) or {}
    explanation = dict(enum_values(node)).get(value)
    dotted = ".".join(path)
    if explanation is None:
        literal = markdown_code(toml_value(value))
        return f"{literal} is not an allowed value of {markdown_code(dotted)} (AIS004)."
    lines = [f"**`{toml_value(value)}`** ({dotted}): {explanation}"]
    for factor in factors_of(dotted):
        if _matches(factor, value):
            lines.append(
                f"\nIn the recommendation: {points_label(factor.knowledge, factor.behaviour)}: "
                f"{factor.reason} ({cite(factor.sources)})."
            )
    return "\n".join(lines)


@lru_cache(maxsize=4096)
def table_summary(table: str) -> str:
    """A table's description and its keys."""
    node = table_schemas().get(table)
    if node is None:
        return f"**{markdown_code(f'[{table}]')}** is not a table of format version 1 (AIS002)."
    lines = [f"**`[{table}]`**", ""]
    if node.get("description"):
        lines += [node["description"], ""]
    props = node.get("properties") or {}
    if props:
        lines.append("Keys:")
        for name, sub in props.items():
            lines.append(f"- `{name}`: {sub.get('description', '')}".rstrip(": "))
    return "\n".join(lines)


@lru_cache(maxsize=4096)
def rule_summary(code: str, docs_base_url: str = "") -> str:
    """A rule's documentation as hover and completion show it (rendered by rule_docs.py)."""
    if code not in RULES_BY_CODE:
        return f"{markdown_code(code)} is not a known rule code (AIS301)."
    return rule_markdown(code, docs_base_url, heading="###")


_CODE_BLOCK_FENCE = re.compile(r"^```\w*\n?", re.M)
_CODE_SPAN = re.compile(r"(`+)(.+?)(?<!`)\1(?!`)", re.S)
_MARKUP = [
    (re.compile(r"(?<!\\)\*\*"), ""),  # bold markers, also around a code span
    (re.compile(r"(?<!\w)_(.+?)_(?!\w)"), r"\1"),
    (re.compile(r"^#+\s*", re.M), ""),
    (re.compile(r"\[([^\]]+)\]\(([^)]+)\)"), r"\1 (\2)"),
    (re.compile(r"^\|[-:|]+\|$\n?", re.M), ""),
    (re.compile(r"\\([\\`*_{}\[\]()<>#+\-.!|~&])"), r"\1"),  # escapes (escaping.markdown_text)
]


@lru_cache(maxsize=4096)
def plain_text(markdown: str) -> str:
    """Markdown reduced to plain text, for clients that do not render markdown.

    Code spans (of any fence, see escaping.markdown_code) keep their text as it is; markup
    around them is removed.
    """
    markdown = _CODE_BLOCK_FENCE.sub("", markdown)
    parts = []
    done = 0
    for span in _CODE_SPAN.finditer(markdown):
        parts.append(_without_markup(markdown[done : span.start()]))
        code = span.group(2)
        if len(code) > 2 and code.startswith(" ") and code.endswith(" "):
            code = code[1:-1]
        parts.append(code)
        done = span.end()
    parts.append(_without_markup(markdown[done:]))
    return "".join(parts)


def _without_markup(text: str) -> str:
    for pattern, replacement in _MARKUP:
        text = pattern.sub(replacement, text)
    return text
