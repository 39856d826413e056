import time

from generator.content.yaml_source import read_yaml, split_front_matter


def test_values_keep_their_lines_and_raw_text():
    data, smap, problems = read_yaml("name: אשדוד\ncontacts:\n  - phone: 0501234567\n    name: x\n", line_offset=1)
    assert problems == []
    assert data["contacts"][0]["phone"] == 84228471  # what PyYAML makes of it: octal
    located = smap.get(("contacts", 0, "phone"))
    assert (located.line, located.raw, located.plain) == (4, "0501234567", True)
    assert smap.line(("name",)) == 2
    assert smap.line(("contacts", 0, "missing")) == 4  # falls back to the nearest parent


def test_quoted_scalars_are_not_plain():
    _, smap, _ = read_yaml('phone: "0501234567"\n')
    assert smap.get(("phone",)).plain is False


def test_keys_stay_text_as_typed():
    data, _, problems = read_yaml("no: 1\non: 2\n2020: 3\n")
    assert problems == []
    assert list(data) == ["no", "on", "2020"]


def test_duplicate_keys_are_reported_with_both_lines():
    data, _, problems = read_yaml("title: a\nsummary: b\ntitle: c\n")
    assert data["title"] == "a"
    assert len(problems) == 1
    assert problems[0].line == 3
    assert "first on line 1" in problems[0].message


def test_anchors_and_aliases_are_refused():
    data, _, problems = read_yaml("a: &x 1\nb: *x\n")
    assert data is None
    assert problems[0].line == 1 and "anchors" in problems[0].message


def test_alias_bomb_fails_fast_without_expanding():
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in "bcdefghi":
        previous = chr(ord(level) - 1)
        lines.append(f"{level}: &{level} [" + ",".join([f"*{previous}"] * 9) + "]")
    started = time.perf_counter()
    data, _, problems = read_yaml("\n".join(lines))
    assert time.perf_counter() - started < 1
    assert data is None and problems


def test_syntax_error_gives_line_and_advice():
    _, _, problems = read_yaml("title: a\nsummary: [unclosed\nscope: local\n", line_offset=1)
    assert len(problems) == 1
    assert problems[0].line >= 3
    assert "YAML syntax error" in problems[0].message


def test_python_tags_are_refused():
    _, _, problems = read_yaml("x: !!python/object/apply:os.system ['true']\n")
    assert problems and "tag" in problems[0].message


def test_front_matter_split():
    front, body, body_line = split_front_matter("---\ntitle: a\n---\n\n## רקע\n")
    assert front == "title: a"
    assert body == "\n## רקע\n"
    assert body_line == 4
    assert split_front_matter("no front matter")[0] is None
