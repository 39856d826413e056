"""Detectors for personal data in contributor text: Israeli ID numbers, private mobile numbers and personal mailboxes.

The validate stage refuses a resident's ID number (publishing one breaks the privacy law the contract cites) and
warns about a private mobile or mailbox in a contact (the contract asks for office details, but a work mobile is
legitimate).  Text reaches us pasted from Word, spreadsheets and PDFs, so it carries invisible direction and
zero-width marks inside words and numbers, typographic quotes for gershayim, and digits of other scripts; every
check first removes the invisible marks and maps offsets back to the original text.

Every pattern is a flat alternation or a single character class repeated, and each digit run is examined once,
so a scan stays linear in the length of the text whatever it holds (see benchmarks/personal_data_speed.py).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator

# Marks that render as nothing: LRM, RLM, ALM, bidi embeddings/overrides/isolates, zero-width space/joiners, word
# joiner and invisible operators, BOM, soft hyphen, combining grapheme joiner, Mongolian vowel separator, variation
# selectors.
_INVISIBLE = "\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069\u200b-\u200d\u2060-\u2064\ufeff\u00ad\u034f\u180e\ufe00-\ufe0f"
_INVISIBLE_RE = re.compile(f"[{_INVISIBLE}]")
# What may stand between two digits of one number: dashes (ASCII, Unicode, minus, maqaf), dots, middle dots, commas
# (a spreadsheet's thousands), underscores, slashes, spaces.
_SEPARATOR = "\\-\u2010-\u2015\u2212\u05be./,_\u00b7\u2027\u2219 \u00a0\u2000-\u200a\u202f\u205f\u3000"
_SEPARATOR_RE = re.compile(f"[{_SEPARATOR}]")
# A digit run: digits with at most one separator between consecutive digits; \d is any Unicode decimal digit.
_RUN = re.compile(f"\\d(?:[{_SEPARATOR}]?\\d)*+")
_SPACE_CHUNK = re.compile(r"\S+")  # parts of a run between spaces: a space often separates two numbers
_DIGIT_CHUNK = re.compile(r"\d+")  # parts of a run between any separators: in file names '-' and '.' separate fields
_WINDOW = 40  # characters before or after a number within which an ID word counts

# Gershayim and geresh as people type them: ״ ׳, ASCII " ', two apostrophes, and Word's curly quotes.
_MARK = "(?:''|\"\"|׳׳|[\"'`״׳’‘”“])"
_WORD_GAP = "[\\s\\-־]+"  # between the two words of תעודת זהות: spaces, a hyphen or a maqaf
_HEBREW_WORD = (
    "(?<![^\\W\\d_])[ובלכשהמ]{0,3}(?:"  # not inside a word; a glued prefix such as ו, ב, של, וב
    f"ת\\s?(?:{_MARK}|\\.)\\s?ז(?:\\s?\\.)?"  # ת"ז ת״ז ת'ז ת.ז ת.ז. ת. ז.
    "|ת\\s+ז"  # ת ז, the gershayim left out
    "|תז"
    f"|תעוד(?:ת|ות){_WORD_GAP}ה?זהות"  # תעודת זהות, תעודת הזהות, תעודות זהות
    "|ת\\s?\\.\\s?ה?זהות"  # ת. זהות
    f"|מספר{_WORD_GAP}ה?(?:זהות|זיהוי)"  # מספר זהות, מספר הזיהוי
    f"|מס(?:\\s?(?:{_MARK}|\\.)\\s*|{_WORD_GAP})ה?(?:זהות|זיהוי)"  # מס' זהות, מס׳ הזהות, מס. זהות, מס' זיהוי
    f"|תעוד(?:ת|ות){_WORD_GAP}ה?זיהוי"
    ")(?![^\\W\\d_])"
)
# "ID", "I.D.", "IDs", "teudat zehut"; not "did", "idea", "valid", nor "?id=" or "/id/" in a web address.
_ENGLISH_WORD = "(?<![\\w?&/.=#])(?i:i\\.\\s?d\\.?|ids?|teudat[\\s\\-]*zehut)(?![^\\W\\d]|=)"
# File names also abbreviate: "scan-tz-…", "id_…", "zehut.pdf".
_FILE_WORD = "(?<![^\\W\\d_])(?i:i\\.?d|ids|id[ \\-]?cards?|t\\.?z|zehut|teudat|zihui)(?![^\\W\\d_])"
# "זהות" alone ("זהות: 123456782") names an ID only right beside a number: it is also "identity" (זהות קהילתית).
_IDENTITY_WORD = re.compile("(?<![^\\W\\d_])[ובלכשהמ]{0,3}ה?זהות(?![^\\W\\d_])")
_IDENTITY_WINDOW = 4  # "זהות: 123456782", not "לחיזוק הזהות היהודית (ע"ר 580123453)"
# A number right after a word for a phone is a phone, whatever its digits ("בטלפון 046011110", "פקס: 035551234").
_PHONE_WORD = re.compile(
    f"(?<![^\\W\\d_])[ובלכשהמ]{{0,3}}(?:טלפון|טלפונים|טל{_MARK}?|פקס|נייד|מס{_MARK}? טלפון)(?![^\\W\\d_])"
    "|(?i:\\b(?:tel|phone|fax|mobile)\\b)"
)
_PHONE_WINDOW = 12
_STRONG_WORDS = re.compile(f"{_HEBREW_WORD}|{_ENGLISH_WORD}")
_TEXT_WORDS = re.compile(f"{_HEBREW_WORD}|{_ENGLISH_WORD}|{_IDENTITY_WORD.pattern}")
_FILE_WORDS = re.compile(f"{_HEBREW_WORD}|{_FILE_WORD}")

_AREA_CODES = "23489"  # landlines 02-09 with 7 digits make 9 digits, like an ID


def israeli_id_valid(digits: str) -> bool:
    """Whether `digits` (ASCII, up to 9) passes the ID check digit once zero-padded to 9.

    People drop the leading zero, so 8 digits are padded; the check (weights 1,2,1,2…, the digits of each product
    summed, the total a multiple of 10) rejects nine in ten random numbers, which keeps false alarms down.
    """
    if not 1 <= len(digits) <= 9 or not digits.isascii() or not digits.isdigit():
        return False
    total = 0
    for index, char in enumerate(digits.zfill(9)):
        product = int(char) * (1 + index % 2)
        total += product // 10 + product % 10
    return total % 10 == 0


def _visible(text: str) -> tuple[str, list[int] | None]:
    """The text without invisible marks, and the original offset of each kept character (None: nothing removed)."""
    if not _INVISIBLE_RE.search(text):
        return text, None
    kept = [index for index, char in enumerate(text) if not _INVISIBLE_RE.match(char)]
    return "".join(text[index] for index in kept), kept


def _ascii_digits(text: str) -> str:
    """The digits of `text` as ASCII: Arabic-Indic, full-width and other decimal digits count as what they are."""
    return "".join(str(int(char)) for char in text if char.isdecimal())


def _date_or_phone(number: str) -> bool:
    """Whether a digit run is shaped like a date (15.08.2019, 2019-08-15) or a landline (04-6011111, 03 123 4567).

    These shapes are common next to an ID word ("issued on …", "phone …") and pass the check digit one time in ten.
    """
    groups = [_ascii_digits(group) for group in _SEPARATOR_RE.split(number)]
    separators = set(_SEPARATOR_RE.findall(number))
    if len(groups) == 3 and len(separators) == 1 and separators <= set("./-"):
        day, month, year = groups if len(groups[2]) == 4 else groups[::-1]  # 15.08.2019 or 2019-08-15
        if len(year) == 4 and len(day) <= 2 and len(month) <= 2:
            if 1 <= int(day) <= 31 and 1 <= int(month) <= 12 and 1900 <= int(year) <= 2099:
                return True
    return len(groups) > 1 and len(groups[0]) == 2 and groups[0][0] == "0" and groups[0][1] in _AREA_CODES


def _corporate(digits: str) -> bool:
    """A company's, an association's or a cooperative's number (51…, 52…, 58…, 57…): nine digits with the same
    check digit, published with every NGO (ע"ר 580123453), and never a person's."""
    return len(digits) == 9 and digits[0] == "5"


def _id_numbers(text: str, split_all: bool = False) -> Iterator[tuple[int, int]]:
    """(start, end) of each number in `text` that is a valid ID number, ignoring context.

    A run of 8 or 9 digits is one number; a longer run is a longer number (a phone with its country code, an
    account) and is never cut into an ID, except at spaces, which separate numbers in a pasted table row.  In a
    file name (`split_all`) every separator separates fields.  A number shaped like a date, or like a landline
    with its dash (04-6011111), or a company's or an association's, is none.
    """
    for run in _RUN.finditer(text):
        digits = _ascii_digits(run.group())
        if len(digits) <= 9:
            parts = [(run.start(), run.end())] if len(digits) >= 8 else []
        else:
            chunks = (_DIGIT_CHUNK if split_all else _SPACE_CHUNK).finditer(run.group())
            parts = [(run.start() + chunk.start(), run.start() + chunk.end()) for chunk in chunks]
        for start, end in parts:
            number = text[start:end]
            digits = _ascii_digits(number)
            if 8 <= len(digits) <= 9 and israeli_id_valid(digits) and not _date_or_phone(number) and not _corporate(digits):
                yield start, end


def names_ids(text: str) -> bool:
    """Whether ``text`` names ID numbers in so many words (ת"ז, תעודת זהות, מספר זיהוי; not זהות alone)."""
    return _STRONG_WORDS.search(_visible(text)[0]) is not None


def find_israeli_ids(text: str, block: bool = False, named: bool = False) -> list[tuple[int, int]]:
    """(start, end) offsets in `text` of each valid ID number within 40 characters of a word that names an ID
    (``זהות`` alone only right beside it: it is also "identity").

    A number alone is not flagged: nine-digit codes, amounts and phone numbers are everywhere, and one in ten passes
    the check digit.  With `block`, `text` is one block of a body (a paragraph, a list item): an ID word anywhere in
    it, or `named` (a list item or table whose section names IDs before it: "the participants' ID numbers:"), makes
    every valid number in it an ID, however far apart they stand; a number right after a word for a phone
    ("בטלפון 046011110") never is one.  Offsets are into the
    original text, invisible marks included, so a caller can find the line.
    """
    clean, kept = _visible(text)
    numbers = list(_id_numbers(clean))
    if not numbers:
        return []
    phone = _Words(_PHONE_WORD.finditer(clean))
    numbers = [(start, end) for start, end in numbers if not phone.before(start, _PHONE_WINDOW)]
    strong = _Words(_STRONG_WORDS.finditer(clean))
    identity = _Words(_IDENTITY_WORD.finditer(clean))
    whole = block and bool(strong.spans or named)
    found = []
    for start, end in numbers:
        if whole or strong.beside(start, end, _WINDOW) or identity.beside(start, end, _IDENTITY_WINDOW):
            found.append((kept[start], kept[end - 1] + 1) if kept else (start, end))
    return found


class _Words:
    """Where the words of one kind stand in a text, to ask in logarithmic time whether one is beside a number."""

    def __init__(self, matches: Iterator[re.Match[str]]) -> None:
        self.spans = [match.span() for match in matches]
        self.ends = [end for _, end in self.spans]  # matches do not overlap, so their ends are sorted like their starts

    def before(self, start: int, window: int) -> bool:
        """Whether a word ends at most ``window`` characters before ``start``."""
        index = bisect_left(self.ends, start - window)
        return index < len(self.spans) and self.ends[index] <= start

    def beside(self, start: int, end: int, window: int) -> bool:
        """Whether a word ends at most ``window`` characters before ``start`` or begins at most ``window`` after ``end``."""
        index = bisect_left(self.ends, start - window)
        return index < len(self.spans) and self.spans[index][0] <= end + window


def table_ids(header: list[str], rows: list[list[str]], named: bool = False) -> list[tuple[int, int]]:
    """(row, column) of each body cell holding a valid ID number, when a header cell names an ID, or (``named``)
    the text before the table in its section does.

    In a table the word is in the header and the numbers are rows below it, too far for the 40-character window.
    """
    if not named and not any(_TEXT_WORDS.search(_visible(cell)[0]) for cell in header):
        return []
    return [
        (row_index, column)
        for row_index, row in enumerate(rows)
        for column, cell in enumerate(row)
        if next(_id_numbers(_visible(cell)[0]), None) is not None
    ]


def file_name_ids(name: str) -> bool:
    """Whether an attachment's file name holds a valid ID number and an ID word ("ת.ז-012345674.pdf", "scan-tz-…").

    A scanned ID card is usually named after what it is; '_', '-', '.' and ' ' separate the parts of the name.
    """
    clean = _visible(name)[0].replace("_", " ")
    return _FILE_WORDS.search(clean) is not None and next(_id_numbers(clean, split_all=True), None) is not None


_PHONE_NOISE = re.compile(f"[{_INVISIBLE}\\s\\-\u2010-\u2015\u2212.()\\[\\]]")
_MOBILE = re.compile(r"(?<!\d)(?:(?:\+|00)?9720?|0)5\d{8}(?!\d)")  # 05X-XXXXXXX, +972-5X-…, 00972 (0)5X…


def private_phone(phone: str) -> bool:
    """Whether `phone` holds an Israeli mobile number, however it is spaced, dashed, bracketed or marked.

    The contract wants office numbers in contacts; a mobile may be a work phone, so the caller only warns.
    """
    compact = "".join(str(int(char)) if char.isdecimal() else char for char in _PHONE_NOISE.sub("", phone))
    return _MOBILE.search(compact) is not None


# Free and personal mail providers, international and Israeli (ISPs' home mailboxes); subdomains count too.
_PERSONAL_DOMAINS = frozenset(
    """gmail.com googlemail.com walla.co.il walla.com yahoo.com yahoo.co.il yahoo.co.uk ymail.com rocketmail.com
    hotmail.com hotmail.co.il hotmail.co.uk outlook.com outlook.co.il live.com live.co.il msn.com icloud.com me.com
    mac.com aol.com gmx.com gmx.net gmx.de protonmail.com protonmail.ch proton.me pm.me tutanota.com tuta.io mail.com
    yandex.com yandex.ru mail.ru zahav.net.il bezeqint.net netvision.net.il 012.net.il 013.net 013net.net
    017.net.il 018.net.il inter.net.il smile.net.il barak.net.il actcom.co.il nana.co.il nana10.co.il""".split()
)


def personal_mailbox(email: str) -> bool:
    """Whether `email` is at a free or personal mail provider (or a subdomain of one), in any letter case.

    The contract wants work addresses in contacts: a private mailbox outlives the job and exposes the person.
    """
    local, at, domain = _visible(email)[0].strip().strip("<>").rpartition("@")
    if not at or not local:
        return False
    labels = domain.strip().rstrip(".").casefold().split(".")
    return any(".".join(labels[index:]) in _PERSONAL_DOMAINS for index in range(len(labels)))
