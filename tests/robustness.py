"""Shared by the robustness tests: the TOML corpora, range checks, the CLI, and a stdio LSP client.

The corpora: the toml-test suite vendored in `tests/vendor/toml-test` (its TOML 1.0 list), and
the cases of `tests/toml_cases/`. The LSP client is deliberately small and synchronous
(a reader thread, JSON-RPC over the server's real stdio), so a test can also read everything the
server printed on stderr and see whether it is still alive.
"""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys
import sysconfig
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ai_strategy.analysis import Report
from ai_strategy.findings import Position, Range

REPO = Path(__file__).resolve().parents[1]
TOML_TEST = REPO / "tests" / "vendor" / "toml-test" / "tests"
TOML_1_0_LIST = TOML_TEST / "files-toml-1.0.0"
OWN_CASES = Path(__file__).resolve().parent / "toml_cases"
BIN = Path(sys.executable).parent
CLI = [str(BIN / "ai-strategy")]
SERVER = [*CLI, "lsp"]


@dataclass(frozen=True)
class Case:
    """One TOML file of a corpus: where it is, a short id, and whether it is valid TOML 1.0."""

    path: Path
    id: str
    valid: bool

    @property
    def data(self) -> bytes:
        return self.path.read_bytes()


def toml_test_cases() -> list[Case]:
    """Every .toml case of the toml-test TOML 1.0 list."""
    cases = []
    for line in TOML_1_0_LIST.read_text("utf-8").splitlines():
        name = line.strip()
        if name.endswith(".toml"):
            cases.append(Case(TOML_TEST / name, name, name.startswith("valid/")))
    return cases


def own_cases() -> list[Case]:
    """The cases of tests/toml_cases (invalid/ and valid/)."""
    cases = []
    for kind in ("invalid", "valid"):
        for path in sorted((OWN_CASES / kind).glob("*.toml")):
            cases.append(Case(path, f"{kind}/{path.name}", kind == "valid"))
    return cases


def own_expected_lines() -> dict[str, int]:
    """1-based line of the AIS001 of each invalid case of tests/toml_cases."""
    data: dict[str, int] = json.loads((OWN_CASES / "invalid" / "expected-lines.json").read_text("utf-8"))
    return data


# ---- text geometry, independent of the engine ---------------------------------------------------

_BREAK = re.compile(r"\r\n|\r|\n")


def split_lines(text: str) -> list[str]:
    """The lines of a text as LSP counts them (`\\n`, `\\r\\n` and `\\r` end a line)."""
    return _BREAK.split(text)


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def check_position(lines: list[str], line: int, column: int, what: str) -> None:
    assert 0 <= line < len(lines), f"{what}: line {line} outside the text ({len(lines)} lines)"
    assert 0 <= column <= len(lines[line]), (
        f"{what}: column {column} outside line {line} (length {len(lines[line])})"
    )


def check_range(lines: list[str], where: Range, what: str) -> None:
    """A core range (0-based, code points) is ordered and inside the text."""
    assert where.start <= where.end, f"{what}: range ends before it starts: {where}"
    for position in (where.start, where.end):
        check_position(lines, position.line, position.column, what)


def check_report(report: Report) -> None:
    """Every range of every finding (its own, its related places, its fix edits) is inside the
    report's text."""
    lines = split_lines(report.text)
    for finding in report.findings:
        what = f"{report.path}: {finding.code} {finding.message[:80]!r}"
        check_range(lines, finding.range, what)
        for related in finding.related:
            check_range(lines, related.range, what + " (related)")
        for fix in finding.fixes:
            for edit in fix.edits:
                check_range(lines, edit.range, what + f" (fix {fix.title!r})")


def check_json_range(lines: list[str], where: dict[str, Any], what: str) -> None:
    """A CLI JSON range (1-based lines and code-point columns) is ordered and inside the text."""
    start = (where["start"]["line"] - 1, where["start"]["column"] - 1)
    end = (where["end"]["line"] - 1, where["end"]["column"] - 1)
    assert start <= end, f"{what}: range ends before it starts: {where}"
    for line, column in (start, end):
        check_position(lines, line, column, what)


