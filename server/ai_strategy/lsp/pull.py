"""Pulled diagnostics (LSP 3.17): `textDocument/diagnostic` and `workspace/diagnostic`.

A result id names the text revision and the settings it was computed with, so a client that asks
again about an unchanged document gets an "unchanged" report instead of the whole list.
"""

from __future__ import annotations

import asyncio

from lsprotocol import types

from . import NAME
from .features import Feature
from .session import Session


def _result_id(session: Session, revision: int | str) -> str:
    return f"{revision}:{session.generation}"


async def document_report(
    session: Session, params: types.DocumentDiagnosticParams
) -> types.DocumentDiagnosticReport:
    """The diagnostics of one open document (empty for documents that are not strategy files)."""
    found = await session.current(params.text_document.uri)
    if found is None:
        return types.RelatedFullDocumentDiagnosticReport(items=[])
    doc, analysis = found
    result_id = _result_id(session, doc.revision)
    if params.previous_result_id == result_id:
        return types.RelatedUnchangedDocumentDiagnosticReport(result_id=result_id)
    return types.RelatedFullDocumentDiagnosticReport(items=analysis.diagnostics, result_id=result_id)


HOLD_SECONDS = 300.0
"""Longest a workspace request that would report nothing new is held open (see below)."""
RECHECK_SECONDS = 10.0
"""How often a held request looks at the files again (for clients that report no file events)."""


async def workspace_report(
    session: Session, params: types.WorkspaceDiagnosticParams
) -> types.WorkspaceDiagnosticReport:
    """The diagnostics of every strategy file in the workspace folders that is not open.

    Open documents are reported by `textDocument/diagnostic`, with their version. A request that
    knows every file already (each previous result id still current) is held open, as LSP
    allows, until a file, folder, setting or open document changes, the files are seen changed
    on a re-check, or HOLD_SECONDS pass: a client that asks again as soon as it is answered
    (VS Code: every 2 s) then waits instead of polling. The client can cancel it at any time.
    """
    loop = asyncio.get_running_loop()
    until = loop.time() + HOLD_SECONDS
    report = await _workspace_items(session, params)
    while _nothing_new(session, params, report) and (left := until - loop.time()) > 0:
        await session.workspace_wait(min(RECHECK_SECONDS, left))
        report = await _workspace_items(session, params)
    return report


def _nothing_new(
    session: Session, params: types.WorkspaceDiagnosticParams, report: types.WorkspaceDiagnosticReport
) -> bool:
    """True when the client knows every report already and no file it knows has gone."""
    known = {p.uri for p in params.previous_result_ids or []}
    if not known:
        return False
    reported = {item.uri for item in report.items}
    if known - reported - set(session.documents):
        return False  # a file was deleted or left the workspace
    return all(isinstance(item, types.WorkspaceUnchangedDocumentDiagnosticReport) for item in report.items)


async def _workspace_items(
    session: Session, params: types.WorkspaceDiagnosticParams
) -> types.WorkspaceDiagnosticReport:
    previous = {p.uri: p.value for p in params.previous_result_ids or []}
    items: list[types.WorkspaceDocumentDiagnosticReport] = []
    for path, uri in await session.workspace_files():
        if uri in session.documents:
            continue
        disk = await session.disk_file(path, uri)
        if disk is None:
            continue
        result_id = _result_id(session, f"disk-{disk.stamp[0]}-{disk.stamp[1]}")
        if previous.get(uri) == result_id:
            items.append(
                types.WorkspaceUnchangedDocumentDiagnosticReport(uri=uri, result_id=result_id, version=None)
            )
        else:
            items.append(
                types.WorkspaceFullDocumentDiagnosticReport(
                    uri=uri, items=disk.analysis.diagnostics, version=None, result_id=result_id
                )
            )
    return types.WorkspaceDiagnosticReport(items=items)


FEATURES = (
    Feature(
        types.TEXT_DOCUMENT_DIAGNOSTIC,
        document_report,
        types.DiagnosticOptions(identifier=NAME, inter_file_dependencies=False, workspace_diagnostics=True),
        fallback=lambda: types.RelatedFullDocumentDiagnosticReport(items=[]),
    ),
    Feature(
        types.WORKSPACE_DIAGNOSTIC,
        workspace_report,
        fallback=lambda: types.WorkspaceDiagnosticReport(items=[]),
    ),
)
