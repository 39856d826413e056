// Yozmot: the outcomes tracker's filters. The page lists every outcome by status (and the late ones first);
// with a filter in its address (outcomes.html?owner=ministry-of-education&overdue=1) it shows only the outcomes
// that match, read from data/tracker.js, a classic script: it loads from a folder on disk too, where browsers
// refuse fetch(). Each filter offers the values some outcome has, with how many match the other filters.
(() => {
  const form = document.getElementById("kb-tracker-form");
  if (!form) return;
  const results = document.getElementById("kb-tracker-results");
  const status = document.getElementById("kb-tracker-status");
  const more = document.getElementById("kb-tracker-more");
  const lists = document.getElementById("kb-tracker-lists");
  const details = document.getElementById("kb-filters");
  const counter = document.getElementById("kb-filters-count");
  const selects = [...form.querySelectorAll("select[data-filter]")];
  const late = document.getElementById("kb-t-overdue");
  const PAGE = 50;
  // A row: address, title, forum, owner, due as shown, status, kind, late (1), authorities, topics.
  const TESTS = {
    status: (row, value) => row[5] === value,
    owner: (row, value) => row[3] === value,
    forum: (row, value) => row[2] === value,
    authority: (row, value) => row[8].includes(value),
    topic: (row, value) => row[9].includes(value),
    kind: (row, value) => row[6] === value,
    overdue: (row) => row[7] === 1,
  };
  let data = null;
  let shown = 0;
  let matching = [];

  const wanted = () => {
    const chosen = {};
    for (const select of selects) if (select.value) chosen[select.dataset.filter] = select.value;
    if (late.checked) chosen.overdue = "1";
    return chosen;
  };

  const passes = (row, chosen, except) =>
    Object.entries(chosen).every(([name, value]) => name === except || TESTS[name](row, value));

  function fill(chosen) {
    for (const select of selects) {
      const name = select.dataset.filter;
      const counts = new Map();
      for (const row of data.rows) {
        if (!passes(row, chosen, name)) continue;
        const values = name === "authority" ? row[8] : name === "topic" ? row[9] : [row[{ status: 5, owner: 3, forum: 2, kind: 6 }[name]]];
        for (const value of values) if (value) counts.set(value, (counts.get(value) || 0) + 1);
      }
      const keep = select.value;
      const names = data.names[name] || {};
      select.replaceChildren(new Option("הכל", ""));
      // A value the data does not know stays chosen, so that a link shows what it asked for (and that it matches
      // nothing), and the reader can change it.
      if (keep && !Object.hasOwn(names, keep)) select.append(new Option(`${keep} (0)`, keep, true, true));
      for (const [value, label] of Object.entries(names)) {
        const count = counts.get(value) || 0;
        if (!count && value !== keep) continue;
        const option = new Option(`${label} (${count})`, value);
        option.selected = value === keep;
        select.append(option);
      }
    }
    const active = Object.keys(chosen).length;
    counter.textContent = active ? ` (${active === 1 ? "פעיל אחד" : `${active} פעילים`})` : "";
  }

  function cell(label, content) {
    const td = document.createElement("td");
    td.dataset.label = label;
    if (content instanceof Node) td.append(content);
    else td.textContent = content;
    return td;
  }

  function link(href, text) {
    const a = document.createElement("a");
    a.href = href;
    a.textContent = text;
    return a;
  }

  function row(r) {
    const tr = document.createElement("tr");
    const due = document.createDocumentFragment();
    due.append(r[4]);
    if (r[7]) {
      const badge = document.createElement("strong");
      badge.className = "kb-overdue";
      badge.textContent = "באיחור";
      due.append(" ", badge);
    }
    tr.append(
      cell("תוצר", link(r[0], r[1])),
      cell("פורום", data.names.forum[r[2]] || r[2]),
      cell("אחריות", r[3] ? link(data.owner_pages[r[3]], data.names.owner[r[3]]) : ""),
      cell("מועד יעד", due),
      cell("מצב", data.names.status[r[5]]),
    );
    return tr;
  }

  function showMore(event) {
    const body = results.querySelector("tbody");
    const added = matching.slice(shown, shown + PAGE).map(row);
    body.append(...added);
    shown = Math.min(matching.length, shown + PAGE);
    more.hidden = shown >= matching.length;
    // Asked for by the button: the reader goes on from the first new row, not from a button that is gone.
    if (event && added.length) added[0].querySelector("a").focus();
  }

  function apply() {
    const chosen = wanted();
    fill(chosen);
    const filtering = Object.keys(chosen).length > 0;
    for (let e = lists.nextElementSibling; e; e = e.nextElementSibling) if (e.tagName !== "SCRIPT") e.hidden = filtering;
    results.hidden = !filtering;
    more.hidden = true;
    if (!filtering) {
      status.textContent = "";
      return;
    }
    matching = data.rows.filter((r) => passes(r, chosen));
    status.textContent = matching.length
      ? `${matching.length === 1 ? "נמצא תוצר אחד" : `נמצאו ${matching.length} תוצרים`} לפי הסינון.`
      : "לא נמצאו תוצרים לפי הסינון.";
    const table = document.createElement("table");
    table.className = "kb-table";
    const head = table.createTHead().insertRow();
    for (const name of ["תוצר", "פורום", "אחריות", "מועד יעד", "מצב"]) {
      const th = document.createElement("th");
      th.textContent = name;
      head.append(th);
    }
    table.append(document.createElement("tbody"));
    results.replaceChildren(table);
    shown = 0;
    if (matching.length) showMore(null);
  }

  function address() {
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(wanted())) params.set(name, value);
    const query = params.toString();
    history.replaceState(null, "", query ? `?${query}` : location.pathname);
  }

  function load() {
    return new Promise((resolve) => {
      if (window.KB_TRACKER) return resolve(window.KB_TRACKER);
      const script = document.createElement("script");
      script.src = form.dataset.rows;
      script.onload = () => resolve(window.KB_TRACKER || null);
      script.onerror = () => resolve(null);
      document.head.append(script);
    });
  }

  const params = new URLSearchParams(location.search);
  form.hidden = false;
  // Folded on a phone, where the outcomes come first (its summary counts the filters set); open where there is room.
  details.open = window.matchMedia("(min-width: 60em)").matches;
  // The rows grow with the site: they are read only once they are wanted, for a filter in the address or the
  // filters opened, not on every visit to the page.
  const asked = selects.some((select) => params.get(select.dataset.filter)) || params.get("overdue") === "1";
  if (asked || details.open) start();
  else details.addEventListener("toggle", () => details.open && start(), { once: true });

  function start() {
    load().then((loaded) => {
      if (!loaded) {
        status.textContent = "לא ניתן היה לטעון את נתוני הסינון. הרשימות שלמטה מלאות.";
        return;
      }
      data = loaded;
      for (const select of selects) {
        const value = params.get(select.dataset.filter) || "";
        if (value) select.append(new Option(value, value, true, true));  // `fill` gives it its name and count
      }
      late.checked = params.get("overdue") === "1";
      apply();
      for (const control of [...selects, late]) {
        control.addEventListener("change", () => {
          address();
          apply();
        });
      }
      form.addEventListener("submit", (event) => {
        event.preventDefault();
        address();
        apply();
      });
      more.addEventListener("click", showMore);
    });
  }
})();
