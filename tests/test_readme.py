"""The README's install instructions work (issue 12, item 11): the refs it names resolve, and it
says what client-vscode/README.md says about the interpreter the VS Code extension needs."""

from __future__ import annotations

import re
import subprocess

import pytest

from .conftest import ROOT

README = (ROOT / "README.md").read_text("utf-8")


def _resolves(ref: str) -> bool:
    for candidate in (ref, f"origin/{ref}"):
        found = subprocess.run(
            ["git", "rev-parse", "--verify", "--quiet", f"{candidate}^{{commit}}"],
            cwd=ROOT,
            capture_output=True,
        )
        if found.returncode == 0:
            return True
    return False


def test_the_action_ref_of_the_readme_resolves() -> None:
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    refs = re.findall(r"uses: ai-strategy/ai-strategy@([^\s#]+)", README)
    assert refs
    for ref in refs:
        assert _resolves(ref), f"`uses: ai-strategy/ai-strategy@{ref}`: no such ref in the repository"


def test_the_pre_commit_rev_is_a_ref_or_pinned_by_the_documented_command() -> None:
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    revs = re.findall(r"^\s+rev: ([^\s#]+)", README, re.M)
    assert revs
    for rev in revs:
        assert _resolves(rev), f"pre-commit `rev: {rev}`: no such ref in the repository"
    assert "pre-commit autoupdate --bleeding-edge --freeze" in README  # how to pin a commit


def test_both_readmes_name_the_same_interpreters_for_the_vs_code_extension() -> None:
    client = (ROOT / "client-vscode" / "README.md").read_text("utf-8")
    pattern = re.compile(r"CPython (3\.\d+) to (3\.\d+)")
    stated = pattern.search(client)
    assert stated, "client-vscode/README.md states the interpreters the bundled server runs on"
    assert pattern.search(README) and pattern.search(README).groups() == stated.groups()  # type: ignore[union-attr]
    assert "nothing else is needed" not in README
