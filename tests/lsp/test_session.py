"""Session-wide behaviour: settings, position encodings, push vs pull, workspace diagnostics,
and robustness (no text stops the server)."""

from __future__ import annotations

import asyncio
import contextlib
import os
from pathlib import Path

import pytest
from lsprotocol import types
from pygls.exceptions import JsonRpcRequestCancelled

from ai_strategy.analysis import analyse

from ..robustness import TOML_TEST
from .conftest import Editor, capabilities
from .test_diagnostics import VALID


def pull_capabilities() -> types.ClientCapabilities:
    """VS Code's captured capabilities plus pull diagnostics (as VS Code 1.75+ declares)."""
    caps = capabilities("vscode")
    assert caps.text_document is not None
    caps.text_document.diagnostic = types.DiagnosticClientCapabilities(related_document_support=False)
    caps.workspace.diagnostics = types.DiagnosticWorkspaceClientCapabilities(refresh_support=True)  # type: ignore[union-attr]
    return caps


# ---- settings ------------------------------------------------------------------------------


async def test_did_change_configuration_changes_a_severity(bare: Editor) -> None:
    await bare.start(capabilities("vscode"))
    uri = bare.open(VALID)
    latency = next(d for d in await bare.diagnostics(uri) if d.code == "AIS105")
    assert latency.severity == types.DiagnosticSeverity.Warning
    bare.client.workspace_did_change_configuration(
        types.DidChangeConfigurationParams(settings={"aiStrategy": {"severity": {"AIS105": "error"}}})
    )
    changed = await bare.published_for(uri, None, timeout=10)
    for _ in range(50):
        changed = [d for d in bare.published if d.uri == uri][-1].diagnostics
        if [d for d in changed if d.code == "AIS105" and d.severity == types.DiagnosticSeverity.Error]:
            break
        bare.event.clear()
        await _wait(bare)
    assert [d.severity for d in changed if d.code == "AIS105"] == [types.DiagnosticSeverity.Error]


async def _wait(editor: Editor) -> None:
    import asyncio

    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(editor.event.wait(), 0.2)


async def test_initialization_options_disable_rules_and_set_docs_url(bare: Editor) -> None:
    options = {"settings": {"disable": ["AIS105"], "docsBaseUrl": "https://example.org/rules"}}
    await bare.start(capabilities("neovim"), options=options)
    diagnostics = await bare.diagnostics(bare.open(VALID))
    assert "AIS105" not in [d.code for d in diagnostics]
    assert diagnostics and all(
        d.code_description and d.code_description.href.startswith("https://example.org/rules/")
        for d in diagnostics
    )


async def test_invalid_settings_show_a_message_and_keep_defaults(bare: Editor) -> None:
    await bare.start(capabilities("vscode"), options={"settings": {"severity": {"AIS105": "fatal"}}})
    uri = bare.open(VALID)
    diagnostics = await bare.diagnostics(uri)
    assert [d.severity for d in diagnostics if d.code == "AIS105"] == [types.DiagnosticSeverity.Warning]
    assert bare.client.messages, "expected a window/showMessage"
    message = bare.client.messages[0]
    assert message.type == types.MessageType.Error and "fatal" in message.message


async def test_a_non_string_entry_in_a_list_setting_is_a_settings_error(bare: Editor) -> None:
    await bare.start(capabilities("vscode"), options={"settings": {"disable": [["AIS105"], 5]}})
    uri = bare.open(VALID)
    diagnostics = await bare.diagnostics(uri)
    assert "AIS105" in [d.code for d in diagnostics]  # the defaults are kept
    assert bare.client.messages, "expected a window/showMessage"
    message = bare.client.messages[0]
    assert message.type == types.MessageType.Error and "disable" in message.message


async def test_folder_settings_apply_to_the_documents_of_that_folder(bare: Editor, tmp_path: Path) -> None:
    """Multi-root: `resource` settings are asked for per document (scopeUri) and applied to it;
    a `window` setting (docsBaseUrl) stays the session's."""
    one, two = tmp_path / "one", tmp_path / "two"
    bare.client.set_configuration(
        {"disable": ["AIS105"], "docsBaseUrl": "https://folder.example/rules"},
        section="aiStrategy",
        scope_uri=one.as_uri(),
    )
    await bare.start(capabilities("vscode"), root=tmp_path)
    in_one = bare.open(VALID, (one / "ai-strategy.toml").as_uri())
    in_two = bare.open(VALID, (two / "ai-strategy.toml").as_uri())
    for _ in range(100):
        latest = [d for d in bare.published if d.uri == in_one]
        if latest and "AIS105" not in [d.code for d in latest[-1].diagnostics]:
            break
        bare.event.clear()
        await _wait(bare)
    one_codes = [d.code for d in latest[-1].diagnostics]
    assert one_codes and "AIS105" not in one_codes
    assert all(
        "folder.example" not in (d.code_description.href if d.code_description else "")
        for d in latest[-1].diagnostics
    )
    assert "AIS105" in [d.code for d in await bare.published_for(in_two, None)]


