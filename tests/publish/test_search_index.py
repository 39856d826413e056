"""The Pagefind index written after the build: what is in it, and what is not."""

from __future__ import annotations

from pathlib import Path

from generator.build import check_content, render_docs
from generator.content.model import outcome_anchors
from generator.publish import search_index
from generator.publish.search_index import indexed_text, records

from ..conftest import SAMPLE_CONTENT

_, DOCS, _ = render_docs(SAMPLE_CONTENT)


def test_index_is_written_fresh(sample_site: Path):
    assert (sample_site / "pagefind" / "pagefind.js").is_file()
    assert any((sample_site / "pagefind" / "fragment").iterdir())


def test_records_are_entries_pages_outcomes_authorities_organizations_and_emergency_sheets(sample_site: Path):
    graph = check_content(SAMPLE_CONTENT)
    found = records(graph, DOCS)
    urls = {record.url for record in found}
    expected = {f"initiatives/{i}.html" for i in graph.entries["initiatives"]}
    expected |= {f"forums/{i}.html" for i in graph.entries["forums"]}
    expected |= {f"{i}.html" for i in graph.entries["pages"]}
    expected |= {f"authorities/{i}.html" for i in graph.entries["authorities"]}
    expected |= {f"organizations/{i}.html" for i in graph.entries["organizations"]}
    expected |= {f"emergency/{i}.html" for i in graph.entries["authorities"]}
    expected |= {
        f"forums/{forum.id}.html#{anchor}"
        for forum in graph.entries["forums"].values()
        for anchor in outcome_anchors(forum.model.outcomes)
    }
    assert urls == expected  # no list, home, cluster or term pages
    # Entries (and their outcomes) first, then the bodies' pages, then the site's own pages; each by title.
    kinds = [record.meta["kind"] for record in found]
    assert kinds.index("authority") > max(i for i, kind in enumerate(kinds) if kind in ("initiative", "forum", "outcome"))
    assert kinds.index("page") > max(i for i, kind in enumerate(kinds) if kind in ("authority", "organization", "sheet"))
    ranked = [(search_index.KIND_ORDER[r.meta["kind"]], r.title, r.url) for r in found]
    assert ranked == sorted(ranked)


def test_an_authority_is_found_by_its_name_not_by_its_list_of_entries(sample_site: Path):
    graph = check_content(SAMPLE_CONTENT)
    by_url = {record.url: record for record in records(graph, DOCS)}
    authority = next(iter(graph.entries["authorities"].values()))
    record = by_url[f"authorities/{authority.id}.html"]
    assert record.named and record.filters["kind"] == ["authority"] and record.filters["authority"] == [authority.id]
    assert authority.model.name in record.text
    listed = [e.model.title for e in graph.entries["initiatives"].values() if authority.id in (e.model.authorities or [])]
    assert listed and not any(title in record.text for title in listed)  # its page lists them; each is a result itself


def test_outcome_anchors_exist_on_forum_pages(sample_site: Path):
    graph = check_content(SAMPLE_CONTENT)
    for record in records(graph, DOCS):
        if "#" in record.url:
            page, anchor = record.url.split("#")
            assert f'id="{anchor}"' in (sample_site / page).read_text(encoding="utf-8")


def test_indexed_text_leaves_out_labels_and_notices(sample_site: Path):
    graph = check_content(SAMPLE_CONTENT)
    by_url = {record.url: record for record in records(graph, DOCS)}
    stale = next(e for e in graph.entries["initiatives"].values() if e.model.updated < "2024")
    record = by_url[f"initiatives/{stale.id}.html"]
    assert stale.model.title in record.text
    assert stale.model.summary.split()[0] in record.text
    assert "נבדק לאחרונה" not in record.text  # card label, notice and footer line
    assert "ייתכן שהמידע אינו עדכני" not in record.text
    # The card's values are searched (they are in ``card``) but never shown as an excerpt.
    topic = graph.entries["topics"][stale.model.topics[0]].model.label
    assert topic in record.card and topic not in record.text


def test_filters_carry_content_model_ids(sample_site: Path):
    graph = check_content(SAMPLE_CONTENT)
    for record in records(graph, DOCS):
        if record.url.startswith("initiatives/"):
            entry = graph.entries["initiatives"][record.url.split("/")[1][: -len(".html")]]
            assert record.filters["kind"] == ["initiative"]
            assert record.filters["status"] == [entry.model.status]
            assert record.filters["context"] == [entry.model.context]
            assert record.filters["topic"] == list(entry.model.topics)


def test_page_html_on_disk_stays_clean(sample_site: Path):
    page = next((sample_site / "initiatives").glob("*.html")).read_text(encoding="utf-8")
    assert "data-pagefind" not in page  # the additions are given to Pagefind in memory only


def test_extracting_indexed_text():
    html = (
        '<html><body><nav>תפריט</nav><article data-pagefind-body><h1>כותרת<a data-pagefind-ignore class="headerlink">¶</a>'
        "</h1><dl><dt data-pagefind-ignore>רשויות</dt><dd>אשדוד<br>ים</dd></dl></article><footer>שוליים</footer></body></html>"
    )
    assert indexed_text(html) == "כותרת אשדוד ים"


def test_an_incomplete_index_is_recognised(sample_site: Path, tmp_path: Path):
    import shutil

    from generator.publish.pagefind_order import is_complete

    index = tmp_path / "pagefind"
    shutil.copytree(sample_site / "pagefind", index)
    assert is_complete(index)
    next((index / "fragment").iterdir()).unlink()
    assert not is_complete(index)
    shutil.rmtree(index)
    shutil.copytree(sample_site / "pagefind", index)
    (index / "pagefind-entry.json").write_text("", encoding="utf-8")  # what a cut-off write leaves
    assert not is_complete(index)


def test_the_lexicon_tables_ship_with_their_licence_and_source(sample_site: Path):
    # The tables derived from hspell's dictionary are AGPL-3.0: every site that ships them says so, with the source.
    assert any((sample_site / "pagefind" / "kb" / "lexicon").glob("*.js"))
    licences = (sample_site / "assets" / "licenses.txt").read_text(encoding="utf-8")
    notice = " ".join(licences[licences.index("Hspell") :].split("\n*", 1)[0].split())
    assert "Affero General Public License" in notice and "http://hspell.ivrix.org.il/" in notice
    data_page = (sample_site / "data" / "index.html").read_text(encoding="utf-8")
    assert 'href="http://hspell.ivrix.org.il/"' in data_page and 'href="../assets/licenses.txt"' in data_page
    assert "Affero" in data_page
