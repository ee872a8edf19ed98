"""`check --fix`, `--unsafe-fixes` and `--diff`: apply fixes and write files safely.

A file is written only when it still holds the text that was analysed (otherwise it changed on
disk meanwhile and is left alone), through a temporary file in the same folder renamed over the
original, with the original's permissions; a symlink is followed and kept. A read-only file is
not written. Each refusal is said on stderr.
"""

from __future__ import annotations

import contextlib
import difflib
import os
import shutil
import stat
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ..analysis import LintOptions, Report, analyse, read_limited
from ..document import MAX_BYTES
from ..escaping import printable
from ..findings import Finding
from ..fixes import fix_text
from .check_run import FileResult
from .process import note


@dataclass
class FixOutcome:
    """How many fixes went into each file, and an exit code when the run must stop early."""

    fixed: dict[str, int] = field(default_factory=dict)
    exit_code: int | None = None
    refused: list[str] = field(default_factory=list)


def _line_ending(text: str) -> str:
    return "\r\n" if "\r\n" in text and text.count("\r\n") == text.count("\n") else "\n"


def _normalise_newlines(new_text: str, ending: str) -> str:
    if ending == "\n":
        return new_text
    return new_text.replace("\r\n", "\n").replace("\n", "\r\n")


def _pass_through(report_text: str, stdin_data: bytes | None) -> None:
    """Standard input with nothing to fix goes to standard output unchanged, byte for byte.

    Input over the size limit was read only up to it: the rest is copied through as it comes.
    """
    if stdin_data is None:
        sys.stdout.write(report_text)
        return
    sys.stdout.flush()
    sys.stdout.buffer.write(stdin_data)
    if len(stdin_data) > MAX_BYTES:
        shutil.copyfileobj(sys.stdin.buffer, sys.stdout.buffer)
    sys.stdout.buffer.flush()


def apply_fixes(
    results: list[FileResult],
    unsafe: bool,
    diff: bool,
    stdin: bool,
    stdin_data: bytes | None = None,
) -> FixOutcome:
    """Fix every file of `results` in place (or show the diff); results get the fixed reports.

    A file that is not valid TOML is never fixed: its findings come from the parts that still
    parse, and an edit placed by them could garble what the user is in the middle of writing.
    """
    outcome = FixOutcome()
    for index, result in enumerate(results):
        report = result.report
        display = result.display
        fixable = report.document is not None and any(
            f.fix is not None and (f.fix.safe or unsafe) for f in report.findings
        )
        if fixable and report.has_syntax_error:
            fixable = False
            outcome.refused.append(display)
            note(f"{display}: not fixed: it is not valid TOML; fix the syntax error (AIS001) first")
        if not fixable:
            if stdin and not diff:
                _pass_through(report.text, stdin_data)
            continue

        options = result.options

        def findings_of(text: str, display: str = display, options: LintOptions = options) -> list[Finding]:
            return analyse(text, display, options).findings

        fixed = fix_text(report.text, findings_of, unsafe=unsafe)
        if fixed.applied == 0 or fixed.text == report.text:
            if stdin and not diff:
                _pass_through(report.text, stdin_data)
            continue
        new_text = _normalise_newlines(fixed.text, _line_ending(report.text))
        if diff:
            sys.stdout.write(unified_diff(report.text, new_text, display))
            results[index] = _refreshed(result, analyse(new_text, display, options))
            continue
        if stdin:
            if stdin_data is not None and stdin_data.startswith(b"\xef\xbb\xbf"):
                new_text = "\ufeff" + new_text  # keep the byte-order mark, as files keep it
            sys.stdout.write(new_text)
            results[index] = _refreshed(result, analyse(new_text, display, options))
            continue
        problem = write_fixed(Path(display), report.text, new_text)
        if problem:
            outcome.refused.append(display)
            note(f"{display}: not fixed: {problem}")
            continue
        outcome.fixed[display] = fixed.applied
        results[index] = _refreshed(result, analyse(new_text, display, options))
    return outcome


NO_NEWLINE = "\\ No newline at end of file\n"


def unified_diff(old: str, new: str, display: str) -> str:
    """The change as a unified diff that `patch` and `git apply` take: every line ends with a line
    break, and a last line without one is followed by git's "\\ No newline at end of file"."""
    name = printable(display)  # a header line per name: no line break may come from the name
    lines = difflib.unified_diff(
        old.splitlines(keepends=True), new.splitlines(keepends=True), f"a/{name}", f"b/{name}"
    )
    return "".join(line if line.endswith("\n") else line + "\n" + NO_NEWLINE for line in lines)


def _refreshed(result: FileResult, report: Report) -> FileResult:
    """The result of a file after its fixes: the new report, the same fail level and options."""
    return FileResult(result.display, report, result.fail_on, result.options)


def write_fixed(path: Path, expected_old: str, new_text: str) -> str:
    """Write `new_text` over `path` atomically; return why not ("" when written)."""
    real = Path(os.path.realpath(path))
    try:
        info = real.stat()
    except OSError as error:
        return f"cannot read it any more ({error.strerror})"
    if not info.st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH):
        return "the file is read-only"
    try:
        with open(real, "rb") as source:
            current = read_limited(source)
    except OSError as error:
        return f"cannot read it any more ({error.strerror})"
    bom = current.startswith(b"\xef\xbb\xbf")
    try:
        current_text = current.decode("utf-8-sig")
    except UnicodeDecodeError:
        return "it changed on disk since it was read"
    if current_text != expected_old:
        return "it changed on disk since it was read"
    data = (b"\xef\xbb\xbf" if bom else b"") + new_text.encode("utf-8")
    try:
        handle, temp_name = tempfile.mkstemp(prefix=f".{real.name}.", suffix=".tmp", dir=real.parent)
    except OSError as error:  # a full disk, a read-only or unwritable folder
        return f"cannot write next to it ({error.strerror or error}); the original is unchanged"
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temp_name, stat.S_IMODE(info.st_mode))
        with contextlib.suppress(OSError):
            os.chown(temp_name, info.st_uid, info.st_gid)
        os.replace(temp_name, real)
    except OSError as error:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        return f"cannot write it ({error.strerror or error}); the original is unchanged"
    except BaseException:  # interrupted (Ctrl-C): the original is intact, leave no temporary file
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        raise
    return ""
