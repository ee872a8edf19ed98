"""Finding the files to check: explicit files, and every strategy file below given folders.

In a git work tree, a folder's files are those git itself lists there (`git ls-files --cached
--others --exclude-standard`: tracked files, plus untracked ones that no `.gitignore`,
`.git/info/exclude` or `core.excludesFile` rule ignores), so the check sees what the repository
holds. Without git, or outside a work tree, the folder is walked and the `.gitignore` files found
are applied as git applies them (ignore_patterns.py). Either way only strategy files count
(file_names.py), below folders that are neither skipped by default nor excluded by the project's
settings (project_settings.py), nor a virtual environment.

Nothing outside a walked folder is read: folder symlinks are not followed (git does not follow
them either), and a strategy file that is a symlink resolving outside the folder, or is not a
regular file (a pipe or a device could block or never end), is skipped with a note.
"""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .file_names import STRATEGY_FILE, is_strategy_file_name
from .project_settings import ProjectSettings, settings_for_folder

if TYPE_CHECKING:
    from .ignore_patterns import IgnoreList

GIT_TIMEOUT_S = 60


class DiscoveryError(Exception):
    """A path given on the command line cannot be used (missing, unreadable)."""


@dataclass(frozen=True)
class Target:
    """A file to check, the name to show for it, and the project settings that govern it."""

    path: str | Path
    """Where to read it (a file named on the command line keeps the name it was given)."""
    display: str
    settings: ProjectSettings


def discover(paths: list[str]) -> tuple[list[Target], list[str]]:
    """(files to check, notes for stderr); DiscoveryError for a path that does not exist,
    SettingsError (project_settings.py) for invalid settings of a checked file."""
    targets: list[Target] = []
    notes: list[str] = []
    cwd = os.getcwd()
    settings_of: dict[str, ProjectSettings] = {}  # by the folder as given: files often share one
    for raw in paths or ["."]:
        info = _stat(raw)  # one stat for what is_dir() then exists() found out with two
        if info is not None and stat.S_ISDIR(info.st_mode):
            found = _files_below(Path(raw), notes)
            if not found:
                notes.append(f"no {STRATEGY_FILE} found in {raw}")
            targets.extend(found)
        elif info is not None:  # a file: its folder's settings, with no stat to find that out
            folder = os.path.dirname(raw)
            settings = settings_of.get(folder)
            if settings is None:
                # os.path.abspath, with the working folder asked once, not once a file
                settings = settings_of[folder] = settings_for_folder(
                    os.path.normpath(os.path.join(cwd, folder))
                )
            targets.append(Target(raw, _display(raw), settings))
        elif Path(raw).is_symlink():
            raise DiscoveryError(f"{raw}: broken symbolic link")
        else:
            raise DiscoveryError(f"{raw}: no such file or directory")
    unique: dict[str, Target] = {}
    for target in targets:
        unique.setdefault(target.display, target)
    return list(unique.values()), notes


def _files_below(folder: Path, notes: list[str]) -> list[Target]:
    """The strategy files below `folder` that are checked, in walk order (a folder's files, then
    its subfolders, each by name); notes say what was skipped and why."""
    listed = git_listing(folder)
    candidates = listed if listed is not None else walk_with_gitignore(folder)
    root = os.path.realpath(folder)
    skipped = _SkippedFolders(os.path.abspath(folder))
    kept = []
    for relative in sorted(candidates, key=_walk_order):
        path = os.path.join(folder, relative)
        settings = skipped.settings_unless_hidden(relative)
        if settings is None:
            continue
        try:
            info = os.lstat(path)
            if stat.S_ISLNK(info.st_mode):
                if os.path.commonpath([root, os.path.realpath(path)]) != root:
                    notes.append(f"{_display(path)}: a symbolic link to a file outside {folder}; skipped")
                    continue
                info = os.stat(path)
            regular = stat.S_ISREG(info.st_mode)
        except OSError:
            if listed is not None and not os.path.lexists(path):
                continue  # tracked, but deleted from the work tree
            regular = False
        if not regular:
            notes.append(f"{_display(path)}: not a regular file (a broken link, pipe or device); skipped")
            continue
        kept.append(Target(Path(path), _display(path), settings))
    return kept


def git_listing(folder: Path) -> list[str] | None:
    """The strategy files git lists below `folder` (relative, `/`-separated), or None when git
    is not installed or `folder` is not in a git work tree."""
    import subprocess  # here: checking files named on the command line starts no process

    try:
        listed = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=folder,
            capture_output=True,
            timeout=GIT_TIMEOUT_S,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if listed.returncode != 0:
        return None
    names = os.fsdecode(listed.stdout).split("\0")
    return list(dict.fromkeys(n for n in names if n and is_strategy_file_name(n.rsplit("/", 1)[-1])))


