"""Entry pages as a reader meets them: where the page is (breadcrumbs), where its facts come from (מקורות), the
way back to the repository (suggest a fix, report an error), and addresses that outlive the next edit (section
ids without their counts, outcome ids that are not positions)."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup
from markdown.extensions.toc import slugify_unicode

from generator import cli, dates
from generator import settings as site_settings
from generator.build import build_site, check_content, render_docs
from generator.content.model import outcome_anchors
from generator.errors import KbError
from generator.settings import AccessibilityContact, SiteSettings

from .conftest import FIXED_EPOCH, SAMPLE_CONTENT, write_files

REPOSITORY = "https://github.com/example/yozmot"
SITE_URL = "https://example.org/yozmot/"
GRAPH = check_content(SAMPLE_CONTENT)
ENTRY_PAGES = {
    "initiatives/karmiel-families-model.html": ("initiatives/index.html", "initiatives/karmiel-families-model.md"),
    "forums/karmiel-round-table.html": ("forums/index.html", "forums/karmiel-round-table.md"),
    "authorities/karmiel.html": ("authorities/index.html", "authorities/karmiel.yml"),
    "clusters/western-galilee.html": ("clusters/index.html", "clusters/western-galilee.yml"),
    "organizations/lev-hakehila.html": ("organizations/index.html", "organizations/lev-hakehila.yml"),
    "topics/emergency.html": ("topics/index.html", "taxonomies/topics.yml"),
}
"""A page of each kind of entry: its section's page and its source file under content/."""


@pytest.fixture(scope="module")
def linked_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample site as CI builds it: the repository from GitHub Actions' environment, the published address."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", FIXED_EPOCH)
        mp.setenv("GITHUB_REPOSITORY", "example/yozmot")
        mp.setenv("GITHUB_SERVER_URL", "https://github.com")
        mp.setenv("GITHUB_REF", "refs/heads/main")
        mp.setenv("KB_SITE_URL", SITE_URL)
        site = tmp_path_factory.mktemp("linked") / "site"
        build_site(SAMPLE_CONTENT, site)
    return site


def soup(site: Path, page: str) -> BeautifulSoup:
    return BeautifulSoup((site / page).read_text(encoding="utf-8"), "html.parser")


def content_of(site: Path, page: str) -> BeautifulSoup:
    found = soup(site, page).select_one("article.md-content__inner")
    assert found is not None
    return found


# --- breadcrumbs -------------------------------------------------------------------


@pytest.mark.parametrize("page", sorted(ENTRY_PAGES))
def test_every_kind_of_entry_page_says_where_it_is(linked_site: Path, page: str):
    article = content_of(linked_site, page)
    nav = article.select_one("nav.kb-breadcrumbs")
    assert nav is not None and nav.get("aria-label")
    # Before the title, so a screen reader's user meets it where a sighted reader does.
    assert nav.find_next("h1") is article.find("h1")
    items = nav.select("ol > li")
    assert [li.a["href"] if li.a else None for li in items] == [
        "../index.html",
        "../" + ENTRY_PAGES[page][0],
        None,
    ]
    current = nav.select('[aria-current="page"]')
    assert len(current) == 1 and current[0] in items[-1].descendants
    assert current[0].get_text() == article.find("h1").get_text()


# --- sources -----------------------------------------------------------------------


def test_an_initiative_lists_its_links_as_its_sources(linked_site: Path):
    article = content_of(linked_site, "initiatives/karmiel-families-model.html")
    heading = next(h for h in article.find_all("h2") if h.get_text().startswith("מקורות"))
    listed = heading.find_next_sibling("ul").find_all("a")
    links = GRAPH.entries["initiatives"]["karmiel-families-model"].model.links
    assert [a.get_text() for a in listed] == [link.title for link in links]
    web = [a for a in listed if a["href"].startswith("https://")]
    assert web and all({"external", "noopener", "noreferrer"} <= set(a["rel"]) for a in web)
    assert "../files/plan.pdf" in [a["href"] for a in listed]
    # The host beside the title: where the fact comes from, before the reader follows it.
    assert "karmiel.muni.il" in heading.find_next_sibling("ul").get_text()


