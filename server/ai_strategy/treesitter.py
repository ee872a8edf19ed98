"""The tree-sitter-toml parser, created once per process on first use."""

from __future__ import annotations

from typing import Any

_parser: Any = None


def parse(data: bytes) -> Any:
    """The root node of the tree-sitter-toml tree of `data` (never raises on broken text)."""
    global _parser
    if _parser is None:
        import tree_sitter
        import tree_sitter_toml

        _parser = tree_sitter.Parser(tree_sitter.Language(tree_sitter_toml.language()))
    return _parser.parse(data).root_node
