"""`check --fix` never loses data: every way a write can fail leaves the original intact and says why.

tests/test_fix_cli.py covers read-only files, files changed meanwhile, symlinks and standard input.
Here: the disk fills up or the folder refuses a new file at each step of the atomic write
(simulated in-process, and for real with a file-size limit on the console script), an interrupt
in the middle, a file deleted between analysis and writing, files that are not valid TOML or not
UTF-8 (never rewritten), standard input passed through byte for byte, and `--fix` over every
corpus case (valid files stay valid and keep every comment).
"""

from __future__ import annotations

import errno
import os
import resource
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from ai_strategy.analysis import analyse
from ai_strategy.cli import fixing
from ai_strategy.cli.main import main

from .robustness import CLI, assert_no_traceback, own_cases, toml_test_cases
from .rule_helpers import comments, is_valid_toml

# one safe fix (approach "promting" -> "prompting"), CRLF line ends, comments: what must survive a failure
FIXABLE = (
    b'# team file\r\nversion = 1\r\n[strategy]\r\napproach = "promting"  # typo\r\n[task]\r\ntype = "qa"\r\n'
)
FIXED = FIXABLE.replace(b'"promting"', b'"prompting"')


@pytest.fixture
def target(tmp_path: Path) -> Path:
    folder = tmp_path / "project"
    folder.mkdir()
    path = folder / "ai-strategy.toml"
    path.write_bytes(FIXABLE)
    path.chmod(0o640)
    return path


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name != "ai-strategy.toml")


