"""Records read into search keys, the synonyms' groups, and the data the search page reads them by."""

from __future__ import annotations

import base64
import json
import re

from generator import lexicon
from generator.publish import search_keys, search_synonyms


def keyed(*records: tuple[str, str], synonyms=(), names=()) -> search_keys.SiteKeys:
    """The records' keys, with ``synonyms`` given as synonyms.yml's (id, terms)."""
    groups = [(search_synonyms.group_name(group_id), terms) for group_id, terms in synonyms]
    return search_keys.key_records([(title, text, title in names) for title, text in records], groups)


def test_a_record_is_keyed_by_the_lemmas_of_its_words_with_title_and_frequent_tiers():
    site = keyed(("ועדת הרווחה", "הוועדה דנה בזכויותיהם של תושבים, בזכויות ובזכות הגישה. לביטוח הלאומי."))
    terms = site.records[0].terms()
    assert {"ועדהx", "ועדהt", "רווחהx", "רווחהt", "זכותx", "זכותy", "תושבx", "ביטוחx", "לאומיx"} <= set(terms)
    assert "ועדהy" not in terms  # twice is not frequent
    assert "זכותt" not in terms
    assert all(term[-1] in "xty" for term in terms)  # a key never ends in a letter of a word
    assert site.records[0].highlight["זכות"] == {"בזכויות", "בזכויותיהם", "ובזכות"}  # the words to mark
    forms = search_keys.forms_files(site)[f"forms/{lexicon.shard_of('זכות')}.js"]
    assert '"זכות":["בזכויות","בזכויותיהם","ובזכות"]' in forms


def test_a_spelling_variant_counts_only_towards_a_lemma_the_site_has():
    site = keyed(("א", "ביטחון אישי"), ("ב", "בטחון תעסוקתי"))
    assert "ביטחוןx" in site.records[1].terms()  # the site writes ביטחון: בטחון is a spelling of it
    alone = keyed(("ב", "ספר"))
    assert "סיפרx" not in alone.records[0].terms()  # ספר (a book) is not "told" where the site never writes סיפר


def test_a_group_of_synonyms_keys_every_record_that_writes_one_of_its_terms_in_any_form():
    synonyms = [("elderly", ["קשישים", "אזרחים ותיקים"])]
    site = keyed(
        ("שירות לאזרחים הוותיקים", "מידע"),
        ("אזרחים", "ותיקים במקום אחר: לא ברצף"),
        ("קשיש", "אחד"),
        synonyms=synonyms,
    )
    group = search_synonyms.group_name("elderly")
    assert lexicon.key(group) in site.records[0].terms() and lexicon.key(group, lexicon.TITLE) in site.records[0].terms()
    assert lexicon.key(group) not in site.records[1].terms()  # a phrase is found word after word
    assert lexicon.key(group) in site.records[2].terms()
    assert "קשיש" in site.reader_lemmas or "קשיש" in site.lemmas
    data = search_synonyms.synonyms_data(site.groups, site.tiers)
    assert data == [{"key": group, "tiers": "tx", "terms": [[["קשיש"]], [["אזרח"], ["ותיק"]]]}]


def test_a_reader_s_word_the_site_does_not_write_is_listed_without_a_tier():
    site = keyed(("פגישה", "אזרחים ותיקים"), synonyms=[("elderly", ["קשישים", "אזרחים ותיקים"])])
    files = search_keys.lexicon_files(site)
    line = next(
        line
        for line in json.loads(re.search(r",(.*)\);", files[f"lexicon/{lexicon.shard_of('קשישים')}.js"], re.S).group(1)).split(
            "\n"
        )
        if line.startswith("קשישים\t")
    )
    assert line.split("\t")[3] == "קשיש:"  # read as the generator reads it; never searched (no key tier)


def test_the_lexicon_files_tell_a_whole_word_even_without_a_lemma_on_the_site():
    site = keyed(("משך", "במשך השנה"))
    files = search_keys.lexicon_files(site)
    text = files[f"lexicon/{lexicon.shard_of('המשך')}.js"]
    lines = json.loads(re.search(r",(.*)\);", text, re.S).group(1)).split("\n")
    # No lemma of the site, but the page must know המשך is a base word (never ה+משך, which the site has).
    assert "המשך\t63\t0=" in lines
    assert text.startswith("window.KB_SEARCH_DATA.lexicon(") and "<" not in text


def _lexicon_lines(site) -> list[str]:
    files = search_keys.lexicon_files(site).values()
    return [line for text in files for line in json.loads(re.search(r",(.*)\);", text, re.S).group(1)).split("\n")]


def test_the_lexicon_files_hold_the_sites_vocabulary_not_the_languages():
    forms = _lexicon_lines(keyed(("משך", "במשך השנה")))
    assert 100 < len(forms) < 3_000  # the forms of משך, שנה and what reads as them; not 468,000
    assert not any(line.startswith("משפחותיהם\t") for line in forms)
    more = _lexicon_lines(keyed(("משך", "במשך השנה של המשפחות בכנסת")))
    assert len(more) > len(forms) and "משפחותיהם\t8\t2\tמשפחה:x" in more


def test_the_title_of_a_name_is_marked_with_its_number_of_words():
    site = keyed(
        ("המוסד לביטוח לאומי", "גוף ציבורי"),
        ("אשדוד", "עיר"),
        ("ביטוח לאומי לכולם", "יוזמה"),
        names=("המוסד לביטוח לאומי", "אשדוד"),
    )
    assert {"מוסדc", "ביטוחc", "לאומיc"} <= set(site.records[0].terms()) and "ביטוחt" not in site.records[0].terms()
    assert "אשדודa" in site.records[1].terms()
    assert "ביטוחt" in site.records[2].terms()  # an entry's title keeps the title's mark
    assert site.tiers["ביטוח"] == {"x", "c", "t"}


