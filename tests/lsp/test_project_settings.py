"""The server reads project settings (pyproject.toml) as `ai-strategy check` does (issue 12, item 10).

A document's diagnostics equal `check --format json`'s for the same file; the workspace
diagnostics cover the files `check FOLDER` checks (exclude, extend-exclude, the default skipped
folders); a pyproject.toml that changes on disk is read again; invalid settings are shown once and
logged with the key named, and the defaults apply meanwhile.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from lsprotocol import types

from ai_strategy.analysis import analyse

from ..robustness import LspClient
from .conftest import Editor, capabilities
from .test_diagnostics import VALID
from .test_parity import got
from .test_session import pull_capabilities

CLI = os.path.join(os.path.dirname(sys.executable), "ai-strategy")
SEVERITY = {"error": 1, "warning": 2, "info": 3}
PROJECT = '[project]\nname = "svc"\n\n[tool.ai-strategy.lint]\nselect = ["AIS1"]\nignore = ["AIS121"]\n'
PROJECT_SEVERITY = 'severity = { AIS105 = "error" }\n'


def check_json(*args: str, cwd: Path) -> dict[str, list[dict[str, object]]]:
    """`ai-strategy check --format json ARGS`: the diagnostics of each file, by path."""
    out = subprocess.run(
        [CLI, "check", "--format", "json", "--exit-zero", *args], cwd=cwd, capture_output=True, check=True
    )
    return {f["path"]: f["diagnostics"] for f in json.loads(out.stdout)["files"]}


def as_lsp(diagnostics: list[dict[str, object]]) -> list[tuple[object, ...]]:
    """The CLI's diagnostics in the shape `test_parity.got` gives the server's (ASCII text: the
    columns are the same in every encoding)."""
    shaped = []
    for d in diagnostics:
        r = d["range"]
        start, end = r["start"], r["end"]  # type: ignore[index]
        shaped.append(
            (
                d["code"],
                d["message"],
                SEVERITY[d["severity"]],  # type: ignore[index]
                (start["line"] - 1, start["column"] - 1),
                (end["line"] - 1, end["column"] - 1),
            )
        )
    return shaped


def project(root: Path, settings: str = PROJECT + PROJECT_SEVERITY) -> Path:
    """A project folder with its pyproject.toml and one strategy file; the strategy file's path."""
    (root / "pyproject.toml").write_text(settings, encoding="utf-8")
    (root / "svc").mkdir(parents=True, exist_ok=True)
    path = root / "svc" / "ai-strategy.toml"
    path.write_text(VALID, encoding="utf-8")
    return path


@pytest.mark.parametrize("editor_client", ["vscode", "neovim"], indirect=True)
async def test_an_open_document_gets_what_check_reports_with_the_project_settings(
    editor: Editor, tmp_path: Path
) -> None:
    path = project(tmp_path)
    expected = as_lsp(check_json(str(path), cwd=tmp_path)[str(path)])
    # the project settings change what is reported: the comparison is not the defaults'
    assert [e[0] for e in expected] == ["AIS105"] and expected[0][2] == SEVERITY["error"]
    assert {f.code for f in analyse(VALID).findings} > {"AIS105", "AIS121"}
    uri = editor.open(VALID, uri=path.as_uri())
    assert got(await editor.diagnostics(uri)) == expected


async def test_workspace_diagnostics_cover_the_files_check_checks(bare: Editor, tmp_path: Path) -> None:
    project(tmp_path, PROJECT + '\n[tool.ai-strategy]\nextend-exclude = ["legacy/"]\n')
    for folder in ("legacy", "svc/legacy", "node_modules/pkg", "build", "drafts"):
        (tmp_path / folder).mkdir(parents=True, exist_ok=True)
        (tmp_path / folder / "ai-strategy.toml").write_text(VALID.replace('"qa"', '"qaa"'))
    (tmp_path / "drafts" / "search.ai-strategy.toml").write_text(VALID)
    (tmp_path / "drafts" / "myai-strategy.toml").write_text(VALID)
    checked = check_json(".", cwd=tmp_path)
    assert "legacy/ai-strategy.toml" not in checked and "build/ai-strategy.toml" in checked
    await bare.start(pull_capabilities(), root=tmp_path)
    report = await bare.client.workspace_diagnostic_async(
        types.WorkspaceDiagnosticParams(previous_result_ids=[])
    )
    by_uri = {item.uri: item for item in report.items}
    assert set(by_uri) == {(tmp_path / p).as_uri() for p in checked}
    for relative, diagnostics in checked.items():
        item = by_uri[(tmp_path / relative).as_uri()]
        assert isinstance(item, types.WorkspaceFullDocumentDiagnosticReport)
        assert got(list(item.items)) == as_lsp(diagnostics), relative


