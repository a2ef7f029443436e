// Site-wide behaviour, all optional: every page works without it.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  // The header's "Sign in" becomes "Account" for a signed-in reader. The page is cached for everyone, so
  // it asks who is signed in, and only when the reader cookie (set at sign-in) says someone may be.
  const accountLink = document.querySelector(".account-link[data-me-url]");
  if (accountLink && document.cookie.split("; ").some((pair) => pair.startsWith("newsmag_reader="))) {
    fetch(accountLink.dataset.meUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then((response) => (response.ok ? response.json() : null))
      .then((me) => {
        if (!me || !me.authenticated) return;
        accountLink.href = me.account_url;
        accountLink.textContent = "Account";
        accountLink.setAttribute("aria-label", `Your account (${me.name})`);
        accountLink.dataset.signedIn = "true";
      })
      .catch(() => {});
  }

  // Counts a read of the article on screen: one anonymous beacon, no cookie, nothing about the reader.
  const article = document.querySelector("[data-read-beacon]");
  if (article && navigator.sendBeacon) {
    navigator.sendBeacon(article.dataset.readBeacon);
  }

  // On a phone the section row scrolls sideways: bring the reader's section into view, without moving
  // the page itself.
  const active = document.querySelector(".section-nav-link.active");
  const row = active && active.closest(".section-nav-list");
  if (row && row.scrollWidth > row.clientWidth) {
    const left = active.offsetLeft - row.offsetLeft - (row.clientWidth - active.offsetWidth) / 2;
    row.scrollLeft = Math.max(0, left);
  }

  // Share: the device's own share sheet where there is one, and "Copy link" to the clipboard. Without
  // this script the links still work (the copy link is the story's address).
  const status = document.querySelector(".share-status");
  const say = (text) => { if (status) status.textContent = text; };
  const native = document.querySelector(".share-native");
  const copy = document.querySelector(".share-copy");  // its href is the story's address
  if (native && copy && navigator.share) {
    native.hidden = false;
    native.querySelector("button").addEventListener("click", () => {
      const headline = document.querySelector(".article-headline");
      navigator.share({ title: headline ? headline.textContent : document.title, url: copy.href }).catch(() => {});
    });
  }
  if (copy && navigator.clipboard) {
    copy.addEventListener("click", (event) => {
      event.preventDefault();
      navigator.clipboard.writeText(copy.href).then(
        () => say("Link copied."),
        () => say("Could not copy: press and hold the link to copy it."),
      );
    });
  }
});
