"""Code actions: each fix of each finding as a quick fix, "ignore CODE in this file", "ignore
CODE on this line", and `source.fixAll.ai-strategy` (every safe fix, as `check --fix` applies them).
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from typing import TYPE_CHECKING

from lsprotocol import types

from .documents import Analysis, OpenDocument
from .features import Answer, Feature

if TYPE_CHECKING:
    from ..analysis import Report
    from ..document import Document, Suppression
    from ..findings import Edit, Finding
    from .session import Session

log = logging.getLogger("ai_strategy.lsp")

FIX_ALL_KIND = "source.fixAll.ai-strategy"
UNIGNORABLE = frozenset({"AIS001"})
"""Codes no ignore action is offered for: a file that is not TOML has no [lint] to read."""
NOT_SILENCED_INLINE = frozenset({"AIS301"})
"""Codes an inline suppression cannot silence: AIS301 reports the suppressions themselves, after
they are applied (analysis.py); its findings are ignored in the file's [lint] only."""


def _overlaps(a: types.Range, b: types.Range) -> bool:
    start_a, end_a = (a.start.line, a.start.character), (a.end.line, a.end.character)
    start_b, end_b = (b.start.line, b.start.character), (b.end.line, b.end.character)
    return start_a <= end_b and start_b <= end_a


def _wants(only: list[str] | None, kind: str) -> bool:
    if not only:
        return True
    return any(kind == k or kind.startswith(k + ".") for k in only)


def workspace_edit(
    session: Session, doc: OpenDocument, analysis: Analysis, edits: list[Edit]
) -> types.WorkspaceEdit:
    """Core edits as a workspace edit on this document (versioned when the client can)."""
    text_edits = [
        types.TextEdit(range=analysis.positions.range_to_client(e.range), new_text=e.new_text) for e in edits
    ]
    workspace = session.capabilities.workspace
    caps = workspace.workspace_edit if workspace else None
    if caps is not None and caps.document_changes:
        identifier = types.OptionalVersionedTextDocumentIdentifier(uri=doc.uri, version=doc.version)
        return types.WorkspaceEdit(
            document_changes=[types.TextDocumentEdit(text_document=identifier, edits=text_edits)]
        )
    return types.WorkspaceEdit(changes={doc.uri: text_edits})


def ignore_in_file(document: Document, code: str) -> Edit | None:
    """The edit that adds `code` to the file's `[lint] ignore` list (creating what is missing)."""
    from ..findings import Edit, Position, Range

    outline = document.outline
    entry = outline.entry(("lint", "ignore"))
    text = document.text
    quoted = f'"{code}"'
    if entry is not None:
        if entry.value_kind != "array" or entry.value_range is None or entry.broken:
            return None
        if entry.item_ranges:
            end = entry.item_ranges[-1].end
            return Edit(Range(end, end), f", {quoted}")
        return Edit(entry.value_range, f"[{quoted}]")
    table = outline.table(("lint",))
    if table is not None:
        if outline.entry(("lint",)) is not None:
            return None
        line = table.header_range.end.line
        if line + 1 < document.lines.line_count:
            at = Position(line + 1, 0)
            return Edit(Range(at, at), f"ignore = [{quoted}]\n")
        end = document.lines.end()
        return Edit(Range(end, end), f"\nignore = [{quoted}]\n")
    if outline.entry(("lint",)) is not None or any(e.path[:1] == ("lint",) for e in outline.entries):
        return None
    end = document.lines.end()
    if not text or text.endswith("\n\n"):
        prefix = ""
    elif text.endswith("\n"):
        prefix = "\n"
    else:
        prefix = "\n\n"
    return Edit(Range(end, end), f"{prefix}[lint]\nignore = [{quoted}]\n")


_LINE_FACTS: weakref.WeakKeyDictionary[Document, tuple[frozenset[int], dict[int, Suppression]]] = (
    weakref.WeakKeyDictionary()
)


def _line_facts(document: Document) -> tuple[frozenset[int], dict[int, Suppression]]:
    """Lines that end inside a multi-line string, and the first suppression comment per line.

    Computed once per document, not once per finding: a request over a file with 50,000
    findings stays linear.
    """
    facts = _LINE_FACTS.get(document)
    if facts is None:
        inside: set[int] = set()
        for entry in document.outline.entries:
            value = entry.value_range
            if value is not None and entry.value_kind == "string" and value.start.line < value.end.line:
                inside.update(range(value.start.line, value.end.line))
        by_line: dict[int, Suppression] = {}
        for suppression in document.outline.suppressions():
            if suppression.code_ranges:
                by_line.setdefault(suppression.line, suppression)
        facts = (frozenset(inside), by_line)
        _LINE_FACTS[document] = facts
    return facts


