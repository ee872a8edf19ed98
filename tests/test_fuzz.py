"""The atheris harness (fuzz/fuzz_analyse.py) for a fixed number of inputs, when atheris is installed.

scripts/test-all.sh installs atheris when it can (a wheel exists for Linux x86-64); elsewhere this
test is skipped. A longer hunt: `python fuzz/fuzz_analyse.py -max_total_time=600`.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

HARNESS = Path(__file__).resolve().parents[1] / "fuzz" / "fuzz_analyse.py"
RUNS = 3000


@pytest.mark.skipif(importlib.util.find_spec("atheris") is None, reason="atheris is not installed")
def test_fuzz_harness_runs_clean(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(HARNESS), f"-runs={RUNS}", "-seed=1", "-max_len=8192"],
        cwd=tmp_path,  # a crash input would be written here, not in the repository
        capture_output=True,
        timeout=600,
    )
    output = done.stderr.decode("utf-8", "replace")
    assert done.returncode == 0, output[-5000:]
    assert f"Done {RUNS} runs" in output
    assert list(tmp_path.iterdir()) == []
