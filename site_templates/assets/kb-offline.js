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
