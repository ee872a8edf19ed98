"""`check --fix`, `--unsafe-fixes` and `--diff` through the installed console script.

What a user relies on: only the fixed spans change (comments, blank lines, key order, line endings
and a BOM are kept); fixes that enable further fixes are applied in the same run; the write is
atomic and keeps the file's permissions; a read-only file, or one that changed on disk after it
was read, is left alone with a message; a symlink stays a symlink and its target is fixed;
standard input with `--stdin-filename` prints the fixed text; exit codes reflect what remains.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from .conftest import EXAMPLES

EXE = shutil.which("ai-strategy") or "ai-strategy"
BROKEN = EXAMPLES / "broken-schema" / "ai-strategy.toml"

# Every error here has a safe fix; comments, blank lines and odd spacing must survive.
FIXABLE = textwrap.dedent(
    """\
    # Team strategy: keep this comment.
    version = "1"          # quoted by mistake

    [strategy]
    approach   =   "rag"   # spacing is ours

    [task]
    type = "qa"
    goal = "add-knowledege"   # typo

    [data]
    update_frequency = "dayly"
    labeled_examples = 0

    [knowledge_base]
    size_tokens = 5_000_000
    sources = ["handbook", "wiki"]

    [requirements]
    citations = true
    latency_p95_ms = "2500"

    [rag]
    vector_store = "pgvector"
    reindex = "daily"
    """
)
FIXED = (
    FIXABLE.replace('version = "1"', "version = 1")
    .replace('"add-knowledege"', '"add-knowledge"')
    .replace('"dayly"', '"daily"')
    .replace('"2500"', "2500")
)


def check(
    *args: str, cwd: Path | None = None, stdin: bytes | None = None
) -> subprocess.CompletedProcess[bytes]:
    """`ai-strategy check ARGS`, bytes in and out."""
    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.run(
        [EXE, "check", *args], input=stdin, capture_output=True, cwd=cwd, env=env, timeout=60
    )


def codes(path: Path) -> list[str]:
    """The codes `check --format json` reports for `path` now."""
    data = json.loads(check("--format", "json", str(path)).stdout)
    return [d["code"] for f in data["files"] for d in f["diagnostics"]]


@pytest.fixture
def fixable(tmp_path: Path) -> Path:
    path = tmp_path / "ai-strategy.toml"
    path.write_text(FIXABLE, "utf-8")
    return path


def test_fixture_has_the_errors_we_expect(fixable: Path) -> None:
    assert sorted(c for c in codes(fixable) if c < "AIS100") == ["AIS003", "AIS003", "AIS004", "AIS004"]


def test_fix_changes_only_the_fixed_spans_and_exits_0_when_nothing_remains(fixable: Path) -> None:
    result = check("--fix", str(fixable))
    assert result.returncode == 0, result.stdout.decode()
    assert fixable.read_text("utf-8") == FIXED
    assert b"Fixed 4 findings in" in result.stdout
    assert not [c for c in codes(fixable) if c < "AIS100"]
    again = check("--fix", str(fixable))  # idempotent: nothing left to do
    assert again.returncode == 0 and fixable.read_text("utf-8") == FIXED
    assert b"Fixed" not in again.stdout


def test_fix_exit_code_reflects_what_remains(tmp_path: Path) -> None:
    path = tmp_path / "ai-strategy.toml"
    shutil.copy(BROKEN, path)
    result = check("--fix", str(path))
    assert result.returncode == 1  # top_k in the wrong table (unsafe move) and chunk_size_tokens = 0 remain
    remaining = codes(path)
    assert "AIS003" not in remaining and "AIS004" not in remaining
    assert {"AIS002", "AIS005"} <= set(remaining)
    out = result.stdout.decode()
    assert "unknown key `top_k` in [requirements]" in out and "Fixed " in out
    assert "eval_examples = 100" in path.read_text("utf-8")  # a swap of two letters: the safe rename
    assert check("--fix", "--exit-zero", str(path)).returncode == 0


def test_safe_fixes_only_by_default_unsafe_on_request(tmp_path: Path) -> None:
    path = tmp_path / "ai-strategy.toml"
    shutil.copy(BROKEN, path)
    check("--fix", str(path))
    safe = path.read_text("utf-8")
    assert "top_k = 5" in safe.split("[rag]")[0]  # moving a key is unsafe: not done
    check("--unsafe-fixes", str(path))  # --unsafe-fixes implies --fix
    unsafe = path.read_text("utf-8")
    assert "top_k" not in unsafe.split("[requirements]")[1].split("[")[0]


def test_fixes_that_enable_fixes_apply_in_one_run(tmp_path: Path) -> None:
    path = tmp_path / "ai-strategy.toml"
    path.write_text('version = 1\n[strategy]\napproach = "hybrd"\n[task]\ntype = "qa"\n', "utf-8")
    check("--fix", str(path))
    text = path.read_text("utf-8")
    # "hybrd" -> "hybrid" first; then the tables hybrid needs are missing (AIS203, safe)
    assert 'approach = "hybrid"' in text
    assert "\n[rag]\n" in text and "\n[fine_tuning]\n" in text
    assert text.startswith('version = 1\n[strategy]\napproach = "hybrid"\n[task]\ntype = "qa"\n')


def test_diff_shows_the_fixes_and_writes_nothing(fixable: Path) -> None:
    before = fixable.stat()
    result = check("--diff", str(fixable))
    assert fixable.read_text("utf-8") == FIXABLE
    assert fixable.stat().st_mtime_ns == before.st_mtime_ns
    diff = result.stdout.decode()
    assert diff.startswith(f"--- a/{fixable}\n+++ b/{fixable}\n")
    assert '-version = "1"          # quoted by mistake\n+version = 1          # quoted by mistake\n' in diff
    assert '+update_frequency = "daily"\n' in diff
    assert result.returncode == 0  # what would remain after the fixes: nothing at error level
    assert b"[error]" not in result.stderr


def test_diff_exit_code_when_errors_would_remain(tmp_path: Path) -> None:
    path = tmp_path / "ai-strategy.toml"
    shutil.copy(BROKEN, path)
    result = check("--diff", str(path))
    assert result.returncode == 1
    assert path.read_bytes() == BROKEN.read_bytes()
    assert b"AIS005" in result.stderr


def test_write_is_atomic_and_keeps_permissions(fixable: Path) -> None:
    os.chmod(fixable, 0o640)
    inode = fixable.stat().st_ino
    check("--fix", str(fixable))
    info = fixable.stat()
    assert stat.S_IMODE(info.st_mode) == 0o640
    assert info.st_ino != inode  # a new file renamed over the old one, not rewritten in place
    assert sorted(p.name for p in fixable.parent.iterdir()) == ["ai-strategy.toml"]  # no temp left


def test_line_endings_and_bom_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "ai-strategy.toml"
    path.write_bytes(b"\xef\xbb\xbf" + FIXABLE.replace("\n", "\r\n").encode("utf-8"))
    check("--fix", str(path))
    assert path.read_bytes() == b"\xef\xbb\xbf" + FIXED.replace("\n", "\r\n").encode("utf-8")


def test_read_only_file_is_refused(fixable: Path) -> None:
    os.chmod(fixable, 0o444)
    result = check("--fix", str(fixable))
    assert fixable.read_text("utf-8") == FIXABLE
    assert result.returncode == 1  # its errors remain
    assert f"ai-strategy: {fixable}: not fixed: the file is read-only".encode() in result.stderr
    assert b"Fixed" not in result.stdout


def test_other_files_are_still_fixed_when_one_is_refused(tmp_path: Path) -> None:
    locked = tmp_path / "a" / "ai-strategy.toml"
    open_ = tmp_path / "b" / "ai-strategy.toml"
    for path in (locked, open_):
        path.parent.mkdir()
        path.write_text(FIXABLE, "utf-8")
    os.chmod(locked, 0o444)
    result = check("--fix", str(tmp_path))
    assert locked.read_text("utf-8") == FIXABLE
    assert open_.read_text("utf-8") == FIXED
    assert result.returncode == 1


RACE = textwrap.dedent(
    """\
    # Run the real CLI, but change the file on disk between its analysis and its write,
    # as an editor saving at the wrong moment would.
    import sys
    from pathlib import Path

    import ai_strategy.cli.fixing as fixing

    target = Path(sys.argv[1])
    original_fix_text = fixing.fix_text

    def fix_text_then_someone_saves(*args, **kwargs):
        result = original_fix_text(*args, **kwargs)
        target.write_text(target.read_text("utf-8") + "# saved by an editor meanwhile\\n", "utf-8")
        return result

    fixing.fix_text = fix_text_then_someone_saves
    from ai_strategy.cli.main import main

    raise SystemExit(main(["check", "--fix", str(target)]))
    """
)


def test_file_changed_meanwhile_is_not_written(fixable: Path, tmp_path: Path) -> None:
    harness = tmp_path / "race.py"
    harness.write_text(RACE, "utf-8")
    result = subprocess.run(
        [sys.executable, str(harness), str(fixable)], capture_output=True, timeout=60, cwd=tmp_path
    )
    assert fixable.read_text("utf-8") == FIXABLE + "# saved by an editor meanwhile\n"
    assert f"{fixable}: not fixed: it changed on disk since it was read".encode() in result.stderr
    assert result.returncode == 1


def test_symlink_is_kept_and_its_target_fixed(tmp_path: Path) -> None:
    target = tmp_path / "shared" / "strategy.toml"
    target.parent.mkdir()
    target.write_text(FIXABLE, "utf-8")
    link = tmp_path / "service" / "ai-strategy.toml"
    link.parent.mkdir()
    link.symlink_to(os.path.relpath(target, link.parent))
    result = check("--fix", str(link))
    assert result.returncode == 0, result.stdout.decode()
    assert link.is_symlink()
    assert os.readlink(link) == os.path.relpath(target, link.parent)
    assert target.read_text("utf-8") == FIXED
    assert sorted(p.name for p in target.parent.iterdir()) == ["strategy.toml"]


def test_stdin_fix_prints_the_fixed_text_and_reports_on_stderr() -> None:
    result = check("--fix", "--stdin-filename", "team/ai-strategy.toml", "-", stdin=FIXABLE.encode())
    assert result.stdout.decode("utf-8") == FIXED
    assert result.returncode == 0
    assert result.stderr.decode() == "All checks passed (1 file checked).\n"
    broken = check("--fix", "--stdin-filename", "team/ai-strategy.toml", "-", stdin=BROKEN.read_bytes())
    assert broken.returncode == 1
    assert b"version = 1\n" in broken.stdout
    assert b"team/ai-strategy.toml:" in broken.stderr and b"AIS005" in broken.stderr


def test_stdin_fix_with_nothing_to_fix_passes_the_text_through() -> None:
    clean = (EXAMPLES / "faq-bot" / "ai-strategy.toml").read_bytes()
    result = check("--fix", "-", stdin=clean)
    assert result.returncode == 0
    assert result.stdout == clean
    syntax = (EXAMPLES / "broken-syntax" / "ai-strategy.toml").read_bytes()
    result = check("--fix", "-", stdin=syntax)
    assert result.returncode == 1
    assert result.stdout == syntax


def test_stdin_diff_prints_a_diff_only() -> None:
    result = check("--diff", "--stdin-filename", "x/ai-strategy.toml", "-", stdin=FIXABLE.encode())
    out = result.stdout.decode()
    assert out.startswith("--- a/x/ai-strategy.toml\n+++ b/x/ai-strategy.toml\n")
    assert '+update_frequency = "daily"' in out
