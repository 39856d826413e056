// Yozmot search page: Pagefind with Hebrew-aware queries, facets and deep links.
//
// The index holds, for every page, the plain forms of its words (generator/hebrew.py).
// This script reduces the query to the same forms with the same rules (read from
// #kb-search-rules, written by the generator), so one Pagefind search finds
// "לרשויות" for "רשויות" and "רשויות" for "ברשויות".
//
// Contract for automation: results are <a> elements, in rank order, inside
// #search-results, which gets data-state="done" once the current query's results
// are shown (also when there are none).
//
// Served over http(s), the engine is Pagefind.  Opened from disk (file://), where
// browsers refuse Pagefind's module and fetches, the engine is pagefind/fallback.js,
// the same records and word forms as a classic script.  Both give their matches to
// one ranking (rank() below), so the same query shows the same results either way.
// This is a classic script, not a module, for the same reason.

(function () {
"use strict";

const FACETS = ["kind", "topic", "population", "authority", "context", "status"];
const SHOWN = 20; // results rendered per search
const EXCERPT_WORDS = 28;

const rules = JSON.parse(document.getElementById("kb-search-rules").textContent);
const protectedWords = new Set(rules.protected);
const NIQQUD = /[\u0591-\u05BD\u05BF\u05C1\u05C2\u05C4\u05C5\u05C7]/g;
const QUOTES = /["'`\u05F3\u05F4\u2018\u2019\u201C\u201D]/g;
const JOINER_CLASS = `[${rules.joiners.replace(/[-\\\]^]/g, "\\$&")}]`;
const WORD = new RegExp(`[\u05D0-\u05EA]+(?:${JOINER_CLASS}[\u05D0-\u05EA]+)*|[A-Za-z0-9]+`, "g");
const JOINERS = new RegExp(JOINER_CLASS);

// --- Hebrew forms: the same rules as generator/hebrew.py -------------------------

function clean(text) {
  return text.replace(NIQQUD, "").replace(QUOTES, "");
}

function fold(word) {
  return word.replace(/[ךםןףץ]/g, (c) => rules.finals[c]).toLowerCase();
}

function tokens(text) {
  const out = [];
  for (const match of clean(text).matchAll(WORD)) {
    const parts = match[0].split(JOINERS);
    if (parts.length > 1) {
      out.push(...parts.map(fold), fold(parts.join("")));
    } else {
      out.push(fold(match[0]));
    }
  }
  return out;
}

function blocked(word, prefix) {
  for (let cut = 0; cut < prefix.length; cut++) {
    if (protectedWords.has(word.slice(cut))) return true;
  }
  return false;
}

function stems(word) {
  const found = new Set();
  for (const prefix of rules.safe) {
    if (!word.startsWith(prefix) || blocked(word, prefix)) continue;
    let rest = word.slice(prefix.length);
    if (rest.startsWith("וו")) rest = rest.slice(1);
    if (rest.length >= rules.minStem) found.add(rest);
  }
  return found;
}

function shortest(forms) {
  return [...forms].sort((a, b) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0))[0];
}

function queryForms(query) {
  return tokens(query).map((word) => shortest(new Set([word, ...stems(word)])));
}

// A second try, when the query as typed finds nothing: also a lone מ, ש or כ is taken for a
// prefix ("מקריית שמונה", "מבאר שבע").  Not the first try: "מעלות" must not find "עלות".
function looseForms(query) {
  return tokens(query).map((word) => {
    const found = new Set([word, ...stems(word)]);
    for (const prefix of rules.evidence) {
      if (word.startsWith(prefix) && !blocked(word, prefix) && word.length - prefix.length >= rules.minStem) {
        found.add(word.slice(prefix.length));
      }
    }
    return shortest(found);
  });
}

// A last try for a pointed query that finds nothing: the pages spell words in full, so hiriq is
// written as yod, holam and qubuts as vav, and (in some words only, so after that) tsere as yod.
const POINTED_LETTER = /([\u05D0-\u05EA])([\u0591-\u05C7]*)(?=([\u05D0-\u05EA])?)/g;

function fullSpelling(text, tsere) {
  const letters = tsere ? { ...rules.fullSpelling, [rules.tsere]: "י" } : rules.fullSpelling;
  return text.replace(POINTED_LETTER, (whole, letter, points, following) => {
    for (const [point, added] of Object.entries(letters)) {
      if (points.includes(point) && added !== letter && added !== (following || "")) return letter + points + added;
    }
    return whole;
  });
}

function fullSpellingForms(query) {
  const tried = [queryForms(query).join(" ")];
  const out = [];
  for (const tsere of [false, true]) {
    const forms = queryForms(fullSpelling(query, tsere));
    if (!tried.includes(forms.join(" "))) {
      tried.push(forms.join(" "));
      out.push(forms);
    }
  }
  return out;
}

// Pagefind 1.5 backs off to shorter prefixes when a term matches nothing ("שרד" finds "שר"),
// which would turn precise Hebrew queries into false hits.  A result is kept only if
// every form of the query begins one of the page's own plain forms.
function verified(data, forms) {
  const words = (data.meta.variants || "").split(" ");
  for (const token of tokens(data.content || "")) words.push(token);
  return forms.every((f) => words.some((w) => w.startsWith(f)));
}

function countFilters(datas) {
  const counts = {};
  for (const data of datas) {
    for (const [facet, values] of Object.entries(data.filters || {})) {
      counts[facet] = counts[facet] || {};
      for (const value of values) counts[facet][value] = (counts[facet][value] || 0) + 1;
    }
  }
  return counts;
}

// Does a word of the page match one of the query's forms (as a prefix, like Pagefind)?
function matches(word, forms) {
  const candidates = [];
  for (const token of tokens(word)) candidates.push(token, ...stems(token));
  return candidates.some((c) => forms.some((f) => c.startsWith(f)));
}

// --- page ----------------------------------------------------------------------

const form = document.getElementById("kb-search-form");
const input = document.getElementById("kb-q");
const selects = Object.fromEntries(FACETS.map((f) => [f, document.getElementById(`kb-f-${f}`)]));
const statusLine = document.getElementById("kb-search-status");
const emptyHelp = document.getElementById("kb-search-empty");
const results = document.getElementById("search-results");
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

function writeUrl() {
  const params = new URLSearchParams();
  if (input.value.trim()) params.set("q", input.value.trim());
  for (const facet of FACETS) if (selects[facet].value) params.set(facet, selects[facet].value);
  const query = params.toString();
  const url = window.location.pathname + (query ? `?${query}` : "");
  if (url !== window.location.pathname + window.location.search) window.history.replaceState(null, "", url);
}

function chosenFilters() {
  const filters = {};
  for (const facet of FACETS) if (selects[facet].value) filters[facet] = selects[facet].value;
  return filters;
}

function updateCounts(counts) {
  for (const facet of FACETS) {
    const known = (counts && counts[facet]) || {};
    for (const option of selects[facet].options) {
      if (!option.value) continue;
      const count = known[option.value] || 0;
      option.textContent = `${option.dataset.label} (${count})`;
    }
  }
}

function excerpt(content, forms) {
  const words = content.split(/\s+/);
  let hit = forms.length ? words.findIndex((w) => matches(w, forms)) : -1;
  const start = Math.max(0, (hit < 0 ? 0 : hit) - Math.floor(EXCERPT_WORDS / 3));
  const paragraph = document.createElement("p");
  paragraph.className = "kb-result-excerpt";
  if (start > 0) paragraph.append("… ");
  words.slice(start, start + EXCERPT_WORDS).forEach((word, i) => {
    if (i) paragraph.append(" ");
    if (forms.length && matches(word, forms)) {
      const mark = document.createElement("mark");
      mark.textContent = word;
      paragraph.append(mark);
    } else {
      paragraph.append(word);
    }
  });
  if (start + EXCERPT_WORDS < words.length) paragraph.append(" …");
  return paragraph;
}

function kindLabel(kind) {
  const option = [...selects.kind.options].find((o) => o.value === kind);
  return option ? option.dataset.label : "";
}

function renderResult(match, forms) {
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
  item.append(heading, kind, excerpt(match.content, forms));
  return item;
}

// --- engines: each returns every match as {url, title, kind, forum, content, filters} ----

const MAX_RANKED = 300; // matches loaded and ranked per search

const pagefindEngine = (pagefind) => async (forms, filters) => {
  const search = await pagefind.search(forms.length ? forms.join(" ") : null, { filters });
  const all = search.results;
  const loaded = await Promise.all(all.slice(0, MAX_RANKED).map((r) => r.data()));
  const kept = loaded.filter((data) => !forms.length || verified(data, forms));
  const rejected = loaded.length - kept.length;
  const matches = kept.map((data) => ({
    url: data.url.replace(/^\//, ""), // relative: the site works under any path and from a folder
    title: data.meta.title || data.url,
    kind: data.meta.kind || "",
    forum: data.meta.forum || "",
    content: data.content || "",
    filters: data.filters || {},
  }));
  // Unless something was rejected, Pagefind's own counts are exact.
  return {
    matches,
    total: rejected ? matches.length : all.length,
    counts: rejected ? countFilters(matches) : search.filters,
  };
};

function hasPrefix(sorted, form) {
  // sorted: the record's word forms in code-unit order; is any of them form + something?
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (sorted[mid] < form) low = mid + 1;
    else high = mid;
  }
  return low < sorted.length && sorted[low].startsWith(form);
}

const fallbackEngine = (records) => async (forms, filters) => {
  const matches = records.filter(
    (record) =>
      Object.entries(filters).every(([facet, value]) => (record.filters[facet] || []).includes(value)) &&
      forms.every((form) => hasPrefix(record.forms, form)),
  );
  return { matches, total: matches.length, counts: countFilters(matches) };
};

function loadFallback() {
  return new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = "pagefind/fallback.js";
    script.onload = () => resolve(window.KB_SEARCH_FALLBACK);
    script.onerror = () => reject(new Error("the search index could not be loaded"));
    document.head.append(script);
  });
}

