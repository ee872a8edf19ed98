"""gitignore patterns, matched as git matches them: for folders outside a git work tree, and for
the `exclude` settings of `[tool.ai-strategy]`.

The rules are those of gitignore(5): a blank line or a `#` line matches nothing; `!` negates;
a trailing `/` matches folders only; a pattern with a `/` at its start or middle is anchored to
its base folder, any other matches a name at any depth; `*` and `?` never match `/`; `**/`,
`/**/` and a trailing `/**` match across folders. A folder is decided before anything inside it:
once it is excluded nothing below it is looked at (git cannot re-include a file of an excluded
folder either). Among the pattern lists that apply, the list nearest the path wins, and in a list
the last matching pattern (tests/test_discovery.py compares the walk with git itself).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class IgnorePattern:
    """One pattern line."""

    regex: re.Pattern[str]
    negated: bool
    folders_only: bool
    anchored: bool
    """Matched against the path from the base folder; otherwise against the name alone."""

    def matches(self, relative: str, name: str, is_dir: bool) -> bool:
        """True when the pattern matches this path (relative to the base folder, `/`-separated)."""
        if self.folders_only and not is_dir:
            return False
        return self.regex.fullmatch(relative if self.anchored else name) is not None


def parse_pattern(line: str) -> IgnorePattern | None:
    """The pattern of one gitignore line, or None for a blank line, a comment or a bad pattern."""
    line = line.rstrip("\n").rstrip("\r")
    line = _strip_trailing_spaces(line)
    if not line or line.startswith("#"):
        return None
    negated = line.startswith("!")
    if negated or line.startswith(("\\!", "\\#")):  # `\!` and `\#` start a literal name
        line = line[1:]
    folders_only = line.endswith("/") and not line.endswith("\\/")
    if folders_only:
        line = line.rstrip("/")
    if not line:
        return None
    anchored = "/" in line
    if line.startswith("/"):
        line = line[1:]
    regex = _translate(line)
    if regex is None:
        return None
    try:
        compiled = re.compile(regex, re.DOTALL)
    except re.error:  # a range such as [z-a]: git matches nothing with it either
        return None
    return IgnorePattern(compiled, negated, folders_only, anchored)


def parse_lines(lines: Iterable[str]) -> list[IgnorePattern]:
    """The patterns of a gitignore file's lines, in order."""
    return [p for p in map(parse_pattern, lines) if p is not None]


@dataclass(frozen=True)
class IgnoreList:
    """The patterns of one file (or setting) and the folder they are relative to (`/`-separated,
    "" for the folder everything is measured from)."""

    base: str
    patterns: Sequence[IgnorePattern]

    def decide(self, path: str, is_dir: bool) -> bool | None:
        """True (excluded) or False (re-included by a `!` pattern) when a pattern of this list
        matches `path` (relative to the same folder as `base`); None when none does."""
        if self.base:
            if not path.startswith(self.base + "/"):
                return None
            relative = path[len(self.base) + 1 :]
        else:
            relative = path
        name = relative.rsplit("/", 1)[-1]
        for pattern in reversed(self.patterns):
            if pattern.matches(relative, name, is_dir):
                return not pattern.negated
        return None


def is_ignored(lists: Sequence[IgnoreList], path: str, is_dir: bool) -> bool:
    """Whether `path` itself is excluded by `lists` (lowest precedence first, as git orders them:
    the global excludes file, `.git/info/exclude`, then `.gitignore` files from the top down).
    The folders above `path` are the caller's to decide first, as a walk does."""
    for ignore_list in reversed(lists):
        decided = ignore_list.decide(path, is_dir)
        if decided is not None:
            return decided
    return False


def _strip_trailing_spaces(line: str) -> str:
    """Trailing spaces are dropped unless escaped with a backslash."""
    end = len(line)
    while end > 0 and line[end - 1] == " ":
        if end > 1 and line[end - 2] == "\\":
            break
        end -= 1
    return line[:end]


def _translate(glob: str) -> str | None:
    """A regular expression equivalent to a gitignore glob (without its `!`, leading and trailing
    slash); None when the glob is malformed (git never matches those)."""
    out: list[str] = []
    i, n = 0, len(glob)
    while i < n:
        char = glob[i]
        if char == "*":
            if glob.startswith("**", i):
                after = i + 2
                at_folder_start = i == 0 or glob[i - 1] == "/"
                if at_folder_start and after == n:
                    out.append(".*")
                    i = after
                    continue
                if at_folder_start and glob[after] == "/":
                    out.append("(?:.*/)?")
                    i = after + 1
                    continue
            while i < n and glob[i] == "*":
                i += 1
            out.append("[^/]*")
            continue
        if char == "?":
            out.append("[^/]")
        elif char == "[":
            translated, end = _bracket(glob, i)
            if translated is None:
                out.append(re.escape("["))
            else:
                out.append(translated)
                i = end
                continue
        elif char == "\\":
            if i + 1 == n:
                return None
            i += 1
            out.append(re.escape(glob[i]))
        else:
            out.append(re.escape(char))
        i += 1
    return "".join(out)


def _bracket(glob: str, start: int) -> tuple[str | None, int]:
    """A `[...]` class starting at `start`: (its regex, the index after it), or (None, start)
    when it is not closed."""
    i = start + 1
    negated = i < len(glob) and glob[i] in "!^"
    if negated:
        i += 1
    members: list[str] = []
    first = True
    while i < len(glob):
        char = glob[i]
        if char == "]" and not first:
            body = "".join(members)
            regex = f"[^/{body}]" if negated else f"(?!/)[{body}]"
            return regex, i + 1
        first = False
        if char == "\\" and i + 1 < len(glob):
            i += 1
            char = glob[i]
        if i + 2 < len(glob) and glob[i + 1] == "-" and glob[i + 2] != "]":
            low, high = char, glob[i + 2]
            if high == "\\" and i + 3 < len(glob):
                high = glob[i + 3]
                i += 1
            members.append(f"{re.escape(low)}-{re.escape(high)}")
            i += 3
            continue
        members.append(re.escape(char))
        i += 1
    return None, start
