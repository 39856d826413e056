"""What search matches on: each record's keys (the lemmas of its words, `lexicon`), and the data the search
page reads to turn a query into the same keys.

Built from the records of the index in one pass over their distinct words. For the browser it writes, as
classic scripts (so that they load from disk, file://, as well as from a server):

* ``lexicon/<xy>.js``, the lexicon by the first two letters of a form: each form with, when a lemma of it
  is on the site, its class and those lemmas and the tiers the site has them in (``משפחה:xty``); a form
  without one is listed alone, so that the page still knows it is a whole word (כביש is never כ+ביש);
  the site's words that the lexicon does not know (names) are listed with themselves as lemma;
* ``synonyms.js``, the groups of synonyms the site has (`search_synonyms`);
* ``forms/<xy>.js``, for each lemma the site's words that read as it, to mark them in excerpts;
* ``shards.js``, which files of the sharded kinds exist;
* ``near/<n>.js`` and ``latin.js``, the site's words for "did you mean", by keys that a word and its typos
  share, and those in Latin letters (loaded only when a query finds nothing);
* ``fallback/…``, the index itself for a page opened from disk, where Pagefind cannot run, in parts that a
  query loads as it needs them, so that it stays small at any size: each record's place in the order that
  breaks ties (``order.js``), the record numbers of each facet's values (``filters.js``), of each key (by
  its first two letters) and of each word (for the last word, typed in part), and the records' addresses,
  titles and texts in blocks of ten, loaded only for the results shown.

A key is searched only if the site has it, so Pagefind never falls back to a shorter term.
"""

from __future__ import annotations

import base64
import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .. import lexicon
from . import search_synonyms

TEXT_BLOCK = 10
"""Records per file of texts: a result shown costs the texts of the records beside it, ten at most."""
"""Records per file of texts in the fallback."""
shard_of = lexicon.shard_of


@dataclass
class Keyed:
    """One record's words read into keys."""

    keys: Counter[str] = field(default_factory=Counter)
    """Lemma → how many of the record's words read as it."""
    title: set[str] = field(default_factory=set)
    highlight: dict[str, set[str]] = field(default_factory=dict)
    """Lemma (or group of synonyms) → the record's words (as written, normalised) that read as it."""
    name_words: int = 0
    """For the page of a name, how many words its name has; 0 for any other record."""
    counted: bool = True
    """Whether how often a word is written counts (its y and z tiers): not on the site's own pages (about,
    contribute), whose words are about the site, so that they rank below an entry that writes a word as often."""

    @property
    def title_mark(self) -> str:
        return lexicon.name_mark(self.name_words) if self.name_words else lexicon.TITLE

    def terms(self) -> list[str]:
        """The record's search terms: every key with ``x``, its title's with ``t`` (a name's with its mark), the
        frequent ones with ``y`` (three times or more) and ``z`` (ten)."""
        found = {lexicon.key(lemma) for lemma in self.keys}
        found |= {lexicon.key(lemma, self.title_mark) for lemma in self.title}
        found |= {lexicon.key(lemma, lexicon.FREQUENT) for lemma in self.keys if self.count(lemma) >= lexicon.FREQUENT_COUNT}
        found |= {
            lexicon.key(lemma, lexicon.VERY_FREQUENT) for lemma in self.keys if self.count(lemma) >= lexicon.VERY_FREQUENT_COUNT
        }
        return sorted(found)

    def count(self, lemma: str) -> int:
        """How often the record writes ``lemma``, as far as ranking is concerned."""
        return self.keys[lemma] if self.counted else min(self.keys[lemma], 1)

    def tiers(self, lemma: str) -> str:
        return (
            lexicon.KEY
            + (self.title_mark if lemma in self.title else "")
            + (lexicon.FREQUENT if self.count(lemma) >= lexicon.FREQUENT_COUNT else "")
            + (lexicon.VERY_FREQUENT if self.count(lemma) >= lexicon.VERY_FREQUENT_COUNT else "")
        )


@dataclass
class SiteKeys:
    """Every record keyed, and what the site as a whole holds."""

    records: list[Keyed]
    lemmas: frozenset[str]
    """Every lemma a word of the site reads as."""
    tiers: dict[str, set[str]]
    """Lemma (or synonyms' group) → the tiers (x, t, y) some record has it in."""
    words: Counter[str]
    """The site's words as written (normalised), with their counts."""
    groups: list[search_synonyms.Group] = field(default_factory=list)
    reader_lemmas: frozenset[str] = frozenset()
    """The lemmas of the synonyms' terms, which the search page must read even where the site has none."""


