"""Printing an entry: the entry itself, without the site's navigation chrome, with link targets."""

from __future__ import annotations


def test_a_printed_entry_has_no_navigation_chrome(page, sample_url, tmp_path):
    page.goto(sample_url + "initiatives/karmiel-families-model.html")
    page.emulate_media(media="print")
    hidden = page.evaluate(
        """() => ['.md-header', '.md-sidebar--primary', '.md-sidebar--secondary', '.kb-header-search', '.md-footer']
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
