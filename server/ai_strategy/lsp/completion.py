"""Completion: table headers, keys, enum values, booleans and rule codes, each documented.

The context comes from the text of the current line up to the cursor, so completion works on a
half-typed line that does not parse; the current table is the last `[header]` above the cursor.
Snippets are used only when the client declares snippet support.

A list's items are the same on every request but for the range they replace: each list is built
once per (key or table, quotes, client formats) as `Fixed` items, and a request adds the edits.
A client that resolves `documentation` lazily (VS Code) gets the lists without the long
documentation of keys, tables and rules, and `completionItem/resolve` adds it to the item shown.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING, Any, NamedTuple

from lsprotocol import types

from .documents import Analysis, OpenDocument
from .features import Answer, Feature, Wire

if TYPE_CHECKING:
    from ..document import Document, Entry, LineIndex, Outline
    from ..findings import Position
    from .session import Session

_HEADER = re.compile(r"^\s*\[\[?\s*([A-Za-z0-9_.-]*)$")
_HEADER_LINE = re.compile(r"^\s*\[\[?\s*([A-Za-z0-9_.\-\"' ]+?)\s*\]")
_SUPPRESSION = re.compile(r"#\s*ai-strategy:\s*ignore\[([^\]]*)$")
_ASSIGNMENT = re.compile(r"^\s*([A-Za-z0-9_.-]+)\s*=\s*(.*)$")
_KEY = re.compile(r"^\s*([A-Za-z0-9_-]*)$")
LINT_CODE_LISTS = (("lint", "ignore"), ("lint", "select"))
"""The `[lint]` keys that hold rule codes: completion offers codes in them, hover explains them."""
SEVERITY_NAMES = ("error", "warning", "info")

Fixed = tuple[tuple[str, str, Wire], ...]
"""A list's items without their edits: (the name it is filtered by, the text it inserts, the item)."""


class Docs(NamedTuple):
    """How a client reads completion documentation: markdown or plain text, now or on resolve."""

    markdown: bool
    lazy: bool


def _item(
    docs: Docs,
    label: str,
    kind: types.CompletionItemKind,
    *,
    detail: str | None = None,
    documentation: str | None = None,
    about: tuple[str, str] | None = None,
    filter_text: str | None = None,
    sort_text: str | None = None,
    insert_text_format: types.InsertTextFormat | None = None,
) -> Wire:
    """A CompletionItem as JSON, without its edit. `documentation` is markdown (plain text for a
    client that does not read it); when `about` names what it documents (("key", "task.type"),
    ("table", "rag"), ("rule", "AIS101")) a lazy client gets that as `data` and resolves it."""
    item: Wire = {"label": label, "kind": int(kind)}
    if detail is not None:
        item["detail"] = detail
    if about is not None and docs.lazy:
        item["data"] = list(about)
    elif documentation is not None:
        item["documentation"] = _documentation(documentation, docs.markdown)
    if filter_text is not None:
        item["filterText"] = filter_text
    if sort_text is not None:
        item["sortText"] = sort_text
    if insert_text_format is not None:
        item["insertTextFormat"] = int(insert_text_format)
    return item


def _documentation(markdown_text: str, markdown: bool) -> Wire:
    if markdown:
        return {"kind": "markdown", "value": markdown_text}
    from .describe import plain_text

    return {"kind": "plaintext", "value": plain_text(markdown_text)}


def client_docs(session: Session) -> Docs:
    """How the session's client reads completion documentation (its capabilities)."""
    caps = session.capabilities.text_document
    item_caps = caps.completion.completion_item if caps and caps.completion else None
    formats = item_caps.documentation_format if item_caps else None
    resolvable = item_caps.resolve_support.properties if item_caps and item_caps.resolve_support else ()
    return Docs(not formats or types.MarkupKind.Markdown in formats, "documentation" in resolvable)


