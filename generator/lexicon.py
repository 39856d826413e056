"""Hebrew words to the keys search matches on: their lemmas, from hspell's lexicon.

Search finds a page when a word of the query and a word of the page share a *key*. A word's keys are the
lemmas of its readings in hspell's dictionary (`data/hspell-lexicon.txt.gz`, built by
`tools/build_lexicon.py`): משפחות, במשפחה and המשפחות all read as משפחה; ועדת as ועדה; תושביה as תושב.
The page side and the query side read a word by the same rules (the search page's script gets them as
data, `client_rules`), with one difference kept on purpose, marked below.

How a word is read, in order, each step only if the one before found nothing:
1. as a whole word of the lexicon (כביש is כביש, never כ+ביש; משפחות is משפחה, never מ+שפחות);
2. as a prefix the lexicon allows for the rest (ב+משפחה, וה+ועדה; ה only before what may take the article);
3. as a yod/vav spelling variant that the lexicon knows (בטחון, ביטחון; עיריה, עירייה), or as the reviewed
   spelling table says (תוכנית is written תכנית);
4. as written: a name or a word hspell does not know (כרמיאל), and without a prefix when the rest is itself
   a word of the site (בכרמיאל → כרמיאל).
On the page side a whole word also keeps its readings with the article (הכנסת is also ה+כנסת), so that
the query כנסת finds it; the query side reads the query as written. Where the site lacks a query word's
own lemmas, the query side reads its spelling variants (שרות → שירות), never a base word's (דור is not דיור),
ranked below what a word itself finds.

Keys are the lemma (quotes removed) and a Latin letter: ``משפחהx``. Pagefind matches a query term as the
beginning of an indexed word; a key ends in the letter, so it only ever matches itself, never a longer word
(עירx is not the beginning of עירייהx). The page's title adds ``…t`` (the title of a name, ``NAMES``), a key
written three times or more ``…y``.
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from . import hebrew

DATA = Path(__file__).resolve().parent / "data"
LEXICON_FILE = DATA / "hspell-lexicon.txt.gz"

ANY_CLASS = 63
"""hspell's class of a noun that takes every prefix; given to the reviewed spellings."""
KEY, TITLE, FREQUENT, VERY_FREQUENT = "x", "t", "y", "z"
"""The letters that end a key: anywhere on the page, in its title, three times or more, and ten times or more."""
FREQUENT_COUNT, VERY_FREQUENT_COUNT = 3, 10
NAMES = "abcdefg"
"""In place of the title's letter on the page of a name (an authority, an organization): its name's number of words,
1 to 7 or more (a for אשדוד, c for המוסד לביטוח לאומי). Such a title ranks first only for a query that names it."""


def name_mark(words: int) -> str:
    return NAMES[min(max(words, 1), len(NAMES)) - 1]


SPELLINGS = {
    "תוכנית": "תכנית",
    "תוכניות": "תכנית",
    "תוכניתה": "תכנית",
    "תוכניתו": "תכנית",
    "תוכניתם": "תכנית",
    "תוכניתנו": "תכנית",
    "תוכניותיה": "תכנית",
    "תוכניותיו": "תכנית",
    "תוכניותיהם": "תכנית",
    "תוכניותינו": "תכנית",
}
"""Reviewed spellings the lexicon cannot tie to their word: hspell spells תכנית as the Academy does, and
reads the common תוכנית as the adjective תוכני. Form → the lemma it is a spelling of."""

UNLIKELY = 2
"""The rank from which a whole word's reading (a noun with a suffix, a verb with one) is less likely than a prefix
before a name: such a word on a page is indexed both ways."""

SHARD = 2
"""Letters of a form (or key) that name the file of the search page's data it is in."""


@lru_cache(maxsize=1 << 18)  # asked of the same keys and words again and again (a key per record)
def shard_of(word: str) -> str:
    """The file a form or a key is in: its first two letters (quotes left out), written as hexadecimal code points,
    so that file names stay plain ASCII in a zip and on any disk (משפחה → 5de5e9)."""
    return "".join(f"{ord(char):x}" for char in bare(word)[:SHARD])


VERB = "v"
"""After a verb's lemma (`tools/build_lexicon.py`): a verb and a noun written alike are two keys."""

