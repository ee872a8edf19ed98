"""Checking many files: the result cache first, then every core; the order and the results kept.

With a cache (cli/cache.py), files whose bytes, name and options were analysed before are served
from it. The others are analysed; when there are many, by this process and forked workers (they
start with everything imported, so a worker costs a few milliseconds where a new interpreter
would cost more than the checking). Workers send back each file's result as plain data
(`FileResult.plain`), the form the cache keeps too.

A file whose analysis raises (an unreadable file) is left out by the workers and analysed again
by this process, in order, so the first such problem is reported exactly as a sequential run
reports it. The output, its order and the exit code are those of a sequential, uncached run
(tests/perf/test_parallel.py and test_cache.py compare them format by format).

`AI_STRATEGY_JOBS=N` sets the number of processes (1: no worker, all in this process).
"""

from __future__ import annotations

import contextlib
import marshal
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

from ..analysis import LintOptions, analyse_bytes
from ..discovery import Target
from ..findings import Severity
from .cache import Cache, options_key
from .check_run import FileResult, Plain, RunStats

MIN_FILES_PER_JOB = 100
"""Fewest files worth a process of their own (a fork costs about what 10-20 files do)."""
CHUNKS_PER_JOB = 8
"""Files are handed out in about this many blocks per process, so a process that gets no CPU
(a busy machine) leaves its share to the others instead of being waited for."""
KEEP_BYTES = 64 * 1024 * 1024
"""File contents read while looking up the cache are kept (not read again) up to this much."""

Reader = Callable[[Target], bytes]


def jobs(files: int) -> int:
    """How many processes to check `files` files with (1: this one alone)."""
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
    recommendations: bool = False
    """The output shows each file's recommendation (`check --format json`): its JSON is worked
    out with the analysis, by whichever process analyses the file, and cached with it."""
    _options_keys: dict[int, bytes] = field(default_factory=dict, repr=False)
    """`options_key` of each options object in `options`, by id (they live as long as the job)."""

    def key(self, index: int, data: bytes) -> str:
        """The cache key of file `index` with these bytes."""
        options = self.options[index]
        known = self._options_keys.get(id(options))  # files of one project share their options
        if known is None:
            known = self._options_keys[id(options)] = options_key(options)
        return Cache.key(self.targets[index].display, data, known)

    def analyse(self, index: int, data: bytes | None = None) -> FileResult:
        """The result of file `index` (read now unless its bytes are given)."""
        target = self.targets[index]
        if data is None:
            data = self.read(target)
        report = analyse_bytes(data, target.display, self.options[index])
        result = FileResult(target.display, report, self.fail_on[index], self.options[index])
        if self.recommendations:
            result.recommendation_json()
        return result


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
            stats.processes.add(result.worker or os.getpid())
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
#
# `count - 1` children are forked after the imports; the files are cut into blocks whose numbers
# wait in a shared pipe, and this process and the children take the next block until none is
# left. Each child sends back the plain results of the files it checked, marshalled (plain values
# only), and leaves with os._exit. concurrent.futures was tried first (issue 14): importing it
# (logging, threading, queues) and its result queue cost 20-30% of a 1,000-file run on 2 cores,
# where this costs nothing measurable (bench/run.py --baseline, figure 8b against 8d).

_TOKEN = 4  # bytes per block number in the pipe (reads of a few bytes from a pipe are atomic)
_MAX_BLOCKS = 8192  # the pipe holds every block number before anyone reads (32 KiB < 64 KiB)

Sent = list[tuple[int, Plain, str | None]]
"""What a worker sends: (index, plain result, cache key or None) of each file it checked."""


def _in_workers(job: Job, todo: list[int], count: int) -> list[tuple[int, FileResult]]:
    """Analyse `todo` with this process and `count - 1` forked workers, in blocks; the results,
    with the cache filled in. A worker that fails leaves its files to the sequential pass."""
    import gc

    size = max(1, -(-len(todo) // (count * CHUNKS_PER_JOB)), -(-len(todo) // _MAX_BLOCKS))
    blocks = -(-len(todo) // size)
    tokens_in, tokens_out = os.pipe()
    os.write(tokens_out, b"".join(n.to_bytes(_TOKEN, "little") for n in range(blocks)))
    os.close(tokens_out)
    sys.stdout.flush()
    sys.stderr.flush()
    gc.freeze()  # the workers share this process's objects: keep the collector off their pages
    workers: list[tuple[int, int]] = []
    found: list[tuple[int, FileResult]] = []
    try:
        for _ in range(count - 1):
            workers.append(_fork(job, _claimed(tokens_in, size, todo)))
        for index in _claimed(tokens_in, size, todo):
            with contextlib.suppress(Exception):  # redone later, in order, where it raises
                data = job.read(job.targets[index])
                result = job.analyse(index, data)
                found.append((index, result))
                if job.cache is not None:
                    job.cache.put(job.key(index, data), result.plain(data))
        while workers:
            pid, pipe = workers.pop()
            for index, plain, key in _collect(pid, pipe):
                target = job.targets[index]
                result = FileResult.from_plain(
                    target.display, plain, None, job.fail_on[index], job.options[index]
                )
                result.worker = pid
                found.append((index, result))
                if job.cache is not None and key is not None:
                    job.cache.put(key, plain)
        return found
    finally:
        os.close(tokens_in)
        for pid, pipe in workers:  # only after an error: their results are not needed
            _stop(pid, pipe)
        gc.unfreeze()


def _claimed(tokens: int, size: int, todo: list[int]) -> Iterator[int]:
    """The indices of every block this process takes from the pipe, until none is left."""
    while True:
        token = os.read(tokens, _TOKEN)
        if len(token) < _TOKEN:
            return
        start = int.from_bytes(token, "little") * size
        yield from todo[start : start + size]


def _fork(job: Job, claimed: Iterator[int]) -> tuple[int, int]:
    """Start a worker on the blocks it claims; (its pid, the pipe its results come through)."""
    readable, writable = os.pipe()
    pid = os.fork()
    if pid != 0:
        os.close(writable)
        return pid, readable
    code = 1  # the worker: check, send, leave without running the parent's exit code
    try:
        os.close(readable)
        sent: Sent = []
        for index in claimed:
            try:
                data = job.read(job.targets[index])
                result = job.analyse(index, data)
            except Exception:
                continue  # the parent reads it again and reports the problem in order
            sent.append((index, result.plain(), job.key(index, data) if job.cache is not None else None))
        with os.fdopen(writable, "wb") as out:
            out.write(marshal.dumps(sent))
        code = 0
    finally:
        os._exit(code)


def _collect(pid: int, pipe: int) -> Sent:
    """What a worker sent ([] when it failed: this process then checks those files itself)."""
    with os.fdopen(pipe, "rb") as source:
        data = source.read()
    _, status = os.waitpid(pid, 0)
    if status != 0 or not data:
        return []
    try:
        received: Sent = marshal.loads(data)
    except Exception:
        return []
    return received


def _stop(pid: int, pipe: int) -> None:
    import signal

    with contextlib.suppress(OSError):
        os.kill(pid, signal.SIGKILL)
    with contextlib.suppress(OSError):
        os.close(pipe)
    with contextlib.suppress(OSError):
        os.waitpid(pid, 0)
