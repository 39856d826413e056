"""The history stage: each forum outcome's dated changes, read from a git repository made here, commit by commit.

The repositories are made in a temporary folder with fixed dates (the commit's date, not the author's, is the one
shown), so nothing here depends on this project's own history or on how deep CI cloned it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import yaml

from generator.build import render_docs
from generator.content import history
from generator.content.history import ADDED, Change, Timeline
from generator.content.model import outcome_anchors
from generator.pages import timeline

from ..conftest import SAMPLE_CONTENT
from ..golden import SETTINGS

READ = history.read


@pytest.fixture(autouse=True)
def _history_on(monkeypatch: pytest.MonkeyPatch) -> None:
    # The other tests' builds read no history (conftest); these read the repositories they make.
    monkeypatch.delenv(history.OFF_SWITCH, raising=False)


"""The real stage (the tests' builds have none: conftest), taken before any fixture replaces it."""

GIT_ENV = {
    # No user's or system's configuration can change what git does here.
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_AUTHOR_NAME": "בודקת",
    "GIT_AUTHOR_EMAIL": "test@example.org",
    "GIT_COMMITTER_NAME": "בודקת",
    "GIT_COMMITTER_EMAIL": "test@example.org",
}


def git(repo: Path, *args: str, when: str | None = None) -> str:
    env = {**os.environ, **GIT_ENV}
    if when:
        env["GIT_COMMITTER_DATE"] = when
        env["GIT_AUTHOR_DATE"] = "2001-01-01T12:00:00+00:00"  # never shown: the commit's own date is
    done = subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=True)
    return done.stdout


def init(repo: Path) -> Path:
    repo.mkdir(parents=True, exist_ok=True)
    git(repo, "init", "-q", "-b", "main")
    return repo


def commit(repo: Path, when: str, message: str = "שינוי") -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "--allow-empty", "-m", message, when=when)


def forum_text(outcomes: list[dict[str, Any]]) -> str:
    front = {"title": "פורום", "outcomes": outcomes}
    return "---\n" + yaml.safe_dump(front, allow_unicode=True, sort_keys=False) + "---\n\nגוף.\n"


def write_forum(content: Path, forum_id: str, outcomes: list[dict[str, Any]]) -> None:
    path = content / "forums" / f"{forum_id}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(forum_text(outcomes), encoding="utf-8")


def graph_of(content: Path) -> Any:
    """What the stage reads of a graph (its root and its forums' current outcomes), from the files as they are now."""
    forums = {}
    for path in sorted((content / "forums").glob("*.md")):
        front = yaml.safe_load(path.read_text(encoding="utf-8").split("---")[1])
        outcomes = [SimpleNamespace(id=o.get("id"), title=o["title"]) for o in front["outcomes"]]
        forums[path.stem] = SimpleNamespace(id=path.stem, model=SimpleNamespace(outcomes=outcomes))
    return SimpleNamespace(root=content, entries={"forums": forums})


def anchor_of(title: str) -> str:
    return outcome_anchors([SimpleNamespace(id=None, title=title)])[0]


COORDINATOR = {"id": "coordinator", "title": "מינוי רכז שותפויות", "kind": "decision", "status": "open"}
MAPPING = {"title": "מיפוי מעסיקים", "kind": "action_item", "status": "open"}


