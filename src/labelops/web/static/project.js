// The project dashboard: progress refreshed by polling, and a confirmation before delivering.
(() => {
  "use strict";

  for (const form of document.querySelectorAll("form[data-confirm]")) {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  }

  const section = document.getElementById("progress");
  if (!section) return;
  const url = section.dataset.progressUrl;
  const every = Number(section.dataset.pollSeconds || 5) * 1000;

  function setBar(items) {
    const total = items.total || 0;
    for (const seg of section.querySelectorAll("[data-seg]")) {
      const value = items[seg.dataset.seg] || 0;
      seg.style.width = total ? `${(100 * value) / total}%` : "0";
      seg.title = `${seg.dataset.seg}: ${value}`;
    }
  }

  function fromDataset() {
    const items = { total: 0 };
    for (const seg of section.querySelectorAll("[data-seg]")) {
      items[seg.dataset.seg] = Number(seg.dataset.value || 0);
      items.total += items[seg.dataset.seg];
    }
    return items;
  }

  function setField(name, value) {
    for (const field of section.querySelectorAll(`[data-field="${name}"]`)) {
      const text = String(value);
      if (field.textContent !== text) {
        field.textContent = text;
        field.classList.add("is-updated");
        setTimeout(() => field.classList.remove("is-updated"), 1500);
      }
    }
  }

  function cell(text, kind) {
    const td = document.createElement("td");
    if (kind === "num") td.className = "num";
    if (kind === "lang") {
      const badge = document.createElement("span");
      badge.className = "lang";
      badge.textContent = text;
      td.appendChild(badge);
    } else {
      td.textContent = text;
    }
    return td;
  }

  function fillTable(name, rows, columns, emptyText) {
    const body = section.querySelector(`[data-table="${name}"]`);
    if (!body) return;
    const fresh = rows.map((row) => {
      const tr = document.createElement("tr");
      for (const [value, kind] of columns(row)) tr.appendChild(cell(value, kind));
      return tr;
    });
    if (fresh.length === 0) {
      const tr = document.createElement("tr");
      tr.className = "empty-row";
      const td = cell(emptyText, "");
      td.colSpan = body.closest("table").querySelectorAll("th").length;
      tr.appendChild(td);
      fresh.push(tr);
    }
    body.replaceChildren(...fresh);
  }

  function seconds(ms) {
    return ms === null || ms === undefined ? "—" : `${(ms / 1000).toFixed(1)} s`;
  }

  function update(progress) {
    setBar(progress.items);
    for (const key of ["total", "done", "leased", "queued"]) setField(`items.${key}`, progress.items[key]);
    const pct = progress.items.total ? Math.round((100 * progress.items.done) / progress.items.total) : 0;
    setField("percent_done", `${pct}% done`);
    setField("annotations", progress.annotations);
    setField("skips", progress.skips);
    setField("active_labelers", progress.active_labelers);
    const asOf = new Date(progress.as_of);
    for (const time of section.querySelectorAll('[data-field="as_of"]')) {
      time.dateTime = progress.as_of;
      time.textContent = `${asOf.toISOString().slice(11, 19)} UTC`;
    }
    fillTable(
      "by_language",
      progress.by_language,
      (row) => [
        [row.language, "lang"],
        [row.done, "num"],
        [row.leased, "num"],
        [row.queued, "num"],
        [row.total, "num"],
      ],
      "No items yet",
    );
    fillTable(
      "labelers",
      progress.labelers,
      (row) => [
        [row.username, ""],
        [row.vendor || "—", ""],
        [row.annotations, "num"],
        [seconds(row.mean_duration_ms), "num"],
      ],
      "No annotations yet",
    );
  }

  let timer = 0;
  async function poll() {
    clearTimeout(timer);
    try {
      const response = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
      if (response.status === 401) {
        window.location.assign(`/login?next=${encodeURIComponent(window.location.pathname)}`);
        return;
      }
      if (response.ok) update(await response.json());
    } catch {
      // offline for a moment: the next round tries again
    }
    if (!document.hidden) timer = setTimeout(poll, every);
  }

  document.addEventListener("visibilitychange", () => {
    if (!document.hidden) poll();
    else clearTimeout(timer);
  });
  setBar(fromDataset());
  timer = setTimeout(poll, every);
})();