def test_an_entry_without_sources_says_so_and_invites_one(linked_site: Path):
    article = content_of(linked_site, "forums/karmiel-round-table.html")
    heading = next(h for h in article.find_all("h2") if h.get_text().startswith("מקורות"))
    assert "עוד לא צורף מקור" in heading.find_next_sibling("p").get_text()


def test_a_forum_may_cite_its_sources(sample_copy: Path):
    forum = sample_copy / "forums" / "south-network.md"
    text = forum.read_text(encoding="utf-8")
    forum.write_text(
        text.replace("updated:", "links:\n  - title: סיכום המפגש\n    url: https://example.org/summary\nupdated:", 1),
        encoding="utf-8",
    )
    _, docs, _ = render_docs(sample_copy, settings=SiteSettings())
    assert (
        'href="https://example.org/summary" rel="external noopener noreferrer">סיכום המפגש</a>' in docs["forums/south-network.md"]
    )


# --- the way back to the repository --------------------------------------------------


@pytest.mark.parametrize("page", sorted(ENTRY_PAGES))
def test_each_entry_page_links_to_its_file_and_to_a_filled_in_report(linked_site: Path, page: str):
    article = content_of(linked_site, page)
    edit = article.find("a", string="הצעת תיקון")
    assert edit["href"] == f"{REPOSITORY}/edit/main/content/{ENTRY_PAGES[page][1]}"
    report = urlsplit(article.find("a", string="דיווח על טעות")["href"])
    assert (report.scheme, report.netloc, report.path) == ("https", "github.com", "/example/yozmot/issues/new")
    query = parse_qs(report.query)
    assert query["template"] == ["report-error.yml"]
    assert query["title"] == [f"טעות: {article.find('h1').get_text()}"]
    assert query["page"] == [SITE_URL + page]


def test_the_footer_names_the_repository_and_a_short_version(linked_site: Path):
    for page in ("index.html", "initiatives/karmiel-families-model.html"):
        footer = soup(linked_site, page).select_one(".md-copyright")
        assert footer.find("a", href=REPOSITORY) is not None
        shown = footer.select_one(".kb-build-info").get_text(" ", strip=True)
        version = dates.content_version(SAMPLE_CONTENT)
        if version:
            assert re.search(rf"גרסה {re.escape(version[:7])}\b", shown), shown
            assert version not in shown or len(version) == 7


def test_the_contribute_page_and_the_statement_link_to_the_repository(linked_site: Path):
    for page in ("contribute.html", "accessibility.html"):
        assert content_of(linked_site, page).find("a", href=REPOSITORY) is not None, page
    form = content_of(linked_site, "accessibility.html").find("a", string="דיווח על בעיית נגישות")
    assert form["href"] == f"{REPOSITORY}/issues/new?template=report-accessibility.yml"


def test_without_a_repository_no_page_links_to_one(sample_site: Path):
    for page in (*ENTRY_PAGES, "index.html", "contribute.html", "accessibility.html"):
        html = (sample_site / page).read_text(encoding="utf-8")
        assert "github.com" not in html and "kb-fix" not in html, page
    # The rest of the entry's page stays: its place and its sources.
    assert content_of(sample_site, "initiatives/karmiel-families-model.html").select_one("nav.kb-breadcrumbs")


def test_the_statement_gives_a_contact_without_an_account():
    contact = AccessibilityContact("רכזת הנגישות של האתר", "negishut@example.org", "04-6000000")
    _, docs, _ = render_docs(SAMPLE_CONTENT, settings=SiteSettings(accessibility=contact))
    statement = docs["accessibility.md"]
    assert re.search(r'<a [^>]*href="mailto:negishut@example.org"', statement)
    assert re.search(r'<a [^>]*href="tel:046000000"', statement)
    assert "רכזת הנגישות של האתר" in statement
    _, docs, _ = render_docs(SAMPLE_CONTENT, settings=SiteSettings())
    assert "mailto:negishut" not in docs["accessibility.md"]


# --- the settings, and what they refuse -------------------------------------------------


