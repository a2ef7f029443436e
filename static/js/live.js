// Live coverage (templates/includes/live_stream.html): asks for new updates every few seconds and offers
// them with a "N new updates" button, so the text being read never moves by itself. The answer comes from
// the server's cache (articles/live.py) with an ETag: unchanged, it is an empty 304. Polls slow down while
// the tab is hidden and stop when the coverage ends. Without JavaScript, a reload shows everything.
(function () {
  "use strict";
  const stream = document.getElementById("live-stream");
  if (!stream || !stream.dataset.livePoll) return;
  const url = stream.dataset.livePoll;
  const interval = Math.max(1, Number(stream.dataset.liveInterval) || 20) * 1000;
  const HIDDEN_FACTOR = 6; // a hidden tab asks six times less often, and at once when shown again
  const bar = document.getElementById("live-new");
  const button = bar && bar.querySelector("button");
  let etag = null;
  let pending = null; // the newest answer not yet shown
  let timer = null;
  let stopped = false;
  let failures = 0;

  function shownIds() {
    return new Set(Array.from(stream.querySelectorAll("[data-update-id]"), (item) => item.dataset.updateId));
  }

  function newUpdates(data) {
    const shown = shownIds();
    return data.updates.filter((update) => !shown.has(String(update.id)));
  }

  function schedule() {
    if (stopped) return;
    clearTimeout(timer);
    let wait = interval * (0.75 + Math.random() * 0.5); // jitter: readers' polls spread out
    if (document.hidden) wait *= HIDDEN_FACTOR;
    wait *= Math.min(2 ** failures, 16); // back off while the server cannot answer
    timer = setTimeout(poll, wait);
  }

  function fromHTML(html) {
    const template = document.createElement("template");
    template.innerHTML = html.trim(); // our own sanitized, server-rendered HTML (same origin)
    return template.content.firstElementChild;
  }

  function ended() {
    stopped = true;
    clearTimeout(timer);
    const status = document.getElementById("live-status");
    if (status) {
      const note = document.createElement("span");
      note.className = "live-ended";
      note.textContent = status.dataset.endedText;
      status.replaceChildren(note);
    }
  }

  function offer(data) {
    pending = data;
    const count = newUpdates(data).length;
    if (count > 0 && bar && button) {
      button.textContent = count === 1 ? "1 new update" : `${count} new updates`;
      bar.hidden = false;
    }
    if (data.state === "ended") ended();
  }

  function show() {
    if (!pending) return;
    const data = pending;
    pending = null;
    const fresh = newUpdates(data);
    // Oldest first, each put on top: the newest ends up first.
    for (const update of fresh.slice().reverse()) {
      const item = fromHTML(update.html);
      if (item) stream.prepend(item);
    }
    // Edited updates among those shown are replaced; deleted ones go when the answer holds every update.
    const inAnswer = new Map(data.updates.map((update) => [String(update.id), update]));
    for (const item of Array.from(stream.querySelectorAll("[data-update-id]"))) {
      const update = inAnswer.get(item.dataset.updateId);
      if (update) {
        const replacement = fromHTML(update.html);
        if (replacement && replacement.outerHTML !== item.outerHTML) item.replaceWith(replacement);
      } else if (data.complete) {
        item.remove();
      }
    }
    const keyEvents = document.getElementById("live-key-events");
    if (keyEvents) keyEvents.innerHTML = data.key_events;
    const empty = document.getElementById("live-empty");
    if (empty && fresh.length) empty.remove();
    if (bar) bar.hidden = true;
  }

  async function poll() {
    if (stopped) return;
    try {
      // no-store: the browser's own cache stays out of it, so the 304 (and our ETag) reach this code.
      const headers = etag ? { "If-None-Match": etag } : {};
      const response = await fetch(url, { headers, cache: "no-store", credentials: "omit" });
      if (response.status === 200) {
        etag = response.headers.get("ETag");
        offer(await response.json());
        failures = 0;
      } else if (response.status === 304) {
        failures = 0;
      } else if (response.status === 404) {
        stopped = true; // unpublished or no longer live: nothing more will come
        return;
      } else {
        failures += 1;
      }
    } catch (error) {
      failures += 1;
    }
    schedule();
  }

  if (button) button.addEventListener("click", show);
  document.addEventListener("visibilitychange", () => {
    if (!stopped && !document.hidden) {
      clearTimeout(timer);
      poll(); // back to the tab: catch up at once
    } else {
      schedule();
    }
  });
  schedule();
})();
