"""The benchmark runs end to end on a tiny size (a smoke test: no timing is asserted)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BENCH = ROOT / "bench"
FIGURES = {"1a", "1b", "2", "3a", "3b", "4a", "4b", "5", "6"}

pytestmark = pytest.mark.skipif(
    not (shutil.which("taplo") or (Path(sys.executable).parent / "taplo").exists())
    or not (shutil.which("tombi") or (Path(sys.executable).parent / "tombi").exists()),
    reason="the peers (taplo, tombi) are installed by the test extra",
)


def _bench_module(name: str):  # type: ignore[no-untyped-def]
    sys.path.insert(0, str(BENCH))
    try:
        return __import__(name)
    finally:
        sys.path.remove(str(BENCH))


def test_benchmark_runs_end_to_end(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    proc = subprocess.run(
        [
            sys.executable,
            str(BENCH / "run.py"),
            "--quick",
            "--files",
            "6",
            "--rounds",
            "1",
            "--edits",
            "4",
            "--requests",
            "3",
            "--big-lines",
            "150",
            "--docs",
            "3",
            "--json",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr
    data = json.loads(out.read_text())
    ids = {f["id"] for f in data["figures"]}
    assert ids >= FIGURES
    for figure in data["figures"]:
        assert figure["ours"] > 0, figure
        if figure["peer"] is not None:
            assert figure["peer"] > 0, figure
        assert figure["id"] in proc.stdout
    # both servers saw the same edits and flagged the broken states: the servers validate
    for ident in ("3a", "3b"):
        check = next(f for f in data["figures"] if f["id"] == ident)["extra"]["check"]
        for server in ("ai-strategy", "tombi"):
            assert check[server]["clean_silent"] == check[server]["clean_edits"], check
            assert check[server]["broken_flagged"] == check[server]["broken_edits"], check


def test_the_baseline_figures_run_against_a_git_ref(tmp_path: Path) -> None:
    """--baseline times this build against a `git archive` of a ref: HEAD here, which exists in
    any clone."""
    out = tmp_path / "bench.json"
    sizes = ["--files", "6", "--rounds", "1", "--edits", "4", "--big-lines", "150", "--json", str(out)]
    proc = subprocess.run(
        [sys.executable, str(BENCH / "run.py"), "--only", "8", "--baseline", "HEAD", *sizes],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr
    figures = {f["id"]: f for f in json.loads(out.read_text())["figures"]}
    assert sorted(figures) == ["8a", "8b", "8c", "8d", "8e", "8f", "8g"]
    for figure in figures.values():
        assert figure["ours"] > 0 and figure["peer"] > 0, figure
        assert figure["peer_name"] == "HEAD (git archive)", figure


@pytest.mark.parametrize("seed", range(8))
def test_edit_script_replays_to_a_consistent_text(seed: int) -> None:
    corpus = _bench_module("corpus")
    run = _bench_module("run")
    text = corpus.variant(seed, run.DIRECTIVE)
    assert len(text.splitlines()) == corpus.LINES
    current = text
    for offset, delete, insert, _broken in run.edit_script(text, 2 * 18):
        assert 0 <= offset <= len(current)
        current = current[:offset] + insert + current[offset + delete :]
    assert current == text  # every cycle types, deletes, breaks and mends: back to the start


def test_long_variant_has_the_asked_length() -> None:
    corpus = _bench_module("corpus")
    assert len(corpus.long_variant(8, 5000).splitlines()) == 5000


def test_percentile_is_nearest_rank() -> None:
    run = _bench_module("run")
    values = [float(v) for v in range(1, 101)]
    assert run.percentile(values, 95) == 95.0
    assert run.percentile(values, 50) == 50.0
    assert run.percentile([3.0], 95) == 3.0
