"""The language server: created from one table of features and started on a transport.

`FEATURES` is every LSP method and command the server answers, as the feature modules declare
them (see `features.py`); `create_server` registers each with pygls' public API. Adding a feature:
write its module with a `FEATURES` tuple and add that tuple here. Errors are logged to stderr
(stdout carries the protocol); nothing a client sends stops the server. The core engine is
imported after `initialize` has been answered, so the editor sees the server ready as soon as
pygls is.
"""

from __future__ import annotations

import logging
import os
import sys
from typing import Any

from pygls.lsp.server import LanguageServer

from .. import __version__
from . import (
    NAME,
    code_actions,
    completion,
    configuration,
    documents,
    hover,
    lifecycle,
    outline,
    pull,
    recommendation_requests,
)
from .features import Feature, register
from .protocol import StrategyProtocol, converter
from .session import Session

log = logging.getLogger("ai_strategy.lsp")

FEATURES: tuple[Feature, ...] = (
    *lifecycle.FEATURES,
    *configuration.FEATURES,
    *documents.FEATURES,
    *pull.FEATURES,
    *hover.FEATURES,
    *completion.FEATURES,
    *code_actions.FEATURES,
    *recommendation_requests.FEATURES,
    *outline.FEATURES,
)
"""Every method and command the server answers, registered by `create_server`."""


class StrategyServer(LanguageServer):
    """The ai-strategy language server: pygls with the session state and LSP's lifecycle rules."""

    protocol: StrategyProtocol

    def __init__(self) -> None:
        super().__init__(NAME, __version__, protocol_cls=StrategyProtocol, converter_factory=converter)
        self.session = Session(self)

    def report_server_error(self, error: Exception, source: Any) -> None:
        """Log what pygls reports (a failed notification, a message it could not read).

        pygls' default shows it to the user as well; here each such case is logged with what
        was wrong, and the problems the user can act on (settings) are shown by the session.
        """
        log.error("%s: %s", getattr(source, "__name__", source), error)


def create_server() -> StrategyServer:
    """A server with every feature of `FEATURES` registered."""
    server = StrategyServer()
    for feature in FEATURES:
        register(server, server.session, feature)
    return server


def _configure_logging() -> None:
    level = os.environ.get("AI_STRATEGY_LOG", "WARNING").upper()
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(getattr(logging, level, logging.WARNING))


def start(tcp: int | None = None, ws: int | None = None, host: str = "127.0.0.1") -> int:
    """Run the language server over stdio, or TCP / websocket when a port is given.

    Returns the process exit code LSP asks for: 1 when `exit` came without `shutdown`, else 0.
    """
    from .stdio import serve

    _configure_logging()
    server = create_server()
    try:
        if tcp is not None:
            server.start_tcp(host, tcp)
        elif ws is not None:
            server.start_ws(host, ws)
        else:
            serve(server)
    except SystemExit:
        pass  # pygls ends the TCP and websocket servers with it on `exit`
    return server.protocol.exit_code or 0
