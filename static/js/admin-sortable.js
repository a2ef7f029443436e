// Sortable admin inlines (the front page's containers, a container's pinned stories): drag a row by its
// handle, or use its up and down buttons (keyboard), and the rows' "position" fields are renumbered 1, 2,
// 3... in the order shown. Rows not yet filled in (a blank added row) keep their position, so Django
// still ignores them. Works on every inline group whose rows have a "-position" input.
"use strict";

(function () {
  function rows(tbody) {
    return Array.from(tbody.querySelectorAll("tr.form-row")).filter(
      (row) => !row.classList.contains("empty-form") && row.querySelector('input[name$="-position"]')
    );
  }

  // A saved row, or an added one the editor filled in (a story chosen, a field changed).
  function filled(row) {
    const id = row.querySelector('input[name$="-id"]');
    const article = row.querySelector('select[name$="-article"]');
    return Boolean((id && id.value) || row.dataset.touched || (article && article.value));
  }

  function touched(event) {
    const row = event.target.closest("tr.form-row");
    if (row) row.dataset.touched = "1";
  }

  function renumber(tbody) {
    let number = 0;
    for (const row of rows(tbody)) {
      const input = row.querySelector('input[name$="-position"]');
      if (filled(row)) {
        number += 1;
        input.value = String(number);
      }
    }
  }

  function move(row, offset) {
    const tbody = row.parentNode;
    const list = rows(tbody);
    const index = list.indexOf(row);
    const target = list[index + offset];
    if (!target) return;
    if (offset < 0) tbody.insertBefore(row, target);
    else tbody.insertBefore(row, target.nextSibling);
    renumber(tbody);
  }

  function button(label, title, onClick) {
    const element = document.createElement("button");
    element.type = "button";
    element.textContent = label;
    element.title = title;
    element.setAttribute("aria-label", title);
    element.addEventListener("click", onClick);
    return element;
  }

  function equip(row) {
    if (row.dataset.sortable) return;
    row.dataset.sortable = "1";
    const cell = row.querySelector('input[name$="-position"]').closest("td");
    const tools = document.createElement("span");
    tools.className = "sort-tools";
    const handle = button("↕", "Drag to move", () => {});
    handle.classList.add("sort-handle");
    handle.addEventListener("mousedown", () => { row.draggable = true; });
    handle.addEventListener("keydown", (event) => {
      if (event.key === "ArrowUp" || event.key === "ArrowDown") {
        event.preventDefault();
        move(row, event.key === "ArrowUp" ? -1 : 1);
        handle.focus();
      }
    });
    tools.append(
      handle,
      button("▲", "Move up", () => move(row, -1)),
      button("▼", "Move down", () => move(row, 1))
    );
    cell.prepend(tools);
    row.addEventListener("dragstart", (event) => {
      row.classList.add("sort-dragging");
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", "");
    });
    row.addEventListener("dragend", () => {
      row.classList.remove("sort-dragging");
      row.draggable = false;
      renumber(row.parentNode);
    });
    row.addEventListener("dragover", (event) => {
      const dragged = row.parentNode.querySelector("tr.sort-dragging");
      if (!dragged || dragged === row) return;
      event.preventDefault();
      const box = row.getBoundingClientRect();
      const after = event.clientY > box.top + box.height / 2;
      row.parentNode.insertBefore(dragged, after ? row.nextSibling : row);
    });
    row.addEventListener("drop", (event) => event.preventDefault());
  }

  function setUp(group) {
    const tbody = group.querySelector("tbody");
    if (!tbody || !tbody.querySelector('input[name$="-position"]')) return;
    group.classList.add("sortable-inline");
    rows(tbody).forEach(equip);
    // Rows added with "Add another" get their tools too, and count once something is chosen in them.
    new MutationObserver(() => rows(tbody).forEach(equip)).observe(tbody, { childList: true });
    tbody.addEventListener("input", touched);
    tbody.addEventListener("change", (event) => {
      touched(event);
      renumber(tbody);
    });
    const form = group.closest("form");
    if (form) form.addEventListener("submit", () => renumber(tbody));
  }

  function start() {
    document.querySelectorAll(".inline-group").forEach(setUp);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
