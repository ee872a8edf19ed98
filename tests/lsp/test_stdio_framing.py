"""The stdio transport's framing: messages split, merged or malformed however the pipe delivers,
and the stream resynchronised after a message whose Content-Length is wrong."""

from __future__ import annotations

import asyncio
import json

import pytest

from ai_strategy.lsp.stdio import MAX_HEADER_BYTES, MessageFramer


def frame(payload: object, headers: str = "") -> bytes:
    body = json.dumps(payload).encode()
    return f"Content-Length: {len(body)}\r\n{headers}\r\n".encode() + body


class Collector:
    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.closed: asyncio.Future[None] = self.loop.create_future()
        self.bodies: list[object] = []
        self.framer = MessageFramer(self.deliver, self.closed)

    def deliver(self, body: bytes) -> None:
        try:
            self.bodies.append(json.loads(body))
        except ValueError:
            self.bodies.append(("not JSON", body))

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
    assert len(collector.framer._buffer) < 100
    collector.feed(frame({"ok": 1}))
    assert collector.bodies == [{"ok": 1}]


def wrong_length(payload: object, delta: int) -> bytes:
    body = json.dumps(payload).encode()
    return f"Content-Length: {len(body) + delta}\r\n\r\n".encode() + body


@pytest.mark.parametrize("chunk", [None, 1, 5])
@pytest.mark.parametrize("delta", [1, 2, 20, 5000])
def test_a_length_too_long_is_cut_at_the_next_message(collector: Collector, chunk: int, delta: int) -> None:
    collector.feed(wrong_length({"id": 1}, delta) + frame({"id": 2}) + frame({"id": 3}), chunk)
    assert collector.bodies == [{"id": 1}, {"id": 2}, {"id": 3}]


def test_a_length_too_long_is_cut_even_when_nothing_follows_for_a_while(collector: Collector) -> None:
    collector.feed(wrong_length({"id": 1}, 100))
    assert collector.bodies == []  # it may still come
    collector.feed(frame({"id": 2}))
    assert collector.bodies == [{"id": 1}, {"id": 2}]


@pytest.mark.parametrize("chunk", [None, 1, 5])
@pytest.mark.parametrize("delta", [-1, -5, -12])
def test_a_length_too_short_loses_only_that_message(collector: Collector, chunk: int, delta: int) -> None:
    first = {"id": 1, "text": "a message long enough to be cut"}
    collector.feed(wrong_length(first, delta) + frame({"id": 2}) + frame({"id": 3}), chunk)
    assert collector.bodies[0][0] == "not JSON"  # type: ignore[index]
    assert collector.bodies[1:] == [{"id": 2}, {"id": 3}]


def test_a_header_without_its_blank_line_is_skipped(collector: Collector) -> None:
    collector.feed(b'Content-Length: 8\r\n{"a": 1}' + frame({"after": True}))
    assert collector.bodies == [{"after": True}]


def test_a_body_that_mentions_content_length_in_a_string_is_whole(collector: Collector) -> None:
    message = {"text": "Content-Length: 12\r\n\r\n{}", "id": 4}
    collector.feed(frame(message) + frame({"id": 5}))
    assert collector.bodies == [message, {"id": 5}]


def test_end_of_input_resolves_the_closed_future(collector: Collector) -> None:
    collector.framer.eof_received()
    collector.framer.connection_lost(None)
    assert collector.closed.done()
