"""Shared fixtures: paths of the repository, the examples, the specification's example and the
shared folder next to the repository.

Turns the language server's compile cache off for the servers the tests start (unless the
environment sets it). Also registers the skip policy (`tests/skip_policy.py`): in CI
(`tests/ci_mode.py`) a skip fails unless `tests/skip-allowlist.toml` names it, and every run
ends with the collected count and the list of skips.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from .ci_mode import UnclearCiValue, in_ci
from .skip_policy import SkipPolicy, read_allowlist

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
SHARED = ROOT.parent / "shared"
SPEC_EXAMPLE = ROOT / "tests" / "fixtures" / "spec-example.toml"
"""The example of the specification's section 2, copied (tests/test_vendored.py keeps it equal)."""

pytest_plugins = ("pytester",)  # tests/test_skip_policy.py runs small pytest sessions


def pytest_configure(config: pytest.Config) -> None:
    # The language servers the tests start do not write the user's compile cache
    # (server/ai_strategy/lsp/compile_cache.py); tests/lsp/test_compile_cache.py runs it in its
    # own folders, with the switch removed.
    os.environ.setdefault("AI_STRATEGY_COMPILE_CACHE", "0")
    try:
        strict = in_ci()
    except UnclearCiValue as error:
        raise pytest.UsageError(str(error)) from None
    config.pluginmanager.register(SkipPolicy(strict, read_allowlist()), "ai-strategy-skip-policy")


@pytest.fixture
def repo_root() -> Path:
    """The repository's root folder."""
    return ROOT