class Completer:
    """Builds completion items for one request."""

    def __init__(self, session: Session, analysis: Analysis, position: Position) -> None:
        self.session = session
        self.analysis = analysis
        self.position = position
        caps = session.capabilities.text_document
        item_caps = caps.completion.completion_item if caps and caps.completion else None
        self.snippets = bool(item_caps and item_caps.snippet_support)
        self.docs = client_docs(session)
        self._spans: dict[tuple[int, int], Wire] = {}

    def items(
        self, fixed: Fixed, start_column: int, end_column: int, skip: frozenset[str] = frozenset()
    ) -> list[Wire]:
        """The `fixed` items (but those named in `skip`), each replacing columns [start, end)."""
        return [
            {**item, "textEdit": self.edit(start_column, end_column, text)}
            for name, text, item in fixed
            if name not in skip
        ]

    def edit(self, start_column: int, end_column: int, text: str) -> Wire:
        """A TextEdit (JSON) replacing columns [start, end) of the cursor's line by `text`."""
        span = self._spans.get((start_column, end_column))
        if span is None:  # every item of a list usually replaces the same columns
            from ..findings import Position, Range

            line = self.position.line
            where = Range(Position(line, start_column), Position(line, end_column))
            span = self._spans[start_column, end_column] = self.analysis.positions.range_json(where)
        return {"range": span, "newText": text}


def current_table(lines: LineIndex, line: int) -> tuple[str, ...]:
    """The table the line belongs to: the last header above it (() before the first)."""
    for number in range(line - 1, -1, -1):
        match = _HEADER_LINE.match(lines.line_text(number))
        if match:
            return tuple(p.strip().strip("\"'") for p in match.group(1).split("."))
    return ()


def complete(session: Session, doc: OpenDocument, analysis: Analysis, position: types.Position) -> Wire:
    """The CompletionList (as JSON) at a client position."""
    document = analysis.report.document
    if document is None:
        return {"isIncomplete": False, "items": []}
    where = analysis.positions.from_client(position)
    completer = Completer(session, analysis, where)
    line = document.lines.line_text(where.line)
    before, after = line[: where.column], line[where.column :]
    items = _items(completer, document, document.lines, before, after)
    return {"isIncomplete": False, "items": items}


def _items(c: Completer, document: Document, lines: LineIndex, before: str, after: str) -> list[Wire]:
    """The items for the text before and after the cursor on its line (the context decides)."""
    outline = document.outline
    column = c.position.column
    match = _SUPPRESSION.search(before)
    if match:
        listed = {p.strip() for p in match.group(1).split(",")}
        partial = re.search(r"[A-Za-z0-9]*$", before)
        start = column - len(partial.group(0)) if partial else column
        return _codes(c, listed, start, quote="")
    if "#" in _strip_strings(before):
        return []
    table = current_table(lines, c.position.line)
    for code_list in LINT_CODE_LISTS:  # inside a multi-line `ignore = [...]`: rule codes
        entry = outline.entry(code_list)
        value = entry.value_range if entry is not None else None
        if (
            entry is not None
            and value is not None
            and value.start < c.position < value.end
            and value.start.line != value.end.line
        ):
            return _code_in_list(c, before, entry, document)
    match = _HEADER.match(before)
    if match:
        return _table_headers(c, {".".join(t.path) for t in outline.tables}, match.group(1), before, after)
    match = _ASSIGNMENT.match(before)
    if match:
        return _assignment(c, table + tuple(match.group(1).split(".")), match.group(2), before, after)
    match = _KEY.match(before)
    if match:
        start = column - len(match.group(1))
        end = column + len(re.match(r"[A-Za-z0-9_-]*", after).group(0))  # type: ignore[union-attr]
        return _keys(c, outline, table, start, end, after)
    return []


def _table_headers(c: Completer, present: set[str], typed: str, before: str, after: str) -> list[Wire]:
    """The tables not yet in the file, after `[` (or `[[`)."""
    column = c.position.column
    closing = "]]" if before.lstrip().startswith("[[") else "]"
    if after.lstrip().startswith("]"):
        closing = ""
    return c.items(_header_items(closing, c.docs), column - len(typed), column, frozenset(present))


