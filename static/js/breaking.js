// The reader may hide a breaking news banner; it stays hidden on every later page while that alert runs.
// Loaded in <head> without `defer`, only on pages that show a banner, and before the body is parsed: a page
// opened after "Hide" never paints the banner (no layout shift). Remembered per alert in localStorage, so
// no cookie, and the cached pages stay the same for every reader. A newer alert shows again.
"use strict";
(() => {
  const KEY = "newsmag:hidden-alerts";
  const KEPT = 20; // ids remembered, newest last
  const root = document.documentElement;
  const alert = document.currentScript.dataset.alert;
  const read = () => {
    try {
      const ids = JSON.parse(localStorage.getItem(KEY) || "[]");
      return Array.isArray(ids) ? ids.filter((id) => typeof id === "string") : [];
    } catch {
      return []; // storage switched off or garbled: the banner simply shows
    }
  };
  root.setAttribute("data-alert-hideable", ""); // the Hide button works: show it (its space is kept anyway)
  if (read().includes(alert)) {
    root.setAttribute("data-alert-hidden", "");
  }
  document.addEventListener("DOMContentLoaded", () => {
    const button = document.querySelector(".breaking-hide");
    if (!button) {
      return;
    }
    button.addEventListener("click", () => {
      try {
        localStorage.setItem(KEY, JSON.stringify([...read().filter((id) => id !== alert), alert].slice(-KEPT)));
      } catch {
        // not remembered: hidden on this page only
      }
      root.setAttribute("data-alert-hidden", "");
      const main = document.getElementById("main"); // the button is gone: keyboard focus moves on, not lost
      main.setAttribute("tabindex", "-1");
      main.focus();
    });
  });
})();
