"""The outcomes tracker asked by its address (outcomes.html?owner=…&overdue=1): only the outcomes that match, over
HTTP and from a folder on disk, with counts for each value a filter offers."""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from pathlib import Path
from urllib.parse import quote, unquote

import pytest

from generator import dates
from generator.build import check_content, render_docs
from generator.pages import tracker
from tests.conftest import FIXED_EPOCH, SAMPLE_CONTENT, write_files

GRAPH = check_content(SAMPLE_CONTENT)
TODAY = dt.datetime.fromtimestamp(int(FIXED_EPOCH), dt.UTC).date()
OUTCOMES = [(forum, o) for forum in GRAPH.entries["forums"].values() for o in forum.model.outcomes]


def shown(page, url: str) -> list[str]:
    """The titles of the outcomes the tracker shows for ``url``, once its filters have run."""
    page.goto(url)
    page.wait_for_function("() => !document.getElementById('kb-tracker-form').hidden && window.KB_TRACKER")
    return page.eval_on_selector_all("#kb-tracker-results tbody tr td:first-child a", "as => as.map(a => a.textContent)")


def test_an_owner_s_address_shows_that_owner_s_outcomes_only(page, sample_url):
    for owner in ("ministry-of-welfare", "karmiel", "lev-hakehila"):
        expected = sorted(o.title for _, o in OUTCOMES if o.owner == owner)
        assert expected and sorted(shown(page, f"{sample_url}outcomes.html?owner={owner}")) == expected, owner
        # The lists of the page without filters are out of sight; only the rows that match are.
        visible = page.eval_on_selector_all("article .kb-table", "ts => ts.filter(t => t.getClientRects().length).length")
        assert visible == 1
        assert page.inner_text("#kb-tracker-status").startswith(("נמצא", "נמצאו"))


def test_filters_combine_and_count_what_each_value_would_show(page, sample_url):
    late = sorted(o.title for _, o in OUTCOMES if dates.is_overdue(o.due, o.status, TODAY))
    assert late and sorted(shown(page, f"{sample_url}outcomes.html?overdue=1")) == late
    open_in_karmiel = sorted(o.title for f, o in OUTCOMES if o.status == "open" and "karmiel" in f.model.authorities)
    assert sorted(shown(page, f"{sample_url}outcomes.html?status=open&authority=karmiel")) == open_in_karmiel
    # Each owner's option counts the open outcomes in Karmiel that owner has (the other filters held).
    options = page.eval_on_selector_all("#kb-t-owner option", "os => os.map(o => [o.value, o.textContent])")
    for value, text in options[1:]:
        count = sum(1 for f, o in OUTCOMES if o.owner == value and o.status == "open" and "karmiel" in f.model.authorities)
        assert text.endswith(f"({count})") and count > 0, (value, text)
    assert page.inner_text("#kb-filters summary") == "סינון (2 פעילים)"


def test_choosing_a_filter_shows_its_outcomes_and_puts_it_in_the_address(page, sample_url):
    assert shown(page, f"{sample_url}outcomes.html") == []  # no filter: the page's own lists
    assert page.eval_on_selector("#kb-tracker-results", "r => r.hidden")
    page.set_viewport_size({"width": 1366, "height": 900})  # the filters are open where there is room
    page.goto(f"{sample_url}outcomes.html")
    page.wait_for_function("() => document.querySelectorAll('#kb-t-kind option').length > 1")
    page.select_option("#kb-t-kind", "publication")
    assert page.evaluate("location.search") == "?kind=publication"
    titles = page.eval_on_selector_all("#kb-tracker-results tbody tr td:first-child a", "as => as.map(a => a.textContent)")
    assert sorted(titles) == sorted(o.title for _, o in OUTCOMES if o.kind == "publication")


def test_the_filters_work_from_the_offline_copy(page, sample_site: Path, tmp_path: Path):
    (bundle,) = (sample_site / "downloads").glob("*.zip")
    with zipfile.ZipFile(bundle) as archive:
        archive.extractall(tmp_path)
    tracker_page = (tmp_path / bundle.stem / "outcomes.html").as_uri()
    expected = sorted(o.title for _, o in OUTCOMES if o.owner == "ministry-of-welfare")
    assert sorted(shown(page, f"{tracker_page}?owner=ministry-of-welfare")) == expected
    first = page.eval_on_selector("#kb-tracker-results tbody a", "a => a.href")
    assert first.startswith("file://") and "#outcome-" in first


def test_the_rows_are_data_the_page_loads_not_the_page_itself():
    _, docs, _ = render_docs(SAMPLE_CONTENT)
    data = json.loads(docs[tracker.TRACKER_DATA].removeprefix("window.KB_TRACKER = ").removesuffix(";\n"))
    assert sorted(row[1] for row in data["rows"]) == sorted(o.title for _, o in OUTCOMES)
    assert not any(o.title in docs["outcomes.md"].split("kb-tracker-lists", 1)[0] for _, o in OUTCOMES)
    # Content refuses markup in a title; should "<" ever reach one, it still could not end the script it is in.
    assert "<" not in tracker._script({"rows": [["x", "</script><script>alert(1)</script>"]]})


@pytest.mark.parametrize("query", [f"owner={quote('<x>')}", "status=nothing", "overdue=2"])
def test_a_value_the_data_does_not_know_shows_nothing_and_breaks_nothing(page, sample_url, query):
    assert shown(page, f"{sample_url}outcomes.html?{query}") == []
    name, value = query.split("=")
    if name != "overdue":  # the filter still says what the link asked for (found by a review: it said "all")
        assert page.eval_on_selector(f"#kb-t-{name}", "s => s.value") == unquote(value)


FORUM = """---
title: פורום בדיקה
summary: פורום לבדיקת הרשויות של התוצרים.
kind: city_forum
conveners: [kfar-yona]
topics: [education]
context: routine
outcomes:
  - title: באחריות מרחבים
    kind: decision
    owner: merhavim
    status: open
  - title: באחריות העמותה
    kind: decision
    owner: lev-hakehila
    status: open
updated: 2025-06-01
---

גוף.
"""


def test_an_outcome_s_authorities_are_its_forum_s_and_its_own_owner_s(sample_copy: Path):
    write_files(sample_copy, {"forums/test-forum.md": FORUM})
    graph, _, info = render_docs(sample_copy)
    rows = {row[1]: row for row in tracker.tracker_data(graph, info)["rows"]}
    assert rows["באחריות מרחבים"][8] == ["kfar-yona", "merhavim"]
    assert rows["באחריות העמותה"][8] == ["kfar-yona"]  # not the authority that owns the forum's other outcome


def test_on_a_phone_the_rows_are_read_only_once_the_filters_are_opened(page, sample_url):
    page.set_viewport_size({"width": 390, "height": 844})
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(f"{sample_url}outcomes.html")
    page.wait_for_load_state("load")
    assert not any(url.endswith(tracker.TRACKER_DATA) for url in requested)
    assert not page.evaluate("document.getElementById('kb-filters').open")
    page.click("#kb-filters summary")
    page.wait_for_function("() => document.querySelectorAll('#kb-t-owner option').length > 1")
    assert any(url.endswith(tracker.TRACKER_DATA) for url in requested)
