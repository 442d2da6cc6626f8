// Search on /search/?q=…: loads Pagefind's engine only here, only when there
// is something to look for; Pagefind then fetches just the index chunks the
// words need. Results are built with DOM nodes and textContent: nothing from
// the index is inserted as HTML.
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

  // Pagefind's excerpt marks the words found with <mark>; keep only its text
  // and those marks, rebuilt as nodes (DOMParser runs no script).
  function excerpt(html) {
    const frag = document.createDocumentFragment();
    const doc = new DOMParser().parseFromString("<p>" + html + "</p>", "text/html");
    for (const node of doc.body.firstChild.childNodes) {
      if (node.nodeName === "MARK") {
        const m = document.createElement("mark");
        m.textContent = node.textContent;
        frag.appendChild(m);
      } else {
        frag.appendChild(document.createTextNode(node.textContent));
      }
    }
    return frag;
  }

  import(base + "pagefind/pagefind.js")
    .then(async function (pagefind) {
      await pagefind.options({ baseUrl: base, excerptLength: 24 });
      const search = await pagefind.search(query);
      const results = await Promise.all(search.results.slice(0, 50).map(function (r) { return r.data(); }));
      const n = search.results.length;
      status.textContent = (n === 1 ? form.dataset.one : form.dataset.many).replace("{n}", n).replace("{q}", query);
      for (const d of results) {
        const li = document.createElement("li");
        li.className = "search-hit";
        const a = document.createElement("a");
        a.href = d.url;
        a.textContent = d.meta.title || d.url;
        const kind = document.createElement("span");
        kind.className = "tag";
        kind.textContent = d.meta.kind || "";
        const p = document.createElement("p");
        p.className = "summary";
        p.appendChild(excerpt(d.excerpt || ""));
        li.appendChild(a);
        li.appendChild(document.createTextNode(" "));
        li.appendChild(kind);
        li.appendChild(p);
        out.appendChild(li);
      }
    })
    .catch(function () {
      status.textContent = form.dataset.failed;
    });
})();
