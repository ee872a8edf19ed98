"""The result cache of `check`: a file analysed before, unchanged, is not analysed again.

Like ruff's cache: `.ai-strategy-cache/` in the current folder (or `$AI_STRATEGY_CACHE_DIR`), one
file per build of ai-strategy. Every file's result is kept, findings included, as plain data
(`FileResult.plain`: strings, numbers, lists and dicts), under a key made of the file's bytes, the
name it is shown with and the lint options it was analysed with. The file is written with
`marshal`, which stores only such values (never pickle: loading a planted cache file cannot run
code; what loads is checked for its shape, anything else is a miss). marshal writes and reads the
entries of 1,000 files in a few milliseconds, where JSON took 40-70 ms, a third of a cold run's
extra cost.
The build's identity is its version, the recommendation model's version and the size and mtime of
every file of the package, so an edited or upgraded ai-strategy never reads an older build's
entries. A cache that cannot be read or written is ignored: it can make a run faster, never
different.

`check --no-cache` neither reads nor writes it.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import sys
from typing import Any

from .. import __version__
from ..analysis import LintOptions
from ..knowledge.factors import MODEL_VERSION
from .check_run import Plain

try:  # the blake2 module alone: hashlib would load OpenSSL, which costs more than it hashes here
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - Python builds without it
    from hashlib import blake2b

FOLDER = ".ai-strategy-cache"

MAX_ENTRIES = 100_000
"""Entries kept; beyond this only those used by the last run are kept."""


def _build_identity() -> str:
    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    stamps = [__version__, f"model {MODEL_VERSION}", sys.version]
    for folder, dirs, files in os.walk(package):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            if name.endswith((".py", ".json", ".toml")):
                with contextlib.suppress(OSError):
                    info = os.stat(os.path.join(folder, name))
                    stamps.append(f"{folder}/{name}:{info.st_size}:{info.st_mtime_ns}")
    return "\n".join(stamps)


def options_key(options: LintOptions) -> bytes:
    """What of the lint options changes a file's result, as bytes for an entry's key."""
    project = options.project
    return repr(
        (
            options.select,
            options.ignore,
            sorted(options.severity.items()),
            project.select,
            project.ignore,
            sorted(project.severity.items()),
        )
    ).encode()


class Cache:
    """The entries of one build, loaded at the start of a run and saved at its end."""

    def __init__(self, folder: str) -> None:
        self.folder = folder
        identity = _build_identity()
        self.file = os.path.join(folder, blake2b(identity.encode(), digest_size=12).hexdigest())
        self.entries: dict[str, Any] = {}
        self.used: set[str] = set()
        self.added = 0
        with contextlib.suppress(Exception), open(self.file, "rb") as handle:
            loaded = marshal.loads(handle.read())
            if isinstance(loaded, dict):
                self.entries = loaded

    @staticmethod
    def key(display: str, data: bytes, options: bytes) -> str:
        """The entry key of a file's bytes, the name it is shown with and its `options_key`."""
        digest = blake2b(data, digest_size=16)
        digest.update(b"\0" + display.encode("utf-8", "surrogateescape") + b"\0" + options)
        return digest.hexdigest()

    def get(self, key: str) -> Plain | None:
        """The plain result stored under `key`, or None."""
        found = self.entries.get(key)
        if not _is_plain(found):
            return None
        self.used.add(key)
        return found

    def put(self, key: str, plain: Plain) -> None:
        """Remember a file's plain result."""
        if key not in self.entries:
            self.added += 1
        self.entries[key] = plain
        self.used.add(key)

    def save(self) -> None:
        """Write the entries if this run added any (atomically; failures are ignored)."""
        if not self.added:
            return
        entries = self.entries
        if len(entries) > MAX_ENTRIES:
            entries = {k: v for k, v in entries.items() if k in self.used}
        with contextlib.suppress(OSError, ValueError, TypeError):
            _prepare(self.folder)
            temporary = f"{self.file}.{os.getpid()}.tmp"
            handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            try:
                with os.fdopen(handle, "wb") as out:
                    out.write(marshal.dumps(entries))
                os.replace(temporary, self.file)
            finally:
                with contextlib.suppress(OSError):
                    os.unlink(temporary)


def _is_plain(found: Any) -> bool:
    """A stored entry of the expected shape (a file edited by hand or by another tool is not)."""
    return (
        isinstance(found, dict)
        and isinstance(found.get("findings"), list)
        and isinstance(found.get("text"), (str, type(None)))
        and isinstance(found.get("recommendation"), (dict, type(None)))
        and isinstance(found.get("declared"), (dict, type(None)))
        and isinstance(found.get("decoded"), bool)
    )


def _prepare(folder: str) -> None:
    if os.path.isdir(folder):
        return
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, ".gitignore"), "w", encoding="utf-8") as out:
        out.write("# Created by ai-strategy automatically.\n*\n")
    with open(os.path.join(folder, "CACHEDIR.TAG"), "w", encoding="utf-8") as out:
        out.write("Signature: 8a477f597d28d172789f06886806bc55\n# ai-strategy's result cache\n")


def open_cache() -> Cache:
    """The cache in $AI_STRATEGY_CACHE_DIR or ./.ai-strategy-cache."""
    return Cache(os.environ.get("AI_STRATEGY_CACHE_DIR") or FOLDER)
