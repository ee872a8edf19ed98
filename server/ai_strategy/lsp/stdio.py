"""The stdio transport: LSP messages framed as the pipe's bytes arrive, and resynchronised.

Why not pygls' own reader: it reads standard input line by line in a worker thread and trusts
every `Content-Length`. One message with a wrong length makes it read into the next message, and
from then on each header sits after the end of a body on the same line, where it is never
recognised again: the stream is broken for good (LSP 3.17 asks for no less than to go on). Here
a header is looked for anywhere in the bytes, and a body that holds the start of another message
is cut there: a raw `Content-Length: N` followed by a line break cannot occur in a JSON text
(JSON strings escape line breaks, and the words are not JSON outside a string). A body that is
not JSON is answered with -32700 and skipped; reading goes on with the next header.

Framing in the callback that receives the bytes also spares each message a thread hand-off and
a turn of the event loop. Messages go to pygls' protocol (`structure_message`, `handle_message`)
and answers out through pygls' stdout writer: only public pygls API is used.

The switch: `AI_STRATEGY_LSP_READER=pygls` serves with pygls' `start_io` instead (everything
but the resynchronisation holds there too). `serve` picks the reader.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import re
import stat
import sys
from collections.abc import Callable
from typing import Any

log = logging.getLogger("ai_strategy.lsp")

READER_SWITCH = "AI_STRATEGY_LSP_READER"
"""Environment variable: `pygls` serves stdio with pygls' own reader instead of this one."""
MAX_HEADER_BYTES = 64 * 1024
"""Bytes kept while no header is found: enough for any header block, bounded for junk."""

_LENGTH = re.compile(rb"Content-Length[ \t]*:[ \t]*(\d+)[ \t]*\r\n", re.IGNORECASE)
_HEADER_LINES = re.compile(rb"(?:[A-Za-z0-9!#$%&'*+.^_`|~-]+:[^\r\n]*\r\n)*")
_HEADER_START = re.compile(rb"Content-(?:Length|Type)[ \t]*:", re.IGNORECASE)
"""LSP's two headers: a body followed by one of them ends where it should."""


class MessageFramer(asyncio.Protocol):
    """Splits a byte stream into LSP message bodies and hands each to `deliver`."""

    def __init__(self, deliver: Callable[[bytes], None], closed: asyncio.Future[None]) -> None:
        self._deliver = deliver
        self._closed = closed
        self._buffer = bytearray()
        self._body: tuple[int, int] | None = None
        """(start, declared end) of the body being read, in the buffer."""
        self._checked = 0
        """How far the body has been searched for the start of another message."""

    def data_received(self, data: bytes) -> None:
        """Frame and deliver every complete message the buffer holds."""
        self._buffer += data
        while True:
            if self._body is None and not self._find_header():
                return
            if self._body is not None and not self._take_body():
                return

    def _find_header(self) -> bool:
        """Find the next header block and drop what comes before it, or drop a broken one.
        False: nothing to do until more bytes arrive."""
        buffer = self._buffer
        match = _LENGTH.search(buffer)
        if match is None:
            if len(buffer) > MAX_HEADER_BYTES:
                log.error("skipped %d bytes that hold no LSP header", len(buffer) - 32)
                del buffer[:-32]  # the tail may be the start of a header
            return False
        end = buffer.find(b"\r\n\r\n", match.end() - 2)
        if end < 0:
            if len(buffer) - match.start() > MAX_HEADER_BYTES:
                log.error("an LSP header block without its end: skipped")
                del buffer[: match.end()]
            return False
        if _HEADER_LINES.fullmatch(buffer, match.end(), end + 2) is None:
            log.error("an LSP header block without its blank line: skipped")
            del buffer[: match.end()]
            return True
        if match.start() and _HEADER_LINES.fullmatch(buffer, 0, match.start()) is None:
            log.error("skipped %d bytes before an LSP header (a wrong Content-Length before?)", match.start())
        start = end + 4
        self._body = (start, start + int(match.group(1)))
        self._checked = start
        return True

    def _take_body(self) -> bool:
        """Deliver the body when it is complete or cut short by another message; else wait."""
        assert self._body is not None
        buffer = self._buffer
        start, end = self._body
        complete = len(buffer) >= end
        if complete and _HEADER_START.match(buffer, end):
            cut = None  # the usual case: the next message right after the body
        else:
            cut = self._header_inside(start, end)
            if cut is None and (not complete or self._header_begins_at_the_end(start)):
                return False
        if cut is not None:
            log.error(
                "Content-Length %d does not match: the next message starts after %d bytes",
                end - start,
                cut - start,
            )
            end = cut
        body = bytes(buffer[start:end])
        del buffer[:end]
        self._body = None
        self._deliver(body)
        return True

    def _header_inside(self, start: int, end: int) -> int | None:
        """Where another message's Content-Length header begins before `end`, if one does."""
        buffer = self._buffer
        since = max(start, self._checked - 64)  # a header may have been split between two reads
        self._checked = len(buffer)
        if buffer.find(b"\r\n", since) < 0:  # a header line ends with one; JSON bodies rarely hold one
            return None
        match = _LENGTH.search(buffer, since)
        if match is None or match.start() >= end:
            return None
        return match.start()

    def _header_begins_at_the_end(self, start: int) -> bool:
        """Whether the bytes received last could be the first bytes of a Content-Length header
        (a JSON text cannot end so): wait for the rest before cutting or delivering."""
        buffer = self._buffer
        at = max(start, len(buffer) - 40)
        while (at := _find_c(buffer, at)) >= 0:
            if _could_begin_header(bytes(buffer[at:])):
                return True
            at += 1
        return False

    def eof_received(self) -> bool:
        """The client closed its end: the server stops."""
        self._finish()
        return False

    def connection_lost(self, exc: Exception | None) -> None:
        """The pipe is gone: the server stops."""
        self._finish()

    def _finish(self) -> None:
        if not self._closed.done():
            self._closed.set_result(None)


