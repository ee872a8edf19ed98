"""The pre-commit hooks of `.pre-commit-hooks.yaml`, run by the real `pre-commit` in a temporary
git repository, as a team using them would.

The hook environment is built once per session (pre-commit pip-installs this repository at its
committed HEAD into PRE_COMMIT_HOME, a temporary folder) and reused by every test, which is also
how a developer's machine runs them: after the first commit, from the cache.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from ai_strategy.file_names import PATH_PATTERN

from .conftest import EXAMPLES, ROOT

BROKEN = EXAMPLES / "broken-schema" / "ai-strategy.toml"
CLEAN = EXAMPLES / "faq-bot" / "ai-strategy.toml"
PRE_COMMIT = [sys.executable, "-m", "pre_commit"]

pytestmark = pytest.mark.slow


def _git(*args: str, cwd: Path) -> str:
    result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True)
    return result.stdout.strip()


@pytest.fixture(scope="session")
def hooks_rev() -> str:
    """The commit of this repository the hooks are installed from (HEAD, which must hold them)."""
    pytest.importorskip("pre_commit")
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout: pre-commit installs hooks from a git repository")
    rev = _git("rev-parse", "HEAD", cwd=ROOT)
    try:
        _git("cat-file", "-e", f"{rev}:.pre-commit-hooks.yaml", cwd=ROOT)
    except subprocess.CalledProcessError:
        pytest.fail(".pre-commit-hooks.yaml is not committed: pre-commit reads hooks from HEAD")
    return rev


@pytest.fixture(scope="session")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One PRE_COMMIT_HOME for the session, so that the hook environment is installed once."""
    return tmp_path_factory.mktemp("pre-commit-home")


def pre_commit(*args: str, cwd: Path, home: Path, timeout: float = 900) -> subprocess.CompletedProcess[str]:
    """Run the real pre-commit with an isolated cache and no colour."""
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(home),
        "PRE_COMMIT_COLOR": "never",
        "NO_COLOR": "1",
        "SKIP": "",
    }
    env.pop("PRE_COMMIT", None)
    return subprocess.run(
        [*PRE_COMMIT, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout
    )


def make_repo(folder: Path, files: dict[str, str], rev: str, hook_ids: tuple[str, ...]) -> Path:
    """A git repository with `files` staged and a config that uses this repository's hooks."""
    folder.mkdir(parents=True, exist_ok=True)
    _git("init", "-q", cwd=folder)
    _git("config", "user.email", "ci@example.com", cwd=folder)
    _git("config", "user.name", "CI", cwd=folder)
    _git("config", "commit.gpgsign", "false", cwd=folder)
    config = {"repos": [{"repo": str(ROOT), "rev": rev, "hooks": [{"id": h} for h in hook_ids]}]}
    (folder / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config), "utf-8")
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
    _git("add", "-A", cwd=folder)
    return folder


