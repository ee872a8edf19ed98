"""Project settings from `pyproject.toml`, as ruff users expect them.

```toml
[tool.ai-strategy]
exclude = ["legacy/"]          # replaces the folders skipped by default (file_names.SKIPPED_DIRS)
extend-exclude = ["drafts/"]   # adds to them
fail-on = "warning"            # error | warning | info, as `check --fail-on`

[tool.ai-strategy.lint]        # same meaning as a file's own [lint] table
select = ["AIS0", "AIS1"]
ignore = ["AIS117"]
severity = { AIS105 = "error" }
```

A file is governed by the nearest `pyproject.toml` with a `[tool.ai-strategy]` table in its
folder or above (a `pyproject.toml` without one is passed over, as ruff does). Exclude patterns
are gitignore patterns (`ignore_patterns.py`) relative to that file's folder. A file's own `[lint]`
wins for that file: its `select` replaces the project's, its `severity` overrides the project's,
and the two `ignore` lists add up. Invalid settings raise SettingsError naming the file and the key.

Front ends: `settings_for(path)` gives a file's settings, and `settings.lint_options(...)` the
options to pass to `analyse` with the front end's own choices over them. The command line does so
for every file it checks, the language server for each document (lsp/project.py); the settings of
a folder are read once per process, and `forget_settings()` drops them after a `pyproject.toml`
changes.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import tomli

from .file_names import SKIPPED_DIRS
from .findings import Severity
from .rules import is_selector

if TYPE_CHECKING:
    from .analysis import LintOptions
    from .ignore_patterns import IgnoreList

PYPROJECT = "pyproject.toml"
SECTION = "ai-strategy"
SEVERITIES = tuple(s.value for s in Severity)
_TOOL_KEYS = ("exclude", "extend-exclude", "fail-on", "lint")
_LINT_KEYS = ("select", "ignore", "severity")


@dataclass(frozen=True)
class LintTable:
    """What a `[lint]` table says: codes or prefixes selected and ignored, severity per code."""

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    severity: Mapping[str, str] = field(default_factory=dict)


class SettingsError(Exception):
    """Invalid project settings: the message names the file and the key."""


@dataclass(frozen=True)
class ProjectSettings:
    """The settings that govern the files below one folder."""

    source: Path | None = None
    """The pyproject.toml they come from (None: no settings, the defaults)."""
    exclude: tuple[str, ...] | None = None
    """Exclude patterns; None keeps the default skipped folders."""
    extend_exclude: tuple[str, ...] = ()
    fail_on: str | None = None
    lint: LintTable = field(default_factory=LintTable)

    @cached_property
    def _exclusion(self) -> IgnoreList | None:
        """The exclude patterns; None when they are the default folder names alone."""
        if self.exclude is None and not self.extend_exclude:
            return None
        from .ignore_patterns import IgnoreList, parse_lines  # here: most runs exclude nothing

        names = [f"{name}/" for name in sorted(SKIPPED_DIRS)] if self.exclude is None else self.exclude
        return IgnoreList("", parse_lines([*names, *self.extend_exclude]))

    def lint_options(
        self,
        select: Sequence[str] = (),
        ignore: Sequence[str] = (),
        severity: Mapping[str, str] | None = None,
    ) -> LintOptions:
        """The options to analyse a file these settings govern with, a front end's own choices
        added (the command line's flags, the editor's settings): how they combine with this
        table and with the file's own [lint] is `LintOptions`' (analysis.py)."""
        from .analysis import LintOptions

        return LintOptions(tuple(select), tuple(ignore), dict(severity or {}), self.lint)

    def excludes(self, path: str, name: str, is_dir: bool) -> bool:
        """Whether an exclude pattern matches `path` itself (an absolute path below the settings'
        folder, whose last part is `name`; its folders above are decided first, by the walk)."""
        exclusion = self._exclusion
        if exclusion is None:
            return is_dir and name in SKIPPED_DIRS
        from .ignore_patterns import is_ignored

        root = os.path.dirname(self.source) if self.source is not None else os.sep
        relative = os.path.relpath(path, root).replace(os.sep, "/")
        return is_ignored([exclusion], relative, is_dir)


DEFAULTS = ProjectSettings()
_BY_FOLDER: dict[str, ProjectSettings] = {}


def settings_for(path: Path) -> ProjectSettings:
    """The settings of a file or folder: from the nearest pyproject.toml with [tool.ai-strategy]
    at or above its folder; DEFAULTS when there is none. SettingsError when they are invalid."""
    absolute = os.path.abspath(path)
    return _settings_of_folder(absolute if os.path.isdir(absolute) else os.path.dirname(absolute))


def settings_for_folder(folder: str) -> ProjectSettings:
    """The settings of the files in `folder` (known to be a folder: no stat to find out)."""
    return _settings_of_folder(folder if os.path.isabs(folder) else os.path.abspath(folder))


def forget_settings() -> None:
    """Drop the settings read so far (after a pyproject.toml was created, edited or removed)."""
    _BY_FOLDER.clear()


def _settings_of_folder(folder: str) -> ProjectSettings:
    known = _BY_FOLDER.get(folder)
    if known is not None:
        return known
    found = _read(os.path.join(folder, PYPROJECT))
    if found is None:
        parent = os.path.dirname(folder)
        found = DEFAULTS if parent == folder else _settings_of_folder(parent)
    _BY_FOLDER[folder] = found
    return found


def _read(file: str) -> ProjectSettings | None:
    """The settings of one pyproject.toml; None when it is missing or has no [tool.ai-strategy]."""
    if not os.path.isfile(file):  # the common case, cheaper than a failed open
        return None
    try:
        with open(file, "rb") as handle:
            data = handle.read()
    except OSError:
        return None
    if SECTION.encode() not in data:  # most pyproject.toml files are not ours: no parse
        return None
    try:
        values = tomli.loads(data.decode("utf-8-sig"))
    except (ValueError, RecursionError) as error:  # TOMLDecodeError and UnicodeDecodeError too
        raise SettingsError(f"{file}: not valid TOML ({error})") from error
    tool = values.get("tool")
    table = tool.get(SECTION) if isinstance(tool, dict) else None
    if table is None:
        return None
    return parse_settings(table, Path(file))


def parse_settings(table: Any, source: Path) -> ProjectSettings:
    """Validate a `[tool.ai-strategy]` table; SettingsError names the first bad key."""
    where = f"{source}: [tool.{SECTION}]"
    if not isinstance(table, dict):
        raise SettingsError(f"{where} must be a table")
    for key in table:
        if key not in _TOOL_KEYS:
            raise SettingsError(f"{where} has no setting {key!r} (known: {', '.join(_TOOL_KEYS)})")
    fail_on = table.get("fail-on")
    if fail_on is not None and fail_on not in SEVERITIES:
        raise SettingsError(f"{where} fail-on = {fail_on!r} is not one of {', '.join(SEVERITIES)}")
    exclude = _strings(table, "exclude", where) if "exclude" in table else None
    lint = table.get("lint", {})
    if not isinstance(lint, dict):
        raise SettingsError(f"{where} lint must be a table")
    return ProjectSettings(
        source=source,
        exclude=exclude,
        extend_exclude=_strings(table, "extend-exclude", where),
        fail_on=fail_on,
        lint=_lint_table(lint, f"{source}: [tool.{SECTION}.lint]"),
    )


def _lint_table(lint: Mapping[str, Any], where: str) -> LintTable:
    for key in lint:
        if key not in _LINT_KEYS:
            raise SettingsError(f"{where} has no setting {key!r} (known: {', '.join(_LINT_KEYS)})")
    codes = {}
    for key in ("select", "ignore"):
        codes[key] = _strings(lint, key, where)
        for code in codes[key]:
            if not is_selector(code):
                raise SettingsError(
                    f"{where} {key}: {code!r} is not a rule code or prefix (like AIS105 or AIS1)"
                )
    severity = lint.get("severity", {})
    if not isinstance(severity, dict):
        raise SettingsError(f"{where} severity must be a table of code = level")
    for code, level in severity.items():
        if not is_selector(code) or len(code) != 6:
            raise SettingsError(f"{where} severity: {code!r} is not a rule code (like AIS105)")
        if level not in SEVERITIES:
            raise SettingsError(f"{where} severity.{code} = {level!r} is not one of {', '.join(SEVERITIES)}")
    return LintTable(codes["select"], codes["ignore"], dict(severity))


def _strings(table: Mapping[str, Any], key: str, where: str) -> tuple[str, ...]:
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise SettingsError(f"{where} {key} must be a list of strings")
    return tuple(value)
