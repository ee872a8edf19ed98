"""Pulled diagnostics (LSP 3.17): `textDocument/diagnostic` and `workspace/diagnostic`.

A result id names the text revision and the settings it was computed with, so a client that asks
again about an unchanged document gets an "unchanged" report instead of the whole list.
"""

from __future__ import annotations

from lsprotocol import types

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


async def workspace_report(
    session: Session, params: types.WorkspaceDiagnosticParams
) -> types.WorkspaceDiagnosticReport:
    """The diagnostics of every strategy file in the workspace folders that is not open.

    Open documents are reported by `textDocument/diagnostic`, with their version.
    """
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