def walk_with_gitignore(folder: Path) -> list[str]:
    """The strategy files below `folder` that git would list as untracked: `.gitignore` files
    (and, inside a repository, `.git/info/exclude` and the global excludes file) applied as
    git applies them. Folders named `.git`, and nested repositories, are not entered."""
    from .ignore_patterns import is_ignored  # here: files named on the command line need none of it

    start = Path(os.path.abspath(folder))
    repository = next((p for p in (start, *start.parents) if (p / ".git").exists()), None)
    top = repository or start
    lists: list[IgnoreList] = []
    if repository is not None:
        for file in (_global_excludes(), repository / ".git" / "info" / "exclude"):
            lists.extend(_ignore_list(file, ""))
    # the folders from the top down to `folder`: their rules apply, and any of them may be ignored
    steps = [p for p in reversed((start, *start.parents)) if p == top or top in p.parents]
    for step in steps:
        relative = step.relative_to(top).as_posix() if step != top else ""
        if relative and is_ignored(lists, relative, True):
            return []
        lists.extend(_ignore_list(step / ".gitignore", relative))
    base = start.relative_to(top).as_posix() if start != top else ""
    found: list[str] = []
    _walk(str(start), base, lists, found, rules_read=True)
    return [name[len(base) + 1 :] if base else name for name in found]


def _walk(
    folder: str, relative_folder: str, lists: list[IgnoreList], found: list[str], rules_read: bool = False
) -> None:
    """Collect the strategy files below `folder` (`relative_folder` from the top of the rules);
    its own `.gitignore` is read here unless `rules_read`."""
    from .ignore_patterns import is_ignored

    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return
    if not rules_read and any(entry.name == ".gitignore" for entry in entries):
        lists = lists + _ignore_list(Path(folder) / ".gitignore", relative_folder)
    prefix = relative_folder + "/" if relative_folder else ""
    for entry in entries:
        relative = prefix + entry.name
        try:
            is_dir = entry.is_dir(follow_symlinks=False)
        except OSError:
            continue
        if is_dir:
            if entry.name == ".git" or os.path.lexists(os.path.join(entry.path, ".git")):
                continue
            if lists and is_ignored(lists, relative, True):
                continue
            _walk(entry.path, relative, lists, found)
        elif is_strategy_file_name(entry.name) and not (lists and is_ignored(lists, relative, False)):
            found.append(relative)


def _ignore_list(file: Path, base: str) -> list[IgnoreList]:
    from .ignore_patterns import IgnoreList, parse_lines

    try:
        lines = file.read_text("utf-8", "replace").splitlines()
    except OSError:
        return []
    patterns = parse_lines(lines)
    return [IgnoreList(base, patterns)] if patterns else []


def _global_excludes() -> Path:
    """git's default `core.excludesFile`: $XDG_CONFIG_HOME/git/ignore (else ~/.config/git/ignore)."""
    config = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    return Path(config) / "git" / "ignore"


class _SkippedFolders:
    """Which found files lie in a folder the check skips: a default-skipped or excluded folder
    (project settings), a virtual environment, or are excluded files themselves. Decided folder
    by folder from the walked folder down, each folder once."""

    def __init__(self, folder: str) -> None:
        self.folder = folder
        self.decided: dict[str, ProjectSettings | None] = {"": settings_for_folder(folder)}

    def settings_unless_hidden(self, relative: str) -> ProjectSettings | None:
        """The settings of the file at `relative`, or None when it is not checked."""
        parent, _, name = relative.rpartition("/")
        settings = self._folder(parent)
        if settings is None or settings.excludes(os.path.join(self.folder, relative), name, is_dir=False):
            return None
        return settings

    def _folder(self, relative: str) -> ProjectSettings | None:
        """The settings of the folder at `relative`, or None when it is skipped."""
        if relative in self.decided:
            return self.decided[relative]
        parent, _, name = relative.rpartition("/")
        above = self._folder(parent)
        path = os.path.join(self.folder, relative)
        settings: ProjectSettings | None = None
        if (
            above is not None
            and name != ".git"
            and not above.excludes(path, name, is_dir=True)
            and not os.path.isfile(os.path.join(path, "pyvenv.cfg"))
        ):
            settings = settings_for_folder(path)
        self.decided[relative] = settings
        return settings


def _walk_order(relative: str) -> tuple[tuple[int, str], ...]:
    """A folder's files before its subfolders, each by name (the order of a depth-first walk)."""
    *folders, name = relative.split("/")
    return (*((1, part) for part in folders), (0, name))


_MISSING = (errno.ENOENT, errno.ENOTDIR, errno.EBADF, errno.ELOOP)
_MISSING_ON_WINDOWS = (21, 123, 1921)  # pathlib ignores these too


def _stat(path: str | Path) -> os.stat_result | None:
    """The path's status; None where pathlib's is_dir() and exists() answer False."""
    try:
        return os.stat(path)
    except OSError as error:
        if error.errno in _MISSING or getattr(error, "winerror", None) in _MISSING_ON_WINDOWS:
            return None
        raise
    except ValueError:  # a NUL in the name
        return None


def _display(path: Path | str) -> str:
    text = os.path.normpath(path)
    return text[2:] if text.startswith("./") else text
