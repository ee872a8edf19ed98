"""The language server under load: every corpus case in one session, and a storm of edits.

Corpus: every toml-test 1.0 case (vendored in `tests/vendor/toml-test`) and every case of
`tests/toml_cases/`, opened one after the other in ONE server session, pulled (LSP 3.17) or pushed:
each gets exactly the engine's findings on the text the editor sent, converted to the client's
position encoding, every range inside that text; AIS001 exactly on the invalid ones; the server
still answers at the end, exits cleanly and printed no traceback.

Edit storm: 2,000 random incremental `didChange` edits (insertions, deletions and replacements
within and across lines, with emoji, CJK, combining marks, CR, LF and CRLF; positions inside
surrogate pairs and UTF-8 sequences; several changes in one notification). The client keeps its
own copy of the text; the server's diagnostics must match the engine on the client's copy all
along the way, and at the end exactly the command line's JSON on the final text (ranges
converted), whether that text is valid TOML or not. Any drift between the server's copy and the
client's shows up as a difference.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import tomli

from ai_strategy.analysis import analyse
from ai_strategy.findings import Finding
from ai_strategy.fixes import fix_text

from .robustness import (
    Case,
    LspClient,
    assert_no_traceback,
    check_lsp_range,
    cli_summary,
    core_range_to_lsp,
    diagnostic_summary,
    fix_all_params,
    own_cases,
    run_cli,
    split_lines,
    toml_test_cases,
    units,
)

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
SEVERITY = {"error": "error", "warning": "warning", "info": "info"}


def expected_summary(finding: Finding, lines: list[str], encoding: str) -> tuple[Any, ...]:
    """What the server must send for a finding of the engine, in the client's units."""
    fix = finding.fix
    return (
        finding.code,
        finding.severity.value,
        finding.message,
        core_range_to_lsp(lines, finding.range, encoding),
        None
        if fix is None
        else (
            fix.applicability,
            [(core_range_to_lsp(lines, e.range, encoding), e.new_text) for e in fix.edits],
        ),
        [core_range_to_lsp(lines, r.range, encoding) for r in finding.related],
    )


def assert_matches_engine(
    diagnostics: list[dict[str, Any]], text: str, encoding: str, what: str, uri: str = ""
) -> None:
    """The server's diagnostics are the engine's findings on `text`, all inside `text`."""
    lines = split_lines(text)
    for diagnostic in diagnostics:
        label = f"{what}: {diagnostic['code']}"
        check_lsp_range(lines, diagnostic["range"], label, encoding)
        for related in diagnostic.get("relatedInformation") or []:
            check_lsp_range(lines, related["location"]["range"], label + " (related)", encoding)
            if uri:
                assert related["location"]["uri"] == uri
        for fix in (diagnostic.get("data") or {}).get("fixes") or []:
            for edit in fix["edits"]:
                check_lsp_range(lines, edit["range"], label + " (fix)", encoding)
    expected = [expected_summary(f, lines, encoding) for f in analyse(text).findings]
    got = [diagnostic_summary(d) for d in diagnostics]
    assert got == expected, what


# ---- the corpus in one session ----------------------------------------------------------------------


def _editor_text(case: Case) -> tuple[str, bool]:
    """The buffer an editor would send for the case's bytes, and whether they decoded as UTF-8."""
    data = case.data
    try:
        return data.decode("utf-8-sig"), True
    except UnicodeDecodeError:
        return data.decode("latin-1"), False  # an editor's single-byte fallback


@dataclass
class CorpusRun:
    cases: list[Case]
    texts: dict[str, str] = field(default_factory=dict)
    decoded: dict[str, bool] = field(default_factory=dict)


def _uri(index: int) -> str:
    return f"file:///corpus/{index:04d}/ai-strategy.toml"


