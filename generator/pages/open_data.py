"""Open data: the knowledge base as tables others can reuse, under ``data/`` in the site.

Each table is declared once here, as columns; the JSON and CSV files, the Frictionless Data
Package that describes them and the site's data page are all made from those declarations.
A column that is a field of the content model takes its description from the model's docstring.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel

from ..content import registry, schema
from ..content.history import ADDED
from ..content.links import file_url
from ..content.model import Entry, file_link_path, link_is_web, outcome_anchors
from ..content.references import Graph
from ..dates import BuildInfo, is_overdue

DATA_FOLDER = "data"
PACKAGE_FILE = "datapackage.json"
LICENCE = {
    "name": "CC-BY-4.0",
    "title": "Creative Commons Attribution 4.0 International",
    "path": "https://creativecommons.org/licenses/by/4.0/",
}
"""The licence of the content and of the data: reuse freely, naming the source."""
LIST_SEPARATOR = "; "
"""How a list is written in one CSV cell."""
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

FieldType = Literal["string", "integer", "number"]


@dataclass(frozen=True)
class Row:
    """One record: the entry it comes from, and for a forum outcome, the outcome and its number."""

    entry: Entry
    outcome: schema.ForumOutcome | None = None
    number: int = 0
    anchor: str = ""
    """The outcome's id on its forum's page (`outcome_anchors`)."""


@dataclass(frozen=True)
class Column:
    name: str
    title: str
    """Hebrew, for the data page and for people opening the file."""
    description: str
    value: Callable[[Row], Any]
    type: FieldType = "string"
    many: bool = False
    """A list: an array in JSON, joined by "; " in CSV."""


@dataclass(frozen=True)
class Table:
    name: str
    title: str
    description: str
    rows: Callable[[Graph], list[Row]]
    columns: tuple[Column, ...]

    def file(self, extension: str) -> str:
        return f"{DATA_FOLDER}/{self.name}.{extension}"


class _Columns:
    """Columns that are fields of one content model: their descriptions are the model's docstrings."""

    def __init__(self, model: type[BaseModel]):
        self.model = model

    def doc(self, field: str) -> str:
        return self.model.model_fields[field].description or ""

    def field(self, name: str, title: str, type: FieldType = "string", many: bool = False) -> Column:
        """A field of the content model, as written."""
        return Column(name, title, self.doc(name), lambda row: getattr(_model_of(row, self.model), name), type, many)

    def label(self, name: str, title: str, labels: dict[str, str]) -> Column:
        """The Hebrew label of an enumerated field."""
        return Column(
            f"{name}_label",
            title,
            f"The Hebrew label of {name}.",
            lambda row: labels[getattr(_model_of(row, self.model), name)],
        )


def _model_of(row: Row, model: type[BaseModel]) -> Any:
    return row.outcome if model is schema.ForumOutcome else row.entry.model


