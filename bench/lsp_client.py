"""A small asyncio LSP client over stdio (Content-Length framing), used for every server.

It is deliberately minimal and identical for every server measured, so the client's own
overhead (JSON encoding, framing, the event loop) is the same on both sides of a ratio.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import time
from collections.abc import Callable
from typing import Any

Message = dict[str, Any]


class LspError(RuntimeError):
    """The server answered a request with an error, or went away."""


class LspClient:
    """One server process and the messages it sends."""

    def __init__(self, argv: list[str], cwd: str | None = None, env: dict[str, str] | None = None) -> None:
        self.argv = argv
        self.cwd = cwd
        self.env = env
        self.proc: asyncio.subprocess.Process | None = None
        self._next_id = 0
        self._pending: dict[int, asyncio.Future[Any]] = {}
        self._waiters: list[tuple[Callable[[Message], bool], asyncio.Future[Message]]] = []
        self._reader_task: asyncio.Task[None] | None = None
        self.notifications: list[tuple[float, Message]] = []
        self.keep_notifications = False
        self.started_at = 0.0

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    async def start(self) -> None:
        self.started_at = time.perf_counter()
        self.proc = await asyncio.create_subprocess_exec(
            *self.argv,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.DEVNULL,
            cwd=self.cwd,
            env=self.env,
            limit=64 * 1024 * 1024,
        )
        self._reader_task = asyncio.ensure_future(self._read_loop())

    async def _read_loop(self) -> None:
        assert self.proc is not None and self.proc.stdout is not None
        reader = self.proc.stdout
        try:
            while True:
                length = -1
                while True:
                    line = await reader.readline()
                    if not line:
                        raise EOFError
                    line = line.strip()
                    if not line:
                        break
                    name, _, value = line.decode("ascii").partition(":")
                    if name.lower() == "content-length":
                        length = int(value)
                body = await reader.readexactly(length)
                self._dispatch(json.loads(body))
        except (EOFError, asyncio.IncompleteReadError, ConnectionError):
            error = LspError(f"{self.argv[0]} closed its output")
            for future in self._pending.values():
                if not future.done():
                    future.set_exception(error)
            for _, future in self._waiters:
                if not future.done():
                    future.set_exception(error)

    def _dispatch(self, message: Message) -> None:
        now = time.perf_counter()
        if "id" in message and "method" not in message:  # a response
            future = self._pending.pop(message["id"], None)
            if future is not None and not future.done():
                if "error" in message:
                    future.set_exception(LspError(json.dumps(message["error"])))
                else:
                    future.set_result(message.get("result"))
            return
        if "id" in message:  # a request from the server: answer so it does not wait
            self._answer_server_request(message)
            return
        if self.keep_notifications:
            self.notifications.append((now, message))
        still = []
        for predicate, future in self._waiters:
            if future.done():
                continue
            if predicate(message):
                future.set_result(message)
            else:
                still.append((predicate, future))
        self._waiters = still

    def _answer_server_request(self, message: Message) -> None:
        method = message.get("method")
        result: Any = None
        if method == "workspace/configuration":
            result = [None for _ in message.get("params", {}).get("items", [])]
        self._write({"jsonrpc": "2.0", "id": message["id"], "result": result})

    def _write(self, message: Message) -> None:
        assert self.proc is not None and self.proc.stdin is not None
        body = json.dumps(message, separators=(",", ":")).encode("utf-8")
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    async def request(self, method: str, params: Any, timeout: float = 60.0) -> Any:
        """Send a request; return its result."""
        self._next_id += 1
        ident = self._next_id
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._pending[ident] = future
        self._write({"jsonrpc": "2.0", "id": ident, "method": method, "params": params})
        return await asyncio.wait_for(future, timeout)

    def notify(self, method: str, params: Any) -> None:
        """Send a notification (written to the pipe at once; the event loop flushes it)."""
        self._write({"jsonrpc": "2.0", "method": method, "params": params})

    def expect(self, predicate: Callable[[Message], bool]) -> asyncio.Future[Message]:
        """A future for the next notification that matches (register it BEFORE sending)."""
        future: asyncio.Future[Message] = asyncio.get_running_loop().create_future()
        self._waiters.append((predicate, future))
        return future

    async def stop(self) -> None:
        """shutdown + exit, then make sure the process is gone."""
        if self.proc is None:
            return
        with contextlib.suppress(Exception):
            await self.request("shutdown", None, timeout=5)
            self.notify("exit", None)
            await asyncio.wait_for(self.proc.wait(), 5)
        if self.proc.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                self.proc.kill()
            await self.proc.wait()
        if self._reader_task is not None:
            self._reader_task.cancel()
            with contextlib.suppress(BaseException):
                await self._reader_task

    def rss_kib(self) -> int:
        """Resident set size of the server process (and its children), in KiB (Linux /proc)."""
        return _tree_rss_kib(self.pid)


def _children(pid: int) -> list[int]:
    found = []
    with contextlib.suppress(OSError):
        for task in os.listdir(f"/proc/{pid}/task"):
            with contextlib.suppress(OSError), open(f"/proc/{pid}/task/{task}/children") as handle:
                found.extend(int(p) for p in handle.read().split())
    return found


def _tree_rss_kib(pid: int) -> int:
    total = 0
    with contextlib.suppress(OSError), open(f"/proc/{pid}/status") as handle:
        for line in handle:
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
    for child in _children(pid):
        total += _tree_rss_kib(child)
    return total


def client_capabilities(pull: bool) -> Message:
    """Capabilities of a plain editor client (VS Code-like); `pull` adds pull diagnostics."""
    text_document: Message = {
        "synchronization": {"dynamicRegistration": False, "didSave": True},
        "publishDiagnostics": {"relatedInformation": True, "versionSupport": True},
        "hover": {"contentFormat": ["markdown", "plaintext"]},
        # As VS Code declares it: documentation may come later, by completionItem/resolve.
        "completion": {
            "completionItem": {
                "snippetSupport": True,
                "documentationFormat": ["markdown", "plaintext"],
                "resolveSupport": {"properties": ["documentation", "detail", "additionalTextEdits"]},
            }
        },
    }
    if pull:
        text_document["diagnostic"] = {"dynamicRegistration": False, "relatedDocumentSupport": False}
    return {
        "textDocument": text_document,
        "workspace": {"configuration": False, "workspaceFolders": False},
        "general": {"positionEncodings": ["utf-16"]},
    }