def _run_corpus(client: LspClient, cases: list[Case], pull: bool, encoding: str) -> None:
    figures = {"files": 0, "false AIS001": 0, "missed AIS001": 0}
    batch = 40
    for first in range(0, len(cases), batch):
        chunk = list(enumerate(cases[first : first + batch], start=first))
        texts = {}
        for index, case in chunk:
            text, _ = _editor_text(case)
            texts[index] = text
            client.open(_uri(index), text)
        if pull:
            ids = {
                index: client.send_request("textDocument/diagnostic", {"textDocument": {"uri": _uri(index)}})
                for index, _ in chunk
            }
            results = {
                index: client.result(request_id, timeout=60)["items"] for index, request_id in ids.items()
            }
        else:
            results = {index: client.published_version(_uri(index), 1, timeout=60) for index, _ in chunk}
        for index, case in chunk:
            diagnostics = results[index]
            assert_matches_engine(diagnostics, texts[index], encoding, case.id, _uri(index))
            _, decoded = _editor_text(case)
            has = any(d["code"] == "AIS001" for d in diagnostics)
            figures["files"] += 1
            if decoded and case.valid and has:
                figures["false AIS001"] += 1
            if decoded and not case.valid and not has:
                figures["missed AIS001"] += 1
            client.close_document(_uri(index))
    print(f"\nserver ({'pull' if pull else 'push'}, {encoding}): {figures}")
    assert figures["false AIS001"] == 0 and figures["missed AIS001"] == 0


@pytest.mark.parametrize(
    ("pull", "encodings"),
    [(True, ["utf-16"]), (False, ["utf-8", "utf-16"])],
    ids=["pull-utf16", "push-utf8"],
)
@pytest.mark.parametrize("corpus", ["own", "toml-test"])
def test_every_case_in_one_session(corpus: str, pull: bool, encodings: list[str]) -> None:
    cases = toml_test_cases() if corpus == "toml-test" else own_cases()
    client = LspClient()
    try:
        result = client.initialize(pull=pull, encodings=encodings)
        encoding = result["capabilities"].get("positionEncoding", "utf-16")
        assert encoding == encodings[0]
        _run_corpus(client, cases, pull, encoding)
        assert client.alive()
        assert client.shutdown() == 0
    finally:
        client.kill()
    assert_no_traceback(client.stderr)
    assert "Error" not in client.stderr, client.stderr[-3000:]


# ---- the edit storm ----------------------------------------------------------------------------------

PIECES = [
    "a", "x", "_", " ", "  ", "\t", "=", " = ", '"', "'", '"""', "[", "]", "[[", "]]", "{", "}", ",", ".",
    "#", "# note ", "1", "42", "-3", "1e5", "true", "false", "0x1F", "1979-05-27",
    "\n", "\n", "\r\n", "\r\n", "\r",
    "😀", "🚀🤖", "𝄞", "漢字", "é", "e\u0301", "\u2028", "ß", "Ω",
    "version = 1\n", "[strategy]\n", 'approach = "rag"\n', 'approach = "fine-tuning"\n', "[task]\n",
    'type = "qa"\n', "[requirements]\n", "latency_p95_ms = 500\n", "citations = true\n", "[rag]\n",
    "top_k = 0\n", "# ai-strategy: ignore[AIS105]", "[lint]\nignore = [\"AIS117\"]\n",
    'name = "客服 😀"\n', "offline = true\n", '[data]\nupdate_frequency = "daily"\n',
]  # fmt: skip


