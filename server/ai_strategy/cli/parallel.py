"""Checking many files: the result cache, then every core; the order and the results kept.

With a cache (cli/cache.py), files whose path and bytes produced a clean report before are not
analysed again. The others are analysed; when there are many, on every core: one child is forked
per extra core after the imports (a few milliseconds; new interpreters would cost far more than
the checking), the files are cut into small blocks, and the parent and the children take the next
block from a shared pipe until none is left, so a process that gets no CPU (a busy machine)
leaves its share to the others instead of being waited for.

A child sends back, per file it checked, the report of a clean file (no findings: its text and
recommendation) or nothing. The parent then builds the results in order, analysing itself every
file that is not clean, failed, or was never reported: files with findings, unreadable files and
errors go through the sequential code path, in order. The output, its order and the exit code are
those of a sequential, uncached run (tests/perf/test_parallel.py compares them format by format).

`AI_STRATEGY_JOBS=N` sets the number of processes (1: no forking).
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import fields
from typing import TYPE_CHECKING, Any

from ..analysis import LintOptions, Report, analyse_bytes
from ..knowledge.factors import FACTORS
from ..recommend import Contribution, Recommendation
from .check_run import FileResult
from .discover import Target

if TYPE_CHECKING:
    from .cache import Cache

MIN_FILES_PER_JOB = 100
"""Fewest files worth a process of their own (a fork costs about what 10-20 files do)."""
BLOCK = 8
"""Files taken at a time from the shared pipe."""
KEEP_BYTES = 64 * 1024 * 1024
"""File contents read while looking up the cache are kept (not read again) up to this much."""
_TOKEN = 4  # bytes per block number in the pipe (reads of a few bytes from a pipe are atomic)
_MAX_BLOCKS = 8192  # the pipe holds every block number before anyone reads (32 KiB < 64 KiB)

Reader = Callable[[Target], bytes]
Packed = tuple[str | None, Any]
"""A clean report as the cache keeps it: (its text, or None when that is the file's bytes decoded
as UTF-8; the recommendation's fields, with each factor row as its index in the table)."""
_FACTOR_INDEX = {id(factor): index for index, factor in enumerate(FACTORS)}
_FIELDS = tuple(f.name for f in fields(Recommendation))


def jobs(files: int) -> int:
    """How many processes to check `files` files with."""
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


class _Checker:
    """Analyses targets by index; remembers the clean ones (with their cache keys)."""

    def __init__(
        self, targets: Sequence[Target], options: LintOptions, read: Reader, cache: Cache | None
    ) -> None:
        self.targets, self.options, self.read, self.cache = targets, options, read, cache
        self.kept: dict[int, bytes] = {}

    def analyse(self, index: int) -> tuple[FileResult, bytes | None, Packed | None]:
        """(the result; for a clean file, its cache key (with a cache) and its packed report)."""
        target = self.targets[index]
        data = self.kept.pop(index, None)
        if data is None:
            data = self.read(target)
        report = analyse_bytes(data, target.display, self.options)
        if report.findings or report.document is None:
            return FileResult(target.display, report), None, None
        key = self.cache.key(target.display, data) if self.cache is not None else None
        return FileResult(target.display, report), key, pack(report, data)

    def look_up(self) -> tuple[dict[int, FileResult], list[int]]:
        """(results found in the cache, indices left to analyse)."""
        assert self.cache is not None
        found: dict[int, FileResult] = {}
        todo: list[int] = []
        budget = KEEP_BYTES
        for index, target in enumerate(self.targets):
            try:
                data = self.read(target)
            except Exception:
                todo.append(index)  # analysed later, in order, where it raises
                continue
            packed = self.cache.get(self.cache.key(target.display, data))
            if packed is not None:
                found[index] = FileResult(target.display, clean_report(target.display, packed, data))
                continue
            todo.append(index)
            if len(data) <= budget:
                budget -= len(data)
                self.kept[index] = data
        return found, todo


def check_targets(
    targets: Sequence[Target], options: LintOptions, read: Reader, cache: Cache | None = None
) -> list[FileResult]:
    """Analyse every target, in order: cached results first, the rest on several cores if many."""
    checker = _Checker(targets, options, read, cache)
    done: dict[int, FileResult] = {}
    todo: Sequence[int] = range(len(targets))
    if cache is not None and cache.entries:
        done, todo = checker.look_up()
    count = jobs(len(todo))
    if count < 2:
        for index in todo:
            with contextlib.suppress(Exception):  # redone below, in order, where it raises
                done[index] = _remember(checker.analyse(index), cache)
    else:
        done.update(_in_parallel(checker, todo, count))
    results = [done.get(i) or checker.analyse(i)[0] for i in range(len(targets))]
    if cache is not None:
        cache.save()
    return results


def _remember(outcome: tuple[FileResult, bytes | None, Packed | None], cache: Cache | None) -> FileResult:
    result, key, packed = outcome
    if cache is not None and key is not None:
        cache.put(key, packed)
    return result


def _in_parallel(checker: _Checker, todo: Sequence[int], count: int) -> dict[int, FileResult]:
    import gc

    block = max(BLOCK, -(-len(todo) // _MAX_BLOCKS))
    blocks = -(-len(todo) // block)
    tokens_in, tokens_out = os.pipe()
    os.write(tokens_out, b"".join(n.to_bytes(_TOKEN, "little") for n in range(blocks)))
    os.close(tokens_out)
    sys.stdout.flush()
    sys.stderr.flush()
    gc.freeze()  # the children share the parent's objects: keep the collector off their pages
    children: list[tuple[int, int]] = []
    done: dict[int, FileResult] = {}
    try:
        for _ in range(count - 1):
            children.append(_fork(checker, _claimed(tokens_in, block, todo)))
        for index in _claimed(tokens_in, block, todo):
            with contextlib.suppress(Exception):  # redone later, in order, where it raises
                done[index] = _remember(checker.analyse(index), checker.cache)
        while children:
            pid, pipe = children.pop()
            for index, (key, packed, text) in _collect(pid, pipe).items():
                display = checker.targets[index].display
                report = clean_report(display, packed, None, text)
                done[index] = FileResult(display, report)
                if checker.cache is not None and key is not None:
                    checker.cache.put(key, packed)
        return done
    finally:
        os.close(tokens_in)
        for pid, pipe in children:  # only after an error: their results are not needed
            _stop(pid, pipe)
        gc.unfreeze()


def _claimed(tokens: int, block: int, todo: Sequence[int]) -> Iterator[int]:
    """The indices of every block this process takes from the pipe, until none is left."""
    while True:
        token = os.read(tokens, _TOKEN)
        if len(token) < _TOKEN:
            return
        start = int.from_bytes(token, "little") * block
        yield from todo[start : start + block]


def _fork(checker: _Checker, claimed: Iterable[int]) -> tuple[int, int]:
    readable, writable = os.pipe()
    pid = os.fork()
    if pid != 0:
        os.close(writable)
        return pid, readable
    # the child: check, send the clean reports, leave without running the parent's exit code
    code = 1
    try:
        import pickle

        os.close(readable)
        clean: dict[int, tuple[bytes | None, Packed, str]] = {}
        for index in claimed:
            try:
                result, key, packed = checker.analyse(index)
            except Exception:
                continue  # the parent reads it again and reports the problem in order
            if packed is not None:
                clean[index] = (key, packed, result.report.text)
        with os.fdopen(writable, "wb") as out:
            out.write(pickle.dumps(clean, pickle.HIGHEST_PROTOCOL))
        code = 0
    finally:
        os._exit(code)


def _collect(pid: int, pipe: int) -> dict[int, tuple[bytes | None, Packed, str]]:
    """What a child sent ({} when it failed: the parent then checks those files itself)."""
    import pickle

    with os.fdopen(pipe, "rb") as source:
        data = source.read()
    _, status = os.waitpid(pid, 0)
    if status != 0 or not data:
        return {}
    try:
        received: dict[int, tuple[bytes | None, Packed, str]] = pickle.loads(data)
    except Exception:
        return {}
    return received


def _stop(pid: int, pipe: int) -> None:
    import signal

    with contextlib.suppress(OSError):
        os.kill(pid, signal.SIGKILL)
    with contextlib.suppress(OSError):
        os.close(pipe)
    with contextlib.suppress(OSError):
        os.waitpid(pid, 0)


def pack(report: Report, data: bytes) -> Packed:
    """A clean report as plain, picklable data (factor rows hold functions: kept as indices)."""
    try:
        text: str | None = None if data.decode("utf-8") == report.text else report.text
    except UnicodeDecodeError:
        text = report.text
    recommendation = report.recommendation
    if recommendation is None:
        return text, None
    values = []
    for name in _FIELDS:
        value = getattr(recommendation, name)
        if name == "contributions":
            value = tuple((_FACTOR_INDEX[id(c.factor)], c.value) for c in value)
        values.append(value)
    return text, tuple(values)


def clean_report(display: str, packed: Packed, data: bytes | None, text: str | None = None) -> Report:
    """The report of a clean file from its packed form and its bytes (or its text).

    The document is left out: for a file without findings, no output format reads it.
    """
    stored, values = packed
    if text is None:
        text = stored if stored is not None else (data or b"").decode("utf-8")
    recommendation = None
    if values is not None:
        named = dict(zip(_FIELDS, values, strict=True))
        named["contributions"] = tuple(Contribution(FACTORS[i], value) for i, value in named["contributions"])
        recommendation = Recommendation(**named)
    return Report(display, text, [], recommendation, None)
