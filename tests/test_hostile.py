"""Hostile input: whatever is in the file or the folder, a clear answer within seconds, no traceback.

Each input goes through the real console script (`check --format json` and the default text
format) and through one language-server session (opened as a document), with a time limit far
above what it takes (the figures are printed with `-s`) so that a hang or a quadratic blow-up
fails instead of stalling CI. Folders: a symlink loop, a named pipe and a broken link called
ai-strategy.toml, a file deleted between discovery and reading, an unreadable file (mode 000
for a user who is not root: as root, the CLI and the server run as an unprivileged uid;
/proc/self/mem, which fails with EIO even for root), a directory called ai-strategy.toml, and a
result cache planted in the checked folder.

The size limit, decided here and in README "Security": files and editor buffers over 4 MiB
(`document.MAX_BYTES`) get one AIS001 and are not parsed; arrays and inline tables nested deeper
than the parser's recursion allows get AIS001 "nested too deeply"; everything below the limit is
analysed in time linear in its size.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from ai_strategy import discovery as discover_module
from ai_strategy.analysis import analyse
from ai_strategy.cli.main import main
from ai_strategy.document import MAX_BYTES

from .robustness import (
    LspClient,
    assert_no_traceback,
    check_lsp_range,
    fix_all_params,
    run_cli,
    split_lines,
    unprivileged_user,
)

HEAD = 'version = 1\n\n[strategy]\napproach = "rag"\n\n[task]\ntype = "qa"\n'
MiB = 1024 * 1024
LIMIT_SECONDS = 60.0
"""A hang or a quadratic path fails; the real figures are a few seconds at most (printed)."""


def _random_bytes(seed: int, size: int, low: int = 0) -> bytes:
    rng = random.Random(seed)
    return bytes(rng.randrange(low, 256) for _ in range(size))


def _garbage_line(size: int) -> str:
    rng = random.Random(7)
    return "".join(rng.choice("[]{}=\"'.,# ab1\t") for _ in range(size))


# name -> (bytes of the file, expected AIS001 message fragment or None for "no AIS001",
#          a code that must be reported when there is no AIS001)
HOSTILE: dict[str, tuple[Callable[[], bytes], str | None, str | None]] = {
    "random-binary": (lambda: _random_bytes(1, 64 * 1024), "binary file", None),
    "random-bytes-without-nul": (lambda: _random_bytes(2, 64 * 1024, low=1), "invalid UTF-8", None),
    "invalid-utf8-mid-file": (
        lambda: HEAD.encode() + b'\n[project]\nname = "caf\xc3"\n',
        "invalid UTF-8",
        None,
    ),
    "latin-1-text": (
        lambda: (HEAD + '\n[project]\nname = "Café Crème"\n').encode("latin-1"),
        "invalid UTF-8",
        None,
    ),
    "utf-16-text": (lambda: ("\ufeff" + HEAD).encode("utf-16"), "binary file", None),
    "8-MB-file": (lambda: (HEAD + ("# " + "x" * 78 + "\n") * (8 * MiB // 81)).encode(), "4 MiB", None),
    "nesting-50000-arrays": (
        lambda: (HEAD + "\n[project]\nname = " + "[" * 50_000 + "]" * 50_000 + "\n").encode(),
        "nested too deeply",
        None,
    ),
    "nesting-50000-inline-tables": (
        lambda: (HEAD + "\n[project]\nname = " + "{a = " * 50_000 + "1" + "}" * 50_000 + "\n").encode(),
        "nested too deeply",
        None,
    ),
    "nesting-50000-unclosed": (
        lambda: (HEAD + "\n[project]\nname = " + "[{a = " * 25_000 + "\n").encode(),
        "nested too deeply",
        None,
    ),
    "dotted-key-50000-parts": (
        lambda: (HEAD + "\n[project]\n" + ".".join(["a"] * 50_000) + " = 1\n").encode(),
        "nested too deeply",
        None,
    ),
    "table-header-50000-parts": (
        lambda: (HEAD + "\n[" + ".".join(["a"] * 50_000) + "]\n").encode(),
        "nested too deeply",
        None,
    ),
    "1-MB-comment-line": (lambda: (HEAD + "# " + "x" * MiB + "\n").encode(), None, "AIS203"),
    "1-MB-string-line": (
        lambda: (HEAD + '\n[project]\nname = "' + "x" * MiB + '"\n').encode(),
        None,
        "AIS203",
    ),
    "1-MB-emoji-line": (
        lambda: (HEAD + '\n[project]\nname = "' + "😀🚀" * (MiB // 16) + '"\n').encode(),
        None,
        "AIS203",
    ),
    "1-MB-garbage-line": (lambda: (HEAD + _garbage_line(MiB) + "\n").encode(), "invalid TOML", None),
    "1-MB-line-of-100000-findings": (
        lambda: (HEAD + "\n[lint]\nignore = [" + ",".join(['"AIS105"'] * 100_000) + "]\n").encode(),
        None,
        "AIS301",
    ),
    "1-MB-of-cr-only-line-ends": (lambda: (HEAD * (MiB // len(HEAD))).replace("\n", "\r").encode(), "", None),
    "50000-unknown-tables": (
        lambda: (HEAD + "".join(f"[t{i}]\nk = 1\n" for i in range(50_000))).encode(),
        None,
        "AIS002",
    ),
    "50000-unknown-keys": (
        lambda: (HEAD + "\n[project]\n" + "".join(f"k{i} = {i}\n" for i in range(50_000))).encode(),
        None,
        "AIS002",
    ),
    "50000-dotted-unknown-keys": (
        lambda: (HEAD + "".join(f"k{i}.x = {i}\n" for i in range(50_000))).encode(),
        None,
        "AIS002",
    ),
    "control-characters": (lambda: (HEAD + "".join(map(chr, range(1, 32))) + "\n").encode(), "", None),
    "lone-surrogates-escaped": (
        lambda: (HEAD + '\n[project]\nname = "\\uD83D\\uDE00"\n').encode(),
        "Unicode scalar",
        None,
    ),
}


def _record(name: str, where: str, seconds: float) -> None:
    """Print a figure (shown with `pytest -s`); the tests assert only the hang limit."""
    print(f"\nhostile {name}: {where} {seconds:.2f} s")


@pytest.fixture(scope="module")
def hostile_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("hostile")
    files = {}
    for name, (build, _, _) in HOSTILE.items():
        folder = root / name
        folder.mkdir()
        path = folder / "ai-strategy.toml"
        path.write_bytes(build())
        files[name] = path
    return files


def _check_json(name: str, payload: dict[str, Any], data: bytes) -> None:
    _, fragment, code = HOSTILE[name]
    (entry,) = payload["files"]
    diagnostics = entry["diagnostics"]
    codes = [d["code"] for d in diagnostics]
    if fragment is None:
        assert "AIS001" not in codes, diagnostics[:3]
        assert code in codes, codes[:10]
    else:
        syntax = [d for d in diagnostics if d["code"] == "AIS001"]
        assert len(syntax) == 1, codes[:10]
        assert fragment in syntax[0]["message"], syntax[0]["message"]
        # one clear sentence, not a dump of the input
        assert len(syntax[0]["message"]) < 300


@pytest.mark.parametrize("name", list(HOSTILE))
def test_cli_json_answers_hostile_input_quickly(name: str, hostile_files: dict[str, Path]) -> None:
    path = hostile_files[name]
    result = run_cli("check", "--format", "json", str(path), cwd=path.parent, timeout=LIMIT_SECONDS * 3)
    _record(name, "cli-json", result.seconds)
    assert_no_traceback(result.stderr)
    assert result.stderr == ""
    assert result.seconds < LIMIT_SECONDS
    payload = json.loads(result.stdout)
    assert result.code == (1 if payload["summary"]["errors"] else 0)
    _check_json(name, payload, path.read_bytes())


@pytest.mark.parametrize("name", list(HOSTILE))
def test_cli_text_output_stays_bounded(name: str, hostile_files: dict[str, Path]) -> None:
    path = hostile_files[name]
    result = run_cli("check", str(path), cwd=path.parent, timeout=LIMIT_SECONDS * 3)
    _record(name, "cli-text", result.seconds)
    assert_no_traceback(result.stderr)
    assert result.code in (0, 1)
    assert result.seconds < LIMIT_SECONDS
    findings = (
        result.stdout.count(" [error] ")
        + result.stdout.count(" [warning] ")
        + result.stdout.count(" [info] ")
    )
    assert findings >= 1
    # every finding shows at most a window of its source line
    assert len(result.stdout) < 2_000 * findings + 10_000, len(result.stdout)


def test_size_limit_is_4_mib_and_applies_to_bytes_and_text() -> None:
    assert 4 * MiB == MAX_BYTES
    just_under = (HEAD + "#" * (MAX_BYTES - len(HEAD) - 1) + "\n").encode()
    assert len(just_under) == MAX_BYTES
    assert "AIS001" not in [f.code for f in analyse(just_under.decode()).findings]
    over = analyse(just_under.decode() + "#")
    assert [f.code for f in over.findings] == ["AIS001"]
    assert "4 MiB" in over.findings[0].message


# ---- folders ----------------------------------------------------------------------------------------


def _write_valid(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "ai-strategy.toml"
    path.write_text(HEAD, encoding="utf-8")
    return path


def test_folder_with_symlink_loops_pipe_and_broken_link(tmp_path: Path) -> None:
    _write_valid(tmp_path / "project")
    (tmp_path / "project" / "deeper").mkdir()
    os.symlink("..", tmp_path / "project" / "deeper" / "up")
    os.symlink(tmp_path, tmp_path / "project" / "root")
    os.symlink("self", tmp_path / "self")  # a link to itself
    (tmp_path / "pipe").mkdir()
    os.mkfifo(tmp_path / "pipe" / "ai-strategy.toml")
    (tmp_path / "broken").mkdir()
    os.symlink(tmp_path / "nowhere", tmp_path / "broken" / "ai-strategy.toml")
    (tmp_path / "dir" / "ai-strategy.toml").mkdir(parents=True)
    result = run_cli("check", "--format", "json", ".", cwd=tmp_path, timeout=60)
    _record("folder-with-loops-pipe-broken-link", "cli-json", result.seconds)
    assert_no_traceback(result.stderr)
    paths = [f["path"] for f in json.loads(result.stdout)["files"]]
    assert paths == ["project/ai-strategy.toml"]
    assert "pipe/ai-strategy.toml: not a regular file" in result.stderr
    assert "broken/ai-strategy.toml: not a regular file" in result.stderr
    assert result.code == 0, result.stderr


def test_explicit_pipe_is_read_like_a_file(tmp_path: Path) -> None:
    """`check <(...)` passes a pipe: given explicitly, it is read (the user asked for it)."""
    fifo = tmp_path / "stream.toml"
    os.mkfifo(fifo)
    import threading

    def feed() -> None:
        with open(fifo, "wb") as out:
            out.write(b"version = 2\n")

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    result = run_cli("check", "--format", "json", str(fifo), timeout=60)
    writer.join(5)
    assert_no_traceback(result.stderr)
    assert [d["code"] for d in json.loads(result.stdout)["files"][0]["diagnostics"]] == ["AIS007"]


@pytest.mark.parametrize("command", ["check", "recommend"])
def test_an_endless_device_given_explicitly_is_refused_not_read_forever(command: str) -> None:
    """`check /dev/zero` reads one byte past the limit and answers AIS001, as for a huge file."""
    result = run_cli(command, "/dev/zero", timeout=60)
    assert_no_traceback(result.stderr)
    assert "AIS001" in result.stdout + result.stderr
    assert "over 4 MiB" in result.stdout + result.stderr
    assert result.code == 1


def test_endless_standard_input_is_refused_not_read_forever() -> None:
    import subprocess

    from .robustness import CLI

    with open("/dev/zero", "rb") as zeros:
        done = subprocess.run(
            [*CLI, "check", "--format", "json", "-"], stdin=zeros, capture_output=True, timeout=60
        )
    diagnostics = json.loads(done.stdout)["files"][0]["diagnostics"]
    assert [d["code"] for d in diagnostics] == ["AIS001"]
    assert done.returncode == 1


def _deleting_walk(monkeypatch: pytest.MonkeyPatch, victim: Path) -> None:
    real_files_below = discover_module._files_below

    def find_then_delete(folder: Path, notes: list[str]) -> list[Path]:
        found = real_files_below(folder, notes)
        victim.unlink()  # after discovery, before anything is read
        return found

    monkeypatch.setattr(discover_module, "_files_below", find_then_delete)


@pytest.mark.parametrize("count", [1, 40])
def test_file_deleted_between_discovery_and_reading(
    count: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """With many files the result cache reads them first: the same clear answer either way."""
    paths = [_write_valid(tmp_path / f"p{i:02d}") for i in range(count)]
    victim = paths[len(paths) // 2]
    _deleting_walk(monkeypatch, victim)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("AI_STRATEGY_CACHE_DIR", str(tmp_path / "cache"))
    code = main(["check", "--format", "json", "."])
    captured = capsys.readouterr()
    assert code == 2
    assert_no_traceback(captured.err)
    assert captured.err.strip().splitlines() == [
        f"ai-strategy: {victim.relative_to(tmp_path)}: file disappeared before it could be read"
    ]


def test_directory_called_ai_strategy_toml(tmp_path: Path) -> None:
    folder = tmp_path / "ai-strategy.toml"
    folder.mkdir()
    result = run_cli("check", str(folder), timeout=60)
    assert_no_traceback(result.stderr)
    assert result.code == 0
    assert "no ai-strategy.toml found" in result.stderr
    result = run_cli("recommend", str(folder), timeout=60)
    assert_no_traceback(result.stderr)
    assert result.code == 2
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.fixture
def open_folder() -> Iterator[Path]:
    """A folder every user can enter (pytest's tmp_path is private to its user)."""
    folder = Path(tempfile.mkdtemp(prefix="ai-strategy-hostile-"))
    folder.chmod(0o777)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def unprivileged() -> Iterator[dict[str, Any]]:
    """`subprocess` arguments for a user who cannot read a mode-000 file (see robustness.py)."""
    with unprivileged_user() as arguments:
        yield arguments


def test_unreadable_file(open_folder: Path, unprivileged: dict[str, Any]) -> None:
    """Mode 000, checked by a user who is not root (root reads any file): `permission denied`."""
    user = unprivileged
    readable = _write_valid(open_folder / "readable")
    control = run_cli("check", str(readable), cwd=open_folder, timeout=60, **user)
    assert (control.code, control.stderr) == (0, ""), f"this user cannot run the CLI: {control.stderr}"
    path = _write_valid(open_folder / "locked")
    path.chmod(0)
    result = run_cli("check", str(path), cwd=open_folder, timeout=60, **user)
    _record("unreadable-file", "cli-text", result.seconds)
    assert_no_traceback(result.stderr)
    assert result.code == 2
    assert result.stderr.strip().splitlines() == [f"ai-strategy: {path}: permission denied"]


def test_the_unprivileged_user_is_not_root_and_permissions_come_back() -> None:
    import subprocess
    import sys

    folders = [Path(os.path.realpath(sys.executable)), *Path(os.path.realpath(sys.executable)).parents]
    before = {folder: folder.stat().st_mode for folder in folders}
    with unprivileged_user() as user:
        done = subprocess.run(
            [sys.executable, "-c", "import os; print(os.getuid(), os.getgid(), os.getgroups())"],
            capture_output=True,
            text=True,
            check=True,
            **user,
        )
    uid, gid, groups = done.stdout.split(" ", 2)
    assert int(uid) != 0 and int(gid) != 0 and "0" not in groups.strip("[]\n").split(", ")
    assert {folder: folder.stat().st_mode for folder in folders} == before


@pytest.mark.skipif(not Path("/proc/self/mem").exists(), reason="needs Linux /proc")
def test_file_that_fails_to_read_even_for_root() -> None:
    """/proc/self/mem exists and opens, but reading it at offset 0 is an I/O error."""
    result = run_cli("check", "--format", "json", "/proc/self/mem", timeout=60)
    _record("unreadable-file (EIO)", "cli-json", result.seconds)
    assert_no_traceback(result.stderr)
    assert result.code == 2
    assert result.stderr.strip().splitlines() == [
        "ai-strategy: /proc/self/mem: cannot read (Input/output error)"
    ]
    assert result.stdout == ""


# ---- the server ---------------------------------------------------------------------------------------


def _as_editor_text(data: bytes) -> str:
    """What an editor would hand the server for these bytes."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")  # editors fall back to a single-byte encoding


@pytest.fixture(scope="module")
def server() -> Iterator[LspClient]:
    client = LspClient()
    client.initialize(pull=True)
    try:
        yield client
    finally:
        client.kill()


HEAVY = {
    "1-MB-line-of-100000-findings",
    "50000-unknown-tables",
    "50000-unknown-keys",
    "50000-dotted-unknown-keys",
}
"""Tens of thousands of findings: each takes the server tens of seconds through every feature."""


@pytest.mark.parametrize(
    "name", [pytest.param(n, marks=pytest.mark.slow) if n in HEAVY else n for n in HOSTILE]
)
def test_server_answers_hostile_buffer_quickly(
    name: str, hostile_files: dict[str, Path], server: LspClient
) -> None:
    text = _as_editor_text(hostile_files[name].read_bytes())
    uri = f"file:///hostile/{name}/ai-strategy.toml"
    start = time.monotonic()
    server.open(uri, text)
    diagnostics = server.pull(uri, timeout=LIMIT_SECONDS * 3)
    seconds = time.monotonic() - start
    _record(name, "server", seconds)
    assert seconds < LIMIT_SECONDS
    expected = analyse(text)
    assert [d["code"] for d in diagnostics] == [f.code for f in expected.findings]
    assert [d["message"] for d in diagnostics[:50]] == [f.message for f in expected.findings[:50]]
    lines = split_lines(text[1:] if text.startswith("\ufeff") else text)
    for diagnostic in diagnostics[:1000]:
        check_lsp_range(lines, diagnostic["range"], f"{name}: {diagnostic['code']}")
    _every_feature(server, uri, lines, name)
    server.close_document(uri)
    assert server.alive()
    assert_no_traceback(server.stderr)


def _every_feature(server: LspClient, uri: str, lines: list[str], name: str) -> None:
    """Hover, completion, symbols, folding, lens, hints and actions on the buffer: all answered."""
    document = {"uri": uri}
    last = len(lines) - 1
    everywhere = {"start": {"line": 0, "character": 0}, "end": {"line": last, "character": 0}}
    near_top = {"start": {"line": 0, "character": 0}, "end": {"line": min(last, 12), "character": 0}}
    places = [(0, 0), (min(7, last), 3), (last, 0), (last // 2, 10)]
    requests = [
        ("textDocument/documentSymbol", {"textDocument": document}),
        ("textDocument/foldingRange", {"textDocument": document}),
        ("textDocument/codeLens", {"textDocument": document}),
        ("textDocument/inlayHint", {"textDocument": document, "range": everywhere}),
        (  # the cursor's neighbourhood, as editors ask (on a 1 MB line: every finding of it)
            "textDocument/codeAction",
            {"textDocument": document, "range": near_top, "context": {"diagnostics": []}},
        ),
        ("textDocument/codeAction", fix_all_params(document["uri"], everywhere)),
    ]
    for line, character in places:
        position = {"line": line, "character": character}
        requests.append(("textDocument/hover", {"textDocument": document, "position": position}))
        requests.append(("textDocument/completion", {"textDocument": document, "position": position}))
    ids = [server.send_request(method, params) for method, params in requests]
    for (method, params), request_id in zip(requests, ids, strict=True):
        start = time.monotonic()
        server.result(request_id, timeout=LIMIT_SECONDS * 3)
        seconds = time.monotonic() - start
        only = params.get("context", {}).get("only")
        _record(name, method + (f" {only[0]}" if only else ""), seconds)
        assert seconds < LIMIT_SECONDS, method


def test_server_workspace_with_hostile_files(open_folder: Path, unprivileged: dict[str, Any]) -> None:
    """Workspace diagnostics over loops, a pipe, a directory, binary, huge, unreadable and
    vanishing files (the server runs as a user who cannot read the mode-000 one)."""
    root = open_folder
    _write_valid(root / "ok")
    (root / "loop").mkdir()
    os.symlink("..", root / "loop" / "up")
    (root / "pipe").mkdir()
    os.mkfifo(root / "pipe" / "ai-strategy.toml")
    (root / "dir" / "ai-strategy.toml").mkdir(parents=True)
    (root / "binary").mkdir()
    (root / "binary" / "ai-strategy.toml").write_bytes(_random_bytes(3, 4096))
    (root / "latin1").mkdir()
    (root / "latin1" / "ai-strategy.toml").write_bytes(HOSTILE["latin-1-text"][0]())
    (root / "huge").mkdir()
    (root / "huge" / "ai-strategy.toml").write_bytes(HOSTILE["8-MB-file"][0]())
    (root / "nested").mkdir()
    (root / "nested" / "ai-strategy.toml").write_bytes(HOSTILE["nesting-50000-arrays"][0]())
    vanishing = _write_valid(root / "vanishing")
    locked = _write_valid(root / "locked")
    locked.chmod(0)
    client = LspClient(cwd=root, **unprivileged)
    try:
        client.initialize(pull=True, root=root)
        start = time.monotonic()
        report = client.request("workspace/diagnostic", {"previousResultIds": []}, timeout=LIMIT_SECONDS)
        _record("workspace-with-hostile-files", "server", time.monotonic() - start)
        by_folder = {Path(item["uri"][len("file://") :]).parent.name: item for item in report["items"]}
        assert "AIS001" not in [d["code"] for d in by_folder["ok"]["items"]]
        for folder, fragment in [
            ("binary", "binary file"),
            ("latin1", "invalid UTF-8"),
            ("huge", "4 MiB"),
            ("nested", "nested too deeply"),
        ]:
            messages = [d["message"] for d in by_folder[folder]["items"]]
            assert len(messages) == 1 and fragment in messages[0], (folder, messages)
        assert "pipe" not in by_folder and "dir" not in by_folder
        assert "locked" not in by_folder  # unreadable: left out, not a crash
        vanishing.unlink()
        again = client.request("workspace/diagnostic", {"previousResultIds": []}, timeout=LIMIT_SECONDS)
        assert "vanishing" not in {Path(i["uri"]).parent.name for i in again["items"] if i["items"]}
        assert client.alive()
        assert client.shutdown() == 0
    finally:
        client.kill()
    assert_no_traceback(client.stderr)


class _Planted:
    """A pickle that runs a command when loaded with plain `pickle.load`."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[Any, ...]:
        return (os.system, (f"touch {self.marker}",))


def test_a_planted_result_cache_runs_no_code(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The cache lives in the checked folder, where a pull request can add files: loading a
    planted cache file must not execute anything (it is ignored instead)."""
    import pickle

    from ai_strategy.cli.cache import open_cache

    for index in range(20):  # the cache is used from 16 files up
        _write_valid(tmp_path / f"p{index:02d}")
    cache_dir = tmp_path / ".ai-strategy-cache"
    monkeypatch.setenv("AI_STRATEGY_CACHE_DIR", str(cache_dir))
    cache_file = Path(open_cache().file)
    cache_file.parent.mkdir(parents=True)
    marker = tmp_path / "EXECUTED"
    cache_file.write_bytes(pickle.dumps({b"key": _Planted(marker)}))
    result = run_cli("check", "--format", "json", ".", cwd=tmp_path, timeout=60)
    assert_no_traceback(result.stderr)
    assert not marker.exists()
    assert json.loads(result.stdout)["summary"]["files"] == 20
