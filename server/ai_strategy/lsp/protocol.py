"""The JSON-RPC rules of LSP 3.17 that pygls leaves to the server, on pygls' public API only.

pygls structures every message into lsprotocol's types and dispatches it. What the
specification also asks, and what this protocol adds before pygls' own `handle_message`:

- a request whose params do not match the method's type is answered with -32602 (pygls would
  raise while decoding and leave it unanswered); a notification with bad params is logged and
  dropped;
- an `id` that is neither a number nor a string is answered with -32600 and `id: null`;
- a request before `initialize` is answered with -32002; a notification before it is dropped,
  except `exit`;
- a request after `shutdown` is answered with -32600 (pygls would drop it unanswered);
- `exit` ends the process with code 0 after `shutdown`, 1 without (`exit_code`).

Each rejection is logged on stderr; none becomes a popup. These answers never reach a handler,
so they are written here with the writer pygls was given (`set_writer`), framed as pygls frames.
"""

from __future__ import annotations

import asyncio
import inspect
import json
import logging
from collections.abc import Callable
from typing import Any

import attrs
from cattrs import Converter
from lsprotocol import types
from pygls.exceptions import (
    JsonRpcException,
    JsonRpcInvalidParams,
    JsonRpcInvalidRequest,
    JsonRpcParseError,
    JsonRpcServerNotInitialized,
)
from pygls.protocol import JsonRPCResponseMessage, LanguageServerProtocol, default_converter

log = logging.getLogger("ai_strategy.lsp")


class _WithoutDecodingTraceback(logging.Filter):
    """pygls logs a traceback for a message that does not validate; `StrategyProtocol` logs
    one line that says what is wrong instead (a traceback reads like a crash of the server)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("Unable to deserialize message")


logging.getLogger("pygls.protocol.json_rpc").addFilter(_WithoutDecodingTraceback())

CUSTOM_MESSAGE_TYPES: dict[str, type] = {}
"""Message types of the server's own methods (see `custom_request`), by method name."""


@attrs.define
class Rejected:
    """A message that pygls is not given: answered when it is a request, logged either way."""

    id: Any
    method: str
    request: bool
    error: JsonRpcException
    jsonrpc: str = "2.0"


def converter() -> Converter:
    """pygls' converter, with each response written envelope first: its result is converted by
    its own type when the JSON encoder meets it (pygls hands the encoder to this converter), so
    a result that is JSON already (a completion list built as JSON) is not walked item by item."""
    made: Converter = default_converter()  # type: ignore[no-untyped-call]
    made.register_unstructure_hook(
        JsonRPCResponseMessage, lambda message: {"id": message.id, "jsonrpc": "2.0", "result": message.result}
    )
    return made


def valid_id(value: object) -> bool:
    """JSON-RPC ids are strings or integers (LSP: `integer | string`); true and false are not."""
    return isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool))


def custom_request(method: str, params_type: type) -> type:
    """Declare the params type of one of the server's own requests, so that pygls structures and
    validates its params as it does for LSP's (a bad one is answered with -32602)."""
    name = params_type.__name__.removesuffix("Params") + "Request"
    request = attrs.make_class(
        name,
        {
            "id": attrs.field(type=int | str),  # type: ignore[arg-type]  # attrs takes any annotation
            "params": attrs.field(type=params_type),
            "method": attrs.field(type=str, default=method),
            "jsonrpc": attrs.field(type=str, default="2.0"),
        },
    )
    CUSTOM_MESSAGE_TYPES[method] = request
    return request


