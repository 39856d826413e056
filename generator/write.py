"""Stages 5–6, write and post-build: the docs tree → mkdocs → a complete site, swapped in.

The generator hands mkdocs a plain docs tree and a config that inherits the
project's ``mkdocs.yml``; it does not use mkdocs internals or plugin hooks, so
the same tree builds with Zensical.  Everything happens in a temporary folder
beside the target; the finished site replaces the old one by a rename.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

from . import bundle, dates, open_data, postbuild, registry, search_index
from .dates import BuildInfo
from .errors import BuildError
from .references import Graph
from .render import TEMPLATES_DIR

ASSETS_DIR = TEMPLATES_DIR / "assets"
THEME_DIR = TEMPLATES_DIR / "theme"


def write_docs(docs: dict[str, str], content_dir: Path, docs_dir: Path) -> None:
    """Write the rendered pages, the site's own assets and the content's attachments."""
    for doc_path, text in docs.items():
        target = docs_dir / doc_path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    if ASSETS_DIR.is_dir():
        shutil.copytree(ASSETS_DIR, docs_dir / "assets", dirs_exist_ok=True)
    files = content_dir / registry.FILES_FOLDER
    if files.is_dir():
        # Symlinks were refused in stage 1; copy regular files only, never following links.
        shutil.copytree(
            files,
            docs_dir / registry.FILES_FOLDER,
            symlinks=True,
            dirs_exist_ok=True,
            ignore=lambda d, names: [n for n in names if n.startswith(".")],
        )


def navigation(docs: dict[str, str]) -> list[dict[str, str]]:
    """Sections only, never every entry: pages stay small however much content there is."""
    nav = [{"בית": "index.md"}]
    for name in ("initiatives", "forums"):
        collection = registry.COLLECTIONS[name]
        nav.append({collection.label: collection.index_path()})
    nav.append({"מעקב תוצרים": "outcomes.md"})
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
            "build": {
                "timestamp": info.timestamp,
                "date": info.today.isoformat(),
                "on_date_he": dates.on_date_hebrew(info.today.isoformat()),
                "version": info.version,
            }
        },
    }


def start_mkdocs(config_file: Path, timestamp: int, log: Path) -> subprocess.Popen:
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(timestamp)}
    # Output goes to a file, not a pipe: mkdocs logs a line per page, and a full pipe
    # would stop it until the index (running meanwhile) is done.
    with log.open("w", encoding="utf-8") as sink:
        return subprocess.Popen(
            # Never --quiet: it hides the warnings that --strict counts, so broken links would pass.
            [sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file", str(config_file)],
            stdout=sink,
            stderr=subprocess.STDOUT,
            text=True,
            env=env,
        )


def finish_mkdocs(proc: subprocess.Popen, log: Path) -> None:
    proc.wait()
    if proc.returncode != 0:
        lines = log.read_text(encoding="utf-8").splitlines()
        problems = [line for line in lines if not line.startswith("INFO")]
        raise BuildError("mkdocs failed:\n" + "\n".join(problems).strip())


def build_and_swap(
    docs: dict[str, str], content_dir: Path, site_dir: Path, project_config: Path, info: BuildInfo, graph: Graph
) -> None:
    site_dir = site_dir.resolve()
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=f".{site_dir.name}-build-", dir=site_dir.parent) as tmp:
        work = Path(tmp)
        docs_dir, new_site, index = work / "docs", work / "site", work / search_index.INDEX_FOLDER
        write_docs(docs, content_dir, docs_dir)
        config_file = work / "mkdocs.yml"
        config = mkdocs_config(project_config, docs_dir, new_site, navigation(docs), info)
        config_file.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
        # mkdocs (a process of its own) and the search index run side by side, on the two cores.
        log = work / "mkdocs.log"
        mkdocs = start_mkdocs(config_file, info.timestamp, log)
        try:
            search_index.build_search_index(graph, docs, index)
        except BaseException:
            mkdocs.kill()
            mkdocs.wait()
            raise
        finish_mkdocs(mkdocs, log)
        index.rename(new_site / search_index.INDEX_FOLDER)
        postbuild.run_all(new_site)
        zipped = bundle.write_bundle(new_site, work, info)
        published = new_site / bundle.download_path(info)
        published.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(zipped, published)
        _swap(new_site, site_dir, work)
        dist = site_dir.parent / "dist"
        dist.mkdir(exist_ok=True)
        for older in dist.glob(f"{bundle.SITE_NAME}-offline-*.zip"):
            older.unlink()  # only the latest bundle is kept
        shutil.copyfile(zipped, dist / zipped.name)


def _swap(new_site: Path, site_dir: Path, work: Path) -> None:
    old = work / "old-site"
    if site_dir.exists():
        site_dir.rename(old)
    new_site.rename(site_dir)