class Buffer:
    """The client's copy of the document: text, and fast line starts for positions."""

    def __init__(self, text: str, encoding: str) -> None:
        self.text = text
        self.encoding = encoding
        self.inside_characters = 0
        """How many positions sent fell inside a character (a surrogate pair, a UTF-8 sequence)."""

    def offset(self, line: int, character: int) -> int:
        """Where a client position falls in the text, computed here independently of the server:
        past the end of a line is its end, past the last line the end of the text, and inside a
        character (between the halves of a surrogate pair, inside a UTF-8 sequence) the boundary
        after that character, so an edit never splits a character on either side."""
        lines = split_lines(self.text)
        if line >= len(lines):
            return len(self.text)
        start = 0
        for index in range(line):
            start += len(lines[index])
            start += 2 if self.text.startswith("\r\n", start) else 1
        counted = 0
        for column, char in enumerate(lines[line]):
            if counted >= character:
                return start + column
            counted += units(char, self.encoding)
        return start + len(lines[line])

    def apply(self, change: dict[str, Any]) -> None:
        start = self.offset(change["range"]["start"]["line"], change["range"]["start"]["character"])
        end = self.offset(change["range"]["end"]["line"], change["range"]["end"]["character"])
        if end < start:
            start, end = end, start
        self.text = self.text[:start] + change["text"] + self.text[end:]


def _random_position(rng: random.Random, buffer: Buffer) -> dict[str, int]:
    lines = split_lines(buffer.text)
    roll = rng.random()
    if roll < 0.03:  # past the last line
        return {"line": len(lines) + rng.randrange(3), "character": rng.randrange(5)}
    line = rng.randrange(len(lines))
    text = lines[line]
    size = units(text, buffer.encoding)
    if roll < 0.08:  # past the end of the line
        return {"line": line, "character": size + rng.randrange(1, 4)}
    if roll < 0.2:  # inside a character: between the halves of a surrogate pair, in a UTF-8 sequence
        inside = []
        counted = 0
        for char in text:
            width = units(char, buffer.encoding)
            inside.extend(range(counted + 1, counted + width))
            counted += width
        if inside:
            buffer.inside_characters += 1
            return {"line": line, "character": rng.choice(inside)}
    if roll < 0.3:  # anywhere in code units
        character = rng.randrange(size + 1)
        boundaries = {units(text[:column], buffer.encoding) for column in range(len(text) + 1)}
        if character not in boundaries:
            buffer.inside_characters += 1
        return {"line": line, "character": character}
    column = rng.randrange(len(text) + 1)  # on a character boundary, as editors send
    return {"line": line, "character": units(text[:column], buffer.encoding)}


def _random_change(rng: random.Random, buffer: Buffer) -> dict[str, Any]:
    start = _random_position(rng, buffer)
    kind = rng.random()
    if kind < 0.45:  # insertion
        end = dict(start)
    elif kind < 0.75:  # short deletion or replacement on the line
        end = {"line": start["line"], "character": start["character"] + rng.randrange(1, 8)}
    else:  # across lines
        end = {"line": start["line"] + rng.randrange(1, 4), "character": rng.randrange(12)}
    if rng.random() < 0.1:  # ranges from the end backwards: servers must not choke
        start, end = end, start
    new_text = (
        ""
        if kind >= 0.45 and rng.random() < 0.5
        else "".join(rng.choice(PIECES) for _ in range(rng.randrange(1, 4)))
    )
    return {"range": {"start": start, "end": end}, "text": new_text}


@dataclass
class Storm:
    seed: int
    pull: bool
    encodings: list[str]
    end_valid: bool
    edits: int = 2000


STORMS = [
    Storm(seed=20251, pull=False, encodings=["utf-16"], end_valid=False),
    Storm(seed=7, pull=True, encodings=["utf-8", "utf-16"], end_valid=False),
    Storm(seed=99, pull=True, encodings=["utf-16"], end_valid=True),
    Storm(seed=4242, pull=False, encodings=["utf-8"], end_valid=True),
]


def _is_valid(text: str) -> bool:
    try:
        tomli.loads(text)
    except (tomli.TOMLDecodeError, RecursionError):
        return False
    return True


@pytest.fixture
def storm_client() -> Iterator[LspClient]:
    client = LspClient()
    try:
        yield client
    finally:
        client.kill()


