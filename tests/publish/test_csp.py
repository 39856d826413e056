"""The Content-Security-Policy: on every page, strict, and breaking nothing the site does.

Served and from disk, every page type loads with no violation; search, the palette toggle and the
service worker work under it; and what it is there for is shown too: a script or an outside image
slipped into a built page is refused, and the refusal is reported.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from generator.publish import csp

from ..conftest import search_results
from ..search_harness import serve

WATCH = """window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) =>
  window.__violations.push(e.violatedDirective + " " + e.blockedURI));"""

PAGE_TYPES = (
    "index.html",
    "initiatives/karmiel-families-model.html",
    "initiatives/index.html",
    "forums/karmiel-round-table.html",
    "authorities/karmiel.html",
    "topics/index.html",
    "outcomes.html",
    "data/index.html",
    "stale.html",
    "emergency/karmiel.html",
    "about.html",
    "accessibility.html",
    "404.html",
)


def _policy_of(page: Path) -> tuple[str, str]:
    """(the policy, what stands before it in the head)."""
    html = page.read_text(encoding="utf-8")
    match = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">', html)
    assert match, page
    return match.group(1), html[html.index("<head>") : match.start()]


def test_every_page_has_the_same_strict_policy_first_in_its_head(sample_site: Path):
    policies = set()
    for page in sorted(sample_site.rglob("*.html")):
        policy, before = _policy_of(page)
        assert "<script" not in before and "<link" not in before and "<style" not in before, page
        assert page.read_text(encoding="utf-8").count("Content-Security-Policy") == 1, page
        policies.add(policy)
    assert len(policies) == 1, "one policy for the whole site: the theme's inline scripts are the same on every page"
    directives = dict(part.strip().split(" ", 1) for part in policies.pop().split(";"))
    assert directives["default-src"] == "'none'" and directives["object-src"] == "'none'" and directives["base-uri"] == "'none'"
    assert directives["form-action"] == "'self'" and directives["connect-src"] == "'self'" and directives["style-src"] == "'self'"
    assert directives["img-src"] == "'self' data:"
    scripts = directives["script-src"].split()
    assert scripts[:2] == ["'self'", "'wasm-unsafe-eval'"] and all(s.startswith("'sha256-") for s in scripts[2:])
    assert "'unsafe-inline'" not in scripts and "'unsafe-eval'" not in scripts


def test_every_inline_script_of_every_page_is_allowed_by_a_hash(sample_site: Path):
    policy, _ = _policy_of(sample_site / "index.html")
    for page in sorted(sample_site.rglob("*.html")):
        for source in csp.inline_script_hashes(page.read_bytes()):
            assert source in policy, f"{page}: an inline script the policy does not allow"


def _open(page, url: str) -> dict:
    page.goto(url, wait_until="load")
    page.wait_for_timeout(100)
    return page.evaluate("() => window.__violations")


def test_no_page_type_trips_the_policy_when_served(sample_site: Path, browser):
    with serve(sample_site) as url:
        context = browser.new_context()
        context.add_init_script(WATCH)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        for relative in PAGE_TYPES:
            assert _open(page, url + relative) == [], relative
        # Search (Pagefind's WebAssembly included) finds what it should, under the policy.
        assert search_results(page, url + "search.html?q=כרמיאל")
        assert page.evaluate("() => window.__violations") == []
        # The palette toggle (the theme's inline and bundled scripts) still switches the scheme.
        page.goto(url + "index.html")
        before = page.get_attribute("body", "data-md-color-scheme")
        page.click("form[data-md-component=palette] label:visible")
        page.wait_for_function(f"() => document.body.getAttribute('data-md-color-scheme') !== {before!r}")
        # The service worker registers and takes control under worker-src 'self'.
        assert page.evaluate("() => navigator.serviceWorker.ready.then((r) => Boolean(r.active))")
        assert page.evaluate("() => window.__violations") == [] and errors == []
        context.close()


def test_no_page_type_trips_the_policy_from_disk(tmp_path: Path, sample_site: Path, browser):
    import zipfile

    (bundle,) = (sample_site / "downloads").glob("*.zip")
    with zipfile.ZipFile(bundle) as archive:
        archive.extractall(tmp_path)
    tmp_path = tmp_path / bundle.stem  # the one folder the zip holds
    context = browser.new_context()
    context.add_init_script(WATCH)
    page = context.new_page()
    for relative in PAGE_TYPES:
        assert _open(page, (tmp_path / relative).as_uri()) == [], relative
    assert search_results(page, (tmp_path / "search.html").as_uri() + "?q=כרמיאל")  # the fallback index, a classic script
    assert page.evaluate("() => window.__violations") == []
    context.close()


@pytest.mark.parametrize("served", [True, False])
def test_what_slips_into_a_page_is_refused_and_reported(tmp_path: Path, sample_site: Path, browser, served: bool):
    site = tmp_path / "site"
    shutil.copytree(sample_site, site)
    page_file = site / "initiatives" / "karmiel-families-model.html"
    html = BeautifulSoup(page_file.read_text(encoding="utf-8"), "html.parser")
    injected = BeautifulSoup(
        '<script>window.__ran = 1</script><img src="https://evil.example/x.png">'
        '<p style="position:fixed;inset:0;background:red" id="kb-injected">x</p>',
        "html.parser",
    )
    html.find("article").append(injected)
    page_file.write_text(str(html), encoding="utf-8")
    context = browser.new_context()
    context.add_init_script(WATCH)
    outside: list[str] = []
    context.route("https://evil.example/**", lambda route: (outside.append(route.request.url), route.abort()))
    page = context.new_page()
    if served:
        with serve(site) as url:
            violations = _open(page, url + "initiatives/karmiel-families-model.html")
            ran = page.evaluate("() => window.__ran")
            position = page.evaluate("() => getComputedStyle(document.getElementById('kb-injected')).position")
    else:
        violations = _open(page, page_file.as_uri())
        ran = page.evaluate("() => window.__ran")
        position = page.evaluate("() => getComputedStyle(document.getElementById('kb-injected')).position")
    context.close()
    assert ran is None and outside == [] and position != "fixed"
    blocked = {v.split()[0] for v in violations}
    assert {"script-src-elem", "img-src", "style-src-attr"} <= blocked, violations