@lru_cache(maxsize=16)
def _header_items(closing: str, docs: Docs) -> Fixed:
    from ..schema_file import table_schemas
    from .describe import table_summary

    return tuple(
        (
            name,
            name + closing,
            _item(
                docs,
                name,
                types.CompletionItemKind.Module,
                detail=schema.get("description", ""),
                documentation=table_summary(name),
                about=("table", name),
            ),
        )
        for name, schema in table_schemas().items()
    )


def _assignment(c: Completer, path: tuple[str, ...], rest: str, before: str, after: str) -> list[Wire]:
    """After `key = `: rule codes in [lint] lists and severities, else the key's values."""
    column = c.position.column
    if path in LINT_CODE_LISTS and rest.lstrip().startswith("["):
        listed = set(re.findall(r"[\"']([^\"']*)[\"']", rest))
        partial = re.search(r"([\"']?)([A-Za-z0-9]*)$", rest)
        quote = partial.group(1) if partial else ""
        start = column - (len(partial.group(0)) if partial else 0)
        return _codes(c, listed, start, quote='"', typed_quote=quote, after=after)
    if path == ("lint", "severity") and rest.lstrip().startswith("{"):
        inner = re.search(r"([A-Za-z0-9]+)\s*=\s*([\"']?)([a-z]*)$", rest)
        if inner:
            start = column - len(inner.group(2)) - len(inner.group(3))
            names = tuple((s, f"Report it as {s}.") for s in SEVERITY_NAMES)
            return _values(c, names, start, after, inner.group(2))
        partial = re.search(r"[A-Za-z0-9]*$", rest)
        start = column - (len(partial.group(0)) if partial else 0)
        return _codes(c, set(), start, quote="", suffix=' = "')
    typed = re.fullmatch(r"([\"']?)([A-Za-z0-9_-]*)", rest)
    if typed is None:
        return []
    space = " " if not before.endswith((" ", "\t")) and not rest else ""
    return _key_values(c, path, typed.group(1), column - len(rest), space, after)


def _key_values(
    c: Completer, path: tuple[str, ...], quote: str, start: int, space: str, after: str
) -> list[Wire]:
    """A key's allowed values, true/false, or its default and examples."""
    from ..schema_file import key_schema

    node = key_schema(path)
    if node is None:
        return []
    column = c.position.column
    if node.get("enum"):
        return c.items(_enum_items(path, quote, space, c.docs), start, column + _closing_quote(after, quote))
    if node.get("type") == "boolean" and not quote:
        return c.items(_boolean_items(path, space, c.docs), start, column)
    return c.items(_suggested_items(path, quote, space, c.docs), start, column + _closing_quote(after, quote))


@lru_cache(maxsize=512)
def _enum_items(path: tuple[str, ...], quote: str, space: str, docs: Docs) -> Fixed:
    from ..schema_file import key_schema
    from .describe import enum_values

    return _value_items(tuple(enum_values(key_schema(path) or {})), quote, space, docs, ".".join(path))


@lru_cache(maxsize=256)
def _boolean_items(path: tuple[str, ...], space: str, docs: Docs) -> Fixed:
    from .describe import key_summary

    summary = key_summary(path)
    about = ("key", ".".join(path))
    kind = types.CompletionItemKind.Value
    return tuple(
        (word, space + word, _item(docs, word, kind, documentation=summary, about=about))
        for word in ("true", "false")
    )


@lru_cache(maxsize=512)
def _suggested_items(path: tuple[str, ...], quote: str, space: str, docs: Docs) -> Fixed:
    """The key's default and examples (three at most) that start with the quote typed, if any."""
    from ..schema_file import key_schema
    from ..toml_value import toml_value
    from .describe import key_summary

    node = key_schema(path) or {}
    suggestions = []
    if "default" in node:
        suggestions.append(node["default"])
    suggestions += [e for e in node.get("examples") or [] if e not in suggestions]
    items = []
    for suggestion in suggestions[:3]:
        literal = toml_value(suggestion)
        if quote and not literal.startswith(quote):
            continue
        detail = "default" if suggestion == node.get("default") else "example"
        item = _item(
            docs,
            literal,
            types.CompletionItemKind.Value,
            detail=detail,
            documentation=key_summary(path),
            about=("key", ".".join(path)),
        )
        items.append((literal, space + literal, item))
    return tuple(items)