@pytest.fixture
def dated_repo(tmp_path: Path) -> Path:
    """A repository whose content is a subfolder (as tests/sample_site/content is in this project), with a forum's
    outcome added, its status changed twice, its due date, owner and progress changed; the outcomes reordered; a
    commit whose YAML is broken; the forum's file renamed; and the title of an outcome without an id changed."""
    repo = init(tmp_path / "repo")
    content = repo / "site" / "content"
    a = {**COORDINATOR, "owner": "karmiel", "due": "2025-06"}
    write_forum(content, "round", [a, MAPPING])
    commit(repo, "2025-01-10T10:00:00+02:00")
    # 23:30 in UTC is already the next day in Israel.
    a = {**a, "status": "in_progress"}
    write_forum(content, "round", [a, MAPPING])
    commit(repo, "2025-02-28T23:30:00+00:00")
    a = {**a, "due": "2025-03"}
    write_forum(content, "round", [a, MAPPING])
    commit(repo, "2025-04-05T12:00:00+03:00")
    a = {**a, "owner": "ministry-of-welfare"}
    write_forum(content, "round", [a, MAPPING])
    commit(repo, "2025-05-01T12:00:00+03:00")
    a = {**a, "progress": 40}
    write_forum(content, "round", [a, MAPPING])
    commit(repo, "2025-06-01T12:00:00+03:00")
    write_forum(content, "round", [MAPPING, a])  # reordered, nothing else
    commit(repo, "2025-07-01T12:00:00+03:00")
    (content / "forums" / "round.md").write_text("---\ntitle: פורום\noutcomes: [\n---\n", encoding="utf-8")
    commit(repo, "2025-08-01T12:00:00+03:00", "broken YAML")
    a = {**a, "status": "done"}
    write_forum(content, "round", [MAPPING, a])
    commit(repo, "2025-09-01T12:00:00+03:00")
    git(repo, "mv", "site/content/forums/round.md", "site/content/forums/renamed.md")
    commit(repo, "2025-10-01T12:00:00+03:00", "rename")
    write_forum(content, "renamed", [{**MAPPING, "title": "מיפוי מעסיקים בגליל"}, a])
    commit(repo, "2025-11-01T12:00:00+03:00")
    return content


def test_an_outcome_has_its_dated_changes_by_its_commits(dated_repo: Path):
    found = READ(graph_of(dated_repo))
    assert found.available, found.reason
    assert found.of("renamed", "outcome-coordinator") == Timeline(
        (
            Change("2025-01-10", ADDED, None, "open"),
            Change("2025-03-01", "status", "open", "in_progress"),
            Change("2025-04-05", "due", "2025-06", "2025-03"),
            Change("2025-05-01", "owner", "karmiel", "ministry-of-welfare"),
            Change("2025-06-01", "progress", None, "40"),
            # The reordering (2025-07-01) changed nothing, and the broken version (2025-08-01) was skipped: done is
            # compared with the last version that could be read.
            Change("2025-09-01", "status", "in_progress", "done"),
        )
    )


def test_a_renamed_forum_keeps_its_history_under_its_new_id(dated_repo: Path):
    found = READ(graph_of(dated_repo))
    assert set(found.timelines) == {"renamed"}
    assert found.of("renamed", "outcome-coordinator").first_seen == "2025-01-10"  # type: ignore[union-attr]


def test_an_outcome_without_an_id_whose_title_changed_starts_a_new_history(dated_repo: Path):
    """Its anchor is its title's hash: a new title is a new anchor (and a new address), so its history starts
    on the day of the new title; the old title's history belongs to no current outcome and is not kept."""
    found = READ(graph_of(dated_repo))
    assert found.of("renamed", anchor_of("מיפוי מעסיקים בגליל")) == Timeline((Change("2025-11-01", ADDED, None, "open"),))
    assert found.of("renamed", anchor_of("מיפוי מעסיקים")) is None


def test_reordering_outcomes_keeps_their_history(tmp_path: Path):
    repo = init(tmp_path / "repo")
    first, second = {**COORDINATOR}, {**MAPPING}
    write_forum(repo, "f", [first, second])
    commit(repo, "2025-01-10T10:00:00+02:00")
    write_forum(repo, "f", [{**second, "status": "done"}, first])
    commit(repo, "2025-02-10T10:00:00+02:00")
    found = READ(graph_of(repo))
    assert found.of("f", "outcome-coordinator") == Timeline((Change("2025-01-10", ADDED, None, "open"),))
    assert found.of("f", anchor_of("מיפוי מעסיקים")) == Timeline(
        (Change("2025-01-10", ADDED, None, "open"), Change("2025-02-10", "status", "open", "done"))
    )


