"""The editor configurations of the root README, extracted verbatim for the tests to run.

Each tested configuration follows a `<!-- editor-config: NAME -->` line in README.md as one fenced
code block; the tests write that block unchanged to the editor's init file.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
CONFIG = re.compile(r"<!-- editor-config: (?P<name>[\w.-]+) -->\n```\w*\n(?P<body>.*?)\n```", re.S)


def readme_config(name: str) -> str:
    """The fenced block after `<!-- editor-config: NAME -->` in README.md."""
    found = {m["name"]: m["body"] + "\n" for m in CONFIG.finditer(README.read_text(encoding="utf-8"))}
    assert name in found, f"README.md has no editor-config block {name!r} (found {sorted(found)})"
    return found[name]


def require(path: str | None, what: str, install: str) -> str:
    """`path` when it exists; else skip, saying how to install it (a failure in CI:
    tests/skip_policy.py)."""
    if path and (Path(path).exists() or shutil.which(path)):
        return path
    pytest.skip(f"{what} is not installed ({install})")


def server_env(tmp_path: Path) -> dict[str, str]:
    """An environment where `ai-strategy` is this project's and nothing lands in the home folder."""
    env = dict(os.environ)
    env["PATH"] = os.path.dirname(sys.executable) + os.pathsep + env.get("PATH", "")
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME", "HOME"):
        folder = tmp_path / name.lower()
        folder.mkdir(exist_ok=True)
        env[name] = str(folder)
    return env


STRATEGY = """version = 1

[strategy]
approach = "rag"

[task]
type = "qaa"
goal = "add-knowledge"

[data]
update_frequency = "daily"

[knowledge_base]
size_tokens = 500_000

[requirements]
latency_p95_ms = 800
citations = true
"""
"""The file every editor test opens: `type = "qaa"` is the finding (AIS004, did you mean "qa"),
the rest gives the recommendation, the hover and the code actions something to say."""


def config_workspace(tmp_path: Path) -> tuple[dict[str, str], Path]:
    """(environment, result file) for running a README config against `tmp_path`: the strategy
    file, a named one (`team.ai-strategy.toml`) and a `Cargo.toml` the server must leave alone,
    their paths and the result file's in AI_STRATEGY_* variables for the editor's check script."""
    (tmp_path / "ai-strategy.toml").write_text(STRATEGY, encoding="utf-8")
    (tmp_path / "team.ai-strategy.toml").write_text(STRATEGY, encoding="utf-8")
    (tmp_path / "Cargo.toml").write_text('[package]\nname = "x"\nversion = "0.1.0"\n', encoding="utf-8")
    out = tmp_path / "result.json"
    env = server_env(tmp_path)
    env.update(
        AI_STRATEGY_FILE=str(tmp_path / "ai-strategy.toml"),
        AI_STRATEGY_NAMED=str(tmp_path / "team.ai-strategy.toml"),
        AI_STRATEGY_OTHER=str(tmp_path / "Cargo.toml"),
        AI_STRATEGY_OUT=str(out),
    )
    return env, out


def run_editor(
    editor: str, argv: list[str], env: dict[str, str], out: Path, cwd: Path | None = None
) -> tuple[dict[str, Any], subprocess.CompletedProcess[str]]:
    """Runs a headless editor whose check script writes its findings to `out` as JSON: (what it
    wrote, the finished process); a failure naming the editor, with its output, if it wrote nothing."""
    completed = subprocess.run(
        argv, env=env, cwd=cwd, capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL
    )
    assert out.exists(), f"{editor} wrote nothing.\nstdout: {completed.stdout}\nstderr: {completed.stderr}"
    result: dict[str, Any] = json.loads(out.read_text())
    return result, completed


def key_description(table: str, key: str) -> str:
    """A key's description in the project's JSON Schema: what a hover on the key must say."""
    schema = json.loads((ROOT / "schemas" / "ai-strategy.schema.json").read_text(encoding="utf-8"))
    description: str = schema["properties"][table]["properties"][key]["description"]
    return description
