"""Shared fixtures: paths of the repository, the examples and the shared calibration files."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
SHARED = ROOT.parent / "shared"


@pytest.fixture
def repo_root() -> Path:
    """The repository's root folder."""
    return ROOT
