// Tag autocomplete for the article form: suggests existing tags for the term being typed after the last comma.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const input = document.querySelector("input[data-suggest-url]");
  if (!input) return;
  const list = document.createElement("datalist");
  list.id = `${input.id}-suggestions`;
  input.after(list);
  input.setAttribute("list", list.id);
  let timer;
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const parts = input.value.split(",");
      const term = parts.pop().trim();
      list.replaceChildren();
      if (!term) return;
      const response = await fetch(`${input.dataset.suggestUrl}?q=${encodeURIComponent(term)}`, {
        credentials: "same-origin",
      });
      if (!response.ok) return;
      const { tags } = await response.json();
      const prefix = parts.map((part) => part.trim()).filter(Boolean);
      for (const tag of tags) {
        const option = document.createElement("option");
        option.value = [...prefix, tag.includes(" ") ? `"${tag}"` : tag].join(", ");
        list.append(option);
      }
    }, 150);
  });
});