@pytest.mark.parametrize(
    "storm",
    STORMS,
    ids=[
        f"{'pull' if s.pull else 'push'}-{s.encodings[0]}-{'valid' if s.end_valid else 'broken'}-end"
        for s in STORMS
    ],
)
def test_edit_storm_keeps_the_server_in_sync(storm: Storm, storm_client: LspClient, tmp_path: Path) -> None:
    rng = random.Random(storm.seed)
    client = storm_client
    result = client.initialize(pull=storm.pull, encodings=storm.encodings)
    encoding = result["capabilities"].get("positionEncoding", "utf-16")
    assert encoding == storm.encodings[0]
    uri = "file:///storm/ai-strategy.toml"
    start_text = (EXAMPLES / "support-assistant" / "ai-strategy.toml").read_text("utf-8")
    start_text = start_text.replace('name = "support-assistant"', 'name = "support 😀 客服"')
    buffer = Buffer(start_text, encoding)
    texts = {1: buffer.text}
    version = 1
    client.open(uri, buffer.text, version)
    checked = 0
    for number in range(1, storm.edits + 1):
        changes = []
        for _ in range(1 if rng.random() < 0.85 else rng.randrange(2, 5)):
            change = _random_change(rng, buffer)
            buffer.apply(change)  # each change applies to the text the previous one left
            changes.append(change)
        version += 1
        texts[version] = buffer.text
        client.change(uri, version, changes)
        if storm.pull and number % 50 == 0:
            assert_matches_engine(client.pull(uri), buffer.text, encoding, f"after edit {number}", uri)
            checked += 1
    if storm.end_valid:
        version = _steer_to_valid(client, uri, buffer, version, rng, texts)
        assert _is_valid(buffer.text)
    final = buffer.text
    diagnostics = client.pull(uri) if storm.pull else client.published_version(uri, version)
    assert_matches_engine(diagnostics, final, encoding, "final text", uri)
    if not storm.pull:
        for published in client.published.get(uri, []):
            seen = texts[published["version"]]
            for diagnostic in published["diagnostics"]:
                check_lsp_range(split_lines(seen), diagnostic["range"], f"v{published['version']}", encoding)
            checked += 1

    # the command line on the final text says exactly the same
    path = tmp_path / "ai-strategy.toml"
    path.write_bytes(final.encode("utf-8"))
    cli = run_cli("check", "--format", "json", "--no-cache", str(path), timeout=120)
    assert_no_traceback(cli.stderr)
    (entry,) = json.loads(cli.stdout)["files"]
    lines = split_lines(final)
    assert [diagnostic_summary(d) for d in diagnostics] == [
        cli_summary(d, lines, encoding) for d in entry["diagnostics"]
    ]
    valid = _is_valid(final)
    assert valid is storm.end_valid  # as the test id says (the seeds make the broken ones end broken)
    print(
        f"\nedit storm seed {storm.seed} ({'pull' if storm.pull else 'push'}, {encoding}): "
        f"{storm.edits} edits, {version} versions, {len(final)} characters, "
        f"{'valid' if valid else 'invalid'} TOML at the end, {len(diagnostics)} diagnostics equal to the "
        f"CLI's; {checked} intermediate checks; {buffer.inside_characters} positions inside a character"
    )
    assert buffer.inside_characters > 20
    assert client.alive()
    assert client.shutdown() == 0
    assert_no_traceback(client.stderr)


