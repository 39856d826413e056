"""Build generator/data/hspell-lexicon.txt.gz from Debian's hspell package (a maintainer's tool, not the build's).

Run when hspell changes: `apt-get install hspell && .venv/bin/python tools/build_lexicon.py`. The build reads
only the committed file, so no machine that builds the site needs hspell.

What it writes (UTF-8 text, gzipped, lines sorted):
* ``#`` lines: where the data comes from and its licence (hspell's dictionary is AGPL-3.0-or-later, and so is
  this file, derived from it);
* ``@ <prefix> <spec> <spec> …``: which word classes ("specifiers", hspell's per-word byte) a prefix may be
  glued to, learned by asking ``hspell -l`` about each prefix before a sample word of each class;
* ``<form> <spec> <rank> <lemma>|<lemma>…``: every inflected form hspell knows, its class, and the lemmas of
  its likeliest whole-word readings (``=`` for the form itself; a verb's lemma with ``v`` after it, so that a
  verb never meets a noun written alike), with how likely they are (`rank`).

Which readings of a form are kept, so that a word is not found by every far-fetched reading of another
(מרכז is also "is centralizing", רווחה also "her profit", אשכול also "I shall bereave"):
0. the form itself where it is a base word of the dictionary, an infinitive (hspell's ל+ a verb, written out:
   לשמש is the verb שימש, not ל+שמש, the sun), and the readings as a noun or an adjective without a
   possessive suffix (ארגוני: ארגוני, organizational, and ארגון, organizations of; not the verb of מרכז);
   hspell's placeholder lemma ("שונות") is also the form itself: a word without inflections (יחד, אבל, names);
1. else verbs without a suffix (עושים: עשה; a verb's own form too, קרן, "radiated", after the noun קרן);
2. else nouns with a suffix (זכויותיו: זכות), but "your"; 3. else verbs with one, and nouns with "your" (rare in
   what authorities write, and a reading of other words: נערך, was held, is also "your boy").
A form keeps the readings of its best rank only (a verb's with those of a noun with a suffix: חוסנה is "was immunised"
and "her resilience"); the build compares ranks across a word's prefix readings.

The word list (``hebrew.wgz``) is a gzipped list in which each word is written as the previous one cut back by
the number of letters a digit says, then extended; ``hebrew.wgz.prefixes`` holds one specifier byte per word,
in the same order.
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import re
import subprocess
from collections import defaultdict
from pathlib import Path

HSPELL = Path("/usr/share/hspell")
OUT = Path(__file__).resolve().parent.parent / "generator" / "data" / "hspell-lexicon.txt.gz"
ENCODING = "iso-8859-8"  # hspell speaks ISO-8859-8 on its standard input and output
PREFIX_LETTERS = "ובכלמשה"
MAX_PREFIX = 5
SAMPLES = 4  # words tried per specifier for each prefix
UNKNOWN_LEMMA = "שונות"  # hspell's lemma for a word it knows but cannot tie to a lemma (names, acronyms)


def words() -> list[str]:
    data = gzip.decompress((HSPELL / "hebrew.wgz").read_bytes()).decode(ENCODING)
    out, current = [], ""
    for match in re.finditer(r"(\d+)|(\D+)", data):
        if match.group(1):
            out.append(current)
            current = current[: len(current) - int(match.group(1))]
        else:
            current += match.group(2)
    out.append(current)
    return out


def specifiers() -> bytes:
    return gzip.decompress((HSPELL / "hebrew.wgz.prefixes").read_bytes())


def analyse(batch: list[str]) -> dict[str, list[tuple[str, str, str]]]:
    """``hspell -l`` on ``batch``: each word → [(its prefix, or "" for the whole word; the lemma; the reading's
    description, as "ע,נ,רבים"), …]."""
    done = subprocess.run(["hspell", "-l"], input="\n".join(batch).encode(ENCODING), capture_output=True, check=False)
    readings: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    word, prefix = "", ""
    for line in done.stdout.decode(ENCODING).splitlines():
        if not line.startswith("\t"):
            kind, _, shown = line.partition(": ")
            if kind == "מילה חוקית":
                word, prefix = shown, ""
            elif kind == "צירוף חוקי":
                prefix, _, rest = shown.partition("+")
                word = prefix + rest
            else:
                word = ""
        elif word:
            lemma, _, description = line.strip().partition("(")
            readings[word].append((prefix, lemma, description.rstrip(")")))
    return readings


def glue(prefix: str, word: str) -> str:
    """A prefix before a word: a vav that starts the word is written doubled (ה + ותיק → הוותיק)."""
    return prefix + ("ו" + word if word.startswith("ו") and not word.startswith("וו") else word)


def prefix_classes(forms: list[str], specs: bytes) -> dict[str, set[int]]:
    """Prefix → the specifiers it may be glued to, as hspell itself reads each prefix before sample words."""
    samples: dict[int, list[str]] = defaultdict(list)
    for form, spec in zip(forms, specs, strict=True):
        if len(samples[spec]) < SAMPLES and len(form) >= 3 and '"' not in form:
            samples[spec].append(form)
    candidates = ["".join(p) for n in range(1, MAX_PREFIX + 1) for p in itertools.product(PREFIX_LETTERS, repeat=n)]
    accepted: dict[str, set[int]] = defaultdict(set)
    tried = [(prefix, spec, word) for prefix in candidates for spec, sample in samples.items() for word in sample]
    for start in range(0, len(tried), 200_000):
        chunk = tried[start : start + 200_000]
        readings = analyse([glue(prefix, word) for prefix, _, word in chunk])
        for prefix, spec, word in chunk:
            if any(found == prefix for found, _, _ in readings.get(glue(prefix, word), [])):
                accepted[prefix].add(spec)
    return accepted


def rank(form: str, lemma: str, description: str) -> int:
    """How likely a reading is, 0 best (see the module's docstring)."""
    parts = description.split(",")
    if parts[0] == "x" or lemma == UNKNOWN_LEMMA or (lemma == form and parts[0] != "פ"):
        return 0
    if "מקור" in parts:  # an infinitive is the verb's own form (לבנות is to build before it is white, plural)
        return 2 * any(part.startswith("כינוי") for part in parts)
    suffix = next((index for index, part in enumerate(parts) if part.startswith("כינוי")), None)
    # The suffix's gender (if any), person and number: "כינוי/נ,3,יחיד", "כינוי/1,רבים".
    if suffix is not None and "2" in {parts[suffix].split("/")[1], *parts[suffix + 1 : suffix + 3]}:
        # "your": rare in what authorities and organizations write ("our", עירנו, is not), and a reading of many
        # other words (נערך, was held, is also "your boy"): as unlikely as a verb with a suffix.
        return 3
    return (parts[0] == "פ") + 2 * (suffix is not None)


def feminine_pairs(readings: dict[str, list[tuple[str, str, str]]]) -> dict[str, str]:
    """Feminine noun → the lemma of its masculine, where hspell keeps them apart: a noun that is also the feminine
    participle of a verb (מתנדבת, יועצת, מנהלת) is one word with the masculine participle (מתנדב, יועץ, מנהל), so
    that a search for either finds both. The masculine is a noun where hspell has it as one (יועץ), else the verb
    (מתנדב is only the verb התנדב's participle)."""
    masculine: dict[str, str] = {}
    feminine: dict[str, str] = {}
    for form, found in readings.items():
        for prefix, lemma, description in found:
            if not prefix and description == "פ,ז,יחיד,הווה":
                masculine.setdefault(lemma, form)
            elif not prefix and description == "פ,נ,יחיד,הווה" and (("", form, "ע,נ,יחיד") in found):
                feminine.setdefault(form, lemma)
    pairs = {}
    for form, verb in feminine.items():
        if verb in masculine:
            male = masculine[verb]
            pairs[form] = male if ("", male, "ע,ז,יחיד") in readings.get(male, []) else verb + VERB
    return pairs


ROLES = {
    "רכזת": "רכז",
    "מזכירה": "מזכיר",
    "סטודנטית": "סטודנט",
    "רופאה": "רופא",
    "נציגה": "נציג",
    "שותפה": "שותף",
    "סגנית": "סגן",
    "מומחית": "מומחה",
    "עמיתה": "עמית",
    "תושבת": "תושב",
    "קשישה": "קשיש",
    "שכנה": "שכן",
    "חיילת": "חייל",
    "שוטרת": "שוטר",
    "תלמידה": "תלמיד",
    "מועמדת": "מועמד",
    "אדריכלית": "אדריכל",
    "טכנאית": "טכנאי",
    "קצינה": "קצין",
    "שגרירה": "שגריר",
    "ספרנית": "ספרן",
    "מלצרית": "מלצר",
    "נהגת": "נהג",
    "שחקנית": "שחקן",
    "אמנית": "אמן",
    "עיתונאית": "עיתונאי",
    "בוגרת": "בוגר",
    "חוקרת": "חוקר",
    "עוזרת": "עוזר",
    "מדריכה": "מדריך",
    "פעילה": "פעיל",
    "ילדה": "ילד",
    "נערה": "נער",
}
"""Feminine nouns of people (roles, ages) → their masculine, which hspell keeps as two words and no rule can pair:
the same letters pair words that are not one (עגלה, a cart, and עגל, a calf; מכונה and מכון; פליטה, an emission,
and פליט, a refugee; זמרת, singing, and זמר). Reviewed by hand, leaving out a feminine that is another word too;
each must be a noun of hspell's, feminine and masculine as written, or the build stops."""


def role_pairs(readings: dict[str, list[tuple[str, str, str]]]) -> dict[str, str]:
    """`ROLES`, checked against the dictionary."""
    for female, male in ROLES.items():
        if ("", female, "ע,נ,יחיד") not in readings.get(female, []) or ("", male, "ע,ז,יחיד") not in readings.get(male, []):
            raise SystemExit(f"ROLES: {female} → {male} is not a feminine and a masculine noun of hspell's")
    return dict(ROLES)


def likeliest(form: str, readings: list[tuple[str, str, str]], pairs: dict[str, str]) -> tuple[int, list[str]]:
    """The best rank of the form's whole-word readings and their lemmas (``=`` for the form itself), a feminine
    noun's read as its masculine (`feminine_pairs`, `ROLES`)."""
    whole = [(lemma, description) for prefix, lemma, description in readings if not prefix]
    if any(lemma == form and description.split(",")[0] != "פ" for lemma, description in whole):
        # A base word is not also the plural or construct of an adjective (רשות, an authority, is not the plural
        # of רש, poor; נוחות, comfort, not נוח's): the noun is what a text means far more often. Except an
        # adjective of -י, whose plural is common and its noun rare (אזוריות), and a feminine (טובה, good).
        whole = [(lemma, d) for lemma, d in whole if lemma == form or not _inflected_adjective(lemma, d)]
    if any(lemma == form for lemma, _ in whole):
        # A base word's other feminine readings stay their own (פעילות, activity, is not the plural of פעיל's).
        pairs = {form: pairs[form]} if form in pairs else {}
    ranked = [
        (rank(form, lemma, description), pairs.get(lemma) or written(form, lemma, description)) for lemma, description in whole
    ]
    if not ranked:
        return 0, []
    best = min(score for score, _ in ranked)
    # A verb and a noun with a suffix are as likely as each other (חוסנה: was immunised, or her resilience).
    kept = {best, 2} if best == 1 else {best}
    return best, sorted({lemma for score, lemma in ranked if score in kept})


def _inflected_adjective(lemma: str, description: str) -> bool:
    parts = description.split(",")
    return parts[0] == "ת" and not lemma.endswith("י") and ("רבים" in parts or "סמיכות" in parts)


def written(form: str, lemma: str, description: str) -> str:
    """A lemma as the data file writes it: ``=`` for the form itself, and a verb's with ``VERB`` after it."""
    own = "=" if lemma in (UNKNOWN_LEMMA, form) else lemma
    return own + VERB if description.split(",")[0] == "פ" and lemma != UNKNOWN_LEMMA else own


VERB = "v"
"""After a verb's lemma: a verb and a noun written alike are two words (קרן, "radiated", and קרן, a fund;
שוער, "was estimated", and שוער, a goalkeeper)."""


INFINITIVE_CLASS = 4
"""hspell's class of a verb (its "PS_VERB" bit): the prefixes that go before a verb (ו, ש, כש…) go before an
infinitive."""


def infinitives(forms: list[str]) -> dict[str, list[tuple[str, str, str]]]:
    """The infinitives, which hspell keeps as ל+ a form ("ל+שמש", to serve, is the verb שימש): each written out
    (לשמש) → its readings as infinitives, so that the infinitive is a whole word of the lexicon and is not read as
    ל+ a noun (the sun). Where the written form is also a word (לבנות, white), both are its readings."""
    found: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    for start in range(0, len(forms), 200_000):
        chunk = forms[start : start + 200_000]
        readings = analyse([glue("ל", form) for form in chunk])
        for form in chunk:
            for prefix, lemma, description in readings.get(glue("ל", form), []):
                if prefix == "ל" and "מקור" in description.split(","):
                    found[glue("ל", form)].append(("", lemma, description))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    forms, specs = words(), specifiers()
    readings = analyse(forms)
    version = subprocess.run(["hspell", "-V"], capture_output=True, text=True, check=False).stdout.splitlines()[0]
    lines = [
        f"# Derived from the dictionary of {version} (Nadav Har'El and Dan Kenigsberg, http://hspell.ivrix.org.il/)",
        "# by tools/build_lexicon.py. Licence: GNU Affero General Public License, version 3 or later, as hspell's.",
    ]
    accepted = prefix_classes(forms, specs)
    lines += [f"@ {prefix} {' '.join(map(str, sorted(classes)))}" for prefix, classes in sorted(accepted.items())]
    classes = dict(zip(forms, specs, strict=True))
    for form, found in infinitives(forms).items():
        readings[form] = readings.get(form, []) + found
        classes.setdefault(form, INFINITIVE_CLASS)
    body = []
    pairs = feminine_pairs(readings) | role_pairs(readings)
    for form, spec in classes.items():
        best, lemmas = likeliest(form, readings.get(form, []), pairs)
        if lemmas:
            body.append(f"{form} {spec} {best} {'|'.join(lemmas)}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    # mtime=0: the same dictionary gives the same bytes.
    args.out.write_bytes(gzip.compress(("\n".join(lines + sorted(set(body))) + "\n").encode("utf-8"), 9, mtime=0))
    prefixes = sum(1 for line in lines if line.startswith("@"))
    print(f"{len(body):,} forms, {prefixes} prefixes, {len(pairs):,} feminine nouns read as their masculine → {args.out}")


if __name__ == "__main__":
    main()
