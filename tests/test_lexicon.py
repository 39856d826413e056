"""Hebrew words read into lemmas by hspell's lexicon, on the page side and on the query side."""

from __future__ import annotations

import gzip

import pytest

from generator import lexicon


def readings(word: str) -> list[str]:
    return sorted(lexicon.base_readings(word)[0])


def page(word: str, site: frozenset[str] = frozenset()) -> list[str]:
    return sorted(lexicon.page_lemmas(word, site, site))


@pytest.mark.parametrize(
    ("word", "lemmas"),
    [
        ("משפחות", ["משפחה"]),  # plural
        ("ועדת", ["ועדה"]),  # construct state
        ("זכויותיו", ["זכות"]),  # possessive
        ("תושביה", ["תושב"]),
        ("עיריית", ["עירייה"]),
        ("ובמשפחות", ["משפחה"]),  # a chain of prefixes
        ("וכשהרשויות", ["רשות"]),
        ("הוותיקים", ["ותיק"]),  # the vav doubled after a prefix
        ("לביטוח", ["ביטוח"]),
        ("הלאומי", ["לאום", "לאומי"]),  # national; the nation of
    ],
)
def test_inflected_and_prefixed_words_read_as_their_lemma(word: str, lemmas: list[str]):
    assert readings(word) == lemmas


@pytest.mark.parametrize(
    ("word", "lemmas"),
    [
        ("כביש", ["כביש"]),  # never כ+ביש
        ("כנסת", ["כנסת"]),  # never כ+נסת, nor the verb כנס
        ("משרד", ["משרד"]),  # never מ+שרד
        ("ביוב", ["ביוב"]),
        ("מרכז", ["מרכז"]),  # not also "is centralizing" (ריכז), which would make רכז find it
        ("מידע", ["מידע"]),  # not also the verb יידע, which would make ידע find it
        ("רווחה", ["רווחה"]),  # not also "her profit"
        ("יחד", ["יחד"]),  # not also the verb ייחד
        ("שנים", ["שנה", "שנים"]),  # years; two
        ("ובעלי", ["בעל"]),  # ו+בעלי, not וב+עלי
        ("שמכנסים", ["כינסv"]),  # ש+מכנסים (convening), not שמ+כנסים (conferences)
    ],
)
def test_a_word_keeps_its_letters_and_its_likeliest_reading(word: str, lemmas: list[str]):
    assert readings(word) == lemmas


def test_a_form_that_is_two_words_keeps_both():
    assert readings("ארגוני") == ["ארגון", "ארגוני"]  # organizations of; organizational
    assert readings("יחידות") == ["יחידה", "יחידות"]  # units; uniqueness


def test_a_base_word_is_not_also_an_adjective_s_inflection():
    assert readings("רשות") == ["רשות"]  # an authority, not the plural of רש (poor)
    assert readings("רשת") == ["רשת"]  # a network, not רש's feminine
    assert readings("נוחות") == ["נוחות"]


def test_my_and_your_are_no_likelier_than_a_verb_with_a_suffix():
    assert readings("נערך") == ["נערךv"]  # was held; not "your boy"
    assert readings("זכויותיו") == ["זכות"]  # his rights: the third person stays


def test_the_page_side_reads_the_article_of_a_word_that_is_no_base_word():
    assert page("הכנסת") == ["הכנסה", "כנסת"]  # the income of; the Knesset
    assert page("המשך") == ["המשך"]  # a base word: not ה+משך
    assert page("הגדרות") == ["הגדרה"]  # definitions; not ה+גדרות, the fences: the article goes before a base word


def test_a_feminine_noun_that_is_a_participle_reads_as_its_masculine():
    assert readings("יועצות") == readings("יועצים") == ["יועץ"]  # the masculine is a noun
    assert readings("מתנדבות") == readings("מתנדבים") == ["התנדבv"]  # the masculine is the verb's participle
    assert readings("רכזות") == readings("רכזים") == ["רכז"]  # no participle: a reviewed pair (ROLES)
    assert readings("עגלה") == ["עגלה"]  # a cart is no calf: letters alone pair no nouns


def test_words_the_lexicon_does_not_know_stay_as_written():
    assert page("כרמיאל") == page("בכרמיאל") == ["כרמיאל"]  # hspell knows some names
    assert page("הקורונה") == ["הקורונה", "קורונה"]  # a prefix before an unknown word, on the page side
    assert page('שי"ל') == ["שיל"]  # an acronym's letters are not a prefix and a word
    assert page("בזום") == ["ביזהv", "זום"]  # read by hspell only with a suffix: also a prefix and a name


def test_acronyms_are_one_word_with_or_without_their_quotes():
    assert lexicon.words("מנכ״ל מנכ\"ל בשי''ל") == ['מנכ"ל', 'מנכ"ל', 'בשי"ל']
    assert readings('מנכ"ל') == readings("מנכל") == ["מנכל"]
    assert readings('ד"ר') == ["דר"]
    assert readings("דר") == ["דר", "דרv"]  # also "dwells", a word of its own
    assert lexicon.key('ד"ר') == "דרx"


