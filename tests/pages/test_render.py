"""Stage 4: the Markdown the templates make, against golden files, and the escaping that keeps it safe."""

from __future__ import annotations

import pytest
import yaml

from generator.pages.render import _front_matter, relative_url

from ..golden import read_golden, render_sample


def test_sample_site_renders_as_the_golden_files():
    rendered, golden = render_sample(), read_golden()
    assert sorted(rendered) == sorted(golden), "pages added or removed: run `make golden` and review the diff"
    changed = [path for path in rendered if rendered[path] != golden[path]]
    assert not changed, f"rendering changed for {changed[:5]}: run `make golden` if intended, and review the diff"


@pytest.mark.parametrize(
    ("from_doc", "to_doc", "expected"),
    [
        ("index.md", "initiatives/a.md", "initiatives/a.html"),
        ("initiatives/a.md", "initiatives/b.md", "../initiatives/b.html"),
        ("forums/x.md", "outcomes.md", "../outcomes.html"),
        ("about.md", "topics/index.md", "topics/index.html"),
    ],
)
def test_links_point_at_files_relative_to_the_page(from_doc, to_doc, expected):
    assert relative_url(from_doc, to_doc) == expected


def test_front_matter_is_escaped_for_the_theme():
    # The theme prints these unescaped into <h1> and a meta attribute.
    front = _front_matter({"title": 'מנכ"ל <img src=x onerror=alert(1)//', "description": "a & b"})
    data = yaml.safe_load(front.split("---")[1])
    assert data == {"title": "מנכ&quot;ל &lt;img src=x onerror=alert(1)//", "description": "a &amp; b"}


FRONT_MATTER_TRAPS = [
    "שורה\u2028--- ושורה",  # a line separator: YAML reads it as a line break
    "פסקה\u2029ופסקה",
    "\u0085NEL",
    "😀 אימוג׳י",  # JSON's escape of it is a pair of surrogates, which YAML reads as two broken characters
    '"מרכאות" \\ ו-\\n',
    "---",
    "...",
    "# לא הערה",
    "a: b, [c], {d}, &e *f !g |h >i",
    "\ufeffBOM",
    "\ttab",
    "'גרש'",
]


@pytest.mark.parametrize("value", FRONT_MATTER_TRAPS)
def test_front_matter_reads_back_as_written(value: str):
    # If a value could end the front matter early, mkdocs would drop it and render it as Markdown instead.
    import html

    text = _front_matter({"title": value, "description": value})
    assert text.startswith("---\n") and text.count("\n---\n") == 1
    assert yaml.safe_load(text.split("---\n")[1]) == {
        "title": html.escape(value, quote=True),
        "description": html.escape(value, quote=True),
    }


@pytest.mark.skipif(not yaml.__with_libyaml__, reason="PyYAML without libyaml uses its own emitter only")
def test_libyaml_quotes_every_character_as_pyyaml_does():
    from generator.pages.render import _yaml_string

    values = [*FRONT_MATTER_TRAPS, *(f"א{chr(code)}b" for code in [*range(0xD800), *range(0xE000, 0x10000), 0x1F600, 0x10FFFF])]
    differ = [value for value in values if _yaml_string(value) != _yaml_string(value, yaml.SafeDumper)]
    assert differ == []
