"""Stages 5–6, write and post-build: the docs tree → mkdocs → a complete site, swapped in.

The generator hands mkdocs a plain docs tree and a config that inherits the
project's ``mkdocs.yml``; it does not use mkdocs internals or plugin hooks, so
the same tree builds with Zensical.  Everything happens in a temporary folder
beside the target; the finished site takes the old one's place in one step
(see `swap`), and one build at a time writes into a site dir.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

from .. import dates
from ..content import registry
from ..content.references import Graph
from ..dates import BuildInfo
from ..errors import BuildError
from ..pages import open_data
from ..pages.render import TEMPLATES_DIR
from . import bundle, postbuild, search_index, swap

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
            # The theme keeps the reader's palette in localStorage under this path, from an inline script
            # that would otherwise differ with each page's depth; one fixed path gives every page the same
            # script, so the Content-Security-Policy allows it by a single hash.
            "scope": info.url_path,
            "build": {
                "timestamp": info.timestamp,
                "date": info.today.isoformat(),
                "on_date_he": dates.on_date_hebrew(info.today.isoformat()),
                "version": info.version,
            },
        },
    }


def start_mkdocs(config_file: Path, timestamp: int, log: Path, lock: int | None = None) -> subprocess.Popen:
    """Start mkdocs on the generated config; it inherits the build's ``lock``, which it holds while it runs."""
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
            pass_fds=() if lock is None else (lock,),
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
    """Build the site in a work folder beside ``site_dir``, then swap it in, complete, in one step.

    One build at a time into a site dir: a second one waits for the first (see `swap.build_lock`). Holding
    the lock, a build first removes what killed builds left, which no running build can own then.
    """
    site_dir = site_dir.resolve()
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    dist = site_dir.parent / "dist"
    with swap.build_lock(site_dir) as lock:
        if lock is not None:
            swap.remove_leftovers(site_dir, _bundle_part(dist, site_dir.name))
        with tempfile.TemporaryDirectory(prefix=swap.work_prefix(site_dir), dir=site_dir.parent) as tmp:
            work = Path(tmp)
            zipped = _build_in(work, docs, content_dir, project_config, info, graph, lock)
            swap.swap_in(work / "site", site_dir, work)
            _publish_bundle(zipped, dist, site_dir.name)


def _build_in(
    work: Path,
    docs: dict[str, str],
    content_dir: Path,
    project_config: Path,
    info: BuildInfo,
    graph: Graph,
    lock: int | None = None,
) -> Path:
    """The whole build inside ``work``, which then holds the finished site as ``site``; returns the offline zip."""
    docs_dir, new_site, index = work / "docs", work / "site", work / search_index.INDEX_FOLDER
    write_docs(docs, content_dir, docs_dir, graph.files)
    config_file = work / "mkdocs.yml"
    config = mkdocs_config(project_config, docs_dir, new_site, navigation(docs), info)
    config_file.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    # mkdocs (a process of its own) and the search index run side by side, on the two cores.
    log = work / "mkdocs.log"
    mkdocs = start_mkdocs(config_file, info.timestamp, log, lock)
    try:
        # Pagefind's staging folder too stays in the work folder: what a killed build leaves is all in one place.
        search_index.build_search_index(graph, docs, index, scratch=work)
    except BaseException:
        mkdocs.kill()
        mkdocs.wait()
        raise
    finish_mkdocs(mkdocs, log)
    index.rename(new_site / search_index.INDEX_FOLDER)
    postbuild.run_all(new_site)
    zipped = bundle.write_bundle(new_site, work, info)
    published = new_site / registry.download_path(info)
    published.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(zipped, published)
    return zipped


def _bundle_part(dist: Path, site_name: str) -> Path:
    # One fixed name per site dir is safe under its lock, and a killed build's half copy is simply replaced.
    return dist / f".{site_name}-bundle.zip.part"


def _publish_bundle(zipped: Path, dist: Path, site_name: str) -> None:
    """Copy the offline zip into ``dist`` under a temporary name and rename it in: never a half-written zip there."""
    dist.mkdir(exist_ok=True)
    part = _bundle_part(dist, site_name)
    shutil.copyfile(zipped, part)
    os.replace(part, dist / zipped.name)
    for older in dist.glob(f"{registry.SITE_NAME}-offline-*.zip"):
        if older.name != zipped.name:
            older.unlink()  # only the latest bundle is kept