def check_lsp_range(lines: list[str], where: dict[str, Any], what: str, encoding: str = "utf-16") -> None:
    """An LSP range (0-based, in the negotiated code units) is ordered and inside the text."""
    start = (where["start"]["line"], where["start"]["character"])
    end = (where["end"]["line"], where["end"]["character"])
    assert start <= end, f"{what}: range ends before it starts: {where}"
    for line, character in (start, end):
        assert 0 <= line < len(lines), f"{what}: line {line} outside the text ({len(lines)} lines)"
        assert 0 <= character <= units(lines[line], encoding), (
            f"{what}: character {character} outside line {line}"
        )


def units(text: str, encoding: str) -> int:
    """Length of a string in the code units of an LSP position encoding."""
    if encoding == "utf-8":
        return len(text.encode("utf-8", "surrogatepass"))
    if encoding == "utf-32":
        return len(text)
    return utf16_len(text)


def to_client(lines: list[str], line: int, column: int, encoding: str = "utf-16") -> dict[str, int]:
    """A 0-based code-point position as an LSP position in `encoding`."""
    return {"line": line, "character": units(lines[line][:column], encoding)}


def json_range_to_lsp(lines: list[str], where: dict[str, Any], encoding: str = "utf-16") -> dict[str, Any]:
    """A CLI JSON range (1-based, code points) as the LSP range a server must send for it."""
    return {
        "start": to_client(lines, where["start"]["line"] - 1, where["start"]["column"] - 1, encoding),
        "end": to_client(lines, where["end"]["line"] - 1, where["end"]["column"] - 1, encoding),
    }


def core_range_to_lsp(lines: list[str], where: Range, encoding: str = "utf-16") -> dict[str, Any]:
    return {
        "start": to_client(lines, where.start.line, where.start.column, encoding),
        "end": to_client(lines, where.end.line, where.end.column, encoding),
    }


def point(line: int, column: int) -> Range:
    return Range(Position(line, column), Position(line, column))


# ---- the command line ---------------------------------------------------------------------------


@dataclass
class CliResult:
    code: int
    stdout: str
    stderr: str
    seconds: float


def run_cli(
    *args: str, cwd: Path | None = None, timeout: float = 120, stdin: bytes | None = None, **popen: Any
) -> CliResult:
    """Run the real console script; a hang past `timeout` fails the test. `popen`: more arguments
    for `subprocess.run` (e.g. `as_unprivileged_user()`)."""
    start = time.monotonic()
    env = {**os.environ, "NO_COLOR": "1"}
    done = subprocess.run(
        [*CLI, *args], cwd=cwd, capture_output=True, timeout=timeout, input=stdin, env=env, **popen
    )
    return CliResult(
        done.returncode,
        done.stdout.decode("utf-8", "replace"),
        done.stderr.decode("utf-8", "replace"),
        time.monotonic() - start,
    )


UNPRIVILEGED_ID = 65534
"""A user and group that own nothing ("nobody" and "nogroup" on Debian)."""


@contextmanager
def unprivileged_user() -> Iterator[dict[str, Any]]:
    """`subprocess` arguments that run a child as a user who cannot read a mode-000 file.

    Not root: none (this user cannot read such a file either). Root (CI runs as root, and root
    reads any file): uid and gid 65534 with no other groups; for the time of the block, every
    folder on the way to the interpreter, its standard library and the repository that others
    cannot search (such as a 0700 /root holding the interpreter) gets that permission, and loses
    it again afterwards."""
    if os.geteuid() != 0:
        yield {}
        return
    targets = [Path(os.path.realpath(sys.executable)), Path(sysconfig.get_paths()["stdlib"]), REPO]
    folders = {folder for target in targets for folder in (target.resolve(), *target.resolve().parents)}
    granted = [f for f in sorted(folders) if f.is_dir() and not f.stat().st_mode & stat.S_IXOTH]
    for folder in granted:
        folder.chmod(folder.stat().st_mode | stat.S_IXOTH)
    try:
        yield {"user": UNPRIVILEGED_ID, "group": UNPRIVILEGED_ID, "extra_groups": []}
    finally:
        for folder in granted:
            folder.chmod(folder.stat().st_mode & ~stat.S_IXOTH)


def assert_no_traceback(stderr: str) -> None:
    assert "Traceback" not in stderr, stderr[-3000:]


def fix_all_params(uri: str, range_: dict[str, Any]) -> dict[str, Any]:
    """`textDocument/codeAction` parameters asking only for the fix-all source action."""
    return {
        "textDocument": {"uri": uri},
        "range": range_,
        "context": {"diagnostics": [], "only": ["source.fixAll.ai-strategy"]},
    }


# ---- a small LSP client over stdio --------------------------------------------------------------


