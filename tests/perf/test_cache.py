"""The result cache of `check` (cli/cache.py) never changes what is reported.

Cold (empty cache), warm (every clean file cached), after edits, with other options, with a
corrupt cache, on one core and on several: the output and exit code are those of `--no-cache`.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest

from .test_parallel import EXE, corpus_module, write_many

FORMATS = [(), ("--format", "json"), ("--format", "sarif"), ("--format", "junit"), ("--statistics",)]


def _check(root: Path, *args: str, jobs: str = "1", cache: Path | None = None) -> tuple[int, bytes, bytes]:
    env = {**os.environ, "NO_COLOR": "1", "AI_STRATEGY_JOBS": jobs}
    env.pop("AI_STRATEGY_CACHE_DIR", None)
    if cache is not None:
        env["AI_STRATEGY_CACHE_DIR"] = str(cache)
    proc = subprocess.run([EXE, "check", *args, "."], cwd=root, capture_output=True, env=env, timeout=120)
    return proc.returncode, proc.stdout, proc.stderr


@pytest.fixture
def many(tmp_path: Path) -> Path:
    return write_many(tmp_path / "many")


@pytest.mark.parametrize("jobs", ["1", "2"])
@pytest.mark.parametrize("args", FORMATS)
def test_cold_and_warm_runs_report_what_an_uncached_run_reports(
    many: Path, tmp_path: Path, jobs: str, args: tuple[str, ...]
) -> None:
    cache = tmp_path / "cache"
    expected = _check(many, "--no-cache", *args, jobs=jobs)
    assert not cache.exists()
    cold = _check(many, *args, jobs=jobs, cache=cache)
    assert cold == expected
    assert any(cache.iterdir())
    warm = _check(many, *args, jobs=jobs, cache=cache)
    assert warm == expected


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_cache_filled_by_a_text_run_serves_the_json_recommendations(
    many: Path, tmp_path: Path, jobs: str
) -> None:
    # a text run keeps each file's declared values, not the recommendation's JSON: the JSON run
    # that follows makes every recommendation again from them, as an uncached run gives it
    cache = tmp_path / "cache"
    _check(many, jobs=jobs, cache=cache)
    assert _served(many, cache=cache)[1] == 0
    expected = _check(many, "--format", "json", "--no-cache", jobs=jobs)
    assert sum(1 for f in json.loads(expected[1])["files"] if f["recommendation"]) > 200
    assert _check(many, "--format", "json", jobs=jobs, cache=cache) == expected


def test_the_cache_folder_is_marked_and_ignored_by_git(many: Path) -> None:
    _check(many)
    folder = many / ".ai-strategy-cache"
    assert (folder / ".gitignore").read_text().splitlines()[-1] == "*"
    assert (folder / "CACHEDIR.TAG").read_text().startswith("Signature: 8a477f597d28d172789f06886806bc55")
    assert _check(many)[0] == _check(many, "--no-cache")[0]


def test_no_cache_neither_reads_nor_writes(many: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    _check(many, "--no-cache", cache=cache)
    assert not cache.exists()


def test_few_files_do_not_use_the_cache(tmp_path: Path) -> None:
    corpus = corpus_module()
    for index in range(5):
        (tmp_path / f"p{index}").mkdir()
        (tmp_path / f"p{index}" / "ai-strategy.toml").write_text(corpus.variant(index))
    assert _check(tmp_path)[0] == 0
    assert not (tmp_path / ".ai-strategy-cache").exists()


def test_an_edited_file_is_analysed_again(many: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    assert _check(many, cache=cache) == _check(many, "--no-cache")
    target = many / "p0001" / "ai-strategy.toml"
    text = target.read_text()
    target.write_text(text.replace("version = 1", "version = 1\nunknown_key = 3"))
    edited = _check(many, "--format", "json", cache=cache)
    assert b"unknown_key" in edited[1]
    assert edited == _check(many, "--format", "json", "--no-cache")
    target.write_text(text)  # back to the cached bytes: a hit again, same report as uncached
    assert _check(many, "--format", "json", cache=cache) == _check(many, "--format", "json", "--no-cache")


STATS = re.compile(r"ai-strategy: (\d+) files: (\d+) from the result cache, (\d+) analysed")


def _served(root: Path, *args: str, cache: Path) -> tuple[int, int]:
    """(files served from the cache, files analysed), as `check --verbose` reports them."""
    _, _, err = _check(root, "--verbose", *args, cache=cache)
    found = STATS.search(err.decode())
    assert found, err
    files, cached, analysed = map(int, found.groups())
    assert cached + analysed == files
    return cached, analysed


def test_the_second_run_is_served_from_the_cache_findings_included(many: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    with_findings = _with_a_finding_each(many)
    assert _served(many, cache=cache) == (0, 260)
    assert _served(many, cache=cache) == (260, 0)
    report = json.loads(_check(many, "--format", "json", cache=cache)[1])
    assert sum(1 for f in report["files"] if f["diagnostics"]) >= with_findings  # served, findings and all
    assert _check(many, "--format", "json", cache=cache) == _check(many, "--format", "json", "--no-cache")


def test_an_edited_file_alone_is_analysed_again(many: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    _served(many, cache=cache)
    target = many / "p0001" / "ai-strategy.toml"
    target.write_text(target.read_text().replace("version = 1", "version = 1\nunknown_key = 3"))
    assert _served(many, cache=cache) == (259, 1)


def test_options_are_part_of_the_key(many: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    for args in [("--select", "AIS1"), (), ("--ignore", "AIS0"), ()]:
        assert _check(many, *args, "--format", "json", cache=cache) == _check(
            many, *args, "--format", "json", "--no-cache"
        )
    assert _served(many, cache=cache) == (260, 0)
    assert _served(many, "--select", "AIS2", cache=cache) == (0, 260)  # options never seen
    assert _served(many, "--select", "AIS2", cache=cache) == (260, 0)


def _with_a_finding_each(root: Path) -> int:
    """Give every clean file an info finding (an undecided approach): the cache keeps them too."""
    count = 0
    for path in sorted(root.glob("*/ai-strategy.toml")):
        text = path.read_text(errors="replace")
        if 'approach = "' in text and "\x00" not in text:
            path.write_text(re.sub(r'approach = "[a-z-]+"', 'approach = "undecided"', text, count=1))
            count += 1
    return count


def test_a_corrupt_or_unwritable_cache_is_ignored(many: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    expected = _check(many, "--no-cache", "--format", "json")
    assert _check(many, "--format", "json", cache=cache) == expected
    for entry in cache.iterdir():
        if not entry.name.startswith(".") and entry.name != "CACHEDIR.TAG":
            entry.write_bytes(b"not a pickle")
    assert _check(many, "--format", "json", cache=cache) == expected
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the cache folder should be")
    assert _check(many, "--format", "json", cache=blocked) == expected
