// Yozmot search page: Hebrew words found by their lemmas, with facets, "did you mean" and deep links.
//
// A page is found when a word of the query and a word of the page share a key: a lemma of hspell's
// lexicon (משפחות, במשפחה, המשפחות → משפחה), written with a letter that ends it ("משפחהx"), so a key
// only ever matches itself. The generator read every word of the site into keys (generator/lexicon.py);
// this script reads the query the same way, from the lexicon's files by their first two letters
// (pagefind/kb/lexicon/), with the rules of #kb-search-rules. Only keys the site has are searched.
//
// Ranking, the same for both engines: for each query word, 10 if its key is in a page's title, 2 if it
// is on the page (1 for a spelling variant of the word), 1 more where it is frequent; the last word as
// typed also matches the beginning of a page's words, ranked lowest. The page of a name (an authority,
// an organization) has its title's 10 only when the query names it. A word that is a term of a group of
// synonyms also finds the group's pages, worth 1. Ties break by Pagefind's id of the page, which the
// built-in index knows too.
//
// Served over http(s) the engine is Pagefind. Opened from disk (file://), where browsers refuse
// Pagefind's module and fetches, the engine is the generator's own index in classic scripts
// (pagefind/kb/fallback/): the same keys, records and order, so a query shows the same results.
//
// Contract for automation: results are <a> elements, in rank order, inside #search-results, which gets
// data-state="done" once the current query's results are shown (also when there are none).

