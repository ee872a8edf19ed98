"""A real LSP client (pytest-lsp) talking to `ai-strategy lsp` over stdio.

`editor` is parametrised over captured client capabilities: VS Code 1.65 (push diagnostics,
UTF-16), Neovim 0.11 (pull diagnostics, UTF-8 first) and Neovim 0.7 (push, UTF-16, the version
Debian ships). `Editor` wraps the client with what a test needs: open a document, edit it, and
get its diagnostics whichever way the client receives them.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

SERVER = [os.path.join(os.path.dirname(sys.executable), "ai-strategy"), "lsp"]
CLIENTS = {
    "vscode": "visual-studio-code",
    "neovim": "neovim",
    "neovim-0.7": "neovim@v0.7.0",
}


def capabilities(name: str) -> types.ClientCapabilities:
    """Captured capabilities of a client, by our short name."""
    return client_capabilities(CLIENTS[name])


class Editor:
    """What a test does with an editor: open, edit, and read diagnostics."""

    def __init__(self, client: LanguageClient, name: str) -> None:
        self.client = client
        self.name = name
        self.versions: dict[str, int] = {}
        self.texts: dict[str, str] = {}
        self.published: list[types.PublishDiagnosticsParams] = []
        self.event = asyncio.Event()
        self.registrations: list[types.Registration] = []
        features = client.protocol.fm.features
        features[types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS] = self._published
        features[types.CLIENT_REGISTER_CAPABILITY] = self._register
        self.refreshed: list[str] = []
        """The refresh requests the server sent, in order (each also sets `event`)."""
        for method in (
            types.WORKSPACE_CODE_LENS_REFRESH,
            types.WORKSPACE_INLAY_HINT_REFRESH,
            types.WORKSPACE_DIAGNOSTIC_REFRESH,
        ):
            features[method] = lambda params, method=method: self._refresh(method)

    def _register(self, params: types.RegistrationParams) -> None:
        self.registrations.extend(params.registrations)
        self.event.set()

    def _refresh(self, method: str) -> None:
        self.refreshed.append(method)
        self.event.set()

    def _published(self, params: types.PublishDiagnosticsParams) -> None:
        self.published.append(params)
        self.client.diagnostics[params.uri] = params.diagnostics
        self.event.set()

    @property
    def pull(self) -> bool:
        caps = self.client.capabilities
        return bool(caps and caps.text_document and caps.text_document.diagnostic)

    async def start(
        self,
        caps: types.ClientCapabilities,
        root: Path | None = None,
        options: Any = None,
        folders: list[Path] | None = None,
    ) -> types.InitializeResult:
        """Initialize with a root folder, or several workspace folders (multi-root)."""
        folders = folders or ([root] if root else [])
        workspace_folders = [types.WorkspaceFolder(uri=f.as_uri(), name=f.name) for f in folders] or None
        result = await self.client.initialize_session(
            types.InitializeParams(
                capabilities=caps,
                root_uri=root.as_uri() if root else None,
                workspace_folders=workspace_folders,
                initialization_options=options,
            )
        )
        self.encoding = str(result.capabilities.position_encoding or "utf-16")
        return result

    def open(self, text: str, uri: str = "file:///work/project/ai-strategy.toml") -> str:
        self.versions[uri] = 1
        self.texts[uri] = text
        self.client.text_document_did_open(
            types.DidOpenTextDocumentParams(
                types.TextDocumentItem(uri=uri, language_id="toml", version=1, text=text)
            )
        )
        return uri

    def replace(self, uri: str, text: str) -> None:
        """Send the whole new text (a full-document change)."""
        self.versions[uri] += 1
        self.texts[uri] = text
        self.client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                types.VersionedTextDocumentIdentifier(uri=uri, version=self.versions[uri]),
                [types.TextDocumentContentChangeWholeDocument(text=text)],
            )
        )

    def edit(self, uri: str, range_: types.Range, new_text: str) -> None:
        """Send one incremental change (the client keeps its own copy in `texts`)."""
        self.versions[uri] += 1
        self.texts[uri] = apply_edits(self.texts[uri], [types.TextEdit(range_, new_text)], self.encoding)
        self.client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                types.VersionedTextDocumentIdentifier(uri=uri, version=self.versions[uri]),
                [types.TextDocumentContentChangePartial(range=range_, text=new_text)],
            )
        )

    encoding: str = "utf-16"

    async def diagnostics(self, uri: str, timeout: float = 10) -> list[types.Diagnostic]:
        """The diagnostics of the document's latest version (pulled or pushed)."""
        if self.pull:
            report = await self.client.text_document_diagnostic_async(
                types.DocumentDiagnosticParams(types.TextDocumentIdentifier(uri))
            )
            assert isinstance(report, types.RelatedFullDocumentDiagnosticReport), report
            return list(report.items)
        version = self.versions.get(uri)
        return await self.published_for(uri, version, timeout)

    async def published_for(
        self, uri: str, version: int | None, timeout: float = 10
    ) -> list[types.Diagnostic]:
        """Wait for diagnostics pushed for `uri` (and `version`, when given)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            for params in reversed(self.published):
                if params.uri == uri and (version is None or params.version == version):
                    return list(params.diagnostics)
            self.event.clear()
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise TimeoutError(f"no diagnostics for {uri} version {version}")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.event.wait(), remaining)


def _offset(text: str, position: types.Position, encoding: str) -> int:
    lines = text.splitlines(keepends=True) or [""]
    offset = sum(len(line) for line in lines[: position.line])
    if position.line >= len(lines):
        return len(text)
    line = lines[position.line].rstrip("\r\n")
    units = 0
    for index, char in enumerate(line):
        if units >= position.character:
            return offset + index
        units += (
            len(char.encode("utf-16-le")) // 2
            if encoding == "utf-16"
            else (len(char.encode("utf-8")) if encoding == "utf-8" else 1)
        )
    return offset + len(line)


def apply_edits(text: str, edits: list[types.TextEdit], encoding: str = "utf-16") -> str:
    """Apply LSP text edits as a client does (positions in `encoding` code units)."""
    spans = sorted(
        (
            (_offset(text, e.range.start, encoding), _offset(text, e.range.end, encoding), e.new_text)
            for e in edits
        ),
        reverse=True,
    )
    for start, end, new_text in spans:
        text = text[:start] + new_text + text[end:]
    return text


def edits_of(edit: types.WorkspaceEdit, uri: str) -> list[types.TextEdit]:
    """The text edits a workspace edit makes to one document."""
    if edit.changes:
        return list(edit.changes.get(uri, []))
    found: list[types.TextEdit] = []
    for change in edit.document_changes or []:
        if isinstance(change, types.TextDocumentEdit) and change.text_document.uri == uri:
            found.extend(e for e in change.edits if isinstance(e, types.TextEdit))
    return found


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER))
async def bare_client(client: LanguageClient) -> AsyncIterator[None]:
    """A started server that the test initializes itself (settings, workspace folders...)."""
    yield
    await client.shutdown_session()


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER), params=list(CLIENTS))
async def editor_client(request: pytest.FixtureRequest, client: LanguageClient) -> AsyncIterator[None]:
    """A client session initialized with each editor's capabilities."""
    editor = Editor(client, request.param)
    await editor.start(capabilities(request.param))
    client.editor = editor  # type: ignore[attr-defined]
    yield
    await client.shutdown_session()


@pytest.fixture
def editor(editor_client: LanguageClient) -> Editor:
    """The Editor of the parametrised client session (VS Code, Neovim, Neovim 0.7)."""
    return editor_client.editor  # type: ignore[attr-defined,no-any-return]


@pytest.fixture
def bare(bare_client: LanguageClient) -> Editor:
    """An Editor whose session the test starts with `await bare.start(...)`."""
    return Editor(bare_client, "custom")
