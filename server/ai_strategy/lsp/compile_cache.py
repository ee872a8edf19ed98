"""A cache of the code that attrs and cattrs compile while the server's modules are imported.

Importing `lsprotocol.types` (pygls imports it) builds some 550 attrs classes: attrs writes each
class's `__init__`, `__eq__`, `__repr__`... as source text and compiles it, and cattrs does the
same for its converters: about 940 calls to `compile()` at every start, some 300 ms of the
server's ~600 ms import on an idle machine (2-core, CPython 3.11). `cached_compiles()` keeps
the code objects of those calls between starts, so later starts only unmarshal them (2 MB, about
15 ms): `python -S -m ai_strategy lsp` answered `initialize` in a median 515 ms instead of 750
(8 starts each, alternated, bundled libraries with cached bytecode).

It is scoped: `builtins.compile` is replaced only inside the `with` block (the imports at start)
and restored after it. A cached result is the code object `compile()` returned for exactly the
same arguments: the source, file name, mode, optimisation level and compiler flags, including
the `__future__` flags `compile()` inherits from its caller (attrs' and cattrs' modules use
`from __future__ import annotations`; they are read from the calling frame and passed on
explicitly, so the flags never change), in a file for this interpreter's bytecode format.
Only source given as text is cached, as attrs and cattrs give it: the import system compiles a
module file from its bytes (and caches that in `__pycache__` itself), and an AST or a result that
is not code goes straight to `compile()` too.

The file lives in the user's cache folder (`$XDG_CACHE_HOME/ai-strategy`, `~/.cache/ai-strategy`,
`%LOCALAPPDATA%\\ai-strategy\\Cache` or `~/Library/Caches/ai-strategy`), one per interpreter and
copy of attrs, cattrs and lsprotocol, written atomically (a temporary file renamed over it),
holding what that start used. It is rewritten only when more than a tenth of a start's compiles
missed it (the first start, new versions of the libraries): attrs writes the hash of a
per-process value (the string hash seed) into the source of some `__hash__` methods, so a few
(17 of 940) miss at every start. A file that is corrupt (its checksum), of another format or
interpreter, or owned by another user is ignored, and a cache that cannot be written is
skipped: it can make a start faster, never different, and never fail it.
`AI_STRATEGY_COMPILE_CACHE=0` turns it off.

A packaged copy of the server can ship the cache too, so that its very first start is served
(the VS Code extension does: client-vscode/scripts/bundle-server.mjs runs
`write_shipped_cache()` with each CPython version it carries). The shipped file is
`shipped/<cache tag>.marshal` next to this module, read when the user's own file is missing or
unusable, and only when it belongs to whoever owns this module's file (it is part of the same
installation). Its entries are results of `compile()` for exact arguments like any other, so a
shipped file from other versions of the libraries only misses; the user's file is then written
as usual.
"""

from __future__ import annotations
import __future__

import builtins
import contextlib
import importlib.util
import inspect
import marshal
import os
import sys
import zlib
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from types import CodeType
from typing import Any

OFF_SWITCH = "AI_STRATEGY_COMPILE_CACHE"
"""Environment variable: `0` (or `off`, `false`, `no`) turns the cache off."""

FORMAT = b"ai-strategy compiled code 1\n"
"""The start of every cache file: this module's format, then the interpreter's bytecode magic."""


def _future_flags() -> int:
    flags = 0
    for feature in __future__.all_feature_names:
        flags |= getattr(__future__, feature).compiler_flag
    return flags


FUTURE_FLAGS = _future_flags()
"""The compiler flags of every `__future__` feature: those `compile()` inherits from its caller."""

REWRITE_WHEN_MISSED = 10
"""The file is rewritten when more than 1/REWRITE_WHEN_MISSED of a start's compiles missed it."""

Key = tuple[Any, ...]


def enabled(environ: Mapping[str, str] = os.environ) -> bool:
    """False when `AI_STRATEGY_COMPILE_CACHE` turns the cache off."""
    return environ.get(OFF_SWITCH, "").strip().lower() not in ("0", "off", "false", "no")


def user_cache_folder() -> Path:
    """The folder where this user's caches of ai-strategy go, by the platform's convention."""
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
        return Path(base) / "ai-strategy" / "Cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "ai-strategy"
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "ai-strategy"


GENERATORS = ("attr", "cattrs", "lsprotocol")
"""The packages whose import compiles the cached code: where they are found names the file."""


def cache_file(folder: Path) -> Path:
    """The cache file, in `folder`, of this interpreter and the copies of `GENERATORS` it would
    import (found without importing them): one file per environment, whatever the working
    folder (`python -m` puts it on `sys.path`, where it must not make a new file each time)."""
    found = []
    for name in GENERATORS:
        try:
            spec = importlib.util.find_spec(name)
        except (ImportError, ValueError):
            spec = None
        found.append(spec.origin if spec is not None else None)
    where = zlib.crc32(repr((sys.executable, found)).encode("utf-8", "surrogatepass"))
    return folder / f"compiled-{sys.implementation.cache_tag}-{where:08x}.marshal"


def _header() -> bytes:
    return FORMAT + importlib.util.MAGIC_NUMBER


def shipped_cache_file() -> Path:
    """The cache an installation may ship for this interpreter's bytecode format (see the module
    docstring): `shipped/<cache tag>.marshal` next to this module."""
    return Path(__file__).with_name("shipped") / f"{sys.implementation.cache_tag}.marshal"


