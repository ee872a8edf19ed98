"""The editor configurations of the root README, extracted verbatim for the tests to run.

Each tested configuration follows a `<!-- editor-config: NAME -->` line in README.md as one fenced
code block; the tests write that block unchanged to the editor's init file.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
from pathlib import Path

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


def key_description(table: str, key: str) -> str:
    """A key's description in the project's JSON Schema: what a hover on the key must say."""
    schema = json.loads((ROOT / "schemas" / "ai-strategy.schema.json").read_text(encoding="utf-8"))
    description: str = schema["properties"][table]["properties"][key]["description"]
    return description
