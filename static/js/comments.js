// The comment thread. The article page is cached for every reader, so its forms carry no per-reader data:
// this script fetches a CSRF token and a fresh form timestamp, shows the comment form and sends it in
// place. It also turns "Recommend" into a button that counts in place, shows times as "2 h ago" and opens
// folded replies a link points into. The thread's orders (?sort=) are plain links, sorted by the server.
// Without JavaScript, "Write a comment", "Reply", "Recommend" and "Report" lead to small uncached pages.
"use strict";

// The comments this browser recommended, so their buttons show pressed on the next visit (the server
// counts each reader once whatever this says; nothing here leaves the browser).
const RECOMMENDED_KEY = "newsmag:recommended";
const RECOMMENDED_KEPT = 500;

function recommendedHere() {
  try {
    const ids = JSON.parse(window.localStorage.getItem(RECOMMENDED_KEY) || "[]");
    return new Set(Array.isArray(ids) ? ids.map(String) : []);
  } catch {
    return new Set();
  }
}

function rememberRecommended(id) {
  try {
    const ids = [...recommendedHere()].filter((other) => other !== id);
    ids.push(id);
    window.localStorage.setItem(RECOMMENDED_KEY, JSON.stringify(ids.slice(-RECOMMENDED_KEPT)));
  } catch {
    // Storage off or full: the button still shows pressed until the page is left.
  }
}

function relativeTime(date, now = new Date()) {
  const seconds = Math.round((now - date) / 1000);
  if (seconds < 45) return "just now";
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 24) return `${hours} h ago`;
  const days = Math.round(hours / 24);
  if (days < 7) return days === 1 ? "yesterday" : `${days} days ago`;
  return null; // older: the date itself says more
}

function showRelativeTimes(root) {
  for (const time of root.querySelectorAll("time[datetime]")) {
    if (!time.closest(".comment-time")) continue;
    const text = relativeTime(new Date(time.getAttribute("datetime")));
    if (text) time.textContent = text;
  }
}

function showCount(button, count) {
  const box = button.querySelector(".comment-recommend-count");
  box.dataset.count = String(count);
  box.textContent = count ? ` ${count}` : "";
  if (count) {
    const words = document.createElement("span");
    words.className = "visually-hidden";
    words.textContent = count === 1 ? " recommendation" : " recommendations";
    box.append(words);
  }
}

// Each "Recommend" link becomes a toggle button (Enter and Space, aria-pressed) once a token is at hand.
function upgradeRecommendLinks(root) {
  const mine = recommendedHere();
  for (const link of root.querySelectorAll("a.comment-recommend")) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = link.className;
    button.dataset.url = link.href;
    button.dataset.comment = link.dataset.comment;
    button.setAttribute("aria-pressed", String(mine.has(link.dataset.comment)));
    button.append(...link.childNodes);
    link.replaceWith(button);
  }
}

// One listener for the whole thread, however many comments it has.
function setUpRecommendations(section, token) {
  upgradeRecommendLinks(section);
  section.dataset.recommendReady = "true";
  section.addEventListener("click", async (event) => {
    const button = event.target instanceof Element ? event.target.closest("button.comment-recommend") : null;
    if (!button || button.getAttribute("aria-busy") === "true") return;
    button.setAttribute("aria-busy", "true");
    const status = button.parentElement.querySelector(".comment-recommend-status");
    if (status) status.remove();
    try {
      const body = new FormData();
      body.append("csrfmiddlewaretoken", token);
      const response = await fetch(button.dataset.url, {
        method: "POST",
        body,
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      });
      const data = await response.json();
      if (response.ok) {
        showCount(button, data.count);
        button.setAttribute("aria-pressed", "true");
        rememberRecommended(button.dataset.comment);
      } else {
        const note = document.createElement("span");
        note.className = "comment-recommend-status";
        note.setAttribute("role", "status");
        note.textContent = data.message || "Your recommendation could not be counted.";
        button.after(note);
      }
    } catch {
      window.location.assign(button.dataset.url); // the small page explains what happened
    } finally {
      button.removeAttribute("aria-busy");
    }
  });
}

// A link to a reply folded in a <details> (or a reader's own new reply) opens it.
function revealTarget() {
  const id = decodeURIComponent(window.location.hash.slice(1));
  const target = id ? document.getElementById(id) : null;
  if (!target) return;
  for (let node = target.parentElement; node; node = node.parentElement) {
    if (node instanceof HTMLDetailsElement) node.open = true;
  }
  target.scrollIntoView({ block: "start" });
}

function showErrors(form, data) {
  const box = form.querySelector(".comment-form-error");
  const messages = [data.message, ...Object.values(data.errors || {}).flat()].filter(Boolean);
  box.textContent = "";
  for (const text of messages) {
    const line = document.createElement("div");
    line.textContent = text;
    box.append(line);
  }
  box.hidden = messages.length === 0;
}