_NAME = b"content-length:"
_PARTIAL_VALUE = re.compile(rb"[ \t]*\d*[ \t]*\r?")


def _find_c(buffer: bytearray, at: int) -> int:
    upper, lower = buffer.find(b"C", at), buffer.find(b"c", at)
    return min(upper, lower) if upper >= 0 and lower >= 0 else max(upper, lower)


def _could_begin_header(tail: bytes) -> bool:
    """Whether `tail` is the beginning of a `Content-Length: N\\r\\n` line."""
    lowered = tail.lower()
    if len(lowered) <= len(_NAME):
        return _NAME.startswith(lowered)
    return lowered.startswith(_NAME) and _PARTIAL_VALUE.fullmatch(tail, len(_NAME)) is not None


def serve(server: Any) -> None:
    """Serve the language server on stdin/stdout with the reader the switch selects."""
    if os.environ.get(READER_SWITCH) == "pygls" or not serve_pipes(server):
        server.start_io()


def serve_pipes(server: Any) -> bool:
    """Serve over stdin/stdout pipes with `MessageFramer`; False where that is not possible.

    Where standard input is not a pipe or socket (a file, a terminal), or on Windows, the caller
    falls back to pygls' own reader.
    """
    from pygls.io_ import StdoutWriter

    if sys.platform == "win32":
        return False
    try:
        info, out = os.fstat(sys.stdin.fileno()), os.fstat(sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        return False
    if not (stat.S_ISFIFO(info.st_mode) or stat.S_ISSOCK(info.st_mode)):
        return False
    if (info.st_dev, info.st_ino) == (out.st_dev, out.st_ino):
        return False  # one socket both ways: non-blocking reads would make writes non-blocking too
    protocol = server.protocol
    connected = False

    def deliver(body: bytes) -> None:
        try:
            message = json.loads(body, object_hook=protocol.structure_message)
        except ValueError as error:
            protocol.parse_error(str(error))
            return
        try:
            protocol.handle_message(message)
        except Exception as error:  # as pygls' own loop: log, report, read on
            log.exception("Unable to handle message")
            server.report_server_error(error, type(error))

    async def read() -> None:
        nonlocal connected
        loop = asyncio.get_running_loop()
        closed: asyncio.Future[None] = loop.create_future()
        try:
            await loop.connect_read_pipe(lambda: MessageFramer(deliver, closed), sys.stdin.buffer)
        except (OSError, ValueError):
            return  # pygls' reader takes over
        connected = True
        await closed

    protocol.set_writer(StdoutWriter(sys.stdout.buffer))
    try:
        asyncio.run(read())
    except BrokenPipeError:
        log.error("Connection to the client is lost! Shutting down the server.")
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        if connected:
            server.shutdown()
    return connected
