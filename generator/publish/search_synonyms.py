"""Synonyms for search (`content/taxonomies/synonyms.yml`): words readers use for what the content says otherwise.

A group (קשישים, אזרחים ותיקים, הגיל השלישי) gets a key of its own, ``ס<id>x``, on every record where one of
its terms is written, in any form of its words: a term of several words is found as a phrase, word after word,
each word by its lemmas (אזרחים ותיקים is also לאזרחים הוותיקים). A query that holds a term, in any form, also
searches the group's key: קשישים finds the pages that write אזרחים ותיקים. What a query's words find themselves
ranks above what they find as a synonym.

The search page reads the groups from ``synonyms.js``: each group's key, its tiers and its terms as the lemmas
of their words. A term's words that the site does not write (קשישים) are listed in the lexicon's files with
their lemmas and no tier, so that the page reads them as the generator does but never searches their keys.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .. import lexicon

GROUP_LETTER = "ס"
"""Starts the key of a group: a Hebrew letter before Latin ones, a word no text can hold (the site's words are
read as runs of one script), so a group's key never meets a word's."""
NAME_LETTER = "נ"
"""Starts the key of a body's names (`name_groups`), so that they never meet a group of synonyms.yml."""


@dataclass(frozen=True)
class Group:
    """One group of synonyms, its terms read into lemmas."""

    name: str
    """The group's key without its tier letter: ``סelderly`` for the id ``elderly``."""
    terms: tuple[tuple[frozenset[str], ...], ...]
    """Each term as the lemmas of each of its words, in order."""


_HYPHEN = "ה"
"""Stands for an id's hyphen in a key (a key is one word): a letter no id holds, so keren-hadar and kerenhadar
stay two keys."""


def group_name(group_id: str) -> str:
    """The key of the group ``group_id`` of synonyms.yml."""
    return GROUP_LETTER + group_id.replace("-", _HYPHEN)


_NAME_PARTS = re.compile(r"\s+[–—-]\s+|[()]")
_LATIN_FRAME = re.compile(r"^the\s+|\s+(?:of|for|in)\s+israel$", re.IGNORECASE)


def name_terms(name: str, name_en: str | None, other_names: Iterable[str]) -> list[str]:
    """The names of a body as terms: its name, its English name and its other names, each cut where it joins two
    names ("שי״ל – שירות ייעוץ לאזרח", "רשות החירום הלאומית (רח״ל)"), the English one also without "The" and
    "of Israel", which readers leave out (The Jewish Agency for Israel is found as Jewish Agency)."""
    terms = [part.strip() for text in [name, *other_names] for part in _NAME_PARTS.split(text)]
    for part in _NAME_PARTS.split(name_en or ""):
        terms += [part.strip(), _LATIN_FRAME.sub("", part.strip())]
    return sorted({term for term in terms if len(term) >= 2}, key=terms.index)


def name_groups(bodies: Iterable[tuple[str, str, str | None, Sequence[str]]]) -> list[tuple[str, list[str]]]:
    """(key, name, English name, other names) of each body (its key unique among bodies) → (key, terms) of those
    known by more than one name: a search for any of them finds every page that writes another."""
    out = []
    for key, name, name_en, other_names in bodies:
        terms = name_terms(name, name_en, other_names)
        if len(terms) > 1:
            out.append((NAME_LETTER + key.replace("-", _HYPHEN), terms))
    return out


def reader_lemmas(terms: Iterable[str]) -> frozenset[str]:
    """The lemmas of the terms' words as the lexicon reads them, whether or not the site writes them; a word it
    does not know (covid) as written."""
    words = {word for term in terms for word in lexicon.words(term)}
    return frozenset(lemma for word in words for lemma in lexicon.base_readings(word)[0] or [lexicon.bare(word)])


def read_groups(groups: Iterable[tuple[str, Sequence[str]]], known: frozenset[str]) -> list[Group]:
    """(key, terms) → groups, each term's words read as a query's are (its own readings and its spelling
    variants, among ``known``: the site's lemmas and the terms')."""
    out = []
    for key, terms in groups:
        read = []
        for term in terms:
            words = lexicon.words(term)
            lemmas = tuple(frozenset(sum(lexicon.query_lemmas(word, known), [])) for word in words)
            if words and all(lemmas):
                read.append(lemmas)
        if read:
            out.append(Group(key, tuple(read)))
    return out


class Matcher:
    """Finds the groups whose terms a run of words holds: the terms in a tree by their words' lemmas, walked along
    the text, so a word costs the few branches its lemmas open, however many terms there are."""

    def __init__(self, groups: Sequence[Group]) -> None:
        self.root: _Node = {}
        for group in groups:
            for term in group.terms:
                nodes = [self.root]
                for lemmas in term:
                    nodes = [node.setdefault(lemma, {}) for node in nodes for lemma in sorted(lemmas)]
                for node in nodes:
                    node.setdefault(_ENDS, set()).add(group.name)  # type: ignore[union-attr]

    def groups_in(self, words: Sequence[str], lemmas_of: dict[str, list[str]]) -> dict[str, set[str]]:
        """Group name → the written words of ``words`` that hold one of its terms."""
        found: dict[str, set[str]] = {}
        root = self.root
        for start, word in enumerate(words):
            # Most words start no term: one look at the tree's first level for each of them.
            active = [child for lemma in lemmas_of[word] if (child := root.get(lemma)) is not None]
            end = start + 1
            while active:
                for node in active:
                    for name in node.get(_ENDS, ()):  # type: ignore[union-attr]
                        found.setdefault(name, set()).update(words[start:end])
                if end == len(words):
                    break
                active = [child for node in active for lemma in lemmas_of[words[end]] if (child := node.get(lemma)) is not None]
                end += 1
        return found


_ENDS = ""
"""The key, in a node of the tree, of the groups whose terms end there (no lemma is empty)."""
_Node = dict[str, "dict | set[str]"]


def synonyms_data(groups: Sequence[Group], tiers: dict[str, set[str]]) -> list[dict[str, object]]:
    """What ``synonyms.js`` holds: the groups some record has, with their tiers and their terms' lemmas."""
    return [
        {
            "key": group.name,
            "tiers": "".join(sorted(tiers[group.name])),
            "terms": [[sorted(lemmas) for lemmas in term] for term in group.terms],
        }
        for group in groups
        if group.name in tiers
    ]