class ServerDied(AssertionError):
    """The server exited or stopped answering."""


class LspClient:
    """Talks JSON-RPC to `ai-strategy lsp` over its stdin/stdout; keeps its stderr."""

    def __init__(self, cwd: Path | None = None, **popen: Any) -> None:
        env = {**os.environ, "AI_STRATEGY_LOG": "WARNING"}
        self.proc = subprocess.Popen(
            SERVER,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=cwd,
            env=env,
            **popen,
        )
        self._write_lock = threading.Lock()
        self._cond = threading.Condition()
        self._next_id = 0
        self.responses: dict[int, dict[str, Any]] = {}
        self.published: dict[str, list[dict[str, Any]]] = {}
        self.messages: list[dict[str, Any]] = []
        self.server_requests: list[dict[str, Any]] = []
        self._stderr: list[bytes] = []
        self.eof = False
        threading.Thread(target=self._read_stdout, daemon=True).start()
        threading.Thread(target=self._read_stderr, daemon=True).start()

    # -- plumbing --
    def _send(self, message: dict[str, Any]) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")
        with self._write_lock:
            assert self.proc.stdin is not None
            try:
                self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
                self.proc.stdin.flush()
            except (BrokenPipeError, OSError) as error:
                raise ServerDied(
                    f"cannot write to the server ({error}); stderr:\n{self.stderr[-3000:]}"
                ) from error

    def _read_stdout(self) -> None:
        stream = self.proc.stdout
        assert stream is not None
        try:
            while True:
                headers: dict[str, str] = {}
                while True:
                    line = stream.readline()
                    if not line:
                        return
                    if line in (b"\r\n", b"\n"):
                        break
                    name, _, value = line.decode("ascii").partition(":")
                    headers[name.strip().lower()] = value.strip()
                body = stream.read(int(headers["content-length"]))
                self._dispatch(json.loads(body))
        finally:
            with self._cond:
                self.eof = True
                self._cond.notify_all()

    def _dispatch(self, message: dict[str, Any]) -> None:
        if "method" in message and "id" in message:
            self.server_requests.append(message)
            self._send({"id": message["id"], "result": self._answer(message)})
            return
        with self._cond:
            if "id" in message:
                self.responses[message["id"]] = message
            else:
                self.messages.append(message)
                if message.get("method") == "textDocument/publishDiagnostics":
                    params = message["params"]
                    self.published.setdefault(params["uri"], []).append(params)
            self._cond.notify_all()

    @staticmethod
    def _answer(request: dict[str, Any]) -> Any:
        if request["method"] == "workspace/configuration":
            return [None for _ in request["params"]["items"]]
        return None

    def _read_stderr(self) -> None:
        assert self.proc.stderr is not None
        for chunk in iter(lambda: self.proc.stderr.read1(65536), b""):  # type: ignore[union-attr]
            self._stderr.append(chunk)

    @property
    def stderr(self) -> str:
        return b"".join(self._stderr).decode("utf-8", "replace")

    def wait_for(self, condition: Callable[[], bool], timeout: float, what: str) -> None:
        deadline = time.monotonic() + timeout
        with self._cond:
            while not condition():
                left = deadline - time.monotonic()
                if self.eof:
                    raise ServerDied(
                        f"the server exited while waiting for {what}; stderr:\n{self.stderr[-3000:]}"
                    )
                if left <= 0:
                    raise ServerDied(f"no {what} within {timeout} s; stderr:\n{self.stderr[-3000:]}")
                self._cond.wait(min(left, 0.5))

    # -- JSON-RPC --
    def send_request(self, method: str, params: Any) -> int:
        self._next_id += 1
        self._send({"id": self._next_id, "method": method, "params": params})
        return self._next_id

    def result(self, request_id: int, timeout: float = 30) -> Any:
        self.wait_for(lambda: request_id in self.responses, timeout, f"answer to request {request_id}")
        response = self.responses.pop(request_id)
        if "error" in response:
            raise AssertionError(f"request {request_id} failed: {response['error']}")
        return response.get("result")

    def request(self, method: str, params: Any, timeout: float = 30) -> Any:
        return self.result(self.send_request(method, params), timeout)

    def notify(self, method: str, params: Any) -> None:
        self._send({"method": method, "params": params})

    # -- LSP --
    def initialize(
        self,
        pull: bool,
        encodings: list[str] | None = None,
        root: Path | None = None,
    ) -> dict[str, Any]:
        text_document: dict[str, Any] = {
            "synchronization": {"dynamicRegistration": False},
            "publishDiagnostics": {"relatedInformation": True, "versionSupport": True},
        }
        if pull:
            text_document["diagnostic"] = {"dynamicRegistration": False, "relatedDocumentSupport": False}
        capabilities: dict[str, Any] = {
            "textDocument": text_document,
            "workspace": {"workspaceFolders": True, "configuration": False},
            "general": {"positionEncodings": encodings or ["utf-16"]},
        }
        params: dict[str, Any] = {"processId": os.getpid(), "capabilities": capabilities, "rootUri": None}
        if root is not None:
            params["rootUri"] = root.as_uri()
            params["workspaceFolders"] = [{"uri": root.as_uri(), "name": root.name}]
        result: dict[str, Any] = self.request("initialize", params, timeout=60)
        self.notify("initialized", {})
        return result

    def open(self, uri: str, text: str, version: int = 1) -> None:
        self.notify(
            "textDocument/didOpen",
            {"textDocument": {"uri": uri, "languageId": "toml", "version": version, "text": text}},
        )

    def change(self, uri: str, version: int, changes: list[dict[str, Any]]) -> None:
        self.notify(
            "textDocument/didChange",
            {"textDocument": {"uri": uri, "version": version}, "contentChanges": changes},
        )

    def close_document(self, uri: str) -> None:
        self.notify("textDocument/didClose", {"textDocument": {"uri": uri}})

    def pull(self, uri: str, timeout: float = 30) -> list[dict[str, Any]]:
        report = self.request("textDocument/diagnostic", {"textDocument": {"uri": uri}}, timeout)
        assert report["kind"] == "full", report
        items: list[dict[str, Any]] = report["items"]
        return items

    def published_version(self, uri: str, version: int, timeout: float = 60) -> list[dict[str, Any]]:
        """The diagnostics pushed for `version` of the document (waits for them)."""

        def arrived() -> bool:
            return any(p.get("version") == version for p in self.published.get(uri, []))

        self.wait_for(arrived, timeout, f"diagnostics of {uri} version {version}")
        found = [p for p in self.published[uri] if p.get("version") == version]
        diagnostics: list[dict[str, Any]] = found[-1]["diagnostics"]
        return diagnostics

    def alive(self) -> bool:
        """The server still answers a request."""
        self.request(
            "textDocument/hover",
            {
                "textDocument": {"uri": "file:///nowhere/ai-strategy.toml"},
                "position": {"line": 0, "character": 0},
            },
            timeout=30,
        )
        return self.proc.poll() is None

    def shutdown(self, timeout: float = 30) -> int:
        """Ask the server to stop; its exit code."""
        try:
            self.request("shutdown", None, timeout)
            self.notify("exit", None)
            return self.proc.wait(timeout)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait()

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


