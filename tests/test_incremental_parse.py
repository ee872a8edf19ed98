"""Incremental re-parsing (the language server's keystrokes) gives the outline a fresh parse gives.

The server records every edit on the tree of the previous text and lets tree-sitter re-parse only
what changed. Whatever the edits (line breaks, CRLF, quotes, brackets, multi-byte characters,
deletions across lines), the outline built that way must equal the one built from scratch:
otherwise the editor and the CLI would disagree about positions.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from ai_strategy.document import Document, LineIndex, Outline
from ai_strategy.treesitter import parse_tree, record_edit

ROOT = Path(__file__).resolve().parent.parent
SEED = (ROOT / "examples" / "support-assistant" / "ai-strategy.toml").read_text(encoding="utf-8")

PIECES = ["a", "é", "😀", " ", "\n", "\r\n", '"', "'", "[", "]", "=", "#", ",", "{", "}", ".", "1", "x = 1\n"]
edit = st.tuples(
    st.floats(min_value=0, max_value=1),
    st.integers(min_value=0, max_value=12),
    st.lists(st.sampled_from(PIECES), max_size=4).map("".join),
)


def shape(outline: Outline) -> dict[str, Any]:
    return {
        "entries": [
            (e.path, e.key_range, e.value_range, e.range, e.broken, e.value_kind) for e in outline.entries
        ],
        "tables": [(t.path, t.range, t.header_range, t.is_array, t.broken) for t in outline.tables],
        "comments": [(c.range, c.text) for c in outline.comments],
        "errors": list(outline.errors),
    }


def outline_of(text: str, previous: Any = None) -> Outline:
    return Outline(LineIndex(text), text.encode("utf-8", "surrogatepass"), previous)


@settings(max_examples=300, deadline=None)
@given(st.lists(edit, min_size=1, max_size=12))
def test_outline_after_recorded_edits_equals_a_fresh_one(edits: list[tuple[float, int, str]]) -> None:
    text = SEED
    tree = parse_tree(text.encode("utf-8"))
    for where, length, inserted in edits:
        start = int(where * len(text))
        end = min(len(text), start + length)
        record_edit(tree, text, start, end, inserted)
        text = text[:start] + inserted + text[end:]
        reused = outline_of(text, tree)
        fresh = outline_of(text)
        assert shape(reused) == shape(fresh)
        if not fresh.tree.root_node.has_error:
            assert str(reused.tree.root_node) == str(fresh.tree.root_node)
        tree = reused.tree


def test_a_document_given_a_previous_tree_reports_the_same_findings() -> None:
    from ai_strategy.analysis import analyse

    before = SEED
    start = before.index('approach = "') + len('approach = "')
    tree = parse_tree(before.encode("utf-8"))
    record_edit(tree, before, start, start, "x")
    after = before[:start] + "x" + before[start:]
    reused, fresh = analyse(after, previous_tree=tree), analyse(after)
    assert [(f.code, f.range, f.message) for f in reused.findings] == [
        (f.code, f.range, f.message) for f in fresh.findings
    ]
    assert any(f.code == "AIS004" for f in fresh.findings)


def test_the_outline_is_built_once_and_reported_as_built() -> None:
    document = Document(SEED)
    assert not document.has_outline
    first = document.outline
    assert document.has_outline and document.outline is first