SKELETON = str.maketrans({
    **dict.fromkeys("אהויע\"'"),  # vowel letters and quotes: typed, dropped and swapped freely, and Latin has none
    "ט": "ת", "ח": "כ", "ק": "כ", "ך": "כ", "ש": "ס",  # letters that sound alike
    "ם": "מ", "ן": "נ", "ף": "פ", "ץ": "צ",  # final forms
})  # fmt: skip
"""A word's consonants, one letter for those that sound alike: what a typo mostly keeps (עמוטה, עמותה: מת)."""


def near_keys(word: str, query: bool = False) -> set[str]:
    """The keys of "did you mean": a word's `SKELETON`, and, where it has three letters or more, the skeleton
    with any one letter dropped (two letters: either one replaced by ``*``). A word one letter added, dropped,
    replaced or swapped away (or any vowel letters) shares a key with it: עמיגןר (מגנר, so מגר) and עמיגור (מגר);
    העגוך (גכ, so ג*) and העגול (גל). Two consonants wrong share none. A ``query`` of two letters looks for words
    of one as well (the page's own keys do not drop a letter of two, which would be a key of a thousand words)."""
    skeleton = word.translate(SKELETON)
    found = {skeleton}
    if len(skeleton) >= 3:
        found |= {skeleton[:index] + skeleton[index + 1 :] for index in range(len(skeleton))}
    elif len(skeleton) == 2:
        found |= {skeleton[0] + "*", "*" + skeleton[1]}
        if query:  # a letter dropped, or the two swapped (זמ, מז)
            found |= {skeleton[0], skeleton[1], skeleton[::-1]}
    elif len(skeleton) == 1:
        found.add("*")  # one letter replaced: every word of one letter shares it
        if query:  # a letter added
            found |= {skeleton + "*", "*" + skeleton}
    return found


def near_file(key: str, count: int) -> int:
    """Which of ``count`` files holds a key of `near_keys` (the page computes the same)."""
    return fnv(key) % count


FNV_BASIS = 0x811C9DC5
FNV_OTHER = 0x050C5D1F
FNV_THIRD = 0x2B992DDF
"""Other starts, for more hashes of the same letters (the Bloom filter of `search_keys.known_files`)."""


def fnv(text: str, basis: int = FNV_BASIS) -> int:
    """FNV-1a, 32 bits, over the text's letters, as the search page computes it."""
    value = basis
    for char in text:
        value = ((value ^ ord(char)) * 0x01000193) & 0xFFFFFFFF
    return value


def client_rules() -> dict[str, object]:
    """The rules as data for the search page's script, which reads a query exactly as `query_lemmas` does."""
    return {
        "prefixes": {prefix: sorted(classes) for prefix, classes in sorted(lexicon().prefixes.items())},
        "marks": {"key": KEY, "title": TITLE, "frequent": FREQUENT, "veryFrequent": VERY_FREQUENT, "names": NAMES},
        "shard": SHARD,
        "skeleton": {chr(code): value or "" for code, value in sorted(SKELETON.items())},
        "fnv": [FNV_OTHER, FNV_THIRD],
        "fullSpelling": hebrew.FULL_SPELLING,
    }


_QUOTES = str.maketrans({"״": '"', "”": '"', "“": '"', "׳": "'", "’": "'", "‘": "'", "`": "'"})
_WORD = re.compile("[\u05d0-\u05ea]+(?:[\"'][\u05d0-\u05ea]+)*[\"']?|[A-Za-z0-9]+")
_YOD_VAV = "יו"


@dataclass(frozen=True)
class Reading:
    """A form of the lexicon read as a whole word."""

    spec: int
    """Its class: which prefixes it may follow."""
    rank: int
    """How likely its readings are, 0 best: the form as a base word or as a noun or adjective without a suffix,
    1 a verb, 2 with a suffix, … (`tools/build_lexicon.py`); a word's prefix readings keep the likeliest."""
    lemmas: list[str]

    def base(self, form: str) -> bool:
        """Whether ``form`` is itself a base word of the dictionary (דור), which is never taken for another
        word's spelling (דיור): of three query sets, such "spellings" were mostly other words (שמש, שימש;
        מדע, מידע), against two (ישוב, תאום)."""
        return self.rank == 0 and bare(form) in self.lemmas


