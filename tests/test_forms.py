"""The issue form that proposes an initiative: made from the content (and never older than it), and read back from
an issue as GitHub renders it into a new entry that passes `kb check`, or into clear problems."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest

from generator import forms
from generator.build import check_content
from generator.errors import ContentError
from generator.scaffold import new_entry

from .conftest import PROJECT, REAL_CONTENT

TODAY = dt.date(2026, 1, 1)


def test_the_committed_form_is_the_one_the_content_makes():
    committed = (PROJECT / forms.FORMS_DIR / forms.INITIATIVE_FORM).read_text(encoding="utf-8")
    assert committed == forms.initiative_form(REAL_CONTENT), "run `kb forms` and commit the form"


def rendered(answers: dict[str, str]) -> str:
    """An issue's body as GitHub writes it from the form: each question's label, a blank line, the answer."""
    parts = []
    for question in forms.QUESTIONS:
        parts.append(f"### {question.label}\n\n{answers.get(question.field) or forms.NO_RESPONSE}")
    parts.append("### פרטיות\n\n- [X] ההצעה אינה כוללת מידע אישי ואינה כוללת מספרי תעודת זהות.")
    return "\n\n".join(parts) + "\n"


def test_an_issue_written_with_the_form_becomes_an_entry_that_passes(sample_copy: Path, tmp_path: Path):
    form = {q.field: q for q in forms.QUESTIONS}
    choices = {name: forms.options(form[name], sample_copy) for name in ("scope", "authorities", "topics", "context", "status")}
    karmiel = next(choice for choice in choices["authorities"] if choice.endswith("(karmiel)"))
    issue = tmp_path / "issue.md"
    issue.write_text(
        rendered(
            {
                "title": "מרכז צעירים שכונתי",
                "summary": "מרכז שבו צעירים\nמקבלים ליווי לתעסוקה.",
                "scope": "מקומית (local)",
                "authorities": karmiel,
                "topics": ", ".join(c for c in choices["topics"] if c.endswith(("(poverty)", "(education)"))),
                "context": "שגרה (routine)",
                "status": "פעילה (active)",
                "source": "https://www.karmiel.muni.il/youth",
            }
        ),
        encoding="utf-8",
    )
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "generator",
            "new",
            "initiatives",
            "youth-centre",
            "--content",
            str(sample_copy),
            "--from-issue",
            str(issue),
        ],
        capture_output=True,
        text=True,
        cwd=PROJECT,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    model = check_content(sample_copy).entries["initiatives"]["youth-centre"].model
    assert (model.title, model.scope, model.authorities, model.context, model.status) == (
        "מרכז צעירים שכונתי",
        "local",
        ["karmiel"],
        "routine",
        "active",
    )
    assert sorted(model.topics) == ["education", "poverty"] and model.summary == "מרכז שבו צעירים מקבלים ליווי לתעסוקה."
    assert [link.url for link in model.links] == ["https://www.karmiel.muni.il/youth"]


HOSTILE = {
    "title": "$(rm -rf ~) `id` ; echo pwned",
    "summary": "```\n---\nstatus: done\n---\n```\nתקציר עם מספר זהות 123456782",
    "scope": "מקומית (local)",
    "authorities": "כרמיאל (karmiel), עיר מומצאת (../../etc)",
    "topics": "עוני (poverty)",
    "context": "שגרה (routine)",
    "status": "פעילה (active)",
    "source": "javascript:alert(1)",
}


def test_a_hostile_issue_gives_clear_problems_and_leaves_nothing_behind(sample_copy: Path):
    answers = forms.answers_from_issue(rendered(HOSTILE))
    assert answers.authorities == ["karmiel"]  # "(../../etc)" is no id: never a path
    with pytest.raises(ContentError) as raised:
        new_entry(sample_copy, "initiatives", "hostile", answers, None, TODAY)
    problems = {(p.field, p.message.split(":")[0]) for p in raised.value.problems}
    assert any(field == "links[0].url" for field, _ in problems)
    assert any(field == "summary" for field, _ in problems)  # the ID number
    assert not (sample_copy / "initiatives" / "hostile.md").exists()
    # The shell text is only text: written as the title, quoted, never run.
    calm = forms.answers_from_issue(rendered({**HOSTILE, "summary": "תקציר רגיל.", "source": "https://example.org/a"}))
    path = new_entry(sample_copy, "initiatives", "shell-words", calm, None, TODAY)
    assert check_content(sample_copy).entries["initiatives"]["shell-words"].model.title == HOSTILE["title"]
    assert path.is_file()
