"""The pipeline, in order: load → validate → resolve → render → write → post-build.

Like mkdocs' ``commands/build.py``: everything is read and checked before
anything is written, and a failed build leaves the last good site as it was.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from . import dates
from .content import freshness
from .content.load import load_content
from .content.references import Graph, resolve
from .content.validate import validate_entries
from .dates import BuildInfo
from .errors import ContentError, KbError, Problem
from .pages import feeds, open_data
from .pages.render import Renderer
from .publish import write

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CONTENT = PROJECT_ROOT / "content"
DEFAULT_SITE = PROJECT_ROOT / "site"
DEFAULT_CONFIG = PROJECT_ROOT / "mkdocs.yml"


def check_content(content_dir: Path) -> Graph:
    """Stages 1–3. Raises `ContentError` with every problem found; the graph carries the warnings."""
    loaded = load_content(content_dir)
    entries, problems, warnings = validate_entries(loaded.entries)
    graph, ref_problems = resolve(entries, loaded.files, loaded.root, loaded.ids, loaded.unreadable)
    # The rules that read the date the build is made on: the statement's yearly review (a warning), and no check
    # dated after the build.
    today = BuildInfo(dates.build_timestamp(content_dir), "").today
    warnings += freshness.statement_warnings(graph, today)
    problems = loaded.problems + problems + ref_problems + freshness.dates_after_build(graph, today)
    if problems:
        raise ContentError(problems, warnings)
    graph.warnings = sorted(warnings)
    return graph


def render_docs(content_dir: Path) -> tuple[Graph, dict[str, str], BuildInfo]:
    """Stages 1–4: the docs tree as {path: Markdown, or the text of a data file or feed}, in memory."""
    graph = check_content(content_dir)
    info = BuildInfo(dates.build_timestamp(content_dir), dates.content_version(content_dir), published_url())
    # Data files and feeds are made from the same graph, beside the pages; the data page lists them.
    published = {**open_data.TableSet(graph, info).files(), **feeds.Feeds(graph, info).files()}
    return graph, {**Renderer(graph, info, published).render_all(), **published}, info


def published_url() -> str:
    """``KB_SITE_URL``, the address the site is published at (CI sets it from GitHub Pages), normalised."""
    url = os.environ.get("KB_SITE_URL", "").strip()
    if not url:
        return ""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise KbError(f"KB_SITE_URL must be the site's address, like https://example.org/yozmot/, not {url!r}")
    return urlunsplit((parts.scheme, parts.netloc, parts.path.rstrip("/") + "/", "", ""))


@dataclass
class BuildResult:
    site_dir: Path
    pages: int
    entries: int
    warnings: list[Problem]


def build_site(content_dir: Path = DEFAULT_CONTENT, site_dir: Path = DEFAULT_SITE, config: Path = DEFAULT_CONFIG) -> BuildResult:
    """Check, render and build the whole site into ``site_dir``, swapped in only when complete."""
    graph, docs, info = render_docs(content_dir)
    write.build_and_swap(docs, content_dir, site_dir, config, info, graph)
    pages = sum(path.endswith(".md") for path in docs)
    return BuildResult(site_dir, pages, sum(len(v) for v in graph.entries.values()), graph.warnings)
