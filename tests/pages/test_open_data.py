"""Open data under site/data/: JSON and CSV that match the content, a valid Data Package, the data page."""

from __future__ import annotations

import csv
import io
import json
import posixpath
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from generator.build import build_site, check_content
from generator.pages.open_data import LIST_SEPARATOR

from ..conftest import REAL_CONTENT, SAMPLE_CONTENT

TABLES = ("initiatives", "forums", "outcomes", "authorities", "organizations")


def read_json(site: Path, table: str) -> list[dict]:
    return json.loads((site / "data" / f"{table}.json").read_text(encoding="utf-8"))


def read_csv(site: Path, table: str) -> list[dict]:
    raw = (site / "data" / f"{table}.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "without a byte-order mark Excel opens Hebrew as gibberish"
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def expected_ids(content: Path, table: str) -> list:
    graph = check_content(content)
    if table == "outcomes":
        return sorted((f.id, n) for f in graph.entries["forums"].values() for n in range(1, len(f.model.outcomes) + 1))
    return sorted(graph.entries[table])


@pytest.mark.parametrize("site_fixture, content", [("real_site", REAL_CONTENT), ("sample_site", SAMPLE_CONTENT)])
def test_every_table_has_one_record_per_entry_in_json_and_csv(request, site_fixture: str, content: Path):
    site = request.getfixturevalue(site_fixture)
    for table in TABLES:
        records, rows = read_json(site, table), read_csv(site, table)
        assert len(records) == len(rows), table
        if table == "outcomes":
            assert sorted((r["forum"], r["number"]) for r in records) == expected_ids(content, table)
        else:
            assert sorted(r["id"] for r in records) == expected_ids(content, table)
        assert list(rows[0]) == list(records[0]), table  # same columns, same order


def test_csv_reads_back_with_hebrew_intact_and_lists_joined(real_site: Path):
    graph = check_content(REAL_CONTENT)
    rows = {row["id"]: row for row in read_csv(real_site, "initiatives")}
    for entry in graph.entries["initiatives"].values():
        row = rows[entry.id]
        assert row["title"] == entry.model.title
        assert row["summary"] == entry.model.summary
        assert row["topics"].split(LIST_SEPARATOR) == entry.model.topics
        labels = [graph.get("topics", t).model.label for t in entry.model.topics]
        assert row["topic_labels"].split(LIST_SEPARATOR) == labels
    json_records = {r["id"]: r for r in read_json(real_site, "initiatives")}
    for record_id, record in json_records.items():
        assert LIST_SEPARATOR.join(record["authority_names"]) == rows[record_id]["authority_names"]


def test_names_are_resolved_and_every_address_is_a_page_of_the_site(real_site: Path):
    graph = check_content(REAL_CONTENT)
    for record in read_json(real_site, "initiatives"):
        entry = graph.get("initiatives", record["id"])
        assert record["authority_names"] == [graph.get("authorities", a).model.name for a in entry.model.authorities]
        if entry.model.lead:
            assert record["lead_name"] == graph.find(("organizations", "authorities"), entry.model.lead).model.name
    for table in TABLES:
        for record in read_json(real_site, table):
            page, _, anchor = record["url"].partition("#")
            assert (real_site / page).is_file(), record["url"]
            if anchor:
                html = BeautifulSoup((real_site / page).read_text(encoding="utf-8"), "html.parser")
                assert html.find(id=anchor), record["url"]


def test_the_data_package_validates_with_frictionless(real_site: Path, tmp_path: Path):
    frictionless = pytest.importorskip("frictionless")
    report = frictionless.validate(str(real_site / "data" / "datapackage.json"))
    assert report.valid, report.flatten(["title", "message"])
    package = json.loads((real_site / "data" / "datapackage.json").read_text(encoding="utf-8"))
    described = {r["path"] for r in package["resources"]}
    assert described == {f"{t}.{ext}" for t in TABLES for ext in ("csv", "json")}
    for resource in package["resources"]:
        header = list(read_json(real_site, resource["path"].split(".")[0])[0])
        assert [f["name"] for f in resource["schema"]["fields"]] == header
        assert all(f["description"] for f in resource["schema"]["fields"]), resource["name"]
    assert package["licenses"][0]["name"] == "CC-BY-4.0"

    # The validator really reads the rows: a count that is not a number, and an outcome of a forum
    # that does not exist, make the package invalid.
    broken = tmp_path / "data"
    shutil.copytree(real_site / "data", broken)
    rows = read_csv(broken.parent, "forums")
    rows[0]["meetings"] = "שלוש"
    _write_csv(broken / "forums.csv", rows)
    outcomes = read_csv(broken.parent, "outcomes")
    outcomes[0]["forum"] = "no-such-forum"
    _write_csv(broken / "outcomes.csv", outcomes)
    report = frictionless.validate(str(broken / "datapackage.json"))
    errors = {(e["resource"] if "resource" in e else "", e["type"]) for e in _errors(report)}
    assert ("forums-csv", "type-error") in errors
    assert ("outcomes-csv", "foreign-key") in errors


def _errors(report) -> list[dict]:
    return [{"resource": task.name, "type": error.type} for task in report.tasks for error in task.errors]


def _write_csv(path: Path, rows: list[dict]) -> None:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text("\ufeff" + buffer.getvalue(), encoding="utf-8")


def test_text_a_spreadsheet_would_run_as_a_formula_stays_text(sample_copy: Path, tmp_path: Path):
    page = sample_copy / "initiatives" / "national-rights-tool.md"
    text = page.read_text(encoding="utf-8")
    title = text.split("title:", 1)[1].split("\n", 1)[0]
    page.write_text(text.replace(f"title:{title}", 'title: \'=HYPERLINK("https://evil.example","לחצו")\'', 1), encoding="utf-8")
    site = tmp_path / "site"
    build_site(sample_copy, site)
    row = next(r for r in read_csv(site, "initiatives") if r["id"] == "national-rights-tool")
    assert row["title"] == "'" + '=HYPERLINK("https://evil.example","לחצו")'
    record = next(r for r in read_json(site, "initiatives") if r["id"] == "national-rights-tool")
    assert record["title"].startswith("=HYPERLINK")  # JSON is data, not a spreadsheet: kept as written


def test_the_data_page_lists_every_file_and_field(real_site: Path):
    page = BeautifulSoup((real_site / "data" / "index.html").read_text(encoding="utf-8"), "html.parser")
    hrefs = {a["href"] for a in page.select("article a[href]")}
    files = {posixpath.normpath(posixpath.join("data", h)) for h in hrefs if "://" not in h and not h.startswith("#")}
    assert all((real_site / f).is_file() for f in files), files
    for table in TABLES:
        assert {f"data/{table}.csv", f"data/{table}.json"} <= files
        columns = [code.get_text() for code in page.find(id=table).find_next("table").select("td:first-child code")]
        assert columns == list(read_json(real_site, table)[0])
    assert {"data/datapackage.json", "feed.xml"} <= files
    assert "https://creativecommons.org/licenses/by/4.0/" in hrefs
    nav = [
        a["href"]
        for a in BeautifulSoup((real_site / "index.html").read_text(encoding="utf-8"), "html.parser").select(
            "nav.md-nav--primary a[href]"
        )
    ]
    assert "data/index.html" in nav
