// Optional enhancements for the comment thread. Without this script everything works the same way:
// reports are plain POST forms and the comment box is a plain textarea.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  // Report without leaving the page; on any failure the form is submitted normally.
  for (const form of document.querySelectorAll("form.comment-report")) {
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const button = form.querySelector("button");
      if (button) button.disabled = true;
      try {
        const response = await fetch(form.action, {
          method: "POST",
          body: new FormData(form),
          credentials: "same-origin",
          headers: { Accept: "application/json" },
        });
        if (!response.ok) throw new Error(String(response.status));
        const { message } = await response.json();
        const note = document.createElement("span");
        note.className = "text-body-secondary";
        note.setAttribute("role", "status");
        note.textContent = message;
        form.replaceWith(note);
      } catch {
        form.submit();
      }
    });
  }

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
