"""What the server knows about one client session: settings, documents, and their analyses.

Analyses run one revision at a time per document: a keystroke schedules a new analysis, a result
that arrives after a newer keystroke is dropped, and requests (hover, completion...) await the
analysis of the text they are about. Long texts are analysed in worker threads, so a slow document
never holds up the others and the event loop stays free to read the client's messages; short ones
(INLINE_CHARS) on the event loop, where they take less time than a hand-off to a thread.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import logging
import os
import stat
from collections.abc import Coroutine, Generator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, BinaryIO

from lsprotocol import types

from ..settings import EditorSettings, SettingsError
from .documents import Analysis, OpenDocument, is_strategy_file
from .positions import UTF16, Positions

if TYPE_CHECKING:
    from pygls.lsp.server import LanguageServer

    from ..analysis import LintOptions

log = logging.getLogger(__name__)

FILES_TTL = 30.0
"""Seconds a workspace folder walk is reused before the folders are walked again."""
INLINE_CHARS = 20_000
"""Texts up to this size (a few hundred lines, a few ms to analyse) are analysed on the event
loop: handing them to a worker thread and back costs more than analysing them. Larger texts go
to a worker thread, so the loop keeps reading the client's messages meanwhile."""


@dataclass
class DiskFile:
    """A strategy file on disk that is not open in the editor, and its last analysis."""

    path: str
    uri: str
    stamp: tuple[int, int]
    analysis: Analysis


