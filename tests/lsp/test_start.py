"""Start-up: `initialize` is answered before the engine is imported, and every feature is wired
by the one table (`server.FEATURES`) on pygls' public API.

The import check runs in a fresh interpreter (this one has imported the engine long ago): it
creates the server, hands it an `initialize` request with settings, and lists the modules loaded
when the answer has been written.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest
from lsprotocol import types

from ai_strategy.lsp.server import FEATURES, create_server

LSP = Path(__file__).resolve().parents[2] / "server" / "ai_strategy" / "lsp"
ENGINE = (
    "ai_strategy.analysis",
    "ai_strategy.recommend",
    "ai_strategy.rules",
    "ai_strategy.knowledge",
    "ai_strategy.document",
    "ai_strategy.findings",
    "ai_strategy.treesitter",
    "ai_strategy.project_settings",
    "tomli",
    "tree_sitter",
    "pydantic",
)
"""What waits until `initialize` is answered: the engine, its parsers, and what it imports."""
NEVER_AT_START = ("importlib.metadata",)
"""What the server does not need to start at all (its version is `ai_strategy.__version__`)."""

ANSWER_INITIALIZE = """
import json, sys
from ai_strategy.lsp.server import create_server

server = create_server()
written = []

class Writer:
    def write(self, data): written.append(data)
    def close(self): pass

server.protocol.set_writer(Writer())
request = {"jsonrpc": "2.0", "id": 1, "method": "initialize",
           "params": {"processId": None, "capabilities": {},
                      "initializationOptions": {"disable": ["AIS105"]}}}
message = json.loads(json.dumps(request), object_hook=server.protocol.structure_message)
server.protocol.handle_message(message)
print(json.dumps({"answered": [w.decode() for w in written],
                  "modules": sorted(sys.modules)}))
"""


def test_initialize_is_answered_before_the_engine_is_imported() -> None:
    proc = subprocess.run(
        [sys.executable, "-c", ANSWER_INITIALIZE], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    seen = json.loads(proc.stdout)
    assert len(seen["answered"]) == 1 and '"capabilities"' in seen["answered"][0]
    loaded = [m for m in seen["modules"] if m.startswith(ENGINE + NEVER_AT_START)]
    assert loaded == [], f"imported before the initialize answer: {loaded}"
    assert "pygls.lsp.server" in seen["modules"]  # the list is the server's modules


def test_every_method_is_registered_once_and_advertised() -> None:
    methods = [f.method for f in FEATURES if not f.command]
    assert len(methods) == len(set(methods))
    server = create_server()
    registered = set(server.protocol.fm.features) | set(server.protocol.replaced)
    assert set(methods) == registered
    assert set(server.protocol.replaced) == {
        types.TEXT_DOCUMENT_DID_OPEN,
        types.TEXT_DOCUMENT_DID_CHANGE,
        types.TEXT_DOCUMENT_DID_CLOSE,
    }
    commands = [f.method for f in FEATURES if f.command]
    assert set(commands) == set(server.protocol.fm.commands)
    assert types.TEXT_DOCUMENT_HOVER in methods and "ai-strategy/recommendation" in methods


def test_document_sync_is_advertised_incremental_with_open_and_close() -> None:
    server = create_server()
    written: list[bytes] = []

    class Writer:
        def write(self, data: bytes) -> None:
            written.append(data)

        def close(self) -> None:
            pass

    server.protocol.set_writer(Writer())
    request = {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}}
    request["params"]["processId"] = None  # type: ignore[index]
    server.protocol.handle_message(
        json.loads(json.dumps(request), object_hook=server.protocol.structure_message)
    )
    answer = json.loads(written[0].split(b"\r\n\r\n", 1)[1])
    sync = answer["result"]["capabilities"]["textDocumentSync"]
    assert sync["openClose"] is True and sync["change"] == 2  # incremental


def _private_names(tree: ast.AST) -> list[str]:
    """Attributes and imported names starting with `_` (but not dunders)."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            name = node.attr
        elif (
            isinstance(node, ast.ImportFrom)
            and node.module
            and node.module.split(".")[0]
            in (
                "pygls",
                "lsprotocol",
            )
        ):
            found += [a.name for a in node.names if a.name.startswith("_")]
            continue
        else:
            continue
        if name.startswith("_") and not name.startswith("__"):
            found.append(name)
    return found


@pytest.mark.parametrize("module", sorted(LSP.glob("*.py")), ids=lambda p: p.name)
def test_no_private_name_of_pygls_is_used(module: Path) -> None:
    """Every `_name` attribute used in the server is one of our own, defined in the same module
    (pygls' and lsprotocol's private names are not)."""
    tree = ast.parse(module.read_text(encoding="utf-8"))
    defined = {
        node.name
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
    } | {
        target.attr
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign | ast.AnnAssign)
        for target in (node.targets if isinstance(node, ast.Assign) else [node.target])
        if isinstance(target, ast.Attribute)
        and isinstance(target.value, ast.Name)
        and target.value.id == "self"
    }
    foreign = sorted({name for name in _private_names(tree) if name not in defined})
    assert foreign == [], f"{module.name} uses private names it does not define: {foreign}"


@pytest.mark.parametrize("module", sorted(LSP.glob("*.py")), ids=lambda p: p.name)
def test_no_function_of_the_server_is_longer_than_80_lines(module: Path) -> None:
    tree = ast.parse(module.read_text(encoding="utf-8"))
    long = [
        (node.name, node.end_lineno - node.lineno + 1)
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.end_lineno is not None
        and node.end_lineno - node.lineno + 1 > 80
    ]
    assert long == []
