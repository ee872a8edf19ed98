"""The stdio transport: LSP messages read from a pipe by an asyncio protocol, as bytes arrive.

pygls reads standard input in a worker thread, three thread hand-offs per message (header line,
blank line, body); even on an asyncio stream, each message costs a coroutine per read and an
extra turn of the event loop. Here the pipe's bytes are framed (`Content-Length` headers) in the
callback that receives them and each message goes to pygls' protocol at once, so a request is
answered in the same loop turn that read it. Answers are written by pygls' own stdout writer.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import stat
import sys
import threading
from typing import Any

from pygls.exceptions import JsonRpcException

log = logging.getLogger("ai_strategy.lsp")

MAX_HEADER_BYTES = 64 * 1024
"""A header block longer than this without its blank line is not LSP: the buffer is dropped."""


class MessageFramer(asyncio.Protocol):
    """Splits a byte stream into LSP message bodies and hands each to `deliver`."""

    def __init__(self, deliver: Any, closed: asyncio.Future[None]) -> None:
        self._deliver = deliver
        self._closed = closed
        self._buffer = bytearray()
        self._length: int | None = None

    def data_received(self, data: bytes) -> None:
        """Frame and deliver every complete message the buffer holds."""
        buffer = self._buffer
        buffer += data
        while True:
            if self._length is None:
                end = buffer.find(b"\r\n\r\n")
                if end < 0:
                    if len(buffer) > MAX_HEADER_BYTES:
                        log.error("dropped %d bytes that hold no LSP header", len(buffer))
                        buffer.clear()
                    return
                self._length = content_length(bytes(buffer[:end]))
                del buffer[: end + 4]
                if self._length is None:
                    log.error("LSP message without a Content-Length header: skipped")
                    continue
            if len(buffer) < self._length:
                return
            body = bytes(buffer[: self._length])
            del buffer[: self._length]
            self._length = None
            self._deliver(body)

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


def content_length(headers: bytes) -> int | None:
    """The Content-Length of a header block (names are case-insensitive), None if absent or bad."""
    for line in headers.split(b"\r\n"):
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            try:
                length = int(value.strip())
            except ValueError:
                return None
            return length if length >= 0 else None
    return None


def serve_pipes(server: Any) -> bool:
    """Serve the language server over stdin/stdout pipes; False where that is not possible.

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
            protocol.handle_message(message)
        except Exception as error:  # as pygls' own loop: log, report, read on
            log.exception("Unable to handle message")
            server.report_server_error(error, JsonRpcException)

    async def serve() -> None:
        nonlocal connected
        loop = asyncio.get_running_loop()
        closed: asyncio.Future[None] = loop.create_future()
        try:
            await loop.connect_read_pipe(lambda: MessageFramer(deliver, closed), sys.stdin.buffer)
        except (OSError, ValueError):
            return  # pygls' reader takes over
        connected = True
        await closed

    # as pygls' own start_io does, with the reader replaced
    server._stop_event = threading.Event()
    protocol.set_writer(StdoutWriter(sys.stdout.buffer))
    try:
        asyncio.run(serve())
    except BrokenPipeError:
        log.error("Connection to the client is lost! Shutting down the server.")
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        if connected:
            server.shutdown()
    return connected
