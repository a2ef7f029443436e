// Counts a read of the article on screen: one anonymous beacon, no cookie, nothing about the reader.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const article = document.querySelector("[data-read-beacon]");
  if (article && navigator.sendBeacon) {
    navigator.sendBeacon(article.dataset.readBeacon);
  }
});
