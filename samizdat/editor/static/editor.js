// The editor's only script, served by the editor itself (its pages allow no inline script).
// The Markdown toolbar: wrap the selection in marks, or start the selected lines with one.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  for (const bar of document.querySelectorAll(".toolbar")) {
    const area = document.getElementById(bar.getAttribute("aria-controls"));
    if (!area) continue;
    bar.addEventListener("click", (event) => {
      const button = event.target.closest("button");
      if (!button) return;
      const { before, after, line } = button.dataset;
      const start = area.selectionStart, end = area.selectionEnd, text = area.value;
      if (line !== undefined) {
        const from = text.lastIndexOf("\n", start - 1) + 1;
        const chosen = text.slice(from, end).split("\n").map((row) => line + row).join("\n");
        area.setRangeText(chosen, from, end, "end");
      } else {
        area.setRangeText(before + text.slice(start, end) + after, start, end, "end");
      }
      area.focus();
      area.dispatchEvent(new Event("input"));
    });
    // A photo added in the editor (it has its alt text in this language): its Markdown at the cursor.
    for (const choice of bar.querySelectorAll("select.insert")) {
      choice.addEventListener("change", () => {
        if (!choice.value) return;
        area.setRangeText(choice.value, area.selectionStart, area.selectionEnd, "end");
        choice.value = "";
        area.focus();
      });
    }
  }
  // A photo's faces are looked for in the background: ask until the search is done, then show them.
  const search = document.getElementById("face-search");
  if (search) {
    const ask = () => fetch(search.dataset.poll, { credentials: "same-origin" })
      .then((answer) => answer.json())
      .then((state) => {
        if (!state.done) { setTimeout(ask, 1000); return; }
        search.textContent = state.text;
        const photo = document.getElementById("pending-photo");
        photo.src = photo.src.split("?")[0] + "?found=" + state.faces;
        const mask = document.getElementById("mask-faces");
        if (mask && state.faces === 0) mask.hidden = true;
      })
      .catch(() => setTimeout(ask, 3000));
    setTimeout(ask, 1000);
  }
});
