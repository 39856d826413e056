"""Entries due for a re-check: the site's page and `kb check --stale` give the same list."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from generator.build import build_site, check_content
from generator.content import freshness

from ..conftest import PROJECT, SAMPLE_CONTENT

LATER = str(int(dt.datetime(2027, 1, 1, tzinfo=dt.UTC).timestamp()))


def test_stale_entries_are_grouped_by_authority_oldest_first():
    graph = check_content(SAMPLE_CONTENT)
    groups = freshness.stale_groups(graph, dt.date(2027, 1, 1))
    found = {(g.authority.id if g.authority else None): [e.id for e in g.entries] for g in groups}
    # 2025-05-20 and 2025-06-01 are 18 months or more before 2027-01-01; 2025-08-01 and later are not.
    assert "karmiel-families-model" not in str(found) and "karmiel-round-table" not in str(found)
    assert found[None] == ["national-rights-tool"]  # national: no authority
    western = [key for key, ids in found.items() if "western-galilee-resilience" in ids]
    assert western and None not in western  # a cluster's initiative is listed under the cluster's authorities
    assert all("south-network" in found[key] for key in ("merhavim",))
    assert list(found)[-1] is None  # entries without an authority come last


def test_the_page_and_kb_check_stale_list_the_same_entries(tmp_path: Path, sample_copy: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", LATER)
    statement = sample_copy / "pages" / "accessibility.md"  # reviewed within the year before LATER
    statement.write_text(
        statement.read_text(encoding="utf-8").replace("reviewed: 2025-10-01", "reviewed: 2026-10-01"), encoding="utf-8"
    )
    site = tmp_path / "site"
    build_site(sample_copy, site)
    page = BeautifulSoup((site / "stale.html").read_text(encoding="utf-8"), "html.parser")
    on_page = set()
    for heading in page.select("article h2[id]"):
        for link in heading.find_next("table").select("td:first-child a"):
            on_page.add((heading["id"], Path(link["href"]).stem))

    result = subprocess.run(
        [sys.executable, "-m", "generator", "check", "--stale", "--content", str(sample_copy)],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "SOURCE_DATE_EPOCH": LATER},
    )
    printed, group = set(), None
    for line in result.stdout.splitlines():
        if heading := re.fullmatch(r".+ \(([a-z0-9-]+)\):", line):
            group = heading[1]
        elif line == "Without an authority:":
            group = "no-authority"
        elif entry := re.fullmatch(r"  (\S+):(\d+): (\w+) → ([a-z0-9-]+): updated (\S+) \((\d+) months ago\)", line):
            printed.add((group, entry[4]))
            # The line given is the one with `updated:`, where the fix goes.
            source = (PROJECT / entry[1]).resolve().read_text(encoding="utf-8").splitlines()
            assert source[int(entry[2]) - 1].startswith(f"updated: {entry[5]}")
    assert printed and printed == on_page
    assert "before 2027-01-01" in result.stdout


def test_the_sample_lists_its_one_stale_entry_and_the_page_stays_out_of_the_navigation(sample_site: Path):
    # The sample's build date (2026-01-01) leaves one entry stale.
    page = BeautifulSoup((sample_site / "stale.html").read_text(encoding="utf-8"), "html.parser")
    assert [a["href"] for a in page.select("article td:first-child a")] == ["initiatives/western-galilee-resilience.html"] * len(
        page.select("article h2[id]")
    )
    home = BeautifulSoup((sample_site / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert "stale.html" not in [a["href"] for a in home.select("nav.md-nav--primary a[href]")]
    graph = check_content(SAMPLE_CONTENT)
    assert freshness.stale_groups(graph, dt.date(2023, 1, 1)) == []
    assert freshness.report(graph, dt.date(2023, 1, 1)) == ["No entry was last checked 18 months or more before 2023-01-01."]