class TableSet:
    """The tables of one build: their rows read from ``graph``, addresses from ``info``."""

    def __init__(self, graph: Graph, info: BuildInfo):
        self.graph = graph
        self.info = info
        self.tables = self._declare()

    # --- values ---

    def history_day(self, row: Row, which: str) -> str | None:
        """A day of the outcome's history (`content.history.Timeline`): when it appeared, or its status was set."""
        found = self.info.history.of(row.entry.id, row.anchor)
        return getattr(found, which) if found is not None else None

    def history_of(self, row: Row) -> list[str]:
        """The outcome's dated changes (`content.history.Timeline`) as short text, for the data files."""
        found = self.info.history.of(row.entry.id, row.anchor)
        if found is None:
            return []
        return [
            f"{c.day} added: {c.new or ''}" if c.field == ADDED else f"{c.day} {c.field}: {c.old or ''} > {c.new or ''}"
            for c in found.changes
        ]

    def page(self, entry: Entry) -> str:
        return self.info.address(registry.COLLECTIONS[entry.collection].doc_path(entry.id)[: -len(".md")] + ".html")

    def name_of(self, entry_id: str | None, collections: tuple[str, ...]) -> str:
        found = self.graph.find(collections, entry_id) if entry_id else None
        if found is None:
            return ""
        model = found.model
        return getattr(model, "name", None) or getattr(model, "title", None) or getattr(model, "label", "")

    def names(self, ids: list[str], collections: tuple[str, ...]) -> list[str]:
        return [self.name_of(entry_id, collections) for entry_id in ids]

    def link_address(self, url: str) -> str:
        return url if link_is_web(url) else self.info.address(file_url(file_link_path(url) or ""))

    def clusters_of(self, authority: Entry) -> list[str]:
        # Membership counts from either side: the authority's `cluster`, or the cluster's list.
        return sorted({c.id for c in self.graph.referrers(authority.key, "clusters")} | {authority.model.cluster} - {None})

    def count(self, entry: Entry, collection: str) -> int:
        return len(self.graph.referrers(entry.key, collection))

    # --- rows ---

    def rows_of(self, collection: str) -> Callable[[Graph], list[Row]]:
        return lambda graph: [Row(entry) for _, entry in sorted(graph.entries[collection].items())]

    def outcome_rows(self, graph: Graph) -> list[Row]:
        return [
            Row(forum, outcome, number, anchor)
            for _, forum in sorted(graph.entries["forums"].items())
            for number, (outcome, anchor) in enumerate(
                zip(forum.model.outcomes, outcome_anchors(forum.model.outcomes), strict=True), start=1
            )
        ]

    # --- tables ---

    def _declare(self) -> list[Table]:
        org_like = registry.ORG_LIKE
        ini, forum, outcome = _Columns(schema.Initiative), _Columns(schema.Forum), _Columns(schema.ForumOutcome)
        authority, org = _Columns(schema.Authority), _Columns(schema.Organization)
        entry_id = Column("id", "מזהה", "The entry's id: its file name, and part of its page's address.", lambda r: r.entry.id)
        page = Column("url", "כתובת העמוד", "The address of its page on the site.", lambda r: self.page(r.entry))

        def names(column: str, title: str, of: str, ids: Callable[[Row], list[str]], collections: tuple[str, ...]) -> Column:
            description = f"The names of {of}, in the same order."
            return Column(column, title, description, lambda r: self.names(ids(r), collections), many=True)

        def clusters(row: Row) -> list[str]:
            return self.clusters_of(row.entry)

        def terms(model: _Columns, name: str, title: str, label_title: str) -> list[Column]:
            return [
                model.field(name, title, many=True),
                names(f"{name.rstrip('s')}_labels", label_title, name, lambda r: getattr(r.entry.model, name), (name,)),
            ]

        return [
            Table(
                "initiatives",
                "יוזמות",
                "Every initiative, one row each.",
                self.rows_of("initiatives"),
                (
                    entry_id,
                    page,
                    ini.field("title", "שם"),
                    ini.field("summary", "תקציר"),
                    ini.field("authorities", "רשויות (מזהים)", many=True),
                    names("authority_names", "רשויות", "authorities", lambda r: r.entry.model.authorities, ("authorities",)),
                    ini.field("clusters", "אשכולות (מזהים)", many=True),
                    names("cluster_names", "אשכולות", "clusters", lambda r: r.entry.model.clusters, ("clusters",)),
                    ini.field("scope", "היקף"),
                    ini.label("scope", "היקף (בעברית)", schema.SCOPES),
                    ini.field("lead", "מוביל (מזהה)"),
                    Column("lead_name", "מוביל", "The name of lead.", lambda r: self.name_of(r.entry.model.lead, org_like)),
                    Column(
                        "partners",
                        "שותפים (מזהים)",
                        ini.doc("partners"),
                        lambda r: [p.org for p in r.entry.model.partners],
                        many=True,
                    ),
                    names(
                        "partner_names",
                        "שותפים",
                        "partners",
                        lambda r: [p.org for p in r.entry.model.partners],
                        ("organizations",),
                    ),
                    *terms(ini, "topics", "נושאים (מזהים)", "נושאים"),
                    *terms(ini, "populations", "אוכלוסיות (מזהים)", "אוכלוסיות"),
                    ini.field("context", "הקשר"),
                    ini.label("context", "הקשר (בעברית)", schema.CONTEXTS),
                    ini.field("status", "מצב"),
                    ini.label("status", "מצב (בעברית)", schema.STATUSES),
                    ini.field("started", "התחלה"),
                    ini.field("ended", "סיום"),
                    Column(
                        "outcomes", "תוצאות", ini.doc("outcomes"), lambda r: [o.text for o in r.entry.model.outcomes], many=True
                    ),
                    Column(
                        "links",
                        "קישורים",
                        "The addresses of its documents and pages.",
                        lambda r: [self.link_address(link.url) for link in r.entry.model.links],
                        many=True,
                    ),
                    ini.field("related", "יוזמות קשורות (מזהים)", many=True),
                    ini.field("updated", "נבדק לאחרונה"),
                ),
            ),
            Table(
                "forums",
                "פורומים",
                "Every forum, one row each; its outcomes are in outcomes.",
                self.rows_of("forums"),
                (
                    entry_id,
                    page,
                    forum.field("title", "שם"),
                    forum.field("summary", "תקציר"),
                    forum.field("kind", "סוג"),
                    forum.label("kind", "סוג (בעברית)", schema.FORUM_KINDS),
                    forum.field("conveners", "מכנסים (מזהים)", many=True),
                    names("convener_names", "מכנסים", "conveners", lambda r: r.entry.model.conveners, org_like),
                    forum.field("authorities", "רשויות (מזהים)", many=True),
                    names("authority_names", "רשויות", "authorities", lambda r: r.entry.model.authorities, ("authorities",)),
                    forum.field("members", "חברים (מזהים)", many=True),
                    names("member_names", "חברים", "members", lambda r: r.entry.model.members, org_like),
                    *terms(forum, "topics", "נושאים (מזהים)", "נושאים"),
                    *terms(forum, "populations", "אוכלוסיות (מזהים)", "אוכלוסיות"),
                    forum.field("context", "הקשר"),
                    forum.label("context", "הקשר (בעברית)", schema.CONTEXTS),
                    Column(
                        "meetings", "מפגשים", "How many meetings are recorded.", lambda r: len(r.entry.model.meetings), "integer"
                    ),
                    Column(
                        "last_meeting",
                        "המפגש האחרון",
                        "The date of its latest recorded meeting.",
                        lambda r: max((m.date for m in r.entry.model.meetings), default=""),
                    ),
                    Column("outcomes", "תוצרים", "How many outcomes it has.", lambda r: len(r.entry.model.outcomes), "integer"),
                    Column(
                        "open_outcomes",
                        "תוצרים פתוחים",
                        "How many of its outcomes are open or in progress.",
                        lambda r: sum(o.status in ("open", "in_progress") for o in r.entry.model.outcomes),
                        "integer",
                    ),
                    Column(
                        "links",
                        "קישורים",
                        "The addresses of its sources.",
                        lambda r: [self.link_address(link.url) for link in r.entry.model.links],
                        many=True,
                    ),
                    forum.field("updated", "נבדק לאחרונה"),
                ),
            ),
            Table(
                "outcomes",
                "תוצרי פורומים",
                "Every forum outcome (decision, recommendation, model, action item, publication), one row each.",
                self.outcome_rows,
                (
                    Column("forum", "פורום (מזהה)", "The id of the forum that produced it.", lambda r: r.entry.id),
                    Column("number", "מספר", "Its place in the forum's list of outcomes, from 1.", lambda r: r.number, "integer"),
                    outcome.field("id", "מזהה"),
                    Column("forum_title", "פורום", "The forum's name.", lambda r: r.entry.model.title),
                    Column(
                        "url",
                        "כתובת",
                        "The address of the outcome on its forum's page.",
                        lambda r: f"{self.page(r.entry)}#{r.anchor}",
                    ),
                    outcome.field("title", "תוצר"),
                    outcome.field("kind", "סוג"),
                    outcome.label("kind", "סוג (בעברית)", schema.OUTCOME_KINDS),
                    outcome.field("description", "פירוט"),
                    outcome.field("owner", "אחראי (מזהה)"),
                    Column("owner_name", "אחראי", "The name of owner.", lambda r: self.name_of(r.outcome.owner, org_like)),
                    outcome.field("meeting", "מפגש"),
                    outcome.field("due", "יעד"),
                    outcome.field("status", "מצב"),
                    outcome.label("status", "מצב (בעברית)", schema.OUTCOME_STATUSES),
                    outcome.field("progress", "התקדמות (אחוזים)", "integer"),
                    Column(
                        "overdue",
                        "באיחור",
                        "1 when its due date has passed, by the build's date, and it is neither done nor dropped; else 0.",
                        lambda r: int(is_overdue(r.outcome.due, r.outcome.status, self.info.today)),
                        "integer",
                    ),
                    outcome.field("initiatives", "יוזמות מבצעות (מזהים)", many=True),
                    Column(
                        "first_seen",
                        "נוסף",
                        "The day it first appeared in its forum's file, by the commit (in Israel); empty without git history.",
                        lambda r: self.history_day(r, "first_seen"),
                    ),
                    Column(
                        "status_since",
                        "במצב הנוכחי מאז",
                        "The day its status was last set, by the commit (in Israel); empty without git history.",
                        lambda r: self.history_day(r, "status_since"),
                    ),
                    Column(
                        "history",
                        "היסטוריה",
                        "Its dated changes from git, oldest first: 'YYYY-MM-DD added: status' or 'YYYY-MM-DD field: old > new'.",
                        self.history_of,
                        many=True,
                    ),
                    Column(
                        "updated", "נבדק לאחרונה", "When its forum's facts were last checked.", lambda r: r.entry.model.updated
                    ),
                ),
            ),
            Table(
                "authorities",
                "רשויות מקומיות",
                "Every local authority in the knowledge base, one row each.",
                self.rows_of("authorities"),
                (
                    entry_id,
                    page,
                    authority.field("name", "שם"),
                    authority.field("name_en", "שם בלועזית"),
                    authority.field("other_names", "שמות נוספים", many=True),
                    authority.field("type", "סוג"),
                    authority.label("type", "סוג (בעברית)", schema.AUTHORITY_TYPES),
                    authority.field("district", "מחוז"),
                    authority.label("district", "מחוז (בעברית)", schema.DISTRICTS),
                    Column("clusters", "אשכולות (מזהים)", "The regional clusters it belongs to, by id.", clusters, many=True),
                    names("cluster_names", "אשכולות", "clusters", clusters, ("clusters",)),
                    authority.field("website", "אתר"),
                    Column(
                        "initiatives",
                        "יוזמות",
                        "How many initiatives name it.",
                        lambda r: self.count(r.entry, "initiatives"),
                        "integer",
                    ),
                    Column("forums", "פורומים", "How many forums name it.", lambda r: self.count(r.entry, "forums"), "integer"),
                ),
            ),
            Table(
                "organizations",
                "ארגונים וגופים",
                "Every organization (ministries, public bodies, NGOs, philanthropy, academia, business), one row each.",
                self.rows_of("organizations"),
                (
                    entry_id,
                    page,
                    org.field("name", "שם"),
                    org.field("name_en", "שם בלועזית"),
                    org.field("other_names", "שמות נוספים", many=True),
                    org.field("sector", "מגזר"),
                    org.label("sector", "מגזר (בעברית)", schema.SECTORS),
                    org.field("website", "אתר"),
                    org.field("description", "תיאור"),
                    Column(
                        "initiatives",
                        "יוזמות",
                        "How many initiatives name it (as lead or partner).",
                        lambda r: self.count(r.entry, "initiatives"),
                        "integer",
                    ),
                    Column(
                        "forums",
                        "פורומים",
                        "How many forums name it (as convener or member).",
                        lambda r: self.count(r.entry, "forums"),
                        "integer",
                    ),
                ),
            ),
        ]

    # --- files ---

    def records(self, table: Table) -> list[dict[str, Any]]:
        out = []
        for row in table.rows(self.graph):
            record = {}
            for column in table.columns:
                value = column.value(row)
                record[column.name] = list(value) if column.many else value
            out.append(record)
        return out

    def files(self) -> dict[str, str]:
        """``{site path: text}`` of every data file and the package that describes them."""
        out: dict[str, str] = {}
        for table in self.tables:
            records = self.records(table)
            out[table.file("json")] = json.dumps(records, ensure_ascii=False, indent=1) + "\n"
            out[table.file("csv")] = _csv(table, records)
        out[f"{DATA_FOLDER}/{PACKAGE_FILE}"] = json.dumps(self.package(), ensure_ascii=False, indent=1) + "\n"
        return out

    def package(self) -> dict[str, Any]:
        """The Frictionless Data Package (v1, tabular) describing every file and field."""
        resources = []
        for table in self.tables:
            for extension in ("csv", "json"):
                resource: dict[str, Any] = {
                    "name": f"{table.name}-{extension}",
                    "path": f"{table.name}.{extension}",
                    "profile": "tabular-data-resource",
                    "title": table.title,
                    "description": table.description,
                    "format": extension,
                    "mediatype": "text/csv" if extension == "csv" else "application/json",
                    "encoding": "utf-8-sig" if extension == "csv" else "utf-8",
                    "schema": {"fields": [_field(column, extension) for column in table.columns]},
                }
                keys = ["forum", "number"] if table.name == "outcomes" else ["id"]
                resource["schema"]["primaryKey"] = keys
                if table.name == "outcomes":
                    resource["schema"]["foreignKeys"] = [
                        {"fields": "forum", "reference": {"resource": f"forums-{extension}", "fields": "id"}}
                    ]
                resources.append(resource)
        package: dict[str, Any] = {
            "profile": "tabular-data-package",
            "name": "yozmot",
            "title": "יוזמות – מאגר ידע של השלטון המקומי ושותפיו",
            "description": "Initiatives, forums and forum outcomes of Israel's local authorities and their partners.",
            "licenses": [LICENCE],
            "created": f"{self.info.today.isoformat()}T00:00:00Z",
            "resources": resources,
        }
        if self.info.version:
            package["version"] = self.info.version
        if self.info.site_url:
            package["homepage"] = self.info.site_url
        return package


