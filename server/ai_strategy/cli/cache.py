"""The result cache of `check`: files that had nothing to report are not analysed again.

Like ruff's cache: `.ai-strategy-cache/` in the current folder (or `$AI_STRATEGY_CACHE_DIR`),
one file per (ai-strategy build, lint options). An entry is keyed by a hash of the file's path and
bytes, and holds the clean report (its text and recommendation). Only files with no findings are
cached: a file with findings is analysed every time, through the normal path, so what is printed
for it is always computed now. The build's identity is its version plus the size and mtime of every
file of the package, so an edited or upgraded ai-strategy never reads an older build's entries.
A cache that cannot be read or written is ignored: it can make a run faster, never different.

`check --no-cache` neither reads nor writes it.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import sys
from typing import Any

from .. import __version__
from ..analysis import LintOptions

try:  # the blake2 module alone: hashlib would load OpenSSL, which costs more than it hashes here
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - Python builds without it
    from hashlib import blake2b

FOLDER = ".ai-strategy-cache"

MAX_ENTRIES = 100_000
"""Entries kept; beyond this only those used by the last run are kept."""


def _build_identity() -> str:
    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    stamps = [__version__, sys.version]
    for folder, dirs, files in os.walk(package):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            if name.endswith((".py", ".json", ".toml")):
                with contextlib.suppress(OSError):
                    info = os.stat(os.path.join(folder, name))
                    stamps.append(f"{folder}/{name}:{info.st_size}:{info.st_mtime_ns}")
    return "\n".join(stamps)


class _Unpickler(pickle.Unpickler):
    """Plain data and the report's own dataclasses only. The cache lives in the checked folder,
    where anyone who can commit to a repository can plant a file: loading it must never run code
    (a plain `pickle.load` calls whatever the file names)."""

    ALLOWED = frozenset(
        {
            ("ai_strategy.recommend", "Block"),
            ("ai_strategy.recommend", "Contribution"),
            ("ai_strategy.recommend", "Recommendation"),
        }
    )

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in self.ALLOWED:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not allowed in the cache")


class Cache:
    """The entries of one (build, options) pair, loaded at start and saved at the end."""

    def __init__(self, folder: str, options: LintOptions) -> None:
        self.folder = folder
        identity = (
            _build_identity()
            + "\n"
            + repr((options.select, options.ignore, sorted(options.severity.items())))
        )
        self.file = os.path.join(folder, blake2b(identity.encode(), digest_size=12).hexdigest())
        self.entries: dict[bytes, Any] = {}
        self.used: set[bytes] = set()
        self.added = 0
        with contextlib.suppress(Exception), open(self.file, "rb") as handle:
            loaded = _Unpickler(handle).load()
            if isinstance(loaded, dict):
                self.entries = loaded

    @staticmethod
    def key(display: str, data: bytes) -> bytes:
        """The entry key of a file's bytes under the name it is shown with."""
        digest = blake2b(data, digest_size=16)
        digest.update(b"\0" + display.encode("utf-8", "surrogateescape"))
        return digest.digest()

    def get(self, key: bytes) -> Any:
        """The packed clean report stored under `key`, or None."""
        found = self.entries.get(key)
        if found is not None:
            self.used.add(key)
        return found

    def put(self, key: bytes, packed: Any) -> None:
        """Remember the packed clean report of a file."""
        if key not in self.entries:
            self.added += 1
        self.entries[key] = packed
        self.used.add(key)

    def save(self) -> None:
        """Write the entries if this run added any (atomically; failures are ignored)."""
        if not self.added:
            return
        entries = self.entries
        if len(entries) > MAX_ENTRIES:
            entries = {k: v for k, v in entries.items() if k in self.used}
        with contextlib.suppress(OSError, pickle.PicklingError):
            _prepare(self.folder)
            temporary = f"{self.file}.{os.getpid()}.tmp"
            handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            try:
                with os.fdopen(handle, "wb") as out:
                    pickle.dump(entries, out, pickle.HIGHEST_PROTOCOL)
                os.replace(temporary, self.file)
            finally:
                with contextlib.suppress(OSError):
                    os.unlink(temporary)


def _prepare(folder: str) -> None:
    if os.path.isdir(folder):
        return
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, ".gitignore"), "w", encoding="utf-8") as out:
        out.write("# Created by ai-strategy automatically.\n*\n")
    with open(os.path.join(folder, "CACHEDIR.TAG"), "w", encoding="utf-8") as out:
        out.write("Signature: 8a477f597d28d172789f06886806bc55\n# ai-strategy's result cache\n")


def open_cache(options: LintOptions) -> Cache:
    """The cache for these options, in $AI_STRATEGY_CACHE_DIR or ./.ai-strategy-cache."""
    return Cache(os.environ.get("AI_STRATEGY_CACHE_DIR") or FOLDER, options)
