// SignalCraft's only script, and everything works without it: it reports the browser's time zone (so times show in
// the viewer's zone), keeps "select all" and the selection count, and refreshes an open inbox when the workspace's
// groups change, by asking the server (which reads the database) every few seconds.
(() => {
  "use strict";

  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (zone && !document.cookie.split("; ").includes("signalcraft.tz=" + encodeURIComponent(zone))) {
    document.cookie = "signalcraft.tz=" + encodeURIComponent(zone) + "; path=/; max-age=31536000; samesite=lax";
  }

  // On a phone the filters fold away (one tap opens them) unless some are on; without the script they stay open.
  const filters = document.querySelector("details.filter-box");
  if (filters && filters.dataset.active !== "yes" && matchMedia("(max-width: 720px)").matches) filters.open = false;

  const table = document.getElementById("inbox");
  if (!table) return;
  const rows = document.getElementById("inbox-rows");
  const all = document.getElementById("pick-all");
  const counter = document.getElementById("selected-count");

  const picked = () => [...rows.querySelectorAll("input[name=ids]:checked")];
  const showCount = () => {
    const n = picked().length;
    counter.textContent = n === 0 ? "Select rows to act on several at once." : n + " selected";
  };
  all.addEventListener("change", () => {
    rows.querySelectorAll("input[name=ids]").forEach(box => { box.checked = all.checked; });
    showCount();
  });
  rows.addEventListener("change", showCount);

  if (table.dataset.live !== "on") return;
  const every = Number(table.dataset.pollMs) || 3000;
  let busy = false;

  async function poll() {
    if (busy || document.hidden) return;
    busy = true;
    try {
      const query = table.dataset.query ? "&" + table.dataset.query : "";
      const answer = await fetch("/inbox/live?mark=" + encodeURIComponent(table.dataset.mark) + query,
        { headers: { "Accept": "text/html" }, credentials: "same-origin" });
      if (answer.status === 200) {
        const keep = new Set(picked().map(box => box.value));
        const before = new Map([...rows.querySelectorAll("tr[data-id]")].map(tr => [tr.dataset.id, tr.textContent]));
        rows.innerHTML = await answer.text();
        rows.querySelectorAll("tr[data-id]").forEach(tr => {
          const box = tr.querySelector("input[name=ids]");
          if (box && keep.has(box.value)) box.checked = true;
          if (before.get(tr.dataset.id) !== tr.textContent) tr.classList.add("fresh");
        });
        table.dataset.mark = answer.headers.get("X-Inbox-Mark") || table.dataset.mark;
        showCount();
      } else if (answer.redirected || answer.status === 401) {
        location.reload(); // signed out or removed: let the server say where to go
      }
    } catch {
      // offline for a moment: the next tick tries again
    } finally {
      busy = false;
    }
  }
  setInterval(poll, every);
  document.addEventListener("visibilitychange", poll);
})();