def lsp_client(cwd: Path | None = None) -> Iterator[LspClient]:
    """A started client (for fixtures): killed at the end whatever happened."""
    client = LspClient(cwd)
    try:
        yield client
    finally:
        client.kill()


def diagnostic_summary(diagnostic: dict[str, Any]) -> tuple[Any, ...]:
    """What must agree between the server and the CLI for one diagnostic."""
    fixes = (diagnostic.get("data") or {}).get("fixes") or []
    first = fixes[0] if fixes else None
    return (
        diagnostic["code"],
        {1: "error", 2: "warning", 3: "info"}[diagnostic["severity"]],
        diagnostic["message"],
        diagnostic["range"],
        None
        if first is None
        else (first["applicability"], [(e["range"], e["newText"]) for e in first["edits"]]),
        [r["location"]["range"] for r in diagnostic.get("relatedInformation") or []],
    )


def cli_summary(diagnostic: dict[str, Any], lines: list[str], encoding: str = "utf-16") -> tuple[Any, ...]:
    """A CLI JSON diagnostic in the server's terms (0-based, client units)."""
    fix = diagnostic["fix"]
    return (
        diagnostic["code"],
        diagnostic["severity"],
        diagnostic["message"],
        json_range_to_lsp(lines, diagnostic["range"], encoding),
        None
        if fix is None
        else (
            fix["applicability"],
            [(json_range_to_lsp(lines, e["range"], encoding), e["new_text"]) for e in fix["edits"]],
        ),
        [json_range_to_lsp(lines, r["range"], encoding) for r in diagnostic.get("related") or []],
    )
