"""LSP 3.17 and JSON-RPC 2.0 to the letter, byte for byte over the server's stdin and stdout.

What the specification says, and what these tests send to check it:
- `exit` ends the process with code 0 after `shutdown`, 1 without ("exit notification");
- a request whose params do not match the method's type gets -32602 (InvalidParams); an `id`
  that is neither a number nor a string gets -32600 (InvalidRequest) with `id: null`; a request
  after `shutdown` gets -32600; a request before `initialize` gets -32002 (ServerNotInitialized);
  a body that is not JSON gets -32700 (ParseError) with `id: null` (JSON-RPC 2.0, section 5.1);
- each of these is logged on stderr, never shown to the user (no window/showMessage);
- one message with a wrong Content-Length does not break the stream: the following requests are
  answered.
The lifecycle and error rules are checked with both stdio readers (ours, and pygls' behind
AI_STRATEGY_LSP_READER=pygls); the resynchronisation with the one that ships by default.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import subprocess
import threading
from typing import Any

import pytest

from .conftest import SERVER

READERS = ["default", "pygls"]
HOVER = "textDocument/hover"
URI = "file:///work/project/ai-strategy.toml"


class RawServer:
    """`ai-strategy lsp` spoken to with hand-made bytes; what it writes is read in a thread."""

    def __init__(self, reader: str = "default") -> None:
        env = {**os.environ, "AI_STRATEGY_LOG": "WARNING"}
        if reader == "pygls":
            env["AI_STRATEGY_LSP_READER"] = "pygls"
        else:
            env.pop("AI_STRATEGY_LSP_READER", None)
        self.proc = subprocess.Popen(
            SERVER, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env
        )
        self.received: queue.Queue[dict[str, Any]] = queue.Queue()
        self.seen: list[dict[str, Any]] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        stream = self.proc.stdout
        assert stream is not None
        while True:
            length = None
            while (line := stream.readline()) not in (b"\r\n", b""):
                name, _, value = line.decode("ascii").partition(":")
                if name.strip().lower() == "content-length":
                    length = int(value)
            if not line or length is None:
                return
            self.received.put(json.loads(stream.read(length)))

    def write(self, data: bytes) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(data)
        self.proc.stdin.flush()

    def send(self, message: dict[str, Any], length_error: int = 0) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode()
        self.write(b"Content-Length: %d\r\n\r\n" % (len(body) + length_error) + body)

    def next_message(self, timeout: float = 20) -> dict[str, Any]:
        message = self.received.get(timeout=timeout)
        self.seen.append(message)
        return message

    def answer(self, ident: Any, timeout: float = 20) -> dict[str, Any]:
        """The response with this id; requests and notifications from the server are kept."""
        while True:
            message = self.next_message(timeout)
            if "method" not in message and message.get("id") == ident:
                return message

    def initialize(self) -> None:
        self.send({"id": "init", "method": "initialize", "params": {"processId": None, "capabilities": {}}})
        assert "result" in self.answer("init")
        self.send({"method": "initialized", "params": {}})

    def finish(self, timeout: float = 20) -> tuple[int, str]:
        """Close stdin, wait for the process; its exit code and stderr."""
        assert self.proc.stdin is not None
        with contextlib.suppress(BrokenPipeError):
            self.proc.stdin.close()
        code = self.proc.wait(timeout)
        assert self.proc.stderr is not None
        return code, self.proc.stderr.read().decode("utf-8", "replace")

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


@pytest.fixture(params=READERS)
def server(request: pytest.FixtureRequest) -> Any:
    started = RawServer(request.param)
    yield started
    started.kill()


@pytest.fixture
def default_server() -> Any:
    started = RawServer()
    yield started
    started.kill()


def hover(ident: Any, position: Any = None) -> dict[str, Any]:
    params: dict[str, Any] = {"textDocument": {"uri": URI}}
    if position is not None:
        params["position"] = position
    return {"id": ident, "method": HOVER, "params": params}


def shown_messages(server: RawServer) -> list[dict[str, Any]]:
    return [m for m in server.seen if m.get("method") == "window/showMessage"]


def assert_still_answers(server: RawServer, ident: Any = "alive") -> None:
    server.send(hover(ident, {"line": 0, "character": 0}))
    assert server.answer(ident) == {"jsonrpc": "2.0", "id": ident, "result": None}


# ---- exit codes ----------------------------------------------------------------------------


def test_exit_without_shutdown_ends_with_code_1(server: RawServer) -> None:
    server.initialize()
    server.send({"method": "exit"})
    code, _ = server.finish()
    assert code == 1


def test_exit_after_shutdown_ends_with_code_0(server: RawServer) -> None:
    server.initialize()
    server.send({"id": 9, "method": "shutdown"})
    assert server.answer(9) == {"jsonrpc": "2.0", "id": 9, "result": None}
    server.send({"method": "exit"})
    code, _ = server.finish()
    assert code == 0


# ---- errors for what may not be handled ----------------------------------------------------


@pytest.mark.parametrize(
    "position",
    [{"line": -1, "character": 0}, None, {"line": 0}, {"line": "zero", "character": 0}],
    ids=["negative-line", "no-position", "no-character", "line-not-a-number"],
)
def test_params_that_do_not_validate_get_invalid_params(server: RawServer, position: Any) -> None:
    server.initialize()
    server.send(hover(1, position))
    error = server.answer(1)["error"]
    assert error["code"] == -32602
    assert_still_answers(server)
    server.send({"id": 2, "method": "shutdown"})
    server.answer(2)
    server.send({"method": "exit"})
    code, stderr = server.finish()
    assert code == 0
    assert HOVER in stderr and "-32602" in stderr, stderr  # logged
    assert "Traceback" not in stderr
    assert shown_messages(server) == []  # not a popup


def test_a_notification_that_does_not_validate_is_logged_and_dropped(server: RawServer) -> None:
    server.initialize()
    server.send({"method": "textDocument/didOpen", "params": {"textDocument": {"uri": URI}}})
    assert_still_answers(server)
    code, stderr = server.finish()
    assert "textDocument/didOpen" in stderr and shown_messages(server) == []
    del code


@pytest.mark.parametrize("ident", [{"a": 1}, [1], True, None], ids=["object", "array", "boolean", "null"])
def test_an_id_that_is_neither_number_nor_string_gets_invalid_request(server: RawServer, ident: Any) -> None:
    server.initialize()
    server.send(hover(ident, {"line": 0, "character": 0}))
    answer = server.next_message()
    while "method" in answer:  # a request or notification of the server's
        answer = server.next_message()
    assert answer["id"] is None and answer["error"]["code"] == -32600
    assert_still_answers(server)


def test_requests_after_shutdown_get_invalid_request(server: RawServer) -> None:
    server.initialize()
    server.send({"id": 1, "method": "shutdown"})
    server.answer(1)
    server.send(hover(2, {"line": 0, "character": 0}))
    assert server.answer(2)["error"]["code"] == -32600
    server.send({"id": 3, "method": "shutdown"})
    assert server.answer(3)["error"]["code"] == -32600
    server.send({"method": "exit"})
    code, _ = server.finish()
    assert code == 0


def test_requests_before_initialize_get_server_not_initialized(server: RawServer) -> None:
    server.send(hover(1, {"line": 0, "character": 0}))
    assert server.answer(1)["error"]["code"] == -32002
    server.send({"method": "textDocument/didOpen", "params": {}})  # dropped, not answered
    server.initialize()
    assert_still_answers(server)


def assert_answered_with_null_id(server: RawServer, body: bytes, code: int) -> None:
    """Send a hand-made body: it gets the error `code` with `id: null`, and the server reads on."""
    server.initialize()
    server.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    answer = server.next_message()
    assert answer["id"] is None and answer["error"]["code"] == code
    assert_still_answers(server)


def test_a_message_that_is_not_an_object_gets_invalid_request(server: RawServer) -> None:
    assert_answered_with_null_id(server, b"[1, 2]", -32600)


# ---- framing: the reader that ships --------------------------------------------------------


def test_a_body_that_is_not_json_gets_parse_error(default_server: RawServer) -> None:
    assert_answered_with_null_id(default_server, b'{"jsonrpc": "2.0", "id": 4, "method": ', -32700)


@pytest.mark.parametrize("length_error", [+40, +3, -3, -40])
def test_a_wrong_content_length_does_not_break_the_stream(
    default_server: RawServer, length_error: int
) -> None:
    default_server.initialize()
    default_server.send(hover(1, {"line": 0, "character": 0}), length_error)
    for ident in (2, 3):
        default_server.send(hover(ident, {"line": 0, "character": 0}))
        assert default_server.answer(ident)["result"] is None
    default_server.send({"id": 4, "method": "shutdown"})
    default_server.answer(4)
    default_server.send({"method": "exit"})
    code, stderr = default_server.finish()
    assert code == 0
    assert "Content-Length" in stderr or "not JSON" in stderr, stderr  # the problem is logged
