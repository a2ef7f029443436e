// The comment thread's forms. The article page is cached for every reader, so its forms carry no
// per-reader data: this script fetches a CSRF token and a fresh form timestamp, then shows the comment
// form. Without JavaScript, "Write a comment" and "Report" lead to small uncached pages instead.
"use strict";
document.addEventListener("DOMContentLoaded", async () => {
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
      commentForm.hidden = false;
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