async def test_folder_settings_apply_to_files_on_disk_in_that_folder(bare: Editor, tmp_path: Path) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    for folder in (one, two):
        folder.mkdir()
        (folder / "ai-strategy.toml").write_text(VALID, encoding="utf-8")
    bare.client.set_configuration({"disable": ["AIS105"]}, section="aiStrategy", scope_uri=one.as_uri())
    await bare.start(capabilities("vscode"), folders=[one, two])
    in_one = await bare.published_for((one / "ai-strategy.toml").as_uri(), None, timeout=30)
    in_two = await bare.published_for((two / "ai-strategy.toml").as_uri(), None, timeout=30)
    assert in_one and "AIS105" not in [d.code for d in in_one]
    assert "AIS105" in [d.code for d in in_two]


async def test_show_recommendation_refuses_a_fifo(bare: Editor, tmp_path: Path) -> None:
    fifo = tmp_path / "ai-strategy.toml"
    os.mkfifo(fifo)
    await bare.start(capabilities("vscode"), root=tmp_path)
    answer = await asyncio.wait_for(
        bare.client.workspace_execute_command_async(
            types.ExecuteCommandParams(command="ai-strategy.showRecommendation", arguments=[fifo.as_uri()])
        ),
        15,
    )
    assert "not a regular file" in str(answer)


# ---- position encodings --------------------------------------------------------------------


BEFORE_CODE = 'goal_note = "🚀🚀"  # ai-strategy: ignore['
"""What precedes the code of the suppression on line 6: two rockets, each outside the BMP."""


@pytest.mark.parametrize(
    ("offered", "negotiated", "column"),
    [  # a rocket is 2 UTF-16 units, 4 UTF-8 bytes, 1 code point
        (None, "utf-16", len(BEFORE_CODE) + 2),
        (["utf-8", "utf-16"], "utf-8", len(BEFORE_CODE) + 6),
        (["utf-32"], "utf-32", len(BEFORE_CODE)),
    ],
)
async def test_positions_after_emoji(
    bare: Editor, offered: list[str] | None, negotiated: str, column: int
) -> None:
    caps = capabilities("vscode")
    if offered is not None:
        caps.general = types.GeneralClientCapabilities(position_encodings=offered)
    result = await bare.start(caps)
    assert (result.capabilities.position_encoding or "utf-16") == negotiated
    text = VALID.replace('type = "qa"', 'goal_note = "🚀🚀"  # ai-strategy: ignore[AIS999]')
    uri = bare.open(text)
    diagnostics = await bare.diagnostics(uri)
    unknown = next(d for d in diagnostics if d.code == "AIS002")
    assert unknown.range.start == types.Position(6, 0)
    suppression = next(d for d in diagnostics if d.code == "AIS301")
    assert suppression.range.start == types.Position(6, column)
    assert suppression.range.end == types.Position(6, column + len("AIS999"))
    hover = await bare.client.text_document_hover_async(
        types.HoverParams(types.TextDocumentIdentifier(uri), types.Position(6, column + 1))
    )
    assert hover is not None and "AIS999" in str(hover.contents)
    # an incremental edit after the emoji lands where the client means it
    bare.encoding = negotiated
    bare.edit(uri, types.Range(types.Position(6, column), types.Position(6, column + 6)), "AIS002")
    after = await bare.diagnostics(uri)
    assert "AIS301" not in [d.code for d in after] and "AIS002" not in [d.code for d in after]


# ---- push versus pull ----------------------------------------------------------------------


async def test_pull_client_gets_no_pushed_diagnostics(bare: Editor) -> None:
    await bare.start(pull_capabilities())
    uri = bare.open(VALID)
    first = await bare.client.text_document_diagnostic_async(
        types.DocumentDiagnosticParams(types.TextDocumentIdentifier(uri))
    )
    assert isinstance(first, types.RelatedFullDocumentDiagnosticReport) and first.items
    again = await bare.client.text_document_diagnostic_async(
        types.DocumentDiagnosticParams(types.TextDocumentIdentifier(uri), previous_result_id=first.result_id)
    )
    assert isinstance(again, types.RelatedUnchangedDocumentDiagnosticReport)
    await bare.client.text_document_hover_async(
        types.HoverParams(types.TextDocumentIdentifier(uri), types.Position(0, 0))
    )
    assert bare.published == []


