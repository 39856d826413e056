"""Stage 2's friendly checks on text: what a contributor is told, and on which line."""

from __future__ import annotations

import pytest

from generator.content import body, text_rules


def findings(source: str) -> list[tuple[int, str]]:
    return [(finding[0], finding[1]) for finding in text_rules.body_findings(source, body.render(source)) if len(finding) == 3]


def test_bidi_controls_but_not_direction_marks():
    assert text_rules.find_bidi_controls("abc\u202edef") == [3]
    assert text_rules.find_bidi_controls("abc\u2067") == [3]
    assert text_rules.find_bidi_controls("שלום\u200f world\u200e") == []


@pytest.mark.parametrize("character", ["\x0b", "\x00", "\x1b", "\x7f", "\x85", "\ud800", "\ufffe"])
def test_control_characters_a_yaml_escape_can_write(character: str):
    assert [message for message, _ in text_rules.field_findings(f"כותרת{character}")] == [text_rules.CONTROL[0]]


def test_tabs_and_line_breaks_are_text():
    assert list(text_rules.field_findings("שורה\tאחת\nושורה שנייה")) == []


def test_html_is_read_where_markdown_reads_html_and_not_in_code():
    source = (
        "ok <bdi>Latin</bdi>\n`<script>` in code\n```\n<iframe src=x>\n```\n\\`<form>\\`\n<script>alert(1)</script>\n"
        "    <object>indented code</object>\n"
    )
    # Escaped backticks open no code span, so <form> there is live HTML; the indented line after the script
    # block is an indented code block, shown as text.
    assert findings(source) == [
        (6, "the HTML tag <form> is not allowed"),
        (7, "the HTML tag <script> is not allowed"),
    ]


def test_links_as_markdown_reads_them_with_their_lines():
    source = (
        "[a](javascript:alert(1))\n[b](https://example.org) [c](mailto:a@b.org) [d](/initiatives/x.html)\n\n"
        "> - [e][ref]\n>\n> [ref]: //evil.example/x\n\n[f](\n  vbscript:x)\n"
    )
    assert sorted(line for line, _ in findings(source)) == [1, 2, 4, 9]  # a reference is reported where it is used


def test_images_must_be_pictures_of_the_site_and_others_become_links():
    source = "![a](https://example.org/a.png)\n\n![b](../files/plan.pdf)\n\n![c](../files/map.png)\n"
    rendered = body.render(source)
    found = list(text_rules.body_findings(source, rendered))
    assert [(f[0], len(f)) for f in found] == [(1, 4), (3, 3)]  # a warning for the outside picture, an error for the PDF
    assert "shows it as a link" in found[0][1] and "not a picture" in found[1][1]
    assert '<a href="https://example.org/a.png">a</a>' in rendered.parts[0][1]  # shown as a link, never loaded


def test_attributes_and_classes_by_the_sanitizers_lists():
    found = findings('<span onclick="x" style="color:red" class="md-typeset">a</span>\n\n<div class="admonition note">b</div>\n')
    messages = " ".join(message for _, message in found)
    assert "onclick" in messages and "style" in messages and "md-typeset" in messages
    assert all(line == 1 for line, _ in found)


def test_notes_of_an_unknown_kind_and_attribute_lists():
    found = findings('!!! md-dialog "x"\n    y\n\n!!! tip\n    z\n\nפסקה\n{: .x }\n')
    assert [line for line, _ in found] == [1, 8]


def test_id_numbers_as_written_as_read_and_in_tables():
    valid = "123456782"
    source = (
        f'ת"ז {valid}\n\n'  # as written
        "מספר הזהות: &#49;23456782\n\n"  # a character reference, as a reader sees it
        f"| שם | תעודת זהות |\n|---|---|\n| א | 012345674 |\n| ב | {valid} |\n"  # rows below a header that names IDs
    )
    assert [line for line, message in findings(source) if "ID number" in message] == [1, 3, 7, 8]
