"""Open documents: their text kept in sync with the client, and their latest analysis.

Incremental changes are applied here with the same line splitting as the core (pygls' own store
splits lines on more characters than LSP does, which shifts positions after a `\u2028`).
"""

from __future__ import annotations

import asyncio
import posixpath
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlparse

from lsprotocol import types

from ..file_names import is_strategy_file_name
from .features import Feature
from .positions import Positions

if TYPE_CHECKING:
    from ..analysis import LintOptions, Report
    from ..recommend import Recommendation
    from ..settings import EditorSettings
    from .session import Session


def uri_path(uri: str) -> str:
    """The path of a URI (a file path for file: URIs, the URI's path part otherwise)."""
    parsed = urlparse(uri)
    if parsed.scheme == "file":
        from pygls.uris import to_fs_path

        return to_fs_path(uri) or unquote(parsed.path)
    return unquote(parsed.path) or uri


def file_path(uri: str) -> str | None:
    """The file path of a `file:` URI; None for other schemes (an unsaved buffer, a diff view)."""
    return uri_path(uri) if urlparse(uri).scheme == "file" else None


def is_strategy_file(uri: str) -> bool:
    """True for documents named `ai-strategy.toml` (or `<something>.ai-strategy.toml`)."""
    name = posixpath.basename(unquote(urlparse(uri).path).replace("\\", "/"))
    return is_strategy_file_name(name)


@dataclass
class Analysis:
    """The core's report on one revision of a text, with its diagnostics in client units."""

    report: Report
    positions: Positions
    diagnostics: list[types.Diagnostic]
    text: str
    options: LintOptions | None = field(default=None, repr=False)
    """The options it was analysed with (fix-all analyses each round with them)."""
    fix_all: tuple[int, str] | tuple[()] | None = field(default=None, repr=False)
    """(fixes applied, fixed text) once fix-all has been worked out; () when nothing to fix."""


@dataclass
class OpenDocument:
    """A document the client has opened, as the server currently sees it."""

    uri: str
    text: str
    version: int | None = None
    revision: int = 0
    closed: bool = False
    publishing: bool = False
    dirty: bool = False
    cache: tuple[tuple[int, int], asyncio.Future[Analysis]] | None = None
    last_recommendation: Recommendation | None = None
    tree: Any = field(default=None, repr=False)
    """The tree-sitter tree of an earlier text with every edit since recorded on it (or None):
    the next outline re-parses only what changed."""
    folder_settings: EditorSettings | None = None
    """The settings of the document's workspace folder, as the client answered
    `workspace/configuration` for it; None: the session's apply (see `Session.settings_for`)."""

    @property
    def path(self) -> str:
        """The file path the core is told about."""
        return uri_path(self.uri)

    @property
    def file(self) -> str | None:
        """The document's file path; None when it is not a file (see `file_path`)."""
        return file_path(self.uri)

    def apply(
        self,
        changes: Sequence[types.TextDocumentContentChangeEvent],
        encoding: str,
        known: Positions | None = None,
    ) -> None:
        """Apply the client's changes in order (full replacements or ranged edits).

        `known`: the positions of the current text, when the caller has them (its analysis):
        the first change then needs no new line index (a full scan of a long text).
        """
        from ..document import LineIndex
        from ..treesitter import record_edit

        text = self.text
        for index, change in enumerate(changes):
            if isinstance(change, types.TextDocumentContentChangePartial):
                reuse = index == 0 and known is not None and known.encoding == encoding
                positions = known if reuse and known is not None else Positions(LineIndex(text), encoding)
                start = positions.offset(change.range.start)
                end = positions.offset(change.range.end)
                if end < start:
                    start, end = end, start
                if self.tree is not None:
                    record_edit(self.tree, text, start, end, change.text)
                text = text[:start] + change.text + text[end:]
            else:
                text = change.text
                self.tree = None
        self.text = text
        self.revision += 1


# ---- document synchronisation (the handlers) ---------------------------------------------------


def did_open(session: Session, params: types.DidOpenTextDocumentParams) -> None:
    """Track the document and check it (strategy files only)."""
    session.open(params.text_document)


def did_change(session: Session, params: types.DidChangeTextDocumentParams) -> None:
    """Apply the client's edits and check the new text."""
    session.change(params)


def did_close(session: Session, params: types.DidCloseTextDocumentParams) -> None:
    """Forget the document (its file on disk stays in the workspace diagnostics)."""
    session.close(params.text_document.uri)


FEATURES = (
    # pygls' builtin handlers would keep a copy of each text, with lines split on more characters
    # than LSP splits them (module docstring): a client's range can then fail there and the
    # notification never reach the session. The session's store is the only one.
    Feature(types.TEXT_DOCUMENT_DID_OPEN, did_open, replaces_pygls=True),
    Feature(types.TEXT_DOCUMENT_DID_CHANGE, did_change, replaces_pygls=True),
    Feature(types.TEXT_DOCUMENT_DID_CLOSE, did_close, replaces_pygls=True),
)
