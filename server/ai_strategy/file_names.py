"""Which files are strategy files, and which folders a search skips.

One definition for every way in: the command line's folder walk, the language server's
documents and workspace scan, the pre-commit hooks' `files:` pattern (`.pre-commit-hooks.yaml`
holds PATH_PATTERN verbatim; a test compares them) and the GitHub Action (it runs the folder walk).
A strategy file is named `ai-strategy.toml`, or `<name>.ai-strategy.toml` with a non-empty name
(several strategies side by side: `search.ai-strategy.toml`, `triage.ai-strategy.toml`).
"""

from __future__ import annotations

import re

STRATEGY_FILE = "ai-strategy.toml"
"""The name `init` writes and `recommend` looks for in a folder."""

NAME_PATTERN = r"(?:[^/]+\.)?ai-strategy\.toml"
"""A strategy file's name (a regular expression matched against the whole name)."""

PATH_PATTERN = r"(^|/)" + NAME_PATTERN + "$"
"""A path whose last part is a strategy file's name (searched, as pre-commit's `files:` is)."""

NAME_GLOB = "{ai-strategy.toml,?*.ai-strategy.toml}"
"""A strategy file's name as a glob (LSP 3.17 and VS Code glob syntax: `?` is one character, `*`
any run), for file watchers and editor selectors: `**/` + NAME_GLOB matches what NAME_PATTERN
matches (tests/test_file_name_globs.py holds them together)."""

_NAME = re.compile(NAME_PATTERN)

SKIPPED_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        "node_modules",
        ".venv",
        "venv",
        ".tox",
        ".nox",
        "__pycache__",
        ".mypy_cache",
        ".ruff_cache",
        ".pytest_cache",
        "site-packages",
        ".direnv",
    }
)
"""Folders a search never enters by default: version control, dependencies, environments, caches
(`[tool.ai-strategy] exclude` replaces this list, `extend-exclude` adds to it). Folders holding a
`pyvenv.cfg` (virtual environments under any name) are skipped as well."""


def is_strategy_file_name(name: str) -> bool:
    """True for `ai-strategy.toml` and `<name>.ai-strategy.toml` (a file's name, not its path)."""
    return _NAME.fullmatch(name) is not None
