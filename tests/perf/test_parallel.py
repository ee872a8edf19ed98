"""`check` on many files gives the same output on one core as on several (cli/parallel.py).

The parallel path forks after the imports; clean files come back from the children, everything
else is analysed by the parent in order. Every output format, and the exit code, must be the
same as a sequential run's, with files that have findings, broken TOML, binary bytes and
suppressions interleaved with clean ones.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
EXE = shutil.which("ai-strategy") or str(Path(sys.executable).parent / "ai-strategy")


def corpus_module():  # type: ignore[no-untyped-def]
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import corpus  # type: ignore[import-not-found]

        return corpus
    finally:
        sys.path.remove(str(ROOT / "bench"))


def write_many(root: Path) -> Path:
    """260 files: mostly clean, every 37th one of the examples (findings, broken syntax...)."""
    corpus = corpus_module()
    root.mkdir(parents=True, exist_ok=True)
    odd = [p / "ai-strategy.toml" for p in sorted(EXAMPLES.iterdir()) if (p / "ai-strategy.toml").is_file()]
    for index in range(260):
        folder = root / f"p{index:04d}"
        folder.mkdir()
        target = folder / "ai-strategy.toml"
        if index % 37 == 5:
            shutil.copy(odd[(index // 37) % len(odd)], target)
        elif index == 100:
            target.write_bytes(b"version = 1\x00\xff binary")
        elif index == 150:
            text = corpus.variant(index).replace(
                'approach = "', '# ai-strategy: ignore[AIS112]\napproach = "', 1
            )
            target.write_text(text)
        else:
            target.write_text(corpus.variant(index))
    return root


@pytest.fixture(scope="module")
def many(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_many(tmp_path_factory.mktemp("many"))


def _check(root: Path, jobs: str, *args: str) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "NO_COLOR": "1", "AI_STRATEGY_JOBS": jobs}
    argv = [EXE, "check", "--no-cache", *args, "."]
    return subprocess.run(argv, cwd=root, capture_output=True, env=env, timeout=120)


@pytest.mark.parametrize(
    "args",
    [
        (),
        ("--format", "json"),
        ("--format", "sarif"),
        ("--format", "github"),
        ("--format", "gitlab"),
        ("--format", "junit"),
        ("--statistics", "--fail-on", "info"),
        ("--select", "AIS1", "-q"),
    ],
)
def test_parallel_output_is_the_sequential_output(many: Path, args: tuple[str, ...]) -> None:
    one = _check(many, "1", *args)
    two = _check(many, "2", *args)
    assert two.returncode == one.returncode
    assert two.stdout == one.stdout
    assert two.stderr == one.stderr


def test_parallel_run_of_clean_files_only(tmp_path: Path) -> None:
    corpus = corpus_module()
    for index in range(210):
        (tmp_path / f"p{index}").mkdir()
        (tmp_path / f"p{index}" / "ai-strategy.toml").write_text(corpus.variant(index))
    for fmt in ("text", "json"):
        one = _check(tmp_path, "1", "--format", fmt)
        three = _check(tmp_path, "3", "--format", fmt)
        assert (three.returncode, three.stdout, three.stderr) == (one.returncode, one.stdout, one.stderr)
        assert one.returncode == 0


WORKERS = re.compile(r"analysed by (\d+) worker processes \(pids ([\d, ]+); this one is (\d+)\)")


def test_a_large_input_is_analysed_by_several_worker_processes(many: Path) -> None:
    result = _check(many, "2", "--verbose")
    found = WORKERS.search(result.stderr.decode())
    assert found, result.stderr
    pids = {int(pid) for pid in found[2].split(", ")}
    assert int(found[1]) == len(pids) == 2
    assert int(found[3]) not in pids  # not this process: forked workers
    one = _check(many, "1", "--verbose")
    assert b"analysed in this process" in one.stderr