def test_text_is_read_in_full_spelling_and_in_parts():
    assert lexicon.words("בַּקְּהִלָּה, תל־אביב ZOOM") == ["בקהילה", "תל", "אביב", "zoom"]


def test_the_reviewed_spelling_table_links_what_the_lexicon_cannot():
    assert readings("תוכנית") == readings("תכנית") == ["תכנית"]  # hspell reads תוכנית as the adjective תוכני
    assert readings("ובתוכניות") == ["תכנית"]


def test_the_query_side_keeps_only_the_site_s_lemmas_and_ranks_spelling_variants_below():
    site = frozenset({"שירות", "ביטחון", "עירייה", "משפחה"})
    assert lexicon.query_lemmas("משפחות", site) == (["משפחה"], [])
    assert lexicon.query_lemmas("שרות", site) == ([], ["שירות"])  # a word itself (female ministers), its variant found
    assert lexicon.query_lemmas("בטחון", site) == ([], ["ביטחון"])
    assert lexicon.query_lemmas("לעיריה", site) == ([], ["עירייה"])
    assert lexicon.query_lemmas("כביש", site) == ([], [])  # not on the site: nothing, never a shorter word
    assert lexicon.query_lemmas("קרונה", frozenset({"קורונה"})) == ([], ["קורונה"])  # a name of the site


def test_a_variant_of_a_known_word_after_a_prefix_is_not_its_spelling():
    # המשך read as ה+מושך would make "continuation" find "attracting"
    assert lexicon.query_lemmas("המשך", frozenset({"מושך"})) == ([], [])


def test_the_committed_lexicon_says_where_it_comes_from_and_its_licence():
    header = [
        line for line in gzip.decompress(lexicon.LEXICON_FILE.read_bytes()).decode().split("\n")[:5] if line.startswith("#")
    ]
    assert any("hspell" in line for line in header)
    assert any("Affero" in line for line in header)
    lex = lexicon.lexicon()
    assert len(lex.forms) > 400_000
    assert {"ו", "ה", "ב", "ל", "מ", "ש", "כ", "וה", "שה", "וכשה"} <= set(lex.prefixes)


def test_client_rules_hand_the_page_what_it_reads_by():
    rules = lexicon.client_rules()
    assert rules["marks"] == {"key": "x", "title": "t", "frequent": "y", "veryFrequent": "z", "names": lexicon.NAMES}
    assert rules["prefixes"]["ו"]  # the classes each prefix may be glued to
    assert rules["shard"] == lexicon.SHARD
    assert lexicon.shard_of('מ"מ') == lexicon.shard_of("ממ") == "5de5de"


def test_an_infinitive_is_the_verb_not_a_prefix_before_a_noun():
    # hspell keeps לשמש as ל+שמש; written out it is the verb שימש (to serve), not "to the sun".
    site = frozenset({"שימשv", "איגםv"})
    assert lexicon.page_lemmas("לשמש", site, frozenset()) == ["שימשv"]
    assert lexicon.page_lemmas("ולאגם", site, frozenset()) == ["איגםv"]
    assert lexicon.query_lemmas("שמש", site | {"שמש"}) == (["שמש"], [])


def test_a_base_word_is_never_taken_for_another_words_spelling():
    site = frozenset({"דיור", "שימשv", "ביטחון"})
    assert lexicon.query_lemmas("דור", site) == ([], [])  # generation, not housing
    assert lexicon.query_lemmas("שמש", site) == ([], [])  # the sun, not "served"
    assert lexicon.query_lemmas("בטחון", site) == ([], ["ביטחון"])  # not a base word: a defective spelling


def test_a_base_word_off_the_site_is_not_a_prefix_before_another():
    site = frozenset({"כול", "קרן"})
    assert lexicon.query_lemmas("שכול", site) == ([], [])  # bereavement, not ש+כול
    assert lexicon.query_lemmas("הקרן", site) == (["קרן"], [])  # "radiate!" is unlikely: ה+קרן


def test_the_article_before_a_noun_is_as_short_a_prefix_as_a_verbs_he():
    # והקליטה: וה+קליטה (and the absorption), not only ו+הקליטה (and she recorded).
    assert "קליטה" in readings("והקליטה")
    assert readings("ובעלי") == readings("בעלי")  # ו+בעלי (and owners of), not וב+עלי


def test_dotted_letters_are_an_acronym():
    assert lexicon.words("ת.ז. של מ.א. מבואות") == ['ת"ז', "של", 'מ"א', "מבואות"]
    assert lexicon.words("בשעה 10.30 ובסוף משפט.א") == ["בשעה", "10", "30", "ובסוף", "משפט", "א"]


def test_a_feminine_that_is_another_word_stays_apart():
    assert "פליט" not in readings("פליטה")  # an emission is no refugee
