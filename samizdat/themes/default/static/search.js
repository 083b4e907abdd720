(function () {
  "use strict";
  // The site's search, run in the reader's browser from the chunk files of each language's index
  // (samizdat/search/: the same folding, terms, buckets and matching as `samizdat search`). Chunks
  // are stylesheets: the one kind of file this page may load from the site and from file://.
  var box = document.getElementById("search");
  if (!box) { return; }
  var HANGUL = /^[\uac00-\ud7a3]+$/;
  var WORD = /[\uac00-\ud7a3]+|(?:(?![\uac00-\ud7a3])[\p{L}\p{N}])+/gu;
  var LETTER = /[\p{L}\p{N}]/u;
  var PARTICLES = ["에서는", "에서", "에게", "으로", "부터", "까지", "처럼", "보다", "하고", "이랑", "라고",
    "를", "을", "는", "은", "이", "가", "에", "의", "도", "와", "과", "로", "만", "랑"];
  var PLURAL = "들"; // dropped after the particle, as korean.py does
  var MIN_PREFIX = 3, PAGE = 20, SNIPPET = 220, QUERY_WORDS = 32;
  var form = box.querySelector("form"), input = box.querySelector("input[type=search]");
  var status = box.querySelector("[role=status]"), list = box.querySelector("ol");
  var more = box.querySelector("button.search-more"), filters = box.querySelectorAll("input[name=kind]");
  var indexes = [], shown = [], showing = 0, run = 0, timer = 0;

  function fold(text) { return text.normalize("NFKC").toLowerCase().replace(/ё/g, "е"); }
  function words(text) {
    return (fold(text).match(WORD) || []).map(function (w) {
      return { text: w, script: HANGUL.test(w) ? "hangul" : /[\u0400-\u04ff]/.test(w) ? "cyrillic" : "other" };
    });
  }
  // The query's distinct words, the first QUERY_WORDS of them (query.py: query_words): each is a look
  // through a bucket, and a pasted paragraph would have the reader wait for every one.
  function queryWords(text) {
    var seen = new Set();
    return words(text).filter(function (w) { return !seen.has(w.text) && seen.add(w.text); }).slice(0, QUERY_WORDS);
  }
  function bucket(key, count) {
    var value = 0x811c9dc5;
    for (var i = 0; i < key.length; i++) { value = Math.imul(value ^ key.charCodeAt(i), 0x01000193) >>> 0; }
    return value % count;
  }
  function bigrams(run) { var out = []; for (var i = 0; i + 1 < run.length; i++) { out.push(run.slice(i, i + 2)); } return out; }
  function stripParticle(run) {
    for (var i = 0; i < PARTICLES.length; i++) {
      var p = PARTICLES[i];
      if (run.slice(-p.length) === p && run.length - p.length >= 2) { run = run.slice(0, -p.length); break; }
    }
    if (run.slice(-PLURAL.length) === PLURAL && run.length - PLURAL.length >= 2) { run = run.slice(0, -PLURAL.length); }
    return run;
  }
  function koreanTerms(run) { return run.length === 1 ? [run] : bigrams(stripParticle(run)); }

  function readProperty(name, style) {
    var value = (style || getComputedStyle(document.documentElement)).getPropertyValue("--sz-" + name).trim();
    if (value.charAt(0) !== "\"") { return null; }
    return JSON.parse(value.slice(1, -1).replace(/\\([\s\S])/g, "$1"));
  }
  // Chunks that finished loading are read together: one style computation for all of them.
  var loaded = [], flushing = false;
  function flush() {
    var style = getComputedStyle(document.documentElement), batch = loaded;
    loaded = [];
    flushing = false;
    batch.forEach(function (item) { item.resolve(readProperty(item.name, style)); });
    batch.forEach(function (item) { item.link.remove(); });
  }
  function Index(link) {
    this.code = link.getAttribute("data-search-index");
    this.prefix = link.getAttribute("data-search-prefix");
    this.base = link.href.replace(/m\.css(\?.*)?$/, "");
    this.manifest = readProperty(this.prefix + "-m");
    this.chunks = {};
  }
  Index.prototype.chunk = function (name) {
    var self = this;
    if (!this.chunks[name]) {
      this.chunks[name] = new Promise(function (resolve) {
        var link = document.createElement("link");
        link.rel = "stylesheet";
        link.href = self.base + name + ".css?v=" + self.manifest.v;
        link.onload = function () {
          loaded.push({ name: self.prefix + "-" + name, link: link, resolve: resolve });
          if (!flushing) { flushing = true; setTimeout(flush, 0); }
        };
        link.onerror = function () { link.remove(); resolve(null); };
        document.head.appendChild(link);
      });
    }
    return this.chunks[name];
  };
  Index.prototype.bucket = function (kind, key) {
    return this.chunk(kind + bucket(key, this.manifest.buckets)).then(function (data) { return data || {}; });
  };
  Index.prototype.documentAt = function (n) {
    var per = this.manifest.per;
    return this.chunk("d" + Math.floor(n / per)).then(function (data) { return data[n % per]; });
  };

  function postings(flat) {
    var out = new Map(), n = 0;
    for (var i = 0; i < flat.length; i += 2) { n += flat[i]; out.set(n, flat[i + 1]); }
    return out;
  }
  function matchingStems(entries, word) {
    var roots = Object.keys(entries), exact = roots.filter(function (root) {
      var endings = entries[root][0];
      return endings.indexOf("=" + word) >= 0 || (word.indexOf(root) === 0 && endings.indexOf(word.slice(root.length)) >= 0);
    });
    if (exact.length || word.length < MIN_PREFIX) { return exact; }
    var found = roots.filter(function (root) { return root.indexOf(word) === 0; }), longest = null;
    // Russian drops or adds a vowel before a noun's last consonant (открытка, открыток): a stem that differs
    // from the word only by that vowel, either way, is the word itself; the longest stem the word begins
    // with would only be a guess beside it (query.py does the same).
    var short = withoutFleetingVowel(word), fleeting = roots.filter(function (root) {
      var rootShort = withoutFleetingVowel(root);
      return root === short || (rootShort && word.indexOf(rootShort) === 0 && word.length - rootShort.length <= 2);
    });
    if (fleeting.length) {
      fleeting.forEach(function (root) { if (found.indexOf(root) < 0) { found.push(root); } });
      return found;
    }
    // English stems turn a final y into i (family: famili), so an unseen "family" still finds "families".
    var variants = word.slice(-1) === "y" ? [word, word.slice(0, -1) + "i"] : [word];
    roots.forEach(function (root) {
      if (variants.some(function (v) { return v.indexOf(root) === 0; }) && root.length >= MIN_PREFIX &&
          (!longest || root.length > longest.length || (root.length === longest.length && root < longest))) { longest = root; }
    });
    if (longest && found.indexOf(longest) < 0) { found.push(longest); }
    return found;
  }
  function withoutFleetingVowel(text) {
    if (text.length >= 4 && "ое".indexOf(text.charAt(text.length - 2)) >= 0 &&
        "аеиоуыэюяйьъ".indexOf(text.charAt(text.length - 1)) < 0 && /[\u0400-\u04ff]/.test(text)) {
      return text.slice(0, -2) + text.slice(-1);
    }
    return null;
  }
  // Document number → weight for one word; the needles say what to mark in snippets.
  function wordMatches(index, word, needles) {
    if (word.script === "hangul") {
      var terms = koreanTerms(word.text);
      needles.push({ text: word.text.length === 1 ? word.text : stripParticle(word.text), whole: false });
      return Promise.all(terms.map(function (t) { return index.bucket("h", t); })).then(function (tables) {
        var found = null;
        tables.forEach(function (table, i) {
          var p = postings(table[terms[i]] || []);
          if (found === null) { found = p; return; }
          var next = new Map();
          found.forEach(function (w, n) { if (p.has(n)) { next.set(n, Math.min(w, p.get(n))); } });
          found = next;
        });
        return found || new Map();
      });
    }
    return index.bucket("x", word.text.slice(0, 2)).then(function (entries) {
      var result = new Map();
      needles.push({ text: word.text, whole: true });
      matchingStems(entries, word.text).forEach(function (root) {
        needles.push({ text: root, whole: true });
        postings(entries[root][1]).forEach(function (w, n) { result.set(n, Math.max(w, result.get(n) || 0)); });
      });
      return result;
    });
  }
  function searchLanguage(index, query, kinds, needles) {
    var list = queryWords(query);
    if (!list.length || !index.manifest) { return Promise.resolve([]); }
    return Promise.all(list.map(function (w) { return wordMatches(index, w, needles); })).then(function (maps) {
      var scores = maps[0];
      maps.slice(1).forEach(function (m) {
        var next = new Map();
        scores.forEach(function (s, n) { if (m.has(n)) { next.set(n, s + m.get(n)); } });
        scores = next;
      });
      var ranked = [];
      scores.forEach(function (s, n) { if (kinds.indexOf(index.manifest.kinds.charAt(n)) >= 0) { ranked.push([n, s]); } });
      ranked.sort(function (a, b) { return b[1] - a[1] || a[0] - b[0]; });
      return ranked.map(function (r) { return { index: index, number: r[0] }; });
    });
  }

  function siteUrl(index, path) {
    var root = index.base.replace(/_search\/[^/]+\/$/, "");
    if (location.protocol === "file:" && (path === "" || path.slice(-1) === "/")) { path += "index.html"; }
    return root + path;
  }
  function snippet(text, needles) {
    var folded = fold(text), hits = [];
    if (folded.length !== text.length) { return document.createTextNode(text.slice(0, SNIPPET)); }
    needles.forEach(function (needle) {
      var at = folded.indexOf(needle.text);
      while (at >= 0 && needle.text) {
        var wordStart = at === 0 || !LETTER.test(folded.charAt(at - 1));
        if (!needle.whole || wordStart) {
          var end = at + needle.text.length;
          if (needle.whole) { while (end < folded.length && LETTER.test(folded.charAt(end))) { end++; } }
          hits.push([at, end]);
        }
        at = folded.indexOf(needle.text, at + 1);
      }
    });
    hits.sort(function (a, b) { return a[0] - b[0] || b[1] - a[1]; });
    var start = hits.length ? Math.max(0, hits[0][0] - 60) : 0;
    if (start > 0) { var space = text.indexOf(" ", start); start = space >= 0 && space < hits[0][0] ? space + 1 : start; }
    var end = Math.min(text.length, start + SNIPPET), out = document.createDocumentFragment(), at = start;
    if (start > 0) { out.appendChild(document.createTextNode("… ")); }
    hits.forEach(function (hit) {
      if (hit[0] < at || hit[0] >= end) { return; }
      out.appendChild(document.createTextNode(text.slice(at, hit[0])));
      var mark = document.createElement("mark");
      mark.textContent = text.slice(hit[0], Math.min(hit[1], end));
      out.appendChild(mark);
      at = Math.min(hit[1], end);
    });
    out.appendChild(document.createTextNode(text.slice(at, end) + (end < text.length ? " …" : "")));
    return out;
  }
  function dateText(iso, lang) {
    if (!iso) { return ""; }
    try { return new Intl.DateTimeFormat(lang, { dateStyle: "long", timeZone: "UTC" }).format(new Date(iso + "T00:00:00Z")); }
    catch (e) { return iso; }
  }
  function render(found, needles, from, mine) {
    var until = Math.min(found.length, from + PAGE), reader = indexes[0].code;
    return Promise.all(found.slice(from, until).map(function (f) { return f.index.documentAt(f.number); })).then(function (docs) {
      if (mine !== run) { return; }  // a newer query owns the list now
      docs.forEach(function (doc, i) {
        var f = found[from + i], item = document.createElement("li"), link = document.createElement("a");
        var heading = document.createElement("h2"), meta = document.createElement("p"), text = document.createElement("p");
        if (f.index.code !== reader) { item.lang = f.index.code; item.className = "search-other"; }
        link.href = siteUrl(f.index, doc[0]);
        link.textContent = doc[1];
        heading.appendChild(link);
        meta.className = "search-meta";
        meta.textContent = [box.getAttribute("data-kind-" + doc[3]), dateText(doc[2], f.index.code)].filter(Boolean).join(" · ");
        text.appendChild(snippet(doc[4], needles));
        item.append(heading, meta, text);
        list.appendChild(item);
      });
      showing = until;
      more.hidden = until >= found.length;
    });
  }
  function say(template, count) { status.textContent = template.replace("{count}", count); }
  function search() {
    var query = input.value.trim(), mine = ++run, needles = [];
    var kinds = Array.prototype.filter.call(filters, function (f) { return f.checked; }).map(function (f) { return f.value; }).join("");
    var url = new URL(location.href);
    if (query) { url.searchParams.set("q", query); } else { url.searchParams.delete("q"); }
    try { history.replaceState(null, "", url.href); } catch (e) { /* file:// in some browsers */ }
    if (!query) { list.textContent = ""; more.hidden = true; status.textContent = ""; return; }
    Promise.all(indexes.map(function (index) { return searchLanguage(index, query, kinds, needles); })).then(function (parts) {
      if (mine !== run) { return null; }
      shown = [].concat.apply([], parts);
      list.textContent = "";
      say(shown.length ? box.getAttribute("data-found") : box.getAttribute("data-none"), shown.length);
      return render(shown, needles, 0, mine);
    });
    more.onclick = function () { render(shown, needles, showing, mine); };
  }

  indexes = Array.prototype.map.call(document.querySelectorAll("link[data-search-index]"), function (l) { return new Index(l); });
  box.querySelector(".search-nojs").hidden = true;
  form.hidden = false;
  form.addEventListener("submit", function (event) { event.preventDefault(); clearTimeout(timer); search(); });
  input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(search, 150); });
  Array.prototype.forEach.call(filters, function (f) { f.addEventListener("change", search); });
  var initial = new URLSearchParams(location.search).get("q");
  if (initial) { input.value = initial; search(); }
})();