def _strip_strings(text: str) -> str:
    return re.sub(r"\"(?:[^\"\\]|\\.)*\"?|'[^']*'?", "", text)


def _closing_quote(after: str, quote: str) -> int:
    return 1 if quote and after.startswith(quote) else 0


def _values(
    c: Completer,
    values: tuple[tuple[str, str], ...],
    start: int,
    after: str,
    quote: str,
) -> list[Wire]:
    """`values` (each with its explanation) as quoted strings."""
    end = c.position.column + _closing_quote(after, quote)
    return c.items(_value_items(values, quote, "", c.docs), start, end)


@lru_cache(maxsize=512)
def _value_items(
    values: tuple[tuple[str, str], ...], quote: str, space: str, docs: Docs, key: str | None = None
) -> Fixed:
    """`values` as quoted strings; with the `key` they are values of, their documentation can be resolved."""
    items = []
    for rank, (value, explanation) in enumerate(values):
        literal = f'"{value}"' if quote != "'" else f"'{value}'"
        item = _item(
            docs,
            value,
            types.CompletionItemKind.EnumMember,
            detail=explanation,
            documentation=_value_documentation(literal, explanation),
            about=None if key is None else ("value", f"{key}={value}"),
            filter_text=literal,
            sort_text=f"{rank:03d}",
        )
        items.append((value, space + literal, item))
    return tuple(items)


def _codes(
    c: Completer,
    listed: set[str],
    start: int,
    quote: str,
    typed_quote: str = "",
    after: str = "",
    suffix: str = "",
) -> list[Wire]:
    """The rule codes not yet `listed`."""
    end = c.position.column + _closing_quote(after, typed_quote)
    fixed = _code_items(quote, suffix, c.session.settings.docs_base_url, c.docs)
    return c.items(fixed, start, end, frozenset(listed))


@lru_cache(maxsize=32)
def _code_items(quote: str, suffix: str, docs_base_url: str, docs: Docs) -> Fixed:
    from ..rules import RULES
    from .describe import rule_summary

    items = []
    for rule in RULES:
        text = f"{quote}{rule.code}{quote}{suffix}"
        item = _item(
            docs,
            rule.code,
            types.CompletionItemKind.Constant,
            detail=f"{rule.name}: {rule.summary}",
            documentation=rule_summary(rule.code, docs_base_url),
            about=("rule", rule.code),
            filter_text=text if quote else rule.code,
        )
        items.append((rule.code, text, item))
    return tuple(items)


def _code_in_list(c: Completer, before: str, entry: Entry, document: Document) -> list[Wire]:
    lines = document.lines
    assert entry.value_range is not None
    body = document.text[lines.offset(entry.value_range.start) : lines.offset(entry.value_range.end)]
    listed = set(re.findall(r"[\"']([^\"']*)[\"']", body))
    partial = re.search(r"([\"']?)([A-Za-z0-9]*)$", before)
    typed = partial.group(1) if partial else ""
    start = c.position.column - (len(partial.group(0)) if partial else 0)
    line = lines.line_text(c.position.line)
    return _codes(c, listed, start, quote='"', typed_quote=typed, after=line[c.position.column :])


def _keys(
    c: Completer,
    outline: Outline,
    table: tuple[str, ...],
    start: int,
    end: int,
    after: str,
) -> list[Wire]:
    """The keys of `table` not yet in it (the key on the cursor's line does not count)."""
    line = c.position.line
    depth = len(table)
    present = frozenset(
        e.path[depth]
        for e in outline.entries
        if len(e.path) > depth and e.path[:depth] == table and e.key_range.start.line != line
    )
    has_value = after.lstrip().startswith("=")
    return c.items(_key_items(table, has_value, c.snippets, c.docs), start, end, present)


