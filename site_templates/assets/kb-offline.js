// Yozmot: keep the site readable offline after a first visit, and say so when the browser cannot.
//
// Registers sw.js (written by the build, offline.py) and reports the outcome on <html> as
// data-kb-offline="ready" or "failed"; a failure also goes to the console with its reason and gets a
// short note at the end of the footer, so it is never silent. A file of its own, not an inline
// script: the site's Content-Security-Policy allows scripts from the site only.
(function () {
  "use strict";

  // Opened from disk (file://) browsers have no service worker for the page: register nothing.
  if (!("serviceWorker" in navigator) || !location.protocol.startsWith("http")) return;

  var NOTE = "שמירת האתר לשימוש ללא רשת נכשלה בדפדפן זה; העמודים ייטענו מהרשת.";
  var root = document.documentElement;
  // sw.js sits at the top of the site, one folder above this file, whatever the depth of the page.
  var workerUrl = new URL("../sw.js", document.currentScript.src).href;
  var watched = null;

  function ready() {
    if (root.dataset.kbOffline !== "failed") root.dataset.kbOffline = "ready";
  }

  function fail(reason) {
    console.error("Yozmot: the site could not be saved for offline use:", reason);
    if (root.dataset.kbOffline === "failed") return;
    root.dataset.kbOffline = "failed";
    var note = document.createElement("p");
    note.className = "kb-offline-failed";
    note.setAttribute("role", "status");
    note.textContent = NOTE;
    var footer = document.querySelector(".md-footer-meta .md-copyright") || document.querySelector("footer") || document.body;
    footer.appendChild(note);
  }

  // A new worker either activates, or is dropped as "redundant" before that: its install failed.
  function watch(worker) {
    if (!worker || worker === watched) return; // the first install is both pending and an "updatefound"
    watched = worker;
    var activated = worker.state === "activated";
    if (activated) ready();
    worker.addEventListener("statechange", function () {
      if (worker.state === "activated") {
        activated = true;
        ready();
      } else if (worker.state === "redundant" && !activated) {
        fail(new Error("the new service worker was dropped before it activated"));
      }
    });
  }

  // The worker tells the open pages why its install failed (the reason the page cannot see itself).
  navigator.serviceWorker.addEventListener("message", function (event) {
    if (event.data && event.data.kbOffline === "failed") fail(event.data.reason);
  });
  navigator.serviceWorker.startMessages();

  navigator.serviceWorker.register(workerUrl).then(function (registration) {
    // A browser that blocks service workers (a policy, a test harness) answers with no registration.
    if (!registration) return fail(new Error("the browser registered no service worker"));
    var pending = registration.installing || registration.waiting;
    if (pending) watch(pending);
    else if (registration.active) ready();
    registration.addEventListener("updatefound", function () {
      watch(registration.installing);
    });
  }, fail);
})();