def config(tmp_path: Path, extra: str) -> Path:
    return write_files(tmp_path, {"mkdocs.yml": f"site_name: x\nslug: !!python/name:os.system\nextra:\n{extra}"}) / "mkdocs.yml"


def test_the_repository_comes_from_the_config_or_from_ci(tmp_path: Path):
    written = config(tmp_path, '  repository: "https://GitHub.com/owner/yozmot.git/"\n  repository_branch: content\n')
    loaded = site_settings.load(written, {"GITHUB_REPOSITORY": "other/name"})
    assert (loaded.repository, loaded.branch) == ("https://github.com/owner/yozmot", "content")
    dotted = config(tmp_path, '  repository: "https://github.com/owner/yozmot/.git"\n')
    assert site_settings.load(dotted, {}).edit_url("a/b.md") == "https://github.com/owner/yozmot/edit/main/content/a/b.md"
    empty = config(tmp_path, "  repository: ''\n")
    ci = {"GITHUB_REPOSITORY": "owner/name", "GITHUB_SERVER_URL": "https://ghe.example.org", "GITHUB_REF": "refs/heads/dev"}
    assert site_settings.load(empty, ci).edit_url("a/b.md") == "https://ghe.example.org/owner/name/edit/dev/content/a/b.md"
    # A pull request's merge ref is no branch anyone can edit on.
    pull = {"GITHUB_REPOSITORY": "owner/name", "GITHUB_REF": "refs/pull/7/merge"}
    assert site_settings.load(empty, pull).branch == "main"
    assert site_settings.load(empty, {}).repository == ""


@pytest.mark.parametrize(
    "extra, environ, complaint",
    [
        ('  repository: "javascript:alert(1)"\n', {}, "extra.repository"),
        ('  repository: "http://github.com/owner/name"\n', {}, "extra.repository"),
        ('  repository: "https://user:secret@github.com/owner/name"\n', {}, "extra.repository"),
        ('  repository: "https://github.com/owner/name\\" onmouseover=\\"x"\n', {}, "extra.repository"),
        ('  repository_branch: "../../settings"\n', {}, "extra.repository_branch"),
        ("", {"GITHUB_REPOSITORY": "owner/name/../../x"}, "GITHUB_REPOSITORY"),
        ("", {"GITHUB_REPOSITORY": "owner/name", "GITHUB_SERVER_URL": "javascript:alert(1)"}, "GITHUB_SERVER_URL"),
        ('  repository: "https://[::1/owner/name"\n', {}, "extra.repository"),  # found by a review: was a traceback
        ('  repository: "https://github.com:99999/owner/name"\n', {}, "extra.repository"),
        ('  repository: "https://github.com/owner/\u202ename"\n', {}, "extra.repository"),
        ('  repository_branch: "main/"\n', {}, "extra.repository_branch"),
        ('  repository_branch: "main."\n', {}, "extra.repository_branch"),
        ("", {"GITHUB_REPOSITORY": "owner/name", "GITHUB_SERVER_URL": "https://[::1"}, "GITHUB_SERVER_URL"),
        ("  accessibility_contact:\n    email: not-an-address\n", {}, "extra.accessibility_contact"),
        ("  accessibility_contact:\n    phone: 046011111\n", {}, "is not text"),
        ("  accessibility_contact:\n    mail: a@example.org\n", {}, "unknown key"),
    ],
)
def test_a_value_that_cannot_be_a_safe_link_stops_the_build(tmp_path: Path, extra: str, environ: dict, complaint: str):
    with pytest.raises(KbError, match=re.escape(complaint)) as raised:
        site_settings.load(config(tmp_path, extra), environ)
    assert "mkdocs.yml" in str(raised.value) or complaint.startswith("GITHUB_")


