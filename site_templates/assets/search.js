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

const FACETS = ["kind", "topic", "population", "authority", "context", "status"];
const SHOWN = 20; // results rendered per search
const MAX_VERIFIED = 1000; // results checked one by one when Pagefind's backing off let some through
const EXCERPT_WORDS = 28;

const rules = JSON.parse(document.getElementById("kb-search-rules").textContent);
const protectedWords = new Set(rules.protected);
const NIQQUD = /[\u0591-\u05BD\u05BF\u05C1\u05C2\u05C4\u05C5\u05C7]/g;
const QUOTES = /["'`\u05F3\u05F4\u2018\u2019\u201C\u201D]/g;
const WORD = /[\u05D0-\u05EA]+(?:[\u05BE-][\u05D0-\u05EA]+)*|[A-Za-z0-9]+/g;
const JOINERS = /[\u05BE-]/;

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

export function queryForms(query) {
  return tokens(query).map((word) => shortest(new Set([word, ...stems(word)])));
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
let pagefind = null;
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

function renderResult(data, forms) {
  const item = document.createElement("article");
  item.className = "kb-result";
  const heading = document.createElement("h2");
  const link = document.createElement("a");
  link.href = data.url.replace(/^\//, ""); // relative: the site works under any path and from a folder
  link.textContent = data.meta.title || data.url;
  heading.append(link);
  const kind = document.createElement("p");
  kind.className = "kb-result-kind";
  kind.textContent = kindLabel(data.meta.kind) + (data.meta.forum ? ` · ${data.meta.forum}` : "");
  item.append(heading, kind, excerpt(data.content || "", forms));
  return item;
}

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
  const forms = queryForms(query);
  const search = await pagefind.search(forms.length ? forms.join(" ") : null, { filters });
  if (mine !== generation) return; // a newer search has started
  const all = search.results;
  const kept = [];
  let checked = 0;
  let rejected = 0;
  const take = async (count) => {
    const batch = all.slice(checked, checked + count);
    checked += batch.length;
    for (const data of await Promise.all(batch.map((r) => r.data()))) {
      if (!forms.length || verified(data, forms)) kept.push(data);
      else rejected += 1;
    }
  };
  await take(SHOWN);
  while (checked < all.length && (kept.length < SHOWN || (rejected && checked < MAX_VERIFIED))) await take(SHOWN * 2);
  if (mine !== generation) return;
  // Unless something was rejected, Pagefind's own counts are exact.
  const total = rejected ? kept.length : all.length;
  updateCounts(rejected ? countFilters(kept) : search.filters);
  results.replaceChildren(...kept.slice(0, SHOWN).map((data) => renderResult(data, forms)));
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

async function start() {
  readUrl();
  try {
    pagefind = await import(new URL("pagefind/pagefind.js", document.baseURI).href);
    await pagefind.options({ excerptLength: EXCERPT_WORDS });
    await pagefind.init();
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
  window.addEventListener("popstate", () => {
    readUrl();
    run();
  });
  await run();
  if (!input.value) input.focus();
}

start();
