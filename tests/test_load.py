"""Stage 1: which files are read, as which entries, with which lines."""

from generator.load import load_content

from .conftest import write_files


def test_entries_take_their_id_from_the_file_name(tmp_path):
    root = write_files(
        tmp_path,
        {
            "authorities/kiryat-shmona.yml": "name: קריית שמונה\n",
            "initiatives/first-one.md": "---\ntitle: x\n---\n## רקע\nטקסט\n",
            "files/docs/plan.pdf": "%PDF",
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
