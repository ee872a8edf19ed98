"""The escaping functions every front end uses for text that comes from a checked file."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ai_strategy.escaping import html_text, markdown_code, markdown_text, printable


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("plain", "plain"),
        ("a\x1b[31mred", "a\\x1b[31mred"),
        ("one\ntwo", "one\\ntwo"),
        ("cr\rlf", "cr\\rlf"),
        ("tab\there", "tab\\there"),
        ("bell\x07", "bell\\x07"),
        ("del\x7f", "del\\x7f"),
        ("csi\x9b", "csi\\x9b"),
        ("rtl\u202eevil", "rtl\\u202eevil"),
        ("isolate\u2066x\u2069", "isolate\\u2066x\\u2069"),
        ("line\u2028sep", "line\\u2028sep"),
        ("émoji 🎉 ok", "émoji 🎉 ok"),
    ],
)
def test_printable_writes_controls_as_visible_escapes(raw: str, shown: str) -> None:
    assert printable(raw) == shown


def test_a_value_cannot_start_a_workflow_command_on_a_new_line() -> None:
    shown = printable('x"\n::error file=a::owned\n::stop-commands::token')
    assert "\n" not in shown
    assert shown.startswith('x"')


@given(st.text())
def test_printable_never_leaves_a_control_character(text: str) -> None:
    shown = printable(text)
    assert not re.search(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]", shown)


@pytest.mark.parametrize(
    ("raw", "literal"),
    [
        ("[click](https://evil.example)", "\\[click\\]\\(https://evil\\.example\\)"),
        ("![img](x.png)", "\\!\\[img\\]\\(x\\.png\\)"),
        ("<img src=x onerror=alert(1)>", "\\<img src=x onerror=alert\\(1\\)\\>"),
        ("**bold** _it_", "\\*\\*bold\\*\\* \\_it\\_"),
        ("# heading", "\\# heading"),
        ("a\n# b", "a\\\\n\\# b"),
        ("&amp;", "\\&amp;"),
    ],
)
def test_markdown_text_is_literal(raw: str, literal: str) -> None:
    assert markdown_text(raw) == literal


@pytest.mark.parametrize(
    ("raw", "span"),
    [
        ("rag", "`rag`"),
        ("a`b", "``a`b``"),
        ("`x`", "`` `x` ``"),
        ("a``b", "```a``b```"),
    ],
)
def test_markdown_code_spans_hold_any_backticks(raw: str, span: str) -> None:
    assert markdown_code(raw) == span


def test_html_text_escapes_markup_and_quotes() -> None:
    assert html_text('<a href="x">\'&') == "&lt;a href=&quot;x&quot;&gt;&#x27;&amp;"


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("::error::x", "\\x3a:error::x"),
        ("  ::stop-commands::t", "  \\x3a:stop-commands::t"),
        ("path:1:2: ::error::not at the start", "path:1:2: ::error::not at the start"),
        ("a ##[error]legacy", "a ##\\x5berror]legacy"),
        ("x\n::error::y", "x\\n::error::y"),
    ],
)
def test_log_line_never_starts_a_workflow_command(raw: str, shown: str) -> None:
    from ai_strategy.escaping import log_line

    assert log_line(raw) == shown


def test_json_text_escapes_what_a_terminal_would_act_on_and_keeps_the_value() -> None:
    import json

    from ai_strategy.escaping import json_text

    value = {"k\x9b": "csi\x9b del\x7f sep\u2028 rtl\u202e e\x1b ok 🎉", "n": [1]}
    document = json_text(json.dumps(value, indent=2, ensure_ascii=False))
    assert json.loads(document) == value
    assert not re.search("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u202e]", document)
    assert "🎉" in document