def ignore_on_line(document: Document, finding: Finding) -> Edit | None:
    """The edit that adds an inline `# ai-strategy: ignore[CODE]` on the finding's first line."""
    from ..findings import Edit, Position, Range

    line = finding.range.start.line
    inside_strings, suppressions = _line_facts(document)
    if line in inside_strings:
        return None  # the line ends inside a multi-line string
    suppression = suppressions.get(line)
    if suppression is not None:
        end = suppression.code_ranges[-1].end
        return Edit(Range(end, end), f",{finding.code}")
    lines = document.lines
    length = lines.line_length(line)  # no copy of the line: it may be 1 MB long
    last = lines.text[lines.line_starts[line] + length - 1] if length else ""
    spacer = "" if last in ("", " ") else "  "
    end = Position(line, length)
    return Edit(Range(end, end), f"{spacer}# ai-strategy: ignore[{finding.code}]")


def code_actions(
    session: Session, doc: OpenDocument, analysis: Analysis, params: types.CodeActionParams
) -> list[types.CodeAction]:
    """Quick fixes for the findings in the requested range, plus the fix-all source action.

    Each fix of each finding is its own action. "Ignore CODE on this line" is offered once per
    code and line, and "Ignore CODE in this file" once per code, each listing every diagnostic in
    the range it silences: the same edit offered once per finding would repeat it in the menu
    (and, on a line of 100,000 findings, build and send 200,000 copies of it).
    """
    report = analysis.report
    document = report.document
    only = _only(params)
    actions: list[types.CodeAction] = []
    ignores: dict[tuple[str, int | None], list[types.Diagnostic]] = {}
    """The diagnostics of each ignore action offered so far, by (code, line; None: the file)."""
    if _wants(only, types.CodeActionKind.QuickFix):
        for finding, diagnostic in zip(report.findings, analysis.diagnostics, strict=True):
            if not _overlaps(diagnostic.range, params.range):
                continue
            safe = [f for f in finding.fixes if f.safe]
            for fix in finding.fixes:
                actions.append(
                    types.CodeAction(
                        title=fix.title if fix.safe else f"{fix.title} (unsafe)",
                        kind=types.CodeActionKind.QuickFix,
                        diagnostics=[diagnostic],
                        is_preferred=fix.safe and len(safe) == 1,
                        edit=workspace_edit(session, doc, analysis, list(fix.edits)),
                    )
                )
            if document is None or finding.code in UNIGNORABLE:
                continue
            for key, where in (
                ((finding.code, finding.range.start.line), "on this line"),
                ((finding.code, None), "in this file"),
            ):
                if key[1] is not None and finding.code in NOT_SILENCED_INLINE:
                    continue
                known = ignores.get(key)
                if known is not None:
                    known.append(diagnostic)
                    continue
                edit = (
                    ignore_on_line(document, finding)
                    if key[1] is not None
                    else ignore_in_file(document, finding.code)
                )
                ignores[key] = [diagnostic]
                if edit is not None:
                    actions.append(
                        types.CodeAction(
                            title=f"Ignore {finding.code} {where}",
                            kind=types.CodeActionKind.QuickFix,
                            diagnostics=ignores[key],
                            edit=workspace_edit(session, doc, analysis, [edit]),
                        )
                    )
    if _offers_fix_all(report, only):
        if can_resolve_edits(session):
            fix_all = deferred_fix_all(doc, analysis)
        else:
            fix_all = fix_all_action(session, doc, analysis)
        if fix_all is not None:
            actions.append(fix_all)
    return actions


def _only(params: types.CodeActionParams) -> list[str] | None:
    return [str(k) for k in params.context.only] if params.context.only else None


def _offers_fix_all(report: Report, only: list[str] | None) -> bool:
    """Fix-all is offered when asked for by kind, or when some finding has a safe fix."""
    return _wants(only, FIX_ALL_KIND) and bool(
        only or any(f.fix is not None and f.fix.safe for f in report.findings)
    )


def _fixing_is_long(analysis: Analysis) -> bool:
    """Fix-all is yet to be worked out on a long text: a job for a worker thread."""
    from .session import INLINE_CHARS

    return analysis.fix_all is None and len(analysis.text) > INLINE_CHARS


def can_resolve_edits(session: Session) -> bool:
    """Whether the client resolves a code action's edit later (`codeAction/resolve`)."""
    text = session.capabilities.text_document
    caps = text.code_action if text else None
    support = caps.resolve_support if caps else None
    return bool(caps and caps.data_support and support and "edit" in support.properties)


