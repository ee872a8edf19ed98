"""The GitHub Action (`action.yml`, composite) and its scripts in `action/`, run locally.

The action's steps are shell scripts fed by environment variables, so they run here as the runner
runs them: with GITHUB_OUTPUT, GITHUB_PATH, GITHUB_STEP_SUMMARY and RUNNER_TEMP pointing at
temporary files. `install.sh` is checked against a stand-in `python3` that records what it is
asked to do (and, in a slower test, for real); `run.sh` runs the real `ai-strategy`.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from .conftest import ROOT

ACTION = ROOT / "action.yml"
SCRIPTS = ROOT / "action"
EXE = shutil.which("ai-strategy") or "ai-strategy"
MISFIT = "examples/misfit-fine-tuning"
CLEAN = "examples/faq-bot"


def load_action() -> dict[str, Any]:
    action: dict[str, Any] = yaml.safe_load(ACTION.read_text("utf-8"))
    return action


def step(name: str) -> dict[str, Any]:
    steps: list[dict[str, Any]] = load_action()["runs"]["steps"]
    return next(s for s in steps if s.get("name") == name)


def runner_env(tmp_path: Path, inputs: dict[str, str], path: str) -> dict[str, str]:
    """The environment a runner gives a composite step, with the step's `env:` resolved."""
    files = {
        name: tmp_path / f"{name.lower()}.txt"
        for name in ("GITHUB_OUTPUT", "GITHUB_PATH", "GITHUB_STEP_SUMMARY")
    }
    for file in files.values():
        file.write_text("", "utf-8")
    env = {
        "PATH": path,
        "HOME": str(tmp_path),
        "GITHUB_ACTION_PATH": str(ROOT),
        "GITHUB_WORKSPACE": str(ROOT),
        "RUNNER_TEMP": str(tmp_path / "runner-temp"),
        "CALLS": str(tmp_path / "calls.txt"),  # where the stand-in python3 records its calls
        **{k: str(v) for k, v in files.items()},
    }
    (tmp_path / "runner-temp").mkdir(exist_ok=True)
    env.update(inputs)
    return env


def resolve_step_env(name: str, inputs: dict[str, str]) -> dict[str, str]:
    """The `env:` of a step with `${{ inputs.x }}` replaced by `inputs` (or the input's default)."""
    defaults = {k: str(v.get("default", "")) for k, v in load_action()["inputs"].items()}
    resolved = {}
    for key, value in step(name).get("env", {}).items():
        match = re.fullmatch(r"\$\{\{ inputs\.([a-z-]+) \}\}", value)
        assert match, f"{key}: env values are plain inputs"
        resolved[key] = inputs.get(match[1], defaults[match[1]])
    return resolved


def run_step(
    name: str, tmp_path: Path, inputs: dict[str, str], path: str, cwd: Path = ROOT
) -> tuple[subprocess.CompletedProcess[str], dict[str, str]]:
    """Run one step's `run:` script with bash, as the runner would."""
    env = runner_env(tmp_path, resolve_step_env(name, inputs), path)
    script = step(name)["run"]
    result = subprocess.run(
        ["bash", "-e", "-c", script], cwd=cwd, env=env, capture_output=True, text=True, timeout=600
    )
    return result, env


def tool_path() -> str:
    """PATH with the installed ai-strategy (and this Python) first, then the system's."""
    return os.pathsep.join([str(Path(EXE).parent), str(Path(sys.executable).parent), "/usr/bin", "/bin"])


# ---- action.yml -------------------------------------------------------------------------------


def test_action_is_composite_and_safe_from_script_injection() -> None:
    action = load_action()
    assert action["runs"]["using"] == "composite"
    assert action["name"] and action["description"] and action["branding"]
    steps = action["runs"]["steps"]
    setup = steps[0]
    assert setup["uses"].startswith("actions/setup-python@v")
    assert setup["if"] == "inputs.setup-python == 'true'"
    for s in steps:
        if "run" in s:
            assert s["shell"] == "bash"
            assert "${{" not in s["run"], "inputs reach scripts through env, never by interpolation"
            script = re.search(r'"\$GITHUB_ACTION_PATH/(action/[a-z]+\.sh)"', s["run"])
            assert script and (ROOT / script[1]).is_file()
    used = set(re.findall(r"inputs\.([a-z-]+)", ACTION.read_text("utf-8")))
    assert used == set(action["inputs"]), "every input is used, every use is declared"
    assert action["outputs"]["sarif-file"]["value"] == "${{ steps.check.outputs.sarif-file }}"
    assert step("Check ai-strategy.toml")["id"] == "check"


