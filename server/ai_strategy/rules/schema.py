"""Schema rules AIS002-AIS007, found in one walk over the values driven by the shipped JSON Schema
(`schema_file.py`; no pydantic at run time). Each rule is declared next to the code that reports it."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from functools import cache
from itertools import islice
from typing import Any

from ..findings import Edit, Fix, Range
from ..schema_file import schema, table_schemas, tables_with_key
from ..toml_value import toml_value
from .context import Context, Path
from .registry import Rule, declare

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


declare(
    Rule.documented(
        "AIS007",
        "unsupported-version",
        "error",
        """
        `version` is not a version this build knows.

        What it does: This build reads format version 1. On any other version no other rule
        runs.

        Why: Keys and meanings may differ between versions; checking a file against the wrong
        version would report nonsense.

        How to fix: Set `version = 1` (an unsafe fix does: the file may mean something else), or
        upgrade.
        """,
        example="version = 2\n",
        fixable="unsafe",
    )
)


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
        f"version = {toml_value(version)} is not a version this build knows (it reads "
        f"version {', '.join(map(str, SUPPORTED_VERSIONS))}); no other rule ran",
        ctx.value_range(("version",)),
        fixes=(ctx.replace_value(("version",), 1, "Set version = 1", safe=False),),
    )
    return False


# ---- required keys ---------------------------------------------------------------------------


declare(
    Rule.documented(
        "AIS006",
        "missing-required",
        "error",
        """
        A required key or table is missing.

        What it does: `version`, `[strategy].approach` and `[task].type` are required; an empty
        file is reported once.

        Why: Without the approach and the task there is nothing to check the constraints
        against.

        How to fix: Insert the key (a fix does: `version = 1` and `approach = "undecided"`
        safely, `type = "other"` as an unsafe placeholder). On an empty file, an unsafe fix
        writes the `ai-strategy init` template.
        """,
        example='[strategy]\nbase_model = "gpt-4o-mini"   # approach is missing\n',
        fixable="safe or unsafe",
    )
)


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
            text = f"[{table}]\n{key} = {toml_value(placeholder)}\n"
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
                    (ctx.insert_line(where, f"{key} = {toml_value(placeholder)}"),),
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
    from ..suggestions import suggest  # here: only a file with an unknown name needs it

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


declare(
    Rule.documented(
        "AIS002",
        "unknown-key",
        "error",
        """
        A key or table is not part of format version 1.

        What it does: Flags every key and table the schema does not define, with the closest
        known names and, when the key exists in another table, the table it belongs in.

        Why: The key set of a version is frozen, so an unknown key is always a mistake: usually
        a typo or a key in the wrong table, which means the value you meant to declare is
        silently ignored.

        How to fix: Rename the key to a suggested one or move it to the table it belongs in (an
        unsafe fix). Suggestions are ranked by edits (a swap of two letters is one); the best is
        a safe fix when it is clearly ahead (at least two edits closer than the next), and every
        candidate is offered as its own quick fix in the editor, best first.
        """,
        example="[requirements]\nlatency_ms = 800        # did you mean latency_p95_ms?\n",
        fixable="safe or unsafe",
    )
)


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
    from ..suggestions import Suggestions, suggest

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


_KINDS: tuple[tuple[type, str], ...] = (
    (bool, "boolean"),  # before int: a bool is an int in Python
    (int, "integer"),
    (float, "float"),
    (str, "string"),
    (list, "array"),
    (dict, "table"),
)


def _json_type(value: Any) -> str:
    """The TOML type of a value read by tomli, as the schema names it ("date/time" for the rest)."""
    return next((kind for python_type, kind in _KINDS if isinstance(value, python_type)), "date/time")


_KIND_WORDS = {
    "string": ("a string", "strings"),
    "integer": ("an integer", "integers"),
    "number": ("a number", "numbers"),
    "float": ("a float", "floats"),
    "boolean": ("a boolean", "booleans"),
    "array": ("an array", "arrays"),
    "object": ("a table", "tables"),
    "table": ("a table", "tables"),
    "date/time": ("a date/time", "dates/times"),
}
"""A schema type or a value's type in words: (one, several)."""


def _expected(kind: str, plural: bool = False) -> str:
    """What the schema expects, as a message says it ("a boolean (true or false)", "strings")."""
    one, several = _KIND_WORDS.get(kind, (kind, kind))
    words = several if plural else one
    return words + " (true or false)" if kind == "boolean" else words


def _got(value: Any) -> str:
    """What the file holds instead: "an integer (800)"."""
    return f"{_KIND_WORDS[_json_type(value)][0]} ({toml_value(value)})"


def _type_matches(value: Any, expected: str) -> bool:
    actual = _json_type(value)
    if expected == "number":
        return actual in ("integer", "float")
    if expected == "object":
        return actual == "table"
    return actual == expected


