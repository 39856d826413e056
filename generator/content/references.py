"""Stage 3, resolve references: once every entry is loaded, check that each
reference names an existing entry and record the back-references.

The fields that are references are found from the schema (``RefTo`` markers),
so no list of them is kept by hand.
"""

from __future__ import annotations

import difflib
import re
import types
import typing
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from ..errors import Problem
from . import links, registry
from .load import field_name
from .model import Entry, file_link_path, link_is_file, outcome_anchors
from .sanitize import is_site_relative, url_scheme
from .schema import RefTo


@dataclass(frozen=True)
class Reference:
    """``source`` names ``target`` in the field at ``path`` (e.g. ``('partners', 0, 'org')``)."""

    source: tuple[str, str]
    target: tuple[str, str]
    path: tuple

    @property
    def role(self) -> str:
        """The field naming the target, without list indexes: ``partners.org``."""
        return ".".join(str(p) for p in self.path if not isinstance(p, int))


GUESS_COMPARISONS = 20_000
"""How many ids one check compares in all for "did you mean": a vocabulary of 20,000 similar ids and hundreds of
missing references would otherwise keep it busy for minutes. Past it, a problem simply has no guess."""


@dataclass
class Graph:
    """All valid entries, linked."""

    entries: dict[str, dict[str, Entry]]
    files: list[str]
    root: Path = Path("content")
    references: list[Reference] = field(default_factory=list)
    incoming: dict[tuple[str, str], list[Reference]] = field(default_factory=lambda: defaultdict(list))
    outgoing: dict[tuple[str, str], list[Reference]] = field(default_factory=lambda: defaultdict(list))
    warnings: list[Problem] = field(default_factory=list)
    """What a maintainer should look at, which does not stop the build (a mobile number, an old statement)."""
    id_buckets: dict[tuple[str, ...], dict[tuple[str, int], list[str]]] = field(default_factory=dict, repr=False)
    """Ids by first letter and length, per set of collections, for "did you mean" (made when first asked)."""
    guess_budget: int = field(default=GUESS_COMPARISONS, repr=False)

    def get(self, collection: str, entry_id: str) -> Entry:
        return self.entries[collection][entry_id]

    def find(self, collections: tuple[str, ...], entry_id: str) -> Entry | None:
        for name in collections:
            if entry_id in self.entries.get(name, {}):
                return self.entries[name][entry_id]
        return None

    def targets(self, source: Entry, role: str) -> list[Entry]:
        """The entries that ``source`` names in the field ``role``, in the order written, each once."""
        seen: dict[tuple[str, str], Entry] = {}
        for ref in self.outgoing.get(source.key, []):
            if ref.role == role:
                seen.setdefault(ref.target, self.get(*ref.target))
        return list(seen.values())

    def referrers(self, target: tuple[str, str], collection: str, role: str | None = None) -> list[Entry]:
        """Entries of ``collection`` that name ``target`` (in the field ``role``, if given), each once."""
        seen: dict[str, Entry] = {}
        for ref in self.incoming.get(target, []):
            if ref.source[0] == collection and (role is None or ref.role == role):
                seen.setdefault(ref.source[1], self.get(*ref.source))
        return list(seen.values())


def iter_references(model: BaseModel, path: tuple = ()) -> Iterator[tuple[tuple, RefTo, str]]:
    """Every ``(field path, RefTo, id)`` in a model, found from its type annotations."""
    for name, info in type(model).model_fields.items():
        value = getattr(model, name)
        marker = next((m for m in info.metadata if isinstance(m, RefTo)), None)
        if marker and isinstance(value, str):
            yield path + (name,), marker, value
        else:
            yield from _walk(info.annotation, value, path + (name,))


def raw_references(model: type[BaseModel], data: Any, path: tuple = ()) -> Iterator[tuple[tuple, RefTo, str]]:
    """Every ``(field path, RefTo, id)`` that raw data (an entry that failed validation) writes where ``model`` takes
    a reference: its ids are checked in the same round as its other problems."""
    if not isinstance(data, dict):
        return
    for name, info in model.model_fields.items():
        if name not in data:
            continue
        value = data[name]
        marker = next((m for m in info.metadata if isinstance(m, RefTo)), None)
        if marker and isinstance(value, str):
            yield path + (name,), marker, value
        else:
            yield from _walk_raw(info.annotation, value, path + (name,))