def _field(column: Column, extension: str) -> dict[str, Any]:
    field_type = ("array" if extension == "json" else "string") if column.many else column.type
    out: dict[str, Any] = {"name": column.name, "title": column.title, "type": field_type}
    description = column.description
    if column.many and extension == "csv":
        description += f' In CSV, the items are joined by "{LIST_SEPARATOR}".'
    out["description"] = description
    return out


def _csv(table: Table, records: list[dict[str, Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([column.name for column in table.columns])
    for record in records:
        writer.writerow(_cell(record[column.name], column) for column in table.columns)
    # The byte-order mark tells Excel the file is UTF-8; without it Hebrew opens as gibberish.
    return "\ufeff" + buffer.getvalue()


def _cell(value: Any, column: Column) -> str:
    if value is None:
        return ""
    text = LIST_SEPARATOR.join(value) if column.many else str(value)
    return spreadsheet_text(text) if column.type == "string" else text


def spreadsheet_text(text: str) -> str:
    """``text`` as a CSV cell that a spreadsheet shows as text: a spreadsheet runs a cell that starts like a formula
    (``=``, ``+``, ``-``, ``@``), and contributor text must stay text, so such a cell gets a leading ``'``."""
    if text.startswith(_FORMULA_STARTS):
        return "'" + text
    return text


def from_spreadsheet_text(cell: str) -> str:
    """The text `spreadsheet_text` was given: its ``'`` taken off again (a cell read back from a sheet)."""
    if cell.startswith("'") and cell[1:].startswith(_FORMULA_STARTS):
        return cell[1:]
    return cell