declare(
    Rule.documented(
        "AIS003",
        "wrong-type",
        "error",
        """
        A value has the wrong TOML type.

        What it does: Compares each value's TOML type with the schema (string, integer, number,
        boolean, array, table).

        Why: A value of the wrong type cannot be scored or checked; a quoted number is the most
        common cause.

        How to fix: Write the value with the right type; where the conversion is obvious
        (`"800"` to `800`, `"true"` to `true`, `version = "1"` to `1`) a safe fix does it.
        """,
        example='[requirements]\nlatency_p95_ms = "800"  # should be 800\n',
        fixable="safe",
    )
)


def _check_value(
    ctx: Context, value: Any, node: dict[str, Any], path: Path, complete: bool
) -> tuple[bool, Any]:
    expected = node.get("type")
    dotted = ".".join(path)
    if expected and not _type_matches(value, expected):
        if expected == "object":
            ctx.report(
                "AIS003",
                f"`{dotted}` must be a table, got {_got(value)}",
                ctx.value_range(path),
            )
            return False, None
        conversion = _conversion(value, node)
        fix = None
        if conversion is not _NONE:
            fix = ctx.replace_value(path, conversion, f"Write {toml_value(conversion)} instead", safe=True)
        ctx.report(
            "AIS003",
            f"`{dotted}` must be {_expected(expected)}, got {_got(value)}",
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
            f"`{dotted}` = {toml_value(value)} is out of range: {bound}",
            ctx.value_range(path),
        )
        return False, None
    return True, value


def _check_item(ctx: Context, item: Any, node: dict[str, Any], path: Path, index: int) -> bool:
    """Report the problem of array item `index` at `path` (AIS003 or AIS004); True when it has none."""
    problem = _item_problem(item, node, ".".join(path))
    if problem is not None:
        ctx.report(problem[0], problem[1], ctx.item_range(path, index))
    return problem is None


def _item_problem(item: Any, node: dict[str, Any], dotted: str) -> tuple[str, str] | None:
    """(code, message) for an array item the schema `node` refuses, or None."""
    expected = node.get("type")
    if expected and not _type_matches(item, expected):
        return "AIS003", f"items of `{dotted}` must be {_expected(expected, plural=True)}, got {_got(item)}"
    pattern = node.get("pattern")
    if pattern and isinstance(item, str) and not re.match(pattern, item):
        return "AIS004", f"`{dotted}`: {toml_value(item)} is not a rule code or prefix (like AIS105 or AIS1)"
    allowed = node.get("enum")
    if allowed is not None and item not in allowed:
        listed = ", ".join(toml_value(a) for a in allowed)
        return "AIS004", f"`{dotted}`: {toml_value(item)} is not allowed. Allowed: {listed}"
    return None


declare(
    Rule.documented(
        "AIS004",
        "invalid-value",
        "error",
        """
        A value is not one of the allowed ones.

        What it does: Checks enumerated keys against their allowed values and lists them, with a
        ranked did-you-mean.

        Why: An unknown value is ignored by the recommendation and by every rule that reads the
        key.

        How to fix: Use one of the listed values. The suggestions are ranked as for AIS002: the
        best is a safe fix when it is clearly ahead, the others (and a best that is not) are
        unsafe fixes.
        """,
        example='[strategy]\napproach = "finetuning"  # did you mean "fine-tuning"?\n',
        fixable="safe or unsafe",
    )
)


def _report_enum(ctx: Context, value: Any, node: dict[str, Any], path: Path) -> None:
    from ..suggestions import Suggestions, suggest

    allowed: list[str] = node["enum"]
    dotted = ".".join(path)
    suggestions = suggest(value, tuple(allowed)) if isinstance(value, str) else Suggestions()
    message = f"`{dotted}` = {toml_value(value)} is not allowed"
    if suggestions.ranked:
        message += ": did you mean " + " or ".join(f'"{s}"' for s in suggestions.ranked) + "?"
    message += " Allowed: " + ", ".join(f'"{a}"' for a in allowed)
    fixes = tuple(
        ctx.replace_value(path, s, f'Replace with "{s}"', safe=s == suggestions.safe)
        for s in suggestions.ranked
    )
    ctx.report("AIS004", message, ctx.value_range(path), fixes=fixes)


declare(
    Rule.documented(
        "AIS005",
        "out-of-range",
        "error",
        """
        A number is outside its bounds.

        What it does: Counts, budgets and gpu_memory_gb must be >= 0; latency_p95_ms,
        chunk_size_tokens, top_k and epochs >= 1; learning_rate > 0. Every number must be
        finite: TOML's nan, inf and -inf are out of range wherever a number is expected.

        Why: Such a value cannot describe a real system, so every conclusion drawn from it is
        wrong.

        How to fix: Declare a value within the bounds shown in the message.
        """,
        example="[rag]\ntop_k = 0\n",
    )
)


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
