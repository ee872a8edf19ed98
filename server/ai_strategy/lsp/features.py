"""What a feature module declares, and how the server registers it with pygls.

Each feature module (hover.py, completion.py, ...) ends with `FEATURES`: the LSP methods or
commands it answers, with the options it advertises and its handler. A handler takes the
session and the params (a command: the session and its arguments) and returns the result; it
may be async. A request about a document is a generator that starts with
`found = yield from session.analysed(uri)`: pygls runs generator handlers itself, so when the
analysis of the current text is ready (the usual case: it ran on the keystroke) the answer goes
out in the call that read the request, and otherwise pygls awaits the analysis and resumes it.

`server.FEATURES` is the one table of every module's declarations; `register` hands each to
pygls' public `feature` / `command` decorators, guarded so that no handler can stop the server:
a failure is logged on stderr and answered with the feature's `fallback`.

Feature modules import the engine (analysis, rules, recommendation) inside their handlers, not
at the top: the server answers `initialize` before the engine is imported.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Callable, Generator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pygls.exceptions import JsonRpcException

if TYPE_CHECKING:
    from .server import StrategyServer
    from .session import Session

log = logging.getLogger("ai_strategy.lsp")

Answer = Generator[Any, Any, Any]
"""What a generator handler is: it may yield `(coroutine function, args, None)` to pygls."""

Wire = dict[str, Any]
"""A protocol object as its JSON. Replies sent often (completion lists, hovers) are built as JSON
directly: constructing lsprotocol's objects and converting them back to JSON cost more than
working out the answer."""


def _nothing() -> None:
    return None


@dataclass(frozen=True)
class Feature:
    """One LSP method (or command) the server answers."""

    method: str
    """The LSP method, e.g. `textDocument/hover`, or the command's name when `command`."""
    handler: Callable[[Session, Any], Any]
    """(session, params) -> result, plain or async."""
    options: Any = None
    """The registration options pygls advertises in the server's capabilities."""
    fallback: Callable[[], Any] = _nothing
    """The answer when the handler fails."""
    command: bool = False
    """A `workspace/executeCommand` command rather than an LSP method."""
    replaces_pygls: bool = False
    """pygls has a builtin handler for this notification that would run first, and this one
    replaces it: `StrategyProtocol` hands the message to this handler instead of to pygls."""


def register(server: StrategyServer, session: Session, feature: Feature) -> None:
    """Register one feature with pygls, guarded (see the module docstring)."""
    answer = guarded(feature, session)
    if feature.replaces_pygls:
        server.protocol.replaced[feature.method] = answer
    elif feature.command:

        async def run_command(*arguments: Any) -> Any:
            result = answer(list(arguments))
            return await result if inspect.isawaitable(result) else result

        server.command(feature.method)(run_command)
    else:
        server.feature(feature.method, feature.options)(answer)


def guarded(feature: Feature, session: Session) -> Callable[[Any], Any]:
    """The feature's handler for pygls: given the session, failures logged and answered with
    the fallback; a JsonRpcException goes on to pygls, which answers it as the error it names."""
    handler, fallback, name = feature.handler, feature.fallback, feature.method
    if inspect.isgeneratorfunction(handler):

        def answer_generator(params: Any) -> Answer:
            try:
                return (yield from handler(session, params))
            except JsonRpcException:
                raise
            except Exception:
                log.exception("%s failed", name)
                return fallback()

        return answer_generator

    if inspect.iscoroutinefunction(handler):

        async def answer_async(params: Any) -> Any:
            try:
                return await handler(session, params)
            except JsonRpcException:
                raise
            except Exception:
                log.exception("%s failed", name)
                return fallback()

        return answer_async

    def answer(params: Any) -> Any:
        try:
            return handler(session, params)
        except JsonRpcException:
            raise
        except Exception:
            log.exception("%s failed", name)
            return fallback()

    return answer
