"""`kb new`: every new entry passes `kb check` as created; flags ask nothing, a terminal asks for the rest."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from generator.build import check_content
from generator.errors import ContentError, KbError
from generator.scaffold import Answers, new_entry

from .test_cli import kb

TODAY = dt.date(2026, 1, 1)


@pytest.mark.parametrize(
    ("collection", "entry_id", "flags"),
    [
        (
            "initiatives",
            "new-initiative",
            ["--title", "יוזמה חדשה", "--authority", "karmiel", "--topic", "poverty", "--context", "routine", "--status", "idea"],
        ),
        (
            "forums",
            "new-forum",
            [
                "--title",
                "פורום חדש",
                "--kind",
                "city_forum",
                "--convener",
                "karmiel",
                "--topic",
                "education",
                "--context",
                "both",
            ],
        ),
        ("authorities", "new-town", ["--title", "עיר חדשה", "--type", "municipality", "--district", "south"]),
        ("organizations", "new-ngo", ["--title", "עמותה חדשה", "--sector", "third_sector"]),
        ("clusters", "new-cluster", ["--title", "אשכול חדש"]),
        ("pages", "faq", ["--title", "שאלות נפוצות"]),
        ("topics", "housing", ["--title", "דיור"]),
    ],
)
def test_new_entries_pass_check_as_created(sample_copy: Path, collection: str, entry_id: str, flags: list[str]):
    result = kb("new", collection, entry_id, "--content", str(sample_copy), *flags)
    assert result.returncode == 0, result.stderr
    graph = check_content(sample_copy)
    assert entry_id in graph.entries[collection]


def test_without_a_terminal_a_missing_value_names_its_flag(sample_copy: Path):
    result = kb(
        "new",
        "initiatives",
        "no-topic",
        "--content",
        str(sample_copy),
        "--title",
        "x",
        "--authority",
        "karmiel",
        "--context",
        "routine",
        "--status",
        "idea",
    )
    assert result.returncode == 2
    assert "--topic" in result.stderr and "poverty" in result.stderr  # says which flag, and the choices
    assert not (sample_copy / "initiatives" / "no-topic.md").exists()


def test_a_terminal_is_asked_for_what_is_missing(sample_copy: Path):
    questions: list[str] = []
    replies = iter(["שולחן עגול חדש", "not-a-kind", "round_table", "karmiel", "education", "emergency"])

    def ask(question: str, choices: list[str] | None) -> str:
        questions.append(question)
        return next(replies)

    path = new_entry(sample_copy, "forums", "asked-forum", Answers(), ask, TODAY)
    assert path.is_file() and "asked-forum" in check_content(sample_copy).entries["forums"]
    assert any("is not one of the choices" in q for q in questions)  # a wrong choice is asked again


def test_an_existing_id_or_a_bad_one_is_refused(sample_copy: Path):
    with pytest.raises(KbError, match="already exists"):
        new_entry(sample_copy, "authorities", "karmiel", Answers(title="x", type="municipality", district="north"), None, TODAY)
    with pytest.raises(KbError, match="not a valid id"):
        new_entry(sample_copy, "authorities", "Bad Id", Answers(title="x", type="municipality", district="north"), None, TODAY)


def test_a_new_entry_that_would_not_pass_is_not_left_behind(sample_copy: Path):
    with pytest.raises(ContentError):
        new_entry(
            sample_copy,
            "initiatives",
            "bad-ref",
            Answers(title="x", authorities=["no-such-town"], topics=["poverty"], context="routine", status="idea"),
            None,
            TODAY,
        )
    assert not (sample_copy / "initiatives" / "bad-ref.md").exists()


def test_the_template_s_text_is_a_warning_and_a_strict_build_refuses_it(sample_copy: Path, tmp_path: Path):
    flags = ["--title", "יוזמה חדשה", "--authority", "karmiel", "--topic", "poverty", "--context", "routine"]
    assert kb("new", "initiatives", "new-initiative", "--content", str(sample_copy), *flags, "--status", "idea").returncode == 0
    flags = ["--title", "פורום חדש", "--kind", "city_forum", "--convener", "karmiel", "--topic", "education"]
    assert kb("new", "forums", "new-forum", "--content", str(sample_copy), *flags, "--context", "both").returncode == 0
    warned = [(w.entry_id, w.field) for w in check_content(sample_copy).warnings if w.message.startswith("placeholder")]
    assert sorted(warned) == [
        ("new-forum", "body"),
        ("new-forum", "summary"),
        ("new-initiative", "body"),
        ("new-initiative", "summary"),
    ]
    site = tmp_path / "site"
    refused = kb("build", "--content", str(sample_copy), "--site", str(site), "--strict")
    assert refused.returncode == 1 and "new-initiative: summary: placeholder" in refused.stderr
    assert not site.exists()  # refused before anything is written
    # Written over, the entry is the author's own: no warning, and the strict build goes on.
    for path in (sample_copy / "initiatives" / "new-initiative.md", sample_copy / "forums" / "new-forum.md"):
        text = path.read_text(encoding="utf-8")
        front, _ = text.rsplit("---\n", 1)
        front = front.replace("תקציר של משפט או שניים – מה היוזמה ולמי היא מיועדת.", "תוכנית לדוגמה.")
        front = front.replace("תקציר של משפט או שניים – מי נפגש ולשם מה.", "פורום לדוגמה.")
        path.write_text(front + "---\n\nמה נעשה, עם מי ומה יצא מזה.\n", encoding="utf-8")
    assert not [w for w in check_content(sample_copy).warnings if w.message.startswith("placeholder")]


def test_a_local_initiative_is_asked_for_its_authorities_by_name_or_number(sample_copy: Path):
    questions: list[str] = []
    # The sample's authorities by name: 1. כפר יונה, 2. כרמיאל, 3. מרחבים.
    replies = iter(["יוזמה מקומית", "local", "עיר שאין", "כפר יונה, 2", "poverty", "routine", "idea"])

    def ask(question: str, choices: list[str] | None) -> str:
        questions.append(question)
        return next(replies)

    path = new_entry(sample_copy, "initiatives", "asked-local", Answers(), ask, TODAY)
    entry = check_content(sample_copy).entries["initiatives"]["asked-local"]
    assert entry.model.authorities == ["kfar-yona", "karmiel"] and entry.model.scope == "local"
    assert any("לא מצאתי את עיר שאין" in q for q in questions) and path.is_file()


def test_a_regional_initiative_is_asked_for_its_cluster_and_without_a_terminal_names_the_flag(sample_copy: Path):
    replies = iter(["יוזמה אזורית", "regional", "1", "poverty", "both", "pilot"])
    path = new_entry(sample_copy, "initiatives", "asked-regional", Answers(), lambda q, c: next(replies), TODAY)
    entry = check_content(sample_copy).entries["initiatives"]["asked-regional"]
    assert entry.model.clusters == ["western-galilee"] and path.is_file()
    with pytest.raises(KbError, match="--authority"):
        new_entry(sample_copy, "initiatives", "no-town", Answers(title="x", scope="local", topics=["poverty"]), None, TODAY)
    assert not (sample_copy / "initiatives" / "no-town.md").exists()


def test_kb_new_in_a_terminal_creates_a_valid_local_initiative(sample_copy: Path):
    import os
    import pty
    import subprocess
    import sys

    controller, terminal = pty.openpty()
    answers = "\n".join(["יוזמה בטרמינל", "local", "2", "poverty", "routine", "active"]) + "\n"
    os.write(controller, answers.encode("utf-8"))
    command = [sys.executable, "-m", "generator", "new", "initiatives", "from-terminal", "--content", str(sample_copy)]
    done = subprocess.run(command, stdin=terminal, capture_output=True, timeout=120, check=False)
    os.close(terminal)
    os.close(controller)
    assert done.returncode == 0, done.stderr.decode()
    assert check_content(sample_copy).entries["initiatives"]["from-terminal"].model.authorities == ["karmiel"]
