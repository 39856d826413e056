"""The sanitizer on its own: every hostile body neutralised with the source checks out of the way.

Nothing here runs stage 2's checks: bodies go straight from Markdown to `sanitize.clean`, as they would if
every check missed them. What comes out must hold only what the allowlists name.
"""

from __future__ import annotations

import pytest

from generator.content import body, sanitize

from ..hostile import PAYLOADS, problems_in


def keep_relative(url: str) -> str:
    return url  # a rewrite that lets every relative address through: the sanitizer alone must suffice


def published(markdown: str) -> str:
    """A body as the page would hold it: rendered, then each part through the sanitizer."""
    return "\n".join(sanitize.clean(part, keep_relative) for _, part in body.render(markdown).parts)


@pytest.mark.parametrize("name", sorted(PAYLOADS))
def test_a_hostile_body_is_neutralised_after_markdown(name: str):
    html = published(PAYLOADS[name])
    assert problems_in(html) == []


@pytest.mark.parametrize("name", sorted(PAYLOADS))
def test_the_same_text_as_raw_html_is_neutralised(name: str):
    html = sanitize.clean(PAYLOADS[name], keep_relative)
    assert problems_in(html) == []


def test_what_is_allowed_survives_and_what_is_not_is_gone():
    html = published(
        "## כותרת\n\n**מודגש** [אתר](https://example.org) [מייל](mailto:a@example.org) [טל](tel:+97246011111)\n\n"
        "<details><summary>עוד</summary><abbr title='ראשי תיבות'>ר\"ת</abbr></details>\n\n"
        '!!! warning "שימו לב"\n    טקסט\n\n| א | ב |\n|:--|--:|\n| 1 | 2 |\n\n'
        '```\n<script>alert(1)</script>\n```\n\n<script>alert(2)</script> <span lang="en" dir="ltr">English</span>\n'
    )
    assert '<a href="https://example.org"' in html and 'href="mailto:a@example.org"' in html and 'href="tel:+97246011111"' in html
    assert "<details><summary>עוד</summary>" in html and '<abbr title="ראשי תיבות">' in html
    assert '<div class="admonition warning">' in html and '<p class="admonition-title">שימו לב</p>' in html
    assert '<th align="left">' in html and '<td align="right">' in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # code shows the text as typed
    assert "alert(2)" not in html  # a script's content is dropped with it
    assert '<span lang="en" dir="ltr">English</span>' in html


def test_relative_addresses_go_through_the_rewrite_and_images_must_be_site_pictures():
    def rewrite(url: str) -> str | None:
        return {"a.md": "a.html", "../files/p.png": "../files/p.png", "../files/d.pdf": "../files/d.pdf"}.get(url)

    html = sanitize.clean(
        '<a href="a.md">1</a><a href="nowhere.md">2</a><a href="#x">3</a>'
        '<img src="../files/p.png"><img src="../files/d.pdf"><img src="//evil.example/p.png">',
        lambda url: "#x" if url == "#x" else rewrite(url),
    )
    assert '<a href="a.html"' in html and '<a href="#x"' in html
    assert html.count("href=") == 2  # the link that leads nowhere lost its address
    assert html.count("src=") == 1 and 'src="../files/p.png"' in html


def test_the_rewrite_cannot_smuggle_an_address_out():
    # nh3 does not check what the attribute filter returns, so the filter checks it itself.
    html = sanitize.clean('<a href="x.md">1</a><img src="p.png">', lambda url: "javascript:alert(1)")
    assert "javascript" not in html and "src=" not in html


@pytest.mark.parametrize(
    ("value", "allowed"),
    [
        ("רקע", True),
        ("a-b_c", True),
        ("2020", True),
        ("__config", False),
        ("_x", False),
        ("md-header", False),
        ("kb-content", False),
        ("outcome-1", False),
        ("search-results", False),
        ("a b", False),
        ("x\n", False),
        ("", False),
    ],
)
def test_ids(value: str, allowed: bool):
    assert sanitize.id_allowed(value) is allowed


@pytest.mark.parametrize(
    ("url", "scheme"),
    [
        ("https://a", "https"),
        ("HTTPS://a", "https"),
        (" java\tscript:x", "javascript"),
        ("\x01javascript:x", "javascript"),
        ("../a.md", None),
        ("a:b", "a"),
        ("#x", None),
    ],
)
def test_schemes_as_a_browser_reads_them(url: str, scheme: str | None):
    assert sanitize.url_scheme(url) == scheme


@pytest.mark.parametrize("url", ["//evil.example", "/\\evil.example", "\\\\evil.example", " //evil.example", "/files/a.pdf"])
def test_addresses_that_leave_the_site(url: str):
    assert not sanitize.is_site_relative(url)


@pytest.mark.parametrize(
    "html",
    [
        '<img src=x onerror="alert(1)">',
        '<a href="javascript:alert(1)">x</a>',
        '<img src="https://evil.example/a.png">',
        '<img src="//evil.example/a.png">',
        '<div class="md-dialog">x</div>',
        '<h2 id="__config">x</h2>',
        "<!-- x -->",
        "<script>alert(1)</script>",
        '<p style="position:fixed">x</p>',
        "<svg></svg>",
    ],
)
def test_the_scanner_sees_what_it_looks_for(html: str):
    # Without this, a scanner that found nothing would pass every test above.
    assert problems_in(html)
