"""Completion: table headers, keys, enum values, booleans and rule codes, each documented.

The context comes from the text of the current line up to the cursor, so completion works on a
half-typed line that does not parse; the current table is the last `[header]` above the cursor.
Snippets are used only when the client declares snippet support.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from lsprotocol import types

from .documents import Analysis, OpenDocument
from .features import Answer, Feature, Wire

if TYPE_CHECKING:
    from ..document import LineIndex
    from ..findings import Position
    from .session import Session

_HEADER = re.compile(r"^\s*\[\[?\s*([A-Za-z0-9_.-]*)$")
_HEADER_LINE = re.compile(r"^\s*\[\[?\s*([A-Za-z0-9_.\-\"' ]+?)\s*\]")
_SUPPRESSION = re.compile(r"#\s*ai-strategy:\s*ignore\[([^\]]*)$")
_ASSIGNMENT = re.compile(r"^\s*([A-Za-z0-9_.-]+)\s*=\s*(.*)$")
_KEY = re.compile(r"^\s*([A-Za-z0-9_-]*)$")
_CODE_LISTS = (("lint", "ignore"), ("lint", "select"))
SEVERITY_NAMES = ("error", "warning", "info")

class Completer:
    """Builds completion items for one request."""

    def __init__(self, session: Session, analysis: Analysis, position: Position) -> None:
        self.session = session
        self.analysis = analysis
        self.position = position
        caps = session.capabilities.text_document
        item_caps = caps.completion.completion_item if caps and caps.completion else None
        self.snippets = bool(item_caps and item_caps.snippet_support)
        formats = item_caps.documentation_format if item_caps else None
        self.markdown = not formats or types.MarkupKind.Markdown in formats
        self._spans: dict[tuple[int, int], Wire] = {}

    def item(
        self,
        label: str,
        kind: types.CompletionItemKind,
        text_edit: Wire,
        *,
        detail: str | None = None,
        documentation: str | None = None,
        filter_text: str | None = None,
        sort_text: str | None = None,
        insert_text_format: types.InsertTextFormat | None = None,
    ) -> Wire:
        """A CompletionItem as JSON; `documentation` is markdown, sent as the client reads it."""
        item: Wire = {"label": label, "kind": int(kind)}
        if detail is not None:
            item["detail"] = detail
        if documentation is not None:
            from .describe import plain_text

            if self.markdown:
                item["documentation"] = {"kind": "markdown", "value": documentation}
            else:
                item["documentation"] = {"kind": "plaintext", "value": plain_text(documentation)}
        if filter_text is not None:
            item["filterText"] = filter_text
        if sort_text is not None:
            item["sortText"] = sort_text
        if insert_text_format is not None:
            item["insertTextFormat"] = int(insert_text_format)
        item["textEdit"] = text_edit
        return item

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


def _items(c: Completer, document: object, lines: LineIndex, before: str, after: str) -> list[Wire]:
    """The items for the text before and after the cursor on its line (the context decides)."""
    from ..document import Document

    assert isinstance(document, Document)
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
    for code_list in _CODE_LISTS:  # inside a multi-line `ignore = [...]`: rule codes
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
    from ..schema_file import table_schemas
    from .describe import table_summary

    column = c.position.column
    start = column - len(typed)
    closing = "]]" if before.lstrip().startswith("[[") else "]"
    if after.lstrip().startswith("]"):
        closing = ""
    return [
        c.item(
            label=name,
            kind=types.CompletionItemKind.Module,
            detail=schema.get("description", ""),
            documentation=table_summary(name),
            text_edit=c.edit(start, column, name + closing),
        )
        for name, schema in table_schemas().items()
        if name not in present
    ]


def _assignment(c: Completer, path: tuple[str, ...], rest: str, before: str, after: str) -> list[Wire]:
    """After `key = `: rule codes in [lint] lists and severities, else the key's values."""
    column = c.position.column
    if path in _CODE_LISTS and rest.lstrip().startswith("["):
        listed = set(re.findall(r"[\"']([^\"']*)[\"']", rest))
        partial = re.search(r"([\"']?)([A-Za-z0-9]*)$", rest)
        quote = partial.group(1) if partial else ""
        start = column - (len(partial.group(0)) if partial else 0)
        return _codes(c, listed, start, quote='"', typed_quote=quote, after=after)
    if path == ("lint", "severity") and rest.lstrip().startswith("{"):
        inner = re.search(r"([A-Za-z0-9]+)\s*=\s*([\"']?)([a-z]*)$", rest)
        if inner:
            start = column - len(inner.group(2)) - len(inner.group(3))
            names = [(s, f"Report it as {s}.") for s in SEVERITY_NAMES]
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
    from ..toml_value import toml_value
    from .describe import enum_values, key_summary

    node = key_schema(path)
    if node is None:
        return []
    column = c.position.column
    if node.get("enum"):
        return _values(c, enum_values(node), start, after, quote, space)
    if node.get("type") == "boolean" and not quote:
        return [
            c.item(
                label=word,
                kind=types.CompletionItemKind.Value,
                documentation=key_summary(path),
                text_edit=c.edit(start, column, space + word),
            )
            for word in ("true", "false")
        ]
    suggestions = []
    if "default" in node:
        suggestions.append(node["default"])
    suggestions += [e for e in node.get("examples") or [] if e not in suggestions]
    items = []
    for suggestion in suggestions[:3]:
        literal = toml_value(suggestion)
        if quote and not literal.startswith(quote):
            continue
        items.append(
            c.item(
                label=literal,
                kind=types.CompletionItemKind.Value,
                detail="default" if suggestion == node.get("default") else "example",
                documentation=key_summary(path),
                text_edit=c.edit(start, column + _closing_quote(after, quote), space + literal),
            )
        )
    return items


