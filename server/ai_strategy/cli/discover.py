"""Finding the files to check: explicit files, and every ai-strategy.toml below given folders.

Folders are walked without following symlinks into loops; `.git`, `node_modules`, virtual
environments and whatever the enclosing git repository ignores (`.gitignore` files and
`.git/info/exclude`) are skipped.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

FILE_NAME = "ai-strategy.toml"
SKIPPED_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        "node_modules",
        ".venv",
        "venv",
        ".tox",
        ".nox",
        "__pycache__",
        ".mypy_cache",
        ".ruff_cache",
        ".pytest_cache",
        "site-packages",
        ".direnv",
    }
)


class DiscoveryError(Exception):
    """A path given on the command line cannot be used (missing, unreadable)."""


@dataclass(frozen=True)
class Target:
    """A file to check, and the name to show for it."""

    path: Path
    display: str


def _is_virtualenv(directory: Path) -> bool:
    return (directory / "pyvenv.cfg").is_file()


def _git_root(start: Path) -> Path | None:
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return folder
    return None


class _Ignores:
    """The .gitignore rules that apply below a git root, read as folders are entered."""

    def __init__(self, root: Path | None) -> None:
        self.root = root
        self.specs: list[tuple[Path, Any]] = []
        if root is not None:
            self._load(root / ".git" / "info" / "exclude", root)

    def _load(self, file: Path, base: Path) -> None:
        try:
            lines = file.read_text("utf-8", "replace").splitlines()
        except OSError:
            return
        if not any(line.strip() and not line.startswith("#") for line in lines):
            return
        import pathspec

        self.specs.append((base, pathspec.GitIgnoreSpec.from_lines(lines)))

    def enter(self, directory: Path) -> None:
        if self.root is not None:
            self._load(directory / ".gitignore", directory)

    def ignored(self, path: Path, is_dir: bool) -> bool:
        for base, spec in self.specs:
            try:
                relative = path.relative_to(base).as_posix()
            except ValueError:
                continue
            if spec.match_file(relative + ("/" if is_dir else "")):
                return True
        return False


def _walk(folder: Path) -> Iterator[Path]:
    root = _git_root(folder.resolve())
    ignores = _Ignores(root)
    if root is not None:
        resolved = folder.resolve()
        # rules of the folders between the git root and the starting folder apply too
        for parent in reversed([resolved, *resolved.parents]):
            if parent == root or root in parent.parents:
                ignores.enter(parent)
    else:
        ignores.enter(folder)
    seen: set[tuple[int, int]] = set()
    stack = [folder]
    while stack:
        current = stack.pop()
        try:
            stat = current.stat()
        except OSError:
            continue
        if (stat.st_dev, stat.st_ino) in seen:
            continue  # a symlink loop or a folder reached twice
        seen.add((stat.st_dev, stat.st_ino))
        try:
            entries = sorted(os.scandir(current), key=lambda e: e.name)
        except OSError:
            continue
        subfolders = []
        for entry in entries:
            path = Path(entry.path)
            try:
                is_dir = entry.is_dir()
            except OSError:
                continue
            if is_dir:
                if entry.name in SKIPPED_DIRS or _is_virtualenv(path):
                    continue
                if root is not None and ignores.ignored(
                    path.resolve() if entry.is_symlink() else path.absolute(), True
                ):
                    continue
                subfolders.append(path)
            elif entry.name == FILE_NAME:
                if root is not None and ignores.ignored(path.absolute(), False):
                    continue
                yield path
        for sub in reversed(subfolders):
            if root is not None:
                ignores.enter(sub.absolute())
            stack.append(sub)


def discover(paths: list[str]) -> tuple[list[Target], list[str]]:
    """(files to check, notes for stderr); raise DiscoveryError for a path that does not exist."""
    targets: list[Target] = []
    notes: list[str] = []
    for raw in paths or ["."]:
        path = Path(raw)
        info = _stat(path)  # one stat for what is_dir() then exists() found out with two
        if info is not None and stat.S_ISDIR(info.st_mode):
            found = []
            for file in _walk(path):
                if file.is_file():
                    found.append(Target(file, _display(file)))
                else:  # reading a pipe or a device found by a walk could block or never end
                    notes.append(
                        f"{_display(file)}: not a regular file (a broken link, pipe or device); skipped"
                    )
            if not found:
                notes.append(f"no {FILE_NAME} found in {raw}")
            targets.extend(found)
        elif info is not None:
            targets.append(Target(path, _display(path)))
        elif path.is_symlink():
            raise DiscoveryError(f"{raw}: broken symbolic link")
        else:
            raise DiscoveryError(f"{raw}: no such file or directory")
    unique: dict[str, Target] = {}
    for target in targets:
        unique.setdefault(target.display, target)
    return list(unique.values()), notes


_MISSING = (errno.ENOENT, errno.ENOTDIR, errno.EBADF, errno.ELOOP)
_MISSING_ON_WINDOWS = (21, 123, 1921)  # pathlib ignores these too


def _stat(path: Path) -> os.stat_result | None:
    """The path's status; None where pathlib's is_dir() and exists() answer False."""
    try:
        return os.stat(path)
    except OSError as error:
        if error.errno in _MISSING or getattr(error, "winerror", None) in _MISSING_ON_WINDOWS:
            return None
        raise
    except ValueError:  # a NUL in the name
        return None


def _display(path: Path) -> str:
    text = os.path.normpath(str(path))
    return text[2:] if text.startswith("./") else text
