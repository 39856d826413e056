"""Stage 1: which files are read, as which entries, with which lines."""

from generator.content.load import load_content

from ..conftest import write_files


def test_entries_take_their_id_from_the_file_name(tmp_path):
    root = write_files(
        tmp_path,
        {
            "authorities/kiryat-shmona.yml": "name: קריית שמונה\n",
            "initiatives/first-one.md": "---\ntitle: x\n---\n## רקע\nטקסט\n",
            "files/docs/plan.pdf": "%PDF-1.4",
            "files/.hidden": "x",
        },
    )
    loaded = load_content(root)
    assert loaded.problems == []
    found = {(e.collection, e.id) for e in loaded.entries}
    assert found == {("authorities", "kiryat-shmona"), ("initiatives", "first-one")}
    initiative = next(e for e in loaded.entries if e.collection == "initiatives")
    assert initiative.body_line == 4 and initiative.body.startswith("## רקע")
    assert initiative.smap.line(("title",)) == 2
    assert loaded.files == ["docs/plan.pdf"]


def test_vocabulary_terms_are_entries_with_their_own_lines(tmp_path):
    root = write_files(
        tmp_path, {"taxonomies/topics.yml": "emergency:\n  label: חירום\n\npoverty:\n  label: עוני\n  description: x\n"}
    )
    terms = {e.id: e for e in load_content(root).entries}
    assert set(terms) == {"emergency", "poverty"}
    assert terms["poverty"].smap.line(("description",)) == 6
    assert terms["poverty"].smap.line(("missing",)) == 4  # a missing field points at its term


def test_unreadable_files_are_reported_and_others_still_read(tmp_path):
    root = write_files(
        tmp_path,
        {
            "organizations/good.yml": "name: טוב\nsector: academia\n",
            "organizations/Bad.yml": "name: x\n",
            "organizations/broken.yml": "name: [\n",
            "initiatives/no-front.md": "just text\n",
        },
    )
    (root / "organizations" / "latin1.yml").write_bytes("name: caf\xe9\n".encode("latin-1"))
    loaded = load_content(root)
    assert [e.id for e in loaded.entries] == ["good"]
    problems = {(p.path.name, p.field) for p in loaded.problems}
    assert problems == {("Bad.yml", "id"), ("broken.yml", ""), ("no-front.md", "front matter"), ("latin1.yml", "file")}
    # A file that exists but cannot be read still claims its id, so references to it are not reported twice.
    assert loaded.ids["organizations"] == {"good", "broken", "latin1"}


def test_a_file_that_cannot_be_read_is_a_problem_not_a_crash(tmp_path, monkeypatch):
    from pathlib import Path

    root = write_files(tmp_path, {"authorities/locked.yml": "name: x\n", "authorities/open.yml": "name: y\n"})
    real = Path.read_bytes

    def read_bytes(path: Path) -> bytes:
        if path.name == "locked.yml":
            raise PermissionError(13, "Permission denied")  # chmod 000 cannot stop root, who runs CI
        return real(path)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    loaded = load_content(root)
    [problem] = loaded.problems
    assert problem.path.name == "locked.yml" and "cannot be read (Permission denied)" in problem.message
    assert [e.id for e in loaded.entries] == ["open"]


def test_a_file_name_ending_in_a_newline_is_no_id(tmp_path):
    root = write_files(tmp_path, {"authorities/ok-one.yml": "name: x\n"})
    (root / "authorities" / "bad\n.yml").write_text("name: y\n", encoding="utf-8")
    loaded = load_content(root)
    [problem] = loaded.problems
    assert problem.field == "id" and "not a valid id" in problem.message
    assert "\n" not in problem.format() and "\\u000a" in problem.format()  # shown escaped, on one line
    assert [e.id for e in loaded.entries] == ["ok-one"]


def test_a_huge_content_file_is_refused_before_it_is_parsed(tmp_path):
    from generator.content.load import MAX_FILE_BYTES

    root = write_files(tmp_path, {"organizations/huge.yml": "name: x\ndescription: " + "א" * MAX_FILE_BYTES + "\n"})
    [problem] = load_content(root).problems
    assert "more than 640 KB" in problem.message


def test_a_linked_vocabulary_folder_is_not_read(tmp_path):
    outside = write_files(tmp_path / "outside", {"topics.yml": "secret:\n  label: מחוץ לתוכן\n"})
    root = tmp_path / "content"
    root.mkdir()
    (root / "taxonomies").symlink_to(outside, target_is_directory=True)
    loaded = load_content(root)
    assert loaded.entries == [] and any("symbolic links" in p.message for p in loaded.problems)