def test_scripts_are_valid_bash() -> None:
    for script in ("install.sh", "run.sh"):
        path = SCRIPTS / script
        assert subprocess.run(["bash", "-n", str(path)], capture_output=True).returncode == 0
        assert path.read_text("utf-8").startswith("#!/usr/bin/env bash\n")
    if shutil.which("shellcheck"):
        result = subprocess.run(
            ["shellcheck", *map(str, SCRIPTS.glob("*.sh"))], capture_output=True, text=True
        )
        assert result.returncode == 0, result.stdout


# ---- run.sh: the check step ---------------------------------------------------------------------


def test_check_step_annotates_and_fails_on_errors(tmp_path: Path) -> None:
    result, env = run_step("Check ai-strategy.toml", tmp_path, {"paths": f"{MISFIT}\n{CLEAN}"}, tool_path())
    assert result.returncode == 1, result.stderr
    lines = result.stdout.splitlines()
    assert lines and all(line.startswith(("::error ", "::warning ", "::notice ")) for line in lines)
    assert f"::error file={MISFIT}/ai-strategy.toml,line=16,col=20," in result.stdout
    assert CLEAN not in result.stdout
    summary = Path(env["GITHUB_STEP_SUMMARY"]).read_text("utf-8")
    assert summary.startswith("## ai-strategy check failed")
    assert f"| `{MISFIT}/ai-strategy.toml` | rag | 13 | -1 | 3 |" in summary
    assert f"| `{CLEAN}/ai-strategy.toml` |" in summary
    assert "[AIS101](" in summary
    assert Path(env["GITHUB_OUTPUT"]).read_text("utf-8") == ""  # no SARIF asked for


def test_check_step_passes_on_clean_files(tmp_path: Path) -> None:
    result, env = run_step("Check ai-strategy.toml", tmp_path, {"paths": CLEAN}, tool_path())
    assert (result.returncode, result.stdout) == (0, "")
    assert Path(env["GITHUB_STEP_SUMMARY"]).read_text("utf-8").startswith("## ai-strategy check passed")


def test_check_step_writes_sarif_and_its_output(tmp_path: Path) -> None:
    sarif = tmp_path / "reports" / "ai-strategy.sarif"
    result, env = run_step(
        "Check ai-strategy.toml", tmp_path, {"paths": MISFIT, "sarif-file": str(sarif)}, tool_path()
    )
    assert result.returncode == 1
    log = json.loads(sarif.read_text("utf-8"))
    assert log["version"] == "2.1.0"
    assert {r["ruleId"] for r in log["runs"][0]["results"]} >= {"AIS101", "AIS102", "AIS103"}
    assert Path(env["GITHUB_OUTPUT"]).read_text("utf-8") == f"sarif-file={sarif}\n"


def test_check_step_passes_fail_on_and_extra_args(tmp_path: Path) -> None:
    result, _ = run_step(
        "Check ai-strategy.toml",
        tmp_path,
        {"paths": MISFIT, "args": "--select AIS1 --ignore AIS101,AIS102,AIS103"},
        tool_path(),
    )
    assert result.returncode == 0  # warnings only now
    assert "title=AIS109" in result.stdout and "title=AIS201" not in result.stdout
    result, _ = run_step(
        "Check ai-strategy.toml",
        tmp_path,
        {"paths": MISFIT, "fail-on": "warning", "args": "--ignore AIS101,AIS102,AIS103"},
        tool_path(),
    )
    assert result.returncode == 1


def test_check_step_never_expands_wildcards_and_reports_usage_errors(tmp_path: Path) -> None:
    result, env = run_step("Check ai-strategy.toml", tmp_path, {"paths": "examples/*"}, tool_path())
    assert result.returncode == 2
    assert "examples/*" in result.stderr
    assert Path(env["GITHUB_STEP_SUMMARY"]).read_text("utf-8") == ""


def test_check_step_no_summary_when_disabled(tmp_path: Path) -> None:
    _, env = run_step("Check ai-strategy.toml", tmp_path, {"paths": MISFIT, "summary": "false"}, tool_path())
    assert Path(env["GITHUB_STEP_SUMMARY"]).read_text("utf-8") == ""