def open_regular_file(path: str) -> BinaryIO:
    """Open a file for reading only if it is a regular file: a FIFO or a device could block the
    thread that reads it forever (opening does not block: O_NONBLOCK); OSError otherwise."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    descriptor = os.open(path, flags)
    try:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise OSError(errno.EINVAL, "not a regular file", path)
        if hasattr(os, "set_blocking"):
            os.set_blocking(descriptor, True)
        return os.fdopen(descriptor, "rb")
    except BaseException:
        os.close(descriptor)
        raise


def settings_problem(error: SettingsError) -> str:
    """The message shown for settings that cannot be used."""
    return f"ai-strategy: invalid settings ({error}); using the defaults instead."


class Session:
    """Settings, open documents and analyses for one client."""

    def __init__(self, server: LanguageServer) -> None:
        self.server = server
        self.settings = EditorSettings()
        self.generation = 0
        self.encoding: str = UTF16
        self.pull = False
        self.documents: dict[str, OpenDocument] = {}
        self.disk: dict[str, DiskFile] = {}
        self.executor = ThreadPoolExecutor(max_workers=4, thread_name_prefix="ai-strategy")
        self.initial_settings: object = None
        self.workspace_folder_settings: dict[str, EditorSettings | None] = {}
        """What the client answered for each workspace folder (files on disk; configuration.py)."""
        """The initializationOptions, until `initialized` applies them."""
        self.tasks: set[asyncio.Task[Any]] = set()
        self.known_files: tuple[float, list[tuple[str, str]]] | None = None
        self.project_problems: set[str] = set()
        """Problems of project settings shown already (project.py)."""
        self._workspace_waiter: asyncio.Future[None] | None = None

    def spawn(self, work: Coroutine[Any, Any, Any]) -> None:
        """Run a coroutine in the background; its failure is logged, never raised."""

        async def guarded() -> None:
            try:
                await work
            except Exception:
                log.exception("background task failed")

        task = asyncio.ensure_future(guarded())
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    # ---- capabilities -----------------------------------------------------------------
    @property
    def capabilities(self) -> types.ClientCapabilities:
        """What the client declared at initialize."""
        return self.server.client_capabilities

    def configure_client(self, capabilities: types.ClientCapabilities, encoding: str) -> None:
        """Decide push or pull diagnostics and remember the position encoding."""
        text = capabilities.text_document
        self.pull = bool(text is not None and text.diagnostic is not None)
        self.encoding = encoding

    # ---- settings ---------------------------------------------------------------------
    def apply_settings(self, raw: object) -> str | None:
        """Validate and use new settings; on error keep the defaults and return the message."""
        try:
            settings = self.parse_settings(raw)
            problem = None
        except SettingsError as error:
            settings = EditorSettings()
            problem = settings_problem(error)
        if settings != self.settings:
            self.settings = settings
            self.settings_changed()
        return problem

    @staticmethod
    def parse_settings(raw: object) -> EditorSettings:
        """Settings as a client sent them, validated against the rule codes (SettingsError)."""
        from ..rules import KNOWN_CODES

        return EditorSettings.parse(raw, KNOWN_CODES)

    def settings_for(self, doc: OpenDocument | None) -> EditorSettings:
        """The settings that apply to a document: the session's, with its folder's `resource` ones."""
        folder = doc.folder_settings if doc is not None else None
        return self.settings if folder is None else self.settings.with_folder(folder)

    def set_folder_settings(self, doc: OpenDocument, folder: EditorSettings | None) -> bool:
        """Use the settings of the document's folder (None: the session's); True if that changes
        the settings that apply to it."""
        before = self.settings_for(doc)
        doc.folder_settings = folder
        if self.settings_for(doc) == before:
            return False
        self.settings_changed()
        return True

    def can_pull_configuration(self) -> bool:
        """Whether the client answers `workspace/configuration`."""
        workspace = self.capabilities.workspace
        return bool(workspace and workspace.configuration)

    def show_error(self, message: str) -> None:
        """Log a problem and show it to the user (window/showMessage)."""
        log.warning("%s", message)
        self.server.window_show_message(types.ShowMessageParams(types.MessageType.Error, message))

    def settings_changed(self) -> None:
        """Every analysis is of older settings now: none is reused."""
        self.generation += 1
        self.disk.clear()

    def folders_forgotten(self) -> None:
        """The settings of the workspace folders may have changed: ask again when needed."""
        if self.workspace_folder_settings:
            self.workspace_folder_settings.clear()
            self.settings_changed()

    def lint_options(self, path: str | None, settings: EditorSettings | None = None) -> LintOptions:
        """The options a file is analysed with: the project settings of its pyproject.toml
        (project.py) with the editor settings (the session's, or `settings`) added, as the
        command line adds its flags. `path`: None for a document that is not a file."""
        from .project import settings_of

        settings = self.settings if settings is None else settings
        return settings_of(self, path).lint_options(ignore=settings.disable, severity=settings.severity)

    # ---- analysis ---------------------------------------------------------------------
    def analyse_text(
        self,
        text: str,
        path: str,
        uri: str,
        options: LintOptions,
        settings: EditorSettings,
        outline: bool = True,
        previous_tree: Any = None,
    ) -> Analysis:
        """Analyse a text with `options` (`lint_options`): report, diagnostics in client units,
        and (`outline`) the outline.

        A worker thread builds the outline too, so that hover and completion find it ready;
        on the event loop it is left to the first request that needs it. `previous_tree`: the
        document's earlier tree with the edits since recorded (a copy the caller no longer edits).
        """
        from ..analysis import analyse

        report = analyse(text, path, options, previous_tree)
        return self._finish(report, uri, text, options, settings, outline)

    def analyse_file(self, path: str, uri: str, options: LintOptions, settings: EditorSettings) -> Analysis:
        """Analyse a file on disk (in a worker thread); OSError when it is not a regular file."""
        from ..analysis import analyse_bytes, read_limited

        with open_regular_file(path) as handle:
            data = read_limited(handle)
        report = analyse_bytes(data, path, options)
        return self._finish(report, uri, report.text, options, settings)

    def _finish(
        self,
        report: Any,
        uri: str,
        text: str,
        options: LintOptions,
        settings: EditorSettings,
        outline: bool = True,
    ) -> Analysis:
        from .diagnostics import to_diagnostics

        if report.document is not None:
            if outline:
                report.document.outline  # noqa: B018 - built here, off the event loop
            lines = report.document.lines
        else:
            from ..document import LineIndex

            lines = LineIndex(text)
        positions = Positions(lines, self.encoding)
        diagnostics = to_diagnostics(report, positions, uri, settings.docs_base_url)
        return Analysis(report, positions, diagnostics, text, options)

    def analysis(self, doc: OpenDocument) -> asyncio.Future[Analysis]:
        """The analysis of the document's current text (shared by every caller)."""
        key = (doc.revision, self.generation)
        if doc.cache is not None and doc.cache[0] == key:
            return doc.cache[1]
        loop = asyncio.get_running_loop()
        future: asyncio.Future[Analysis]
        # a snapshot: the document's own tree goes on recording the edits that follow
        previous = doc.tree.copy() if doc.tree is not None else None
        settings = self.settings_for(doc)
        options = self.lint_options(doc.file, settings)
        if len(doc.text) <= INLINE_CHARS:
            future = loop.create_future()
            try:
                analysis = self.analyse_text(doc.text, doc.path, doc.uri, options, settings, False, previous)
                future.set_result(analysis)
            except Exception as error:  # logged by `remember`, as a worker's failure is
                future.set_exception(error)
        else:
            future = asyncio.ensure_future(
                loop.run_in_executor(
                    self.executor,
                    self.analyse_text,
                    doc.text,
                    doc.path,
                    doc.uri,
                    options,
                    settings,
                    True,
                    previous,
                )
            )

        def remember(done: asyncio.Future[Analysis]) -> None:
            if done.cancelled() or done.exception() is not None:
                if not done.cancelled():
                    log.error("analysis of %s failed", doc.uri, exc_info=done.exception())
                return
            recommendation = done.result().report.recommendation
            if recommendation is not None and doc.revision == key[0]:
                doc.last_recommendation = recommendation

        future.add_done_callback(remember)
        doc.cache = (key, future)
        return future

    def ready_analysis(self, doc: OpenDocument) -> Analysis | None:
        """The analysis of the document's current text if it has finished (successfully)."""
        future = self.analysis(doc)
        if future.done() and not future.cancelled() and future.exception() is None:
            return future.result()
        return None

    def analysed(self, uri: str) -> Generator[Any, Any, tuple[OpenDocument, Analysis] | None]:
        """For a document request (a generator handler, see features.py): the open document at
        `uri` with the analysis of its current text; at once when it is ready, otherwise pygls
        awaits it. None for a document that is not open (or whose analysis failed)."""
        doc = self.documents.get(uri)
        if doc is None:
            return None
        analysis = self.ready_analysis(doc)
        if analysis is not None:
            return doc, analysis
        found: tuple[OpenDocument, Analysis] | None = yield self._settled, (uri,), None
        return found

    async def _settled(self, uri: str) -> tuple[OpenDocument, Analysis] | None:
        try:
            return await self.current(uri)
        except Exception:  # logged where the analysis failed
            return None

    async def current(self, uri: str) -> tuple[OpenDocument, Analysis] | None:
        """The open strategy document at `uri` and the analysis of its current text."""
        doc = self.documents.get(uri)
        if doc is None:
            return None
        return doc, await self.analysis(doc)

    # ---- documents --------------------------------------------------------------------
    def open(self, item: types.TextDocumentItem) -> None:
        """Track a newly opened document (only strategy files are analysed)."""
        if not is_strategy_file(item.uri):
            return
        doc = OpenDocument(item.uri, item.text, item.version)
        self.documents[item.uri] = doc
        self.disk.pop(item.uri, None)
        self.changed(doc)
        if self.can_pull_configuration():
            from .configuration import use_folder_settings

            self.spawn(use_folder_settings(self, doc))

    def change(self, params: types.DidChangeTextDocumentParams) -> None:
        """Apply the client's edits and schedule new diagnostics."""
        doc = self.documents.get(params.text_document.uri)
        if doc is None:
            return
        tree = self._tree_of(doc)
        if tree is not None:
            doc.tree = tree
        doc.apply(params.content_changes, self.encoding, self._positions_of(doc))
        doc.version = params.text_document.version
        self.changed(doc)

    @staticmethod
    def _finished(doc: OpenDocument) -> Analysis | None:
        """The document's last analysis, if it finished and is of the document's current text."""
        if doc.cache is None:
            return None
        future = doc.cache[1]
        if not future.done() or future.cancelled() or future.exception() is not None:
            return None
        analysis = future.result()
        return analysis if analysis.text is doc.text else None

    def _positions_of(self, doc: OpenDocument) -> Positions | None:
        """The positions of the document's current text, if its analysis has them already."""
        analysis = self._finished(doc)
        return analysis.positions if analysis is not None else None

    def _tree_of(self, doc: OpenDocument) -> Any:
        """A copy of the tree-sitter tree of the document's current text, if its analysis built one."""
        analysis = self._finished(doc)
        document = analysis.report.document if analysis is not None else None
        if document is None or not document.has_outline:
            return None
        return document.outline.tree.copy()

    def close(self, uri: str) -> None:
        """Forget a closed document; its file on disk stays in the workspace diagnostics."""
        doc = self.documents.pop(uri, None)
        if doc is None:
            return
        doc.closed = True
        self.workspace_touched()
        if not self.pull:
            self.spawn(self._publish_closed(uri))

    async def _publish_closed(self, uri: str) -> None:
        from .documents import uri_path

        path = uri_path(uri)
        if self._in_workspace(path) and os.path.isfile(path):
            disk = await self.disk_file(path, uri)
            if uri not in self.documents:
                self.publish(uri, None, disk.analysis.diagnostics if disk else [])
        elif uri not in self.documents:
            self.publish(uri, None, [])

    def changed(self, doc: OpenDocument) -> None:
        """A document's text changed: push its diagnostics (push clients) when ready."""
        if self.pull:
            self.analysis(doc)  # start early: the pull request will find it under way
            return
        if doc.publishing:
            doc.dirty = True
            return
        doc.publishing = True
        self.spawn(self._publish_loop(doc))

    async def _publish_loop(self, doc: OpenDocument) -> None:
        try:
            while not doc.closed:
                doc.dirty = False
                revision = doc.revision
                try:
                    analysis = await self.analysis(doc)
                except Exception:  # logged by the future's callback
                    analysis = None
                if doc.closed:
                    return
                if analysis is not None and doc.revision == revision:
                    self.publish(doc.uri, doc.version, analysis.diagnostics)
                if not doc.dirty and doc.revision == revision:
                    return
        finally:
            doc.publishing = False

    def publish(self, uri: str, version: int | None, diagnostics: list[types.Diagnostic]) -> None:
        """Send diagnostics to a push client."""
        self.server.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics, version=version)
        )

    def refresh(self) -> None:
        """Settings changed: recompute everything the client shows."""
        self.workspace_touched()
        if self.pull:
            workspace = self.capabilities.workspace
            if workspace and workspace.diagnostics and workspace.diagnostics.refresh_support:
                self.server.workspace_diagnostic_refresh(None)
        else:
            for doc in self.documents.values():
                self.changed(doc)
            self.spawn(self.publish_workspace())
        workspace = self.capabilities.workspace
        if workspace and workspace.inlay_hint and workspace.inlay_hint.refresh_support:
            self.server.workspace_inlay_hint_refresh(None)
        if workspace and workspace.code_lens and workspace.code_lens.refresh_support:
            self.server.workspace_code_lens_refresh(None)

    # ---- workspace --------------------------------------------------------------------
    def roots(self) -> list[str]:
        """The workspace folders as paths."""
        from .documents import uri_path

        try:
            workspace = self.server.workspace
        except RuntimeError:
            return []
        uris = [f.uri for f in workspace.folders.values()]
        if not uris and workspace.root_uri:
            uris = [workspace.root_uri]
        return [uri_path(u) for u in uris if u.startswith("file:")]

    def _in_workspace(self, path: str) -> bool:
        path = os.path.abspath(path)
        return any(
            os.path.commonpath([path, os.path.abspath(root)]) == os.path.abspath(root)
            for root in self.roots()
        )

    async def disk_file(self, path: str, uri: str) -> DiskFile | None:
        """The analysis of a file on disk, recomputed only when its size or mtime changed."""
        try:
            info = os.stat(path)
        except OSError:
            self.disk.pop(uri, None)
            return None
        if not stat.S_ISREG(info.st_mode):  # a pipe or a device: never read (it could block)
            self.disk.pop(uri, None)
            return None
        stamp = (info.st_mtime_ns, info.st_size)
        known = self.disk.get(uri)
        if known is not None and known.stamp == stamp and known.analysis is not None:
            return known
        from .configuration import disk_file_settings

        settings = await disk_file_settings(self, uri)
        options = self.lint_options(path, settings)
        loop = asyncio.get_running_loop()
        try:
            analysis = await loop.run_in_executor(
                self.executor, self.analyse_file, path, uri, options, settings
            )
        except OSError:
            return None
        disk = DiskFile(path, uri, stamp, analysis)
        self.disk[uri] = disk
        return disk

    async def workspace_files(self) -> list[tuple[str, str]]:
        """(path, uri) of every strategy file in the workspace folders.

        The folder walk is remembered for FILES_TTL seconds, and forgotten as soon as the client
        reports a file event or a folder change, so repeated pulls stay cheap in a monorepo.
        """
        from pygls.uris import from_fs_path

        loop = asyncio.get_running_loop()
        if self.known_files is not None and loop.time() - self.known_files[0] < FILES_TTL:
            return self.known_files[1]
        from .project import show_problem, workspace_strategy_files

        paths, problems = await loop.run_in_executor(self.executor, workspace_strategy_files, self.roots())
        for problem in problems:
            show_problem(self, problem)
        found = [(p, from_fs_path(p) or p) for p in paths]
        self.known_files = (loop.time(), found)
        return found

    def workspace_touched(self) -> None:
        """Something the workspace diagnostics depend on changed: wake the requests held for it."""
        waiter, self._workspace_waiter = self._workspace_waiter, None
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    async def workspace_wait(self, seconds: float) -> None:
        """Return after `seconds`, or sooner when `workspace_touched` is called."""
        if self._workspace_waiter is None or self._workspace_waiter.done():
            self._workspace_waiter = asyncio.get_running_loop().create_future()
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(asyncio.shield(self._workspace_waiter), seconds)

    def folders_changed(self) -> None:
        """Workspace folders were added or removed: rescan, and re-report."""
        self.known_files = None
        self.folders_forgotten()
        if self.pull:
            self.refresh()
        else:
            self.spawn(self.publish_workspace())

    async def publish_workspace(self) -> None:
        """Push the diagnostics of every workspace strategy file that is not open."""
        for path, uri in await self.workspace_files():
            if uri in self.documents:
                continue
            disk = await self.disk_file(path, uri)
            if disk is not None and uri not in self.documents:  # it may have opened meanwhile
                self.publish(uri, None, disk.analysis.diagnostics)

    async def files_changed(self, params: types.DidChangeWatchedFilesParams) -> None:
        """Files changed on disk: a pyproject.toml (its settings are read again and everything is
        re-checked), or strategy files (re-checked: push; asked to pull again: pull). Events about
        other files (a watcher's glob can be wider than the strategy file names) change nothing."""
        from .documents import uri_path
        from .project import forget, is_pyproject

        strategy_files = [c for c in params.changes if is_strategy_file(c.uri)]
        if any(is_pyproject(uri_path(c.uri)) for c in params.changes):
            forget(self)
            self.known_files = None
            self.settings_changed()
            self.refresh()
            return
        if not strategy_files:
            return
        self.known_files = None
        if self.pull:
            self.refresh()
            return
        for change in strategy_files:
            if change.uri in self.documents:
                continue
            if change.type == types.FileChangeType.Deleted:
                self.disk.pop(change.uri, None)
                self.publish(change.uri, None, [])
                continue
            disk = await self.disk_file(uri_path(change.uri), change.uri)
            if disk is not None and change.uri not in self.documents:
                self.publish(change.uri, None, disk.analysis.diagnostics)