// --- "שמירת האתר לשימוש ללא רשת": the rest of the site into the worker's cache, on request ------------
// The home page has the panel (#kb-save). offline.json lists every file the site may load offline, with
// its size and a hash; the worker's cache already holds the shell and what the reader opened. The panel
// shows what is left and its size, downloads it with a progress bar, stops and resumes (what is saved
// stays saved), and frees the space again (all but the shell).
(function () {
  "use strict";

  var panel = document.getElementById("kb-save");
  if (!panel || !("caches" in window) || !("serviceWorker" in navigator) || !location.protocol.startsWith("http")) return;

  var root = new URL("../", document.currentScript.src); // this file is in assets/, one folder below the top
  var status = document.getElementById("kb-save-status");
  var bar = document.getElementById("kb-save-progress");
  var start = document.getElementById("kb-save-start");
  var stop = document.getElementById("kb-save-stop");
  var clear = document.getElementById("kb-save-clear");
  var PARALLEL = 6;
  var list = null;
  var running = false;

  function megabytes(bytes) {
    return (bytes / 1e6).toLocaleString("he-IL", { minimumFractionDigits: 1, maximumFractionDigits: 1 }) + " מ״ב";
  }

  function address(path) {
    return new URL(path, root).href;
  }

  // The worker's cache; after an update, the new version's (never opened by name before it exists: that would
  // make an empty cache the worker does not know).
  async function cache() {
    if (!(await caches.has("yozmot-" + list.version))) {
      list = await fetch(address("offline.json"), { cache: "no-cache" }).then(function (response) { return response.json(); });
      if (!(await caches.has("yozmot-" + list.version))) throw new Error("the site's worker has no cache yet");
    }
    return caches.open("yozmot-" + list.version);
  }

  // [saved, missing] files of offline.json, by what the cache holds.
  async function survey() {
    var store = await cache();
    var saved = [];
    var missing = [];
    for (var from = 0; from < list.files.length; from += 200) {
      var batch = list.files.slice(from, from + 200);
      var hits = await Promise.all(batch.map(function (file) { return store.match(address(file[0])); }));
      batch.forEach(function (file, index) { (hits[index] ? saved : missing).push(file); });
    }
    return [saved, missing];
  }

  function total(files) {
    return files.reduce(function (sum, file) { return sum + file[1]; }, 0);
  }

  async function show() {
    var found = await survey();
    var all = total(list.files);
    var left = total(found[1]);
    start.hidden = running || found[1].length === 0;
    stop.hidden = !running;
    clear.hidden = running || found[0].length <= list.shell;
    start.textContent = "שמירת האתר (" + megabytes(left) + ")";
    status.textContent = found[1].length === 0
      ? "כל האתר שמור במכשיר הזה (" + megabytes(all) + ") וזמין גם בלי רשת."
      : "שמורים במכשיר " + megabytes(all - left) + " מתוך " + megabytes(all) + ". הדפים שפתחתם זמינים גם בלי רשת; שמירת האתר כולו מורידה עוד " + megabytes(left) + ".";
    return found;
  }

  async function save() {
    running = true;
    try {
      await saveAll();
    } finally {
      running = false;
    }
  }

  async function saveAll() {
    var found = await show();
    var missing = found[1];
    var all = total(list.files);
    var done = all - total(missing);
    var store = await cache();
    var failed = null;
    bar.hidden = false;
    bar.max = all;
    bar.value = done;
    if (navigator.storage && navigator.storage.persist) navigator.storage.persist();
    var next = 0;
    async function worker() {
      while (running && !failed && next < missing.length) {
        var file = missing[next++];
        try {
          var response = await fetch(address(file[0]), { cache: "reload" });
          if (!response.ok) throw new Error(file[0] + ": " + response.status);
          await store.put(address(file[0]), response);
        } catch (error) {
          failed = error;
          return;
        }
        done += file[1];
        bar.value = done;
        status.textContent = "נשמרו " + megabytes(done) + " מתוך " + megabytes(all) + "…";
      }
    }
    var workers = [];
    for (var i = 0; i < PARALLEL; i++) workers.push(worker());
    await Promise.all(workers);
    var stopped = !running;
    running = false;
    bar.hidden = true;
    await show();
    if (failed) {
      console.error("Yozmot: saving the site stopped:", failed);
      status.textContent += " השמירה נעצרה (אין חיבור לרשת, או שהמכשיר מלא). אפשר להמשיך מאותה נקודה.";
    } else if (stopped) {
      status.textContent += " השמירה נעצרה; אפשר להמשיך מאותה נקודה.";
    }
  }

  async function free() {
    var store = await cache();
    var keep = new Set(list.files.slice(0, list.shell).map(function (file) { return address(file[0]); }));
    keep.add(address("offline.json"));
    keep.add(address("./")); // the shell's top of the site, as the worker precaches it
    var keys = await store.keys();
    await Promise.all(keys.filter(function (request) { return !keep.has(request.url); }).map(function (request) { return store.delete(request); }));
    await show();
    status.textContent += " המקום פונה.";
  }

  // The list of files (about 130 bytes an entry) is read only when the reader asks: a visit never pays for it.
  async function open() {
    if (!list) {
      status.textContent = "בודקים כמה מקום האתר תופס…";
      await navigator.serviceWorker.ready;
      list = await fetch(address("offline.json"), { cache: "no-cache" }).then(function (response) { return response.json(); });
    }
    await show();
  }

  start.addEventListener("click", function () {
    if (running) return;
    if (!list) open().catch(broken);
    else save().catch(broken);
  });
  stop.addEventListener("click", function () { running = false; });
  clear.addEventListener("click", function () { if (!running) free().catch(broken); });

  function broken(error) {
    running = false;
    console.error("Yozmot: the site cannot be saved for offline use here:", error);
    status.textContent = "לא ניתן לשמור את האתר בדפדפן הזה.";
  }

  // A new version of the site took over: what is saved is the new worker's to say.
  navigator.serviceWorker.addEventListener("controllerchange", function () {
    if (list && !running) show().catch(broken);
  });

  navigator.serviceWorker.ready.then(function () {
    status.textContent = "הדפים שפתחתם זמינים גם בלי רשת. אפשר לשמור את כל האתר במכשיר הזה, לשימוש בלי רשת.";
    start.textContent = "שמירת האתר…";
    panel.hidden = false;
  });
})();