@lru_cache(maxsize=256)
def _key_items(table: tuple[str, ...], has_value: bool, snippets: bool, docs: Docs) -> Fixed:
    from ..schema_file import key_schema, schema, type_name
    from .describe import key_summary

    node = key_schema(table) if table else None
    if table and node is None:
        return ()
    props = (node or {}).get("properties") or {}
    if not table:
        props = {k: v for k, v in schema()["properties"].items() if v.get("type") != "object"}
    items = []
    for name, sub in props.items():
        snippet = snippets and not has_value
        text = name if has_value else f"{name} = "
        if snippet:
            text = name + " = " + _snippet(sub)
        item = _item(
            docs,
            name,
            types.CompletionItemKind.Property,
            detail=f"{type_name(sub)}: {sub.get('description', '')}",
            documentation=key_summary((*table, name)),
            about=("key", ".".join((*table, name))),
            insert_text_format=types.InsertTextFormat.Snippet if snippet else None,
        )
        items.append((name, text, item))
    return tuple(items)


def _snippet(node: dict[str, Any]) -> str:
    from ..toml_value import toml_value
    from .describe import enum_values

    values = [v for v, _ in enum_values(node)]
    if values:
        return '"${1|' + ",".join(values) + '|}"'
    kind = node.get("type")
    if kind == "boolean":
        return "${1|true,false|}"
    if kind == "string":
        return '"$1"'
    if kind == "array":
        return "[$1]"
    example = (node.get("examples") or [None])[0]
    if example is not None and not isinstance(example, (dict, list)):
        return "${1:" + toml_value(example) + "}"
    return "$1"


def completion(session: Session, params: types.CompletionParams) -> Answer:
    """`textDocument/completion` on the analysis of the document's current text."""
    found = yield from session.analysed(params.text_document.uri)
    if found is None:
        return None
    return complete(session, found[0], found[1], params.position)


def _value_documentation(literal: str, explanation: str) -> str:
    return f"`{literal}`: {explanation}"


def documentation_about(about: Any, docs_base_url: str) -> str | None:
    """The markdown documentation an item's `data` names (see `_item`); None for anything else:
    `data` comes back from the client, so it is checked, never trusted."""
    if not (isinstance(about, list) and len(about) == 2 and all(isinstance(x, str) for x in about)):
        return None
    from ..rules import RULES_BY_CODE
    from ..schema_file import key_schema, table_schemas
    from .describe import key_summary, rule_summary, table_summary

    kind, name = about
    if kind == "value":
        from .describe import enum_values

        key, _, value = name.partition("=")
        explained = dict(enum_values(key_schema(tuple(key.split("."))) or {}))
        return _value_documentation(f'"{value}"', explained[value]) if value in explained else None
    if kind == "key" and key_schema(tuple(name.split("."))) is not None:
        return key_summary(tuple(name.split(".")))
    if kind == "table" and name in table_schemas():
        return table_summary(name)
    if kind == "rule" and name in RULES_BY_CODE:
        return rule_summary(name, docs_base_url)
    return None


def resolve(session: Session, item: types.CompletionItem) -> types.CompletionItem:
    """`completionItem/resolve`: the documentation a lazy client was sent without (VS Code asks
    for the item it shows); any other item comes back as it was."""
    text = documentation_about(item.data, session.settings.docs_base_url)
    if text is not None and item.documentation is None:
        if client_docs(session).markdown:
            item.documentation = types.MarkupContent(types.MarkupKind.Markdown, text)
        else:
            from .describe import plain_text

            item.documentation = types.MarkupContent(types.MarkupKind.PlainText, plain_text(text))
    return item


FEATURES = (
    Feature(
        types.TEXT_DOCUMENT_COMPLETION,
        completion,
        types.CompletionOptions(trigger_characters=["[", "=", '"', ",", " "], resolve_provider=True),
    ),
    Feature(types.COMPLETION_ITEM_RESOLVE, resolve),
)
