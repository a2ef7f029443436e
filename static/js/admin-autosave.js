// Autosave for the article form: every few seconds, if the writing changed, a copy of it is kept on the
// server (articles/autosave.py), never the story itself. A crash, a closed tab or an expired session then
// loses at most those seconds: the form offers the copy back when it is next opened.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const box = document.getElementById("autosave");
  const form = box && box.closest("form");
  if (!form) return;
  const FIELDS = ["kicker", "headline", "slug", "dek", "source_label", "body", "byline_text"];
  const status = box.querySelector(".autosave-status");
  const seconds = Math.max(1, Number(box.dataset.seconds) || 5);
  const value = (name) => {
    const field = form.elements.namedItem(name);
    return field && "value" in field ? field.value : "";
  };
  const snapshot = () => JSON.stringify(FIELDS.map(value));
  let kept = snapshot();
  let busy = false;
  let stopped = false;

  const payload = () => {
    const data = new FormData();
    data.append("csrfmiddlewaretoken", value("csrfmiddlewaretoken"));
    data.append("article", box.dataset.article || "");
    data.append("base_version", value("base_version"));
    for (const name of FIELDS) data.append(name, value(name));
    return data;
  };

  const keep = async () => {
    const now = snapshot();
    if (stopped || busy || now === kept) return;
    busy = true;
    try {
      const response = await fetch(box.dataset.url, {
        method: "POST", body: payload(), credentials: "same-origin", headers: { Accept: "application/json" },
      });
      if (!response.ok) throw new Error(String(response.status));
      const { saved_at: savedAt } = await response.json();
      kept = now;
      const time = new Date(savedAt).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit" });
      status.textContent = `Draft copy kept at ${time}. The story changes only when you save.`;
      status.classList.remove("autosave-failed");
    } catch {
      status.textContent = "Could not keep a draft copy (is your session still open?). Copy your text before leaving.";
      status.classList.add("autosave-failed");
    } finally {
      busy = false;
    }
  };

  setInterval(keep, seconds * 1000);
  form.addEventListener("submit", () => { stopped = true; });
  // Leaving the page (closing the tab, navigating away): one last copy, if anything is new.
  window.addEventListener("pagehide", () => {
    if (!stopped && snapshot() !== kept) navigator.sendBeacon(box.dataset.url, payload());
  });
});
