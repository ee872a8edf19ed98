"""Schema rules AIS002-AIS007, driven by the shipped JSON Schema (`schema_file.py`; no pydantic
at run time)."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from functools import cache
from itertools import islice
from typing import Any

from ..findings import Edit, Fix, Range
from ..recommend import format_value
from ..schema_file import schema, table_schemas, tables_with_key
from ..suggestions import Suggestions, suggest
from . import Context, Path

SUPPORTED_VERSIONS = (1,)
MAX_NAMES_SEARCHED = 500
"""Unknown names past this many in one file get no did-you-mean: the search costs about 50 us a
name, and a file with thousands of unknown names holds no typo worth it (it stays linear)."""
_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


def check_schema(ctx: Context, values: dict[str, Any], complete: bool) -> tuple[dict[str, Any], bool]:
    """Report AIS002-AIS007 on `values`; return (the values that passed, whether checking goes on).

    `complete` is False on broken text: missing keys are then not reported (the part that does
    not parse may hold them).
    """
    version_ok = _check_version(ctx, values, complete)
    if not version_ok:
        return {}, False
    # the common case first: nothing to report, every value kept (see the fast path below);
    # the values are then passed on as they are: nothing downstream modifies them
    valid = _valid_root()(values)
    clean = values if valid else _check_object(ctx, values, schema(), (), complete)
    if "version" not in clean and values.get("version") == "1":
        clean["version"] = 1
    if complete:
        _check_required(ctx, values)
    return clean, True


# ---- the fast path: validators compiled once from the schema ----------------------------------
#
# `_valid_root()(values)` is True only when the checks below (`_check_object`, `_check_value`,
# `_check_item`) would report nothing and keep every value; it is exact types only, so anything
# unusual (a str subclass, say) takes the full path. When it says False, the full path runs and
# reports; so it can only make checking faster, never change what is reported.

Validator = Callable[[Any], bool]
_EXACT_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
    "array": (list,),
    "object": (dict,),
}


@cache
def _valid_root() -> Validator:
    return _compile(schema())


def _compile(node: dict[str, Any]) -> Validator:
    expected = node.get("type")
    if expected == "object":
        return _compile_object(node)
    if expected == "array":
        return _compile_array(node)
    types = _EXACT_TYPES.get(expected) if expected else None
    if expected and types is None:
        return lambda value: False  # a type this fast path does not know: take the full path
    has_const, const = "const" in node, node.get("const")
    enum = node.get("enum")
    bounded = expected == "number" or any(k in node for k in ("minimum", "exclusiveMinimum", "maximum"))

    def valid(value: Any) -> bool:
        if types is not None and type(value) not in types:
            return False
        if has_const and value != const:
            return False
        if enum is not None and value not in enum:
            return False
        return not (bounded and _bound_problem(value, node))

    return valid


def _compile_object(node: dict[str, Any]) -> Validator:
    props = {name: _compile(sub) for name, sub in node.get("properties", {}).items()}
    extra = node.get("additionalProperties", True)
    extra_valid = _compile(extra) if isinstance(extra, dict) else None
    names = node.get("propertyNames")
    pattern = re.compile(names.get("pattern", "")) if names else None

    def valid(value: Any) -> bool:
        if type(value) is not dict:
            return False
        for name, item in value.items():
            check = props.get(name)
            if check is None:
                if extra_valid is None or (pattern is not None and not pattern.match(name)):
                    return False
                check = extra_valid
            if not check(item):
                return False
        return True

    return valid


def _compile_array(node: dict[str, Any]) -> Validator:
    items = node.get("items", {})
    expected = items.get("type")
    types = _EXACT_TYPES.get(expected) if expected else None
    if expected and types is None:
        return lambda value: False
    pattern = re.compile(items["pattern"]) if items.get("pattern") else None
    enum = items.get("enum")

    def valid(value: Any) -> bool:
        if type(value) is not list:
            return False
        for item in value:
            if types is not None and type(item) not in types:
                return False
            if pattern is not None and isinstance(item, str) and not pattern.match(item):
                return False
            if enum is not None and item not in enum:
                return False
        return True

    return valid


# ---- version ---------------------------------------------------------------------------------


def _check_version(ctx: Context, values: dict[str, Any], complete: bool) -> bool:
    if "version" not in values:
        return True
    version = values["version"]
    if isinstance(version, int) and not isinstance(version, bool) and version in SUPPORTED_VERSIONS:
        return True
    if version == "1":
        return True  # AIS003 with a fix, reported by the type check
    ctx.report(
        "AIS007",
        f"version = {format_value(version)} is not a version this build knows (it reads "
        f"version {', '.join(map(str, SUPPORTED_VERSIONS))}); no other rule ran",
        ctx.value_range(("version",)),
        fixes=(ctx.replace_value(("version",), 1, "Set version = 1", safe=False),),
    )
    return False


# ---- required keys ---------------------------------------------------------------------------


def _check_required(ctx: Context, values: dict[str, Any]) -> None:
    if not values:
        _report_empty(ctx)
        return
    roots = list(schema()["properties"])
    if "version" not in values:
        ctx.report(
            "AIS006",
            "required key `version` is missing (this build reads version = 1)",
            ctx.document_start(),
            fixes=(
                None
                if _misspelled(values, "version", roots)
                else Fix(
                    "Insert version = 1", (ctx.insert_line(ctx.document_start().start, "version = 1"),), True
                ),
            ),
        )
    for table, key, placeholder, safe in (
        ("strategy", "approach", "undecided", True),
        ("task", "type", "other", False),
    ):
        section = values.get(table)
        if not isinstance(section, dict):
            if table in values:
                continue  # wrong type, reported by AIS003
            text = f'[{table}]\n{key} = "{placeholder}"\n'
            insert = Fix(f'Insert [{table}] with {key} = "{placeholder}"', (ctx.append_text(text),), safe)
            ctx.report(
                "AIS006",
                f"required table [{table}] with key `{key}` is missing",
                ctx.document_start(),
                fixes=(None if _misspelled(values, table, roots) else insert,),
            )
        elif key not in section:
            where = ctx.insertion_after_table((table,))
            fix = None
            known = list(table_schemas()[table].get("properties", {}))
            if where is not None and not _misspelled(section, key, known):
                fix = Fix(
                    f'Insert {key} = "{placeholder}"',
                    (ctx.insert_line(where, f'{key} = "{placeholder}"'),),
                    safe,
                )
            ctx.report(
                "AIS006",
                f"required key `{key}` is missing from [{table}]",
                ctx.table_range((table,)),
                fixes=(fix,),
            )


def _misspelled(section: dict[str, Any], name: str, known: list[str]) -> bool:
    """True when an unknown key of `section` has `name` as its safe rename.

    Its AIS002 rename (a safe fix) restores `name`; inserting `name` as well would give the file
    a duplicate key or table once both fixes are applied, as `check --fix` does. Only the first
    MAX_NAMES_SEARCHED unknown names are searched, as for AIS002 itself.
    """
    unknown = (k for k in section if k not in known)
    choices = tuple(known)
    return any(suggest(k, choices).safe == name for k in islice(unknown, MAX_NAMES_SEARCHED))


def misspelled_table(values: dict[str, Any], table: str) -> bool:
    """True when the file has an unknown table whose single close match is `table`."""
    return _misspelled(values, table, list(schema()["properties"]))


def _report_empty(ctx: Context) -> None:
    from ..template import starter_text

    end = ctx.document.lines.end()
    ctx.report(
        "AIS006",
        "file is empty: it needs at least version, [strategy] approach and [task] type",
        Range(ctx.document.lines.position(0), ctx.document.lines.position(0)),
        fixes=(
            Fix(
                "Write the ai-strategy init template",
                (Edit(Range(ctx.document.lines.position(0), end), starter_text()),),
                False,
            ),
        ),
    )


# ---- objects, types, values ----------------------------------------------------------------


def _check_object(
    ctx: Context, values: dict[str, Any], node: dict[str, Any], path: Path, complete: bool
) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    props: dict[str, Any] = node.get("properties", {})
    extra = node.get("additionalProperties", True)
    names = node.get("propertyNames")
    taken = tuple(values)
    for name, value in values.items():
        sub_path = (*path, name)
        if name in props:
            ok, cleaned = _check_value(ctx, value, props[name], sub_path, complete)
        elif isinstance(extra, dict):
            if names and not re.match(names.get("pattern", ""), name):
                ctx.report(
                    "AIS004",
                    f"`{'.'.join(sub_path)}`: {name!r} is not a rule code (like AIS105)",
                    ctx.key_range(sub_path),
                )
                continue
            ok, cleaned = _check_value(ctx, value, extra, sub_path, complete)
        else:
            _report_unknown(ctx, sub_path, value, list(props), taken=taken)
            continue
        if ok:
            clean[name] = cleaned
    return clean


def _report_unknown(
    ctx: Context, path: Path, value: Any, known: list[str], taken: tuple[str, ...] = ()
) -> None:
    """AIS002 for the key or table at `path`; `taken` are the names its table already has.

    A rename to a taken name would write a duplicate key or table: it is suggested, never fixed.
    """
    name = path[-1]
    where = ctx.key_range(path)
    is_table = isinstance(value, dict) and ctx.document.outline.table(path) is not None
    ctx.suggestions_searched += 1
    searched = ctx.suggestions_searched <= MAX_NAMES_SEARCHED
    at_root = not path[:-1]
    choices = tuple(schema()["properties"]) if at_root else tuple(known)
    suggestions = suggest(name, choices) if searched else Suggestions()
    if at_root:
        kind = "table" if is_table or isinstance(value, dict) else "key"
        message = f"unknown {kind} `{name}`"
        if is_table:
            header = ctx.document.outline.table(path)
            where = header.header_range if header else where
        homes = tables_with_key(name)
        says_home = movable = bool(homes) and not isinstance(value, dict)
    else:
        message = f"unknown key `{name}` in [{'.'.join(path[:-1])}]"
        homes = [t for t in tables_with_key(name) if (t,) != path[:-1]]
        says_home, movable = bool(homes), bool(homes) and len(path) == 2
        is_table = False  # a table's own name is renamed at the top level only
    fixes: list[Fix | None] = []
    if suggestions.ranked:
        message += ": did you mean " + " or ".join(f"`{s}`" for s in suggestions.ranked) + "?"
    if suggestions.ranked and suggestions.ranked[0] not in taken:
        # every candidate is a fix of its own, best first; only a clear winner is safe. When the
        # best is a name the table already has, this is a duplicate: no rename is offered
        fixes.extend(
            _rename(ctx, path, candidate, is_table, safe=candidate == suggestions.safe)
            for candidate in suggestions.ranked
            if candidate not in taken
        )
    if says_home:
        message += f"{'' if suggestions.ranked else ';'} `{name}` belongs in [{homes[0]}]"
    if movable:
        fixes.append(_move(ctx, path, homes[0]))
    ctx.report("AIS002", message, where, fixes=tuple(fixes))


def _rename(ctx: Context, path: Path, new_name: str, is_table: bool, safe: bool) -> Fix | None:
    if is_table:
        header = ctx.document.outline.table(path)
        if header is None:
            return None
        text = ctx.document.text
        lines = ctx.document.lines
        start = lines.offset(header.header_range.start)
        end = lines.offset(header.header_range.end)
        inner = text[start:end]
        old = path[-1]
        at = inner.find(old)
        if at < 0:
            return None
        first = lines.position(start + at)
        last = lines.position(start + at + len(old))
        return Fix(f"Rename [{old}] to [{new_name}]", ((Edit(Range(first, last), new_name)),), safe)
    entry = ctx.entry(path)
    if entry is None:
        return None
    key_text = ctx.document.text[
        ctx.document.lines.offset(entry.key_range.start) : ctx.document.lines.offset(entry.key_range.end)
    ]
    if "." in key_text or not _BARE_KEY.match(key_text):
        return None
    return Fix(f"Rename `{path[-1]}` to `{new_name}`", (Edit(entry.key_range, new_name),), safe)


def _move(ctx: Context, path: Path, table: str) -> Fix | None:
    entry = ctx.entry(path)
    if entry is None or entry.range.start.line != entry.range.end.line:
        return None
    lines = ctx.document.lines
    line_text = lines.line_text(entry.range.start.line)
    pair_text = line_text[entry.range.start.column : entry.range.end.column]
    if entry.range.start.column != len(line_text) - len(line_text.lstrip()):
        return None  # something else precedes the pair on its line
    name = path[-1]
    dotted = pair_text.split("=", 1)
    if len(dotted) != 2:
        return None
    moved = f"{name} ={dotted[1]}" if dotted[0].strip() != name else pair_text
    trailing = line_text[entry.range.end.column :]
    if trailing.strip():
        moved += trailing
    remove = Edit(ctx.line_span(entry.range.start.line, entry.range.start.line), "")
    target = ctx.insertion_after_table((table,))
    if target is not None:
        if target.line == entry.range.start.line + 1 and (table,) == path[:-1]:
            return None
        insert = ctx.insert_line(target, moved)
    else:
        insert = ctx.append_text(f"[{table}]\n{moved}\n")
    if insert.range.start == remove.range.end:
        # inserting right where the removal ends: make it one edit to keep edits disjoint
        return Fix(f"Move `{name}` to [{table}]", (Edit(remove.range, insert.new_text),), False)
    return Fix(f"Move `{name}` to [{table}]", (remove, insert), False)


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "float"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "table"
    return "date/time"


_TYPE_WORDS = {
    "string": "a string",
    "integer": "an integer",
    "number": "a number",
    "boolean": "a boolean (true or false)",
    "array": "an array",
    "object": "a table",
}
_VALUE_WORDS = {
    "boolean": "a boolean",
    "integer": "an integer",
    "float": "a float",
    "string": "a string",
    "array": "an array",
    "table": "a table",
    "date/time": "a date/time",
}


def _type_matches(value: Any, expected: str) -> bool:
    actual = _json_type(value)
    if expected == "number":
        return actual in ("integer", "float")
    if expected == "object":
        return actual == "table"
    return actual == expected


def _check_value(
    ctx: Context, value: Any, node: dict[str, Any], path: Path, complete: bool
) -> tuple[bool, Any]:
    expected = node.get("type")
    dotted = ".".join(path)
    if expected and not _type_matches(value, expected):
        if expected == "object":
            ctx.report(
                "AIS003",
                f"`{dotted}` must be a table, got {_VALUE_WORDS[_json_type(value)]} ({format_value(value)})",
                ctx.value_range(path),
            )
            return False, None
        conversion = _conversion(value, node)
        fix = None
        if conversion is not _NONE:
            fix = ctx.replace_value(path, conversion, f"Write {format_value(conversion)} instead", safe=True)
        ctx.report(
            "AIS003",
            f"`{dotted}` must be {_TYPE_WORDS.get(expected, expected)}, got "
            f"{_VALUE_WORDS[_json_type(value)]} ({format_value(value)})",
            ctx.value_range(path),
            fixes=(fix,),
        )
        return False, None
    if expected == "object":
        return True, _check_object(ctx, value, node, path, complete)
    if expected == "array":
        items = node.get("items", {})
        kept = [item for index, item in enumerate(value) if _check_item(ctx, item, items, path, index)]
        return True, kept
    if "const" in node and value != node["const"]:
        return False, None  # only `version`; handled by _check_version
    if "enum" in node and value not in node["enum"]:
        _report_enum(ctx, value, node, path)
        return False, None
    bound = _bound_problem(value, node)
    if bound:
        ctx.report(
            "AIS005",
            f"`{dotted}` = {format_value(value)} is out of range: {bound}",
            ctx.value_range(path),
        )
        return False, None
    return True, value


def _check_item(ctx: Context, item: Any, node: dict[str, Any], path: Path, index: int) -> bool:
    expected = node.get("type")
    dotted = ".".join(path)
    if expected and not _type_matches(item, expected):
        ctx.report(
            "AIS003",
            f"items of `{dotted}` must be {_TYPE_WORDS.get(expected, expected)}s, got "
            f"{_VALUE_WORDS[_json_type(item)]} ({format_value(item)})",
            ctx.item_range(path, index),
        )
        return False
    pattern = node.get("pattern")
    if pattern and isinstance(item, str) and not re.match(pattern, item):
        ctx.report(
            "AIS004",
            f"`{dotted}`: {format_value(item)} is not a rule code or prefix (like AIS105 or AIS1)",
            ctx.item_range(path, index),
        )
        return False
    allowed = node.get("enum")
    if allowed is not None and item not in allowed:
        ctx.report(
            "AIS004",
            f"`{dotted}`: {format_value(item)} is not allowed. Allowed: "
            + ", ".join(format_value(a) for a in allowed),
            ctx.item_range(path, index),
        )
        return False
    return True


def _report_enum(ctx: Context, value: Any, node: dict[str, Any], path: Path) -> None:
    allowed: list[str] = node["enum"]
    dotted = ".".join(path)
    suggestions = suggest(value, tuple(allowed)) if isinstance(value, str) else Suggestions()
    message = f"`{dotted}` = {format_value(value)} is not allowed"
    if suggestions.ranked:
        message += ": did you mean " + " or ".join(f'"{s}"' for s in suggestions.ranked) + "?"
    message += " Allowed: " + ", ".join(f'"{a}"' for a in allowed)
    fixes = tuple(
        ctx.replace_value(path, s, f'Replace with "{s}"', safe=s == suggestions.safe)
        for s in suggestions.ranked
    )
    ctx.report("AIS004", message, ctx.value_range(path), fixes=fixes)


def _bound_problem(value: Any, node: dict[str, Any]) -> str:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return ""
    if isinstance(value, float) and not math.isfinite(value):  # nan compares false to any bound
        return "it must be a finite number (TOML's nan and inf describe no real quantity)"
    if "minimum" in node and value < node["minimum"]:
        return f"it must be >= {node['minimum']}"
    if "exclusiveMinimum" in node and value <= node["exclusiveMinimum"]:
        return f"it must be > {node['exclusiveMinimum']}"
    if "maximum" in node and value > node["maximum"]:
        return f"it must be <= {node['maximum']}"
    return ""


_NONE = object()


def _conversion(value: Any, node: dict[str, Any]) -> Any:
    """The obviously intended value of the expected type, or _NONE."""
    expected = node.get("type")
    if isinstance(value, str):
        text = value.strip().replace("_", "")
        if expected == "integer" and re.fullmatch(r"[+-]?\d+", text):
            return int(text)
        if expected == "number" and re.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?", text):
            number = float(text)
            return (
                int(number) if number.is_integer() and "." not in text and "e" not in text.lower() else number
            )
        if expected == "boolean" and text.lower() in ("true", "false"):
            return text.lower() == "true"
        if expected == "array" and node.get("items", {}).get("type") == "string":
            return [value]
    if isinstance(value, float) and expected == "integer" and value.is_integer():
        return int(value)
    is_number = isinstance(value, (int, float)) and not isinstance(value, bool)
    if is_number and expected == "string" and "enum" not in node:
        return str(value)
    return _NONE