@pytest.fixture(scope="session")
def installed(hooks_rev: str, pre_commit_home: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    """Install the hook environment once (pip installs this repository from its HEAD)."""
    repo = make_repo(
        tmp_path_factory.mktemp("install"),
        {"ai-strategy.toml": CLEAN.read_text("utf-8")},
        hooks_rev,
        ("ai-strategy-check", "ai-strategy-fix"),
    )
    result = pre_commit("install-hooks", cwd=repo, home=pre_commit_home)
    assert result.returncode == 0, result.stdout + result.stderr
    return hooks_rev


def test_manifest_is_valid_and_declares_both_hooks() -> None:
    pytest.importorskip("pre_commit")
    result = subprocess.run(
        [*PRE_COMMIT, "validate-manifest", str(ROOT / ".pre-commit-hooks.yaml")],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    hooks = {h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text("utf-8"))}
    assert hooks["ai-strategy-check"]["entry"] == "ai-strategy check"
    assert hooks["ai-strategy-fix"]["entry"] == "ai-strategy check --fix"
    for hook in hooks.values():
        assert hook["language"] == "python"
        assert hook["files"] == PATH_PATTERN  # the one pattern of file_names.py


def test_broken_file_fails_the_hook_with_its_findings(
    installed: str, pre_commit_home: Path, tmp_path: Path
) -> None:
    repo = make_repo(
        tmp_path / "repo",
        {
            "ai-strategy.toml": BROKEN.read_text("utf-8"),
            "services/api/ai-strategy.toml": CLEAN.read_text("utf-8"),
        },
        installed,
        ("ai-strategy-check",),
    )
    result = pre_commit("run", "--all-files", cwd=repo, home=pre_commit_home)
    out = result.stdout
    assert result.returncode == 1, out + result.stderr
    assert "ai-strategy check" in out and "Failed" in out
    assert 'ai-strategy.toml:2:11: AIS003 [error] `version` must be an integer, got a string ("1")' in out
    assert "ai-strategy.toml:14:1: AIS002 [error] unknown key `eval_exmaples`" in out
    assert "services/api/ai-strategy.toml:" not in out  # the clean one has nothing to say


def test_clean_files_pass_and_other_toml_files_are_not_checked(
    installed: str, pre_commit_home: Path, tmp_path: Path
) -> None:
    repo = make_repo(
        tmp_path / "repo",
        {
            "ai-strategy.toml": CLEAN.read_text("utf-8"),
            "team/ai-strategy.toml": CLEAN.read_text("utf-8"),
            "team/search.ai-strategy.toml": CLEAN.read_text("utf-8"),
            "pyproject.toml": "this is = not [valid toml",
            "not-ai-strategy.toml": BROKEN.read_text("utf-8"),
        },
        installed,
        ("ai-strategy-check",),
    )
    result = pre_commit("run", "--all-files", "--verbose", cwd=repo, home=pre_commit_home)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Passed" in result.stdout
    assert "All checks passed (3 files checked)." in result.stdout


def test_no_strategy_file_skips_the_hook(installed: str, pre_commit_home: Path, tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo", {"README.md": "hello\n"}, installed, ("ai-strategy-check",))
    result = pre_commit("run", "--all-files", cwd=repo, home=pre_commit_home)
    assert result.returncode == 0
    assert "(no files to check)Skipped" in result.stdout


def test_fix_hook_fixes_the_file_keeping_comments_and_fails_once(
    installed: str, pre_commit_home: Path, tmp_path: Path
) -> None:
    text = (
        "# our strategy\n"
        'version = "1"   # quoted by mistake\n'
        "\n"
        "[strategy]\n"
        'approach = "rag"\n'
        "\n"
        "[task]\n"
        'type = "qa"    # answers from the handbook\n'
        'goal = "add-knowledge"\n'
        "\n"
        "[knowledge_base]\n"
        "size_tokens = 900_000\n"
        'sources = ["handbook"]\n'
        "\n"
        "[requirements]\n"
        "citations = true\n"
        "\n"
        "[rag]\n"
        'vector_store = "pgvector"\n'
    )
    repo = make_repo(tmp_path / "repo", {"ai-strategy.toml": text}, installed, ("ai-strategy-fix",))
    first = pre_commit("run", "--all-files", cwd=repo, home=pre_commit_home)
    assert first.returncode == 1, first.stdout + first.stderr
    assert "files were modified by this hook" in first.stdout
    fixed = (repo / "ai-strategy.toml").read_text("utf-8")
    assert fixed == text.replace('version = "1"', "version = 1")
    _git("add", "-A", cwd=repo)
    second = pre_commit("run", "--all-files", cwd=repo, home=pre_commit_home)
    assert second.returncode == 0, second.stdout + second.stderr


def test_try_repo_runs_the_hook_from_this_repository(
    installed: str, pre_commit_home: Path, tmp_path: Path
) -> None:
    repo = make_repo(
        tmp_path / "repo", {"ai-strategy.toml": BROKEN.read_text("utf-8")}, installed, ("ai-strategy-check",)
    )
    result = pre_commit(
        "try-repo",
        str(ROOT),
        "ai-strategy-check",
        "--ref",
        installed,
        "--all-files",
        cwd=repo,
        home=pre_commit_home,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert 'AIS004 [error] `strategy.approach` = "finetuning" is not allowed' in result.stdout


def test_later_runs_use_the_cached_hook_environment(
    installed: str, pre_commit_home: Path, tmp_path: Path
) -> None:
    """After the first install, `pre-commit run` installs nothing: the hook runs from the cache
    (pre-commit says "Installing environment" whenever it builds one)."""
    repo = make_repo(
        tmp_path / "repo", {"ai-strategy.toml": CLEAN.read_text("utf-8")}, installed, ("ai-strategy-check",)
    )
    for _ in range(2):
        result = pre_commit("run", "--all-files", cwd=repo, home=pre_commit_home)
        assert result.returncode == 0, result.stdout + result.stderr
        assert "Installing environment" not in result.stdout + result.stderr
        assert "ai-strategy check" in result.stdout and "Passed" in result.stdout


def test_the_readme_snippet_pinned_by_its_command_installs_and_runs(
    installed: str, pre_commit_home: Path, tmp_path: Path
) -> None:
    """README: `rev: main`, then `pre-commit autoupdate --bleeding-edge --freeze --repo URL` pins
    a commit. Here the URL is this repository's folder; the result must be a commit that exists
    and hooks that run."""
    readme = (ROOT / "README.md").read_text("utf-8")
    snippet = readme.split("Add to `.pre-commit-config.yaml`:", 1)[1].split("```yaml\n", 1)[1].split("```")[0]
    command = next(line for line in readme.splitlines() if line.startswith("pre-commit autoupdate"))
    url = "https://github.com/ai-strategy/ai-strategy"
    assert url in snippet and command.endswith(f"--repo {url}")
    repo = make_repo(tmp_path / "repo", {"ai-strategy.toml": CLEAN.read_text("utf-8")}, installed, ())
    (repo / ".pre-commit-config.yaml").write_text(snippet.replace(url, str(ROOT)), "utf-8")
    args = command.replace(url, str(ROOT)).split()[1:]
    pinned = pre_commit(*args, cwd=repo, home=pre_commit_home)
    assert pinned.returncode == 0, pinned.stdout + pinned.stderr
    rev = yaml.safe_load((repo / ".pre-commit-config.yaml").read_text("utf-8"))["repos"][0]["rev"]
    assert len(rev) == 40 and rev == _git("rev-parse", "HEAD", cwd=ROOT)
    result = pre_commit("run", "--all-files", cwd=repo, home=pre_commit_home)
    assert result.returncode == 0 and "Passed" in result.stdout, result.stdout + result.stderr
