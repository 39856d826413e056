"""What is due for a re-check on the build date.

Entries whose ``updated`` is 18 months or more before it, grouped by authority so each authority's
maintainers see their own (the site's page and ``kb check --stale`` both read this list); and the
accessibility statement, which the regulations want reviewed at least once a year.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .. import dates
from ..errors import Problem, display_path
from .model import Entry, title_of
from .references import Graph

CHECKED = ("initiatives", "forums")
"""Collections whose entries say when their facts were last checked."""


@dataclass(frozen=True)
class StaleGroup:
    authority: Entry | None
    """None: entries that name no authority (national ones, or a cluster's)."""
    entries: list[Entry]


def authorities_of(graph: Graph, entry: Entry) -> list[Entry]:
    """The authorities an entry belongs to: those it names, the members of the clusters it names,
    and for a forum, convening authorities."""
    ids = list(entry.model.authorities)
    for cluster in graph.targets(entry, "clusters"):
        # Membership counts from either side: the cluster's list, or the authority's `cluster`.
        ids += [a.id for a in graph.targets(cluster, "authorities") + graph.referrers(cluster.key, "authorities")]
    if entry.collection == "forums":
        ids += [c for c in entry.model.conveners if c in graph.entries["authorities"]]
    return [graph.get("authorities", i) for i in dict.fromkeys(ids)]


def stale_groups(graph: Graph, today: dt.date) -> list[StaleGroup]:
    """Stale entries by authority (by name; entries without one last), oldest check first in each."""
    grouped: dict[str | None, list[Entry]] = {}
    for name in CHECKED:
        for entry in graph.entries[name].values():
            if dates.is_stale(entry.model.updated, today):
                for authority in authorities_of(graph, entry) or [None]:
                    grouped.setdefault(authority.id if authority else None, []).append(entry)
    groups = [
        StaleGroup(
            graph.get("authorities", key) if key else None, sorted(found, key=lambda e: (e.model.updated, e.collection, e.id))
        )
        for key, found in grouped.items()
    ]
    return sorted(groups, key=lambda g: (g.authority is None, title_of(g.authority) if g.authority else ""))


def report(graph: Graph, today: dt.date) -> list[str]:
    """The same list as the page, as lines for a terminal: ``path:line: collection → id: updated …``."""
    groups = stale_groups(graph, today)
    count = len({e.key for g in groups for e in g.entries})
    if not count:
        return [f"No entry was last checked {dates.STALE_AFTER_MONTHS} months or more before {today.isoformat()}."]
    lines = [
        f"{count} entr{'y was' if count == 1 else 'ies were'} last checked {dates.STALE_AFTER_MONTHS} months or more "
        f"before {today.isoformat()}; check their facts and set `updated`:"
    ]
    for group in groups:
        lines.append(f"{title_of(group.authority)} ({group.authority.id}):" if group.authority else "Without an authority:")
        for entry in group.entries:
            line = entry.smap.line(("updated",))
            months = dates.months_between(dates.latest_day(entry.model.updated), today)
            where = f"{display_path(entry.path)}:{line}: {entry.collection} → {entry.id}"
            lines.append(f"  {where}: updated {entry.model.updated} ({months} months ago)")
    return lines


STATEMENT = "accessibility"
"""The page of the accessibility statement."""


def statement_due(graph: Graph, today: dt.date) -> str | None:
    """Why the accessibility statement is due for its yearly review (in Hebrew, for the maintainers' page),
    or None when it was reviewed within the year before ``today``."""
    page = graph.entries["pages"].get(STATEMENT)
    if page is None:
        return None
    reviewed = page.model.reviewed
    if reviewed is None:
        return "בהצהרת הנגישות לא נכתב מתי נסקרה לאחרונה."
    if dates.latest_day(reviewed) < _year_before(today):
        return f"הצהרת הנגישות נסקרה לאחרונה {dates.on_date_hebrew(reviewed)}, לפני יותר משנה."
    return None


def _year_before(today: dt.date) -> dt.date:
    # 29 February has no match a year before; 28 February stands in.
    return today.replace(year=today.year - 1, day=min(today.day, 28 if today.month == 2 else 31))


def statement_warnings(graph: Graph, today: dt.date) -> list[Problem]:
    """The regulations want the accessibility statement reviewed every year. The contract makes ``reviewed``
    optional, so a missing or old date is a warning (and a note on the maintainers' page), never an error."""
    page = graph.entries["pages"].get(STATEMENT)
    if page is None or statement_due(graph, today) is None:
        return []
    reviewed = page.model.reviewed
    if reviewed is None:
        line, message = page.smap.line(("title",)), "the accessibility statement does not say when it was last reviewed"
    else:
        line = page.smap.line(("reviewed",))
        message = f"the accessibility statement was last reviewed on {reviewed}, more than a year before {today.isoformat()}"
    hint = (
        "The regulations want it reviewed every year: check the site's accessibility (the axe tests, keyboard use), "
        "update the statement, and set 'reviewed: YYYY-MM-DD' in its front matter to the date of the review"
    )
    return [Problem(page.path, line, "pages", page.id, "reviewed", message, hint, "warning")]


CHECKED_ON = (("initiatives", "updated"), ("forums", "updated"), ("pages", "reviewed"))
"""(collection, field) of the dates that say when something was checked, which cannot be after the build."""


def dates_after_build(graph: Graph, today: dt.date) -> list[Problem]:
    """A check dated in the future (``updated: 2099-12-31``) would keep an entry first in the feed and off the list
    of entries due for a re-check for ever. The future is after both the build's date and the clock's: a build of
    an old commit, dated by it (``SOURCE_DATE_EPOCH``), holds later checks that are no mistake. A day's grace, for
    a commit made across midnight in another time zone."""
    today = max(today, dt.date.today())
    found = []
    for name, field in CHECKED_ON:
        for entry in graph.entries[name].values():
            value = getattr(entry.model, field, None)
            if value and dates.earliest_day(value) > today + dt.timedelta(days=1):
                found.append(
                    Problem(
                        entry.path,
                        entry.smap.line((field,)),
                        name,
                        entry.id,
                        field,
                        f"{value} is a date still to come",
                        "Write the date on which the facts were checked, not a later one",
                    )
                )
    return found
