"""Document symbols (tables with their keys, hierarchical) and folding ranges.

Both come from the error-tolerant syntax tree, so the outline stays while a line is half typed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types

from .documents import Analysis
from .features import Answer, Feature

if TYPE_CHECKING:
    from ..document import Entry, Outline
    from ..findings import Range
    from .session import Session

MAX_SYMBOL_DEPTH = 32
"""Deepest inline-table nesting shown as symbols; pygls serialises a response recursively, so a
document nested hundreds of levels deep would otherwise get no answer at all."""


def _contains(outer: Range, inner: Range) -> bool:
    return outer.start <= inner.start and inner.end <= outer.end


def _entry_symbol(entry: Entry, analysis: Analysis, depth: int) -> types.DocumentSymbol:
    positions = analysis.positions
    detail = entry.value_text.strip()
    if len(detail) > 60:
        detail = detail[:57] + "..."
    kind = {
        "inline_table": types.SymbolKind.Object,
        "array": types.SymbolKind.Array,
        "string": types.SymbolKind.String,
        "boolean": types.SymbolKind.Boolean,
        "integer": types.SymbolKind.Number,
        "float": types.SymbolKind.Number,
    }.get(entry.value_kind, types.SymbolKind.Property)
    return types.DocumentSymbol(
        name=".".join(entry.path[depth:]) or entry.path[-1],
        detail=detail,
        kind=kind,
        range=positions.range_to_client(entry.range),
        selection_range=positions.range_to_client(entry.key_range),
        children=[],
    )


def document_symbols(analysis: Analysis) -> list[types.DocumentSymbol]:
    """Tables with their keys as children; keys before the first table at the top level."""
    from ..findings import Range

    document = analysis.report.document
    if document is None:
        return []
    outline: Outline = document.outline
    positions = analysis.positions
    symbols: list[types.DocumentSymbol] = []
    tables: list[tuple[Range, int, types.DocumentSymbol]] = []
    for table in outline.tables:
        name = ".".join(table.path) or "(unnamed table)"
        whole = Range(table.header_range.start, max(table.range.end, table.header_range.end))
        symbol = types.DocumentSymbol(
            name=f"[[{name}]]" if table.is_array else f"[{name}]",
            kind=types.SymbolKind.Namespace,
            range=positions.range_to_client(whole),
            selection_range=positions.range_to_client(table.header_range),
            children=[],
        )
        symbols.append(symbol)
        tables.append((whole, len(table.path), symbol))
    inline: list[tuple[Entry, types.DocumentSymbol]] = []
    table_index = 0
    current_table: tuple[Range, int, types.DocumentSymbol] | None = None
    for entry in sorted(outline.entries, key=lambda e: e.range.start):
        while inline and not _contains(inline[-1][0].range, entry.range):
            inline.pop()
        parent: types.DocumentSymbol | None = None
        depth = 0
        if inline and entry.path[: len(inline[-1][0].path)] == inline[-1][0].path:
            parent, depth = inline[-1][1], len(inline[-1][0].path)
        else:
            while table_index < len(tables) and tables[table_index][0].start <= entry.range.start:
                current_table = tables[table_index]
                table_index += 1
            if current_table is not None and _contains(current_table[0], entry.range):
                parent, depth = current_table[2], current_table[1]
        if parent is not None and inline and parent is inline[-1][1] and len(inline) >= MAX_SYMBOL_DEPTH:
            continue  # deeper than an outline can show (and than the response could be serialised)
        symbol = _entry_symbol(entry, analysis, depth)
        if entry.value_kind == "inline_table":
            inline.append((entry, symbol))
        if parent is None:
            symbols.append(symbol)
        else:
            assert isinstance(parent.children, list)
            parent.children.append(symbol)
    symbols.sort(key=lambda s: (s.range.start.line, s.range.start.character))
    return symbols


def folding_ranges(analysis: Analysis) -> list[types.FoldingRange]:
    """A fold per table body, per multi-line value, and per block of comment lines."""
    document = analysis.report.document
    if document is None:
        return []
    outline = document.outline
    lines = document.lines
    folds: list[types.FoldingRange] = []
    for table in outline.tables:
        start = table.header_range.start.line
        end = max(table.range.end.line, start)
        if table.range.end.column == 0 and end > start:
            end -= 1
        while end > start and not lines.line_text(end).strip():
            end -= 1
        if end > start:
            folds.append(types.FoldingRange(start_line=start, end_line=end))
    for entry in outline.entries:
        if entry.value_range is not None and entry.value_range.end.line > entry.range.start.line:
            folds.append(
                types.FoldingRange(start_line=entry.range.start.line, end_line=entry.value_range.end.line)
            )
    block_start = previous = -2
    comment_lines = sorted(
        {
            c.range.start.line
            for c in outline.comments
            if lines.line_text(c.range.start.line).lstrip().startswith("#")
        }
    )
    for line in [*comment_lines, -10]:
        if line == previous + 1:
            previous = line
            continue
        if previous - block_start >= 1 and block_start >= 0:
            folds.append(
                types.FoldingRange(
                    start_line=block_start,
                    end_line=previous,
                    kind=types.FoldingRangeKind.Comment,
                )
            )
        block_start = previous = line
    folds.sort(key=lambda f: (f.start_line, f.end_line))
    return folds


def document_symbol(session: Session, params: types.DocumentSymbolParams) -> Answer:
    """`textDocument/documentSymbol` on the outline of the document's current text."""
    found = yield from session.analysed(params.text_document.uri)
    return document_symbols(found[1]) if found is not None else None


def folding_range(session: Session, params: types.FoldingRangeParams) -> Answer:
    """`textDocument/foldingRange` on the outline of the document's current text."""
    found = yield from session.analysed(params.text_document.uri)
    return folding_ranges(found[1]) if found is not None else None


FEATURES = (
    Feature(types.TEXT_DOCUMENT_DOCUMENT_SYMBOL, document_symbol),
    Feature(types.TEXT_DOCUMENT_FOLDING_RANGE, folding_range),
)
