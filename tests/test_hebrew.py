"""The Hebrew word forms that make search find prefixed words without inventing matches."""

from collections import Counter

import pytest

from generator import hebrew


def forms(word: str, vocabulary: Counter | None = None) -> set[str]:
    return hebrew.stems(hebrew.fold(hebrew.clean(word)), vocabulary)


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("לרשויות", {"רשויות"}),
        ("ברשויות", {"רשויות"}),
        ("והרשויות", {"רשויות", "הרשויות"}),
        ("מהרשויות", {"רשויות"}),
        ("שהרשות", {"רשות"}),
        ("כשהרשות", {"רשות"}),
        ("הוותיקים", {"ותיקימ"}),  # doubled vav restored; final mem folded
        ("והוותיקים", {"ותיקימ", "הוותיקימ"}),
        ("המשרד", {"משרד"}),
        ("ומשרד", {"משרד"}),  # ו+משרד, never ומ+שרד
    ],
)
def test_prefixes_are_stripped(word, expected):
    assert forms(word) == expected


@pytest.mark.parametrize("word", ["משרד", "מרכז", "מידע", "בית", "ועדה", "ותיקים", "הערכה", "בקשה", "שירות", "לקח"])
def test_base_words_keep_their_first_letter(word):
    assert forms(word) == set()


def test_lone_mem_shin_kaf_need_the_corpus():
    assert forms("מרשויות") == set()  # without evidence (the query side)
    assert forms("מרשויות", Counter({"רשויות": 9, "מרשויות": 1})) == {"רשויות"}
    assert forms("שרשויות", Counter({"רשויות": 1, "שרשויות": 1})) == set()  # not more frequent: not enough


def test_tokens_unify_spellings():
    assert hebrew.tokens('מנכ"ל מנכ״ל מנכל') == ["מנכל"] * 3
    assert hebrew.tokens("חִירוּם") == ["חירומ"]
    assert hebrew.tokens("תל־אביב") == ["תל", "אביב", "תלאביב"]
    assert hebrew.tokens("בין-מגזרי Open") == ["בינ", "מגזרי", "בינמגזרי", "open"]


def test_query_forms_take_the_shortest_stem():
    assert hebrew.query_forms("ברשויות הוותיקים ארגון") == ["רשויות", "ותיקימ", "ארגונ"]
    assert hebrew.query_forms("משרד") == ["משרד"]


def test_a_singular_is_a_prefix_of_its_plural_once_folded():
    (singular,) = hebrew.query_forms("ארגון")
    assert hebrew.fold("ארגונים").startswith(singular)


@pytest.mark.parametrize(
    ("pointed", "full", "with_tsere"),
    [
        ("חִרוּם", "חירום", "חירום"),  # hiriq → yod
        ("חֵרוּם", "חרום", "חירום"),  # tsere only on the later try
        ("חִירוּם", "חירום", "חירום"),  # the yod is there already
        ("קֹדֶם", "קודם", "קודם"),  # holam → vav
        ("כֻּלָּם", "כולם", "כולם"),  # qubuts → vav
        ("שׁוֹק", "שוק", "שוק"),  # holam on a vav is that vav
        ("רשויות", "רשויות", "רשויות"),  # unpointed text is unchanged
    ],
)
def test_full_spelling_writes_vowel_points_as_letters(pointed: str, full: str, with_tsere: str):
    assert hebrew.clean(hebrew.full_spelling(pointed)) == full
    assert hebrew.clean(hebrew.full_spelling(pointed, tsere=True)) == with_tsere


def test_full_spelling_forms_are_only_the_tries_that_differ():
    assert hebrew.full_spelling_forms("חֵרוּם") == [["חירומ"]]
    assert hebrew.full_spelling_forms("בְּחִרוּם") == [["חירומ"]]  # prefixes are still stripped
    assert hebrew.full_spelling_forms("חירום") == []
