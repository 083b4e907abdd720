// Served only by `samizdat serve`, never written by `samizdat build`.
(function () {
  "use strict";
  var script = document.currentScript;
  var generation = new URL(script.src).searchParams.get("g");
  var overlay = null;

  function showError(text) {
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = "samizdat-build-error";
      overlay.setAttribute("role", "alert");
      var s = overlay.style;
      s.position = "fixed"; s.inset = "0"; s.zIndex = "2147483647"; s.overflow = "auto";
      s.background = "rgba(20, 0, 0, 0.92)"; s.color = "#fff"; s.padding = "2rem";
      s.font = "15px/1.5 ui-monospace, monospace";
      var title = document.createElement("h2");
      title.textContent = "samizdat: the build failed — the last good version is still served";
      title.style.color = "#ff9b9b";
      overlay.appendChild(title);
      overlay.appendChild(document.createElement("pre"));
      document.body.appendChild(overlay);
    }
    overlay.querySelector("pre").textContent = text;
  }

  var events = new EventSource("/__samizdat/events");
  events.addEventListener("state", function (event) {
    var state = JSON.parse(event.data);
    if (state.error) {
      showError(state.error);
    } else if (String(state.generation) !== generation) {
      location.reload();
    } else if (overlay) {
      overlay.remove();
      overlay = null;
    }
  });
})();