def _steer_to_valid(
    client: LspClient,
    uri: str,
    buffer: Buffer,
    version: int,
    rng: random.Random,
    texts: dict[int, str],
) -> int:
    """Replace everything with a valid file in one ranged edit from the client's idea of the
    end, then keep editing with changes that keep it valid (comments with emoji, CRLF, values)."""
    lines = split_lines(buffer.text)
    end = {"line": len(lines) - 1, "character": units(lines[-1], buffer.encoding)}
    valid = (EXAMPLES / "misfit-fine-tuning" / "ai-strategy.toml").read_text("utf-8")
    change = {"range": {"start": {"line": 0, "character": 0}, "end": end}, "text": valid}
    buffer.apply(change)
    version += 1
    texts[version] = buffer.text
    client.change(uri, version, [change])
    assert buffer.text == valid
    for _ in range(200):
        lines = split_lines(buffer.text)
        line = rng.randrange(len(lines))
        at_end = {"line": line, "character": units(lines[line], buffer.encoding)}
        new = rng.choice(["  # 😀 note", "  # 客服", " # e\u0301", "  #", "  # 𝄞", "\r"])
        if new == "\r" and not buffer.text.startswith("\n", buffer.offset(line, at_end["character"])):
            new = "  # CR"  # only an LF becomes CRLF; a bare CR is not a TOML line break
        change = {"range": {"start": at_end, "end": at_end}, "text": new}
        buffer.apply(change)
        version += 1
        texts[version] = buffer.text
        client.change(uri, version, [change])
        assert _is_valid(buffer.text), buffer.text
    return version


def test_fix_all_never_runs_on_a_half_typed_file(storm_client: LspClient) -> None:
    """Like `check --fix`: the error-tolerant tree reads the key of `na<TAB>me` as `me`, and a
    fix-all on save would have written `na<TAB>name`. Quick fixes stay available one by one."""
    client = storm_client
    client.initialize(pull=True)
    uri = "file:///half-typed/ai-strategy.toml"
    text = 'version = 1\n\n[strategy]\napproach = "rga"\n\n[task]\ntype = "qa"\n\n[project]\nna\tme = "x"\n'
    client.open(uri, text)
    diagnostics = client.pull(uri)
    assert "AIS001" in [d["code"] for d in diagnostics]
    everywhere = {"start": {"line": 0, "character": 0}, "end": {"line": 10, "character": 0}}
    fix_all = client.request("textDocument/codeAction", fix_all_params(uri, everywhere))
    assert not fix_all
    quick = client.request(
        "textDocument/codeAction",
        {"textDocument": {"uri": uri}, "range": everywhere, "context": {"diagnostics": diagnostics}},
    )
    assert any("rag" in action["title"] for action in quick)
    assert client.shutdown() == 0
    assert_no_traceback(client.stderr)


def test_a_slow_fix_all_leaves_the_server_answering(storm_client: LspClient) -> None:
    """A client that cannot resolve edits gets fix-all worked out in a worker thread on a long
    text: a hover sent after the code-action request is answered before it."""
    client = storm_client
    client.initialize(pull=True)
    uri = "file:///long/ai-strategy.toml"
    head = 'version = 1\n\n[strategy]\napproach = "rga"\n\n[task]\ntype = "qa"\n\n[data]\n'
    text = head + "".join(f"unknown_{i} = {i}\n" for i in range(3000))
    client.open(uri, text)
    client.pull(uri, timeout=60)
    everywhere = {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}
    slow = client.send_request("textDocument/codeAction", fix_all_params(uri, everywhere))
    quick = client.send_request(
        "textDocument/hover", {"textDocument": {"uri": uri}, "position": {"line": 2, "character": 2}}
    )
    assert client.result(quick, timeout=60) is not None
    assert slow not in client.responses, "fix-all answered before the hover: it held the loop"
    actions = client.result(slow, timeout=120)
    assert [a["kind"] for a in actions] == ["source.fixAll.ai-strategy"]
    (edit,) = actions[0]["edit"]["changes"][uri]  # one edit of the whole text: check --fix's
    fixed = fix_text(text, lambda t: analyse(t, "/long/ai-strategy.toml").findings, unsafe=False)
    assert edit["range"]["start"] == {"line": 0, "character": 0}
    assert edit["newText"] == fixed.text != text
    assert client.shutdown() == 0
    assert_no_traceback(client.stderr)
