"""The JSON Schema shipped in the package: loaded once, read by the rules, `init` and the editor.

`data/ai-strategy.schema.json` is generated from `file_format.py` (a test keeps the two in sync), so the
models stay the single source of truth while reading the format costs a JSON load instead of
building pydantic models. This module only reads it: the schema rules (`rules/schema.py`), the
starter file (`template.py`) and the language server's hover and completion all come here.
"""

from __future__ import annotations

import json
import os
from functools import cache
from typing import Any

_SCHEMA_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "ai-strategy.schema.json")

SchemaPath = tuple[str, ...]


@cache
def schema() -> dict[str, Any]:
    """The JSON Schema of the file format, as shipped in the package."""
    # read next to the package's files: importlib.resources costs more to import than checking a file
    with open(_SCHEMA_FILE, encoding="utf-8") as handle:
        text = handle.read()
    loaded: dict[str, Any] = json.loads(text)
    return loaded


def table_schemas() -> dict[str, dict[str, Any]]:
    """Every table's schema, by table name."""
    return {k: v for k, v in schema()["properties"].items() if v.get("type") == "object"}


def key_schema(path: SchemaPath) -> dict[str, Any] | None:
    """The schema of the key or table at `path`, or None when the schema has no such key."""
    node: dict[str, Any] | None = schema()
    for part in path:
        if node is None:
            return None
        props = node.get("properties")
        if props is not None and part in props:
            node = props[part]
        elif isinstance(node.get("additionalProperties"), dict):
            node = node["additionalProperties"]
        else:
            return None
    return node


def documented_defaults(table: str) -> dict[str, Any]:
    """The documented default of every key of `table` that has one."""
    props = table_schemas().get(table, {}).get("properties", {})
    return {k: v["default"] for k, v in props.items() if "default" in v}


def tables_with_key(name: str) -> list[str]:
    """Tables of the schema that define key `name`."""
    return [t for t, s in table_schemas().items() if name in s.get("properties", {})]


def type_name(node: dict[str, Any]) -> str:
    """The TOML type of a schema node in words: "string", "float", "array of string", "table"."""
    kind = node.get("type")
    if kind == "array":
        items = node.get("items") or {}
        return f"array of {type_name(items)}" if items else "array"
    if kind == "object":
        return "table"
    if kind == "number":
        return "float"
    if isinstance(kind, list):
        return " or ".join(str(k) for k in kind)
    return str(kind or "value")


def bounds(node: dict[str, Any]) -> str:
    """The numeric bounds of a schema node in words: ">= 0", "> 0", "" when it has none."""
    parts = []
    for keyword, sign in (
        ("minimum", ">="),
        ("exclusiveMinimum", ">"),
        ("maximum", "<="),
        ("exclusiveMaximum", "<"),
    ):
        if keyword in node:
            parts.append(f"{sign} {node[keyword]}")
    return ", ".join(parts)
