"""Printing an entry: the entry itself, without the site's navigation chrome, with link targets."""

from __future__ import annotations


def test_a_printed_entry_has_no_navigation_chrome(page, sample_url, tmp_path):
    page.goto(sample_url + "initiatives/karmiel-families-model.html")
    page.emulate_media(media="print")
    hidden = page.evaluate(
        """() => ['.md-header', '.md-sidebar--primary', '.md-sidebar--secondary', '.kb-header-search', '.md-footer__inner']
              .map(sel => [sel, [...document.querySelectorAll(sel)].every(el => getComputedStyle(el).display === 'none')])"""
    )
    assert all(is_hidden for _, is_hidden in hidden), hidden
    assert page.is_visible("article h1")
    assert page.is_visible(".kb-build-info")  # a printed copy says when it was built
    link_target = page.evaluate("() => getComputedStyle(document.querySelector('.kb-card a'), '::after').content")
    assert "../authorities/" in link_target or "../organizations/" in link_target
    pdf = tmp_path / "entry.pdf"
    page.pdf(path=str(pdf), format="A4")
    assert pdf.read_bytes().startswith(b"%PDF")


def test_each_authority_has_an_emergency_sheet_on_few_pages(page, sample_url, sample_site, tmp_path):
    import re

    from generator.build import check_content

    from .conftest import SAMPLE_CONTENT

    graph = check_content(SAMPLE_CONTENT)
    for authority in graph.entries["authorities"].values():
        sheet = f"emergency/{authority.id}.html"
        assert f'href="../{sheet}"' in (sample_site / f"authorities/{authority.id}.html").read_text(encoding="utf-8")
        page.goto(sample_url + sheet)
        listed = set(page.eval_on_selector_all(".kb-sheet table a", "links => links.map(a => a.getAttribute('href'))"))
        own = {e for e in graph.referrers(authority.key, "initiatives")}
        for cluster in graph.referrers(authority.key, "clusters"):
            own |= set(graph.referrers(cluster.key, "initiatives"))
        emergency = {f"../initiatives/{e.id}.html" for e in own if e.model.context in ("emergency", "both")}
        assert emergency <= listed, authority.id
        assert not {h for h in listed if h.startswith("../initiatives/")} - emergency, authority.id
        text = page.text_content(".kb-sheet")
        for forum in graph.referrers(authority.key, "forums"):
            for outcome in forum.model.outcomes:
                assert (outcome.title in text) == (outcome.status in ("open", "in_progress")), outcome.title
        page.emulate_media(media="print")
        pdf = tmp_path / f"{authority.id}.pdf"
        page.pdf(path=str(pdf), format="A4")
        pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf.read_bytes()))
        assert 1 <= pages <= 2, f"{authority.id}: {pages} pages"
        page.emulate_media(media="screen")