def _owner_of(path: Path) -> int | None:
    try:
        return path.stat().st_uid
    except OSError:
        return None


def read_entries(path: Path, owner: int | None = None) -> dict[Key, CodeType]:
    """The entries of a cache file; empty when it is missing, corrupt, foreign or not owned by
    `owner` (default: the current user; owners are not checked where the platform has none)."""
    try:
        with open(path, "rb") as handle:
            if hasattr(os, "getuid"):
                expected = os.getuid() if owner is None else owner
                if os.fstat(handle.fileno()).st_uid != expected:
                    return {}
            data = handle.read()
        header = _header()
        if not data.startswith(header) or len(data) < len(header) + 4:
            return {}
        checksum, payload = data[len(header) : len(header) + 4], data[len(header) + 4 :]
        if int.from_bytes(checksum, "big") != zlib.crc32(payload):
            return {}
        entries = marshal.loads(payload)
    except (OSError, ValueError, EOFError, TypeError):
        return {}
    if not isinstance(entries, dict):
        return {}
    if not all(isinstance(k, tuple) and isinstance(v, CodeType) for k, v in entries.items()):
        return {}
    return entries


def write_entries(path: Path, entries: dict[Key, CodeType]) -> None:
    """Writes a cache file atomically (readers see the old file or the new one, never a part)."""
    payload = marshal.dumps(entries)
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        with open(temporary, "xb") as handle:
            handle.write(_header() + zlib.crc32(payload).to_bytes(4, "big") + payload)
        os.replace(temporary, path)
    finally:
        with contextlib.suppress(OSError):
            temporary.unlink()


class CompileCache:
    """`compile()` answered from a cache of earlier starts' results (see the module docstring)."""

    def __init__(self, entries: dict[Key, CodeType], real_compile: Callable[..., Any]) -> None:
        self.entries = entries
        self.real_compile = real_compile
        self.used: dict[Key, CodeType] = {}
        self.compiled = 0
        """How many calls were not in the cache (compiled now)."""

    def compile(
        self,
        source: Any,
        filename: Any,
        mode: str,
        flags: int = 0,
        dont_inherit: bool = False,
        optimize: int = -1,
        **options: Any,
    ) -> Any:
        """`builtins.compile` with the same arguments and result, from the cache when it can."""
        if not dont_inherit:
            # The flags compile() would inherit from its caller (this method's caller, not this
            # module), passed on explicitly.
            frame = inspect.currentframe()
            caller = frame.f_back if frame is not None else None
            if caller is not None:
                flags |= caller.f_code.co_flags & FUTURE_FLAGS
            del frame, caller
        if not isinstance(source, str) or not isinstance(filename, str):
            return self.real_compile(source, filename, mode, flags, True, optimize, **options)
        key = (source, filename, mode, flags, optimize, tuple(sorted(options.items())))
        code = self.entries.get(key)
        if code is None:
            code = self.real_compile(source, filename, mode, flags, True, optimize, **options)
            if not isinstance(code, CodeType):
                return code
            self.compiled += 1
        self.used[key] = code
        return code


def _starting_entries(path: Path, shipped: Path) -> dict[Key, CodeType]:
    """The user's own entries, else the shipped ones (if they belong to the installation)."""
    entries = read_entries(path)
    if entries:
        return entries
    installed_by = _owner_of(Path(__file__))
    return read_entries(shipped, owner=installed_by) if installed_by is not None else {}


@contextlib.contextmanager
def cached_compiles(folder: Path | None = None, shipped: Path | None = None) -> Iterator[CompileCache | None]:
    """Inside the block, `compile()` is answered from the cache file in `folder` (default: the
    user's cache folder), or when that has none from the `shipped` file (default:
    `shipped_cache_file()`); after it, `compile()` is restored and the user's file rewritten when
    the cache lacked too much (see `REWRITE_WHEN_MISSED`). Yields the cache, or None when the
    cache is turned off."""
    if not enabled():
        yield None
        return
    path = cache_file(folder if folder is not None else user_cache_folder())
    real_compile = builtins.compile
    entries = _starting_entries(path, shipped if shipped is not None else shipped_cache_file())
    cache = CompileCache(entries, real_compile)
    builtins.compile = cache.compile
    try:
        yield cache
    finally:
        builtins.compile = real_compile
    if cache.compiled * REWRITE_WHEN_MISSED > len(cache.used):
        with contextlib.suppress(OSError, ValueError):
            write_entries(path, cache.used)


SERVER_MODULE = "ai_strategy.lsp.server"
"""The module whose import the cache serves: the one `ai-strategy lsp` imports at its start."""


def write_shipped_cache(path: Path | None = None) -> int:
    """Imports the language server's module as a start does and writes every code object compiled
    meanwhile to `path` (default: `shipped_cache_file()`), for a package to ship; returns how many.
    For packaging scripts: it must run in a fresh interpreter, before anything imported pygls."""
    if SERVER_MODULE in sys.modules or "lsprotocol.types" in sys.modules:
        raise RuntimeError(
            f"write_shipped_cache: {SERVER_MODULE} is imported already; run it in a fresh interpreter"
        )
    real_compile = builtins.compile
    cache = CompileCache({}, real_compile)
    builtins.compile = cache.compile
    try:
        importlib.import_module(SERVER_MODULE)
    finally:
        builtins.compile = real_compile
    target = path if path is not None else shipped_cache_file()
    target.parent.mkdir(parents=True, exist_ok=True)  # readable by all: it ships with the package
    write_entries(target, cache.used)
    return len(cache.used)
