"""The stdio transport's framing: messages split, merged or malformed however the pipe delivers."""

from __future__ import annotations

import asyncio
import json

import pytest

from ai_strategy.lsp.stdio import MAX_HEADER_BYTES, MessageFramer, content_length


def frame(payload: object, headers: str = "") -> bytes:
    body = json.dumps(payload).encode()
    return f"Content-Length: {len(body)}\r\n{headers}\r\n".encode() + body


class Collector:
    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.closed: asyncio.Future[None] = self.loop.create_future()
        self.bodies: list[object] = []
        self.framer = MessageFramer(lambda body: self.bodies.append(json.loads(body)), self.closed)

    def feed(self, data: bytes, chunk: int | None = None) -> None:
        step = chunk or max(len(data), 1)
        for start in range(0, len(data), step):
            self.framer.data_received(data[start : start + step])

    def close(self) -> None:
        self.loop.close()


@pytest.fixture
def collector() -> Collector:
    made = Collector()
    yield made  # type: ignore[misc]
    made.close()


@pytest.mark.parametrize("chunk", [None, 1, 2, 3, 7, 16, 1000])
def test_messages_arrive_whole_in_order_however_the_bytes_are_split(collector: Collector, chunk: int) -> None:
    messages = [{"id": i, "text": "é" * i + "\r\n\r\n"} for i in range(5)]
    collector.feed(b"".join(frame(m) for m in messages), chunk)
    assert collector.bodies == messages


def test_other_headers_and_header_case_are_accepted(collector: Collector) -> None:
    body = b'{"a": 1}'
    data = b"content-type: application/vscode-jsonrpc; charset=utf-8\r\nCONTENT-LENGTH: 8\r\n\r\n" + body
    collector.feed(data)
    assert collector.bodies == [{"a": 1}]


def test_a_header_block_without_length_is_skipped_and_reading_goes_on(collector: Collector) -> None:
    collector.feed(b"Content-Type: x\r\n\r\n" + frame({"after": True}))
    assert collector.bodies == [{"after": True}]


def test_a_runaway_header_is_dropped_without_growing_forever(collector: Collector) -> None:
    collector.feed(b"x" * (MAX_HEADER_BYTES + 10))
    assert len(collector.framer._buffer) == 0
    collector.feed(frame({"ok": 1}))
    assert collector.bodies == [{"ok": 1}]


def test_end_of_input_resolves_the_closed_future(collector: Collector) -> None:
    collector.framer.eof_received()
    collector.framer.connection_lost(None)
    assert collector.closed.done()


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        (b"Content-Length: 12", 12),
        (b"Content-Length:12", 12),
        (b"Content-Length: -1", None),
        (b"Content-Length: twelve", None),
        (b"Content-Type: text", None),
    ],
)
def test_content_length(headers: bytes, expected: int | None) -> None:
    assert content_length(headers) == expected