@dataclass(frozen=True)
class Lexicon:
    """hspell's forms (form → its class and lemmas) and which classes each prefix may be glued to."""

    forms: dict[str, str]
    """Form → "<class> <rank> <lemma>|<lemma>…" (``=`` for the form itself), parsed when asked."""
    prefixes: dict[str, frozenset[int]]

    def entry(self, form: str) -> Reading | None:
        """The form as a whole word: its class, how likely its readings are and their lemmas (the reviewed
        spelling table's in place of hspell's), or None for no form of the lexicon."""
        if form in SPELLINGS:
            return Reading(ANY_CLASS, 0, [SPELLINGS[form]])
        raw = self.forms.get(form)
        if raw is None:
            return None
        spec, rank, lemmas = raw.split(" ")
        # Lemmas without their quotes, as keys are: ד"ר and דר typed without them are one word to search.
        # "=" is the form itself; a verb's lemma ends in "v" ("=v": the form itself as a verb).
        found = (bare(form + lemma[1:] if lemma.startswith("=") else lemma) for lemma in lemmas.split("|"))
        return Reading(int(spec), int(rank), list(dict.fromkeys(found)))

    def lemmas(self, form: str) -> list[str]:
        found = self.entry(form)
        return found.lemmas if found else []

    def prefixed(self, word: str, article: bool = False) -> list[tuple[str, str]]:
        """(prefix, rest) for each prefix the lexicon allows before the rest of ``word``, keeping the shortest
        prefix, and of those the likeliest rest: the letters a word starts with are its own when they can be
        (ובעלי is ו+בעלי, owners, not וב+עלי, leaves of; שמכנסים is ש+מכנסים, convening, not שמ+כנסים);
        only prefixes that end in the article if ``article``."""
        found: list[tuple[int, str, str]] = []
        for cut in range(1, min(len(word) - 1, 6)):
            prefix, rest = word[:cut], word[cut:]
            classes = self.prefixes.get(prefix)
            if classes is None or (article and not prefix.endswith("ה")):
                continue
            # After a prefix a word's first vav is written doubled (ה+ותיקים is הוותיקים); read both ways.
            for candidate in dict.fromkeys([rest[1:] if rest.startswith("וו") else rest, rest]):
                reading = self.entry(candidate)
                if reading and reading.spec in classes:
                    found.append((reading.rank, prefix, candidate))
        best = min((_prefix_order(prefix, rank) for rank, prefix, _ in found), default=None)
        return [(prefix, rest) for rank, prefix, rest in found if _prefix_order(prefix, rank) == best]


def _prefix_order(prefix: str, rank: int) -> tuple[int, int]:
    """Which of a word's prefix readings to keep: the shortest prefix, then the likeliest rest; the article does
    not count towards the length, so an article before a noun is as short as the ה of a verb (והקליטה is
    וה+קליטה, and the absorption, before ו+הקליטה, and she recorded)."""
    return len(prefix) - prefix.endswith("ה"), rank


@cache
def lexicon() -> Lexicon:
    """The committed lexicon, read once (about half a second, 468,103 forms)."""
    forms: dict[str, str] = {}
    prefixes: dict[str, frozenset[int]] = {}
    for line in gzip.decompress(LEXICON_FILE.read_bytes()).decode("utf-8").split("\n"):
        if not line or line[0] == "#":
            continue
        if line[0] == "@":
            _, prefix, *classes = line.split(" ")
            prefixes[prefix] = frozenset(int(c) for c in classes)
            continue
        form, _, rest = line.partition(" ")
        forms[form] = rest
    # Acronyms typed without their quotes (מנכל for מנכ"ל) are the same word; where that spelling is another
    # word too (דר, "dwells"), it is read both ways.
    for form in [form for form in forms if '"' in form or "'" in form]:
        other = forms.get(bare(form))
        if other is None:
            forms[bare(form)] = forms[form]
        else:
            spec, rank, lemmas = other.split(" ")
            _, own_rank, own_lemmas = forms[form].split(" ")
            forms[bare(form)] = f"{spec} {min(int(rank), int(own_rank))} {lemmas}|{own_lemmas}"
    return Lexicon(forms, prefixes)


