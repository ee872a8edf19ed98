"""What the console script does to its process: start-up and exit tricks, and lines on stderr.

Every trick that makes a short `check` run faster lives here, with what it was measured to save:
CPU time of the whole process with the trick undone, best of 30 runs of `check` on one file (the
pre-commit case, 85 ms with every trick) and of 10 runs on 1,000 clean files (362 ms, one
process, no cache), on a shared 2-core machine, 2026-11-27. On 1,000 files each saves less than
1%, within the noise; they are kept for the one-file case. `main.entry` applies them; code run
in-process (tests, `main(argv)`) gets none of them. `imports_uncollected` is the language
server's, around its imports.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Iterator
from typing import NoReturn

from ..escaping import log_line


def note(text: str) -> None:
    """One line on stderr, `ai-strategy: text`, made safe for a terminal or a CI log (text often
    holds a path or a name from a checked file)."""
    sys.stderr.write(log_line(f"ai-strategy: {text}") + "\n")


class HelpFormatter(argparse.HelpFormatter):
    """argparse's formatter, sized without importing shutil (and bz2, lzma, zlib with it).

    argparse builds a formatter for every argument it adds, so every run, not only `--help`,
    paid for that import: 1-3 ms of the one-file check. Same width rule: $COLUMNS, else the
    terminal's, else 80.
    """

    def __init__(self, prog: str, indent_increment: int = 2, max_help_position: int = 24) -> None:
        super().__init__(prog, indent_increment, max_help_position, width=_columns() - 2)


def _columns() -> int:
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    try:
        return os.get_terminal_size(sys.__stdout__.fileno()).columns or 80  # type: ignore[union-attr]
    except (AttributeError, ValueError, OSError):
        return 80


def collect_less() -> None:
    """A `check` run makes no reference cycles worth collecting early: what the imports made
    lives until exit, so it is frozen (no collection scans it again) and collections run less
    often. 5 ms of the one-file check."""
    import gc

    gc.freeze()
    gc.set_threshold(50_000, 20, 20)


@contextlib.contextmanager
def imports_uncollected() -> Iterator[None]:
    """For the language server's start: its imports make some 100,000 objects that live until
    exit and no cycles worth collecting, so no collection runs while they are made and what they
    made is frozen after (no later collection scans it again). About 40 ms of the ~400 ms from
    spawn to the `initialize` answer (6 starts each, alternated, 2026-11-27)."""
    import gc

    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def leave_now(code: int) -> NoReturn:
    """End the process without tearing the interpreter down object by object (everything is
    written by now: report, output file, result cache). 9 ms of the one-file check. Standard
    output and error are flushed first; a reader that has gone away is not an error."""
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(BrokenPipeError, ValueError):
            stream.flush()
    os._exit(code)
