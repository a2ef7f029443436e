// The slug Django's admin suggests from the headline is cut at a whole word within SLUG_WORDS_MAX
// characters: newsrooms keep addresses short, and a 120-character headline made a 118-character slug.
// A slug the journalist typed is left alone (Django stops suggesting once the slug field is changed).
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const SLUG_WORDS_MAX = 60;
  const slug = document.getElementById("id_slug");
  const headline = document.getElementById("id_headline");
  if (!slug || !headline) return;
  let typed = false;
  // Typing in the slug (input) or leaving it changed (change): the journalist's own slug from then on.
  for (const name of ["input", "change"]) slug.addEventListener(name, () => { typed = true; });
  const shorten = () => {
    if (typed || slug.value.length <= SLUG_WORDS_MAX) return;
    const cut = slug.value.slice(0, SLUG_WORDS_MAX + 1);
    const end = cut.lastIndexOf("-");
    slug.value = end > 0 ? cut.slice(0, end) : cut.slice(0, SLUG_WORDS_MAX);
  };
  // After Django's own suggestion, which listens to the same events.
  for (const name of ["keyup", "change", "focus", "input"]) {
    headline.addEventListener(name, () => setTimeout(shorten, 0));
  }
});
