"""The server's modules keep one concept in one place: a constant is defined by one module and
imported by the others, and what a module keeps private (a leading underscore) is used by that
module alone.

Read from the source with `ast`, so the rule holds for names added later as well.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

LSP = Path(__file__).resolve().parents[2] / "server" / "ai_strategy" / "lsp"
MODULES = sorted(LSP.glob("*.py"))


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), str(path))


def _is_private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def string_constants(tree: ast.Module) -> dict[str, str]:
    """Module-level `NAME = "text"` assignments: {text: NAME}."""
    found = {}
    for node in tree.body:
        target, value = None, None
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target, value = node.targets[0], node.value
        elif isinstance(node, ast.AnnAssign):
            target, value = node.target, node.value
        if (
            isinstance(target, ast.Name)
            and target.id.isupper()
            and isinstance(value, ast.Constant)
            and isinstance(value.value, str)
        ):
            found[value.value] = target.id
    return found


def test_every_string_constant_is_defined_in_one_module() -> None:
    where: dict[str, list[str]] = defaultdict(list)
    for path in MODULES:
        for text, name in string_constants(_tree(path)).items():
            where[text].append(f"{path.name}:{name}")
    repeated = {text: places for text, places in where.items() if len(places) > 1}
    assert not repeated, f"defined more than once (import it from one module instead): {repeated}"


def test_no_module_imports_a_private_name_of_another() -> None:
    crossings = []
    for path in MODULES:
        for node in ast.walk(_tree(path)):
            if not isinstance(node, ast.ImportFrom):
                continue
            module = "." * node.level + (node.module or "")
            if node.level or module.startswith("ai_strategy"):
                crossings.extend(
                    f"{path.name}:{node.lineno} imports {alias.name} from {module}"
                    for alias in node.names
                    if _is_private(alias.name)
                )
    assert not crossings, crossings


def test_the_checks_see_the_server_modules() -> None:
    """The two rules above read real modules (a wrong folder would pass them vacuously)."""
    assert {"session.py", "recommendation.py", "hover.py"} <= {p.name for p in MODULES}
    assert string_constants(_tree(LSP / "recommendation_requests.py")), "it declares string constants"
