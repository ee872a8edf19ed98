"""Requests answered in place (StrategyProtocol._advance): at once, after waiting, or cancelled.

In process, with a writer that keeps what the server sends, so each path is reached for sure.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Generator
from typing import Any

from ai_strategy.lsp.server import StrategyServer, create_server


class Kept:
    def __init__(self) -> None:
        self.messages: list[dict[str, Any]] = []

    def write(self, data: bytes) -> None:
        self.messages.append(json.loads(data.split(b"\r\n\r\n", 1)[1]))

    def close(self) -> None:
        pass


def started() -> tuple[StrategyServer, Kept]:
    server = create_server()
    kept = Kept()
    server.protocol.set_writer(kept)
    return server, kept


def answer_now() -> Generator[Any, Any, str]:
    return "now"
    yield  # a generator, as the real handlers are


def answer_after(waited: asyncio.Event) -> Generator[Any, Any, str]:
    async def wait() -> str:
        await waited.wait()
        return "later"

    value = yield wait, (), None
    return f"{value}!"


def failing() -> Generator[Any, Any, str]:
    raise RuntimeError("boom")
    yield


async def test_a_ready_answer_is_sent_in_the_same_call() -> None:
    server, kept = started()
    server.protocol._advance(1, answer_now(), None)
    assert kept.messages == [{"id": 1, "jsonrpc": "2.0", "result": "now"}]


async def test_an_answer_that_waits_is_sent_when_the_wait_ends() -> None:
    server, kept = started()
    waited = asyncio.Event()
    server.protocol._advance(2, answer_after(waited), None)
    assert kept.messages == [] and 2 in server.protocol._request_futures
    waited.set()
    for _ in range(5):
        await asyncio.sleep(0)
    assert kept.messages == [{"id": 2, "jsonrpc": "2.0", "result": "later!"}]
    assert 2 not in server.protocol._request_futures


async def test_a_waiting_request_can_be_cancelled_by_the_client() -> None:
    server, kept = started()
    server.protocol._advance(3, answer_after(asyncio.Event()), None)
    server.protocol._handle_cancel_notification(3)
    for _ in range(5):
        await asyncio.sleep(0)
    assert len(kept.messages) == 1
    assert kept.messages[0]["id"] == 3 and kept.messages[0]["error"]["code"] == -32800


async def test_a_failing_handler_gets_an_error_answer_not_a_dead_server() -> None:
    server, kept = started()
    server.protocol._advance(4, failing(), None)
    assert kept.messages[0]["id"] == 4 and kept.messages[0]["error"]["code"] == -32603