async def test_push_client_gets_versioned_diagnostics(bare: Editor) -> None:
    await bare.start(capabilities("neovim-0.7"))
    uri = bare.open(VALID)
    bare.replace(uri, VALID.replace('"qa"', '"qaa"'))
    diagnostics = await bare.published_for(uri, 2)
    assert "AIS004" in [d.code for d in diagnostics]
    assert all(p.version in (1, 2) for p in bare.published if p.uri == uri)


# ---- workspace diagnostics -----------------------------------------------------------------


def _workspace(tmp_path: Path) -> Path:
    (tmp_path / "svc-a").mkdir()
    (tmp_path / "svc-a" / "ai-strategy.toml").write_text(VALID)
    (tmp_path / "svc-b").mkdir()
    (tmp_path / "svc-b" / "ai-strategy.toml").write_text(VALID.replace('"qa"', '"qaa"'))
    (tmp_path / "node_modules" / "x").mkdir(parents=True)
    (tmp_path / "node_modules" / "x" / "ai-strategy.toml").write_text("broken = [")
    return tmp_path


async def workspace_diagnostics(
    editor: Editor, previous: list[types.PreviousResultId]
) -> types.WorkspaceDiagnosticReport:
    return await editor.client.workspace_diagnostic_async(
        types.WorkspaceDiagnosticParams(previous_result_ids=previous)
    )


async def test_workspace_diagnostics_pull(bare: Editor, tmp_path: Path) -> None:
    root = _workspace(tmp_path)
    await bare.start(pull_capabilities(), root=root)
    report = await bare.client.workspace_diagnostic_async(
        types.WorkspaceDiagnosticParams(previous_result_ids=[])
    )
    by_uri = {item.uri: item for item in report.items}
    a = (root / "svc-a" / "ai-strategy.toml").as_uri()
    b = (root / "svc-b" / "ai-strategy.toml").as_uri()
    assert set(by_uri) == {a, b}
    b_report = by_uri[b]
    assert isinstance(b_report, types.WorkspaceFullDocumentDiagnosticReport)
    assert "AIS004" in [d.code for d in b_report.items]
    # nothing new: the request is held open (no 2-second polling) until a file changes on disk
    # and the client reports it; then it is answered with the new findings
    previous = [types.PreviousResultId(uri=i.uri, value=i.result_id or "") for i in report.items]
    held = asyncio.ensure_future(
        bare.client.workspace_diagnostic_async(types.WorkspaceDiagnosticParams(previous_result_ids=previous))
    )
    await asyncio.sleep(0.5)
    assert not held.done()
    (root / "svc-a" / "ai-strategy.toml").write_text(VALID.replace('"rag"', '"ragg"'))
    bare.client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams([types.FileEvent(uri=a, type=types.FileChangeType.Changed)])
    )
    third = await asyncio.wait_for(held, 30)
    by_uri = {i.uri: i for i in third.items}
    assert isinstance(by_uri[b], types.WorkspaceUnchangedDocumentDiagnosticReport)
    changed = by_uri[a]
    assert isinstance(changed, types.WorkspaceFullDocumentDiagnosticReport)
    assert "AIS004" in [d.code for d in changed.items]


async def test_a_held_workspace_request_answers_when_a_file_is_deleted_or_cancelled(
    bare: Editor, tmp_path: Path
) -> None:
    root = _workspace(tmp_path)
    await bare.start(pull_capabilities(), root=root)
    report = await workspace_diagnostics(bare, [])
    previous = [types.PreviousResultId(uri=i.uri, value=i.result_id or "") for i in report.items]
    # the client cancels a held request: it is answered at once, as cancelled
    pending = bare.client.protocol.send_request(
        types.WORKSPACE_DIAGNOSTIC,
        types.WorkspaceDiagnosticParams(previous_result_ids=previous),
        msg_id="held-1",
    )
    await asyncio.sleep(0.3)
    assert not pending.done()
    bare.client.protocol.notify(types.CANCEL_REQUEST, types.CancelParams(id="held-1"))
    with pytest.raises(JsonRpcRequestCancelled):
        await asyncio.wait_for(asyncio.wrap_future(pending), 30)
    # a file the client knows is deleted: the held request answers without it
    a = root / "svc-a" / "ai-strategy.toml"
    held = asyncio.ensure_future(workspace_diagnostics(bare, previous))
    await asyncio.sleep(0.3)
    assert not held.done()
    a.unlink()
    bare.client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(
            [types.FileEvent(uri=a.as_uri(), type=types.FileChangeType.Deleted)]
        )
    )
    answered = await asyncio.wait_for(held, 30)
    assert a.as_uri() not in {i.uri for i in answered.items}


