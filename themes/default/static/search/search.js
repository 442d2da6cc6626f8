// Search on /search/?q=…: loads elasticlunr and the site's index only here,
// only when there is something to look for. Results are built with DOM
// nodes and textContent: nothing from the index is ever parsed as HTML.
"use strict";
(function () {
  const form = document.getElementById("search-page-form");
  const out = document.getElementById("search-results");
  const status = document.getElementById("search-status");
  if (!form || !out) return;
  const base = form.dataset.base;
  const input = form.elements.namedItem("q");
  const query = (new URLSearchParams(location.search).get("q") || "").trim();
  input.value = query;
  if (!query) return;
  status.textContent = form.dataset.loading;

  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      const s = document.createElement("script");
      s.src = src;
      s.onload = resolve;
      s.onerror = reject;
      document.head.appendChild(s);
    });
  }

  // The snippet with each query word wrapped in <mark>, as text nodes.
  function highlighted(text, words) {
    const frag = document.createDocumentFragment();
    const lower = text.toLowerCase();
    let i = 0;
    while (i < text.length) {
      let next = -1, len = 0;
      for (const w of words) {
        const at = lower.indexOf(w, i);
        if (at !== -1 && (next === -1 || at < next)) { next = at; len = w.length; }
      }
      if (next === -1) { frag.appendChild(document.createTextNode(text.slice(i))); break; }
      frag.appendChild(document.createTextNode(text.slice(i, next)));
      const m = document.createElement("mark");
      m.textContent = text.slice(next, next + len);
      frag.appendChild(m);
      i = next + len;
    }
    return frag;
  }

  Promise.all([
    loadScript(base + "search/elasticlunr.min.js"),
    fetch(base + "search/index.json").then(function (r) { return r.json(); }),
    fetch(base + "search/docs.json").then(function (r) { return r.json(); }),
  ]).then(function (loaded) {
    const index = window.elasticlunr.Index.load(loaded[1]);
    const docs = loaded[2];
    const hits = index.search(query, { fields: { title: { boost: 3 }, body: { boost: 1 } }, bool: "AND", expand: true });
    const words = query.toLowerCase().split(/\s+/).filter(function (w) { return w.length > 1; });
    status.textContent = (hits.length === 1 ? form.dataset.one : form.dataset.many).replace("{n}", hits.length).replace("{q}", query);
    for (const hit of hits.slice(0, 100)) {
      const doc = docs[Number(hit.ref)];
      if (!doc) continue;
      const li = document.createElement("li");
      li.className = "search-hit";
      const a = document.createElement("a");
      a.href = doc[1];
      a.textContent = doc[0];
      const kind = document.createElement("span");
      kind.className = "tag";
      kind.textContent = doc[2];
      const p = document.createElement("p");
      p.className = "summary";
      p.appendChild(highlighted(doc[3] || "", words));
      li.appendChild(a);
      li.appendChild(document.createTextNode(" "));
      li.appendChild(kind);
      li.appendChild(p);
      out.appendChild(li);
    }
  }).catch(function () {
    status.textContent = form.dataset.failed;
  });
})();
