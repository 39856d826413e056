"""Tests of generator.content.personal_data: Israeli ID numbers, private mobiles and personal mailboxes in contributor text."""

from __future__ import annotations

import random

import pytest

from generator.content.personal_data import (
    file_name_ids,
    find_israeli_ids,
    israeli_id_valid,
    personal_mailbox,
    private_phone,
    table_ids,
)


def _digits(span: str) -> str:
    """The ASCII digits of a found span, zero-padded to 9, computed here independently of the module."""
    return "".join(str(int(char)) for char in span if char.isdecimal()).zfill(9)


# Held out: written before the detector was tuned, as a municipal clerk might paste them; never edited to pass.
# Each sentence comes with the ID numbers (9 ASCII digits, zero-padded) that must be found in it, in order.
HELD_OUT = [
    ("מס' ת.ז: 0-1234567-4", ["012345674"]),
    ("שם המבקש: ישראל ישראלי, ת.ז. 123456782, טלפון 050-1234567", ["123456782"]),
    ("039337423 - זהו מספר תעודת הזהות של המשתתפת", ["039337423"]),
    ('| שם | ת"ז | תפקיד |\n|---|---|---|\n| דנה כהן | 31567284-0 | רכזת קהילה |\n', ["315672840"]),
    ("לפרטים נוספים: 04-6011111 או 03-1234567 (מוקד העירייה)", []),
    ("יש להביא תעודת זהות מקורית וספח ביום ההרשמה למרכז הקהילתי", []),
    ("בשנת 2023 הוגשו 1,250 בקשות, ללא צורך בתעודת זהות", []),
    ("המשתתפת (ת״ז \u200e204819577\u200e) הגישה בקשה למלגה", ["204819577"]),
    ("Participant ID: 040621336, registered 2024", ["040621336"]),
    ("The idea was valid and did work for 250944766 residents", []),
    ('נייד של בעל ת"ז: 0501234567', []),
    ("ת.ז 123456789 (שגוי)", []),
    ('שלחי לי צילום של הת"ז שלך, המספר הוא 15258734', ["015258734"]),
    ("תעודת־זהות מס׳ 228-974-317 צורפה לבקשה", ["228974317"]),
    ('מספר ת"ז: 0463 3928 9', ["046339289"]),
    ("תעודת הזהות הונפקה ב-15.08.2019 במשרד הפנים", []),
    ("ובתעודת הזהות שצורפה מופיע המספר ٣١٤١٥٩٢٦٠", ["314159260"]),
    ('לבירורים: \u200e+972-4-6011111 (משרד); אין צורך בת"ז', []),
    ("רשימת המשתתפים: יוסי לוי 271828188, רונית אברהם 057312464 (מס' זהות)", ["271828188", "057312464"]),
    ('טופס ההרשמה: שם, כתובת, ת.ז., טלפון נייד ודוא"ל', []),
    ("קוד הפרויקט במערכת: 123456782", []),
    ("ID no. 30817562-9", ["308175629"]),
    ("teudat zehut 12345674", ["012345674"]),
    ("מס' הזהות של התושב הוא 123.456.782", ["123456782"]),
    ('ת"ז: 12\u200f3456782', ["123456782"]),
    ("ת״ז ０３９３３７４２３", ["039337423"]),
    ("לת”ז 204819577 יש לצרף ספח", ["204819577"]),
    ("מספר זהות 123456782 ומספר טלפון 03-1234567", ["123456782"]),
]


@pytest.mark.parametrize(("sentence", "expected"), HELD_OUT)
def test_held_out_sentences(sentence: str, expected: list[str]) -> None:
    assert all(israeli_id_valid(number) for number in expected)  # the test data itself holds only valid numbers
    assert [_digits(sentence[start:end]) for start, end in find_israeli_ids(sentence)] == expected


# --- example numbers, computed rather than written down --------------------------------------------------------


def _valid(prefix: str) -> str:
    """`prefix` (8 digits) completed with the one check digit that israeli_id_valid accepts."""
    numbers = [prefix + digit for digit in "0123456789" if israeli_id_valid(prefix + digit)]
    assert len(numbers) == 1
    return numbers[0]