async def test_workspace_diagnostics_push(bare: Editor, tmp_path: Path) -> None:
    root = _workspace(tmp_path)
    await bare.start(capabilities("vscode"), root=root)
    a = (root / "svc-a" / "ai-strategy.toml").as_uri()
    b = (root / "svc-b" / "ai-strategy.toml").as_uri()
    assert "AIS004" in [d.code for d in await bare.published_for(b, None)]
    assert "AIS004" not in [d.code for d in await bare.published_for(a, None)]
    assert any(r.method == types.WORKSPACE_DID_CHANGE_WATCHED_FILES for r in bare.registrations)
    (root / "svc-a" / "ai-strategy.toml").write_text(VALID.replace('"rag"', '"ragg"'))
    count = len(bare.published)
    bare.client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams([types.FileEvent(uri=a, type=types.FileChangeType.Changed)])
    )
    for _ in range(50):
        if len(bare.published) > count:
            break
        bare.event.clear()
        await _wait(bare)
    assert "AIS004" in [d.code for d in bare.published[-1].diagnostics]
    assert bare.published[-1].uri == a


# ---- robustness ----------------------------------------------------------------------------


NASTY = [
    "",
    "\x00\x01",
    "[" * 5000,
    'a = "' + "\\" * 3,
    "\ufeffversion = 1\n",
    "[strategy\napproach = \n[[task]]\n",
    "version = 1\r\n[strategy]\rapproach = 'rag'\u2028\n",
    "x = 1\n" * 3000,
    "\ud800 = 1",
]


async def test_no_text_stops_the_server(editor: Editor) -> None:
    for index, text in enumerate(NASTY):
        uri = editor.open(text, uri=f"file:///nasty/{index}/ai-strategy.toml")
        await editor.diagnostics(uri)
        for line, character in ((0, 0), (0, 3), (1, 0), (99, 99)):
            position = types.Position(line, character)
            ident = types.TextDocumentIdentifier(uri)
            await editor.client.text_document_hover_async(types.HoverParams(ident, position))
            await editor.client.text_document_completion_async(types.CompletionParams(ident, position))
        await editor.client.text_document_document_symbol_async(types.DocumentSymbolParams(ident))
        await editor.client.text_document_folding_range_async(types.FoldingRangeParams(ident))
        await editor.client.text_document_code_lens_async(types.CodeLensParams(ident))
    uri = editor.open(VALID)
    codes = [d.code for d in await editor.diagnostics(uri)]
    # still analysing: exactly the engine's findings on the valid file, its latency warning among them
    assert codes == [f.code for f in analyse(VALID).findings] and "AIS105" in codes


async def test_a_slow_document_does_not_hold_up_the_others(bare: Editor) -> None:
    await bare.start(capabilities("vscode"))
    slow = VALID + "[project]\n" + "".join(f'k{i} = "{i}"\n' for i in range(40_000))
    slow_uri = bare.open(slow, uri="file:///big/ai-strategy.toml")
    quick_uri = bare.open(VALID.replace('"qa"', '"qaa"'), uri="file:///small/ai-strategy.toml")
    quick = await bare.published_for(quick_uri, 1, timeout=60)
    assert "AIS004" in [d.code for d in quick]
    assert all(p.uri != slow_uri for p in bare.published), "the big file finished first"
    hover = await bare.client.text_document_hover_async(
        types.HoverParams(types.TextDocumentIdentifier(quick_uri), types.Position(6, 1))
    )
    assert hover is not None
    assert len(await bare.published_for(slow_uri, 1, timeout=120)) > 40_000


async def test_toml_test_corpus_never_breaks_the_server(bare: Editor) -> None:
    await bare.start(capabilities("neovim"))
    files = sorted(TOML_TEST.rglob("*.toml"))
    assert files
    for index, path in enumerate(files):
        text = path.read_bytes().decode("utf-8", "replace")
        uri = bare.open(text, uri=f"file:///toml-test/{index}/ai-strategy.toml")
        line_count = len(text.splitlines()) + 1
        for diagnostic in await bare.diagnostics(uri):
            assert diagnostic.range.start.line <= line_count, (path, diagnostic)
            assert diagnostic.range.end.line <= line_count, (path, diagnostic)
        await bare.client.text_document_hover_async(
            types.HoverParams(types.TextDocumentIdentifier(uri), types.Position(0, 1))
        )
        bare.client.text_document_did_close(
            types.DidCloseTextDocumentParams(types.TextDocumentIdentifier(uri))
        )
