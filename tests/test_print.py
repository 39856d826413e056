"""Printing an entry: the entry itself, without the site's navigation chrome, with the addresses of links that
leave the site (and of mailto:/tel: links whose text is something else)."""

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
    # A path inside the site means nothing on paper: the card's links print their text only (links that
    # leave the site: tests/test_reading.py).
    link_target = page.evaluate("() => getComputedStyle(document.querySelector('.kb-card a'), '::after').content")
    assert link_target in ("none", "normal")
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


def test_a_mailto_or_tel_link_whose_text_is_not_its_address_is_given_it_for_print():
    from generator.publish.postbuild import _print_addresses

    written = (
        '<p><a href="mailto:office@example.org?subject=x" rel="noopener noreferrer">כתבו לנו</a> '
        '<a href="mailto:office@example.org">Office@example.org</a> <a href="tel:+97246011111">טלפון <b>המשרד</b></a> '
        '<a href="tel:046011111"><bdi dir="ltr">04-6011111</bdi></a> <a class="kb-address" href="tel:04">04</a> '
        '<a href="https://example.org">אתר</a></p>'
    )
    marked = _print_addresses(written.encode()).decode()
    assert marked == (
        '<p><a data-kb-address="office@example.org" href="mailto:office@example.org?subject=x" rel="noopener noreferrer">'
        'כתבו לנו</a> <a href="mailto:office@example.org">Office@example.org</a> '
        '<a data-kb-address="+97246011111" href="tel:+97246011111">טלפון <b>המשרד</b></a> '
        '<a href="tel:046011111"><bdi dir="ltr">04-6011111</bdi></a> <a class="kb-address" href="tel:04">04</a> '
        '<a href="https://example.org">אתר</a></p>'
    )
    assert _print_addresses(marked.encode()).decode() == marked  # the preview may finish a page twice
