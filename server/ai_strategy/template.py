"""The commented starter file that `ai-strategy init` writes (and the empty-file fix inserts).

It is built from the schema, so every key shows its description, allowed values and documented
default; optional keys are commented out, because an absent key means "not declared".
"""

from __future__ import annotations

import json
from typing import Any

REQUIRED_VALUES: dict[tuple[str, str], str] = {
    ("strategy", "approach"): '"undecided"',
    ("task", "type"): '"qa"',
}


def _toml_literal(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, (int, float)):
        return repr(value) if isinstance(value, float) else f"{value:_}" if value >= 10_000 else str(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_literal(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k} = {_toml_literal(v)}" for k, v in value.items()) + "}"
    return str(value)


def starter_text() -> str:
    """The starter file: required keys set, every other key commented with its documentation."""
    from .schema_file import schema

    root = schema()
    out = [
        "# ai-strategy.toml: what we build with an LLM and how (see `ai-strategy rule --all`).",
        '# Uncomment and fill in what you know; an absent key means "not declared".',
        "version = 1",
    ]
    for table, spec in root["properties"].items():
        if spec.get("type") != "object":
            continue
        out.append("")
        out.append(f"[{table}]  # {spec.get('description', '')}".rstrip())
        for key, key_spec in spec.get("properties", {}).items():
            required = (table, key) in REQUIRED_VALUES
            if required:
                literal = REQUIRED_VALUES[(table, key)]
            elif "default" in key_spec:
                literal = _toml_literal(key_spec["default"])
            else:
                literal = _toml_literal(key_spec.get("examples", [""])[0])
            note = key_spec.get("description", "")
            if "enum" in key_spec:
                note += " One of: " + " | ".join(key_spec["enum"]) + "."
            line = f"{key} = {literal}" if required else f"# {key} = {literal}"
            out.append(f"{line}  # {note}".rstrip())
    return "\n".join(out) + "\n"
