"""An outcome's history (`content.history.Timeline`) in words, for its row on its forum's page.

``נוסף ב-10 בינואר 2025 (פתוח) · בביצוע מ-1 במרץ 2025 · יעד: יוני 2025 ← מרץ 2025, ב-5 באפריל 2025``: text, never
colour alone; the arrow points the way a Hebrew line reads, from the old value to the new. Each value is isolated
(`render.isolate`), so that an id in Latin letters on either side of the arrow cannot turn the pair around.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from markupsafe import Markup

from .. import dates
from ..content import schema
from ..content.history import ADDED, Timeline

SHOWN = 10
"""Events shown per outcome: its first appearance and the latest; those between are counted."""
NONE = "ללא"
"""A value that was not set."""
_PARTIAL_DATE = re.compile(r"\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?")


def _on(day: str) -> str:
    return dates.on_date_hebrew(day)


def _since(day: str) -> str:
    # A commit's day is always a full date, which starts with its number: "מ-1 במרץ 2025".
    return f"מ-{dates.format_hebrew(day)}"


def _due(value: str | None) -> str:
    if not value:
        return NONE
    return dates.format_hebrew(value) if _PARTIAL_DATE.fullmatch(value) else value


def _status(value: str | None) -> str:
    return schema.OUTCOME_STATUSES.get(value or "", value or NONE)


def _progress(value: str | None) -> str:
    if not value:
        return NONE
    return f"{value}%" if value.isdigit() else value


def describe(timeline: Timeline, name_of: Callable[[str], str], isolate: Callable[[str], Markup]) -> list[Markup]:
    """The events to show, oldest first: at most `SHOWN`, the first appearance and the latest, with how many are
    left out between them. ``name_of``: an owner's name from its id; ``isolate``: a value made safe in a line."""

    def pair(label: str, old: str, new: str, day: str) -> Markup:
        return Markup("{}: {} ← {}, {}").format(label, isolate(old), isolate(new), _on(day))

    shown: list[Markup] = []
    for change in timeline.changes:
        if change.field == ADDED:
            status = f" ({_status(change.new)})" if change.new else ""
            shown.append(Markup("נוסף {}{}").format(_on(change.day), status))
        elif change.field == "status":
            shown.append(Markup("{} {}").format(isolate(_status(change.new)), _since(change.day)))
        elif change.field == "due":
            shown.append(pair("יעד", _due(change.old), _due(change.new), change.day))
        elif change.field == "owner":
            old = name_of(change.old) if change.old else NONE
            new = name_of(change.new) if change.new else NONE
            shown.append(pair("אחריות", old, new, change.day))
        elif change.field == "progress":
            shown.append(pair("התקדמות", _progress(change.old), _progress(change.new), change.day))
    left_out = timeline.earlier
    if len(shown) > SHOWN:
        left_out += len(shown) - SHOWN
        shown = [shown[0], *shown[len(shown) - SHOWN + 1 :]]
    if left_out:
        more = "ועוד שינוי אחד" if left_out == 1 else f"ועוד {left_out:,} שינויים"
        shown.insert(1 if len(shown) > 1 else len(shown), Markup(more))
    return shown
