// Click-to-load embeds (templates/includes/embed_card.html). Until the reader clicks "Load content from …",
// nothing is requested from the provider: the card shows our own copy of the thumbnail and links to the
// original. The player is built from the card's data-embed-* attributes, which the server writes from the
// provider allowlist (articles/embeds/providers.py), never from the provider's own HTML.
(function () {
  "use strict";
  if (window.newsmagEmbeds) return; // every card includes this script; one set of listeners is enough
  window.newsmagEmbeds = true;

  function isHttps(address) {
    try {
      return new URL(address).protocol === "https:";
    } catch (error) {
      return false;
    }
  }

  function frame(card) {
    const src = card.dataset.embedSrc;
    if (!isHttps(src)) return null;
    const iframe = document.createElement("iframe");
    iframe.className = "embed-card-player";
    iframe.src = src;
    iframe.title = `${card.dataset.embedTitle} (${card.dataset.embedProvider})`;
    iframe.allow = "autoplay; encrypted-media; fullscreen; picture-in-picture";
    iframe.allowFullscreen = true;
    iframe.referrerPolicy = "strict-origin-when-cross-origin";
    iframe.style.aspectRatio = card.dataset.embedAspect || "16 / 9"; // CSSOM, which the CSP allows
    return iframe;
  }

  function widget(card) {
    const script = card.dataset.embedScript;
    let spec;
    try {
      spec = JSON.parse(card.dataset.embedWidget);
    } catch (error) {
      return null;
    }
    if (!isHttps(script) || !isHttps(spec.href)) return null;
    const wrapper = document.createElement("div");
    wrapper.className = "embed-card-widget";
    const quote = document.createElement("blockquote");
    quote.className = spec.class;
    for (const [name, value] of Object.entries(spec.attrs || {})) {
      if (name.startsWith("data-") || name === "cite") quote.setAttribute(name, value);
    }
    const link = document.createElement("a");
    link.href = spec.href;
    link.textContent = card.dataset.embedTitle;
    quote.append(link);
    const loader = document.createElement("script");
    loader.src = script;
    loader.async = true;
    wrapper.append(quote, loader);
    return wrapper;
  }

  function load(card) {
    const player = card.dataset.embedKind === "frame" ? frame(card) : widget(card);
    if (!player) return;
    card.classList.add("embed-card-loaded");
    card.replaceChildren(player);
  }

  function start() {
    for (const card of document.querySelectorAll("[data-embed-kind]")) {
      const consent = card.querySelector(".embed-card-consent");
      if (consent) consent.hidden = false;
    }
  }

  document.addEventListener("click", (event) => {
    const button = event.target.closest(".embed-card-load");
    const card = button && button.closest("[data-embed-kind]");
    if (card) load(card);
  });
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