def _fix(path: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, str, str]:
    code = main(["check", "--fix", *extra, str(path)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _enospc(*_: Any, **__: Any) -> Any:
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


class _FullDiskFile:
    """A file object whose writes fail as on a full disk."""

    def __init__(self, real: Any) -> None:
        self.real = real

    def write(self, data: bytes) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real, name)

    def __enter__(self) -> _FullDiskFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.real.close()


def _break_mkstemp(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fixing.tempfile, "mkstemp", _enospc)


def _break_write(monkeypatch: pytest.MonkeyPatch) -> None:
    real_fdopen = os.fdopen
    monkeypatch.setattr(os, "fdopen", lambda *a, **k: _FullDiskFile(real_fdopen(*a, **k)))


def _break_fsync(monkeypatch: pytest.MonkeyPatch) -> None:
    def fsync(_: int) -> None:
        raise OSError(errno.EIO, os.strerror(errno.EIO))

    monkeypatch.setattr(os, "fsync", fsync)


def _break_chmod(monkeypatch: pytest.MonkeyPatch) -> None:
    def chmod(*_: Any, **__: Any) -> None:
        raise OSError(errno.EPERM, os.strerror(errno.EPERM))

    monkeypatch.setattr(os, "chmod", chmod)


def _break_replace(monkeypatch: pytest.MonkeyPatch) -> None:
    def replace(*_: Any, **__: Any) -> None:
        raise OSError(errno.EBUSY, os.strerror(errno.EBUSY))

    monkeypatch.setattr(os, "replace", replace)


FAILURES: dict[str, tuple[Callable[[pytest.MonkeyPatch], None], str]] = {
    "no room for the temporary file": (_break_mkstemp, "No space left on device"),
    "disk full while writing": (_break_write, "No space left on device"),
    "I/O error on fsync": (_break_fsync, "Input/output error"),
    "permissions cannot be copied": (_break_chmod, "Operation not permitted"),
    "rename refused": (_break_replace, "Device or resource busy"),
}


@pytest.mark.parametrize("failure", list(FAILURES))
def test_a_failed_write_leaves_the_original_intact_and_says_why(
    failure: str, target: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    breaker, reason = FAILURES[failure]
    breaker(monkeypatch)
    code, out, err = _fix(target, capsys)
    monkeypatch.undo()
    assert_no_traceback(err)
    assert target.read_bytes() == FIXABLE
    assert oct(target.stat().st_mode & 0o777) == oct(0o640)
    assert _leftovers(target.parent) == []
    assert f"ai-strategy: {target}: not fixed: " in err
    assert reason in err and "the original is unchanged" in err
    assert len(err.strip().splitlines()) == 1, err
    assert code == 1  # the error it could not fix is still reported
    assert "AIS004" in out


def test_interrupt_while_writing_leaves_the_original_and_no_temporary_file(
    target: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def interrupted(_: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupted)
    code, _, err = _fix(target, capsys)
    monkeypatch.undo()
    assert code == 130
    assert_no_traceback(err)
    assert target.read_bytes() == FIXABLE
    assert _leftovers(target.parent) == []


def test_full_disk_on_the_second_file_fixes_the_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    paths = []
    for name in ("a", "b", "c"):
        (tmp_path / name).mkdir()
        path = tmp_path / name / "ai-strategy.toml"
        path.write_bytes(FIXABLE)
        paths.append(path)
    real_mkstemp = fixing.tempfile.mkstemp
    calls = []

    def mkstemp(*args: Any, **kwargs: Any) -> Any:
        calls.append(kwargs.get("dir"))
        if len(calls) == 2:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_mkstemp(*args, **kwargs)

    monkeypatch.setattr(fixing.tempfile, "mkstemp", mkstemp)
    monkeypatch.chdir(tmp_path)
    code = main(["check", "--fix", "--format", "json", "."])
    err = capsys.readouterr().err
    monkeypatch.undo()
    assert [p.read_bytes() for p in paths] == [FIXED, FIXABLE, FIXED]
    assert err.strip().splitlines() == [
        "ai-strategy: b/ai-strategy.toml: not fixed: cannot write next to it (No space left on device); "
        "the original is unchanged"
    ]
    assert code == 1


def test_file_deleted_between_analysis_and_writing(
    target: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    real_fix_text = fixing.fix_text

    def fix_then_delete(*args: Any, **kwargs: Any) -> Any:
        result = real_fix_text(*args, **kwargs)
        target.unlink()
        return result

    monkeypatch.setattr(fixing, "fix_text", fix_then_delete)
    code, _, err = _fix(target, capsys)
    assert_no_traceback(err)
    assert not target.exists()  # not re-created from a stale copy
    assert _leftovers(target.parent) == []
    assert (
        err.strip()
        == f"ai-strategy: {target}: not fixed: cannot read it any more (No such file or directory)"
    )
    assert code == 1


def _limit_file_size(limit: int) -> Callable[[], None]:
    def preexec() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return preexec


@pytest.mark.skipif(sys.platform != "linux", reason="RLIMIT_FSIZE and SIGXFSZ as on Linux")
def test_real_write_error_through_the_console_script(tmp_path: Path) -> None:
    """No simulation: the process may not write more bytes than the original has, so the fixed
    (longer) file cannot be written; the kernel's EFBIG must leave the original as it was."""
    original = FIXABLE
    path = tmp_path / "ai-strategy.toml"
    path.write_bytes(original)
    done = subprocess.run(
        [*CLI, "check", "--fix", str(path)],
        capture_output=True,
        timeout=120,
        preexec_fn=_limit_file_size(len(original)),
    )
    stderr = done.stderr.decode()
    assert_no_traceback(stderr)
    assert path.read_bytes() == original
    assert _leftovers(tmp_path) == []
    assert f"{path}: not fixed: cannot write it (File too large); the original is unchanged" in stderr
    assert done.returncode == 1
    # without the limit the same run fixes the file
    subprocess.run([*CLI, "check", "--fix", str(path)], capture_output=True, timeout=120)
    assert path.read_bytes() == FIXED


# ---- files that must not be rewritten ------------------------------------------------------------


@pytest.mark.parametrize(
    "content",
    [
        # a tab inside a bare key: the error-tolerant tree sees the key `me`, whose rename would
        # have written `na\tname`
        b'version = 1\n\n[project]\nna\tme = "x"\n',
        b'version = "1"\n[strategy]\napproach = "rga"\n[task]\ntype = "qa\n',
        b'name = "Tom"\nname = "Pradyun"\n',
        b"inline-t = { nest = {} }\n\n[[inline-t.nest]]\n",
    ],
    ids=["tab-in-key", "unterminated-string", "duplicate-key", "inline-table-extended"],
)
@pytest.mark.parametrize("unsafe", [False, True], ids=["safe", "unsafe"])
def test_a_file_that_is_not_valid_toml_is_never_rewritten(
    content: bytes, unsafe: bool, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "ai-strategy.toml"
    path.write_bytes(content)
    findings = analyse(content.decode()).findings
    assert any(f.fix is not None for f in findings)
    applicable = any(f.fix is not None and (f.fix.safe or unsafe) for f in findings)
    code, out, err = _fix(path, capsys, *(["--unsafe-fixes"] if unsafe else []))
    assert_no_traceback(err)
    assert path.read_bytes() == content
    refusal = f"ai-strategy: {path}: not fixed: it is not valid TOML; fix the syntax error (AIS001) first"
    assert err.strip() == (refusal if applicable else "")
    assert code == 1 and "AIS001" in out


@pytest.mark.parametrize(
    "content",
    [
        (b'version = "1"\n[strategy]\napproach = "rga"\n[task]\ntype = "caf\xe9"\n'),
        b"\x00\x01binary" * 100,
        b"\xef\xbb\xbf" + b'version = "1"\n' + b"#" * (4 * 1024 * 1024),
    ],
    ids=["latin-1", "binary", "over-4-MiB"],
)
def test_unreadable_content_is_never_rewritten_and_stdin_passes_through(
    content: bytes, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "ai-strategy.toml"
    path.write_bytes(content)
    code, _, err = _fix(path, capsys, "--unsafe-fixes")
    assert_no_traceback(err)
    assert path.read_bytes() == content
    assert code == 1
    done = subprocess.run([*CLI, "check", "--fix", "-"], input=content, capture_output=True, timeout=120)
    assert_no_traceback(done.stderr.decode())
    assert done.stdout == content  # a pipe through `check --fix -` never loses bytes
    assert done.returncode == 1


def test_stdin_keeps_its_byte_order_mark() -> None:
    bom = b"\xef\xbb\xbf"
    clean = (Path(__file__).parents[1] / "examples" / "faq-bot" / "ai-strategy.toml").read_bytes()
    done = subprocess.run([*CLI, "check", "--fix", "-"], input=bom + clean, capture_output=True, timeout=60)
    assert done.stdout == bom + clean
    fixed = subprocess.run(
        [*CLI, "check", "--fix", "-"], input=bom + FIXABLE, capture_output=True, timeout=60
    )
    assert fixed.stdout == bom + FIXED


# ---- --fix over every corpus case ---------------------------------------------------------------------


def test_fix_over_every_case_never_breaks_valid_files_nor_touches_invalid_ones(tmp_path: Path) -> None:
    cases = own_cases() + toml_test_cases()
    for index, case in enumerate(cases):
        folder = tmp_path / f"{index:04d}"
        folder.mkdir()
        (folder / "ai-strategy.toml").write_bytes(case.data)
    done = subprocess.run(
        [*CLI, "check", "--fix", "--format", "json", "."], cwd=tmp_path, capture_output=True, timeout=600
    )
    assert_no_traceback(done.stderr.decode())
    rewritten = 0
    for index, case in enumerate(cases):
        after = (tmp_path / f"{index:04d}" / "ai-strategy.toml").read_bytes()
        if not case.valid:
            assert after == case.data, case.id
            continue
        if after == case.data:
            continue
        rewritten += 1
        before_text, after_text = case.data.decode("utf-8-sig"), after.decode("utf-8-sig")
        assert is_valid_toml(after_text), case.id
        assert set(comments(before_text)) <= set(comments(after_text)), case.id
    assert rewritten > 0


def test_safe_renames_to_the_same_name_do_not_clash(tmp_path: Path) -> None:
    """Each of int1..int4 alone would be renamed to `lint`; together they would be a duplicate key."""
    text = 'version = 1\nint1 = +99\nint2 = 42\nint3 = 0\nint4 = -17\n\n[strategy]\napproach = "undecided"\n'
    path = tmp_path / "ai-strategy.toml"
    path.write_text(text)
    done = subprocess.run([*CLI, "check", "--fix", str(path)], capture_output=True, timeout=60)
    assert_no_traceback(done.stderr.decode())
    after = path.read_text()
    assert is_valid_toml(after)
    assert after.count("lint = ") <= 1
