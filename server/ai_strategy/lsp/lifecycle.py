"""The session's life: initialize, initialized, workspace folders and watched files.

`initialize` only records what the client can do and the settings it sent: its answer goes out
before the engine is imported. `initialized` applies the settings and warms the engine in a
thread.
"""

from __future__ import annotations

import logging
import threading

from lsprotocol import types

from ..file_names import NAME_GLOB
from .features import Feature
from .positions import encoding_name
from .session import Session

log = logging.getLogger("ai_strategy.lsp")

WATCHED = f"**/{NAME_GLOB}"
"""The strategy files whose changes on disk the client is asked to report (with the pyproject.toml
files that hold project settings, project.py). Events are filtered through the file name matcher
anyway (`Session.files_changed`): a client's glob may match more."""


def initialize(session: Session, params: types.InitializeParams) -> None:
    """Decide push or pull diagnostics and the position encoding; keep the settings sent (they
    are checked against the rule codes at `initialized`, after the answer)."""
    session.configure_client(params.capabilities, encoding_name(session.server.workspace.position_encoding))
    session.initial_settings = params.initialization_options


def initialized(session: Session, params: types.InitializedParams) -> None:
    """Use the settings sent at initialize, warm the engine, watch the files (strategy files and
    pyproject.toml)."""
    if session.initial_settings is not None:
        problem = session.apply_settings(session.initial_settings)
        session.initial_settings = None
        if problem:
            session.show_error(problem)
    threading.Thread(target=_warm_up, name="ai-strategy-warm-up", daemon=True).start()
    _watch_files(session)
    if not session.pull:
        session.spawn(session.publish_workspace())


def did_change_workspace_folders(session: Session, params: types.DidChangeWorkspaceFoldersParams) -> None:
    """Folders were added or removed (pygls has updated its list): rescan and re-report."""
    session.folders_changed()


async def did_change_watched_files(session: Session, params: types.DidChangeWatchedFilesParams) -> None:
    """Strategy files changed on disk: re-check them."""
    await session.files_changed(params)


def _watch_files(session: Session) -> None:
    from .project import PYPROJECT_GLOB

    workspace = session.capabilities.workspace
    watched = workspace.did_change_watched_files if workspace else None
    if not (watched and watched.dynamic_registration):
        return
    options = types.DidChangeWatchedFilesRegistrationOptions(
        watchers=[types.FileSystemWatcher(glob_pattern=glob) for glob in (WATCHED, PYPROJECT_GLOB)]
    )
    registration = types.Registration(
        id="ai-strategy-watched-files",
        method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
        register_options=options,
    )
    session.server.client_register_capability(types.RegistrationParams(registrations=[registration]))


def _warm_up() -> None:
    """Import the core and analyse a tiny file, so the first real request is fast."""
    try:
        from ..analysis import analyse

        report = analyse('version = 1\n[strategy]\napproach = "rag"\n[task]\ntype = "qa"\n')
        if report.document is not None:
            report.document.outline  # noqa: B018 - builds the tree-sitter parser
    except Exception:
        log.exception("warm-up failed")


FEATURES = (
    Feature(types.INITIALIZE, initialize),
    Feature(types.INITIALIZED, initialized),
    Feature(types.WORKSPACE_DID_CHANGE_WORKSPACE_FOLDERS, did_change_workspace_folders),
    Feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES, did_change_watched_files),
)