def test_the_matcher_finds_every_group_among_terms_that_begin_alike():
    # Terms in a tree: a thousand that begin alike cost the branches the text opens (benchmarks/build_scale.py).
    groups = [(f"g{n}", ["אזרחים ותיקים", f"אזרחים ותיקים מילה{n}"]) for n in range(1000)]
    site = keyed(("א", "אזרחים ותיקים " * 200), synonyms=groups)
    assert sum(1 for term in site.records[0].terms() if term.startswith(search_synonyms.GROUP_LETTER)) == 1000


def test_the_shards_file_lists_what_exists():
    files = {"lexicon/5d05d1.js": "", "lexicon/5d15d2.js": "", "forms/5d05d1.js": "", "known/0.js": "", "vocabulary.js": ""}
    listed = json.loads(re.search(r"shards\((.*)\);", search_keys.shards_file(files)).group(1))
    assert listed == {
        "lexicon/": ["5d05d1", "5d15d2"],
        "forms/": ["5d05d1"],
        "fallback/keys-": [],
        "fallback/words-": [],
        "near/": 0,
        "known/": 1,
    }


def in_filter(files: dict[str, str], form: str) -> bool:
    text = files[f"known/{lexicon.fnv(form) % len(files):x}.js"]
    _, bits, size, hashes = json.loads("[" + re.search(r"known\((.*)\);", text, re.S).group(1) + "]")
    field = base64.b64decode(bits)
    assert hashes == search_keys.KNOWN_HASHES
    return all(field[bit // 8] >> (bit % 8) & 1 for bit in search_keys.known_bits(form, size))


def test_the_known_words_filter_holds_every_form_of_the_lexicon_and_few_others():
    files = search_keys.known_files()
    forms = sorted({*lexicon.lexicon().forms, *lexicon.SPELLINGS})
    assert all(in_filter(files, form) for form in forms[::50]) and in_filter(files, "רחובותיה")
    known = set(forms)
    strangers = [form[:-1] + letter for form in forms[::97] for letter in "קזט" if form[:-1] + letter not in known]
    taken = sum(1 for form in strangers if in_filter(files, form))
    assert len(strangers) > 3000 and taken / len(strangers) < 0.02
    assert sum(len(text) for text in files.values()) < 1_000_000  # the words themselves were 7.3 MB


def test_how_often_the_sites_own_pages_write_a_word_does_not_rank_them():
    site = search_keys.key_records([("אודות", "רשות " * 12, False, True), ("פורום", "רשות " * 12, False, False)])
    own, entry = (set(record.terms()) for record in site.records)
    assert lexicon.key("רשות") in own and lexicon.key("רשות", lexicon.FREQUENT) not in own
    assert {lexicon.key("רשות", lexicon.FREQUENT), lexicon.key("רשות", lexicon.VERY_FREQUENT)} <= entry


def test_the_index_from_disk_is_in_parts_a_query_loads_as_it_needs():
    site = keyed(("משפחות", "טקסט"), ("רשויות", "טקסט"), ("ועדה", "טקסט"))
    files = search_keys.fallback_files(["he_b", "he_c", "he_a"], [{"kind": ["initiative"]}, {"kind": ["page"]}, {}], site)
    order = json.loads(re.search(r"order\((.*),(\d+)\);", files["fallback/order.js"]).group(1))
    assert order == [1, 2, 0]  # each record's rank among Pagefind's ids: ties break alike from disk and online
    facets = json.loads(re.search(r"filters\((.*)\);", files["fallback/filters.js"]).group(1))
    assert facets == {"kind": {"initiative": [0], "page": [1]}}
    assert "fallback/records.js" not in files and any(name.startswith("fallback/keys-") for name in files)


def test_a_typo_shares_a_near_key_with_the_word_it_misspells():
    pairs = [("עמיגןר", "עמיגור"), ("קורנוה", "קורונה"), ("עמוטה", "עמותה"), ("אשדוג", "אשדוד"), ("ביגרמן", "בייגלמן")]
    for typo, word in [*pairs, ("העגוך", "העגול"), ("רב", "ר"), ("יוזה", "יוזמה"), ("עומי", "עוני"), ("יומזה", "יוזמה")]:
        assert lexicon.near_keys(typo, query=True) & lexicon.near_keys(word), (typo, word)
    assert not lexicon.near_keys("מחשב") & lexicon.near_keys("משרד")  # two consonants apart: no suggestion


def test_the_near_files_hold_each_word_under_its_keys_most_frequent_first():
    site = keyed(("א", "עמותה עמותה עמותה עמותות מוטה gif"), ("ב", "עמותה מוטה"))
    files = search_keys.near_files(site)
    count = len(files)
    assert count & (count - 1) == 0 and set(files) == {f"near/{n:x}.js" for n in range(count)}
    table = json.loads(re.search(r'near\("[0-9a-f]+",(.*)\);', files[f"near/{lexicon.near_file('מת', count):x}.js"]).group(1))
    assert [entry.split(":")[0] for entry in table["מת"].split(" ")] == ["עמותה", "מוטה", "עמותות"]
    assert "gif" not in "".join(files.values()) and json.loads(
        re.search(r"latin\((.*)\);", search_keys.latin_file(site)).group(1)
    ) == ["gif"]