def _luhn(digits: str) -> bool:
    """The check stated independently: Luhn from the right (for 9 digits, the weights 1,2,1,2… from the left)."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char) * 2 if position % 2 else int(char)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def _ascii(text: str) -> str:
    return "".join(char for char in text if char.isdigit())


ID = _valid("12345678")  # 123456782
ZERO_ID = _valid("01234567")  # 012345674: without its leading zero it has 8 digits
SHORT = ZERO_ID[1:]
LANDLINE = _valid("04601111")  # nine digits of a landline (04-601111x) that happen to pass the check
DATE = "15.08.2019"  # a date whose digits pass the check (asserted below)


# --- the check digit -------------------------------------------------------------------------------------------


def test_check_digit_agrees_with_luhn() -> None:
    sample = random.Random(20260101)
    numbers = [f"{sample.randrange(10**9):09d}" for _ in range(3000)]
    assert [israeli_id_valid(number) for number in numbers] == [_luhn(number) for number in numbers]
    assert 200 < sum(map(israeli_id_valid, numbers)) < 400  # about one in ten passes


@pytest.mark.parametrize(
    ("digits", "valid"),
    [
        ("123456782", True),
        ("012345674", True),
        ("12345674", True),  # the leading zero dropped
        ("000000018", True),
        ("123456789", False),
        ("012345675", False),
        ("1234567820", False),  # 10 digits
        ("12345678a", False),
        ("", False),
        ("١٢٣٤٥٦٧٨٢", False),  # the function takes ASCII; the finders convert other scripts first
    ],
)
def test_check_digit_examples(digits: str, valid: bool) -> None:
    if digits.isascii() and digits.isdigit() and len(digits) <= 9:
        assert _luhn(digits.zfill(9)) == valid  # the expectation itself is right
    assert israeli_id_valid(digits) == valid


@pytest.mark.parametrize("position", range(9))
def test_one_wrong_digit_fails_the_check(position: int) -> None:
    for digit in "0123456789":
        if digit != ID[position]:
            assert not israeli_id_valid(ID[:position] + digit + ID[position + 1 :])


def test_the_computed_examples() -> None:
    assert (ID, ZERO_ID) == ("123456782", "012345674")
    assert israeli_id_valid(LANDLINE) and israeli_id_valid(_ascii(DATE))


# --- find_israeli_ids: the words -------------------------------------------------------------------------------

ID_WORDS = [
    'ת"ז', "ת״ז", "ת'ז", "ת׳ז", "ת''ז", "ת”ז", "ת.ז", "ת.ז.", "ת. ז.", "תז", "ת. זהות",
    "תעודת זהות", "תעודת הזהות", "תעודת־זהות", "תעודת-זהות", "תעודת   זהות", "תעודות זהות",
    "מספר זהות", "מספר הזהות", "מספר־זהות", "מס' זהות", "מס׳ זהות", "מס זהות", "מס' הזהות", "מס. זהות", 'מספר ת"ז',
    "ובתעודת הזהות", 'לת"ז', "בת.ז.", "ות״ז", "שבתעודת זהות", "של ת.ז", 'הת"ז', "במספר הזהות", "ממס' זהות",
    "ID", "id", "I.D.", "I.D", "IDs", "ID number", "ID no.", "Teudat Zehut", "teudat-zehut", 'ת\u200f"ז',
]  # fmt: skip


@pytest.mark.parametrize("word", ID_WORDS)
def test_id_word_before_the_number(word: str) -> None:
    text = f"{word}: {ID}"
    assert find_israeli_ids(text) == [(len(text) - 9, len(text))]


@pytest.mark.parametrize("word", ID_WORDS)
def test_id_word_after_the_number(word: str) -> None:
    assert find_israeli_ids(f"{ID} הוא {word} של המבקשת") == [(0, 9)]


def test_the_word_may_be_a_few_words_away() -> None:
    assert find_israeli_ids(f"תעודת זהות {'א' * 30} {ID}")
    assert find_israeli_ids(f"{ID} {'א' * 30} תעודת זהות")
    assert not find_israeli_ids(f"תעודת זהות {'א' * 60} {ID}")
    assert not find_israeli_ids(f"{ID} {'א' * 60} תעודת זהות")


NOT_ID_WORDS = [
    "did", "idea", "valid", "Idan", "ideal", "paid", "?id=", "/id/", "user.id", "https://example.org/p?id=",
    "התזה", "תזמון", "תזכורת", "מזהה", "מספר", "מס הכנסה", "תעודה", "בת זוג", "תעודת הוקרה",
]  # fmt: skip


def test_identity_alone_names_an_id_only_right_beside_the_number() -> None:
    # "זהות: 123456782" is how a clerk labels a column; "זהות קהילתית" (community identity) is everywhere else.
    assert find_israeli_ids(f"זהות: {ID}") and find_israeli_ids(f"{ID} (זהות)")
    assert not find_israeli_ids(f"זהות קהילתית, וגם {'א' * 40} {ID}")
    assert not find_israeli_ids(f"על זהות קהילתית. {'א' * 40} {ID}", block=True)  # not a strong word for a block


@pytest.mark.parametrize("word", NOT_ID_WORDS)
def test_ordinary_words_do_not_name_an_id(word: str) -> None:
    assert find_israeli_ids(f"{word} {ID}") == []
    assert find_israeli_ids(f"{word}{ID}") == []
    assert find_israeli_ids(f"{ID} {word}") == []


# --- find_israeli_ids: the number ------------------------------------------------------------------------------

NUMBER_FORMS = [
    ID,
    ZERO_ID,
    SHORT,  # the leading zero dropped
    f"{ID[:8]}-{ID[8]}",
    f"{ID[:3]}-{ID[3:6]}-{ID[6:]}",
    f"{ID[:3]}\u2013{ID[3:6]}\u2013{ID[6:]}",  # en dash
    f"{ID[:4]} {ID[4:8]} {ID[8]}",
    f"{ID[:3]}\u00a0{ID[3:6]}\u2009{ID[6:]}",  # non-breaking and thin spaces
    f"{ID[:3]}\u202f{ID[3:6]}\u202f{ID[6:]}",  # narrow non-breaking space
    f"{ID[:3]}.{ID[3:6]}.{ID[6:]}",
    f"{ID[:3]}/{ID[3:6]}/{ID[6:]}",
    f"{ZERO_ID[0]}-{ZERO_ID[1:8]}-{ZERO_ID[8]}",
    f"{SHORT[:7]}-{SHORT[7]}",
    f"{ID[:2]}\u200e{ID[2:]}",
    f"{ID[:2]}\u200f{ID[2:5]}\u061c{ID[5:]}",
    f"{ID[:4]}\u202b{ID[4:]}",
    f"{ID[:4]}\u2067{ID[4:7]}\u2069{ID[7:]}",
    f"{ID[:3]}\u200b{ID[3:6]}\u2060{ID[6:8]}\ufeff{ID[8]}",
    f"{ID[:3]}-\u200e{ID[3:]}",  # a mark beside a separator: still one separator
    "".join(chr(0x0660 + int(digit)) for digit in ID),  # Arabic-Indic
    "".join(chr(0x06F0 + int(digit)) for digit in ID),  # Extended Arabic-Indic (Persian)
    "".join(chr(0xFF10 + int(digit)) for digit in ZERO_ID),  # full-width
    "".join(chr(0x0966 + int(digit)) for digit in SHORT),  # Devanagari
]


@pytest.mark.parametrize("number", NUMBER_FORMS)
def test_number_forms(number: str) -> None:
    text = f'ת"ז {number} (צילום מצורף)'
    found = find_israeli_ids(text)
    assert len(found) == 1
    start, end = found[0]
    assert text[start:end] == number
    assert _digits(text[start:end]) in (ID, ZERO_ID)


def test_offsets_are_into_the_original_text() -> None:
    text = f"\u200fשורה ראשונה\u200e\u200e\nשורה שנייה\u202b: ת\u200f\"ז \u2066{ID[:4]}\u200e{ID[4:]}\u2069\nשלישית 'ת.ז' {SHORT}"
    found = find_israeli_ids(text)
    assert [text[start:end] for start, end in found] == [f"{ID[:4]}\u200e{ID[4:]}", SHORT]
    assert [text.count("\n", 0, start) + 1 for start, _ in found] == [2, 3]


def test_numbers_of_a_pasted_row_split_at_spaces() -> None:
    text = f"ת.ז. {ZERO_ID} 0501234567 {ID}"
    assert [text[start:end] for start, end in find_israeli_ids(text)] == [ZERO_ID, ID]


NOT_IDS = [
    "04-6011111",
    "03-1234567",
    f"{LANDLINE[:2]}-{LANDLINE[2:]}",  # landline shape, valid check digit
    f"{LANDLINE[:2]} {LANDLINE[2:5]} {LANDLINE[5:]}",
    "+972-4-6011111",
    "050-1234567",
    "0501234567",
    "2024",
    "בשנת 2019",
    DATE,  # a date whose digits pass the check
    DATE.replace(".", "/"),
    "2019-08-15",
    "1,234,567 ₪",
    ID + "0",  # 10 digits
    "1" + ID,
    f"{ID[:5]}-{ID[5:]}0",
    f"{ID}-3",
    f"{ID[:4]}--{ID[4:]}",  # two separators cut the run, and neither half has 8 digits
    f"{ID[:4]}. {ID[4:]}",
    ID[:8] + str((int(ID[8]) + 1) % 10),  # wrong check digit
    "123456789",
    SHORT[:7],  # 7 digits
    "",  # the word alone
]


@pytest.mark.parametrize("text", NOT_IDS)
def test_not_an_id_number(text: str) -> None:
    assert find_israeli_ids(f'ת"ז {text}') == []
    assert find_israeli_ids(f"יש להציג תעודת זהות. {text}") == []


def test_excluded_shapes_are_shapes_not_digits() -> None:
    assert find_israeli_ids(f'ת"ז {LANDLINE}') and find_israeli_ids(f'ת"ז {_ascii(DATE)}')


@pytest.mark.parametrize("text", [ID, f"מספר {ID}", f"טלפון {SHORT}", f"קוד מוסד {ZERO_ID}", f"The idea is valid: {ID}"])
def test_a_valid_number_alone_is_not_flagged(text: str) -> None:
    assert israeli_id_valid(_ascii(text)) and find_israeli_ids(text) == []


# --- table_ids -------------------------------------------------------------------------------------------------


def test_table_with_an_id_column() -> None:
    rows = [["דנה כהן", ID, "רכזת"], ["יוסי לוי", f" {SHORT} ", "מנהל"], ["רון", "123456789", ""], ["", "", f"הערה: {ZERO_ID}"]]
    assert table_ids(["שם", 'ת"ז', "תפקיד"], rows) == [(0, 1), (1, 1), (3, 2)]
    assert table_ids(["Name", "ID number", "Role"], rows) == [(0, 1), (1, 1), (3, 2)]
    assert table_ids(["שם", "מס׳ זהות"], [[f"{ZERO_ID[0]}-{ZERO_ID[1:8]}-{ZERO_ID[8]}", "03-1234567"]]) == [(0, 0)]


@pytest.mark.parametrize("header", [["שם", "טלפון", "תפקיד"], ["Name", "Valid", "Idea"], [], ["תעודה", "הערות"]])
def test_table_without_an_id_column(header: list[str]) -> None:
    assert table_ids(header, [["דנה כהן", ID, "רכזת"], ["", ZERO_ID, ""]]) == []


def test_table_cells_must_hold_a_whole_valid_number() -> None:
    assert table_ids(['ת"ז'], [[ID + "0"], ["04-6011111"], [DATE], ["2024"], [""], ["123456789"]]) == []


# --- file_name_ids ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        f"ת.ז-{ZERO_ID}.pdf",
        f"תעודת_זהות {SHORT}.pdf",
        f"scan-tz-{ID}.pdf",
        f"ID_{ID}.jpg",
        f"id-{ID[:8]}-{ID[8]}.png",
        f'ת"ז_דנה_כהן_{ZERO_ID}.jpeg',
        f"{ID}_teudat_zehut.pdf",
        f"zehut.{ID}.pdf",
        f"scan-20230512-{ID}-tz.pdf",  # a date and the number, each its own field
        f"ת\u200f.ז {ID}.pdf",
    ],
)
def test_file_names_with_an_id(name: str) -> None:
    assert file_name_ids(name)


@pytest.mark.parametrize(
    "name",
    [
        f"report-{ID}.pdf",  # a number alone
        "tz-list.pdf",  # a word alone
        "ת.ז-123456789.pdf",  # wrong check digit
        f"scan-tz-{ID}0.pdf",
        f"ת.ז {DATE}.pdf",
        "photo_2024-05-01.jpg",
        f"paid-{ID}.pdf",
        f"video-{ID}.mp4",
        "נוהל-תעודת-זהות-2024.pdf",
    ],
)
def test_file_names_without_an_id(name: str) -> None:
    assert not file_name_ids(name)


# --- private_phone ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "phone",
    [
        "050-1234567", "0501234567", "052 123 4567", "054.123.4567", "(058) 123-4567", "+972-50-1234567", "+972 50 123 4567",
        "972501234567", "972-53-1234567", "+972 (0)52-1234567", "00972-58-1234567", "\u200e050-1234567\u200e",
        "\u202a+972-55-1234567\u202c", "٠٥٠١٢٣٤٥٦٧", "050-1234567 שלוחה 3", "04-6011111 / 050-1234567", "נייד: 059–1234567",
    ],
)  # fmt: skip
def test_mobile_numbers(phone: str) -> None:
    assert private_phone(phone)


@pytest.mark.parametrize(
    "phone",
    [
        "04-6011111", "03-1234567", "02 123 4567", "+972-4-6011111", "972-3-1234567", "077-1234567", "072-2123456",
        "1-800-500-500", "*6011", "106", "050-123456", "050-12345678", "1050-1234567", "",
    ],
)  # fmt: skip
def test_not_mobile_numbers(phone: str) -> None:
    assert not private_phone(phone)


# --- personal_mailbox ------------------------------------------------------------------------------------------

PERSONAL_DOMAINS = (
    "gmail.com googlemail.com walla.co.il walla.com yahoo.com yahoo.co.il hotmail.com hotmail.co.il outlook.com live.com msn.com "
    "icloud.com me.com mac.com aol.com gmx.com gmx.net protonmail.com proton.me mail.com yandex.com zahav.net.il bezeqint.net "
    "netvision.net.il 012.net.il 013.net 013net.net inter.net.il smile.net.il barak.net.il"
).split()


@pytest.mark.parametrize("domain", PERSONAL_DOMAINS)
def test_personal_mailboxes(domain: str) -> None:
    assert personal_mailbox(f"dana.cohen@{domain}")
    assert personal_mailbox(f"Dana.Cohen@{domain.upper()}")
    assert personal_mailbox(f"dana@mail.{domain}")


@pytest.mark.parametrize(
    "email",
    [
        "dana@haifa.muni.il", "info@gov.il", "dana@gmail.com.example.org", "dana@notgmail.com", "dana@mygmail.com",
        "gmail.com", "@gmail.com", "dana@walla.co", "dana@example.org", "",
    ],
)  # fmt: skip
def test_work_mailboxes(email: str) -> None:
    assert not personal_mailbox(email)


@pytest.mark.parametrize("email", ["  dana@gmail.com  ", "<dana@gmail.com>", "dana@gmail.com.", "dana@\u200egmail.com"])
def test_mailboxes_as_pasted(email: str) -> None:
    assert personal_mailbox(email)


@pytest.mark.parametrize(
    "text",
    [
        'ת"ז 123,456,782',  # a spreadsheet's thousands separators
        'ת"ז 1234\u00ad56782',  # a soft hyphen
        'ת"ז 12345\u034f6782',  # a combining grapheme joiner
        'ת"ז 1234567\ufe0f82',  # a variation selector
        'ת"ז 123·456·782',
        'ת"ז 123_456_782',
        "ת ז 123456782",
    ],
)
def test_what_a_review_found_published(text: str) -> None:
    assert find_israeli_ids(text)


def test_in_a_block_the_word_may_stand_anywhere_or_in_the_lead_in_of_its_list() -> None:
    far = f'מספר ת"ז של המשתתף, כפי שנמסר לנו במהלך ההרשמה לתכנית בשנה שעברה, הוא {ID}'
    assert not find_israeli_ids(far) and find_israeli_ids(far, block=True)
    item = f"ישראל ישראלי, רחוב הרצל 5 כרמיאל – {ID}"
    assert find_israeli_ids(item, block=True, named=True)  # its section named them ("מספרי תעודת הזהות:")
    assert not find_israeli_ids(item, block=True)


def test_far_from_the_word_a_landline_is_a_phone_and_an_association_number_never_a_person():
    assert not find_israeli_ids("אישור תעודת זהות נדרש. למידע נוסף חייגו בטלפון 046011110 בשעות הפעילות.", block=True)
    assert find_israeli_ids('ת"ז 046011110')  # beside the word, it may be an ID
    assert not find_israeli_ids('תעודת זהות ועמותה (ע"ר 580123453)')
    assert not find_israeli_ids('עמותה לחיזוק הזהות היהודית והקהילתית בגליל (ע"ר 580123453)')
    assert not find_israeli_ids("תקציב התכנית לחיזוק הזהות היהודית: 34,000,000 ₪")


@pytest.mark.parametrize("text", ["מספר זיהוי: 200000016", "מס' זיהוי 200000016", "תעודת זיהוי 200000016", 'ת""ז 200000016'])
def test_more_wordings_a_review_found(text: str):
    assert find_israeli_ids(text)
