// Yozmot's preview (kb serve) adds this script to every page it serves; the published site never has it.
// After a good rebuild the page reloads itself; after a failed one it shows the problems in place of the page,
// as `kb check` prints them, until a rebuild succeeds.
(() => {
  // The rebuild the page was served from (the server writes it here), so that one made since is not missed.
  const seen = Number(document.currentScript.dataset.generation);
  let shown = null;

  function showProblems(status) {
    if (!shown) {
      shown = document.createElement("section");
      shown.id = "kb-preview-problems";
      shown.setAttribute("role", "alert");
      shown.setAttribute("dir", "rtl");
      shown.className = "md-typeset";
      const main = document.querySelector(".md-content") || document.body;
      main.replaceChildren(shown);
    }
    const heading = document.createElement("h1");
    heading.textContent = `בתוכן יש ${status.problems.length === 1 ? "בעיה אחת" : `${status.problems.length} בעיות`}: הדף יתעדכן מעצמו כשיתוקנו`;
    const list = document.createElement("ol");
    for (const problem of status.problems) {
      const item = document.createElement("li");
      const code = document.createElement("code");
      code.setAttribute("dir", "ltr");
      code.textContent = problem;
      item.append(code);
      list.append(item);
    }
    const took = document.createElement("p");
    took.textContent = `הבדיקה ארכה ${status.took} שניות.`;
    shown.replaceChildren(heading, list, took);
  }

  async function ask() {
    try {
      const response = await fetch("/__kb/status", { cache: "no-store" });
      const status = await response.json();
      if (status.problems.length) showProblems(status);
      else if (status.generation !== seen || shown) location.reload();
    } catch {
      // The preview stopped or restarts: ask again later.
    }
    setTimeout(ask, 500);
  }
  ask();
})();
