"""Checking many files: the result cache first, then every core; the order and the results kept.

With a cache (cli/cache.py), files whose bytes, name and options were analysed before are served
from it. The others are analysed; when there are many, by a pool of worker processes
(`concurrent.futures` with forked workers: they start with everything imported, so a worker costs
a few milliseconds where a new interpreter would cost more than the checking). Workers send back
each file's result as plain data (`FileResult.plain`), the form the cache keeps too.

A file whose analysis raises (an unreadable file) is left out by the workers and analysed again
by this process, in order, so the first such problem is reported exactly as a sequential run
reports it. The output, its order and the exit code are those of a sequential, uncached run
(tests/perf/test_parallel.py and test_cache.py compare them format by format).

`AI_STRATEGY_JOBS=N` sets the number of worker processes (1: none, all in this process).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ..analysis import LintOptions, analyse_bytes
from ..findings import Severity
from .cache import Cache, options_key
from .check_run import FileResult, Plain, RunStats
from .discover import Target

MIN_FILES_PER_JOB = 100
"""Fewest files worth a worker of their own (starting one costs about what 10-20 files do)."""
CHUNKS_PER_JOB = 8
"""Files are handed out in about this many chunks per worker, so a worker that gets no CPU
(a busy machine) leaves its share to the others instead of being waited for."""
KEEP_BYTES = 64 * 1024 * 1024
"""File contents read while looking up the cache are kept (not read again) up to this much."""

Reader = Callable[[Target], bytes]


def jobs(files: int) -> int:
    """How many worker processes to check `files` files with (1: none)."""
    wanted = os.environ.get("AI_STRATEGY_JOBS", "").strip()
    if wanted.isdigit() and int(wanted) > 0:
        cores = int(wanted)
    else:
        try:
            cores = len(os.sched_getaffinity(0))
        except (AttributeError, OSError):
            cores = os.cpu_count() or 1
    if not hasattr(os, "fork"):
        return 1
    return max(1, min(cores, files // MIN_FILES_PER_JOB))


@dataclass
class Job:
    """What to check and how: the files, each one's options and fail level, how to read them."""

    targets: Sequence[Target]
    options: Sequence[LintOptions]
    fail_on: Sequence[Severity]
    read: Reader
    cache: Cache | None = None

    def key(self, index: int, data: bytes) -> str:
        """The cache key of file `index` with these bytes."""
        return Cache.key(self.targets[index].display, data, options_key(self.options[index]))

    def analyse(self, index: int, data: bytes | None = None) -> FileResult:
        """The result of file `index` (read now unless its bytes are given)."""
        target = self.targets[index]
        if data is None:
            data = self.read(target)
        report = analyse_bytes(data, target.display, self.options[index])
        return FileResult(target.display, report, self.fail_on[index], self.options[index])


def check_targets(job: Job, stats: RunStats) -> list[FileResult]:
    """Analyse every target, in order: cached results first, the rest by workers if many."""
    stats.files = len(job.targets)
    done: dict[int, FileResult] = {}
    kept: dict[int, bytes] = {}
    todo: list[int] = list(range(len(job.targets)))
    if job.cache is not None and job.cache.entries:
        todo = _look_up(job, done, kept)
        stats.from_cache = len(done)
    count = jobs(len(todo))
    if count < 2:
        for index in todo:
            with contextlib.suppress(Exception):  # redone below, in order, where it raises
                data = kept.pop(index, None)
                if data is None:
                    data = job.read(job.targets[index])
                done[index] = result = job.analyse(index, data)
                if job.cache is not None:
                    job.cache.put(job.key(index, data), result.plain(data))
    else:
        kept.clear()  # the workers read the files themselves
        for index, result in _in_workers(job, todo, count):
            done[index] = result
            stats.workers.add(result.worker or 0)
    stats.analysed = len(job.targets) - stats.from_cache
    results = [done.get(i) or job.analyse(i) for i in range(len(job.targets))]
    if job.cache is not None:
        job.cache.save()
    return results


def _look_up(job: Job, done: dict[int, FileResult], kept: dict[int, bytes]) -> list[int]:
    """Fill `done` with the results the cache holds; the indices left to analyse."""
    assert job.cache is not None
    todo: list[int] = []
    budget = KEEP_BYTES
    for index, target in enumerate(job.targets):
        try:
            data = job.read(target)
        except Exception:
            todo.append(index)  # analysed later, in order, where it raises
            continue
        plain = job.cache.get(job.key(index, data))
        if plain is not None:
            with contextlib.suppress(Exception):  # an entry that does not decode is a miss
                done[index] = FileResult.from_plain(
                    target.display, plain, data, job.fail_on[index], job.options[index]
                )
                continue
        todo.append(index)
        if len(data) <= budget:
            budget -= len(data)
            kept[index] = data
    return todo


# ---- the worker processes ----------------------------------------------------------------------

_JOB: Job | None = None
"""The job of a worker process, set once when it starts (inherited from the parent by fork)."""


def _start_worker(job: Job) -> None:
    global _JOB
    _JOB = job


def _analyse_chunk(indices: list[int]) -> tuple[int, list[tuple[int, Plain, str | None]]]:
    """In a worker: (its process id, [(index, plain result, cache key or None)]) of the files it
    could analyse; a file that raises is left out (the parent redoes it, in order)."""
    job = _JOB
    assert job is not None
    out = []
    for index in indices:
        try:
            data = job.read(job.targets[index])
            result = job.analyse(index, data)
        except Exception:
            continue
        key = job.key(index, data) if job.cache is not None else None
        out.append((index, result.plain(), key))
    return os.getpid(), out


def _in_workers(job: Job, todo: list[int], count: int) -> list[tuple[int, FileResult]]:
    """Analyse `todo` in `count` forked worker processes; the results they sent, with the cache
    filled in. Workers that fail leave their files to the parent's sequential pass."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    size = max(1, -(-len(todo) // (count * CHUNKS_PER_JOB)))
    chunks = [todo[start : start + size] for start in range(0, len(todo), size)]
    found: list[tuple[int, FileResult]] = []
    context = multiprocessing.get_context("fork")
    try:
        pool = ProcessPoolExecutor(count, mp_context=context, initializer=_start_worker, initargs=(job,))
        with pool:
            for pid, sent in pool.map(_analyse_chunk, chunks):
                for index, plain, key in sent:
                    target = job.targets[index]
                    result = FileResult.from_plain(
                        target.display, plain, None, job.fail_on[index], job.options[index]
                    )
                    result.worker = pid
                    found.append((index, result))
                    if job.cache is not None and key is not None:
                        job.cache.put(key, plain)
    except (BrokenProcessPool, OSError):
        pass  # the files not received are analysed by this process
    return found