def _strip_strings(text: str) -> str:
    return re.sub(r"\"(?:[^\"\\]|\\.)*\"?|'[^']*'?", "", text)


def _closing_quote(after: str, quote: str) -> int:
    return 1 if quote and after.startswith(quote) else 0


def _values(
    c: Completer,
    values: list[tuple[str, str]],
    start: int,
    after: str,
    quote: str,
    space: str = "",
) -> list[Wire]:
    end = c.position.column + _closing_quote(after, quote)
    items = []
    for rank, (value, explanation) in enumerate(values):
        literal = f'"{value}"' if quote != "'" else f"'{value}'"
        items.append(
            c.item(
                label=value,
                kind=types.CompletionItemKind.EnumMember,
                detail=explanation,
                documentation=f"`{literal}`: {explanation}",
                filter_text=literal,
                sort_text=f"{rank:03d}",
                text_edit=c.edit(start, end, space + literal),
            )
        )
    return items


def _codes(
    c: Completer,
    listed: set[str],
    start: int,
    quote: str,
    typed_quote: str = "",
    after: str = "",
    suffix: str = "",
) -> list[Wire]:
    from ..rules import RULES
    from .describe import rule_summary

    end = c.position.column + _closing_quote(after, typed_quote)
    items = []
    base = c.session.settings.docs_base_url
    for rule in RULES:
        if rule.code in listed:
            continue
        text = f"{quote}{rule.code}{quote}{suffix}"
        items.append(
            c.item(
                label=rule.code,
                kind=types.CompletionItemKind.Constant,
                detail=f"{rule.name}: {rule.summary}",
                documentation=rule_summary(rule.code, base),
                filter_text=text if quote else rule.code,
                text_edit=c.edit(start, end, text),
            )
        )
    return items


def _code_in_list(c: Completer, before: str, entry: object, document: object) -> list[Wire]:
    from ..document import Document, Entry

    assert isinstance(entry, Entry) and isinstance(document, Document)
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
    outline: object,
    table: tuple[str, ...],
    start: int,
    end: int,
    after: str,
) -> list[Wire]:
    from ..document import Outline
    from ..schema_file import key_schema, schema, type_name
    from .describe import key_summary

    assert isinstance(outline, Outline)
    line = c.position.line
    depth = len(table)
    present = {
        e.path[depth]
        for e in outline.entries
        if len(e.path) > depth and e.path[:depth] == table and e.key_range.start.line != line
    }
    node = key_schema(table) if table else None
    if table and node is None:
        return []
    props = (node or {}).get("properties") or {}
    if not table:
        props = {k: v for k, v in schema()["properties"].items() if v.get("type") != "object"}
    has_value = after.lstrip().startswith("=")
    items = []
    for name, sub in props.items():
        if name in present:
            continue
        path = (*table, name)
        text = name if has_value else f"{name} = "
        format_ = types.InsertTextFormat.PlainText
        if self_snippet := (c.snippets and not has_value):
            text = name + " = " + _snippet(sub)
            format_ = types.InsertTextFormat.Snippet
        items.append(
            c.item(
                label=name,
                kind=types.CompletionItemKind.Property,
                detail=f"{type_name(sub)}: {sub.get('description', '')}",
                documentation=key_summary(path),
                insert_text_format=format_ if self_snippet else None,
                text_edit=c.edit(start, end, text),
            )
        )
    return items


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


FEATURES = (
    Feature(
        types.TEXT_DOCUMENT_COMPLETION,
        completion,
        types.CompletionOptions(trigger_characters=["[", "=", '"', ",", " "]),
    ),
)