def test_uncommitted_changes_are_no_part_of_the_history(dated_repo: Path):
    write_forum(dated_repo, "renamed", [{**MAPPING, "title": "מיפוי מעסיקים בגליל", "status": "dropped"}])
    found = READ(graph_of(dated_repo))
    assert found.available
    assert found.of("renamed", anchor_of("מיפוי מעסיקים בגליל")) == Timeline((Change("2025-11-01", ADDED, None, "open"),))


def test_git_runs_the_same_number_of_times_however_long_the_history(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    def processes(commits: int, outcomes: int) -> int:
        repo = init(tmp_path / f"repo-{commits}")
        items = [{"title": f"תוצר {n}", "kind": "decision", "status": "open"} for n in range(outcomes)]
        for number in range(commits):
            items[number % outcomes]["status"] = ["open", "in_progress", "done"][number % 3]
            write_forum(repo, f"forum-{number % 3}", items)
            commit(repo, f"2025-01-{number + 1:02d}T10:00:00+02:00")
        started: list[list[str]] = []
        real = subprocess.Popen

        class Counted(real):  # type: ignore[misc, valid-type]
            def __init__(self, args: list[str], *rest: Any, **options: Any) -> None:
                started.append(list(args))
                super().__init__(args, *rest, **options)

        # subprocess.run makes its process through Popen too: every process the stage starts is counted.
        monkeypatch.setattr(history.subprocess, "Popen", Counted)
        try:
            found = READ(graph_of(repo))
        finally:
            monkeypatch.setattr(history.subprocess, "Popen", real)
        assert found.available and found.timelines, found.reason
        return len(started)

    assert processes(2, 1) == processes(25, 8) == 3  # rev-parse, log, cat-file


def test_a_shallow_clone_has_no_history(dated_repo: Path, tmp_path: Path):
    shallow = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{dated_repo.parent.parent}", str(shallow))
    found = READ(graph_of(shallow / "site" / "content"))
    assert not found.available and "shallow" in found.reason
    assert found.timelines == {}


def test_a_folder_outside_git_has_no_history(tmp_path: Path):
    write_forum(tmp_path / "content", "f", [COORDINATOR])
    found = READ(graph_of(tmp_path / "content"))
    assert not found.available and "not in a git work tree" in found.reason


def test_a_build_asked_to_read_no_history_reads_none(dated_repo: Path, monkeypatch: pytest.MonkeyPatch):
    assert READ(graph_of(dated_repo)).available
    monkeypatch.setenv(history.OFF_SWITCH, "off")
    found = READ(graph_of(dated_repo))
    assert not found.available and history.OFF_SWITCH in found.reason


def test_without_git_there_is_no_history(dated_repo: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    monkeypatch.setenv("PATH", str(tmp_path / "no-programs"))
    found = READ(graph_of(dated_repo))
    assert not found.available and "not installed" in found.reason


def test_a_repository_without_commits_has_no_history(tmp_path: Path):
    repo = init(tmp_path / "repo")
    write_forum(repo, "f", [COORDINATOR])
    found = READ(graph_of(repo))
    assert not found.available and "git log failed" in found.reason


@pytest.mark.parametrize(
    "front",
    [
        "title: x\noutcomes: {a: b}\n",  # not a list
        "title: x\noutcomes:\n  - &a {title: t, kind: decision, status: open}\n  - *a\n",  # aliases: refused
        "title: x\noutcomes:\n  - title: t\n    status: !!python/object:os.system x\n",  # a tag: refused
        "- just a list\n",
        "title: x\noutcomes: " + "[" * 200 + "]" * 200 + "\n",  # too deep
    ],
)
def test_a_version_that_cannot_be_read_is_skipped(tmp_path: Path, front: str):
    repo = init(tmp_path / "repo")
    write_forum(repo, "f", [{**COORDINATOR, "id": None, "title": "t"}])
    commit(repo, "2025-01-10T10:00:00+02:00")
    (repo / "forums" / "f.md").write_text(f"---\n{front}---\n", encoding="utf-8")
    commit(repo, "2025-02-10T10:00:00+02:00")
    write_forum(repo, "f", [{**COORDINATOR, "id": None, "title": "t", "status": "done"}])
    commit(repo, "2025-03-10T10:00:00+02:00")
    found = READ(graph_of(repo))
    assert found.of("f", anchor_of("t")) == Timeline(
        (Change("2025-01-10", ADDED, None, "open"), Change("2025-03-10", "status", "open", "done"))
    )


def test_a_value_is_kept_only_where_the_content_model_takes_it(tmp_path: Path):
    # Found by a review: an old version's text showed on the page as written (escaped, but any text at all).
    repo = init(tmp_path / "repo")
    (repo / "forums").mkdir()
    long = "א" * 5000
    (repo / "forums" / "f.md").write_text(
        f"---\noutcomes:\n  - title: t\n    status: [open, done]\n    due: 2025-06-01\n    owner: {long}\n"
        "    progress: true\n---\n",
        encoding="utf-8",
    )
    commit(repo, "2025-01-10T10:00:00+02:00")
    (repo / "forums" / "f.md").write_text("---\noutcomes:\n  - title: t\n    status: open\n---\n", encoding="utf-8")
    commit(repo, "2025-02-10T10:00:00+02:00")
    graph = SimpleNamespace(
        root=repo,
        entries={"forums": {"f": SimpleNamespace(id="f", model=SimpleNamespace(outcomes=[SimpleNamespace(id=None, title="t")]))}},
    )
    changes = READ(graph).of("f", anchor_of("t")).changes  # type: ignore[union-attr]
    assert changes[0] == Change("2025-01-10", ADDED, None, None)  # a list is no status
    by_field = {c.field: c for c in changes[1:]}
    assert by_field["status"].new == "open"
    assert by_field["due"].old == "2025-06-01"  # a date YAML read, as its text
    assert set(by_field) == {"status", "due"}  # a 5,000-letter owner and `progress: true` are no values at all
    for field, value, kept in [
        ("status", "<b>S</b> | col |", None),
        ("status", "done", "done"),
        ("owner", "ministry-of-education", "ministry-of-education"),
        ("owner", "[a](javascript:alert(1))", None),
        ("due", "<script>", None),
        ("due", "2025-02", "2025-02"),
        ("progress", "40", "40"),
        ("progress", "140", None),
        ("progress", "٤٠", None),
    ]:
        assert history._valid(field, value) == kept, (field, value)


def test_the_changes_kept_are_the_first_and_the_latest(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(history, "MAX_CHANGES", 4)
    repo = init(tmp_path / "repo")
    for number in range(8):
        write_forum(repo, "f", [{**COORDINATOR, "progress": number * 10}])
        commit(repo, f"2025-01-{number + 1:02d}T10:00:00+02:00")
    found = READ(graph_of(repo)).of("f", "outcome-coordinator")
    assert found is not None and found.earlier == 4
    assert [c.day for c in found.changes] == ["2025-01-01", "2025-01-06", "2025-01-07", "2025-01-08"]


def test_past_a_cap_the_history_is_unavailable_not_partial(dated_repo: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(history, "MAX_COMMITS", 5)
    found = READ(graph_of(dated_repo))
    assert not found.available and "more than 5 commits" in found.reason


def test_a_long_timeline_shows_its_first_and_latest_events():
    changes = [Change("2025-01-10", ADDED, None, "open")]
    changes += [Change(f"2025-02-{day:02d}", "progress", str(day - 1), str(day)) for day in range(1, 16)]
    shown = timeline.describe(Timeline(tuple(changes)), str, str)  # type: ignore[arg-type]
    assert len(shown) == timeline.SHOWN + 1
    assert shown[0] == "נוסף ב-10 בינואר 2025 (פתוח)"
    assert shown[1] == "ועוד 6 שינויים"
    assert shown[2] == "התקדמות: 6% ← 7%, ב-7 בפברואר 2025"
    assert shown[-1] == "התקדמות: 14% ← 15%, ב-15 בפברואר 2025"


def _sample_in_git(tmp_path: Path) -> tuple[Path, Path]:
    """The sample content as a subfolder of a repository, its forum's second outcome added open on 10 January 2025
    and changed since."""
    repo = init(tmp_path / "repo")
    content = repo / "site" / "content"
    shutil.copytree(SAMPLE_CONTENT, content, symlinks=True)
    forum = content / "forums" / "karmiel-round-table.md"
    now = forum.read_text(encoding="utf-8")
    then = now.replace("    due: 2022\n    status: in_progress\n    progress: 40\n", "    due: 2022-06\n    status: open\n")
    then = then.replace("    owner: ministry-of-welfare\n    meeting: 2021-09-15", "    owner: karmiel\n    meeting: 2021-09-15")
    assert then != now
    forum.write_text(then, encoding="utf-8")
    commit(repo, "2025-01-10T10:00:00+02:00")
    forum.write_text(_step(then), encoding="utf-8")
    commit(repo, "2025-03-01T10:00:00+02:00")
    forum.write_text(now, encoding="utf-8")
    commit(repo, "2025-04-05T10:00:00+03:00")
    return repo, content


def _step(text: str) -> str:
    # The second outcome (the partnership coordinator) in progress, nothing else changed.
    head, tail = text.split("  - title: מינוי רכז שותפויות ברשות\n", 1)
    return head + "  - title: מינוי רכז שותפויות ברשות\n" + tail.replace("    status: open\n", "    status: in_progress\n", 1)


def test_the_forum_page_shows_each_outcome_s_dated_history(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    _, content = _sample_in_git(tmp_path)
    monkeypatch.setattr(history, "read", READ)
    _, docs, info = render_docs(content, settings=SETTINGS)
    assert info.history.available, info.history.reason
    page = docs["forums/karmiel-round-table.md"]
    assert (
        '<p class="kb-history" data-pagefind-ignore>נוסף ב-10 בינואר 2025 (פתוח) · בביצוע מ-1 במרץ 2025 · '
        "יעד: יוני 2022 ← 2022, ב-5 באפריל 2025 · אחריות: כרמיאל ← משרד הרווחה והביטחון החברתי, ב-5 באפריל 2025 · "
        "התקדמות: ללא ← 40%, ב-5 באפריל 2025</p>"
    ) in page
    assert "נוסף ב-10 בינואר 2025 (בוצע)" in page  # the first outcome, done since it was added
    assert "אינה זמינה" not in page
    # The data file gives the days too; only the forum's page has the timeline, the tracker lists the outcomes.
    rows = {row["title"]: row for row in json.loads(docs["data/outcomes.json"])}
    assert rows["מינוי רכז שותפויות ברשות"]["first_seen"] == "2025-01-10"
    assert rows["מינוי רכז שותפויות ברשות"]["status_since"] == "2025-03-01"
    assert rows["מינוי רכז שותפויות ברשות"]["history"] == [
        "2025-01-10 added: open",
        "2025-03-01 status: open > in_progress",
        "2025-04-05 due: 2022-06 > 2022",
        "2025-04-05 owner: karmiel > ministry-of-welfare",
        "2025-04-05 progress:  > 40",
    ]
    assert "kb-history" not in docs["outcomes.md"]


def test_the_forum_page_says_when_the_history_is_not_available(sample_copy: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(history, "read", READ)
    _, docs, info = render_docs(sample_copy, settings=SETTINGS)  # a temporary folder: no git work tree
    assert not info.history.available
    page = docs["forums/karmiel-round-table.md"]
    assert page.count("היסטוריית השינויים של התוצרים אינה זמינה בעותק הזה של המאגר") == 1
    assert 'class="kb-history"' not in page
