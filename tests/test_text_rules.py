from generator import text_rules


def test_israeli_id_check_digit():
    assert text_rules.israeli_id_valid("123456782")
    assert not text_rules.israeli_id_valid("123456789")
    assert not text_rules.israeli_id_valid("12345678")


def test_id_numbers_need_a_context_word():
    assert text_rules.find_israeli_ids('ת"ז 123456782')
    assert text_rules.find_israeli_ids("מספר תעודת זהות: 12345678-2")
    assert text_rules.find_israeli_ids("ת.ז. 123456782")
    assert not text_rules.find_israeli_ids("טלפון 123456782")  # a number alone is not flagged
    assert not text_rules.find_israeli_ids('ת"ז 123456789')  # wrong check digit


def test_bidi_controls_but_not_marks():
    assert text_rules.find_bidi_controls("abc\u202edef") == [3]
    assert text_rules.find_bidi_controls("abc\u2067") == [3]
    assert text_rules.find_bidi_controls("שלום\u200f world\u200e") == []


def test_body_html_outside_code_only():
    body = "ok <bdi>Latin</bdi>\n`<script>` in code\n```\n<iframe src=x>\n```\n\\`<form>\\`\n<script>alert(1)</script>\n"
    found = list(text_rules.check_markdown_body(body))
    # Escaped backticks open no code span: <form> there is live HTML.
    assert [(line, message) for line, message, _ in found] == [
        (6, "the HTML tag <form> is not allowed"),
        (7, "the HTML tag <script> is not allowed"),
    ]


def test_body_links_and_attribute_lists():
    body = (
        "[a](javascript:alert(1))\n[b](https://example.org) [c](../x.md) [d](mailto:a@b.org)\n"
        "## כותרת {: #__config }\n{: .note }\n[e]: data:text/html,x\n"
    )
    lines = sorted(line for line, _, _ in text_rules.check_markdown_body(body))
    assert lines == [1, 3, 5]


def test_event_handlers_and_styles():
    found = list(text_rules.check_markdown_body('<span onclick="x" style="color:red">a</span>\n<a href="JavaScript:x">b</a>'))
    messages = " ".join(message for _, message, _ in found)
    assert "onclick" in messages and "style" in messages and "JavaScript:x" in messages


def test_url_safety():
    assert text_rules.url_is_safe("https://example.org")
    assert text_rules.url_is_safe("../files/plan.pdf")
    assert text_rules.url_is_safe("tel:+97246011111")
    assert not text_rules.url_is_safe("java\tscript:alert(1)")
    assert not text_rules.url_is_safe("data:text/html;base64,xx")
