"""Deliberate breaks of the recommender (comparison, thresholds, close call, flip search, hard
constraints, runner-up) each make the model's tests fail: tests/mutate_recommender.py."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parent / "mutate_recommender.py"


@pytest.mark.slow
def test_every_deliberate_break_of_the_recommender_is_caught() -> None:
    result = subprocess.run([sys.executable, str(SCRIPT)], capture_output=True, text=True, timeout=3600)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "SURVIVED" not in result.stdout