# ---- install.sh: the install step ---------------------------------------------------------------

FAKE_PYTHON = """#!/usr/bin/env bash
# Stand-in for python3: records its arguments; `-m venv DIR` makes a fake environment.
echo "python3 $*" >> "$CALLS"
if [ "$1" = "-m" ] && [ "$2" = "venv" ]; then
  mkdir -p "$3/bin"
  printf '#!/usr/bin/env bash\\necho "venv-python $*" >> "$CALLS"\\n' > "$3/bin/python"
  printf '#!/usr/bin/env bash\\necho "ai-strategy 9.9.9"\\n' > "$3/bin/ai-strategy"
  chmod +x "$3/bin/python" "$3/bin/ai-strategy"
fi
"""


@pytest.fixture
def fake_python(tmp_path: Path) -> Path:
    folder = tmp_path / "fake-bin"
    folder.mkdir()
    python = folder / "python3"
    python.write_text(FAKE_PYTHON, "utf-8")
    python.chmod(python.stat().st_mode | stat.S_IEXEC)
    return folder


@pytest.mark.parametrize(
    ("inputs", "requirement"),
    [
        ({}, str(ROOT)),
        ({"version": "0.2.0"}, "ai-strategy==0.2.0"),
        ({"version": "v0.2.0"}, "ai-strategy==0.2.0"),
        (
            {"source": "git+https://github.com/ai-strategy/ai-strategy@main", "version": "0.2.0"},
            "git+https://github.com/ai-strategy/ai-strategy@main",
        ),
    ],
)
def test_install_step_picks_the_requirement(
    inputs: dict[str, str], requirement: str, fake_python: Path, tmp_path: Path
) -> None:
    calls = tmp_path / "calls.txt"
    path = os.pathsep.join([str(fake_python), "/usr/bin", "/bin"])
    result, env = run_step("Install ai-strategy", tmp_path, inputs, path)
    assert result.returncode == 0, result.stderr
    venv = Path(env["RUNNER_TEMP"]) / "ai-strategy-venv"
    recorded = calls.read_text("utf-8").splitlines()
    assert recorded[0] == f"python3 -m venv {venv}"
    assert recorded[1] == f"venv-python -m pip install --quiet --disable-pip-version-check {requirement}"
    assert Path(env["GITHUB_PATH"]).read_text("utf-8") == f"{venv / 'bin'}\n"
    assert "ai-strategy 9.9.9" in result.stdout


@pytest.mark.slow
def test_install_step_for_real_from_this_checkout(tmp_path: Path) -> None:
    """pip-installs this repository into the action's environment (dependencies from the index)."""
    python_dir = Path(sys.executable).parent
    result, env = run_step(
        "Install ai-strategy", tmp_path, {}, os.pathsep.join([str(python_dir), "/usr/bin", "/bin"])
    )
    assert result.returncode == 0, result.stdout + result.stderr
    bin_dir = Path(Path(env["GITHUB_PATH"]).read_text("utf-8").strip())
    installed = bin_dir / "ai-strategy"
    assert installed.is_file()
    version = subprocess.run([str(installed), "--version"], capture_output=True, text=True)
    assert version.stdout.startswith("ai-strategy ")
    # and the check step then runs with what was installed
    path = os.pathsep.join([str(bin_dir), "/usr/bin", "/bin"])
    check, _ = run_step("Check ai-strategy.toml", tmp_path, {"paths": MISFIT}, path)
    assert check.returncode == 1 and "title=AIS101" in check.stdout


def test_check_step_finds_named_strategy_files_in_folders(tmp_path: Path) -> None:
    """The Action checks folders with the same discovery as the command line (file_names.py):
    `NAME.ai-strategy.toml` is found, a look-alike is not."""
    project = tmp_path / "project"
    (project / "svc").mkdir(parents=True)
    broken = (ROOT / MISFIT / "ai-strategy.toml").read_text("utf-8")
    (project / "svc" / "search.ai-strategy.toml").write_text(broken, "utf-8")
    (project / "svc" / "my-ai-strategy.toml").write_text(broken, "utf-8")
    result, _ = run_step("Check ai-strategy.toml", tmp_path, {"paths": str(project)}, tool_path())
    assert result.returncode == 1, result.stderr
    assert f"file={project}/svc/search.ai-strategy.toml," in result.stdout
    assert "my-ai-strategy.toml" not in result.stdout
