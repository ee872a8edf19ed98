"""The editor shows what the command line reports: same codes, ranges, messages, severities.

For every example and calibration file, the server's diagnostics equal `ai-strategy check
--format json` converted to LSP (1-based code-point columns to 0-based client units).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from lsprotocol import types

from .conftest import Editor

ROOT = Path(__file__).resolve().parents[2]
FILES = sorted(ROOT.glob("examples/**/ai-strategy.toml")) + sorted(
    (ROOT.parent / "shared" / "calibration").glob("*.toml")
)
CLI = os.path.join(os.path.dirname(sys.executable), "ai-strategy")
SEVERITY = {"error": 1, "warning": 2, "info": 3}


def cli_diagnostics(path: Path) -> list[dict[str, object]]:
    out = subprocess.run(
        [CLI, "check", "--format", "json", "--exit-zero", "-", "--stdin-filename", "ai-strategy.toml"],
        input=path.read_bytes(),
        capture_output=True,
        check=True,
    )
    files = json.loads(out.stdout)["files"]
    assert len(files) == 1
    return list(files[0]["diagnostics"])


def _units(line: str, column: int, encoding: str) -> int:
    prefix = line[:column]
    if encoding == "utf-8":
        return len(prefix.encode("utf-8"))
    if encoding == "utf-16":
        return len(prefix.encode("utf-16-le")) // 2
    return len(prefix)


def expected(path: Path, encoding: str) -> list[tuple[object, ...]]:
    lines = path.read_text("utf-8-sig").splitlines() or [""]
    result = []
    for d in cli_diagnostics(path):
        r = d["range"]
        start, end = r["start"], r["end"]  # type: ignore[index]

        def pos(p: dict[str, int]) -> tuple[int, int]:
            line = p["line"] - 1
            text = lines[line] if line < len(lines) else ""
            return line, _units(text, p["column"] - 1, encoding)

        result.append((d["code"], d["message"], SEVERITY[d["severity"]], pos(start), pos(end)))  # type: ignore[index,arg-type]
    return result


def got(diagnostics: list[types.Diagnostic]) -> list[tuple[object, ...]]:
    return [
        (
            d.code,
            d.message,
            int(d.severity or 0),
            (d.range.start.line, d.range.start.character),
            (d.range.end.line, d.range.end.character),
        )
        for d in diagnostics
    ]


# two encodings (UTF-16 push, UTF-8 pull) are enough for parity: Neovim 0.7 would repeat VS Code
@pytest.mark.parametrize("editor_client", ["vscode", "neovim"], indirect=True)
async def test_server_matches_cli(editor: Editor) -> None:
    for path in FILES:
        uri = editor.open(
            path.read_text("utf-8-sig"), uri=f"file:///parity/{path.parent.name}/{path.stem}/ai-strategy.toml"
        )
        assert got(await editor.diagnostics(uri)) == expected(path, editor.encoding), path


def test_there_are_files_to_compare() -> None:
    assert len(FILES) >= 6
