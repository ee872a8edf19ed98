"""Checking many files on every core: fork after the imports, keep the order and the results.

`check` on many files forks one child per extra core (forking after the imports costs a few
milliseconds; starting new interpreters would cost far more than the checking). The files are
cut into small blocks; the parent and the children take the next block from a shared pipe until
none is left, so a process that gets no CPU (a busy machine) leaves its share to the others
instead of being waited for.

A child sends back, per file it checked, the report of a clean file (no findings: its
recommendation and text) or nothing. The parent then builds the results in order, analysing
itself every file that is not clean, failed, or was never reported: files with findings,
unreadable files and errors go through the sequential code path, in order. The output, its order
and the exit code are those of a sequential run (a test compares them format by format).

`AI_STRATEGY_JOBS=N` sets the number of processes (1: no forking).
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import signal
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from typing import Any

from ..analysis import LintOptions, Report, analyse_bytes
from ..knowledge.factors import FACTORS
from ..recommend import Contribution, Recommendation
from .discover import Target
from .run import FileResult

MIN_FILES_PER_JOB = 100
"""Fewest files worth a process of their own (a fork costs about what 10-20 files do)."""
BLOCK = 8
"""Files taken at a time from the shared pipe."""
_TOKEN = 4  # bytes per block number in the pipe (reads of a few bytes from a pipe are atomic)
_MAX_BLOCKS = 8192  # the pipe holds every block number before anyone reads (32 KiB < 64 KiB)

Reader = Callable[[Target], bytes]
_FACTOR_INDEX = {id(factor): index for index, factor in enumerate(FACTORS)}


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


def check_targets(targets: Sequence[Target], options: LintOptions, read: Reader) -> list[FileResult]:
    """Analyse every target, in order; on several cores when there are many."""
    count = jobs(len(targets))
    if count < 2:
        return [_analyse(target, options, read) for target in targets]
    block = max(BLOCK, -(-len(targets) // _MAX_BLOCKS))
    blocks = -(-len(targets) // block)
    tokens_in, tokens_out = os.pipe()
    os.write(tokens_out, b"".join(n.to_bytes(_TOKEN, "little") for n in range(blocks)))
    os.close(tokens_out)
    sys.stdout.flush()
    sys.stderr.flush()
    gc.freeze()  # the children share the parent's objects: keep the collector off their pages
    children: list[tuple[int, int]] = []
    try:
        for _ in range(count - 1):
            children.append(_fork(targets, block, tokens_in, options, read))
        done: dict[int, FileResult] = {}
        for index in _claimed(tokens_in, block, len(targets)):
            with contextlib.suppress(Exception):  # redone below, in order, where it raises
                done[index] = _analyse(targets[index], options, read)
        while children:
            pid, pipe = children.pop()
            for index, report in _collect(pid, pipe).items():
                done[index] = FileResult(targets[index].display, report)
        return [done.get(i) or _analyse(target, options, read) for i, target in enumerate(targets)]
    finally:
        os.close(tokens_in)
        for pid, pipe in children:  # only after an error: their results are not needed
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
            with contextlib.suppress(OSError):
                os.close(pipe)
            with contextlib.suppress(OSError):
                os.waitpid(pid, 0)
        gc.unfreeze()


def _analyse(target: Target, options: LintOptions, read: Reader) -> FileResult:
    return FileResult(target.display, analyse_bytes(read(target), target.display, options))


def _claimed(tokens: int, block: int, total: int) -> Iterator[int]:
    """Indices of the files of every block this process takes from the pipe, until none is left."""
    while True:
        token = os.read(tokens, _TOKEN)
        if len(token) < _TOKEN:
            return
        start = int.from_bytes(token, "little") * block
        yield from range(start, min(start + block, total))


def _fork(
    targets: Sequence[Target], block: int, tokens: int, options: LintOptions, read: Reader
) -> tuple[int, int]:
    readable, writable = os.pipe()
    pid = os.fork()
    if pid != 0:
        os.close(writable)
        return pid, readable
    # the child: check, send the clean reports, leave without running the parent's exit code
    code = 1
    try:
        os.close(readable)
        clean: dict[int, Any] = {}
        for index in _claimed(tokens, block, len(targets)):
            target = targets[index]
            try:
                report = analyse_bytes(read(target), target.display, options)
            except Exception:
                continue  # the parent reads it again and reports the problem in order
            if not report.findings and report.document is not None:
                clean[index] = (report.path, report.text, _pack(report.recommendation))
        with os.fdopen(writable, "wb") as out:
            out.write(pickle.dumps(clean, pickle.HIGHEST_PROTOCOL))
        code = 0
    finally:
        os._exit(code)


def _collect(pid: int, pipe: int) -> dict[int, Report]:
    """The clean reports a child sent ({} when it failed: the parent then checks those files)."""
    with os.fdopen(pipe, "rb") as source:
        data = source.read()
    _, status = os.waitpid(pid, 0)
    if status != 0 or not data:
        return {}
    try:
        packed: dict[int, Any] = pickle.loads(data)
    except Exception:
        return {}
    # The document is left out: for a file without findings, no output format reads it.
    return {index: Report(path, text, [], _unpack(rec), None) for index, (path, text, rec) in packed.items()}


def _pack(recommendation: Recommendation | None) -> Any:
    """A recommendation as picklable data (factor rows hold functions: sent as their index)."""
    if recommendation is None:
        return None
    rows = tuple((_FACTOR_INDEX[id(c.factor)], c.value) for c in recommendation.contributions)
    return replace(recommendation, contributions=rows)  # type: ignore[arg-type]


def _unpack(packed: Any) -> Recommendation | None:
    if packed is None:
        return None
    rows = tuple(Contribution(FACTORS[index], value) for index, value in packed.contributions)
    recommendation: Recommendation = replace(packed, contributions=rows)
    return recommendation
