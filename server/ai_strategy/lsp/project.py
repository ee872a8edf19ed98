"""Project settings and the workspace's strategy files, as `ai-strategy check` reads and finds them.

A document is analysed with the settings of the nearest `pyproject.toml` that has a
`[tool.ai-strategy]` table (project_settings.py), the editor's own settings added as the command
line adds its flags (`ProjectSettings.lint_options`). The workspace diagnostics cover the files
`ai-strategy check FOLDER` checks in each workspace folder (discovery.py: git's file set, the
folders skipped by default, `exclude` and `extend-exclude`).

Settings are read once per folder. The server watches `pyproject.toml` files and reads them again
after one changes (`forget`). Invalid settings never stop the server: the defaults apply, the
problem (naming the file and the key) is logged and shown once until a `pyproject.toml` changes.
"""

from __future__ import annotations

import logging
import os
from typing import TYPE_CHECKING

from ..project_settings import PYPROJECT

if TYPE_CHECKING:
    from ..project_settings import ProjectSettings
    from .session import Session

log = logging.getLogger("ai_strategy.lsp")

PYPROJECT_GLOB = f"**/{PYPROJECT}"
"""The files the client is asked to watch for project settings."""
MAX_WORKSPACE_FILES = 5000
"""Most strategy files a workspace scan reports (a bound for huge monorepos)."""


def is_pyproject(path: str) -> bool:
    """True for a path named pyproject.toml."""
    return os.path.basename(path) == PYPROJECT


def settings_of(session: Session, path: str | None) -> ProjectSettings:
    """The project settings of a file (None: a document that is not a file: the defaults).

    Invalid settings give the defaults, their problem shown once (module docstring).
    """
    from ..project_settings import DEFAULTS, SettingsError, settings_for_folder

    if path is None:
        return DEFAULTS
    try:
        return settings_for_folder(os.path.dirname(os.path.abspath(path)))
    except SettingsError as error:
        show_problem(session, str(error))
        return DEFAULTS


def show_problem(session: Session, problem: str) -> None:
    """Log invalid project settings and show them to the user, once until they change."""
    if problem in session.project_problems:
        return
    session.project_problems.add(problem)
    session.show_error(f"ai-strategy: invalid project settings ({problem}); using the defaults instead.")


def forget(session: Session) -> None:
    """A pyproject.toml changed: read the settings again, and show their problems again."""
    from ..project_settings import forget_settings

    forget_settings()
    session.project_problems.clear()


def workspace_strategy_files(roots: list[str]) -> tuple[list[str], list[str]]:
    """(the strategy files `ai-strategy check ROOT` checks in each root, the settings problems
    met). Runs in a worker thread: problems are returned, for the event loop to show; a root
    whose settings are invalid reports no files (as `check` exits 2 on it)."""
    from ..discovery import DiscoveryError, discover
    from ..project_settings import SettingsError

    found: list[str] = []
    problems: list[str] = []
    for root in roots:
        try:
            targets, notes = discover([root])
        except SettingsError as error:
            problems.append(str(error))
            continue
        except (DiscoveryError, OSError) as error:
            log.warning("workspace folder %s: %s", root, error)
            continue
        for note in notes:
            log.info("workspace folder %s: %s", root, note)
        found.extend(str(target.path) for target in targets)
        if len(found) >= MAX_WORKSPACE_FILES:
            return found[:MAX_WORKSPACE_FILES], problems
    return found, problems
