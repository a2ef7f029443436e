// Bootstrap's colour mode follows the reader's system setting (prefers-color-scheme), live.
// Loaded in <head> without `defer`, before the style sheets, so a page is never painted in the wrong mode.
// It is a file, not an inline script: the Content-Security-Policy allows only our own scripts.
"use strict";
(() => {
  const root = document.documentElement;
  const dark = window.matchMedia("(prefers-color-scheme: dark)");
  const apply = () => root.setAttribute("data-bs-theme", dark.matches ? "dark" : "light");
  apply();
  dark.addEventListener("change", apply);
  // Paper is white: print in light mode whatever the screen shows, then go back.
  window.addEventListener("beforeprint", () => root.setAttribute("data-bs-theme", "light"));
  window.addEventListener("afterprint", apply);
})();