// --- one ranking for both engines --------------------------------------------------

function wordForms(text) {
  const out = [];
  for (const token of tokens(text)) out.push(token, ...stems(token));
  return out;
}

function rank(matches, forms) {
  const scored = matches.map((match) => {
    let score = 0;
    if (forms.length) {
      const title = wordForms(match.title);
      const content = wordForms(match.content);
      for (const form of forms) {
        if (title.some((w) => w.startsWith(form))) score += 10; // the title weighs most
        score += Math.min(5, content.filter((w) => w.startsWith(form)).length);
      }
    }
    return { match, score };
  });
  scored.sort((a, b) => b.score - a.score || a.match.title.localeCompare(b.match.title, "he") || (a.match.url < b.match.url ? -1 : 1));
  return scored.map((s) => s.match);
}

// --- searching ---------------------------------------------------------------------

let engine = null;

async function run() {
  const mine = ++generation;
  writeUrl();
  const query = input.value.trim();
  const filters = chosenFilters();
  results.dataset.state = "loading";
  emptyHelp.hidden = true;
  if (!query && !Object.keys(filters).length) {
    results.replaceChildren();
    updateCounts(null);
    statusLine.textContent = "כתבו מילה לחיפוש, או בחרו נושא, אוכלוסייה או רשות.";
    results.dataset.state = "done";
    return;
  }
  let forms = queryForms(query);
  let found = await engine(forms, filters);
  const loose = looseForms(query);
  if (found.total === 0 && loose.join(" ") !== forms.join(" ")) {
    forms = loose;
    found = await engine(forms, filters);
  }
  for (const spelled of found.total === 0 ? fullSpellingForms(query) : []) {
    forms = spelled;
    found = await engine(forms, filters);
    if (found.total > 0) break;
  }
  if (mine !== generation) return; // a newer search has started
  const ranked = rank(found.matches, forms);
  updateCounts(found.counts);
  results.replaceChildren(...ranked.slice(0, SHOWN).map((match) => renderResult(match, forms)));
  const total = found.total;
  statusLine.textContent =
    total === 0 ? "לא נמצאו תוצאות." : total === 1 ? "נמצאה תוצאה אחת." : `נמצאו ${total} תוצאות${total > SHOWN ? `, מוצגות ${SHOWN} הראשונות` : ""}.`;
  emptyHelp.hidden = total !== 0;
  results.dataset.state = "done";
}

let timer = null;
function soon() {
  clearTimeout(timer);
  timer = setTimeout(run, 250);
}

async function chooseEngine() {
  if (window.location.protocol !== "file:") {
    try {
      const pagefind = await import(new URL("pagefind/pagefind.js", document.baseURI).href);
      await pagefind.options({ excerptLength: EXCERPT_WORDS });
      await pagefind.init();
      return pagefindEngine(pagefind);
    } catch (error) {
      console.warn("Pagefind is not available here; searching the built-in index instead.", error);
    }
  }
  return fallbackEngine(await loadFallback());
}

async function start() {
  readUrl();
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
  for (const facet of FACETS) selects[facet].addEventListener("change", run);
  await run();
  if (!input.value) input.focus();
}

window.kbSearch = { queryForms, fullSpellingForms };
start();
})();