def key_records(
    texts: Iterable[tuple[str, str, bool] | tuple[str, str, bool, bool]], synonyms: Iterable[tuple[str, Sequence[str]]] = ()
) -> SiteKeys:
    """Read (title, text, whether it is the page of a name[, whether it is one of the site's own pages]) of each
    record into its keys: two passes over the
    distinct words, the first to learn which lemmas are on the site (a known word's spelling variant counts only
    towards one of them); then the groups of ``synonyms`` (key, terms) whose terms each record holds."""
    triples = list(texts)
    record_words = [(lexicon.words(title), lexicon.words(text)) for title, text, *_ in triples]
    counts = Counter(word for title, text in record_words for word in title + text)
    site_lemmas = frozenset(lemma for word in counts for lemma in lexicon.base_readings(word)[0])
    site_words = frozenset(counts)
    lemmas_of = {word: lexicon.page_lemmas(word, site_lemmas, site_words) for word in counts}
    all_lemmas = frozenset(lemma for found in lemmas_of.values() for lemma in found)
    synonyms = list(synonyms)
    readers = search_synonyms.reader_lemmas(term for _, terms in synonyms for term in terms)
    groups = search_synonyms.read_groups(synonyms, all_lemmas | readers)
    matcher = search_synonyms.Matcher(groups)
    records, tiers = [], defaultdict(set)
    for (title, text), (_, _, named, *own_page) in zip(record_words, triples, strict=True):
        keyed = Keyed(name_words=len(set(title)) if named else 0, counted=not any(own_page))
        for word, times in Counter(title + text).items():  # each written word once, however often it is written
            for lemma in lemmas_of[word]:
                keyed.keys[lemma] += times
                keyed.highlight.setdefault(lemma, set()).add(word)
        keyed.title = {lemma for word in title for lemma in lemmas_of[word]}
        in_title = matcher.groups_in(title, lemmas_of)
        for name, written in [*in_title.items(), *matcher.groups_in(text, lemmas_of).items()]:
            keyed.keys[name] += 1
            keyed.highlight.setdefault(name, set()).update(written)
        keyed.title |= set(in_title)
        for lemma in keyed.keys:
            tiers[lemma].update(keyed.tiers(lemma))
        records.append(keyed)
    return SiteKeys(records, all_lemmas, dict(tiers), counts, groups, readers - all_lemmas)


# --- the browser's data ---------------------------------------------------------------------------------


