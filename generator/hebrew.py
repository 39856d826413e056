"""Hebrew word forms for search: one definition, used when indexing and (as data) when querying.

Pagefind matches a query only against words that *begin* with it, and Hebrew
glues prefixes to words (ו ה ב כ ל מ ש: "לרשויות", "והוותיקים").  So each
indexed page also carries the plain forms of its words, and the search page
reduces a query to the same plain form:

* niqqud and cantillation are dropped, gershayim/geresh/quotes removed (מנכ"ל → מנכל); a pointed
  query that finds nothing is tried again in full spelling (חֵרוּם → חירום);
* final letters become regular ones (ארגון → ארגונ), so a singular is a prefix of its plural;
* maqaf- or hyphen-joined words are split (תל־אביב → תל, אביב);
* prefixes are stripped, with the doubled vav restored (הוותיקים → ותיקים).

Stripping must not invent words: משרד is not מ+שרד, מרכז is not מ+רכז.  Rules:
the article and prepositions ה ב ל, the conjunction ו, and combinations that end in
them (וה, מה, שה, של, כשה...) are stripped when at least three letters remain;
a lone מ, ש or כ (and combinations ending in one) only when the corpus itself shows
the remainder as a more frequent word; and never from a word in `PROTECTED`, base
words that merely begin with a prefix letter.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

FINALS = str.maketrans("ךםןףץ", "כמנפצ")
_NIQQUD = re.compile("[\u0591-\u05bd\u05bf\u05c1\u05c2\u05c4\u05c5\u05c7]")
_QUOTES = re.compile("[\"'`\u05f3\u05f4\u2018\u2019\u201c\u201d]")
JOINERS = "\u05be-\u2010\u2011\u2012\u2013\u2014\u2015"
"""Marks that join the parts of a compound: maqaf, hyphen and the dashes (תל־אביב–יפו)."""
_JOINER_CHARS = re.escape(JOINERS)
_WORD = re.compile(f"[\u05d0-\u05ea]+(?:[{_JOINER_CHARS}][\u05d0-\u05ea]+)*|[A-Za-z0-9]+")
_JOINERS = re.compile(f"[{_JOINER_CHARS}]")

MIN_STEM = 3
"""Letters that must remain after stripping: בית is never ב+ית."""

SAFE_PREFIXES = (
    "ו", "ה", "ב", "ל",
    "וה", "וב", "ול",
    "מה", "שה", "שב", "של", "כשה", "כשב", "כשל",
    "ומה", "ושה", "ושב", "ושל", "וכשה", "וכשב", "וכשל",
)  # fmt: skip
"""Stripped whenever MIN_STEM letters remain and no protected word is in the way."""

EVIDENCE_PREFIXES = ("מ", "ש", "כ", "ומ", "וש", "וכ", "כש", "וכש", "לכש")
"""Stripped only when the corpus uses the remainder, more often than the whole word, on its own."""

PROTECTED = frozenset(
    word.translate(FINALS)
    for word in """
    משרד משרדי משרדים מרכז מרכזי מרכזים מרכזית מידע מנהל מנהלת מנהלים מנהלה מערכת מערכות מפגש מפגשים מגזר מגזרי
    מגזרית מגזרים מיזם מיזמים מודל מודלים מטרה מטרות מענה מענים מצב מקום מקומות מקומי מקומית מקומיות משאב משאבים
    מתנדב מתנדבים מספר מחקר מחקרים מועצה מועצות ממשלה ממשלתי ממשלתית מדינה מוסד מוסדות מסגרת מסגרות מבנה מחלקה
    מחלקות מנגנון מנגנונים מיפוי מימון משפחה משפחות מעסיק מעסיקים מקצוע מקצועי מקצועית מקצועיים מצגת מסמך מסמכים
    מהלך מהלכים מלגה מכון מכללה מלחמה מבצע מועד מועדון מוקד מוקדים מתקן מתקנים מענק מענקים משק משאל מחוז
    שרד שירות שירותי שירותים שותף שותפה שותפים שותפות שיתוף שולחן שלב שלבים שכונה שכונות שבוע שנה שנים שטח שלטון
    כנס כנסים כלכלה כלכלי כספים כתובת כוח כוחות כלים
    בית בתי ביטוח בריאות בסיס בקשה בקשות בחירה בחירות בחינה בעיה בעיות ברכה בנייה בניין ביטחון בטחון בטיחות בקרה
    בדיקה ביקור ביצוע בוגר בוגרים בינה בנק
    לימוד לימודים לקח לקחים לשכה לשכות לקוח לקוחות ליווי לוח
    הסכם הסכמים הערכה הערכות הקמה הכשרה הכשרות הבנה הגנה הסדר הכנה הצלה השקעה הנחה הנחיה הנחיות הודעה הורים הורה
    הכרה הצעה הצעות הגשה השכלה התחלה הנגשה היערכות התמודדות התנדבות הדרכה הדרכות הזדמנות החלטה החלטות המלצה
    המלצות הנהלה הנהגה הפעלה הרצאה הרצאות השתתפות השפעה הגירה הכנסה הכנסות הוצאה הוראה התפתחות היכל
    ועדה ועדות ועדת ועד ותיק ותיקה ותיקים ותיקות ויכוח
    """.split()
)
"""Base words that begin with a prefix letter and must never lose it (my own list, public-sector vocabulary)."""


def clean(text: str) -> str:
    """Drop niqqud and the quote marks of acronyms (מנכ"ל → מנכל, צ'ק → צק)."""
    return _QUOTES.sub("", _NIQQUD.sub("", text))


def fold(word: str) -> str:
    """The comparable form of one clean word: final letters regular, Latin lower-cased."""
    return word.translate(FINALS).lower()


def tokens(text: str) -> list[str]:
    """Words of a text, cleaned and folded; a maqaf/hyphen compound gives its parts and the joined form."""
    out: list[str] = []
    for match in _WORD.finditer(clean(text)):
        word = match.group(0)
        parts = _JOINERS.split(word)
        if len(parts) > 1:
            out.extend(fold(part) for part in parts)
            out.append(fold("".join(parts)))
        else:
            out.append(fold(word))
    return out


_NOT_A_LETTER = re.compile(r"[^\u05d0-\u05eaA-Za-z0-9]")


def written_words(text: str) -> set[str]:
    """Words as Pagefind reads them from the text itself: split at spaces, everything but letters and
    digits dropped (so תל־אביב–יפו is one word, תלאביביפו), nothing folded."""
    return {joined.lower() for joined in (_NOT_A_LETTER.sub("", word) for word in clean(text).split()) if joined}


def _blocked(word: str, prefix: str) -> bool:
    """A prefix may not be stripped from, or through, a protected word (ומשרד is ו+משרד, never ומ+שרד)."""
    return any(word[cut:] in PROTECTED for cut in range(len(prefix)))


def stems(word: str, vocabulary: Counter[str] | None = None) -> set[str]:
    """Forms of a folded ``word`` without its prefixes (empty when it has none).

    ``vocabulary`` (corpus word counts) decides the lone מ/ש/כ; without it, as on
    the query side, those are never stripped.
    """
    found: set[str] = set()
    for prefix in (*SAFE_PREFIXES, *EVIDENCE_PREFIXES):
        if not word.startswith(prefix) or _blocked(word, prefix):
            continue
        rest = word[len(prefix) :]
        if rest.startswith("וו"):
            rest = rest[1:]  # הוותיקים: the doubled vav spells an initial vav after a prefix
        if len(rest) < MIN_STEM:
            continue
        if prefix in EVIDENCE_PREFIXES and (vocabulary is None or vocabulary[rest] <= vocabulary[word]):
            continue
        found.add(rest)
    return found


def variants(texts: Iterable[str], vocabulary: Counter[str] | None = None) -> list[str]:
    """Every plain form of the words of ``texts``: folded words and their stems, sorted, each once."""
    forms: set[str] = set()
    for text in texts:
        for word in tokens(text):
            forms.add(word)
            forms.update(stems(word, vocabulary))
    return sorted(forms)


def query_forms(query: str) -> list[str]:
    """The query as the index holds it: each word reduced to its shortest stem (ברשויות → רשויות)."""
    out = []
    for word in tokens(query):
        candidates = stems(word) | {word}
        out.append(min(candidates, key=lambda form: (len(form), form)))
    return out


FULL_SPELLING = {"\u05b4": "י", "\u05b9": "ו", "\u05ba": "ו", "\u05bb": "ו"}
"""Vowel points that full spelling (כתיב מלא) writes as a letter: hiriq as yod; holam and qubuts as vav."""
TSERE = "\u05b5"
"""Tsere is written as yod only in some words (חֵרוּם → חירום, but שֵׁם stays שם): a later try."""
_POINTED_LETTER = re.compile("([\u05d0-\u05ea])([\u0591-\u05c7]*)(?=([\u05d0-\u05ea])?)")


def full_spelling(text: str, tsere: bool = False) -> str:
    """Pointed text as it is written without points: a yod after hiriq (and tsere, when asked) and a vav
    after holam and qubuts, unless that letter is already there. Unpointed text is unchanged."""
    letters = {**FULL_SPELLING, TSERE: "י"} if tsere else FULL_SPELLING

    def spell(match: re.Match[str]) -> str:
        letter, points, following = match.group(1), match.group(2), match.group(3) or ""
        for point, added in letters.items():
            if point in points and added not in (letter, following):
                return letter + points + added
        return match.group(0)

    return _POINTED_LETTER.sub(spell, text)


def full_spelling_forms(query: str) -> list[list[str]]:
    """Further tries for a pointed query that finds nothing as typed: the pages spell words in full
    (חִרוּם → חירום), the query points them. Without, then with, tsere as yod; only forms that differ."""
    tried = [query_forms(query)]
    for tsere in (False, True):
        forms = query_forms(full_spelling(query, tsere))
        if forms not in tried:
            tried.append(forms)
    return tried[1:]


def client_rules() -> dict[str, object]:
    """The rules as data for the search page's script, so the browser reduces queries exactly like this module."""
    return {
        "finals": {"ך": "כ", "ם": "מ", "ן": "נ", "ף": "פ", "ץ": "צ"},
        "safe": list(SAFE_PREFIXES),
        "protected": sorted(PROTECTED),
        "minStem": MIN_STEM,
        "joiners": JOINERS,
        "evidence": list(EVIDENCE_PREFIXES),
        "fullSpelling": FULL_SPELLING,
        "tsere": TSERE,
    }