def test_check_warns_while_the_statement_has_no_contact(tmp_path: Path, monkeypatch, capsys):
    unset = config(tmp_path, "  accessibility_contact:\n    email: ''\n")
    monkeypatch.setattr(cli.build, "DEFAULT_CONFIG", unset)
    assert cli.main(["check", "--content", str(SAMPLE_CONTENT)]) == 0
    err = capsys.readouterr().err
    assert "mkdocs.yml:4: warning: settings: extra.accessibility_contact:" in err
    assert "email:" in err and "phone:" in err and "35ה" in err
    complete = tmp_path / "complete" / "mkdocs.yml"
    complete.parent.mkdir()
    complete.write_text("extra:\n  accessibility_contact:\n    email: a@example.org\n    phone: '04-6000000'\n", "utf-8")
    monkeypatch.setattr(cli.build, "DEFAULT_CONFIG", complete)
    assert cli.main(["check", "--content", str(SAMPLE_CONTENT)]) == 0
    assert "accessibility_contact" not in capsys.readouterr().err


# --- addresses that outlive the next edit ---------------------------------------------------


_COUNT = re.compile(r"\s*\((\d[\d,]*)\)$")


def test_no_section_id_holds_its_count(linked_site: Path):
    counted = 0
    for path in linked_site.rglob("*.html"):
        for heading in soup(linked_site, str(path.relative_to(linked_site))).select("article h2[id], article h3[id]"):
            text = heading.get_text().removesuffix("¶").strip()
            count = _COUNT.search(text)
            if count:
                counted += 1
                assert not re.search(rf"(^|[-_]){count.group(1)}$", heading["id"]), (path, text, heading["id"])
    assert counted >= 10
    # Made from the words, as the table of contents would slug them without the count.
    for page in ("outcomes.html", "authorities/karmiel.html", "initiatives/index.html", "topics/emergency.html"):
        for heading in content_of(linked_site, page).find_all("h2"):
            words = _COUNT.sub("", heading.get_text().removesuffix("¶").strip())
            assert heading["id"] == slugify_unicode(words, "-"), (page, words)
    ids = [h["id"] for h in content_of(linked_site, "outcomes.html").find_all("h2")]
    assert ids == ["באיחור", "פתוח", "בביצוע", "בוצע", "ירד-מהפרק"]


def test_outcome_rows_have_ids_from_their_titles_and_keep_their_old_numbers(linked_site: Path):
    forum = GRAPH.entries["forums"]["karmiel-round-table"]
    rows = content_of(linked_site, "forums/karmiel-round-table.html").select("tr[id]")
    assert [row["id"] for row in rows] == outcome_anchors(forum.model.outcomes)
    assert [row.select_one("td > span[id]")["id"] for row in rows] == [f"outcome-{n}" for n in range(1, len(rows) + 1)]
    assert not any(re.fullmatch(r"outcome-\d+", row["id"]) for row in rows)


FORUM = """---
title: פורום לבדיקה
summary: פורום קצר לבדיקת מזהי התוצרים.
kind: city_forum
conveners: [kfar-yona]
topics: [education]
context: routine
outcomes:
{outcomes}
updated: 2025-04-01
---

טקסט קצר.
"""


def outcome(title: str, outcome_id: str = "") -> str:
    named = f"    id: {outcome_id}\n" if outcome_id else ""
    return f"  - title: {title}\n{named}    kind: decision\n    status: open"


def forum_rows(content: Path, *outcomes: str) -> list[str]:
    write_files(content, {"forums/test-forum.md": FORUM.format(outcomes="\n".join(outcomes))})
    _, docs, _ = render_docs(content, settings=SiteSettings())
    return re.findall(r'<tr id="([^"]+)"><td[^>]*><span id="outcome-\d+">', docs["forums/test-forum.md"])


def test_an_outcome_keeps_its_address_when_others_come_and_go(sample_copy: Path):
    before = forum_rows(sample_copy, outcome("צוות תיאום"), outcome("מינוי רכז", "coordinator"), outcome("חוברת"))
    assert before[1] == "outcome-coordinator"
    after = forum_rows(sample_copy, outcome("מיפוי חדש"), outcome("חוברת"), outcome("מינוי רכז", "coordinator"))
    assert after[1:] == [before[2], before[1]]
    # Two outcomes of one title still get two addresses, the same ones on every build.
    twice = forum_rows(sample_copy, outcome("חוברת"), outcome("חוברת"))
    assert twice == [before[2], before[2] + "-2"]
    assert forum_rows(sample_copy, outcome("חוברת"), outcome("חוברת")) == twice