def _walk_raw(annotation: Any, value: Any, path: tuple) -> Iterator[tuple[tuple, RefTo, str]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield from raw_references(annotation, value, path)
        return
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        base, *metadata = typing.get_args(annotation)
        marker = next((m for m in metadata if isinstance(m, RefTo)), None)
        if marker and isinstance(value, str):
            yield path, marker, value
        elif not marker:
            yield from _walk_raw(base, value, path)
    elif origin is list and isinstance(value, list):
        (item_type,) = typing.get_args(annotation)
        for index, item in enumerate(value):
            yield from _walk_raw(item_type, item, path + (index,))
    elif origin in (typing.Union, types.UnionType):
        for arg in typing.get_args(annotation):
            found = list(_walk_raw(arg, value, path))
            if found:
                yield from found
                return


def _walk(annotation: Any, value: Any, path: tuple) -> Iterator[tuple[tuple, RefTo, str]]:
    if value is None:
        return
    if isinstance(value, BaseModel):
        yield from iter_references(value, path)
        return
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        base, *metadata = typing.get_args(annotation)
        marker = next((m for m in metadata if isinstance(m, RefTo)), None)
        if marker and isinstance(value, str):
            yield path, marker, value
        else:
            yield from _walk(base, value, path)
    elif origin is list:
        (item_type,) = typing.get_args(annotation)
        for index, item in enumerate(value):
            yield from _walk(item_type, item, path + (index,))
    elif origin in (typing.Union, types.UnionType):
        for arg in typing.get_args(annotation):
            if arg is not type(None):
                yield from _walk(arg, value, path)
                return


def resolve(
    entries: list[Entry],
    files: list[str],
    root: Path,
    claimed: dict[str, set[str]] | None = None,
    unreadable: set[str] | None = None,
    rejected: Iterable[tuple[Any, set[str]]] = (),
) -> tuple[Graph, list[Problem]]:
    """Check every reference of the valid ``entries``; ``claimed`` holds the ids of entries
    that exist but have problems of their own, which are not reported again as missing. ``rejected``: the raw
    entries that failed validation, each with the fields already reported: their references are checked too,
    so that a contributor sees every problem in one round."""
    claimed = claimed or {}
    by_collection: dict[str, dict[str, Entry]] = {name: {} for name in registry.COLLECTIONS}
    for entry in entries:
        by_collection[entry.collection][entry.id] = entry
    graph = Graph(by_collection, files, root)
    problems = list(_shared_namespace(graph))
    problems += list(_shared_names(graph))
    problems += list(_required_pages(graph, root, claimed))
    file_set = set(files)
    for entry in entries:
        if entry.references is None:
            entry.references = list(iter_references(entry.model))
        for path, marker, target_id in entry.references:
            target = graph.find(marker.collections, target_id)
            if target is None:
                known_elsewhere = any(target_id in claimed.get(name, ()) for name in marker.collections)
                if not known_elsewhere and not set(marker.collections) & (unreadable or set()):
                    problems.append(_missing(graph, entry, path, marker, target_id, claimed))
                continue
            ref = Reference(entry.key, target.key, path)
            graph.references.append(ref)
            graph.incoming[target.key].append(ref)
            graph.outgoing[entry.key].append(ref)
        for index, link in enumerate(getattr(entry.model, "links", [])):
            if link_is_file(link.url) and file_link_path(link.url) not in file_set:
                problems.append(
                    Problem(
                        entry.path,
                        entry.smap.line(("links", index, "url")),
                        entry.collection,
                        entry.id,
                        f"links[{index}].url",
                        f"there is no file content/files/{file_link_path(link.url)}",
                        "Add the file to content/files/ or correct the path; a web address starts with https://",
                    )
                )
    for raw, reported in rejected:
        model = registry.COLLECTIONS[raw.collection].model
        for path, marker, target_id in raw_references(model, raw.data):
            if field_name(path) in reported or graph.find(marker.collections, target_id) is not None:
                continue
            if any(target_id in claimed.get(name, ()) for name in marker.collections):
                continue
            if not set(marker.collections) & (unreadable or set()):
                problems.append(_missing(graph, raw, path, marker, target_id, claimed))
    problems += list(_check_body_links(graph, root))
    _link_clusters(graph)
    return graph, problems


def page_anchors(graph: Graph) -> dict[str, set[str]]:
    """Docs path of each entry's page → the anchors on it: its body's headings, its template's sections,
    and a forum's outcome rows."""
    anchors: dict[str, set[str]] = {}
    for name, entries in graph.entries.items():
        collection = registry.COLLECTIONS[name]
        if collection.format == "vocabulary":
            continue
        sections = links.template_anchors(collection.template)
        for entry in entries.values():
            found = set(sections) | set(entry.rendered.anchors if entry.rendered else [])
            if name == "forums":  # the rows of its outcomes table, by their ids and by their old numbers
                found |= set(outcome_anchors(entry.model.outcomes))
                found |= {f"outcome-{number}" for number in range(1, len(entry.model.outcomes) + 1)}
            anchors[collection.doc_path(entry.id)] = found
    return anchors


_POSITIONAL_OUTCOME = re.compile(r"outcome-[0-9]+")
"""An outcome's anchor by its place in the list, as rows had them before they had ids (still on the rows)."""


def body_resolver(graph: Graph) -> links.Resolver:
    return links.Resolver({name: set(ids) for name, ids in graph.entries.items()}, graph.files, page_anchors(graph))


_LINK_HINT = "Link relative to this file: ../initiatives/<id>.md, ../authorities/<id>.yml, ../pages/<id>.md or ../files/<name>"


def _check_body_links(graph: Graph, root: Path) -> Iterator[Problem]:
    resolver = body_resolver(graph)
    for entries in graph.entries.values():
        for entry in entries.values():
            if entry.rendered is None:
                continue

            def problem(line: int, message: str, hint: str, entry: Entry = entry) -> Problem:
                return Problem(entry.path, entry.body_line + line - 1, entry.collection, entry.id, "body", message, hint)

            source = links.content_path(root, entry.path)
            source_doc = registry.COLLECTIONS[entry.collection].doc_path(entry.id)
            for address in entry.rendered.addresses:
                if url_scheme(address.url) is not None or not is_site_relative(address.url):
                    continue  # checked in stage 2; never published
                doc = resolver.resolve(source, source_doc, address.url)
                if doc is None:
                    yield problem(
                        address.line,
                        f"the link '{address.url}' leads to no entry, page or file of the knowledge base",
                        _LINK_HINT,
                    )
                elif address.kind == "image" and doc not in resolver.files:
                    yield problem(address.line, f"the image '{address.url}' is not a file of content/files/", _LINK_HINT)
                elif missing := resolver.missing_anchor(doc, address.url):
                    anchor, known = missing
                    # The outcomes' old numbers still lead somewhere, but a new link should use their ids.
                    current = [a for a in known if not _POSITIONAL_OUTCOME.fullmatch(a)]
                    shown = ", ".join(f"#{a}" for a in current[:12]) or "none"
                    page = f"the page '{address.url.split('#')[0]}'" if address.url.split("#")[0] else "this page"
                    yield problem(
                        address.line,
                        f"{page} has no heading with the anchor '#{anchor}'",
                        f"Use one of its anchors ({shown}), or link to the page without '#…'",
                    )


def _missing(graph: Graph, entry: Entry, path: tuple, marker: RefTo, target_id: str, claimed: dict[str, set[str]]) -> Problem:
    def problem(message: str, hint: str) -> Problem:
        return Problem(entry.path, entry.smap.line(path), entry.collection, entry.id, field_name(path), message, hint)

    wanted = " or ".join(registry.COLLECTIONS[name].where for name in marker.collections)
    elsewhere = [name for name in registry.COLLECTIONS if target_id in graph.entries[name] or target_id in claimed.get(name, ())]
    if elsewhere:
        found = registry.COLLECTIONS[elsewhere[0]]
        kinds = " or ".join(registry.COLLECTIONS[name].noun for name in marker.collections)
        return problem(
            f"'{target_id}' is {found.noun} ({found.where}), but this field takes {kinds} ({wanted})",
            f"Use the id of {kinds}, or add one with an id of its own",
        )
    guess = _closest(graph, marker.collections, target_id)
    hint = f"Did you mean '{guess}'? " if guess else ""
    return problem(f"'{target_id}' does not exist in {wanted}", f"{hint}Use the id of an existing entry, or add that entry")


def _closest(graph: Graph, collections: tuple[str, ...], target_id: str) -> str | None:
    """The existing id closest to a missing one, among those with its first letter and about its length: a typo
    rarely starts a word or changes its length by more than two."""
    buckets = graph.id_buckets.get(collections)
    if buckets is None:
        buckets = graph.id_buckets[collections] = {}
        for entry_id in sorted({i for name in collections for i in graph.entries.get(name, {})}):
            buckets.setdefault((entry_id[:1], len(entry_id)), []).append(entry_id)
    near = [buckets.get((target_id[:1], size), []) for size in range(len(target_id) - 2, len(target_id) + 3)]
    count = sum(len(bucket) for bucket in near)
    if count > graph.guess_budget:
        return None
    graph.guess_budget -= count
    guess = difflib.get_close_matches(target_id, [i for bucket in near for i in bucket], n=1)
    return guess[0] if guess else None


def _shared_namespace(graph: Graph) -> Iterator[Problem]:
    """An authority id never equals an organization id: lead, conveners and owner may name either.
    Reported on both files, since either may be the one just added."""
    first, second = registry.ORG_LIKE
    for entry_id in sorted(set(graph.entries[first]) & set(graph.entries[second])):
        for here, there in ((first, second), (second, first)):
            entry = graph.entries[here][entry_id]
            yield Problem(
                entry.path,
                1,
                entry.collection,
                entry_id,
                "id",
                f"'{entry_id}' is also the id of {registry.COLLECTIONS[there].noun} ({registry.COLLECTIONS[there].where})",
                "Rename one of the two files: organizations and authorities share one set of ids",
            )


def _shared_names(graph: Graph) -> Iterator[Problem]:
    """No two bodies answer to one name (name, name_en or other_names, as search reads them): a search for it
    would find the wrong one's pages. Reported on both, since either may be the one just added."""
    owners: dict[str, list[tuple[Entry, tuple, str]]] = {}
    for collection in ("organizations", "authorities", "clusters"):
        for entry in graph.entries[collection].values():
            model = entry.model
            named = [(("name",), model.name), (("name_en",), model.name_en)]
            named += [(("other_names", n), other) for n, other in enumerate(model.other_names)]
            seen = set()
            for where, name in named:
                key = " ".join(name.casefold().replace("״", '"').replace("׳", "'").split()) if name else ""
                if key and key not in seen:
                    seen.add(key)
                    owners.setdefault(key, []).append((entry, where, name))
    for key in sorted(owners):
        if len({found[0].key for found in owners[key]}) < 2:
            continue
        for entry, where, name in owners[key]:
            others = ", ".join(f"{e.collection}/{e.id}" for e, _, _ in owners[key] if e is not entry)
            yield Problem(
                entry.path,
                entry.smap.line(where),
                entry.collection,
                entry.id,
                ".".join(map(str, where)) if len(where) == 1 else f"{where[0]}[{where[1]}]",
                f"'{name}' is also a name of {others}",
                "Keep each name to one body: a search for it would find the other one's pages too",
            )


def _required_pages(graph: Graph, root: Path, claimed: dict[str, set[str]]) -> Iterator[Problem]:
    pages = registry.COLLECTIONS["pages"]
    for page_id in registry.REQUIRED_PAGES:
        # A page that exists but has problems of its own is reported for those, not as missing.
        if page_id not in graph.entries["pages"] and page_id not in claimed.get("pages", ()):
            yield Problem(
                root / pages.source_path / f"{page_id}.md",
                1,
                "pages",
                page_id,
                "file",
                f"the site needs the page {pages.source_path}/{page_id}.md",
                "Add it with a 'title:' and its text",
            )


def _link_clusters(graph: Graph) -> None:
    """Cluster membership is stated on either side (authority.cluster or cluster.authorities); make it both."""
    for ref in list(graph.references):
        if ref.source[0] == "authorities" and ref.role == "cluster":
            mirrored = Reference(ref.target, ref.source, ("authorities",))
            if not any(r.source == ref.target and r.target == ref.source for r in graph.incoming[ref.source]):
                graph.incoming[ref.source].append(mirrored)
        if ref.source[0] == "clusters" and ref.role == "authorities":
            mirrored = Reference(ref.target, ref.source, ("cluster",))
            if not any(r.source == ref.target and r.target == ref.source for r in graph.incoming[ref.source]):
                graph.incoming[ref.source].append(mirrored)
