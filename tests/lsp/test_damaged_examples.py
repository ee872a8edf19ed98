"""Every feature at every place of a file being edited: the bundled examples, each damaged one
line at a time as a half-typed edit leaves it, answer without a handler failing.

A feature that raises is answered with its fallback (nothing) and logged: the editor shows no
hover, no completion, and nothing says why. The other tests ask at chosen places; this one asks
hover and completion at every third column of the damaged line and the next, and the whole-file
features once, for each damage. It found a hover that failed on any key with factor rows whose
value could not be read (an unclosed string, or the key under a header made `[[task]]`).

The server runs in this process (pygls' public `handle_message` and `set_writer`): a real client
over stdio takes some 40 times longer per request, and the stdio transport has its own tests.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from pytest_lsp import client_capabilities

from ai_strategy.lsp.protocol import converter
from ai_strategy.lsp.server import StrategyServer, create_server

EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "examples").glob("*/ai-strategy.toml"))

VALUE_DAMAGE = (
    ("the last character gone", None),
    ("no value yet", ""),
    ("an unclosed string", '"x'),
    ("an unclosed multi-line string", '"""x'),
    ("an unclosed array", "[1, "),
    ("an unclosed inline table", "{ a = "),
    ("a half-typed date", "1979-05-27T"),
)
"""(what it mimics, the new value: None drops the value's last character)."""

HEADER_DAMAGE: tuple[tuple[str, Callable[[str], str]], ...] = (
    ("the closing bracket gone", lambda line: line[:-1]),
    ("a bracket too many", lambda line: line + "]"),
    ("an array of tables", lambda line: line.replace("[", "[[", 1).replace("]", "]]", 1)),
)


def damaged(text: str) -> Iterator[tuple[str, int, str]]:
    """(what was done, the damaged line's number, the damaged text) for each line and damage."""
    lines = text.split("\n")
    for number, line in enumerate(lines):
        if line.lstrip().startswith("#"):
            continue
        if " = " in line:
            key, value = line.split(" = ", 1)
            for what, new in VALUE_DAMAGE:
                replaced = f"{key} = {value[:-1] if new is None else new}"
                yield what, number, "\n".join([*lines[:number], replaced, *lines[number + 1 :]])
        elif line.startswith("["):
            for what, change in HEADER_DAMAGE:
                yield what, number, "\n".join([*lines[:number], change(line), *lines[number + 1 :]])


class Failures(logging.Handler):
    """Collects what the server logs at ERROR (a handler that raised logs it there)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


class InProcess:
    """The server with its replies collected by request id."""

    def __init__(self, server: StrategyServer) -> None:
        self.server = server
        self.replies: dict[int, dict[str, Any]] = {}
        self._next_id = 0
        server.protocol.set_writer(self, include_headers=False)

    def write(self, data: bytes) -> None:
        message = json.loads(data)
        if "id" in message and "method" not in message:
            self.replies[message["id"]] = message

    def close(self) -> None:
        pass

    def send(self, method: str, params: Any) -> int | None:
        """Hand one message to the server; its id when it is a request."""
        message: dict[str, Any] = {"jsonrpc": "2.0", "method": method, "params": params}
        request = not method.startswith(("initialized", "textDocument/did"))
        if request:
            self._next_id += 1
            message["id"] = self._next_id
        self.server.protocol.handle_message(
            json.loads(json.dumps(message), object_hook=self.server.protocol.structure_message)
        )
        return message.get("id")

    async def answered(self, ids: list[int]) -> None:
        """Wait until every request of `ids` has its reply (the analysis may still be running)."""
        for _ in range(2000):
            if all(i in self.replies for i in ids):
                return
            await asyncio.sleep(0.005)
        missing = [i for i in ids if i not in self.replies]
        raise AssertionError(f"{len(missing)} requests were never answered")


def requests(uri: str, text: str, number: int) -> list[tuple[str, Any]]:
    """The whole-file features, and hover and completion along the damaged line and the next."""
    lines = text.split("\n")
    document = {"uri": uri}
    whole = {"start": {"line": 0, "character": 0}, "end": {"line": len(lines), "character": 0}}
    nothing_selected = {"diagnostics": []}
    asked: list[tuple[str, Any]] = [
        ("textDocument/codeAction", {"textDocument": document, "range": whole, "context": nothing_selected}),
        ("textDocument/inlayHint", {"textDocument": document, "range": whole}),
        ("textDocument/codeLens", {"textDocument": document}),
        ("textDocument/documentSymbol", {"textDocument": document}),
        ("textDocument/foldingRange", {"textDocument": document}),
        ("ai-strategy/recommendation", {"textDocument": document}),
    ]
    for line in (number, number + 1):
        if line >= len(lines):
            continue
        for character in range(0, len(lines[line]) + 3, 3):
            position = {"line": line, "character": character}
            asked.append(("textDocument/hover", {"textDocument": document, "position": position}))
            asked.append(("textDocument/completion", {"textDocument": document, "position": position}))
    return asked


CLIENTS = ("visual-studio-code", "neovim@v0.7.0")
"""Markdown and lazy completion documentation, UTF-16; plain text where it may, UTF-16 too.
Each example is asked by one of them in turn (both for every example took twice as long)."""


@pytest.mark.parametrize(
    ("example", "client"),
    [(path, CLIENTS[index % len(CLIENTS)]) for index, path in enumerate(EXAMPLES)],
    ids=lambda value: value.parent.name if isinstance(value, Path) else value,
)
async def test_every_feature_answers_on_every_damaged_line(example: Path, client: str) -> None:
    failures = Failures()
    logging.getLogger().addHandler(failures)
    try:
        server = InProcess(create_server())
        capabilities = converter().unstructure(client_capabilities(client))
        server.send("initialize", {"processId": None, "rootUri": None, "capabilities": capabilities})
        server.send("initialized", {})
        asked: dict[int, str] = {}  # request id -> method
        for index, (what, number, text) in enumerate(damaged(example.read_text(encoding="utf-8"))):
            uri = f"file:///damaged/{index}/ai-strategy.toml"
            item = {"uri": uri, "languageId": "toml", "version": 1, "text": text}
            server.send("textDocument/didOpen", {"textDocument": item})
            ids = {server.send(method, params): method for method, params in requests(uri, text, number)}
            await server.answered([i for i in ids if i is not None])
            server.send("textDocument/didClose", {"textDocument": {"uri": uri}})
            # every ERROR record: a handler's failure carries a traceback, pygls' reports do not
            failed = failures.records
            assert not failed, f"line {number + 1} with {what}: {failed[0].getMessage()}\n{text}"
            asked.update((i, method) for i, method in ids.items() if i is not None)
        errors = [r["error"] for r in server.replies.values() if "error" in r]
        assert not errors, errors[:3]
        assert len(asked) > 300  # the damage really was done, and asked about
        # and answered: the features said something on the damaged files, not nothing everywhere
        for method in ("textDocument/hover", "textDocument/completion", "textDocument/documentSymbol"):
            assert any(server.replies[i]["result"] for i, m in asked.items() if m == method), method
    finally:
        logging.getLogger().removeHandler(failures)
