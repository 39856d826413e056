"""Stage 5, write: the rendered pages → a docs tree and the engine's config, in the build's work folder.

The generator hands the engine (`engine`) a plain docs tree and a config that inherits the project's
``mkdocs.yml``; it does not use mkdocs internals or plugin hooks, so the same tree builds with Zensical.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import yaml

from .. import dates
from ..content import registry
from ..content.references import Graph
from ..dates import BuildInfo
from ..pages import open_data
from ..pages.render import TEMPLATES_DIR

ASSETS_DIR = TEMPLATES_DIR / "assets"
THEME_DIR = TEMPLATES_DIR / "theme"


def write_docs(docs: dict[str, str], content_dir: Path, docs_dir: Path, files: list[str]) -> None:
    """Write the rendered pages, the site's own assets and the content's attachments.

    Only the attachments stage 1 listed and checked are copied, by name: never the folder as it
    is, which could hold (or be) a link to somewhere else on the machine that builds.
    """
    for doc_path, text in docs.items():
        target = docs_dir / doc_path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    if ASSETS_DIR.is_dir():
        shutil.copytree(ASSETS_DIR, docs_dir / "assets", dirs_exist_ok=True)
    for name in files:
        source = content_dir / registry.FILES_FOLDER / name
        target = docs_dir / registry.FILES_FOLDER / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target, follow_symlinks=False)


def navigation(docs: dict[str, str]) -> list[dict[str, str]]:
    """Sections only, never every entry: pages stay small however much content there is."""
    nav = [{"בית": "index.md"}]
    # The site is named after its initiatives: the menu under that name says "all" of them, not the name again.
    nav.append({"כל היוזמות": registry.COLLECTIONS["initiatives"].index_path()})
    nav.append({registry.COLLECTIONS["forums"].label: registry.COLLECTIONS["forums"].index_path()})
    nav.append({"מעקב תוצרים": "outcomes.md"})
    nav.append({"דפי חירום": registry.EMERGENCY_INDEX})
    nav.append({"נתונים פתוחים": registry.DATA_PAGE})
    for name in ("authorities", "clusters", "organizations", "topics", "populations"):
        collection = registry.COLLECTIONS[name]
        nav.append({collection.label: collection.index_path()})
    pages = registry.COLLECTIONS["pages"]
    page_ids = sorted(
        p[: -len(".md")]
        for p in docs
        if "/" not in p and p.endswith(".md") and p not in ("index.md", "outcomes.md", registry.STALE_PAGE)
    )
    order = {page_id: index for index, page_id in enumerate(registry.REQUIRED_PAGES)}
    for page_id in sorted(page_ids, key=lambda p: (order.get(p, len(order)), p)):
        nav.append({_page_title(docs[pages.doc_path(page_id)]): pages.doc_path(page_id)})
    return nav


def _page_title(markdown: str) -> str:
    front = markdown.split("---\n", 2)[1]
    return yaml.safe_load(front)["title"]


def mkdocs_config(project_config: Path, docs_dir: Path, site_dir: Path, nav: list, info: BuildInfo) -> dict:
    published = {"site_url": info.site_url} if info.site_url else {}
    licence = open_data.LICENCE
    return {
        **published,
        "copyright": f'התוכן והנתונים ברישיון <a href="{licence["path"]}">{licence["name"]}</a>',
        "INHERIT": str(project_config.resolve()),
        # Relative to the config file, which sits beside both (Zensical 0.1 rejects absolute ones).
        "docs_dir": docs_dir.name,
        "site_dir": site_dir.name,
        "theme": {"custom_dir": str(THEME_DIR)},
        "nav": nav,
        "extra": {
            # The theme keeps the reader's palette in localStorage under this path, from an inline script
            # that would otherwise differ with each page's depth; one fixed path gives every page the same
            # script, so the Content-Security-Policy allows it by a single hash.
            "scope": info.url_path,
            # The checked address (`settings`), in place of whatever mkdocs.yml wrote: the footer links to it.
            "repository": info.settings.repository,
            "build": {
                "timestamp": info.timestamp,
                "date": info.today.isoformat(),
                "on_date_he": dates.on_date_hebrew(info.today.isoformat()),
                "version": info.version,
            },
        },
    }


def write_tree(
    work: Path,
    docs: dict[str, str],
    content_dir: Path,
    project_config: Path,
    info: BuildInfo,
    graph: Graph,
    engine_config: dict[str, Any] | None = None,
) -> Path:
    """The docs tree (``work/docs``) and the engine's config beside it, which builds into ``work/site``, with what
    the engine adds (``engine_config``, merged a level deep); returns the config file."""
    docs_dir = work / "docs"
    write_docs(docs, content_dir, docs_dir, graph.files)
    config_file = work / "mkdocs.yml"
    config = mkdocs_config(project_config, docs_dir, work / "site", navigation(docs), info)
    for key, value in (engine_config or {}).items():
        config[key] = {**config[key], **value} if isinstance(config.get(key), dict) and isinstance(value, dict) else value
    config_file.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return config_file
