"""The compile cache of the server's start (`ai_strategy/lsp/compile_cache.py`): a second start
answers attrs' and cattrs' compile() calls from it, a broken cache never stops a start, and a
cached result is what compile() itself returns for the same arguments."""

from __future__ import annotations

import builtins
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from ai_strategy.lsp import compile_cache
from ai_strategy.lsp.compile_cache import (
    OFF_SWITCH,
    cache_file,
    cached_compiles,
    read_entries,
    write_entries,
    write_shipped_cache,
)


@pytest.fixture(autouse=True)
def cache_switched_on(monkeypatch: pytest.MonkeyPatch) -> None:
    """tests/conftest.py turns the cache off for the servers other tests start; here it is on."""
    monkeypatch.delenv(OFF_SWITCH, raising=False)


IMPORT_LSPROTOCOL = """
import json, sys
from pathlib import Path
from ai_strategy.lsp.compile_cache import cached_compiles
with cached_compiles(Path(sys.argv[1])) as cache:
    import lsprotocol.types
print(json.dumps({"cached": len(cache.entries), "compiled": cache.compiled}))
"""


def _in_a_fresh_interpreter(script: str, *args: str) -> Any:
    """Runs `script` in a new interpreter (nothing of pygls imported yet): the JSON it prints."""
    proc = subprocess.run(
        [sys.executable, "-c", script, *args],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def _import_lsprotocol(folder: Path) -> dict[str, int]:
    counts: dict[str, int] = _in_a_fresh_interpreter(IMPORT_LSPROTOCOL, str(folder))
    return counts


def _message(payload: dict[str, object]) -> bytes:
    body = json.dumps(payload).encode()
    return b"Content-Length: %d\r\n\r\n%s" % (len(body), body)


def _start_server(cache_home: Path, **env: str) -> tuple[dict[str, object], str]:
    """Runs `python -m ai_strategy lsp` with `cache_home` as the user's cache folder: the
    answer to `initialize` and the server's stderr."""
    requests = b"".join(
        _message(m)
        for m in (
            {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}},
            {"jsonrpc": "2.0", "method": "initialized", "params": {}},
            {"jsonrpc": "2.0", "id": 2, "method": "shutdown"},
            {"jsonrpc": "2.0", "method": "exit"},
        )
    )
    environ = {k: v for k, v in os.environ.items() if k != OFF_SWITCH}
    environ.update(XDG_CACHE_HOME=str(cache_home), **env)
    proc = subprocess.run(
        [sys.executable, "-m", "ai_strategy", "lsp"],
        input=requests,
        capture_output=True,
        env=environ,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr.decode()
    header, _, rest = proc.stdout.partition(b"\r\n\r\n")
    [length] = [
        int(line.split(b":")[1]) for line in header.split(b"\r\n") if line.startswith(b"Content-Length")
    ]
    answer: dict[str, object] = json.loads(rest[:length])
    return answer, proc.stderr.decode()


def _cache_files(cache_home: Path) -> list[Path]:
    return sorted((cache_home / "ai-strategy").glob("compiled-*.marshal"))


def test_a_second_interpreter_takes_the_generated_code_from_the_cache(tmp_path: Path) -> None:
    first = _import_lsprotocol(tmp_path)
    assert first["cached"] == 0 and first["compiled"] > 500  # lsprotocol's ~550 attrs classes
    second = _import_lsprotocol(tmp_path)
    # A few sources differ at every start (attrs writes hash-seeded values into some): the rest
    # come from the cache.
    assert second["compiled"] < first["compiled"] / 20
    assert second["cached"] > 500


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="the cache folder is XDG's here")
def test_the_server_writes_the_cache_once_and_starts_from_it(tmp_path: Path) -> None:
    answer, _ = _start_server(tmp_path)
    assert "capabilities" in answer["result"]  # type: ignore[operator]
    [written] = _cache_files(tmp_path)
    assert len(read_entries(written)) > 500
    before = (written.stat().st_mtime_ns, written.read_bytes())
    answer, _ = _start_server(tmp_path)
    assert "capabilities" in answer["result"]  # type: ignore[operator]
    # Rewritten only when a tenth of a start's compiles missed it: untouched, they were cached.
    assert (written.stat().st_mtime_ns, written.read_bytes()) == before


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="the cache folder is XDG's here")
@pytest.mark.parametrize(
    "damage",
    ["garbage", "truncated", "flipped byte", "empty", "a folder"],
)
def test_a_damaged_cache_still_starts_the_server_and_is_replaced(tmp_path: Path, damage: str) -> None:
    _start_server(tmp_path)
    [path] = _cache_files(tmp_path)
    good = path.read_bytes()
    if damage == "garbage":
        path.write_bytes(b"\x00\xff not a cache" * 100)
    elif damage == "truncated":
        path.write_bytes(good[: len(good) // 2])
    elif damage == "flipped byte":
        middle = len(good) // 2
        path.write_bytes(good[:middle] + bytes([good[middle] ^ 0x55]) + good[middle + 1 :])
    elif damage == "empty":
        path.write_bytes(b"")
    else:
        path.unlink()
        path.mkdir()
    answer, stderr = _start_server(tmp_path)
    assert "capabilities" in answer["result"], stderr  # type: ignore[operator]
    assert "Traceback" not in stderr
    if damage != "a folder":  # replaced by a good file: the same compiles (by file name)
        assert _compiled_files(path) == _compiled_files(path.with_name("good"), good)


def _compiled_files(path: Path, data: bytes | None = None) -> set[str]:
    """The file names of the code in a cache file (with `data` written to it first)."""
    if data is not None:
        path.write_bytes(data)
    return {key[1] for key in read_entries(path)}


def test_the_off_switch_leaves_compile_alone_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(OFF_SWITCH, "0")
    real = builtins.compile
    with cached_compiles(tmp_path) as cache:
        assert cache is None
        assert builtins.compile is real
        compile("x = 1", "<test>", "exec")
    assert list(tmp_path.iterdir()) == []


def test_compile_is_restored_after_the_block_even_when_it_fails(tmp_path: Path) -> None:
    real = builtins.compile
    with pytest.raises(RuntimeError), cached_compiles(tmp_path):
        assert builtins.compile is not real
        raise RuntimeError("an import failed")
    assert builtins.compile is real


def test_the_callers_future_flags_are_kept(tmp_path: Path) -> None:
    """This module uses `from __future__ import annotations`, like attrs and cattrs: code it
    compiles keeps annotations as strings, so an undefined name in one is no error."""
    source = "def f(x: int) -> NotDefinedAnywhere: pass"
    for _ in range(2):  # compiled, then from the cache
        with cached_compiles(tmp_path):
            code = compile(source, "<generated>", "exec")
        namespace: dict[str, object] = {}
        exec(code, namespace)
        function = namespace["f"]
        assert function.__annotations__ == {"x": "int", "return": "NotDefinedAnywhere"}  # type: ignore[attr-defined]
    assert code.co_flags == builtins.compile(source, "<generated>", "exec").co_flags


def test_every_argument_is_part_of_the_key(tmp_path: Path) -> None:
    with cached_compiles(tmp_path):
        checked = compile("assert False", "<a>", "exec", optimize=0)
        stripped = compile("assert False", "<a>", "exec", optimize=2)  # asserts removed
        renamed = compile("assert False", "<b>", "exec", optimize=0)
        evaluated = compile("1 + 1", "<a>", "eval")
    with pytest.raises(AssertionError):
        exec(checked, {})
    exec(stripped, {})
    assert renamed.co_filename == "<b>" and checked.co_filename == "<a>"
    assert eval(evaluated) == 2
    # From the cache in the next block: the same answers for the same arguments.
    with cached_compiles(tmp_path) as cache:
        assert compile("assert False", "<a>", "exec", optimize=2) is not None
        assert compile("1 + 1", "<a>", "eval") is not None
        assert cache is not None and cache.compiled == 0
    assert cache_file(tmp_path).exists()


def test_a_cache_of_another_interpreter_is_ignored(tmp_path: Path) -> None:
    with cached_compiles(tmp_path):
        compile("x = 1", "<a>", "exec")
    path = cache_file(tmp_path)
    data = path.read_bytes()
    marker = b"ai-strategy compiled code 1\n"
    assert data.startswith(marker)
    magic = data[len(marker) : len(marker) + 4]
    other = bytes([magic[0] ^ 1]) + magic[1:]  # another bytecode version
    path.write_bytes(marker + other + data[len(marker) + 4 :])
    assert read_entries(path) == {}


def test_a_changed_byte_is_caught_by_the_checksum(tmp_path: Path) -> None:
    """A changed byte that still unmarshals (a constant of the code) is no entry at all."""
    with cached_compiles(tmp_path):
        compile("result = 12345", "<a>", "exec")
    path = cache_file(tmp_path)
    data = path.read_bytes()
    constant = (12345).to_bytes(4, "little")
    assert data.count(constant) == 1
    path.write_bytes(data.replace(constant, (54321).to_bytes(4, "little")))
    assert read_entries(path) == {}
    namespace: dict[str, object] = {}
    with cached_compiles(tmp_path):
        exec(compile("result = 12345", "<a>", "exec"), namespace)
    assert namespace["result"] == 12345


def test_module_files_compiled_from_bytes_are_left_to_the_import_system(tmp_path: Path) -> None:
    """The import system compiles a module from its file's bytes when `__pycache__` has none: that
    is its own cache's business (keeping whole module sources here would triple the file)."""
    with cached_compiles(tmp_path) as cache:
        compile(b"x = 1", "/somewhere/module.py", "exec", dont_inherit=True)
        compile("y = 2", "<generated>", "exec")
    assert cache is not None and [key[1] for key in cache.used] == ["<generated>"]


def test_the_start_collects_nothing_while_importing_and_freezes_what_it_imported() -> None:
    """`imports_uncollected` (cli/process.py) goes around the same imports as the cache."""
    import gc

    from ai_strategy.cli.process import imports_uncollected

    frozen = gc.get_freeze_count()
    try:
        with imports_uncollected():
            assert not gc.isenabled()
            made = [[index] for index in range(1000)]
        assert gc.isenabled()
        assert gc.get_freeze_count() >= frozen + len(made)
        gc.disable()
        with imports_uncollected():
            pass
        assert not gc.isenabled()  # left as it was found
    finally:
        gc.enable()
        gc.unfreeze()


def test_one_file_per_environment_whatever_the_working_folder(tmp_path: Path) -> None:
    """`python -c` (and `-m`) put the working folder on sys.path: it must not name the file."""
    cache = tmp_path / "cache"
    for folder in ("one", "two"):
        (tmp_path / folder).mkdir()
        proc = subprocess.run(
            [sys.executable, "-c", IMPORT_LSPROTOCOL, str(cache)],
            capture_output=True,
            text=True,
            timeout=120,
            cwd=tmp_path / folder,
        )
        assert proc.returncode == 0, proc.stderr
    assert [path.name for path in cache.iterdir()] == [cache_file(cache).name]


START_WITH_SHIPPED = """
import json, sys
from pathlib import Path
from ai_strategy.lsp.compile_cache import cached_compiles
with cached_compiles(Path(sys.argv[1]), Path(sys.argv[2])) as cache:
    import ai_strategy.lsp.server
print(json.dumps({"cached": len(cache.entries), "compiled": cache.compiled, "used": len(cache.used)}))
"""


def _start_with_shipped(user_folder: Path, shipped: Path) -> dict[str, object]:
    """The server module's import in a fresh interpreter, with `shipped` as the shipped cache."""
    counts: dict[str, object] = _in_a_fresh_interpreter(START_WITH_SHIPPED, str(user_folder), str(shipped))
    return counts


def test_a_shipped_cache_serves_the_first_start_and_no_user_file_is_written(tmp_path: Path) -> None:
    shipped = tmp_path / "package" / "shipped" / "cache.marshal"
    written = _in_a_fresh_interpreter(
        "import sys; from pathlib import Path;"
        " from ai_strategy.lsp.compile_cache import write_shipped_cache;"
        " print(write_shipped_cache(Path(sys.argv[1])))",
        str(shipped),
    )
    assert written > 500  # lsprotocol's ~550 attrs classes, and cattrs' converters
    without = _start_with_shipped(tmp_path / "empty-user-cache", tmp_path / "no such file")
    assert without["cached"] == 0 and without["compiled"] >= without["used"]  # all compiled
    user_folder = tmp_path / "user-cache"
    first = _start_with_shipped(user_folder, shipped)
    assert first["cached"] == written
    # The hash-seeded few miss (see test_a_second_interpreter_takes_...); the rest were shipped.
    assert first["compiled"] < first["used"] / 20  # type: ignore[operator]
    assert not user_folder.exists()  # nothing written: the shipped file serves every start


def _one_entry_file(path: Path, source: str) -> None:
    write_entries(path, {(source, "<test>", "exec", 0, -1, ()): compile(source, "<test>", "exec")})


def test_the_users_own_file_comes_before_the_shipped_one(tmp_path: Path) -> None:
    shipped = tmp_path / "shipped.marshal"
    _one_entry_file(shipped, "shipped = 1")
    with cached_compiles(tmp_path / "user", shipped) as cache:
        assert cache is not None and [key[0] for key in cache.entries] == ["shipped = 1"]
        compile("fresh = 1", "<test>", "exec")
    # More than a tenth missed: the user's own file is written, and read first from then on.
    with cached_compiles(tmp_path / "user", shipped) as cache:
        assert cache is not None and [key[0] for key in cache.entries] == ["fresh = 1"]


def test_a_shipped_cache_owned_by_someone_else_than_the_installation_is_ignored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shipped = tmp_path / "shipped.marshal"
    _one_entry_file(shipped, "shipped = 1")
    with cached_compiles(tmp_path / "user", shipped) as cache:
        assert cache is not None and [key[0] for key in cache.entries] == ["shipped = 1"]
    # The installation (this module's file) now seems to belong to another account.
    monkeypatch.setattr(compile_cache, "_owner_of", lambda path: shipped.stat().st_uid + 1)
    with cached_compiles(tmp_path / "user2", shipped) as cache:
        assert cache is not None and cache.entries == {}


def test_the_shipped_cache_is_named_by_the_bytecode_format_next_to_the_module() -> None:
    path = compile_cache.shipped_cache_file()
    assert path.parent == Path(compile_cache.__file__).parent / "shipped"
    assert path.name == f"{sys.implementation.cache_tag}.marshal"


def test_writing_a_shipped_cache_after_the_server_was_imported_is_refused(tmp_path: Path) -> None:
    import ai_strategy.lsp.server  # noqa: F401  (what makes this interpreter unfit for it)

    with pytest.raises(RuntimeError, match="fresh interpreter"):
        write_shipped_cache(tmp_path / "cache.marshal")
    assert not (tmp_path / "cache.marshal").exists()
