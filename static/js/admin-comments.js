// The moderation queue, for all-day use. Each row's Approve / Reject / Spam buttons submit a plain form
// (templates/admin/comments/comment/change_list.html), which works without this script. With it they act
// in place: the decision is sent with fetch, the row leaves the queue (or shows its new status), the
// admin's message appears and is announced, and focus moves to the next comment. Reject asks why in a
// dialog. Keyboard: j / k move between comments, a approves, r rejects, s marks as spam, ? lists them;
// never while typing in a field.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const table = document.getElementById("result_list");
  const announcer = document.getElementById("queue-announce");
  const rejectDialog = document.getElementById("reject-dialog");
  const keysDialog = document.getElementById("keys-dialog");
  if (!table || !announcer || !rejectDialog || !keysDialog) return; // not a moderator, or an empty queue

  const rejectForm = document.getElementById("reject-form");
  const rejectError = document.getElementById("reject-dialog-error");
  const shownStatus = new URLSearchParams(window.location.search).get("status__exact");
  let current = null; // the row the shortcuts act on
  let rejecting = null; // the row whose reason the dialog asks for

  const rows = () => Array.from(table.tBodies[0]?.rows ?? []).filter((row) => row.querySelector(".decide"));
  const formOf = (row) => {
    const button = row.querySelector(".decide button[form]");
    return button ? document.getElementById(button.getAttribute("form")) : null;
  };
  const describe = (row) => {
    const list = rows();
    const name = row.querySelector(".decide")?.dataset.comment ?? "";
    const status = row.querySelector(".field-status")?.textContent.trim() ?? "";
    return `Comment ${list.indexOf(row) + 1} of ${list.length}, by ${name}, ${status}.`;
  };

  const announce = (text) => {
    // Cleared first, so that the same words said twice are announced twice.
    announcer.textContent = "";
    window.setTimeout(() => {
      announcer.textContent = text;
    }, 50);
  };

  const showMessage = (level, text) => {
    let list = document.querySelector("ul.messagelist");
    if (!list) {
      list = document.createElement("ul");
      list.className = "messagelist";
      document.getElementById("content")?.before(list);
    }
    const item = document.createElement("li");
    item.className = level;
    item.textContent = text;
    list.replaceChildren(item);
  };

  const makeCurrent = (row, { focus = true, say = true } = {}) => {
    current?.classList.remove("queue-current");
    current = row;
    if (!row) return;
    row.classList.add("queue-current");
    row.tabIndex = -1;
    if (focus) row.focus();
    if (say) announce(describe(row));
  };

  const move = (step) => {
    const list = rows();
    if (!list.length) return announce("The queue is empty.");
    const at = list.indexOf(current);
    const next = at === -1 ? (step > 0 ? 0 : list.length - 1) : at + step;
    if (next < 0 || next >= list.length) return announce(step > 0 ? "Last comment." : "First comment.");
    makeCurrent(list[next]);
    list[next].scrollIntoView({ block: "nearest" });
  };

  const updateTitle = (pending) => {
    const title = document.querySelector("#content > h1");
    if (title && Number.isInteger(pending)) {
      title.textContent = `Moderation queue: ${pending} ${pending === 1 ? "comment" : "comments"} pending`;
    }
  };

  const decide = async (row, status, reason = {}) => {
    const form = formOf(row);
    if (!form || row.classList.contains("queue-busy")) return false;
    const data = new FormData(form);
    data.set("status", status);
    if (reason.reason) data.set("reason", reason.reason);
    if (reason.note) data.set("note", reason.note);
    row.classList.add("queue-busy");
    let answer;
    try {
      const response = await fetch(form.action, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      });
      answer = await response.json();
      if (!response.ok && !answer.errors) throw new Error(String(response.status));
    } catch {
      // Let the server answer with the whole page instead, as it does without this script.
      for (const [name, value] of data) {
        if (form.elements.namedItem(name)) continue;
        const field = document.createElement("input");
        field.type = "hidden";
        field.name = name;
        field.value = value.toString();
        form.append(field);
      }
      form.submit();
      return true;
    }
    row.classList.remove("queue-busy");
    if (answer.errors) return answer.errors;
    showMessage(answer.level, answer.message);
    updateTitle(answer.pending);
    const list = rows();
    const next = list[list.indexOf(row) + 1] ?? list[list.indexOf(row) - 1] ?? null;
    if (answer.status && shownStatus && answer.status !== shownStatus) {
      row.remove();
      document.getElementById(form.id)?.remove();
      if (next) makeCurrent(next, { say: false });
      else {
        current = null;
        document.getElementById("content-main")?.setAttribute("tabindex", "-1");
        document.getElementById("content-main")?.focus();
      }
      announce(`${answer.message} ${next ? describe(next) : "The queue is empty."}`);
    } else {
      // Still in this list (all statuses, or someone else's decision): show the comment as it is now.
      if (answer.status) {
        row.querySelector(".field-status").textContent = answer.status_label;
        row.querySelector(".field-moderated").innerHTML = answer.moderated; // escaped by the server
        row.querySelector(".field-decide").innerHTML = answer.decide; // built with format_html
        form.querySelector("input[name=seen]").value = answer.seen;
      }
      const target = answer.changed && next ? next : row;
      makeCurrent(target, { say: false });
      announce(`${answer.message} ${describe(target)}`);
    }
    return true;
  };

  const askWhy = (row) => {
    rejecting = row;
    rejectForm.reset();
    rejectError.hidden = true;
    const text = row.querySelector(".comment-text")?.textContent ?? "";
    document.getElementById("reject-dialog-comment").textContent = text;
    rejectDialog.showModal();
    rejectForm.querySelector("input[name=reason]")?.focus();
  };

  // The buttons: one listener for every row's form (they submit forms outside the table).
  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.classList.contains("decision-form")) return;
    const button = event.submitter;
    const row = button?.closest("tr");
    if (!row || !button.value) return;
    event.preventDefault();
    makeCurrent(row, { focus: false, say: false });
    if (button.value === "rejected") askWhy(row);
    else decide(row, button.value);
  });

  rejectForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const row = rejecting;
    const chosen = new FormData(rejectForm);
    const result = await decide(row, "rejected", {
      reason: chosen.get("reason") ?? "",
      note: (chosen.get("note") ?? "").toString().trim(),
    });
    if (result === true) {
      rejectDialog.close();
      if (current) current.focus();
      return;
    }
    if (result && typeof result === "object") {
      const problems = Object.values(result).flat().map((error) => error.message);
      rejectError.textContent = problems.join(" ");
      rejectError.hidden = false;
      announce(rejectError.textContent);
      (result.note ? rejectForm.querySelector("input[name=note]") : rejectForm.querySelector("input[name=reason]"))?.focus();
    }
  });

  for (const dialog of [rejectDialog, keysDialog]) {
    dialog.addEventListener("click", (event) => {
      if (event.target instanceof Element && event.target.closest("[data-close]")) dialog.close();
    });
  }
  rejectDialog.addEventListener("close", () => {
    if (current && document.activeElement === document.body) current.focus();
  });

  const hint = document.getElementById("queue-keys-hint");
  const openKeys = document.getElementById("queue-keys-open");
  if (hint && openKeys) {
    hint.hidden = false;
    table.closest(".results")?.before(hint);
    openKeys.addEventListener("click", () => keysDialog.showModal());
  }

  // Clicking inside a row makes it the current one, so that the shortcuts act where the moderator looks.
  table.addEventListener("click", (event) => {
    const row = event.target instanceof Element ? event.target.closest("tbody tr") : null;
    if (row && rows().includes(row)) makeCurrent(row, { focus: false, say: false });
  });

  // A field has the keyboard: text inputs, text areas, drop-downs, editable regions (not a row's checkbox
  // or a button, where the shortcuts keep working).
  const keyless = new Set(["checkbox", "radio", "button", "submit", "reset", "image", "file", "range", "color"]);
  const typing = (target) =>
    target instanceof HTMLSelectElement ||
    target instanceof HTMLTextAreaElement ||
    (target instanceof HTMLInputElement && !keyless.has(target.type)) ||
    (target instanceof HTMLElement && target.isContentEditable);

  document.addEventListener("keydown", (event) => {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return;
    if (typing(event.target) || rejectDialog.open) return;
    if (event.key === "?") {
      event.preventDefault();
      if (keysDialog.open) keysDialog.close();
      else keysDialog.showModal();
      return;
    }
    if (keysDialog.open) return;
    const key = event.key;
    if (key === "j" || key === "k") {
      event.preventDefault();
      move(key === "j" ? 1 : -1);
      return;
    }
    const status = { a: "approved", r: "rejected", s: "spam" }[key];
    if (!status) return;
    event.preventDefault();
    if (!current || !current.isConnected) return announce("Press j to choose a comment first.");
    if (!current.querySelector(`.decide button[value="${status}"]`)) {
      return announce(`This comment is already ${current.querySelector(".field-status")?.textContent.trim()}.`);
    }
    if (status === "rejected") askWhy(current);
    else decide(current, status);
  });
});
