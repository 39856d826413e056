"""Pointed Hebrew (with niqqud) as unpointed text spells it, for search: the content and the query alike.

Unpointed Hebrew writes some vowels as letters (full spelling, כתיב מלא): קְהִלָּה is written קהילה, חִרוּם is
written חירום. Dropping the points alone would leave קהלה, which is not how the site or the lexicon spells the
word. The search page applies the same rule to a query (`lexicon.client_rules` hands it ``FULL_SPELLING``).
"""

from __future__ import annotations

import re

_NIQQUD = re.compile("[\u0591-\u05bd\u05bf\u05c1\u05c2\u05c4\u05c5\u05c7]")

FULL_SPELLING = {"\u05b4": "י", "\u05b9": "ו", "\u05ba": "ו", "\u05bb": "ו"}
"""Vowel points that full spelling writes as a letter: hiriq as yod; holam and qubuts as vav. Tsere is left
out: it is written as yod only in some words (חֵרוּם, but not שֵׁם); search's spelling variants find those."""
HIRIQ, SHEVA = "\u05b4", "\u05b0"
"""A hiriq before a letter with sheva closes its syllable, and full spelling writes no yod for it: מִגְדָּל is מגדל,
מִשְׁפָּחָה is משפחה (but קְהִלָּה is קהילה and סִפֵּר is סיפר)."""
_POINTED_LETTER = re.compile("([\u05d0-\u05ea])([\u0591-\u05c7]+)(?=([\u05d0-\u05ea][\u0591-\u05c7]*)?)")


def clean_points(text: str) -> str:
    """Drop niqqud and cantillation, nothing else."""
    return _NIQQUD.sub("", text)


def full_spelling(text: str) -> str:
    """Pointed text as it is written without points: a yod after hiriq (in an open syllable) and a vav after holam
    and qubuts, unless that letter is already there. Unpointed text is unchanged."""

    def spell(match: re.Match[str]) -> str:
        letter, points, following = match.group(1), match.group(2), match.group(3) or " "
        for point, added in FULL_SPELLING.items():
            closed = point == HIRIQ and SHEVA in following
            if point in points and added not in (letter, following[0]) and not closed:
                return letter + points + added
        return match.group(0)

    return _POINTED_LETTER.sub(spell, text) if _NIQQUD.search(text) else text