(function () {
"use strict";

const FACETS = ["kind", "topic", "population", "authority", "context", "status"];
const OUT_OF_REACH =
  "אין עכשיו חיבור לרשת, והחלק של החיפוש שהמילים האלה צריכות עוד לא נשמר במכשיר. אפשר לחפש שוב כשיש רשת, או לשמור את כל האתר מדף הבית.";
const SHOWN = 10; // results rendered at a time: each needs its excerpt's file; "more" shows the next ones
const EXCERPT_WORDS = 28;
const DATA = "pagefind/kb/";

const rules = JSON.parse(document.getElementById("kb-search-rules").textContent);
const MARK = rules.marks;
const NIQQUD = /[\u0591-\u05BD\u05BF\u05C1\u05C2\u05C4\u05C5\u05C7]/g;
const QUOTES = { "״": '"', "”": '"', "“": '"', "׳": "'", "’": "'", "‘": "'", "`": "'" };
const WORD = /[\u05D0-\u05EA]+(?:["'][\u05D0-\u05EA]+)*["']?|[A-Za-z0-9]+/g;
const POINTED_LETTER = /([\u05D0-\u05EA])([\u0591-\u05C7]+)(?=([\u05D0-\u05EA][\u0591-\u05C7]*)?)/g;
const [HIRIQ, SHEVA] = ["\u05B4", "\u05B0"]; // hiriq before sheva: a closed syllable, no yod (מִגְדָּל, מגדל)

// --- data files, loaded as classic scripts (they load from disk too) --------------------------

const loaded = {};
const waiting = {};
window.KB_SEARCH_DATA = {
  lexicon: (name, text) => settle(`lexicon/${name}`, parseLexicon(text)),
  near: (name, table) => settle(`near/${name}`, table),
  latin: (list) => settle("latin", list),
  synonyms: (groups) => settle("synonyms", groups),
  forms: (name, table) => settle(`forms/${name}`, table),
  known: (name, bits, size, hashes) => settle(`known/${name}`, { bits: Uint8Array.from(atob(bits), (c) => c.charCodeAt(0)), size, hashes }),
  shards: (table) => settle("shards", table),
  order: (ranks, block) => settle("fallback/order", { ranks, block }),
  filters: (table) => settle("fallback/filters", table),
  keys: (name, table) => settle(`fallback/keys-${name}`, table),
  words: (name, table) => settle(`fallback/words-${name}`, table),
  texts: (number, list) => settle(`fallback/text-${number}`, list),
};

function settle(name, value) {
  loaded[name] = Promise.resolve(value);
  if (waiting[name]) waiting[name].resolve(value);
}

// The files of each sharded kind that exist (shards.js): a shard the site lacks is never requested.
let shards = null;
const SHARDED = /^(lexicon\/|forms\/|known\/|near\/|fallback\/keys-|fallback\/words-)(.+)$/;

async function load(name) {
  const sharded = SHARDED.exec(name);
  if (sharded && name !== "shards") {
    shards = shards || (await loadScript("shards"));
    const listed = shards && shards[sharded[1]];
    // Of near/ shards.js tells how many files there are: all of them exist.
    if (!listed || (typeof listed === "number" ? parseInt(sharded[2], 16) >= listed : !listed.includes(sharded[2]))) return null;
  }
  return loadScript(name);
}

let unreachable = false; // a file of the index did not load during this search

function loadScript(name) {
  if (loaded[name]) return loaded[name];
  loaded[name] = new Promise((resolve) => {
    waiting[name] = { resolve };
    const script = document.createElement("script");
    script.src = `${DATA}${name}.js`;
    // Only files that exist are asked for (shards.js lists the sharded ones): one that does not load is out of
    // reach (offline, and not saved); it is asked for again by the next search.
    script.onerror = () => {
      unreachable = true;
      delete loaded[name];
      resolve(null);
    };
    document.head.append(script);
  });
  return loaded[name];
}

function shardOf(word) {
  const bare = word.replace(/["']/g, "");
  return [...bare.slice(0, rules.shard)].map((c) => c.codePointAt(0).toString(16)).join("");
}

function parseLexicon(text) {
  const forms = new Map();
  for (const line of text.split("\n")) {
    const [form, spec, rank, lemmas] = line.split("\t");
    const found = (lemmas || "").split("|").filter(Boolean).map((pair) => {
      const cut = pair.lastIndexOf(":");
      return { lemma: pair.slice(0, cut), tiers: pair.slice(cut + 1) };
    });
    // spec null: a word of the site the lexicon does not know (a name), listed with itself as lemma.
    // "=" after the rank: a base word of the dictionary.
    const base = rank.endsWith("=");
    forms.set(form, { spec: spec === "-" ? null : Number(spec), rank: Number(base ? rank.slice(0, -1) : rank), base, lemmas: found });
  }
  return forms;
}

async function entry(form) {
  const shard = await load(`lexicon/${shardOf(form)}`);
  return shard ? shard.get(form) || null : null;
}

// A form of the lexicon (not a name of the site) read as a whole word.
async function lexiconEntry(form) {
  const known = await entry(form);
  return known && known.spec !== null ? known : null;
}

// --- reading a query word: the rules of generator/lexicon.py, query side ----------------------
// A form's lemmas here are only those on the site, with the tiers the site has them in; its class and
// rank are those of the lexicon, so that the choice between readings is the generator's.

function fullSpelling(text) {
  return text.replace(POINTED_LETTER, (whole, letter, points, following = " ") => {
    for (const [point, added] of Object.entries(rules.fullSpelling)) {
      const closed = point === HIRIQ && following.includes(SHEVA);
      if (points.includes(point) && added !== letter && added !== following[0] && !closed) return letter + points + added;
    }
    return whole;
  });
}

// Letters each followed by a dot, as acronyms are also written (ת.ז., מ.א.): with gershayim, as generator/lexicon.py.
const DOTTED = /(?<![\u05D0-\u05EA.])(?:[\u05D0-\u05EA]\.){1,4}[\u05D0-\u05EA](?![\u05D0-\u05EA])\.?/g;

function words(text) {
  const plain = fullSpelling(text)
    .replace(NIQQUD, "")
    .replace(/[״”“׳’‘`]/g, (c) => QUOTES[c])
    .replaceAll("''", '"')
    .replace(DOTTED, (dotted) => {
      const letters = dotted.replaceAll(".", "");
      return `${letters.slice(0, -1)}"${letters.slice(-1)}`;
    });
  return (plain.match(WORD) || []).map((w) => w.toLowerCase());
}

const bareOf = (word) => word.replace(/["']/g, "");

function* splits(word) {
  for (let cut = 1; cut < Math.min(word.length - 1, 6); cut++) {
    const prefix = word.slice(0, cut);
    if (!rules.prefixes[prefix]) continue;
    const rest = word.slice(cut);
    yield [prefix, rest];
  }
}

// Lexicon.prefixed: the readings after a prefix the lexicon allows, the shortest prefix, then the likeliest rest.
async function prefixed(word) {
  const found = [];
  for (const [prefix, rest] of splits(word)) {
    for (const candidate of new Set([rest.startsWith("וו") ? rest.slice(1) : rest, rest])) {
      const known = await lexiconEntry(candidate);
      // The shortest prefix, the article not counted (וה+קליטה before ו+הקליטה), then the likeliest rest.
      const length = prefix.length - (prefix.endsWith("ה") ? 1 : 0);
      if (known && rules.prefixes[prefix].includes(known.spec)) found.push({ known, order: length * 10 + known.rank });
    }
  }
  const best = Math.min(...found.map((f) => f.order));
  return unique(found.filter((f) => f.order === best).flatMap((f) => f.known.lemmas));
}

async function wholeWord(word) {
  const bare = bareOf(word);
  return (await lexiconEntry(word)) || (bare !== word ? await lexiconEntry(bare) : null);
}

// Whole word first, else after a prefix: { lemmas, any }, where "any" says whether the lexicon reads the
// word at all (its lemmas may all be off the site).
async function baseReadings(word) {
  const whole = await wholeWord(word);
  if (whole) return { lemmas: whole.lemmas, any: true, whole };
  const lemmas = await prefixed(word);
  let any = lemmas.length > 0;
  if (!any) {
    for (const [prefix, rest] of splits(word)) {
      for (const candidate of new Set([rest.startsWith("וו") ? rest.slice(1) : rest, rest])) {
        const known = await lexiconEntry(candidate);
        if (known && rules.prefixes[prefix].includes(known.spec)) any = true;
      }
    }
  }
  return { lemmas, any };
}

function* spellingVariants(word) {
  for (let index = 1; index < word.length; index++) {
    for (const letter of "יו") yield word.slice(0, index) + letter + word.slice(index);
  }
}

async function variantLemmas(word, unknown) {
  const found = [];
  for (const variant of spellingVariants(word)) {
    const known = await lexiconEntry(variant);
    if (known) found.push(known);
  }
  const best = Math.min(...found.map((k) => k.rank));
  const whole = unique(found.filter((k) => k.rank === best).flatMap((k) => k.lemmas));
  if (whole.length) return whole;
  const names = []; // else a name of the site (קרונה is a word, but the site writes קורונה)
  for (const variant of spellingVariants(word)) {
    const known = await entry(variant);
    if (known && known.spec === null) names.push(...known.lemmas);
  }
  if (names.length || !unknown || found.length) return unique(names);
  const split = [];
  for (const variant of spellingVariants(word)) split.push(...(await prefixed(variant)));
  return unique(split);
}

// As written (a name, a word the lexicon does not know), and without a prefix when the rest is a word
// of the site.
async function asWritten(word) {
  const bare = bareOf(word);
  const found = [];
  const rests = [...splits(bare)].map(([, rest]) => (rest.startsWith("וו") ? rest.slice(1) : rest));
  for (const candidate of [bare, ...rests]) {
    const known = await entry(candidate);
    const own = known && known.lemmas.find((l) => l.lemma === candidate);
    if (own) found.push(own);
  }
  return unique(found);
}

function unique(lemmas) {
  const seen = new Map();
  for (const item of lemmas) if (!seen.has(item.lemma)) seen.set(item.lemma, item);
  return [...seen.values()];
}

// A query word → { own: [{lemma, tiers}], varied: [...] }, only lemmas the site has.
async function queryLemmas(word) {
  const base = await baseReadings(word);
  const own = base.lemmas;
  if (own.length) return { own, varied: [] }; // the site has the word itself: its spelling is not in doubt
  // A base word is never taken for another word's spelling (דור is not דיור).
  const varied = base.whole && base.whole.base ? [] : await variantLemmas(word, !base.any);
  if (varied.length) return { own, varied };
  // A base word the site does not have is not a prefix before another (שכול is not ש+כול); a word read
  // only unlikelily may be (הקרן, "radiate!", is ה+קרן), as the lexicon allows.
  if (base.whole) return { own: base.whole.rank === 0 ? [] : await prefixed(word), varied: [] };
  return { own: await asWritten(word), varied: [] };
}

const keyOf = (lemma, mark) => bareOf(lemma) + mark;

// The terms that find pages for one query word, each with what a match is worth. A lemma without the
// key tier is one only the synonyms know (a reader's word the site does not write): never searched.
function alternatives(read, word, last) {
  const out = [];
  for (const [lemmas, worth] of [[read.own, 2], [read.varied, 1]]) {
    for (const { lemma, tiers } of lemmas) {
      if (!tiers.includes(MARK.key)) continue;
      out.push({ term: keyOf(lemma, MARK.key), worth, lemma });
      if (tiers.includes(MARK.title)) out.push({ term: keyOf(lemma, MARK.title), worth: 10, lemma, bonus: true });
      // The title of a name (an authority, an organization), marked with its number of words.
      [...MARK.names].forEach((mark, index) => {
        if (tiers.includes(mark)) out.push({ term: keyOf(lemma, mark), worth: 10, lemma, bonus: true, name: index + 1 });
      });
      if (tiers.includes(MARK.frequent)) out.push({ term: keyOf(lemma, MARK.frequent), worth: 1, lemma, bonus: true });
      if (tiers.includes(MARK.veryFrequent)) out.push({ term: keyOf(lemma, MARK.veryFrequent), worth: 1, lemma, bonus: true });
    }
  }
  if (last && word.length >= 2) out.push({ prefix: word, worth: 0.5 }); // still being typed
  return out;
}

// The query's words in units: a run of words that is a term of a group of synonyms (the longest that
// starts at a word) is one unit, found by its words or by the group; any other word is a unit alone.
function units(read, groups) {
  const out = [];
  let index = 0;
  while (index < read.length) {
    let length = 0;
    let matched = [];
    for (const group of groups) {
      for (const term of group.terms) {
        if (term.length < length || index + term.length > read.length) continue;
        if (!term.every((lemmas, k) => lemmas.some((lemma) => read[index + k].lemmas.has(lemma)))) continue;
        if (term.length > length) [length, matched] = [term.length, []];
        if (!matched.includes(group)) matched.push(group);
      }
    }
    const size = Math.max(length, 1);
    out.push({ words: read.slice(index, index + size), groups: matched });
    index += size;
  }
  return out;
}

// --- one search, for both engines -------------------------------------------------------------

async function find(engine, queryWords, filters, typing) {
  if (!queryWords.length) {
    return { ranked: await engine.all(filters), lemmas: [], primary: [] };
  }
  const read = [];
  for (const [index, word] of queryWords.entries()) {
    const found = await queryLemmas(word);
    // A name in Latin letters also finds the site's Hebrew spelling of it (emek, עמק), worth less.
    const hebrew = await spelledInHebrew(word);
    if (hebrew) found.varied = unique([...found.varied, ...hebrew.own, ...hebrew.varied]);
    const options = alternatives(found, word, typing && index === queryWords.length - 1);
    read.push({ options, lemmas: new Set([...found.own, ...found.varied].map((l) => l.lemma)) });
  }
  const lemmas = read.flatMap((word) => word.options.filter((o) => o.lemma).map((o) => o.lemma));
  const primary = [];
  let candidates = null;
  const scores = new Map();
  const named = new Map(); // page of a name → { size: its name's words, words: query words in it, bonus: theirs }
  for (const unit of units(read, (await load("synonyms")) || [])) {
    // What the unit's words find together (each of them), then what its groups find, worth less.
    let together = null;
    const unitScores = new Map();
    for (const word of unit.words) {
      const best = await wordMatches(engine, word.options, filters);
      const matched = [...best].filter(([, v]) => v.worth > 0).map(([id]) => id);
      together = together === null ? new Set(matched) : new Set(matched.filter((id) => together.has(id)));
      for (const [id, value] of best) {
        unitScores.set(id, (unitScores.get(id) || 0) + value.worth + value.bonus);
        if (value.name) {
          const sum = named.get(id) || { size: value.name, words: 0, bonus: 0 };
          named.set(id, { size: value.name, words: sum.words + 1, bonus: sum.bonus + value.nameBonus });
        }
      }
      const first = word.options.find((o) => o.term && !o.bonus);
      if (first) primary.push(first.term);
    }
    const found = new Map([...together].map((id) => [id, unitScores.get(id)]));
    for (const group of unit.groups) {
      lemmas.push(group.key);
      // In a title; or the title of a name (the query holds one of the name's terms whole: it names the body,
      // whose page comes first).
      const bonus = new Map();
      for (const mark of [MARK.title, ...MARK.names].filter((m) => group.tiers.includes(m))) {
        for (const id of await engine.postings(keyOf(group.key, mark), filters)) bonus.set(id, mark === MARK.title ? 5 : 20);
      }
      for (const id of await engine.postings(keyOf(group.key, MARK.key), filters)) {
        found.set(id, Math.max(found.get(id) || 0, 1 + (bonus.get(id) || 0)));
      }
      if (!unit.words.some((word) => word.options.some((o) => o.term))) primary.push(keyOf(group.key, MARK.key));
    }
    candidates = candidates === null ? new Set(found.keys()) : new Set([...candidates].filter((id) => found.has(id)));
    for (const [id, score] of found) scores.set(id, (scores.get(id) || 0) + score);
  }
  // A page of a name keeps its title's bonus only when the query names it: at least half its words, and two
  // of them if it has two (אשדוד names אשדוד, ביטוח לאומי names המוסד לביטוח לאומי; משרד names no ministry).
  // Not named, it ranks below an entry that has the words as often: a name's page is all name, its words
  // say less about it (רשות in רשות האכיפה והגבייה, against a forum of authorities).
  for (const [id, name] of named) {
    if (candidates.has(id) && !(name.words >= Math.min(2, name.size) && name.words * 2 >= name.size)) {
      scores.set(id, scores.get(id) - name.bonus - 0.5);
    }
  }
  const tie = (a, b) => (engine.order(a) < engine.order(b) ? -1 : engine.order(a) > engine.order(b) ? 1 : 0);
  const ranked = [...candidates].sort((a, b) => scores.get(b) - scores.get(a) || tie(a, b));
  return { ranked, lemmas, primary };
}

// Record → { worth, bonus, name, nameBonus } for one query word: its best match, its bonuses, and for the
// page of a name its name's number of words and the bonus its title gave.
async function wordMatches(engine, options, filters) {
  const best = new Map();
  for (const option of options) {
    const ids = option.prefix ? await engine.prefix(option.prefix, filters) : await engine.postings(option.term, filters);
    for (const id of ids) {
      const here = best.get(id) || { worth: 0, bonus: 0, name: 0, nameBonus: 0 };
      if (option.bonus) here.bonus += option.worth;
      else here.worth = Math.max(here.worth, option.worth);
      if (option.name) [here.name, here.nameBonus] = [option.name, here.nameBonus + option.worth];
      best.set(id, here);
    }
  }
  return best;
}

// --- the engines ---------------------------------------------------------------------------

async function pagefindEngine() {
  const pagefind = await import(new URL("pagefind/pagefind.js", document.baseURI).href);
  // No worker: the search runs on the page, which saves the worker's script (12 KB gzipped) on a first query.
  await pagefind.options({ excerptLength: EXCERPT_WORDS, noWorker: true });
  await pagefind.init();
  const byId = new Map(); // every result seen, to show it
  const ids = async (term, options) => {
    const found = (await pagefind.search(term, options)).results;
    found.forEach((result) => byId.set(result.id, result));
    return found.map((r) => r.id);
  };
  return {
    order: (id) => id, // Pagefind's id of a page: ties break by it, as the built-in index does
    postings: (term, filters) => ids(term, { filters }),
    prefix: (word, filters) => ids(word, { filters }), // Pagefind matches the beginnings of words itself
    counts: async (terms, filters) => (await pagefind.search(terms.length ? terms.join(" ") : null, { filters })).filters,
    show: (list) =>
      Promise.all(
        list.map(async (id) => {
          const data = await byId.get(id).data();
          return {
            url: data.url.replace(/^\//, ""), // relative: the site works under any path and from a folder
            title: data.meta.title || data.url,
            kind: data.meta.kind || "",
            forum: data.meta.forum || "",
            content: data.content || "",
          };
        }),
      ),
  };
}

// From disk, the index in parts (search_keys.fallback_files): a query loads the order of records, the keys'
// and words' files its words need, the facets' table when it counts or filters, and the texts it shows.
async function fallbackEngine() {
  const order = await load("fallback/order");
  if (!order) throw new Error("the search index could not be loaded");
  const everyId = () => order.ranks.map((_, id) => id);
  const facets = async () => (await load("fallback/filters")) || {};
  // A test of a record against the chosen filters, from the facets' table (loaded only when one is chosen).
  const passing = async (filters) => {
    const chosen = Object.entries(filters);
    if (!chosen.length) return () => true;
    const table = await facets();
    const sets = chosen.map(([facet, value]) => new Set((table[facet] || {})[value] || []));
    return (id) => sets.every((set) => set.has(id));
  };
  const postings = async (term, filters) => {
    const table = await load(`fallback/keys-${shardOf(term)}`);
    return ((table && table[term]) || []).filter(await passing(filters));
  };
  return {
    order: (id) => order.ranks[id],
    postings,
    prefix: async (word, filters) => {
      const table = (await load(`fallback/words-${shardOf(word)}`)) || {};
      const ids = new Set();
      for (const [written, list] of Object.entries(table)) if (written.startsWith(word)) list.forEach((id) => ids.add(id));
      return [...ids].filter(await passing(filters));
    },
    all: async (filters) => everyId().filter(await passing(filters)),
    counts: async (terms, filters) => {
      let ids = everyId().filter(await passing(filters));
      for (const term of terms) {
        const has = new Set(await postings(term, filters));
        ids = ids.filter((id) => has.has(id));
      }
      const found = new Set(ids);
      const counts = {};
      for (const [facet, values] of Object.entries(await facets())) {
        for (const [value, list] of Object.entries(values)) {
          const count = list.reduce((sum, id) => sum + found.has(id), 0);
          if (count) (counts[facet] = counts[facet] || {})[value] = count;
        }
      }
      return counts;
    },
    show: (list) =>
      Promise.all(list.map(async (id) => (await load(`fallback/text-${Math.floor(id / order.block)}`))[id % order.block])),
  };
}

// --- "did you mean": the site's own words, one or two letters away ----------------------------

// Letters readers type for one another: half a typo where they sound alike or are a letter's final form;
// three quarters where they are neighbours on the Hebrew keyboard's rows (ן and ם, ך and ל: a hurried thumb).
const both = (pairs) => new Set(pairs.flatMap((p) => [p, p[1] + p[0]]));
const ALIKE = both(["תט", "כח", "קכ", "אע", "סש", "בו", "כך", "מם", "נן", "פף", "צץ", "חך", "קך"]);
const KEYBOARD_ROWS = ["קראטוןםפ", "שדגכעיחלךף", "זסבהנמצתץ"];
const NEIGHBOURS = both(KEYBOARD_ROWS.flatMap((row) => [...row.slice(1)].map((letter, i) => row[i] + letter)));

// Between a Latin spelling and the Hebrew: the letters Latin may leave out (vowels, א ה ע) and ה for ח.
const SOFT = "אהויע";
const SOFT_ALIKE = new Set(["הח", "חה", "אה", "הא"]);

// Edits from a to b (a letter added, dropped, replaced or two swapped), over limit as soon as it must be;
// ``soft``: a vowel letter added or dropped is half an edit (a word transliterated from Latin script).
function distance(a, b, limit, soft = false) {
  const gap = (letter) => (soft && SOFT.includes(letter) ? 0.5 : 1);
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  const first = [0];
  for (let j = 1; j <= b.length; j++) first.push(first[j - 1] + gap(b[j - 1]));
  const rows = [first];
  for (let i = 1; i <= a.length; i++) {
    const row = [rows[i - 1][0] + gap(a[i - 1])];
    for (let j = 1; j <= b.length; j++) {
      const pair = a[i - 1] + b[j - 1];
      // From Latin script, only a sound-alike may stand for a letter: proto is not פשוט.
      const replace =
        a[i - 1] === b[j - 1] ? 0 : ALIKE.has(pair) || (soft && SOFT_ALIKE.has(pair)) ? 0.5 : soft ? 2 : NEIGHBOURS.has(pair) ? 0.75 : 1;
      row[j] = Math.min(rows[i - 1][j] + gap(a[i - 1]), row[j - 1] + gap(b[j - 1]), rows[i - 1][j - 1] + replace);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) row[j] = Math.min(row[j], rows[i - 2][j - 2] + 1);
    }
    if (Math.min(...row) > limit) return limit + 1;
    rows.push(row);
  }
  return rows[a.length][b.length];
}

// The keys of "did you mean" (generator/lexicon.py near_keys, as a query's): the word's consonants, one letter
// for letters that sound alike, and those with any one letter dropped; a typo shares one with the word it misspells.
function nearKeys(word) {
  const skeleton = [...word].map((c) => (c in rules.skeleton ? rules.skeleton[c] : c)).join("");
  const keys = new Set([skeleton]);
  if (skeleton.length >= 3) for (let i = 0; i < skeleton.length; i++) keys.add(skeleton.slice(0, i) + skeleton.slice(i + 1));
  // Two letters: either one replaced, dropped, or the two swapped; one: replaced, or one added (as near_keys(word, query=True)).
  else if (skeleton.length === 2) [skeleton[0] + "*", "*" + skeleton[1], skeleton[0], skeleton[1], skeleton[1] + skeleton[0]].forEach((k) => keys.add(k));
  else if (skeleton.length === 1) ["*", skeleton + "*", "*" + skeleton].forEach((k) => keys.add(k));
  return keys;
}

// FNV-1a, 32 bits, as generator/lexicon.py fnv.
function fnv(text, basis = 0x811c9dc5) {
  let value = basis;
  for (const c of text) value = Math.imul(value ^ c.codePointAt(0), 0x01000193) >>> 0;
  return value;
}

// Which file of near/ holds a key (lexicon.py near_file).
const nearFile = (key, count) => (fnv(key) % count).toString(16);

// Whether the Bloom filter of known/ holds ``form`` (search_keys.py known_bits; exact below 2^53).
function inFilter(filter, form) {
  const [first, second] = [fnv(form, rules.fnv[0]), (fnv(form, rules.fnv[1]) | 1) >>> 0];
  for (let number = 0; number < filter.hashes; number++) {
    const bit = (first + number * second) % filter.size;
    if (!(filter.bits[bit >> 3] & (1 << (bit & 7)))) return false;
  }
  return true;
}

// The site's Hebrew words that share a key with ``word``, most frequent first (from near/, a few files).
async function nearWords(word) {
  shards = shards || (await loadScript("shards"));
  const count = shards && shards["near/"];
  if (!count) return [];
  const ranked = new Map();
  for (const key of nearKeys(word)) {
    const table = await load(`near/${nearFile(key, count)}`);
    for (const entry of ((table && table[key]) || "").split(" ").filter(Boolean)) {
      const cut = entry.lastIndexOf(":");
      ranked.set(entry.slice(0, cut), Number(entry.slice(cut + 1)));
    }
  }
  return [...ranked].sort((a, b) => a[1] - b[1]).map(([known]) => known);
}

// The word of ``vocabulary`` nearest to ``word`` (the first of equals), or null when none is near enough.
function nearest(word, vocabulary, soft = false) {
  // A transliteration is a guess already: one edit more than its letters' vowels (Israel, איסרל, is ישראל).
  const limit = soft ? (word.length <= 4 ? 1 : 1.5) : word.length <= 4 ? 1 : 2;
  const near = [];
  for (const known of vocabulary) {
    if (known === word && !soft) continue; // a typo's own spelling is what found nothing
    const edits = distance(word, known, limit, soft);
    if (edits <= limit) near.push({ word: known, distance: edits });
  }
  // Of words nearly as near (a quarter of an edit), the more frequent: תכית is תכנית before תגית.
  const best = Math.min(...near.map((n) => n.distance));
  return near.find((n) => n.distance <= best + 0.25) || null;
}

// A word in Latin letters as Hebrew would spell it (ashdod → אשדוד, bituach → ביטוח), to look for the site's
// nearest word: names written in either script (Amigour, עמיגור).
const LATIN = [
  ["sh", "ש"], ["ch", "ח"], ["kh", "ח"], ["tz", "צ"], ["ts", "צ"], ["th", "ת"], ["ph", "פ"], ["oo", "ו"],
  ["ou", "ו"], ["ee", "י"], ["ei", "י"], ["ai", "י"], ["a", ""], ["e", ""], ["i", "י"], ["o", "ו"], ["u", "ו"],
  ["y", "י"], ["w", "ו"], ["v", "ב"], ["b", "ב"], ["g", "ג"], ["j", "ג"], ["d", "ד"], ["h", "ה"], ["z", "ז"],
  ["t", "ט"], ["k", "ק"], ["c", "ק"], ["q", "ק"], ["x", "קס"], ["l", "ל"], ["m", "מ"], ["n", "נ"], ["s", "ס"],
  ["p", "פ"], ["f", "פ"], ["r", "ר"],
];
const FINAL = { "מ": "ם", "נ": "ן", "צ": "ץ", "פ": "ף", "כ": "ך" };

function transliterate(word) {
  let out = /^[aeiou]/.test(word) ? "א" : ""; // a word that begins with a vowel begins with א
  for (let index = 0; index < word.length; ) {
    const [latin, hebrew] = LATIN.find(([latin]) => word.startsWith(latin, index)) || [word[index], ""];
    out += hebrew;
    index += latin.length;
  }
  return out.slice(0, -1) + (FINAL[out.slice(-1)] || out.slice(-1));
}

// The readings of the site's Hebrew word nearest to a Latin ``word`` of four letters or more, or null.
async function spelledInHebrew(word) {
  if (!/^[a-z]{4,}$/.test(word) || transliterate(word).length < 3) return null;
  const spelled = transliterate(word);
  const near = nearest(spelled, await nearWords(spelled), true);
  return near ? await queryLemmas(near.word) : null;
}

// The site's word in Latin letters that ``word`` spells in Hebrew (גיף, gif; אקסל, excel), or null.
let latinWords = null;
function spelledInLatin(word, latin) {
  if (word.length < 3) return null;
  latinWords = latinWords || new Map(latin.map((known) => [transliterate(known), known]));
  const near = nearest(word, latinWords.keys(), true);
  // Beyond the vowels Hebrew leaves out, one letter more, and in a short word no more: a Hebrew typo is rarely
  // a Latin word (הותרק is not other), a long transliteration often is (מארקדאון, markdown).
  return near && near.distance <= (word.length >= 6 ? 1.5 : 1) ? { word: latinWords.get(near.word), distance: near.distance } : null;
}

const nearestOf = (a, b) => (a && b ? (b.distance < a.distance ? b : a) : a || b);

// Whether the lexicon reads ``word`` at all, as a whole word or after a prefix (its full list of words, which
// the table of the site's forms is not). Latin words are no words of it.
async function isWord(word) {
  const has = async (form) => {
    shards = shards || (await loadScript("shards"));
    const count = shards && shards["known/"];
    const shard = count && (await load(`known/${(fnv(form) % count).toString(16)}`));
    return Boolean(shard && inFilter(shard, form));
  };
  if (await has(word)) return true;
  for (const [prefix, rest] of splits(word)) {
    if (rules.prefixes[prefix] && (await has(rest))) return true;
  }
  return false;
}

// { text, results }: the query with each word that finds nothing replaced by the site's nearest word;
// results: whether to show what the fix finds. Only when each replaced word is a typo, a word the
// lexicon does not know: of four letters or more (עמוטה), or a sound-alike spelling of the site's word
// (אוני, עוני) — not a real word the site does not use (שרד is not a typo of משרד), nor a short one,
// which is a letter away from too many words to guess.
async function suggestion(queryWords) {
  const latin = await load("latin");
  if (!latin) return null;
  const fixed = [];
  let changed = false;
  let typos = true;
  for (const word of queryWords) {
    const { own, varied } = await queryLemmas(word);
    if (own.length || varied.length) {
      fixed.push(word);
      continue;
    }
    const inLatin = /^[a-z]{3,}$/.test(word) && transliterate(word).length >= 3;
    const near = inLatin
      ? nearest(transliterate(word), await nearWords(transliterate(word)), true)
      : nearestOf(nearest(word, await nearWords(word)), spelledInLatin(word, latin));
    if (!near) return null;
    fixed.push(near.word);
    changed = true;
    // A word of the lexicon is what the reader meant, even where the site does not have it (שכול is not a
    // typo of שקול, nor דור of דבר): offered as a link only, its results never shown in its place.
    if ((await isWord(word)) || !(word.length >= 4 || near.distance <= 0.5)) typos = false;
  }
  return changed ? { text: fixed.join(" "), results: typos } : null;
}

// --- page ----------------------------------------------------------------------------------

const form = document.getElementById("kb-search-form");
const input = document.getElementById("kb-q");
const selects = Object.fromEntries(FACETS.map((f) => [f, document.getElementById(`kb-f-${f}`)]));
const statusLine = document.getElementById("kb-search-status");
const emptyHelp = document.getElementById("kb-search-empty");
const suggested = document.getElementById("kb-search-suggestion");
const results = document.getElementById("search-results");
const moreButton = document.getElementById("kb-search-more");
const filtersBox = document.getElementById("kb-filters");
const filtersCount = document.getElementById("kb-filters-count");
// The filters are folded on a phone, so that the results come first; a wide screen has room for them open.
const ROOM_FOR_FILTERS = "(min-width: 60em)";
let generation = 0;

function readUrl() {
  const params = new URLSearchParams(window.location.search);
  input.value = params.get("q") || "";
  for (const facet of FACETS) {
    const value = params.get(facet) || "";
    const select = selects[facet];
    select.value = [...select.options].some((o) => o.value === value) ? value : "";
  }
}

function urlFor(query) {
  const params = new URLSearchParams();
  if (query.trim()) params.set("q", query.trim());
  for (const facet of FACETS) if (selects[facet].value) params.set(facet, selects[facet].value);
  const text = params.toString();
  return window.location.pathname + (text ? `?${text}` : "");
}

function writeUrl() {
  const url = urlFor(input.value);
  if (url !== window.location.pathname + window.location.search) window.history.replaceState(null, "", url);
}

function chosenFilters() {
  const filters = {};
  for (const facet of FACETS) if (selects[facet].value) filters[facet] = selects[facet].value;
  return filters;
}

// The folded filters' summary says how many are chosen: a filter hidden from sight still narrows the results.
function showActiveFilters() {
  const active = Object.keys(chosenFilters()).length;
  filtersCount.textContent = active ? ` (${active === 1 ? "1 פעיל" : `${active} פעילים`})` : "";
}

function updateCounts(counts) {
  for (const facet of FACETS) {
    const known = (counts && counts[facet]) || {};
    for (const option of selects[facet].options) {
      if (!option.value) continue;
      option.textContent = `${option.dataset.label} (${known[option.value] || 0})`;
    }
  }
}

// The words to mark in excerpts: the site's words that the generator read as one of the query's lemmas.
async function markedWords(lemmas) {
  const out = new Set();
  for (const lemma of new Set(lemmas)) {
    const table = await load(`forms/${shardOf(lemma)}`);
    ((table && table[lemma]) || []).forEach((word) => out.add(word));
  }
  return out;
}

function excerpt(content, mark) {
  const shown = content.split(/\s+/);
  const hits = (word) => words(word).some((w) => mark.has(w));
  const hit = mark.size ? shown.findIndex(hits) : -1;
  const start = Math.max(0, (hit < 0 ? 0 : hit) - Math.floor(EXCERPT_WORDS / 3));
  const paragraph = document.createElement("p");
  paragraph.className = "kb-result-excerpt";
  if (start > 0) paragraph.append("… ");
  shown.slice(start, start + EXCERPT_WORDS).forEach((word, i) => {
    if (i) paragraph.append(" ");
    if (mark.size && hits(word)) {
      const element = document.createElement("mark");
      element.textContent = word;
      paragraph.append(element);
    } else {
      paragraph.append(word);
    }
  });
  if (start + EXCERPT_WORDS < shown.length) paragraph.append(" …");
  return paragraph;
}

function kindLabel(kind) {
  const option = [...selects.kind.options].find((o) => o.value === kind);
  return option ? option.dataset.label : "";
}

function renderResult(match, mark) {
  const item = document.createElement("article");
  item.className = "kb-result";
  const heading = document.createElement("h2");
  const link = document.createElement("a");
  link.href = match.url;
  link.textContent = match.title;
  heading.append(link);
  const kind = document.createElement("p");
  kind.className = "kb-result-kind";
  kind.textContent = kindLabel(match.kind) + (match.forum ? ` · ${match.forum}` : "");
  item.append(heading, kind, excerpt(match.content, mark));
  return item;
}

let engine = null;

async function run() {
  const mine = ++generation;
  writeUrl();
  showActiveFilters();
  const query = input.value;
  const filters = chosenFilters();
  results.dataset.state = "loading";
  emptyHelp.hidden = true;
  suggested.hidden = true;
  moreButton.hidden = true;
  current = null;
  const queryWords = words(query);
  if (!queryWords.length && !Object.keys(filters).length) {
    results.replaceChildren();
    updateCounts(null);
    statusLine.textContent = "כתבו מילה לחיפוש, או בחרו נושא, אוכלוסייה או רשות.";
    results.dataset.state = "done";
    return;
  }
  // The last word is still being typed unless the query ends with a space (or was given in the address).
  const typing = document.activeElement === input && !/\s$/.test(query);
  unreachable = false;
  let found, fixed, counts, shown, using;
  try {
    using = queryWords.length ? engine : await listingEngine();
    found = await find(using, queryWords, filters, typing);
    fixed = null;
    if (!found.ranked.length && queryWords.length) {
      const proposal = await suggestion(queryWords);
      fixed = proposal && proposal.text;
      if (proposal && proposal.results) found = await find(engine, words(fixed), filters, false);
    }
    counts = await using.counts(found.primary, filters);
    shown = await using.show(found.ranked.slice(0, SHOWN));
  } catch (error) {
    unreachable = true; // Pagefind could not fetch a file of its index
    found = { ranked: [] };
    console.warn("Yozmot: part of the search index is out of reach", error);
  }
  if (mine !== generation) return;
  if (unreachable && !found.ranked.length) {
    results.replaceChildren();
    statusLine.textContent = OUT_OF_REACH;
    results.dataset.state = "done";
    return;
  }
  const mark = await markedWords(found.lemmas);
  if (mine !== generation) return; // a newer search has started
  updateCounts(counts);
  if (fixed) {
    const link = document.createElement("a");
    link.href = urlFor(fixed);
    link.textContent = fixed;
    link.addEventListener("click", (event) => {
      event.preventDefault();
      input.value = fixed;
      run();
    });
    suggested.replaceChildren("האם התכוונתם ל", link, "?", found.ranked.length ? " התוצאות שלהלן הן בשבילו." : "");
    suggested.hidden = false;
  }
  results.replaceChildren(...shown.map((match) => renderResult(match, mark)));
  current = { ranked: found.ranked, mark, generation: mine, engine: using };
  const total = found.ranked.length;
  showCount();
  emptyHelp.hidden = total !== 0;
  results.dataset.state = "done";
}

// What the current search found, for "more".
let current = null;

function showCount() {
  const total = current ? current.ranked.length : 0;
  const shown = results.children.length;
  statusLine.textContent =
    total === 0 ? "לא נמצאו תוצאות." : total === 1 ? "נמצאה תוצאה אחת." : `נמצאו ${total} תוצאות${total > shown ? `, מוצגות ${shown} הראשונות` : ""}.`;
  moreButton.hidden = total <= shown;
}

let showing = false; // a click on "more" while the last one's results are on their way adds nothing

async function showMore() {
  if (!current || showing) return;
  showing = true;
  try {
    await showNext();
  } finally {
    showing = false;
  }
}

async function showNext() {
  const search = current;
  const from = results.children.length;
  results.dataset.state = "loading";
  const shown = await search.engine.show(search.ranked.slice(from, from + SHOWN));
  if (search !== current) return; // a newer search has started
  const added = shown.map((match) => renderResult(match, search.mark));
  results.append(...added);
  showCount();
  results.dataset.state = "done";
  // The reader goes on from the first new result, not from the top of the page.
  if (added.length) added[0].querySelector("a").focus();
}

// A list by filters alone, without words, comes from the index for pages opened from disk, online too: Pagefind
// answers it by loading every chunk of its index (14 MB at 10,000 entries); these files give the records of each
// facet value (filters.js) and, for the ten shown, their texts. The order is the same: the build's.
let listing = null;
function listingEngine() {
  listing = listing || fallbackEngine();
  return listing;
}

let timer = null;
function soon() {
  clearTimeout(timer);
  timer = setTimeout(run, 250);
}

async function chooseEngine() {
  if (window.location.protocol !== "file:") {
    try {
      return await pagefindEngine();
    } catch (error) {
      console.warn("Pagefind is not available here; searching the built-in index instead.", error);
    }
  }
  return fallbackEngine();
}

async function start() {
  readUrl();
  if (window.matchMedia(ROOM_FOR_FILTERS).matches) filtersBox.open = true;
  showActiveFilters();
  try {
    engine = await chooseEngine();
  } catch (error) {
    statusLine.textContent = "החיפוש אינו זמין כרגע.";
    results.dataset.state = "done";
    throw error;
  }
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    clearTimeout(timer);
    run();
  });
  input.addEventListener("input", soon);
  moreButton.addEventListener("click", showMore);
  for (const facet of FACETS) selects[facet].addEventListener("change", run);
  await run();
  if (!input.value) input.focus();
}

window.kbSearch = { words, queryLemmas };
start();
})();