async def _until(predicate: object, editor: Editor, seconds: float = 20) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while not predicate() and loop.time() < deadline:  # type: ignore[operator]
        editor.event.clear()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(editor.event.wait(), 0.2)


@pytest.mark.parametrize("pull", [False, True], ids=["push", "pull"])
async def test_a_changed_pyproject_is_read_again(bare: Editor, tmp_path: Path, pull: bool) -> None:
    path = project(tmp_path)
    await bare.start(pull_capabilities() if pull else capabilities("vscode"), root=tmp_path)
    uri = bare.open(VALID, uri=path.as_uri())
    assert [d.code for d in await bare.diagnostics(uri)] == ["AIS105"]
    (tmp_path / "pyproject.toml").write_text(PROJECT.replace('"AIS121"', '"AIS105"'), encoding="utf-8")
    count = len(bare.published)
    bare.client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(
            [types.FileEvent(uri=(tmp_path / "pyproject.toml").as_uri(), type=types.FileChangeType.Changed)]
        )
    )
    if pull:
        await _until(lambda: types.WORKSPACE_DIAGNOSTIC_REFRESH in bare.refreshed, bare)
        codes = [d.code for d in await bare.diagnostics(uri)]
    else:
        await _until(lambda: [p for p in bare.published[count:] if p.uri == uri], bare)
        codes = [d.code for d in [p for p in bare.published[count:] if p.uri == uri][-1].diagnostics]
    assert codes == ["AIS121"]


async def test_pyproject_files_are_watched(bare: Editor, tmp_path: Path) -> None:
    await bare.start(capabilities("vscode"), root=tmp_path)
    await _until(lambda: bare.registrations, bare)
    (registration,) = [r for r in bare.registrations if r.method == types.WORKSPACE_DID_CHANGE_WATCHED_FILES]
    options = registration.register_options
    assert isinstance(options, dict)  # pytest-lsp leaves registration options as JSON
    assert "**/pyproject.toml" in [w["globPattern"] for w in options["watchers"]]


def test_invalid_project_settings_are_shown_once_and_logged_with_the_key(tmp_path: Path) -> None:
    path = project(tmp_path, PROJECT.replace('select = ["AIS1"]', 'select = ["FOO"]'))
    other = tmp_path / "svc" / "search.ai-strategy.toml"
    other.write_text(VALID, encoding="utf-8")
    client = LspClient(cwd=tmp_path)
    try:
        client.initialize(pull=True, root=tmp_path)
        for document in (path, other, path):
            client.open(document.as_uri(), VALID)
            codes = [d["code"] for d in client.pull(document.as_uri())]
            assert codes == [f.code for f in analyse(VALID).findings]  # the defaults apply
        shown = [m for m in client.messages if m.get("method") == "window/showMessage"]
        assert len(shown) == 1, shown
        assert "select" in shown[0]["params"]["message"] and "FOO" in shown[0]["params"]["message"]
        assert "pyproject.toml" in shown[0]["params"]["message"]
        assert client.alive()
        logged = [line for line in client.stderr.splitlines() if "'FOO'" in line]
        assert len(logged) == 1 and "select" in logged[0], client.stderr
    finally:
        client.kill()


async def test_events_about_files_that_are_not_strategy_files_change_nothing(
    bare: Editor, tmp_path: Path
) -> None:
    await bare.start(pull_capabilities(), root=tmp_path)
    await bare.client.workspace_diagnostic_async(types.WorkspaceDiagnosticParams(previous_result_ids=[]))
    names = ("x.ai-strategy.toml", "myai-strategy.toml", "ai-strategy.toml.orig", "notes.toml")
    for name in names:  # a strategy file first: its event is answered with a refresh
        (tmp_path / name).write_text("broken = [")
        bare.client.workspace_did_change_watched_files(
            types.DidChangeWatchedFilesParams(
                [types.FileEvent(uri=(tmp_path / name).as_uri(), type=types.FileChangeType.Created)]
            )
        )
    # the answer to a command (an async handler, as the events') comes after every event is handled
    await bare.client.workspace_execute_command_async(
        types.ExecuteCommandParams("ai-strategy.showRecommendation", ["file:///nowhere/ai-strategy.toml"])
    )
    assert bare.refreshed.count(types.WORKSPACE_DIAGNOSTIC_REFRESH) == 1, bare.refreshed
