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

  // A save that changed only the text inside <main> is shown by putting the new <main>'s content in place
  // of the old one: no reload, so the tab shows it as soon as the page arrives, at the same scroll
  // position. Anything else reloads the page. The new content is parsed by DOMParser, which runs nothing,
  // and moved in as nodes, so the page's policy applies as on a load; a page with any script or <noscript>
  // (a script would not run again over the new content; DOMParser parses <noscript> as markup) reloads,
  // unless the script says it applies itself again on the event sent after a swap (data-main-swap: the
  // theme's script that hides meetings past since the build).
  var OWN = 'script[src^="/__samizdat/"]';
  var SWAPPED = "samizdat:main-swapped";

  function swappable(doc) {
    return doc.querySelectorAll("main").length === 1 &&
      !doc.querySelector("script:not(" + OWN + "):not([data-main-swap]), noscript");
  }

  // The page with its <main> emptied and this script left out: what must be the same for a swap.
  function outside(doc) {
    var copy = doc.documentElement.cloneNode(true);
    var own = copy.querySelectorAll(OWN);
    for (var i = 0; i < own.length; i++) own[i].remove();
    copy.querySelector("main").replaceChildren();
    return copy.outerHTML;
  }

  var frame = swappable(document) ? outside(document) : null;  // as loaded, before anyone clicks
  var latest = generation;
  var swapping = false;

  function showNew() {
    if (frame === null || overlay) {
      location.reload();
      return;
    }
    swapping = true;
    fetch(location.href, { cache: "no-store", credentials: "same-origin" }).then(function (response) {
      var kind = response.headers.get("Content-Type") || "";
      if (!response.ok || kind.indexOf("text/html") !== 0) throw new Error("not a page");
      return response.text();
    }).then(function (text) {
      var doc = new DOMParser().parseFromString(text, "text/html");
      var own = doc.querySelector('script[src^="/__samizdat/livereload.js"]');
      var served = own && new URL(own.getAttribute("src"), location.href).searchParams.get("g");
      if (!served || !swappable(doc) || outside(doc) !== frame) throw new Error("more than <main> changed");
      var main = document.querySelector("main");
      main.replaceChildren.apply(main, Array.prototype.slice.call(doc.querySelector("main").childNodes));
      document.dispatchEvent(new Event(SWAPPED));
      generation = served;
      swapping = false;
      if (Number(latest) > Number(generation)) showNew();  // another save arrived meanwhile
    }).catch(function () {
      location.reload();
    });
  }

  var events = new EventSource("/__samizdat/events");
  events.addEventListener("state", function (event) {
    var state = JSON.parse(event.data);
    if (state.error) {
      showError(state.title || "samizdat: the build failed", state.error);
    } else if (String(state.generation) !== generation) {
      latest = String(state.generation);
      if (!swapping) showNew();
    } else if (overlay) {
      overlay.remove();
      overlay = null;
    }
  });
})();
