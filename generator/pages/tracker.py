"""The tracker's rows as data: a classic script that the tracker page loads once a reader filters it (by status,
lateness, owner, forum, authority, topic or kind), so that the page itself stays small however many outcomes there
are, and the filters work from a folder on disk too (a browser runs a file's script, but refuses its fetch)."""

from __future__ import annotations

import json
from typing import Any

from ..content import registry, schema
from ..content.model import outcome_anchors, title_of
from ..content.references import Graph
from ..dates import BuildInfo, format_hebrew, is_overdue
from .render import all_outcomes, doc_path_of

TRACKER_DATA = "data/tracker.js"
"""The rows, a script that sets ``window.KB_TRACKER``; its addresses are from the top of the site, as is the page."""
FILTERS = ("status", "overdue", "owner", "forum", "authority", "topic", "kind")
"""The tracker's filters, in the order of the form and of its address (``outcomes.html?owner=…&overdue=1``)."""


def tracker_files(graph: Graph, info: BuildInfo) -> dict[str, str]:
    """``{site path: text}`` of the tracker's data."""
    return {TRACKER_DATA: _script(tracker_data(graph, info))}


def tracker_data(graph: Graph, info: BuildInfo) -> dict[str, Any]:
    """Every outcome as a row (address, title, forum, owner, due as shown, status, kind, late, authorities, topics),
    in the tracker's order, and the names of the values its filters offer."""
    anchors = {forum.id: outcome_anchors(forum.model.outcomes) for forum in graph.entries["forums"].values()}
    places = {id(o): n for forum in graph.entries["forums"].values() for n, o in enumerate(forum.model.outcomes)}
    names: dict[str, dict[str, str]] = {"forum": {}, "owner": {}, "authority": {}, "topic": {}}
    owner_pages: dict[str, str] = {}
    rows = []
    for forum, outcome in all_outcomes(graph):
        names["forum"][forum.id] = title_of(forum)
        # The forum's own authorities (named, convening or members) and this outcome's owner if it is one: not
        # the owners of the forum's other outcomes (found by a review: they made every outcome theirs).
        authorities = {e.id for role in ("authorities", "conveners", "members") for e in graph.targets(forum, role)} & set(
            graph.entries["authorities"]
        )
        owner = graph.find(registry.ORG_LIKE, outcome.owner) if outcome.owner else None
        if owner is not None:
            names["owner"][owner.id] = title_of(owner)
            owner_pages[owner.id] = registry.html_path(doc_path_of(owner))
            if owner.collection == "authorities":
                authorities.add(owner.id)
        for authority in authorities:
            names["authority"][authority] = title_of(graph.get("authorities", authority))
        topics = [topic.id for topic in graph.targets(forum, "topics")]
        for topic in graph.targets(forum, "topics"):
            names["topic"][topic.id] = title_of(topic)
        anchor = anchors[forum.id][places[id(outcome)]]
        rows.append(
            [
                f"{registry.html_path(doc_path_of(forum))}#{anchor}",
                outcome.title,
                forum.id,
                owner.id if owner is not None else "",
                format_hebrew(outcome.due),
                outcome.status,
                outcome.kind,
                1 if is_overdue(outcome.due, outcome.status, info.today) else 0,
                sorted(authorities),
                topics,
            ]
        )
    return {
        "rows": rows,
        "names": {
            **{facet: dict(sorted(values.items(), key=lambda item: (item[1], item[0]))) for facet, values in names.items()},
            "status": schema.OUTCOME_STATUSES,
            "kind": schema.OUTCOME_KINDS,
        },
        "owner_pages": owner_pages,
    }


def _script(data: dict[str, Any]) -> str:
    # "<" escaped: the text of a title can never end the script it is in.
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")
    return f"window.KB_TRACKER = {payload};\n"
