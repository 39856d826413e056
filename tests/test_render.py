"""Stage 4: the Markdown the templates make, against golden files, and the escaping that keeps it safe."""

from __future__ import annotations

import pytest

from generator.render import md_escape

from .golden import read_golden, render_sample


def test_sample_site_renders_as_the_golden_files():
    rendered, golden = render_sample(), read_golden()
    assert sorted(rendered) == sorted(golden), "pages added or removed: run `make golden` and review the diff"
    changed = [path for path in rendered if rendered[path] != golden[path]]
    assert not changed, f"rendering changed for {changed[:5]}: run `make golden` if intended, and review the diff"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[x](javascript:alert(1))", r"\[x\]\(javascript:alert\(1\)\)"),
        ("<b>a & b</b>", "&lt;b&gt;a &amp; b&lt;/b&gt;"),
        ("כותרת {: #__config }", r"כותרת \{: \#\_\_config \}"),
        ("*a* _b_ `c` | d !e", r"\*a\* \_b\_ \`c\` \| d \!e"),
        ("- not a list", r"\- not a list"),
        ("1. not a list", r"1\. not a list"),
        ("שורה\nשנייה", "שורה שנייה"),
        ("מנכ״ל עיריית תל־אביב", "מנכ״ל עיריית תל־אביב"),
    ],
)
def test_md_escape(text, expected):
    assert md_escape(text) == expected