def _script(call: str, *values: object) -> str:
    """A classic script that hands ``values`` to ``window.KB_SEARCH_DATA.<call>``: it loads from disk too."""
    payload = ",".join(json.dumps(value, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c") for value in values)
    return f"window.KB_SEARCH_DATA.{call}({payload});\n"


def lexicon_files(site: SiteKeys) -> dict[str, str]:
    """``lexicon/<xy>.js`` for every two-letter start of a form: each form with its class and rank, and its
    lemmas that are on the site with their tiers (a form with none still tells that it is a whole word, and
    how likely, so the page chooses between readings as the generator does)."""
    lex = lexicon.lexicon()
    wanted = site.tiers.keys() | site.reader_lemmas
    lines: dict[str, str] = {}
    for form in sorted({*lex.forms, *lexicon.SPELLINGS}):
        reading = lex.entry(form)
        assert reading is not None
        # The form itself too where the site has it as a name of its own (זום, read by the lexicon as יזם).
        lemmas = dict.fromkeys([*reading.lemmas, lexicon.bare(form)])
        on_site = "|".join(f"{lemma}:{''.join(sorted(site.tiers.get(lemma, ())))}" for lemma in lemmas if lemma in wanted)
        # "=" after the rank: a base word, which the page never takes for another word's spelling.
        rank = f"{reading.rank}{'=' if reading.base(form) else ''}"
        lines[form] = f"{form}\t{reading.spec}\t{rank}" + (f"\t{on_site}" if on_site else "")
    # Words the lexicon does not know, read as themselves (names, Latin words).
    names = {lemma for lemma in site.lemmas | site.reader_lemmas if lex.entry(lemma) is None}
    for lemma in sorted(names):
        lines[lemma] = f"{lemma}\t-\t-\t{lemma}:{''.join(sorted(site.tiers.get(lemma, ())))}"
    shards: dict[str, list[str]] = defaultdict(list)
    for form in _needed(lines, names, lex.prefixes.keys()):
        shards[shard_of(form)].append(lines[form])
    return {f"lexicon/{name}.js": _script("lexicon", name, "\n".join(sorted(lines))) for name, lines in sorted(shards.items())}


def _needed(lines: dict[str, str], names: set[str], prefixes: Iterable[str]) -> list[str]:
    """The forms the search page must know: those with a lemma on the site, and those that would otherwise be
    read as one, after a prefix or as a spelling (כביש, which the page would read as כ+ביש if it did not know
    it for a word). Any other form reads as nothing on the site with or without its line: the table stays as
    small as the site's vocabulary, not the language's."""
    relevant = {form for form, line in lines.items() if line.count("\t") == 3} | names
    # The forms one yod or vav short of a relevant one: the page reads them as its spelling.
    # (At any place: after a prefix the variant's letter may be the first of the rest, ש+יום read from שום.)
    shorter = {form[:index] + form[index + 1 :] for form in relevant for index in range(len(form)) if form[index] in "יו"}
    near = relevant | shorter
    prefixes = set(prefixes)
    needed = []
    for form in lines:
        rests = [form[cut:] for cut in range(1, min(len(form) - 1, 6)) if form[:cut] in prefixes]
        if form in near or any(rest in near or (rest.startswith("וו") and rest[1:] in near) for rest in rests):
            needed.append(form)
    return needed


KNOWN_BITS_PER_FORM = 10
"""Bits of the lexicon's Bloom filter per form, with `KNOWN_HASHES` hashes: about one word in a hundred that
the lexicon does not know is taken for one of its words (and its "did you mean" shows no results, only the link)."""
KNOWN_HASHES = 7


KNOWN_BITS_PER_FILE = 16_384
"""Bits of each file of the filter: 2 KB, so that a query's few words cost a few kilobytes."""


def known_files() -> dict[str, str]:
    """``known/<n>.js``: whether a word is a form of the lexicon, read only when a query finds nothing: "did you
    mean" shows a fix's results in place of a word only if the word is no word at all (the lexicon's table above
    holds only the site's forms). A Bloom filter of the lexicon's forms, 0.6 MB where the forms are 7.3, in files
    of `KNOWN_BITS_PER_FILE` chosen by the form's hash (`lexicon.fnv`): a word and its readings after a prefix
    cost a file each. The same for every site; not precached by the service worker."""
    forms = sorted({*lexicon.lexicon().forms, *lexicon.SPELLINGS})
    count = -(-len(forms) * KNOWN_BITS_PER_FORM // KNOWN_BITS_PER_FILE)
    fields = [bytearray(KNOWN_BITS_PER_FILE // 8) for _ in range(count)]
    for form in forms:
        field = fields[lexicon.fnv(form) % count]
        for index in known_bits(form, KNOWN_BITS_PER_FILE):
            field[index // 8] |= 1 << (index % 8)
    return {
        f"known/{number:x}.js": _script(
            "known", f"{number:x}", base64.b64encode(bytes(field)).decode("ascii"), KNOWN_BITS_PER_FILE, KNOWN_HASHES
        )
        for number, field in enumerate(fields)
    }


def known_bits(form: str, size: int) -> list[int]:
    """The bits of ``form`` in its file's filter of ``size`` bits: a second hash of it, and a third made from the
    two (the first chose the file; the page computes the same)."""
    first, second = lexicon.fnv(form, lexicon.FNV_OTHER), lexicon.fnv(form, lexicon.FNV_THIRD) | 1
    return [(first + number * second) % size for number in range(KNOWN_HASHES)]


def forms_files(site: SiteKeys) -> dict[str, str]:
    """``forms/<xy>.js`` by the first two letters of a lemma (or a group of synonyms): the site's written words
    that read as it, which the search page marks in the excerpts of what a query finds."""
    forms: dict[str, set[str]] = defaultdict(set)
    for keyed in site.records:
        for lemma, written in keyed.highlight.items():
            forms[lemma] |= written
    shards: dict[str, dict[str, list[str]]] = defaultdict(dict)
    for lemma in sorted(forms):
        shards[shard_of(lemma)][lemma] = sorted(forms[lemma])
    return {f"forms/{name}.js": _script("forms", name, table) for name, table in sorted(shards.items())}


def synonyms_file(site: SiteKeys) -> str:
    return _script("synonyms", search_synonyms.synonyms_data(site.groups, site.tiers))


def _ranked_words(site: SiteKeys) -> list[str]:
    """The site's words and lemmas, most frequent first (ties in the order of their letters): of equally near
    words, "did you mean" offers the more frequent."""
    counts = Counter(site.words)
    for lemma in site.lemmas:
        if not lemma.endswith(lexicon.VERB):  # a verb's lemma is a key (הותרv), not a word to offer
            counts[lemma] += 0
    return [word for word, _ in sorted(counts.items(), key=lambda item: (-item[1], item[0])) if len(word) > 1]


def latin_file(site: SiteKeys) -> str:
    """``latin.js``: the site's words in Latin letters (gif, excel), most frequent first, which a query in Hebrew
    letters may spell (גיף)."""
    return _script("latin", [word for word in _ranked_words(site) if LATIN_WORD.fullmatch(word)])


LATIN_WORD = re.compile("[a-z]{3,}")

NEAR_BYTES_PER_FILE = 4096
"""Bytes per file of ``near/``, about: a query's five or six keys cost a few kilobytes at any size."""


def near_files(site: SiteKeys) -> dict[str, str]:
    """``near/<n>.js``: the site's Hebrew words by their `lexicon.near_keys`, for "did you mean": a word one or
    two letters away from a query shares a key with it, so the page reads only the files of the query's keys,
    not the whole vocabulary (at 10,000 entries, 150,000 words). Each key's words come most frequent first, with
    their rank among all (``משפחה:12``); the number of files is a power of two, `lexicon.near_file` picks one."""
    by_key: dict[str, list[str]] = defaultdict(list)
    for rank, word in enumerate(_ranked_words(site)):
        if not word.isascii():
            for key in sorted(lexicon.near_keys(word)):
                by_key[key].append(f"{word}:{rank}")
    count = 1
    while count * NEAR_BYTES_PER_FILE < sum(
        len(key) * 2 + sum(len(word) * 2 + 8 for word in words) for key, words in by_key.items()
    ):
        count *= 2
    tables: list[dict[str, str]] = [{} for _ in range(count)]
    for key in sorted(by_key):
        tables[lexicon.near_file(key, count)][key] = " ".join(by_key[key])
    return {f"near/{number:x}.js": _script("near", f"{number:x}", table) for number, table in enumerate(tables)}


def fallback_files(ties: list[str], filters: list[dict[str, list[str]]], site: SiteKeys) -> dict[str, str]:
    """The index for a page opened from disk: each record's rank among ``ties`` (what breaks ties, Pagefind's id
    of each record, as numbers), the records of each facet's values (from each record's ``filters``),
    postings by key and by word."""
    ranks = {tie: rank for rank, tie in enumerate(sorted(ties))}
    files = {"fallback/order.js": _script("order", [ranks[tie] for tie in ties], TEXT_BLOCK)}
    by_value: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for number, record in enumerate(filters):
        for facet, values in sorted(record.items()):
            for value in values:
                by_value[facet][value].append(number)
    files["fallback/filters.js"] = _script("filters", {facet: dict(sorted(v.items())) for facet, v in sorted(by_value.items())})
    postings: dict[str, dict[str, list[int]]] = defaultdict(dict)
    words: dict[str, dict[str, list[int]]] = defaultdict(dict)
    for number, keyed in enumerate(site.records):
        for term in keyed.terms():
            postings[shard_of(term)].setdefault(term, []).append(number)
        for written in sorted({word for found in keyed.highlight.values() for word in found}):
            words[shard_of(written)].setdefault(written, []).append(number)
    for name, table in sorted(postings.items()):
        files[f"fallback/keys-{name}.js"] = _script("keys", name, table)
    for name, table in sorted(words.items()):
        files[f"fallback/words-{name}.js"] = _script("words", name, table)
    return files


def text_files(texts: list[dict]) -> dict[str, str]:
    """``fallback/text-<n>.js``: what shows records n·10 … n·10+9 (address, title, kind, forum, text)."""
    return {
        f"fallback/text-{start // TEXT_BLOCK}.js": _script("texts", start // TEXT_BLOCK, texts[start : start + TEXT_BLOCK])
        for start in range(0, len(texts), TEXT_BLOCK)
    }


SHARDED = ("lexicon/", "forms/", "fallback/keys-", "fallback/words-")


def shards_file(files: dict[str, str]) -> str:
    """``shards.js``: the shards of each kind that exist, so that the search page never asks for one that does not
    (a request that fails, on disk as online); of ``near/``, how many there are (all of them exist)."""
    table: dict[str, object] = {
        kind: sorted(name[len(kind) : -len(".js")] for name in files if name.startswith(kind)) for kind in SHARDED
    }
    for kind in COUNTED:
        table[kind] = sum(1 for name in files if name.startswith(kind))
    return _script("shards", table)


NEAR = "near/"
COUNTED = (NEAR, "known/")
"""Kinds whose files are chosen by a hash: shards.js says how many there are (all of them exist)."""


def write(folder: Path, files: dict[str, str]) -> None:
    for relative, text in files.items():
        target = folder / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
