"""The README's Emacs configuration (eglot), copied verbatim and run in a real Emacs.

Emacs 28 with Debian's `elpa-eglot` (`.ci/run` installs both from `scripts/ci-packages.txt`) runs
headless (`emacs --batch`) with the README block loaded, then `emacs_check.el`: `Cargo.toml` must
keep its mode and start no server; `team.ai-strategy.toml` and `ai-strategy.toml` are served by one
server; the buffer gets the AIS004 diagnostic, a hover, the quick fixes, and the README's
`ai-strategy-fix-all` (code-action kind `source.fixAll.ai-strategy`) fixes the file.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from .readme_configs import config_workspace, key_description, readme_config, require, run_editor

CHECK = Path(__file__).resolve().parent / "emacs_check.el"

pytestmark = pytest.mark.editor


def eglot_available(emacs: str) -> bool:
    """True when this Emacs can load eglot (built in from 29, `elpa-eglot` on 28)."""
    probe = subprocess.run(
        [emacs, "--batch", "--eval", "(kill-emacs (if (require 'eglot nil t) 0 1))"],
        capture_output=True,
        text=True,
        check=False,
    )
    return probe.returncode == 0


def test_the_readme_config_for_emacs_eglot(tmp_path: Path) -> None:
    emacs = require(shutil.which("emacs"), "Emacs", "apt-get install emacs-nox elpa-eglot")
    require(emacs if eglot_available(emacs) else None, "eglot", "apt-get install elpa-eglot")
    config = tmp_path / "init.el"
    config.write_text(readme_config("emacs-eglot"), encoding="utf-8")
    env, out = config_workspace(tmp_path)
    argv = [
        emacs,
        "--batch",
        "-l",
        "package",
        "--eval",
        "(package-initialize)",
        "-l",
        str(config),
        "-l",
        CHECK,
    ]
    result, completed = run_editor("Emacs", argv, env, out, cwd=tmp_path)
    assert result["errors"] is None, (result, completed.stderr[-2000:])
    assert result["other_mode"] == "conf-toml-mode", result
    assert result["processes_after_other"] == 0, "Cargo.toml started the server"
    assert result["other_managed"] is False, "eglot manages Cargo.toml"
    assert result["named_managed"] is True, "team.ai-strategy.toml is not served"
    assert result["managed"] is True
    assert result["processes"] == 1, "one server for the folder"
    assert "AIS004" in result["diagnostics"], result
    assert "update_frequency" in result["hover"], result["hover"]
    assert key_description("data", "update_frequency") in result["hover"], result["hover"]
    assert 'Replace with "qa"' in result["actions"], result
    assert "Ignore AIS004 in this file" in result["actions"], result
    assert result["line_after_fix_all"] == 'type = "qa"', result
