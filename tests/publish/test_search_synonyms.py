"""The search's groups of names: a body known by several names is found by each of them."""

from __future__ import annotations

from generator.publish import search_synonyms


def test_a_name_is_cut_where_it_joins_two_names_and_an_english_name_loses_its_frame():
    terms = search_synonyms.name_terms("רשות החירום הלאומית (רח״ל)", "The Jewish Agency for Israel", ["שי״ל – שירות ייעוץ לאזרח"])
    assert terms == ["רשות החירום הלאומית", "רח״ל", "שי״ל", "שירות ייעוץ לאזרח", "The Jewish Agency for Israel", "Jewish Agency"]
    # A hyphen inside a word (בין-מגזרי) joins, it does not cut.
    assert search_synonyms.name_terms("פורום בין-מגזרי", None, []) == ["פורום בין-מגזרי"]


def test_only_a_body_with_more_than_one_name_is_a_group_and_keys_never_meet_synonyms_yml():
    groups = search_synonyms.name_groups(
        [("oministry-of-welfare", "משרד הרווחה", "Ministry of Welfare", []), ("oamigour", "עמיגור", None, [])]
    )
    assert groups == [("נoministryהofהwelfare", ["משרד הרווחה", "Ministry of Welfare"])]
    assert not groups[0][0].startswith(search_synonyms.GROUP_LETTER)


def test_ids_that_differ_by_a_hyphen_make_two_keys():
    groups = search_synonyms.name_groups([("okeren-hadar", "קרן הדר", "Keren Hadar", []), ("okerenhadar", "קרן", "Keren", [])])
    assert len({key for key, _ in groups}) == 2
    assert search_synonyms.group_name("a-b") != search_synonyms.group_name("ab")
