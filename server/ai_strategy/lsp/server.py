"""The language server: creation, capabilities, and every handler registered in one place.

Handlers are thin: each hands its request to the feature module that answers it and converts
nothing itself. Every handler is guarded, so no text and no request can stop the server; errors
are logged to stderr (stdout carries the protocol). The core engine is imported after
`initialize` has been answered, so the editor sees the server ready as soon as pygls is.
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
import inspect
import logging
import os
import sys
import threading
from collections.abc import Callable, Generator
from typing import Any, TypeAlias, TypeVar

from lsprotocol import types
from pygls.exceptions import FeatureRequestError, JsonRpcInternalError, JsonRpcRequestCancelled
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol

from .documents import Analysis, OpenDocument
from .positions import encoding_name
from .session import Session

log = logging.getLogger("ai_strategy.lsp")

NAME = "ai-strategy"
SHOW_RECOMMENDATION = "ai-strategy.showRecommendation"
FIX_ALL_KIND = "source.fixAll.ai-strategy"
COMPLETION_TRIGGERS = ["[", "=", '"', ",", " "]

F = TypeVar("F", bound=Callable[..., Any])
T = TypeVar("T")
Answer: TypeAlias = Generator[Any, Any, T]
"""What a generator handler returns: it may yield to pygls once to await an analysis."""


def _version() -> str:
    try:
        from importlib.metadata import version

        return version("ai-strategy")
    except Exception:
        return "0"


DIRECT_REQUESTS = frozenset(
    {
        types.TEXT_DOCUMENT_HOVER,
        types.TEXT_DOCUMENT_COMPLETION,
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.TEXT_DOCUMENT_CODE_LENS,
        types.TEXT_DOCUMENT_INLAY_HINT,
        types.TEXT_DOCUMENT_DOCUMENT_SYMBOL,
        types.TEXT_DOCUMENT_FOLDING_RANGE,
    }
)
"""Requests whose handlers are generators answered by StrategyProtocol._advance."""
DOCUMENT_SYNC = frozenset(
    {types.TEXT_DOCUMENT_DID_OPEN, types.TEXT_DOCUMENT_DID_CHANGE, types.TEXT_DOCUMENT_DID_CLOSE}
)
"""Notifications handed straight to their handler (see StrategyProtocol.handle_message)."""


_RESPONSE_CLASSES: dict[type, bool] = {}
"""Per class: is it a response message (fields id, result, jsonrpc)? Filled on first sight."""


class StrategyProtocol(LanguageServerProtocol):
    """pygls' protocol, except that open documents are kept by the session, not by pygls.

    The session applies incremental changes with LSP's own line breaks and encodings; letting
    pygls keep a second copy would cost a full text rebuild per keystroke for nothing, so
    `handle_message` hands document sync notifications to the session's handlers directly and
    pygls' own document handlers never run.
    """

    def _advance(self, msg_id: Any, answer: Answer[Any], value: Any) -> None:
        """Run a generator handler (see `_analysed`) until it answers, then send its result.

        When the analysis is ready the handler returns at once and the answer goes out in the
        same call; otherwise it yields the coroutine to await, which runs as a task that the
        client can cancel like any pygls request, and the handler resumes when it is done.
        """
        try:
            wait, args, _ = answer.send(value)
        except StopIteration as done:
            self._request_futures.pop(msg_id, None)
            self._send_response(msg_id, result=done.value)
            return
        except Exception as error:  # the handlers are guarded; this is a last line of defence
            self._request_futures.pop(msg_id, None)
            log.exception("request %s failed", msg_id)
            failure = JsonRpcInternalError.of(sys.exc_info())  # type: ignore[no-untyped-call]
            self._send_response(msg_id, error=failure.to_response_error())
            self._server._report_server_error(error, FeatureRequestError)
            return
        task = asyncio.ensure_future(wait(*args))
        self._request_futures[msg_id] = task

        def resume(done: asyncio.Future[Any]) -> None:
            if done.cancelled():
                self._request_futures.pop(msg_id, None)
                cancelled = JsonRpcRequestCancelled(f'Request with id "{msg_id}" is canceled')
                self._send_response(msg_id, error=cancelled.to_response_error())
                return
            error = done.exception()
            if error is not None:
                log.error("request %s failed", msg_id, exc_info=error)
            self._advance(msg_id, answer, None if error is not None else done.result())

        task.add_done_callback(resume)

    def _serialize_message(self, data: Any) -> Any:
        """JSON for an object the standard encoder cannot write (pygls' hook), faster for responses.

        pygls hands a whole response to cattrs, which unstructures the result through the union
        of every type the method may return; that costs as much as computing a completion.
        Here the envelope is written directly and the result converted by its own type (the
        encoder calls back for it), which is what the union resolves to anyway.
        """
        kind = type(data)
        response = _RESPONSE_CLASSES.get(kind)
        if response is None:
            fields = getattr(kind, "__attrs_attrs__", None)
            response = _RESPONSE_CLASSES[kind] = fields is not None and {
                f.name for f in fields
            } == {"id", "result", "jsonrpc"}
        if response:
            return {"id": data.id, "jsonrpc": data.jsonrpc, "result": data.result}
        return super()._serialize_message(data)

    def handle_message(self, message: Any) -> None:
        """pygls' dispatch, with shortcuts for what an editor sends on every keystroke.

        pygls tells requests, notifications and responses apart with isinstance checks against
        runtime-checkable Protocols, about 15 µs a message; the same attributes are read
        directly here. Document sync notifications go straight to the session's handler, which
        is synchronous and never raises: pygls would run each through a generator, a Future and
        a fresh uuid4. Requests about a document (DIRECT_REQUESTS) are answered in place when
        their analysis is ready (`_advance`). Everything else takes pygls' own path.
        """
        if getattr(message, "jsonrpc", None) != self.VERSION:
            log.warning("Unknown message %r", message)
            return
        method = getattr(message, "method", None)
        if self._shutdown and method != types.EXIT:
            log.warning("Server shutting down. No more requests!")
            return
        has_id = hasattr(message, "id")
        if method is not None and hasattr(message, "params"):
            if has_id:
                if method in DIRECT_REQUESTS and (handler := self.fm.features.get(method)) is not None:
                    self._advance(message.id, handler(message.params), None)
                    return
                contextvars.copy_context().run(self._handle_request, message.id, method, message.params)
                return
            if method in DOCUMENT_SYNC and (handler := self.fm.features.get(method)) is not None:
                try:
                    handler(message.params)
                except Exception:  # the handlers are guarded; this is a last line of defence
                    log.exception("%s failed", method)
                return
            contextvars.copy_context().run(self._handle_notification, method, message.params)
        elif has_id and hasattr(message, "result"):
            contextvars.copy_context().run(self._handle_response, message.id, message.result)
        elif has_id:
            contextvars.copy_context().run(self._handle_response, message.id, None, message.error)
        else:
            log.warning("Unknown message %r", message)


class StrategyServer(LanguageServer):
    """The ai-strategy language server: pygls plus the session state."""

    def __init__(self) -> None:
        super().__init__(NAME, _version(), protocol_cls=StrategyProtocol)
        self.session = Session(self)


def guarded(default: Callable[[], Any] = lambda: None) -> Callable[[F], F]:
    """Run a handler so that any exception is logged and answered with `default()`.

    Works for plain, async and generator handlers (see `_analysed`)."""

    def wrap(handler: F) -> F:
        if inspect.isgeneratorfunction(handler):

            @functools.wraps(handler)
            def run_generator(ls: StrategyServer, *args: Any) -> Answer[Any]:
                try:
                    return (yield from handler(ls, *args))
                except Exception:
                    log.exception("%s failed", handler.__name__)
                    return default()

            return run_generator  # type: ignore[return-value]

        if inspect.iscoroutinefunction(handler):

            @functools.wraps(handler)
            async def run_async(ls: StrategyServer, *args: Any) -> Any:
                try:
                    return await handler(ls, *args)
                except Exception:
                    log.exception("%s failed", handler.__name__)
                    return default()

            return run_async  # type: ignore[return-value]

        @functools.wraps(handler)
        def run(ls: StrategyServer, *args: Any) -> Any:
            try:
                return handler(ls, *args)
            except Exception:
                log.exception("%s failed", handler.__name__)
                return default()

        return run  # type: ignore[return-value]

    return wrap


def create_server() -> StrategyServer:
    """A server with every feature registered."""
    server = StrategyServer()
    feature = server.feature

    @feature(types.INITIALIZE)
    @guarded()
    def initialize(ls: StrategyServer, params: types.InitializeParams) -> None:
        session = ls.session
        session.configure_client(params.capabilities, encoding_name(ls.workspace.position_encoding))
        options = params.initialization_options
        if options is not None:
            session.pending_message = session.apply_settings(options)

    @feature(types.INITIALIZED)
    @guarded()
    def initialized(ls: StrategyServer, params: types.InitializedParams) -> None:
        session = ls.session
        if session.pending_message:
            _show_error(ls, session.pending_message)
            session.pending_message = None
        threading.Thread(target=_warm_up, name="ai-strategy-warm-up", daemon=True).start()
        _watch_files(ls)
        if not session.pull:
            session.spawn(session.publish_workspace())

    @feature(types.TEXT_DOCUMENT_DID_OPEN)
    @guarded()
    def did_open(ls: StrategyServer, params: types.DidOpenTextDocumentParams) -> None:
        ls.session.open(params.text_document)

    @feature(types.TEXT_DOCUMENT_DID_CHANGE)
    @guarded()
    def did_change(ls: StrategyServer, params: types.DidChangeTextDocumentParams) -> None:
        ls.session.change(params)

    @feature(types.TEXT_DOCUMENT_DID_CLOSE)
    @guarded()
    def did_close(ls: StrategyServer, params: types.DidCloseTextDocumentParams) -> None:
        ls.session.close(params.text_document.uri)

    @feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
    @guarded()
    async def did_change_configuration(
        ls: StrategyServer, params: types.DidChangeConfigurationParams
    ) -> None:
        raw = params.settings
        if not raw and _can_pull_configuration(ls):
            answer = await ls.workspace_configuration_async(
                types.ConfigurationParams(items=[types.ConfigurationItem(section="aiStrategy")])
            )
            raw = answer[0] if answer else None
        generation = ls.session.generation
        problem = ls.session.apply_settings(raw)
        if problem:
            _show_error(ls, problem)
        if ls.session.generation != generation:
            ls.session.refresh()

    @feature(types.WORKSPACE_DID_CHANGE_WORKSPACE_FOLDERS)
    @guarded()
    def did_change_workspace_folders(
        ls: StrategyServer, params: types.DidChangeWorkspaceFoldersParams
    ) -> None:
        ls.session.folders_changed()

    @feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    @guarded()
    async def did_change_watched_files(ls: StrategyServer, params: types.DidChangeWatchedFilesParams) -> None:
        await ls.session.files_changed(params)

    @feature(
        types.TEXT_DOCUMENT_DIAGNOSTIC,
        types.DiagnosticOptions(identifier=NAME, inter_file_dependencies=False, workspace_diagnostics=True),
    )
    @guarded()
    async def document_diagnostic(
        ls: StrategyServer, params: types.DocumentDiagnosticParams
    ) -> types.DocumentDiagnosticReport:
        from .pull import document_report

        return await document_report(ls.session, params)

    @feature(types.WORKSPACE_DIAGNOSTIC)
    @guarded(lambda: types.WorkspaceDiagnosticReport(items=[]))
    async def workspace_diagnostic(
        ls: StrategyServer, params: types.WorkspaceDiagnosticParams
    ) -> types.WorkspaceDiagnosticReport:
        from .pull import workspace_report

        return await workspace_report(ls.session, params)

    @feature(types.TEXT_DOCUMENT_HOVER)
    @guarded()
    def hover(ls: StrategyServer, params: types.HoverParams) -> Answer[types.Hover | None]:
        from .hover import hover_at

        found = yield from _analysed(ls, params.text_document.uri)
        if found is None:
            return None
        return hover_at(ls.session, found[0], found[1], params.position)

    @feature(
        types.TEXT_DOCUMENT_COMPLETION,
        types.CompletionOptions(trigger_characters=COMPLETION_TRIGGERS),
    )
    @guarded()
    def completion(ls: StrategyServer, params: types.CompletionParams) -> Answer[dict[str, Any] | None]:
        from .completion import complete

        found = yield from _analysed(ls, params.text_document.uri)
        if found is None:
            return None
        return complete(ls.session, found[0], found[1], params.position)

    @feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(
            code_action_kinds=[types.CodeActionKind.QuickFix, FIX_ALL_KIND],
            resolve_provider=True,
        ),
    )
    @guarded()
    def code_action(
        ls: StrategyServer, params: types.CodeActionParams
    ) -> Answer[list[types.CodeAction] | None]:
        from .code_actions import code_actions, fix_all_in_worker, fix_all_is_slow

        found = yield from _analysed(ls, params.text_document.uri)
        if found is None:
            return None
        doc, analysis = found
        if fix_all_is_slow(ls.session, analysis, params):
            yield fix_all_in_worker, (ls.session, doc, analysis), None  # the loop stays free
        return code_actions(ls.session, doc, analysis, params)

    @feature(types.CODE_ACTION_RESOLVE)
    async def resolve_code_action(ls: StrategyServer, action: types.CodeAction) -> types.CodeAction:
        """The edit of a deferred fix-all, worked out on the document's current text; any other
        action comes back as it is."""
        try:
            from .code_actions import resolve_fix_all

            return await resolve_fix_all(ls.session, action)
        except Exception:
            log.exception("resolving a code action failed")
            return action

    @feature(types.TEXT_DOCUMENT_CODE_LENS, types.CodeLensOptions(resolve_provider=False))
    @guarded()
    def code_lens(ls: StrategyServer, params: types.CodeLensParams) -> Answer[list[types.CodeLens] | None]:
        from .recommendation import code_lenses

        found = yield from _analysed(ls, params.text_document.uri)
        if found is None:
            return None
        return code_lenses(found[0], found[1])

    @feature(types.TEXT_DOCUMENT_INLAY_HINT, types.InlayHintOptions(resolve_provider=False))
    @guarded()
    def inlay_hint(ls: StrategyServer, params: types.InlayHintParams) -> Answer[list[types.InlayHint] | None]:
        from .recommendation import inlay_hints

        if not ls.session.settings.inlay_hints:
            return []
        found = yield from _analysed(ls, params.text_document.uri)
        if found is None:
            return None
        return inlay_hints(ls.session, found[0], found[1], params.range)

    @feature(types.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
    @guarded()
    def document_symbol(
        ls: StrategyServer, params: types.DocumentSymbolParams
    ) -> Answer[list[types.DocumentSymbol] | None]:
        from .outline import document_symbols

        found = yield from _analysed(ls, params.text_document.uri)
        if found is None:
            return None
        return document_symbols(found[1])

    @feature(types.TEXT_DOCUMENT_FOLDING_RANGE)
    @guarded()
    def folding_range(
        ls: StrategyServer, params: types.FoldingRangeParams
    ) -> Answer[list[types.FoldingRange] | None]:
        from .outline import folding_ranges

        found = yield from _analysed(ls, params.text_document.uri)
        if found is None:
            return None
        return folding_ranges(found[1])

    @server.command(SHOW_RECOMMENDATION)
    @guarded(lambda: "")
    async def show_recommendation(ls: StrategyServer, *args: Any) -> str:
        from .recommendation import explanation_for

        uri = args[0] if args else None
        if isinstance(uri, dict):
            uri = uri.get("uri")
        if not isinstance(uri, str):
            return "ai-strategy.showRecommendation needs the document URI as its argument."
        return await explanation_for(ls.session, uri)

    return server


def _analysed(ls: StrategyServer, uri: str) -> Answer[tuple[OpenDocument, Analysis] | None]:
    """The open document at `uri` with the analysis of its current text, for generator handlers.

    When the analysis is ready (the usual case: it ran on the keystroke) the handler answers at
    once, without the task and the two event loop turns an async handler costs. Otherwise this
    yields the coroutine to await (`StrategyProtocol._advance` runs it), and the handler resumes
    with its result.
    """
    session = ls.session
    doc = session.documents.get(uri)
    if doc is None:
        return None
    analysis = session.ready_analysis(doc)
    if analysis is not None:
        return doc, analysis
    found: tuple[OpenDocument, Analysis] | None = yield _current, (ls, uri), None
    return found


async def _current(ls: StrategyServer, uri: str) -> tuple[OpenDocument, Analysis] | None:
    try:
        return await ls.session.current(uri)
    except Exception:
        log.exception("analysis of %s failed", uri)
        return None


def _show_error(ls: StrategyServer, message: str) -> None:
    log.warning("%s", message)
    ls.window_show_message(types.ShowMessageParams(types.MessageType.Error, message))


def _can_pull_configuration(ls: StrategyServer) -> bool:
    workspace = ls.client_capabilities.workspace
    return bool(workspace and workspace.configuration)


def _watch_files(ls: StrategyServer) -> None:
    workspace = ls.client_capabilities.workspace
    watched = workspace.did_change_watched_files if workspace else None
    if not (watched and watched.dynamic_registration):
        return
    options = types.DidChangeWatchedFilesRegistrationOptions(
        watchers=[types.FileSystemWatcher(glob_pattern="**/*ai-strategy.toml")]
    )
    registration = types.Registration(
        id="ai-strategy-watched-files",
        method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
        register_options=options,
    )
    ls.client_register_capability(types.RegistrationParams(registrations=[registration]))


def _warm_up() -> None:
    """Import the core and analyse a tiny file, so the first real request is fast."""
    try:
        from ..analysis import analyse

        report = analyse('version = 1\n[strategy]\napproach = "rag"\n[task]\ntype = "qa"\n')
        if report.document is not None:
            report.document.outline  # noqa: B018 - builds the tree-sitter parser
    except Exception:
        log.exception("warm-up failed")


def _configure_logging() -> None:
    level = os.environ.get("AI_STRATEGY_LOG", "WARNING").upper()
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(getattr(logging, level, logging.WARNING))


def start(tcp: int | None = None, ws: int | None = None, host: str = "127.0.0.1") -> None:
    """Run the language server: over stdio, or TCP / websocket when a port is given."""
    _configure_logging()
    server = create_server()
    if tcp is not None:
        server.start_tcp(host, tcp)
    elif ws is not None:
        server.start_ws(host, ws)
    else:
        from .stdio import serve_pipes

        if not serve_pipes(server):
            server.start_io()