// Put a published comment where it belongs: under its parent, or at the end of the thread.
function placeComment(section, data) {
  const holder = document.createElement("template");
  holder.innerHTML = data.html; // rendered by the server from the reader's text, escaped there
  const item = holder.content.firstElementChild;
  let list;
  if (data.parent) {
    const parent = document.getElementById(`comment-${data.parent}`);
    if (!parent) return null;
    list = parent.querySelector(":scope > ol.comment-replies");
    if (!list) {
      list = document.createElement("ol");
      list.className = "comment-replies";
      parent.append(list);
    }
  } else {
    list = section.querySelector(".comment-list");
    if (!list) {
      list = document.createElement("ol");
      list.className = "comment-list list-unstyled";
      section.querySelector(".comment-notice-slot").after(list);
    }
  }
  if (!data.parent && section.dataset.sort === "newest") list.prepend(item);
  else list.append(item);
  showRelativeTimes(item);
  if (section.dataset.recommendReady) upgradeRecommendLinks(item);
  return item;
}

async function sendComment(form, section) {
  const button = form.querySelector("[type=submit]");
  if (button.disabled) return;
  button.disabled = true;
  form.setAttribute("aria-busy", "true");
  try {
    const response = await fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    });
    const data = await response.json();
    if (!response.ok) {
      showErrors(form, data);
      form.querySelector(".comment-form-error").scrollIntoView({ block: "center" });
      return;
    }
    showErrors(form, {});
    const slot = section.querySelector(".comment-notice-slot");
    slot.innerHTML = data.notice; // rendered by the server, the reader's text escaped there
    if (data.published) placeComment(section, data);
    for (const field of form.querySelectorAll("textarea")) field.value = "";
    slot.scrollIntoView({ block: "start" });
    slot.focus({ preventScroll: true });
  } catch {
    // The network failed, or the answer was not ours: send the form the ordinary way.
    form.submit();
  } finally {
    button.disabled = false;
    form.removeAttribute("aria-busy");
  }
}

document.addEventListener("DOMContentLoaded", async () => {
  const section = document.getElementById("comments");
  if (section) {
    showRelativeTimes(section);
  }
  revealTarget();
  window.addEventListener("hashchange", revealTarget);

  const commentForm = document.querySelector("form.comment-form[data-token-url]");
  let token = "";
  if (commentForm) {
    try {
      const response = await fetch(commentForm.dataset.tokenUrl, {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      });
      if (!response.ok) throw new Error(String(response.status));
      const data = await response.json();
      token = data.csrf;
      const csrf = document.createElement("input");
      csrf.type = "hidden";
      csrf.name = "csrfmiddlewaretoken";
      csrf.value = token;
      commentForm.prepend(csrf);
      const issued = commentForm.querySelector("input[name=issued]");
      if (issued) issued.value = data.issued;
      // A signed-in reader gets the page everyone gets: drop the name and email fields and say whose name
      // the comment will carry. Without an account, the form shows only where the site takes such comments.
      if (data.commenter) {
        for (const part of commentForm.querySelectorAll(".comment-identity")) part.remove();
        const signedIn = document.querySelector(".comment-signed-in");
        if (signedIn) {
          signedIn.querySelector(".comment-signed-in-name").textContent = data.commenter;
          signedIn.hidden = false;
        }
        const signIn = document.querySelector(".comment-sign-in");
        if (signIn) signIn.hidden = true;
      }
      commentForm.hidden = !(data.commenter || data.anonymous);
      if (section) {
        setUpRecommendations(section, token);
        commentForm.addEventListener("submit", (event) => {
          event.preventDefault();
          sendComment(commentForm, section);
        });
      }
    } catch {
      // Leave the form hidden; the noscript-style link is shown instead.
      const link = document.createElement("a");
      link.className = "btn btn-primary";
      link.href = commentForm.action;
      link.textContent = "Write a comment";
      commentForm.after(link);
    }
  }

  // Report without leaving the page; without a token (or on any failure) the link leads to the small
  // confirmation page instead. One listener for the whole thread, however many comments it has.
  document.addEventListener("click", async (event) => {
    const link = event.target instanceof Element ? event.target.closest("a.comment-report") : null;
    if (!token || !link || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey) return;
    event.preventDefault();
    if (link.getAttribute("aria-disabled") === "true") return;
    link.setAttribute("aria-disabled", "true");
    try {
      const body = new FormData();
      body.append("csrfmiddlewaretoken", token);
      const response = await fetch(link.href, {
        method: "POST",
        body,
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      });
      if (!response.ok) throw new Error(String(response.status));
      const { message } = await response.json();
      const note = document.createElement("span");
      note.className = "text-body-secondary";
      note.setAttribute("role", "status");
      note.textContent = message;
      link.replaceWith(note);
    } catch {
      window.location.assign(link.href);
    }
  });

  // Characters left, announced politely to screen readers.
  for (const box of document.querySelectorAll("textarea.comment-input[maxlength]")) {
    const limit = Number(box.getAttribute("maxlength"));
    const counter = document.createElement("div");
    counter.className = "form-text comment-counter";
    counter.setAttribute("aria-live", "polite");
    const update = () => {
      const left = limit - box.value.length;
      counter.textContent = left < 200 ? `${left} characters left` : "";
    };
    box.after(counter);
    box.addEventListener("input", update);
    update();
  }
});
