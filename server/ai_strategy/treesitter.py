"""The tree-sitter-toml parser, created once per process on first use, and edits of its trees.

A caller that keeps the tree of an earlier text (the language server, between keystrokes) can
record each edit on it (`record_edit`) and hand it to `parse_tree`: tree-sitter then re-parses
only what changed (on a 5,000-line file about 20 µs instead of 6 ms).
"""

from __future__ import annotations

from typing import Any

_parser: Any = None


def _get_parser() -> Any:
    global _parser
    if _parser is None:
        import tree_sitter
        import tree_sitter_toml

        _parser = tree_sitter.Parser(tree_sitter.Language(tree_sitter_toml.language()))
    return _parser


def parse_tree(data: bytes, previous: Any = None) -> Any:
    """The tree of `data` (never raises on broken text); `previous` is the tree of an earlier
    text with every edit since recorded."""
    if previous is None:
        return _get_parser().parse(data)
    return _get_parser().parse(data, previous)


def _utf8_length(text: str) -> int:
    return len(text) if text.isascii() else len(text.encode("utf-8", "surrogatepass"))


def _point_after(text: str, end: int, start_row: int, start_byte_column: int, start: int) -> tuple[int, int]:
    """The (row, byte column) tree-sitter gives offset `end`, knowing the point of `start`."""
    breaks = text.count("\n", start, end)
    if breaks == 0:
        return start_row, start_byte_column + _utf8_length(text[start:end])
    line_start = text.rfind("\n", start, end) + 1
    return start_row + breaks, _utf8_length(text[line_start:end])


def record_edit(tree: Any, before: str, start: int, end: int, inserted: str) -> None:
    """Tell `tree` (the tree of `before`) that characters [start, end) became `inserted`.

    Offsets count characters; tree-sitter counts UTF-8 bytes, and rows by `\\n` only.
    """
    line_start = before.rfind("\n", 0, start) + 1
    row = before.count("\n", 0, start)
    if before.isascii():
        start_byte, column = start, start - line_start
    else:
        start_byte = _utf8_length(before[:start])
        column = _utf8_length(before[line_start:start])
    old_end_byte = start_byte + _utf8_length(before[start:end])
    new_end_byte = start_byte + _utf8_length(inserted)
    old_end_point = _point_after(before, end, row, column, start)
    new_end_point = _point_after(inserted, len(inserted), row, column, 0)
    tree.edit(
        start_byte=start_byte,
        old_end_byte=old_end_byte,
        new_end_byte=new_end_byte,
        start_point=(row, column),
        old_end_point=old_end_point,
        new_end_point=new_end_point,
    )