class StrategyProtocol(LanguageServerProtocol):
    """pygls' LSP protocol with the specification's lifecycle and error rules (module docstring)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initialize_received = False
        self.shutdown_received = False
        self.exit_code: int | None = None
        """Set when `exit` arrives: 0 after `shutdown`, 1 without (LSP 3.17, "exit")."""
        self.framed = True
        self.sending: set[asyncio.Future[Any]] = set()
        self.replaced: dict[str, Callable[[Any], Any]] = {}
        """Notifications handled here instead of by pygls' builtin handler (features.py)."""

    def set_writer(self, writer: Any, include_headers: bool = True) -> None:
        """pygls' writer, remembered with its framing for the answers written here."""
        super().set_writer(writer, include_headers)
        self.framed = include_headers

    def get_message_type(self, method: str) -> type | None:  # type: ignore[override]
        """lsprotocol's type for LSP methods, ours for the server's own requests."""
        custom = CUSTOM_MESSAGE_TYPES.get(method)
        return custom if custom is not None else super().get_message_type(method)

    def structure_message(self, data: dict[str, Any]) -> Any:
        """A message as its lsprotocol type; one that does not validate as a `Rejected`."""
        if "jsonrpc" not in data:
            return data  # a nested object: pygls structures it with its message
        method = data.get("method")
        request = "id" in data
        if request and method is not None and not valid_id(data["id"]):
            error = JsonRpcInvalidRequest(f"id must be a number or a string, got {json.dumps(data['id'])}")
            return Rejected(None, method, True, error)
        try:
            return super().structure_message(data)
        except JsonRpcException as error:
            if method is None:
                raise  # a response from the client that does not validate: pygls logs it
            text = f"{method}: params do not match the method's type"
            if error.__cause__ is not None:
                text += f" ({_first_line(error.__cause__)})"
            return Rejected(data.get("id"), method, request, JsonRpcInvalidParams(text))

    def handle_message(self, message: Any) -> None:
        """Apply the lifecycle and validity rules, then hand the message to pygls."""
        method = getattr(message, "method", None)
        if method is None:
            if hasattr(message, "id"):  # a response to a request of the server
                super().handle_message(message)
            else:
                self.reject(None, JsonRpcInvalidRequest("not a JSON-RPC message"), "message", True)
            return
        request = message.request if isinstance(message, Rejected) else hasattr(message, "id")
        error = self._lifecycle_error(method, request)
        if error is None and isinstance(message, Rejected):
            error = message.error
        if error is not None:
            self.reject(message.id if request else None, error, method, request)
            return
        if method == types.INITIALIZE:
            self.initialize_received = True
        elif method == types.SHUTDOWN:
            self.shutdown_received = True
        elif not request and (replacement := self.replaced.get(method)) is not None:
            replacement(message.params)
            return
        super().handle_message(message)

    def _lifecycle_error(self, method: str, request: bool) -> JsonRpcException | None:
        """Why a message may not be handled at this point of the session, if it may not."""
        if method == types.EXIT:
            self.exit_code = 0 if self.shutdown_received else 1
            return None
        if not self.initialize_received and method != types.INITIALIZE:
            return JsonRpcServerNotInitialized(f"{method} before initialize")
        if self.shutdown_received:
            return JsonRpcInvalidRequest(f"{method} after shutdown")
        return None

    def reject(self, msg_id: Any, error: JsonRpcException, method: str, answer: bool) -> None:
        """Log a message that pygls is not given, and answer it when it is a request."""
        log.warning("%s: %s (%s)", method, error.message, error.code)
        if answer:
            self.write_error(msg_id, error)

    def write_error(self, msg_id: Any, error: JsonRpcException) -> None:
        """Write a JSON-RPC error response with pygls' writer, framed as pygls frames."""
        if self.writer is None:
            return
        body = json.dumps(
            {"jsonrpc": "2.0", "id": msg_id, "error": {"code": error.code, "message": error.message}}
        )
        data = f"Content-Length: {len(body.encode())}\r\n\r\n{body}" if self.framed else body
        written = self.writer.write(data.encode())
        if inspect.isawaitable(written):  # the websocket writer
            sending = asyncio.ensure_future(written)
            self.sending.add(sending)
            sending.add_done_callback(self.sending.discard)

    def parse_error(self, detail: str) -> None:
        """Answer a message body that is not JSON (JSON-RPC: -32700 with `id: null`)."""
        self.reject(None, JsonRpcParseError(f"the message is not JSON ({detail})"), "message", True)


def _first_line(error: BaseException) -> str:
    exceptions = getattr(error, "exceptions", None)
    while exceptions:  # cattrs groups the causes: the first leaf says what is wrong
        error = exceptions[0]
        exceptions = getattr(error, "exceptions", None)
    return f"{type(error).__name__}: {error}".splitlines()[0][:200]
