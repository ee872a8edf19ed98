"""Settings from the client: the session's, and each workspace folder's `resource` ones.

The session's settings come with `initializationOptions` and `workspace/didChangeConfiguration`
(or, when that notification carries none, by asking `workspace/configuration`). In a multi-root
workspace the settings declared with scope `resource` (settings.py) may differ per folder: when
the client answers `workspace/configuration`, the server asks with each open document as the
scopeUri, and with each workspace folder for the files on disk that are not open. A null answer
means the client has nothing particular there: the session's settings apply.
"""

from __future__ import annotations

from lsprotocol import types

from ..settings import SECTION, EditorSettings, SettingsError
from .documents import OpenDocument
from .features import Feature
from .session import Session, settings_problem


async def ask(session: Session, scope_uri: str | None) -> tuple[EditorSettings | None, str | None]:
    """The settings the client has for a scope (None: nothing particular), and the problem to
    show when they cannot be used."""
    item = types.ConfigurationItem(scope_uri=scope_uri, section=SECTION)
    answer = await session.server.workspace_configuration_async(types.ConfigurationParams(items=[item]))
    raw = answer[0] if answer else None
    if raw is None:
        return None, None
    try:
        return session.parse_settings(raw), None
    except SettingsError as error:
        return None, settings_problem(error)


async def read_folder_settings(session: Session, doc: OpenDocument) -> tuple[bool, str | None]:
    """Ask for the settings of the document's folder (the document as scopeUri) and use them for
    it: (whether the settings that apply to it changed, the problem to show)."""
    folder, problem = await ask(session, doc.uri)
    if doc.closed:
        return False, None
    return session.set_folder_settings(doc, folder), problem


async def use_folder_settings(session: Session, doc: OpenDocument) -> None:
    """A document was opened: use its folder's settings; re-check what the client shows if they
    change anything."""
    changed, problem = await read_folder_settings(session, doc)
    if problem:
        session.show_error(problem)
    if changed:
        session.refresh()


async def disk_file_settings(session: Session, uri: str) -> EditorSettings:
    """The settings for a file on disk: its workspace folder's (asked once per folder), else the
    session's."""
    if not session.can_pull_configuration():
        return session.settings
    folder = _workspace_folder_of(session, uri)
    if folder is None:
        return session.settings
    if folder not in session.workspace_folder_settings:
        session.workspace_folder_settings[folder] = (await ask(session, folder))[0]
    settings = session.workspace_folder_settings.get(folder)
    return session.settings if settings is None else session.settings.with_folder(settings)


def _workspace_folder_of(session: Session, uri: str) -> str | None:
    try:
        folders = [f.uri.rstrip("/") for f in session.server.workspace.folders.values()]
    except RuntimeError:  # not initialized
        return None
    inside = [f for f in folders if uri.startswith(f + "/")]
    return max(inside, key=len) if inside else None


async def did_change_configuration(session: Session, params: types.DidChangeConfigurationParams) -> None:
    """New settings: sent with the notification, or asked for (the session's, then each open
    document's folder's); everything the client shows is recomputed when they change."""
    raw = params.settings
    if not raw and session.can_pull_configuration():
        raw = await _session_settings(session)
    generation = session.generation
    problems = [session.apply_settings(raw)]
    session.folders_forgotten()
    if session.can_pull_configuration():
        for doc in list(session.documents.values()):
            problems.append((await read_folder_settings(session, doc))[1])
    for problem in dict.fromkeys(p for p in problems if p):
        session.show_error(problem)
    if session.generation != generation:
        session.refresh()


async def _session_settings(session: Session) -> object:
    item = types.ConfigurationItem(section=SECTION)
    answer = await session.server.workspace_configuration_async(types.ConfigurationParams(items=[item]))
    return answer[0] if answer else None


FEATURES = (Feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION, did_change_configuration),)
