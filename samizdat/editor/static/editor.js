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
});
