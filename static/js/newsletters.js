// Subscribe forms on cached pages (the newsletters page, the footer) carry no CSRF token, so every reader
// gets the same page. This script fetches one when the reader first touches the form, shows the form, and
// hides the plain link that readers without JavaScript follow to the uncached form page.
(() => {
  "use strict";
  // Only the newsletter forms: the comment form has a token URL of its own, which comments.js fetches.
  for (const form of document.querySelectorAll("form.newsletter-form[data-token-url], form.newsletter-compact[data-token-url]")) {
    let pending = null;
    const token = () => {
      pending ??= fetch(form.dataset.tokenUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then((response) => (response.ok ? response.json() : Promise.reject(response.status)))
        .then((data) => {
          const input = document.createElement("input");
          input.type = "hidden";
          input.name = "csrfmiddlewaretoken";
          input.value = data.csrf;
          form.prepend(input);
        });
      return pending;
    };
    form.addEventListener("focusin", () => token().catch(() => {}), { once: true });
    form.addEventListener("submit", (event) => {
      if (form.querySelector("input[name=csrfmiddlewaretoken]")) return;
      event.preventDefault();
      token().then(() => form.submit(), () => { pending = null; window.location.href = form.action; });
    });
    form.hidden = false;
    const fallback = form.nextElementSibling;
    if (fallback && fallback.classList.contains("newsletter-fallback")) fallback.hidden = true;
  }
})();
