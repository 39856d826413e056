"""Bodies: CommonMark rendered with the lines the checks need, and put back into the page's Markdown intact."""

from __future__ import annotations

import markdown
import pytest
from bs4 import BeautifulSoup

from generator.content import body, sanitize

MKDOCS_EXTENSIONS = ["toc", "tables", "fenced_code", "attr_list", "admonition", "def_list"]
"""What mkdocs reads the page's Markdown with (mkdocs.yml, plus mkdocs' defaults)."""


def test_lines_of_headings_addresses_and_html():
    source = (
        "## ראשון\n\nטקסט [קישור](../a.md) ו-![תמונה](../files/b.png)\n"  # 1-3
        "שורה שנייה [שני][r] <span lang='en'>x</span>\n\n"  # 4
        "כותרת משנה\n----------\n\n"  # 6-7
        "<div>\n<a href='../c.md'>c</a>\n</div>\n\n"  # 9-11
        "> - ### בתוך ציטוט\n\n[r]: https://example.org\n"  # 13, 15
    )
    rendered = body.render(source)
    assert [(h.line, h.level, h.text, h.top) for h in rendered.headings] == [
        (1, 2, "ראשון", True),
        (6, 2, "כותרת משנה", True),
        (13, 3, "בתוך ציטוט", False),
    ]
    assert [(a.line, a.kind, a.url) for a in rendered.addresses] == [
        (3, "link", "../a.md"),
        (3, "image", "../files/b.png"),
        (4, "link", "https://example.org"),
        (10, "link", "../c.md"),
    ]
    assert [line for line, _ in rendered.raw_html] == [4, 4, 9]


@pytest.mark.parametrize(
    "headings",
    [["רקע", "מה עשינו", "רקע", "רקע"], ["A & B", "שאלה?", "100%", "Ünïcödé", "ת״ז ומספרים 2024"]],
)
def test_anchors_are_what_the_table_of_contents_gave_before(headings: list[str]):
    source = "\n\n".join(f"## {text}" if text else "## " for text in headings)
    toc = markdown.Markdown(extensions=["toc"], extension_configs={"toc": {"slugify": markdown.extensions.toc.slugify_unicode}})
    html = BeautifulSoup(toc.convert(source), "html.parser")
    before = [h.get("id") for h in html.find_all("h2")]
    after = [h.anchor for h in body.render(source).headings]
    assert after == before


def test_a_heading_with_no_text_still_gets_a_plain_anchor():
    assert [h.anchor for h in body.render("## \n\n## *\n").headings] == ["section", "section_1"]


def test_anchors_never_take_the_sites_own_ids_or_its_sections():
    rendered = body.render("## __config\n\n## outcome-1\n\n## אנשי קשר\n", taken=frozenset({"אנשי-קשר"}))
    assert [h.anchor for h in rendered.headings] == ["h-config", "h-outcome-1", "אנשי-קשר_1"]
    assert all(sanitize.id_allowed(h.anchor) for h in rendered.headings)


HOSTILE_HEADINGS = [
    "<script>alert(1)</script>",
    "*כוכבית* _קו_ `קוד` [סוגריים](x) {: #__config } #",
    "a | b \\ c",
    "&lt;img src=x onerror=alert(1)&gt; &amp;amp;",
    "ישן {#__config}",
    "! + - . ( ) ] [",
]


@pytest.mark.parametrize("text", HOSTILE_HEADINGS)
def test_a_heading_goes_back_into_markdown_as_plain_text(text: str):
    rendered = body.render(f"## {text}\n\nפסקה\n")
    heading = rendered.headings[0]
    docs = body.docs_markdown(rendered, lambda part: sanitize.clean(part, lambda url: url))
    html = BeautifulSoup(markdown.Markdown(extensions=MKDOCS_EXTENSIONS).convert(docs), "html.parser")
    shown = html.find("h2")
    assert shown.get("id") == heading.anchor and shown.get_text() == heading.text
    assert not shown.find_all(True) and len(html.find_all(id=True)) == 1


def test_the_sanitized_parts_pass_through_mkdocs_markdown_untouched():
    source = (
        "## א\n\nפסקה *מודגשת* עם `<b>קוד</b>`\n\n```\nשורה\n\n    עם רווח\n```\n\n"
        '!!! note "הערה"\n    תוכן\n\n| a | b |\n|---|--:|\n| 1 | 2 |\n\nמונח\n: הגדרה\n\n'
        "## ב\n\n<details><summary>עוד</summary>\n\nטקסט\n\n</details>\n"
    )
    rendered = body.render(source)
    parts = [sanitize.clean(part, lambda url: url).strip() for _, part in rendered.parts]
    docs = body.docs_markdown(rendered, lambda part: sanitize.clean(part, lambda url: url))
    html = markdown.Markdown(extensions=MKDOCS_EXTENSIONS).convert(docs)
    blocks = [str(div.decode_contents()).strip() for div in BeautifulSoup(html, "html.parser").find_all("div", recursive=False)]
    normal = [str(BeautifulSoup(part, "html.parser")).strip() for part in parts if part]
    assert blocks == normal
