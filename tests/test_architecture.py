"""docs/architecture.md is the map of the package: every module listed, and the layers it states
hold in the code (the core imports no front end and no LSP library)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from .conftest import ROOT

PACKAGE = ROOT / "server" / "ai_strategy"
ARCHITECTURE = (ROOT / "docs" / "architecture.md").read_text("utf-8")
FRONT_ENDS = ("cli/", "lsp/", "__main__.py")
FORBIDDEN_IN_CORE = ("pygls", "lsprotocol", "ai_strategy.cli", "ai_strategy.lsp")


def modules() -> list[str]:
    return sorted(str(p.relative_to(PACKAGE)) for p in PACKAGE.rglob("*.py"))


def listed_modules() -> list[str]:
    table = ARCHITECTURE.split("## Every module", 1)[1].split("\n## ", 1)[0]
    return sorted(re.findall(r"^\| `([\w/]+\.py)` \|", table, re.M))


def test_every_module_is_on_the_map_and_the_map_lists_no_other() -> None:
    assert listed_modules() == modules()


def imported_names(path: Path) -> set[str]:
    """Every module `path` imports, at the top or inside a function, as absolute names."""
    package = "ai_strategy." + ".".join(path.relative_to(PACKAGE).with_suffix("").parts[:-1])
    names = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rstrip(".").split(".")
                base = base[: len(base) - node.level + 1]
                names.add(".".join([*base, node.module or ""]).rstrip("."))
            else:
                names.add(node.module or "")
    return names


@pytest.mark.parametrize("module", [m for m in modules() if not m.startswith(FRONT_ENDS)])
def test_the_core_imports_no_front_end_and_no_lsp_library(module: str) -> None:
    for name in imported_names(PACKAGE / module):
        assert not any(name == f or name.startswith(f + ".") for f in FORBIDDEN_IN_CORE), (module, name)


def test_the_import_reader_sees_relative_imports() -> None:
    names = imported_names(PACKAGE / "rules" / "fit.py")
    assert {"ai_strategy.explain", "ai_strategy.rules.context", "ai_strategy.knowledge"} <= names


MAX_FUNCTION_LINES = 80


def long_functions(module: str) -> list[str]:
    tree = ast.parse((PACKAGE / module).read_text("utf-8"))
    return [
        f"{module}:{node.lineno} {node.name} ({node.end_lineno - node.lineno + 1} lines)"
        for node in ast.walk(tree)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
        and (node.end_lineno or node.lineno) - node.lineno + 1 > MAX_FUNCTION_LINES
    ]


@pytest.mark.parametrize("module", modules())
def test_no_function_is_longer_than_80_lines(module: str) -> None:
    assert long_functions(module) == []