def words(text: str) -> list[str]:
    """The words of ``text`` as the lexicon spells them: pointed text in full spelling (חִרוּם → חירום), points
    dropped, gershayim and geresh as " and ' (two apostrophes as gershayim), an acronym of dotted letters with
    gershayim (ת.ז. → ת"ז), maqaf compounds in parts, Latin lower case."""
    plain = hebrew.clean_points(hebrew.full_spelling(text)).translate(_QUOTES).replace("''", '"')
    plain = _DOTTED.sub(lambda found: _acronym(found.group(0)), plain)
    return [word.lower() for word in _WORD.findall(plain)]


_DOTTED = re.compile("(?<![\u05d0-\u05ea.])(?:[\u05d0-\u05ea][.]){1,4}[\u05d0-\u05ea](?![\u05d0-\u05ea])[.]?")
"""Letters each followed by a dot, as acronyms are also written: ת.ז., מ.א. (the page reads the same)."""


def _acronym(dotted: str) -> str:
    letters = dotted.replace(".", "")
    return letters[:-1] + '"' + letters[-1]


def bare(word: str) -> str:
    """The word without gershayim and geresh (ד"ר → דר): how lemmas and keys are written."""
    return word.replace('"', "").replace("'", "")


def key(lemma: str, mark: str = KEY) -> str:
    return bare(lemma) + mark


def spelling_variants(word: str) -> Iterator[str]:
    """The word with one yod or vav added between two letters: defective spelling made full (בטחון → ביטחון,
    שויון → שוויון), as the lexicon spells."""
    for index in range(1, len(word)):
        for letter in _YOD_VAV:
            yield word[:index] + letter + word[index:]


def whole_word(word: str) -> Reading | None:
    """The word as a whole word of the lexicon, with or without its quotes (מנכ"ל, מנכל)."""
    lex = lexicon()
    return lex.entry(word) or (lex.entry(bare(word)) if bare(word) != word else None)


def base_readings(word: str) -> tuple[list[str], bool]:
    """The lemmas of ``word`` as a whole word, else after a prefix the lexicon allows (steps 1–2), and whether
    it read as a whole word."""
    lex = lexicon()
    whole = whole_word(word)
    if whole:
        return whole.lemmas, True
    return _unique(lemma for _, rest in lex.prefixed(word) for lemma in lex.lemmas(rest)), False


def _likeliest(readings: Iterable[Reading | None], below: int | None = None) -> list[str]:
    """The lemmas of the likeliest of ``readings`` (a defective שרות is שירות, a base word, before שורות, rows); if
    ``below``, only if their rank is below it."""
    found = [reading for reading in readings if reading]
    best = min((reading.rank for reading in found), default=None)
    if best is None or (below is not None and best >= below):
        return []
    return _unique(lemma for reading in found if reading.rank == best for lemma in reading.lemmas)


def variant_lemmas(word: str, site_lemmas: frozenset[str], unknown: bool = False, below: int | None = None) -> list[str]:
    """Lemmas of the word's spelling variants (step 3), among the site's lemmas: as whole words, else as names the
    site writes, and for a word the lexicon does not know, else after a prefix it allows (לעיריה as ל+עירייה).
    For such a word its whole-word variants count even off the site's lemmas when none of them is on it: the site
    may write it only so. ``below``: only variants likelier than the word's own reading (its rank)."""
    lex = lexicon()
    whole = _likeliest((lex.entry(variant) for variant in spelling_variants(word)), below)
    on_site = [lemma for lemma in whole if lemma in site_lemmas]
    # Else a name of the site (קרונה is a word, but the site writes קורונה).
    names = on_site or _unique(v for v in spelling_variants(word) if v in site_lemmas and lex.entry(v) is None)
    if names or (unknown and whole):
        return names or whole
    if not unknown:
        return []  # a known word's variant after a prefix is another word more often than its spelling (המשך, ה+מושך)
    split = (lemma for variant in spelling_variants(word) for _, rest in lex.prefixed(variant) for lemma in lex.lemmas(rest))
    return [lemma for lemma in _unique(split) if lemma in site_lemmas]


