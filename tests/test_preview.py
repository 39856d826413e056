"""The preview's partial rebuilds (`generator/preview.py`): after each edit, every page reads as a full build of
the same content would have it."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from generator.build import build_site
from generator.errors import ContentError
from generator.preview import Preview

from .conftest import SAMPLE_CONTENT


def article_texts(site: Path) -> dict[str, str]:
    """Each page's article (what the content makes of it), as text."""
    out = {}
    for page in sorted(site.rglob("*.html")):
        article = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").select_one("article")
        out[page.relative_to(site).as_posix()] = " ".join(article.get_text(" ").split()) if article else ""
    return out


def retitle(path: Path, title: str) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"^title: .*$", f"title: {title}", text, count=1, flags=re.M), encoding="utf-8")


@pytest.fixture
def preview(tmp_path: Path) -> Preview:
    content = tmp_path / "content"
    shutil.copytree(SAMPLE_CONTENT, content)
    shown = Preview(content, tmp_path / "preview")
    assert shown.full().full
    return shown


def assert_as_a_full_build(preview: Preview, tmp_path: Path) -> None:
    fresh = tmp_path / "fresh"
    shutil.rmtree(fresh, ignore_errors=True)
    build_site(preview.content, fresh)
    ours, theirs = article_texts(preview.site), article_texts(fresh)
    assert sorted(ours) == sorted(theirs)
    # The data files stay as the last full build made them (the preview shows pages), and so do their sizes on
    # the data page.
    assert [page for page in ours if ours[page] != theirs[page] and page != "data/index.html"] == []


def test_each_edit_shows_on_every_page_it_touches_and_only_those_are_written(preview: Preview, tmp_path: Path):
    initiatives = sorted((preview.content / "initiatives").glob("*.md"))
    retitle(initiatives[0], "כותרת חדשה לגמרי")
    result = preview.update()
    assert not result.full and 0 < result.pages < 25
    assert "כותרת חדשה לגמרי" in (preview.site / "initiatives" / "index.html").read_text(encoding="utf-8")
    assert_as_a_full_build(preview, tmp_path)

    initiatives[1].write_text(initiatives[1].read_text(encoding="utf-8") + "\nשורה שנוספה לגוף.\n", encoding="utf-8")
    assert preview.update().pages >= 1
    assert_as_a_full_build(preview, tmp_path)

    others = [path.read_text(encoding="utf-8") for path in preview.content.rglob("*.*")]
    unnamed = next(path for path in initiatives if sum(path.stem in text for text in others) == 0)
    unnamed.unlink()
    assert not preview.update().full
    assert not (preview.site / "initiatives" / f"{unnamed.stem}.html").exists()
    assert_as_a_full_build(preview, tmp_path)


def test_a_page_that_stays_the_same_is_not_written(preview: Preview):
    assert preview.update().pages == 0


def test_a_broken_edit_is_reported_and_the_last_good_preview_stays(preview: Preview):
    initiative = sorted((preview.content / "initiatives").glob("*.md"))[0]
    page = preview.site / "initiatives" / f"{initiative.stem}.html"
    before = page.read_bytes()
    initiative.write_text(
        initiative.read_text(encoding="utf-8").replace("status: ", "status: no-such-status-", 1), encoding="utf-8"
    )
    with pytest.raises(ContentError):
        preview.update()
    assert page.read_bytes() == before


def test_a_new_page_in_the_navigation_builds_everything_again(preview: Preview, tmp_path: Path):
    (preview.content / "pages" / "glossary.md").write_text("---\ntitle: מילון מונחים\n---\n\nמונחים.\n", encoding="utf-8")
    assert preview.update().full
    assert (preview.site / "glossary.html").is_file()
    assert_as_a_full_build(preview, tmp_path)


def test_the_preview_keeps_only_what_the_last_check_read(preview: Preview):
    before = len(preview.cache.entries)
    for _ in range(3):
        preview.update()
    assert len(preview.cache.entries) == before  # a vocabulary's entries are new each time, and not kept


def test_an_emergency_sheet_shows_a_renamed_convener_of_its_authority_s_forum(preview: Preview, tmp_path: Path):
    # Two steps away: the ministry convenes Karmiel's round table, which Karmiel's sheet lists with its conveners.
    ministry = preview.content / "organizations" / "ministry-of-welfare.yml"
    text = ministry.read_text(encoding="utf-8")
    ministry.write_text(re.sub(r"^name: .*$", "name: משרד הרווחה בשם חדש", text, count=1, flags=re.M), encoding="utf-8")
    result = preview.update()
    assert not result.full
    assert "משרד הרווחה בשם חדש" in (preview.site / "emergency" / "karmiel.html").read_text(encoding="utf-8")
    assert_as_a_full_build(preview, tmp_path)


def test_an_edit_far_from_an_authority_leaves_its_emergency_sheet_unwritten(preview: Preview):
    sheets = sorted((preview.site / "emergency").glob("*.html"))
    before = {sheet: sheet.stat().st_mtime_ns for sheet in sheets}
    page = preview.content / "pages" / "about.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nעוד שורה בעמוד אודות.\n", encoding="utf-8")
    assert preview.update().pages >= 1
    assert {sheet: sheet.stat().st_mtime_ns for sheet in sheets} == before
