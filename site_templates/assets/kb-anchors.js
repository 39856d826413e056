// Yozmot: a link shared before section ids were made from the words alone still leads to its section. Such
// an address carried the section's count (outcomes.html#פתוח-4); the section is now #פתוח, whatever its count.
// The address is put right too, so that a link shared again from here lasts.
(() => {
  const follow = () => {
    const wanted = decodeURIComponent(location.hash.slice(1));
    if (!wanted || document.getElementById(wanted)) return;
    const counted = /^(.+)-\d+$/.exec(wanted);
    const section = counted && document.getElementById(counted[1]);
    if (!section) return;
    history.replaceState(null, "", `#${encodeURIComponent(section.id)}`);
    section.scrollIntoView();
  };
  follow();
  window.addEventListener("hashchange", follow);
})();
