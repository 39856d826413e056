"""A site built from every hostile body at once, with the source checks switched off, opened page by page in Chromium.

The checks of stage 2 and 3 are friendly early errors; the site's safety must not depend on them. So here they
are switched off: every payload of `tests/hostile.py` reaches a page (one page each, and one page holding all of
them together), and every built page is opened and poked (hover, focus, pointer events on everything in it).
Nothing may open a dialog, set `window.__pwned`, change the title, ask any other origin for anything, trip the
Content-Security-Policy (which would mean the sanitizer let something through), or clobber the theme: take its
`#__config`, put a fixed element over the page, or carry one of its classes (a body's parts are the page's
class-less `<div>`s; the generator's own parts use the theme's classes on purpose).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from generator.build import build_site
from generator.content import references, text_rules

from .hostile import PAYLOADS, problems_in
from .search_harness import serve

FRONT = """---
title: יוזמה עוינת {name}
summary: גוף שנכתב כדי לבדוק שהאתר מנטרל אותו.
scope: national
topics: [employment]
context: routine
status: idea
updated: 2025-06-01
---

"""

POKE = """() => {
  for (const element of document.querySelectorAll("article *")) {
    for (const type of ["mouseover", "mouseenter", "pointerover", "pointerenter", "focus", "focusin", "toggle"]) {
      element.dispatchEvent(new Event(type, { bubbles: true }));
    }
  }
}"""

WATCH = """window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) =>
  window.__violations.push(e.violatedDirective + " " + e.blockedURI));"""

THEME_STATE = """() => ({
  configs: document.querySelectorAll('[id="__config"]').length,
  config: (document.getElementById("__config") || {}).textContent || "",
  pwned: window.__pwned === undefined ? null : String(window.__pwned),
  title: document.title,
  violations: window.__violations,
  forms: [...document.forms].map((form) => form.classList[0] || form.id),
  fixed: [...document.querySelectorAll("article > div:not([class]) *")]
    .filter((element) => ["fixed", "sticky"].includes(getComputedStyle(element).position))
    .map((element) => element.outerHTML.slice(0, 80)),
  themeClasses: [...document.querySelectorAll("article > div:not([class]) [class]")]
    .flatMap((element) => [...element.classList])
    .filter((name) => name.startsWith("md-") && !["md-typeset__scrollwrap", "md-typeset__table"].includes(name)),
})"""


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from .conftest import SAMPLE_CONTENT, _build_once

    content = tmp_path_factory.mktemp("hostile") / "content"
    import shutil

    shutil.copytree(SAMPLE_CONTENT, content)
    for name, body in PAYLOADS.items():
        (content / "initiatives" / f"hostile-{name}.md").write_text(FRONT.format(name=name) + body, encoding="utf-8")
    together = "\n\n".join(f"## {name}\n\n{body}" for name, body in PAYLOADS.items())
    (content / "initiatives" / "hostile-all-together.md").write_text(FRONT.format(name="all") + together, encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        # The friendly checks off: whatever they would refuse now reaches the pages.
        patch.setattr(text_rules, "body_findings", lambda source, rendered: iter(()))
        patch.setattr(references, "_check_body_links", lambda graph, root: iter(()))
        site = _build_once(tmp_path_factory, content, "hostile-site")
    assert build_site  # the same build as `kb build`
    return site


def test_every_hostile_body_reached_a_page(hostile_site: Path):
    pages = {p.stem for p in (hostile_site / "initiatives").glob("hostile-*.html")}
    assert pages == {f"hostile-{name}" for name in PAYLOADS} | {"hostile-all-together"}


def test_no_built_page_holds_anything_the_lists_do_not_allow(hostile_site: Path):
    for path in sorted((hostile_site / "initiatives").glob("hostile-*.html")):
        article = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser").find("article")
        # The generator's own parts of the page (card, lists) are not the body's: read only what the body made.
        for part in article.find_all("div", recursive=False):
            if not part.get("class"):
                assert problems_in(str(part)) == [], path.name


def test_every_page_in_chromium_is_inert(hostile_site: Path, browser):
    clean_config = None
    pages = sorted(p.relative_to(hostile_site).as_posix() for p in hostile_site.rglob("*.html"))
    with serve(hostile_site) as url:
        origin = url.rstrip("/")
        context = browser.new_context()
        outside: list[str] = []
        dialogs: list[str] = []

        def route(request_route) -> None:
            if request_route.request.url.startswith(origin):
                request_route.continue_()
            else:
                outside.append(request_route.request.url)
                request_route.abort()

        context.route("**/*", route)
        context.add_init_script(WATCH)
        page = context.new_page()
        page.on("dialog", lambda dialog: (dialogs.append(f"{page.url}: {dialog.message}"), dialog.dismiss()))
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))
        for relative in pages:
            expected_title = BeautifulSoup((hostile_site / relative).read_text(encoding="utf-8"), "html.parser").title.string
            page.goto(url + relative, wait_until="load")
            page.evaluate(POKE)
            page.wait_for_timeout(30)
            state = page.evaluate(THEME_STATE)
            where = relative
            assert state["pwned"] is None and state["title"] == expected_title, where
            assert state["violations"] == [], where
            assert state["configs"] == 1 and state["fixed"] == [] and state["themeClasses"] == [], (where, state)
            config = json.loads(state["config"])
            # The theme's settings are its own on every page; its two addresses (base, search worker) differ only
            # with the page's depth, and always lead into the site.
            settings = {key: value for key, value in config.items() if key not in ("base", "search")}
            clean_config = clean_config or settings
            assert settings == clean_config, where
            assert re.fullmatch(r"\.|\.\.(?:/\.\.)*|/", config["base"]), (where, config["base"])
            assert "//" not in config["search"] and config["search"].endswith(".min.js"), (where, config["search"])
            ours = {"kb-header-search", "kb-home-search", "kb-search-form", "kb-tracker-form", "md-header__option"}
            assert set(state["forms"]) <= ours, (where, state["forms"])
        context.close()
    assert dialogs == [] and outside == [], (dialogs, outside)
    assert errors == []
