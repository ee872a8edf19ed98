"""Document symbols (tables and keys, hierarchical) and folding ranges."""

from __future__ import annotations

from lsprotocol import types

from .conftest import Editor
from .test_diagnostics import VALID


async def test_symbols_are_tables_with_their_keys(editor: Editor) -> None:
    uri = editor.open(VALID + '\n[lint]\nseverity = {AIS105 = "error"}\n')
    symbols = await editor.client.text_document_document_symbol_async(
        types.DocumentSymbolParams(types.TextDocumentIdentifier(uri))
    )
    assert symbols is not None
    tops = [s for s in symbols if isinstance(s, types.DocumentSymbol)]
    names = [s.name for s in tops]
    assert names == [
        "version",
        "[strategy]",
        "[task]",
        "[data]",
        "[knowledge_base]",
        "[requirements]",
        "[lint]",
    ]
    task = tops[2]
    assert [c.name for c in task.children or []] == ["type", "goal"]
    lint = tops[-1]
    severity = (lint.children or [])[0]
    assert severity.name == "severity" and [c.name for c in severity.children or []] == ["AIS105"]


async def test_folding_ranges_cover_tables_and_multiline_arrays(editor: Editor) -> None:
    text = """# header
# comment
version = 1

[knowledge_base]
sources = [
  "a",
  "b",
]

[task]
type = "qa"
"""
    uri = editor.open(text)
    folds = await editor.client.text_document_folding_range_async(
        types.FoldingRangeParams(types.TextDocumentIdentifier(uri))
    )
    spans = {(f.start_line, f.end_line, f.kind) for f in folds or []}
    assert (4, 8, None) in spans  # [knowledge_base]
    assert (5, 8, None) in spans  # the sources array
    assert (0, 1, types.FoldingRangeKind.Comment) in spans