def deferred_fix_all(doc: OpenDocument, analysis: Analysis) -> types.CodeAction | None:
    """The fix-all action without its edit, for clients that resolve it when it is chosen.

    Working out the edit re-analyses the text once per round of fixes: an editor asks for code
    actions at every cursor move, and on a file with thousands of findings that takes seconds.
    """
    report = analysis.report
    if report.document is None or report.has_syntax_error:
        return None  # as `check --fix`: never on a half-typed file (fix-all often runs on save)
    return types.CodeAction(
        title="Fix all safe ai-strategy findings", kind=FIX_ALL_KIND, data={"fixAll": doc.uri}
    )


def fixed_text(session: Session, doc: OpenDocument, analysis: Analysis) -> tuple[int, str] | None:
    """(fixes applied, the text) after every safe fix, worked out once per analysis; None when
    there is nothing to fix or the text does not parse."""
    from ..analysis import analyse
    from ..fixes import fix_text

    if analysis.fix_all is not None:
        return analysis.fix_all or None
    report = analysis.report
    found: tuple[int, str] | tuple[()] = ()
    if report.document is not None and not report.has_syntax_error:
        options = analysis.options or session.lint_options(doc.file, session.settings_for(doc))

        def findings_of(text: str) -> list[Finding]:
            if text == analysis.text:  # the first round: the findings are known already
                return report.findings
            return analyse(text, doc.path, options).findings

        result = fix_text(analysis.text, findings_of, unsafe=False)
        if result.applied and result.text != analysis.text:
            found = (result.applied, result.text)
    analysis.fix_all = found
    return found or None


def fix_all_action(session: Session, doc: OpenDocument, analysis: Analysis) -> types.CodeAction | None:
    """Every safe fix applied (re-analysing between rounds), as one edit of the whole text."""
    from ..findings import Edit, Position, Range

    fixed = fixed_text(session, doc, analysis)
    document = analysis.report.document
    if fixed is None or document is None:
        return None
    applied, text = fixed
    whole = Range(Position(0, 0), document.lines.end())
    return types.CodeAction(
        title=f"Fix all safe ai-strategy findings ({applied})",
        kind=FIX_ALL_KIND,
        edit=workspace_edit(session, doc, analysis, [Edit(whole, text)]),
    )


def fix_all_is_slow(session: Session, analysis: Analysis, params: types.CodeActionParams) -> bool:
    """Whether `code_actions` would work out fix-all on a long text now (a client that cannot
    resolve edits, a text over INLINE_CHARS, not worked out yet)."""
    return (
        _fixing_is_long(analysis)
        and not can_resolve_edits(session)
        and _offers_fix_all(analysis.report, _only(params))
    )


async def fix_all_in_worker(session: Session, doc: OpenDocument, analysis: Analysis) -> None:
    """Work out fix-all in a worker thread (remembered on the analysis)."""
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(session.executor, fixed_text, session, doc, analysis)


async def resolve_fix_all(session: Session, action: types.CodeAction) -> types.CodeAction:
    """A deferred fix-all with its edit, on the current text (the edit names its version).

    Long texts are fixed in a worker thread, so the editor's other requests are answered
    meanwhile.
    """
    data = action.data
    uri = data.get("fixAll") if isinstance(data, dict) else None
    if action.kind != FIX_ALL_KIND or not isinstance(uri, str):
        return action
    found = await session.current(uri)
    if found is None:
        return action
    doc, analysis = found
    if _fixing_is_long(analysis):
        await fix_all_in_worker(session, doc, analysis)
    resolved = fix_all_action(session, doc, analysis)
    if resolved is None:
        return action
    action.edit = resolved.edit
    return action


def code_action(session: Session, params: types.CodeActionParams) -> Answer:
    """`textDocument/codeAction`: the fixes and ignores at the range, and fix-all."""
    found = yield from session.analysed(params.text_document.uri)
    if found is None:
        return None
    doc, analysis = found
    if fix_all_is_slow(session, analysis, params):
        yield fix_all_in_worker, (session, doc, analysis), None  # the loop stays free meanwhile
    return code_actions(session, doc, analysis, params)


async def resolve_code_action(session: Session, action: types.CodeAction) -> types.CodeAction:
    """`codeAction/resolve`: a deferred fix-all gets its edit; any other action comes back as it
    is (also when working the edit out fails)."""
    try:
        return await resolve_fix_all(session, action)
    except Exception:
        log.exception("resolving a code action failed")
        return action


FEATURES = (
    Feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        code_action,
        types.CodeActionOptions(
            code_action_kinds=[types.CodeActionKind.QuickFix, FIX_ALL_KIND], resolve_provider=True
        ),
    ),
    Feature(types.CODE_ACTION_RESOLVE, resolve_code_action),
)
