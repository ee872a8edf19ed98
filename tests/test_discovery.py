"""Which files `check` finds in a folder: exactly what git lists (issue 12, items 1, 2 and 4).

In a git work tree the set is git's own (`git ls-files --cached --others --exclude-standard`,
kept to strategy file names); outside one, `.gitignore` files apply with git's precedence. Both
are compared with real git on generated trees (hypothesis), and the cases that went wrong before
(a nested negation, a tracked file that a `.gitignore` lists, `core.excludesFile`,
`.git/info/exclude`, `<name>.ai-strategy.toml`, a symlink to a secret outside the folder) are
stated by hand.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ai_strategy.discovery import discover, git_listing, walk_with_gitignore
from ai_strategy.file_names import NAME_PATTERN, PATH_PATTERN, is_strategy_file_name

from .conftest import ROOT
from .test_cli import MINIMAL, run

GIT_ENV = {
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@example.com",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@example.com",
}


@pytest.fixture(autouse=True, scope="module")
def isolated_git(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """No global git configuration or excludes file of the machine leaks into the comparisons."""
    home = tmp_path_factory.mktemp("home")
    with pytest.MonkeyPatch.context() as patch:
        for name, value in {**GIT_ENV, "HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config")}.items():
            patch.setenv(name, value)
        yield


def git(folder: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=folder, check=True, capture_output=True, text=True, env=os.environ.copy()
    ).stdout


def git_files(folder: Path, *, tracked: bool = True) -> set[str]:
    """What git itself lists below `folder`, kept to strategy file names."""
    args = ["ls-files", "-z", "--others", "--exclude-standard"] + (["--cached"] if tracked else [])
    names = git(folder, *args).split("\0")
    return {n for n in names if n and is_strategy_file_name(n.rsplit("/", 1)[-1])}


def found(folder: Path) -> set[str]:
    """What discovery finds below `folder`, relative to it."""
    targets, _ = discover([str(folder)])
    return {target.path.relative_to(folder).as_posix() for target in targets}


# ---- generated trees against real git ------------------------------------------------------

FOLDERS = ["a", "b", "c", "a/b", "a/c", "b/c", "a/b/c", "c/a"]
FILES = ["ai-strategy.toml", "x.ai-strategy.toml", "other.toml", ".ai-strategy.toml", "ai-strategy.toml.bak"]
PATTERNS = [
    "ai-strategy.toml",
    "!ai-strategy.toml",
    "*.ai-strategy.toml",
    "!x.ai-strategy.toml",
    "a/",
    "!a/",
    "/b",
    "b/**",
    "!b/c/",
    "**/c",
    "a/*",
    "*.toml",
    "!*.toml",
    "c/ai-strategy.toml",
    "[ab]/",
    "[!a]/",
    "?/",
    "# a comment",
    "",
    "a/**/ai-strategy.toml",
    "/*/x.ai-strategy.toml",
    "!/a/b/",
    "b/c/*",
    "ai-strategy.toml/",
    "\\!x",
]

trees = st.fixed_dictionaries(
    {
        "files": st.lists(
            st.tuples(st.sampled_from(["", *FOLDERS]), st.sampled_from(FILES)), min_size=1, max_size=12
        ),
        "ignores": st.dictionaries(
            st.sampled_from(["", *FOLDERS]), st.lists(st.sampled_from(PATTERNS), max_size=5), max_size=4
        ),
        "tracked": st.sets(st.integers(0, 11), max_size=4),
        "walk_from": st.sampled_from(["", "a", "b"]),
    }
)


def build(root: Path, tree: dict) -> list[str]:  # type: ignore[type-arg]
    git(root, "init", "-q")
    paths = []
    for folder, name in tree["files"]:
        path = root / folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(MINIMAL)
        paths.append(path.relative_to(root).as_posix())
    for folder, lines in tree["ignores"].items():
        (root / folder).mkdir(parents=True, exist_ok=True)
        (root / folder / ".gitignore").write_text("".join(line + "\n" for line in lines))
    return paths


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tree=trees)
def test_the_walk_without_git_finds_what_git_lists_as_untracked(tree: dict) -> None:  # type: ignore[type-arg]
    with tempfile.TemporaryDirectory() as temporary:
        root = Path(temporary)
        build(root, tree)
        start = root / tree["walk_from"]
        if not start.is_dir():
            return
        assert set(walk_with_gitignore(start)) == git_files(start, tracked=False)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tree=trees)
def test_in_a_work_tree_the_files_are_git_s_files(tree: dict) -> None:  # type: ignore[type-arg]
    with tempfile.TemporaryDirectory() as temporary:
        root = Path(temporary)
        paths = build(root, tree)
        for index in sorted(tree["tracked"]):
            if index < len(paths):
                git(root, "add", "-f", paths[index])
        start = root / tree["walk_from"]
        if not start.is_dir():
            return
        expected = git_files(start)
        assert found(start) == expected
        assert set(git_listing(start) or []) == expected


# ---- the cases stated by hand ----------------------------------------------------------------


def test_a_nested_negation_brings_a_file_back(tmp_path: Path) -> None:
    git(tmp_path, "init", "-q")
    (tmp_path / ".gitignore").write_text("ai-strategy.toml\n")
    for folder in ("old", "svc"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "ai-strategy.toml").write_text(MINIMAL)
    (tmp_path / "svc" / ".gitignore").write_text("!ai-strategy.toml\n")
    assert found(tmp_path) == {"svc/ai-strategy.toml"}
    assert set(walk_with_gitignore(tmp_path)) == {"svc/ai-strategy.toml"}


def test_a_tracked_file_is_checked_even_when_a_gitignore_lists_it(tmp_path: Path) -> None:
    git(tmp_path, "init", "-q")
    (tmp_path / "svc").mkdir()
    (tmp_path / "svc" / "ai-strategy.toml").write_text(MINIMAL)
    git(tmp_path, "add", "svc/ai-strategy.toml")
    (tmp_path / ".gitignore").write_text("svc/\n")
    assert found(tmp_path) == {"svc/ai-strategy.toml"}
    result = run("check", "--format", "json", ".", cwd=tmp_path)
    assert [f["path"] for f in json.loads(result.stdout)["files"]] == ["svc/ai-strategy.toml"]


def test_info_exclude_and_the_global_excludes_file_are_read(tmp_path: Path) -> None:
    git(tmp_path, "init", "-q")
    for folder in ("a", "b", "c"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "ai-strategy.toml").write_text(MINIMAL)
    (tmp_path / ".git" / "info").mkdir(exist_ok=True)
    (tmp_path / ".git" / "info" / "exclude").write_text("a/\n")
    excludes = tmp_path / "global-ignore"
    excludes.write_text("b/\n")
    git(tmp_path, "config", "core.excludesFile", str(excludes))
    assert found(tmp_path) == {"c/ai-strategy.toml"}


def test_named_strategy_files_are_found_and_lookalikes_are_not(tmp_path: Path) -> None:
    for name in ("ai-strategy.toml", "search.ai-strategy.toml", "a.b.ai-strategy.toml"):
        (tmp_path / name).write_text(MINIMAL)
    for name in (".ai-strategy.toml", "my-ai-strategy.toml", "ai-strategy.toml.bak", "ai-strategy.yaml"):
        (tmp_path / name).write_text(MINIMAL)
    assert found(tmp_path) == {"ai-strategy.toml", "search.ai-strategy.toml", "a.b.ai-strategy.toml"}


def test_one_name_pattern_for_the_walk_the_server_and_pre_commit() -> None:
    from ai_strategy.lsp.documents import is_strategy_file

    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text("utf-8"))
    assert {hook["files"] for hook in hooks} == {PATH_PATTERN}
    cases = {
        "ai-strategy.toml": True,
        "svc/ai-strategy.toml": True,
        "svc/search.ai-strategy.toml": True,
        "svc/.ai-strategy.toml": False,
        "svc/my-ai-strategy.toml": False,
        "svc/ai-strategy.toml.orig": False,
        "ai-strategy.toml/readme.md": False,
    }
    for path, expected in cases.items():
        name = path.rsplit("/", 1)[-1]
        assert bool(re.search(PATH_PATTERN, path)) is expected, path
        assert bool(re.fullmatch(NAME_PATTERN, name)) is expected, path
        assert is_strategy_file_name(name) is expected, path
        assert is_strategy_file(f"file:///work/{path}") is expected, path


def test_without_git_on_path_the_walk_applies_gitignore_files(tmp_path: Path) -> None:
    (tmp_path / ".gitignore").write_text("build/\n*.ai-strategy.toml\n!keep.ai-strategy.toml\n")
    names = ("build/ai-strategy.toml", "a/ai-strategy.toml", "a/x.ai-strategy.toml", "keep.ai-strategy.toml")
    for name in names:
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text(MINIMAL)
    result = run("check", "--format", "json", str(tmp_path), env={"PATH": "/nonexistent"})
    paths = {Path(f["path"]).relative_to(tmp_path).as_posix() for f in json.loads(result.stdout)["files"]}
    assert paths == {"a/ai-strategy.toml", "keep.ai-strategy.toml"}


# ---- symlinks (item 4) -----------------------------------------------------------------------


@pytest.mark.parametrize("in_git", [True, False])
def test_a_link_to_a_file_outside_the_folder_is_skipped_with_a_note_and_never_echoed(
    tmp_path: Path, in_git: bool
) -> None:
    secret = tmp_path / ".env"
    secret.write_text('API_KEY = "sk-live-0123456789"\n')
    project = tmp_path / "project"
    (project / "svc").mkdir(parents=True)
    (project / "svc" / "ai-strategy.toml").symlink_to(secret)
    (project / "ok").mkdir()
    (project / "ok" / "ai-strategy.toml").write_text(MINIMAL)
    inside = project / "ok" / "copy.ai-strategy.toml"
    inside.symlink_to(project / "ok" / "ai-strategy.toml")
    if in_git:
        git(project, "init", "-q")
    result = run("check", "--fail-on", "info", ".", cwd=project)
    out, err = result.stdout.decode(), result.stderr.decode()
    assert "sk-live" not in out + err
    assert "svc/ai-strategy.toml: a symbolic link to a file outside" in err
    assert "ok/ai-strategy.toml:" in out and "ok/copy.ai-strategy.toml:" in out  # links inside are fine


def test_folder_links_are_not_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "ai-strategy.toml").write_text(MINIMAL)
    project = tmp_path / "project"
    project.mkdir()
    (project / "linked").symlink_to(outside)
    assert found(project) == set()
