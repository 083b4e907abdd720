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
  }
});
