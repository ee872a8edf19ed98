"""A real editor: Neovim (headless) attaches `ai-strategy lsp` to an ai-strategy.toml.

Neovim receives the pushed diagnostics, asks for a hover, the code lens and the code actions,
applies the preferred quick fix and sees its diagnostic go. The Lua script writes what Neovim
got to a JSON file; this test asserts on it. Skipped where Neovim is not installed, except in CI
(`CI=true`), where a missing Neovim is a failure: `.ci/run` installs it.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

import pytest

from .readme_configs import STRATEGY, run_editor

HERE = Path(__file__).resolve().parent
SCRIPT = HERE / "neovim_session.lua"
SERVER = [os.path.join(os.path.dirname(sys.executable), "ai-strategy"), "lsp"]


pytestmark = pytest.mark.editor


def neovim() -> str:
    found = shutil.which("nvim")
    if found is None:  # a failure in CI (tests/skip_policy.py)
        pytest.skip("nvim is not installed (apt-get install neovim)")
    return found


def run_session(tmp_path: Path, text: str) -> dict[str, object]:
    nvim = neovim()
    file = tmp_path / "ai-strategy.toml"
    file.write_text(text)
    out = tmp_path / "neovim-result.json"
    env = dict(os.environ)
    env.update(
        AI_STRATEGY_SERVER=json.dumps(SERVER),
        AI_STRATEGY_FILE=str(file),
        AI_STRATEGY_OUT=str(out),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        XDG_DATA_HOME=str(tmp_path / "data"),
        XDG_STATE_HOME=str(tmp_path / "state"),
    )
    result, _ = run_editor(
        "Neovim", [nvim, "--headless", "--clean", "-n", "-c", f"luafile {SCRIPT}"], env, out
    )
    return result


def test_neovim_gets_diagnostics_hover_lens_and_a_working_quick_fix(tmp_path: Path) -> None:
    result = run_session(tmp_path, STRATEGY)
    assert result["errors"] == [], result
    diagnostics = result["diagnostics"]
    assert isinstance(diagnostics, list)
    by_code = {d["code"]: d for d in diagnostics}
    assert {"AIS004", "AIS105"} <= set(by_code), diagnostics
    assert by_code["AIS004"]["lnum"] == 6 and by_code["AIS004"]["col"] == 7
    assert by_code["AIS004"]["source"] == "ai-strategy"
    hover = result["hover"]
    assert isinstance(hover, str) and "How often the facts" in hover and "knowledge +2" in hover
    assert str(result["code_lens"]).startswith("Recommended: ")
    titles = [a["title"] for a in result["actions"]]  # type: ignore[union-attr,index]
    assert "Ignore AIS004 in this file" in titles
    assert result["line_after_fix"] == 'type = "qa"'
    assert "AIS004" not in [d["code"] for d in result["after"]]  # type: ignore[union-attr,index]
