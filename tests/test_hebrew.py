"""Pointed text in full spelling, as the site and the lexicon spell it."""

import pytest

from generator import hebrew


@pytest.mark.parametrize(
    ("pointed", "full"),
    [
        ("חִרוּם", "חירום"),  # hiriq → yod
        ("חֵרוּם", "חרום"),  # tsere is left to the spelling variants (חרום → חירום)
        ("חִירוּם", "חירום"),  # the yod is there already
        ("קֹדֶם", "קודם"),  # holam → vav
        ("כֻּלָּם", "כולם"),  # qubuts → vav
        ("שׁוֹק", "שוק"),  # holam on a vav is that vav
        ("בַּקְּהִלָּה", "בקהילה"),
        ("מִגְדַּל הָעֵמֶק", "מגדל העמק"),  # hiriq before sheva closes its syllable: no yod
        ("מִשְׁפָּחָה", "משפחה"),
        ("סִפֵּר", "סיפר"),  # before a dagesh, the yod is written
        ("רשויות", "רשויות"),  # unpointed text is unchanged
    ],
)
def test_full_spelling_writes_vowel_points_as_letters(pointed: str, full: str):
    assert hebrew.clean_points(hebrew.full_spelling(pointed)) == full
