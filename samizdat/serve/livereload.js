// Served only by `samizdat serve`, never written by `samizdat build`.
(function () {
  "use strict";
  var script = document.currentScript;
  var generation = new URL(script.src).searchParams.get("g");
  var overlay = null;

  function build() {
    var box = document.createElement("div");
    box.id = "samizdat-build-error";
    box.setAttribute("role", "alert");
    var s = box.style;
    s.position = "fixed"; s.inset = "0"; s.zIndex = "2147483647"; s.overflow = "auto";
    s.boxSizing = "border-box"; s.maxWidth = "100vw";
    s.background = "rgba(20, 0, 0, 0.97)"; s.color = "#fff"; s.padding = "1rem";
    s.font = "14px/1.5 ui-monospace, monospace";
    var title = document.createElement("h2");
    title.style.cssText = "color: #ff9b9b; font-size: 1.1rem; margin: 0 0 1rem; overflow-wrap: anywhere";
    var text = document.createElement("pre");
    // Long paths and traceback lines wrap instead of running off a phone's screen.
    text.style.cssText = "margin: 0; white-space: pre-wrap; overflow-wrap: anywhere; font: inherit";
    box.appendChild(title);
    box.appendChild(text);
    document.body.appendChild(box);
    return box;
  }

  function showError(title, text) {
    overlay = overlay || build();
    overlay.querySelector("h2").textContent = title;
    overlay.querySelector("pre").textContent = text;
  }

  var events = new EventSource("/__samizdat/events");
  events.addEventListener("state", function (event) {
    var state = JSON.parse(event.data);
    if (state.error) {
      showError(state.title || "samizdat: the build failed", state.error);
    } else if (String(state.generation) !== generation) {
      location.reload();
    } else if (overlay) {
      overlay.remove();
      overlay = null;
    }
  });
})();
