"""The one registry of collections: name → source, schema, template, URL.

Like Astro's ``defineCollection``: every stage asks the registry instead of
knowing folder names, so adding a collection is one entry here plus its model
and template.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from ..dates import BuildInfo
from . import schema


@dataclass(frozen=True)
class Collection:
    name: str
    """Collection name, also its folder under content/ and under the site."""
    model: type[schema.Model]
    format: Literal["yaml", "markdown", "vocabulary"]
    """yaml: one .yml file per entry; markdown: front matter + body; vocabulary: one file, one entry per key."""
    template: str
    """Template (in site_templates/) of an entry's page."""
    label: str
    """Hebrew plural, for headings and navigation."""
    singular: str
    """Hebrew singular, for the card of an entry."""
    source: str = ""
    """Path under content/: a folder, or the file of a vocabulary; defaults to the name."""
    site_folder: str | None = None
    """Folder of the entry pages in the site; None puts them at the top (free pages)."""
    list_template: str = ""
    """Template of the collection's list page (site_folder/index.md), if it has one."""
    search_kind: str | None = None
    """Its value of the search facet 'kind' when its pages are searched; None keeps them out of the index
    (the vocabularies' term pages, which are lists)."""
    pages: bool = True
    """Whether its entries are pages of the site; False for what only the build reads (the search's synonyms)."""
    max_entries: int | None = None
    """The most entries a vocabulary may hold, where more would only slow the build (the search's synonyms)."""

    @property
    def source_path(self) -> str:
        return self.source or self.name

    @property
    def noun(self) -> str:
        """One entry in English messages, with its article: 'an organization'."""
        return _NOUNS[self.name]

    @property
    def where(self) -> str:
        """How to name the place of its entries to a contributor: ``organizations/`` or ``taxonomies/topics.yml``."""
        return self.source_path if self.format == "vocabulary" else self.source_path + "/"

    @property
    def extension(self) -> str:
        return ".md" if self.format == "markdown" else ".yml"

    def doc_path(self, entry_id: str) -> str:
        """Path of an entry's Markdown page inside the generated docs tree."""
        return f"{self.site_folder}/{entry_id}.md" if self.site_folder else f"{entry_id}.md"

    def index_path(self) -> str | None:
        return f"{self.site_folder}/index.md" if self.site_folder else None


def html_path(doc_path: str) -> str:
    """The built page of a docs path: ``initiatives/x.md`` → ``initiatives/x.html``."""
    return doc_path[: -len(".md")] + ".html"


_NOUNS = {
    "authorities": "an authority",
    "clusters": "a cluster",
    "organizations": "an organization",
    "topics": "a topic",
    "populations": "a population",
    "initiatives": "an initiative",
    "forums": "a forum",
    "pages": "a page",
    "synonyms": "a group of synonyms",
}

COLLECTIONS: dict[str, Collection] = {
    c.name: c
    for c in (
        Collection(
            "authorities",
            schema.Authority,
            "yaml",
            "authority.md.j2",
            "רשויות מקומיות",
            "רשות מקומית",
            site_folder="authorities",
            list_template="list_authorities.md.j2",
            search_kind="authority",
        ),
        Collection(
            "clusters",
            schema.Cluster,
            "yaml",
            "cluster.md.j2",
            "אשכולות אזוריים",
            "אשכול אזורי",
            site_folder="clusters",
            list_template="list_clusters.md.j2",
        ),
        Collection(
            "organizations",
            schema.Organization,
            "yaml",
            "organization.md.j2",
            "ארגונים וגופים",
            "ארגון",
            site_folder="organizations",
            list_template="list_organizations.md.j2",
            search_kind="organization",
        ),
        Collection(
            "topics",
            schema.Term,
            "vocabulary",
            "term.md.j2",
            "נושאים",
            "נושא",
            source="taxonomies/topics.yml",
            site_folder="topics",
            list_template="list_terms.md.j2",
        ),
        Collection(
            "populations",
            schema.Term,
            "vocabulary",
            "term.md.j2",
            "אוכלוסיות",
            "אוכלוסייה",
            source="taxonomies/populations.yml",
            site_folder="populations",
            list_template="list_terms.md.j2",
        ),
        Collection(
            "initiatives",
            schema.Initiative,
            "markdown",
            "initiative.md.j2",
            "יוזמות",
            "יוזמה",
            site_folder="initiatives",
            list_template="list_initiatives.md.j2",
            search_kind="initiative",
        ),
        Collection(
            "forums",
            schema.Forum,
            "markdown",
            "forum.md.j2",
            "פורומים",
            "פורום",
            site_folder="forums",
            list_template="list_forums.md.j2",
            search_kind="forum",
        ),
        Collection("pages", schema.Page, "markdown", "page.md.j2", "עמודים", "עמוד", search_kind="page"),
        Collection(
            "synonyms",
            schema.Synonyms,
            "vocabulary",
            "",
            "מילים נרדפות לחיפוש",
            "קבוצת מילים נרדפות",
            source="taxonomies/synonyms.yml",
            pages=False,
            max_entries=1000,
        ),
    )
}

SEARCH_KINDS = {
    "initiative": "יוזמה",
    "forum": "פורום",
    "outcome": "תוצר של פורום",
    "authority": "רשות מקומית",
    "organization": "ארגון או גוף",
    "sheet": "דף חירום",
    "page": "עמוד מידע",
}
"""Values of the search facet 'kind' and their Hebrew labels; 'outcome' records are forum outcomes."""

TEMPLATES_DIR = Path(__file__).resolve().parents[2] / "site_templates"
"""The templates of the pages (each collection's ``template``), the theme's overrides and the site's assets."""

DOWNLOADS = "downloads"
"""Where the site publishes its own offline copy (a zip of itself, which leaves this folder out)."""
SITE_NAME = "yozmot"


def bundle_folder(info: BuildInfo) -> str:
    """The one folder the offline copy unpacks into, named after the site and dated by the build."""
    return f"{SITE_NAME}-offline-{info.today.isoformat()}"


def bundle_name(info: BuildInfo) -> str:
    """The offline copy's file name."""
    return f"{bundle_folder(info)}.zip"


def download_path(info: BuildInfo) -> str:
    """Where the offline copy is inside the site, for links."""
    return f"{DOWNLOADS}/{bundle_name(info)}"


FILES_FOLDER = "files"
"""Attachments under content/ that entries link to; copied to the site as they are."""

DATA_PAGE = "data/index.md"
"""The open-data page, beside the data files it describes."""
STALE_PAGE = "stale.md"
"""Entries due for a re-check, by authority."""
EMERGENCY_INDEX = "emergency/index.md"
"""The page that lists every authority's emergency sheet, by district."""


def emergency_sheet_path(authority_id: str) -> str:
    """The docs path of an authority's printable emergency sheet."""
    return f"emergency/{authority_id}.md"


REQUIRED_PAGES = ("about", "contribute", "accessibility")
"""Free pages the site must ship (content-model spec)."""

RESERVED_PAGE_IDS = frozenset({"index", "search", "outcomes", STALE_PAGE.removesuffix(".md"), "404"})
"""Pages the generator writes at the top of the site itself (``<id>.html``); a free page may not take their
address. A folder of the same name (``forums/``, ``data/``) is no clash: the page is ``forums.html``."""

ORG_LIKE = ("organizations", "authorities")
"""Collections whose ids share one namespace: lead, conveners and owner may name either."""