def page_lemmas(word: str, site_lemmas: frozenset[str], site_words: frozenset[str]) -> list[str]:
    """The lemmas a page's ``word`` is indexed under.

    ``site_lemmas``: the lemmas every word of the site reads as by steps 1–2; a known word's spelling variant
    counts only if its lemma is one of them (בטחון is also ביטחון where the site writes ביטחון too; ספר is not
    also סיפר). ``site_words``: the site's words as written (and the synonyms'), an unknown word's prefix may
    be stripped towards.
    """
    lemmas, whole = base_readings(word)
    if whole:
        reading = whole_word(word)
        assert reading is not None
        lex = lexicon()
        if reading.rank >= UNLIKELY and not lex.prefixed(word):
            # A whole word read only with a suffix, and by no prefix before a word, is likelier a prefix before a name
            # (בזום is ב+זום before "their plunder"; שמעון, read as ש+מעון too, is left as hspell reads it).
            lemmas = lemmas + [rest for rest in _as_written(word, frozenset(), page=True, known=True)[1:] if len(rest) >= 3]
        elif bare(word) not in reading.lemmas:
            # The article before a base word: הכנסת is also ה+כנסת, so that the query כנסת finds it; not a base word
            # (המשך is not ה+משך), nor before an inflected one (הגדרות, definitions, is not ה+גדרות, the fences).
            articled = [lex.lemmas(rest) for _, rest in lex.prefixed(word, article=True)]
            lemmas = lemmas + [lemma for found in articled for lemma in found if bare(word)[1:] in found]
        # A spelling only where it is a likelier reading than the word's own: בטחון ("he insured him") is ביטחון;
        # יחד (together) is not also יחיד (single), nor שרות (female ministers) שירות.
        return _unique(lemmas + variant_lemmas(word, site_lemmas, below=reading.rank))
    if lemmas:
        return _unique(lemmas + variant_lemmas(word, site_lemmas))
    return variant_lemmas(word, site_lemmas, unknown=True) or _as_written(word, site_words, page=True)


def query_lemmas(word: str, site_lemmas: frozenset[str]) -> tuple[list[str], list[str]]:
    """The lemmas a query's ``word`` is searched under: (its own readings, else its spelling variants'), both only
    among the site's lemmas; the variants rank below."""
    lemmas, whole = base_readings(word)
    # The word itself where the site has it as a name (זום, written בזום) though the lexicon reads it otherwise.
    own = [lemma for lemma in _unique([*lemmas, bare(word)] if whole else lemmas) if lemma in site_lemmas]
    if own:  # the site has the word itself: its spelling is not in doubt (יחד is not also יחיד)
        return own, []
    reading = whole_word(word) if whole else None
    variants = [] if reading and reading.base(word) else variant_lemmas(word, site_lemmas, unknown=not lemmas)
    varied = [lemma for lemma in variants if lemma in site_lemmas]
    if varied:
        return [], varied
    if whole:
        # A base word the site does not have is not a prefix before another (שכול is not ש+כול); a word read
        # only unlikelily may be (הקרן, "radiate!", is ה+קרן), as the lexicon allows.
        assert reading is not None
        if reading.rank == 0:
            return [], []
        lex = lexicon()
        return [lemma for _, rest in lex.prefixed(word) for lemma in _unique(lex.lemmas(rest)) if lemma in site_lemmas], []
    return [lemma for lemma in _as_written(word, site_lemmas) if lemma in site_lemmas], []


def _as_written(word: str, site: frozenset[str], page: bool = False, known: bool = False) -> list[str]:
    """Step 4: an unknown word as written, and without a prefix when what remains is a word of ``site``; on a
    page also when what remains is unknown too (הקורונה is also קורונה, בכרמיאל also כרמיאל), never when it is a
    word of the lexicon (שמעון is not ש+מעון), unless ``known`` (see `page_lemmas`)."""
    lex = lexicon()
    plain = bare(word)
    stripped = []
    for cut in range(1, min(len(plain) - 1, 6)):
        if plain[:cut] in lex.prefixes:
            rest = plain[cut:]
            rest = rest[1:] if rest.startswith("וו") else rest
            # Not an acronym's letters (שי"ל is not ש+יל).
            if rest in site or (page and plain == word and (known or whole_word(rest) is None)):
                stripped.append(rest)
    return _unique([plain, *stripped])


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))
