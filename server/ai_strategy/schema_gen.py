"""Generate the JSON Schema (draft 2020-12) of the file format from the pydantic models.

What pydantic emits is post-processed so that taplo, tombi and Even Better TOML read it well:
every `$ref` inlined, optional keys as their plain type (no `anyOf [T, null]`, no `default: null`),
documented defaults as `default`, `additionalProperties: false` on every table, and enum values
explained in `enumDescriptions` and in `markdownDescription`.
"""

from __future__ import annotations

import json
from typing import Any

from .toml_value import toml_value

SCHEMA_ID = "https://raw.githubusercontent.com/ai-strategy/ai-strategy/main/schemas/ai-strategy.schema.json"
CODE_PATTERN = "^AIS[0-9]{1,3}$"
FULL_CODE_PATTERN = "^AIS[0-9]{3}$"


def generate_schema() -> dict[str, Any]:
    """The JSON Schema of `StrategyFile`, ready to be written to `schemas/ai-strategy.schema.json`."""
    from .file_format import ENUMS, StrategyFile

    raw = StrategyFile.model_json_schema(mode="validation")
    defs = raw.pop("$defs", {})
    schema = _clean(_inline(raw, defs), ENUMS)
    _constrain_lint(schema)
    out: dict[str, Any] = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
    }
    out.update(schema)
    out["x-taplo-info"] = {"authors": ["ai-strategy"], "patterns": ["ai-strategy\\.toml$"]}
    return out


def schema_text() -> str:
    """The schema as the committed file holds it: indented JSON with a final newline."""
    return json.dumps(generate_schema(), indent=2, ensure_ascii=False) + "\n"


def _inline(node: Any, defs: dict[str, Any]) -> Any:
    if isinstance(node, dict):
        if "$ref" in node:
            name = node["$ref"].rsplit("/", 1)[-1]
            merged = dict(_inline(defs[name], defs))
            merged.update({k: _inline(v, defs) for k, v in node.items() if k != "$ref"})
            return merged
        return {k: _inline(v, defs) for k, v in node.items()}
    if isinstance(node, list):
        return [_inline(v, defs) for v in node]
    return node


def _clean(node: Any, enums: dict[str, dict[str, str]]) -> Any:
    if isinstance(node, list):
        return [_clean(v, enums) for v in node]
    if not isinstance(node, dict):
        return node
    node = dict(node)
    any_of = node.get("anyOf")
    if isinstance(any_of, list):
        kept = [s for s in any_of if s.get("type") != "null"]
        if len(kept) == 1:
            del node["anyOf"]
            plain = dict(kept[0])
            plain.update(node)
            node = plain
        elif len(kept) != len(any_of):
            node["anyOf"] = kept
    if node.get("default", 0) is None:
        del node["default"]
    if "x-documented-default" in node:
        node["default"] = node.pop("x-documented-default")
    if node.get("type") == "number" or (
        isinstance(node.get("anyOf"), list)
        and {s.get("type") for s in node["anyOf"]} == {"number", "integer"}
    ):
        node.pop("anyOf", None)
        node["type"] = "number"
    enum_name = node.pop("x-enum", None)
    if enum_name:
        explained = enums[enum_name]
        # an array of enum values (strategy.fell_short) carries them on its items
        target = node
        if node.get("type") == "array":
            target = node["items"] = dict(node["items"])
        target["enum"] = list(explained)
        target["enumDescriptions"] = list(explained.values())
    if "properties" in node:
        node["properties"] = {k: _clean(v, enums) for k, v in node["properties"].items()}
        node.setdefault("additionalProperties", False)
        node.pop("title", None) if node.get("title") == node.get("description") else None
    for k in ("items", "additionalProperties"):
        if isinstance(node.get(k), dict):
            node[k] = _clean(node[k], enums)
    if "properties" not in node:
        node.pop("title", None)
    if "description" in node:
        node["markdownDescription"] = _markdown(node)
    return node


def _markdown(node: dict[str, Any]) -> str:
    parts = [node["description"]]
    facts = []
    if "x-unit" in node:
        facts.append(f"Unit: {node['x-unit']}.")
    if "default" in node:
        facts.append(f"Default: `{toml_value(node['default'])}`.")
    if "examples" in node:
        facts.append(f"Example: `{toml_value(node['examples'][0])}`.")
    if facts:
        parts.append(" ".join(facts))
    explained = node if "enumDescriptions" in node else node.get("items") or {}
    if "enumDescriptions" in explained:
        parts.append(
            "\n".join(
                f"- `{v}`: {d}" for v, d in zip(explained["enum"], explained["enumDescriptions"], strict=True)
            )
        )
    return "\n\n".join(parts)


def _constrain_lint(schema: dict[str, Any]) -> None:
    """Rule codes in [lint] are patterns (`AIS1` selects a family), severity keys full codes."""
    lint = schema["properties"]["lint"]["properties"]
    for name in ("select", "ignore"):
        lint[name]["items"] = {"type": "string", "pattern": CODE_PATTERN}
    lint["severity"]["propertyNames"] = {"pattern": FULL_CODE_PATTERN}
