"""The pipeline, in order: load → validate → resolve → history → render → write → build → index → post-build
→ bundle → swap. This module is the one place that lists the stages; none of them calls the next.

Like mkdocs' ``commands/build.py``: everything is read and checked before anything is written, and a failed
build leaves the last good site as it was: the site is made in a work folder beside the target and takes the
old one's place in one step (`swap`), one build at a time per site dir.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from . import dates
from . import settings as site_settings
from .content import freshness, placeholders
from .content import history as outcome_history
from .content.load import FileCache, load_content
from .content.references import Graph, resolve
from .content.validate import ValidationCache, validate_entries
from .dates import BuildInfo
from .errors import ContentError, KbError, Problem
from .pages import feeds, open_data, parallel, tracker
from .pages.render import Renderer
from .publish import bundle, engine, postbuild, search_index, swap, write

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CONTENT = PROJECT_ROOT / "content"
DEFAULT_SITE = PROJECT_ROOT / "site"
DEFAULT_CONFIG = PROJECT_ROOT / "mkdocs.yml"


@dataclass
class CheckCache:
    """What the preview keeps between checks: each file as read, each raw entry as validated."""

    files: FileCache = field(default_factory=dict)
    entries: ValidationCache = field(default_factory=dict)


def check_content(content_dir: Path, cache: CheckCache | None = None) -> Graph:
    """Stages 1–3. Raises `ContentError` with every problem found; the graph carries the warnings. With a
    ``cache`` (the preview's), the files that did not change since it last saw them are neither read nor
    validated again; references are always resolved anew."""
    loaded = load_content(content_dir, cache.files if cache else None)
    entries, problems, warnings = validate_entries(loaded.entries, cache.entries if cache else None)
    # The entries that failed validation have their references checked too: every problem in one round.
    valid = {(entry.collection, entry.id) for entry in entries}
    reported: dict[Path, set[str]] = {}
    for problem in problems:
        reported.setdefault(Path(problem.path), set()).add(problem.field)
    rejected = [(raw, reported.get(Path(raw.path), set())) for raw in loaded.entries if (raw.collection, raw.id) not in valid]
    graph, ref_problems = resolve(entries, loaded.files, loaded.root, loaded.ids, loaded.unreadable, rejected)
    # The rules that read the date the build is made on: the statement's yearly review (a warning), and no check
    # dated after the build.
    today = BuildInfo(dates.build_timestamp(content_dir), "").today
    warnings += freshness.statement_warnings(graph, today)
    problems = loaded.problems + problems + ref_problems + freshness.dates_after_build(graph, today)
    if problems:
        raise ContentError(problems, warnings)
    graph.warnings = sorted(warnings)
    return graph


def render_docs(
    content_dir: Path,
    cache: CheckCache | None = None,
    listed: dict[str, tuple] | None = None,
    workers: int = 1,
    settings: site_settings.SiteSettings | None = None,
) -> tuple[Graph, dict[str, str], BuildInfo]:
    """Stages 1–4, with the history between resolve and render: the docs tree as {path: Markdown, or the text of a
    data file or feed}, in memory; ``listed`` gets what each further page of a list shows (the preview's,
    `Renderer.render_all`). The pages are rendered in ``workers`` processes (`parallel`): the full build's, where
    the other core would wait. ``settings``: the project's (mkdocs.yml and CI's environment) unless given."""
    graph = check_content(content_dir, cache)
    settings = settings if settings is not None else site_settings.load(DEFAULT_CONFIG)
    version = dates.content_version(content_dir)
    # The history stage: the outcomes' dated changes from git, which the pages are given (they never run git).
    history = outcome_history.read(graph)
    info = BuildInfo(dates.build_timestamp(content_dir), version, published_url(), settings, history)
    # Data files and feeds are made from the same graph, beside the pages; the data page lists them.
    published = {
        **open_data.TableSet(graph, info).files(),
        **feeds.Feeds(graph, info).files(),
        **tracker.tracker_files(graph, info),
    }
    renderer = Renderer(graph, info, published)
    pages = parallel.render_all(renderer, workers)
    if listed is not None:
        listed.update(renderer.listed)
    return graph, {**pages, **published}, info


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
    seconds: dict[str, float] = field(default_factory=dict)
    """How long each stage took, in order (the engine's own build runs beside the index: its line is the wait
    for it after the index was done)."""


@contextlib.contextmanager
def _timed(seconds: dict[str, float], stage: str) -> Iterator[None]:
    started = time.perf_counter()
    try:
        yield
    finally:
        seconds[stage] = seconds.get(stage, 0.0) + time.perf_counter() - started


def build_site(
    content_dir: Path = DEFAULT_CONTENT,
    site_dir: Path = DEFAULT_SITE,
    config: Path = DEFAULT_CONFIG,
    engine_name: str = engine.DEFAULT_ENGINE,
    strict: bool = False,
) -> BuildResult:
    """Check, render and build the whole site into ``site_dir``, swapped in only when complete. ``strict`` (the
    publishing workflow's): template text still in an entry stops the build, before anything is written."""
    seconds: dict[str, float] = {}
    with _timed(seconds, "load, validate, resolve, history, render"):
        settings = site_settings.load(config)
        graph, docs, info = render_docs(content_dir, workers=parallel.workers(), settings=settings)
    if strict:
        refused = [w for w in graph.warnings if w.message.startswith(placeholders.CATEGORY)]
        if refused:
            kept = [w for w in graph.warnings if w not in refused]
            raise ContentError([dataclasses.replace(w, severity="error") for w in refused], kept)
    result = publish_site(graph, docs, info, content_dir, site_dir, config, engine_name)
    result.seconds = {**seconds, **result.seconds}
    result.warnings = result.warnings + settings.warnings()
    return result


def publish_site(
    graph: Graph,
    docs: dict[str, str],
    info: BuildInfo,
    content_dir: Path,
    site_dir: Path,
    config: Path = DEFAULT_CONFIG,
    engine_name: str = engine.DEFAULT_ENGINE,
) -> BuildResult:
    """Stages 5–9 on the rendered docs: the complete site, swapped in only when complete."""
    builder = engine.ENGINES[engine_name]
    seconds: dict[str, float] = {}
    site_dir = site_dir.resolve()
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    dist = site_dir.parent / "dist"
    with swap.build_lock(site_dir) as lock:
        if lock is not None:
            # Holding the lock, no running build can own what killed builds left.
            swap.remove_leftovers(site_dir, bundle.part_path(dist, site_dir.name))
        with tempfile.TemporaryDirectory(prefix=swap.work_prefix(site_dir), dir=site_dir.parent) as tmp:
            work = Path(tmp)
            new_site, index = work / "site", work / search_index.INDEX_FOLDER
            with _timed(seconds, "write"):
                config_file = write.write_tree(work, docs, content_dir, config, info, graph, builder.config)
            running = builder.start(config_file, info.timestamp, lock)  # build, in its own process, and meanwhile
            try:
                # the index, on the other core; Pagefind's staging folder stays in the work folder too.
                with _timed(seconds, "index (the engine building meanwhile)"):
                    search_index.build_search_index(graph, docs, index, scratch=work)
            except BaseException:
                running.stop()
                raise
            with _timed(seconds, f"build ({builder.name}), after the index"):
                builder.finish(running)
            index.rename(new_site / search_index.INDEX_FOLDER)
            with _timed(seconds, "post-build"):
                postbuild.run_all(new_site)
            with _timed(seconds, "bundle"):
                zipped = bundle.write_bundle(new_site, work, info)
                bundle.place_in_site(zipped, new_site, info)
            with _timed(seconds, "swap"):
                swap.swap_in(new_site, site_dir, work)
                bundle.publish(zipped, dist, site_dir.name)
    pages = sum(path.endswith(".md") for path in docs)
    return BuildResult(site_dir, pages, sum(len(v) for v in graph.entries.values()), graph.warnings, seconds)
