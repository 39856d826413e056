"""Forum outcomes as pages show them: late ones labelled "באיחור" wherever they are shown and gathered at the top
of the tracker; progress, dated steps and the initiatives that carry an outcome out, linked both ways."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from generator import dates
from generator.build import render_docs
from tests.conftest import SAMPLE_CONTENT, write_files


@pytest.mark.parametrize(
    ("due", "status", "today", "late"),
    [
        ("2022", "open", "2022-12-31", False),  # a year is due until its last day
        ("2022", "open", "2023-01-01", True),
        ("2022-06", "in_progress", "2022-06-30", False),
        ("2022-06", "in_progress", "2022-07-01", True),
        ("2022-06-15", "open", "2022-06-16", True),
        ("2022-06-15", "done", "2030-01-01", False),  # done and dropped owe nothing
        ("2022-06-15", "dropped", "2030-01-01", False),
        (None, "open", "2030-01-01", False),
    ],
)
def test_an_outcome_is_late_once_all_of_its_due_date_has_passed(due, status, today, late):
    assert dates.is_overdue(due, status, dt.date.fromisoformat(today)) is late


LATE = "  - title: תוכנית עבודה מאוחרת\n    kind: action_item\n    owner: karmiel\n    due: 2020-01\n    status: open\n"


def test_late_outcomes_are_labelled_on_the_tracker_forum_owner_and_sheet(sample_copy: Path):
    forum = sample_copy / "forums" / "karmiel-round-table.md"
    text = forum.read_text(encoding="utf-8")
    write_files(sample_copy, {"forums/karmiel-round-table.md": text.replace("outcomes:\n", "outcomes:\n" + LATE, 1)})
    _, docs, _ = render_docs(sample_copy)
    tracker = docs["outcomes.md"]
    late_section = tracker.split("## באיחור", 1)[1].split("\n## ", 1)[0]
    titles = re.findall(r'<td data-label="תוצר">([^<]+)', late_section)
    # The sample's build date is 2026: two of its outcomes are past due and open, one is past due but dropped.
    assert sorted(titles) == sorted(["תוכנית עבודה מאוחרת", "חוברת סיכום הפורום", "מינוי רכז שותפויות ברשות"])
    assert tracker.index("## באיחור") < tracker.index("## פתוח")
    assert "מיפוי מעסיקים באזור" not in late_section
    forum_page = docs["forums/karmiel-round-table.md"]
    assert "6 תוצרים: פתוח: 3, בביצוע: 1, בוצע: 1, ירד מהפרק: 1;" in forum_page
    assert '<strong class="kb-overdue">באיחור</strong>: 3.' in forum_page
    owner = docs["authorities/karmiel.md"]
    assert "תוכנית עבודה מאוחרת" in owner and "באיחור" in owner.split("תוכנית עבודה מאוחרת", 1)[1].split("</tr>", 1)[0]
    sheet = docs["emergency/karmiel.md"]
    assert re.search(r"תוכנית עבודה מאוחרת</strong> \([^)]*\) <strong class=\"kb-overdue\">באיחור</strong>", sheet)


def test_progress_steps_and_the_initiatives_that_carry_an_outcome_out_show_on_both_sides():
    _, docs, _ = render_docs(SAMPLE_CONTENT)
    forum = docs["forums/karmiel-round-table.md"]
    row = forum.split("מינוי רכז שותפויות ברשות", 1)[1].split("</tr>", 1)[0]
    assert '<progress max="100" value="40" aria-hidden="true"></progress> התקדמות: 40%' in row  # a number, not only a bar
    assert 'בביצוע במסגרת: <a href="../initiatives/karmiel-families-model.html">' in row
    steps = re.findall(r"<li>([^<]+)</li>", row.split('<ol class="kb-milestones">', 1)[1].split("</ol>", 1)[0])
    assert steps == ["1 בנובמבר 2021: אושר תקן ברשות", "מרץ 2022: הוגדר תפקיד הרכז"]  # by date, not as written
    anchor = re.search(r'<tr id="([^"]+)"><td data-label="תוצר"><span id="outcome-\d+"></span>מינוי רכז', forum).group(1)
    initiative = docs["initiatives/karmiel-families-model.md"]
    assert f'<dd><a href="../forums/karmiel-round-table.html#{anchor}">מינוי רכז שותפויות ברשות</a>' in initiative
    assert "<dt>נולדה מתוך</dt>" in initiative
    assert "נולדה מתוך" not in docs["initiatives/national-rights-tool.md"]
