// Search on /search/?q=…, over openfolio's static index (search/data/, see
// the README's "Search index" section). It fetches meta.json, then only the
// term chunks that can hold the words typed and the document chunks of the
// hits shown. Results are built with DOM nodes and textContent: nothing from
// the index is inserted as HTML.
"use strict";
(function () {
  const form = document.getElementById("search-page-form");
  const out = document.getElementById("search-results");
  const status = document.getElementById("search-status");
  if (!form || !out) return;
  const data = form.dataset.base + "search/data/";
  const input = form.elements.namedItem("q");
  const query = (new URLSearchParams(location.search).get("q") || "").trim();
  input.value = query;
  if (!query) return;
  status.textContent = form.dataset.loading;

  // The same tokens as the index: lower-cased runs of letters and digits,
  // 2 to 40 characters.
  const WORD = /[\p{Alphabetic}\p{N}]+/gu;
  function tokens(text) {
    return (text.toLowerCase().match(WORD) || []).filter(function (w) {
      const n = Array.from(w).length;
      return n >= 2 && n <= 40;
    });
  }

  const fetched = new Map();
  function get(name) {
    if (!fetched.has(name)) {
      fetched.set(name, fetch(data + name).then(function (r) {
        if (!r.ok) throw new Error(name + ": " + r.status);
        return r.json();
      }));
    }
    return fetched.get(name);
  }

  // The term chunks whose range can hold a term starting with `word`: chunk
  // i holds the terms from chunks[i] up to (not including) chunks[i + 1].
  function chunksFor(meta, word) {
    const out = [];
    const last = word + "\uffff";
    for (let i = 0; i < meta.chunks.length; i++) {
      const next = meta.chunks[i + 1];
      if (next !== undefined && next <= word) continue;
      if (meta.chunks[i] > last) break;
      out.push(i);
    }
    return out;
  }

  // Document number → score, for every term starting with `word` (a whole
  // word counts double; a word in the title counts most).
  async function hits(meta, word) {
    const scores = new Map();
    const chunks = await Promise.all(chunksFor(meta, word).map(function (i) { return get("t" + i + ".json"); }));
    for (const chunk of chunks) {
      for (const term in chunk) {
        if (!term.startsWith(word)) continue;
        const exact = term === word ? 2 : 1;
        let doc = 0;
        for (const p of chunk[term]) {
          doc += Math.floor(p / 4);
          const score = ((p % 4) + 1) * exact;
          if ((scores.get(doc) || 0) < score) scores.set(doc, score);
        }
      }
    }
    return scores;
  }

  // The snippet as text, with the words that start with a query word marked.
  function marked(text, words) {
    const frag = document.createDocumentFragment();
    let at = 0;
    for (const m of text.matchAll(WORD)) {
      const w = m[0].toLowerCase();
      if (!words.some(function (q) { return w.startsWith(q); })) continue;
      frag.appendChild(document.createTextNode(text.slice(at, m.index)));
      const mark = document.createElement("mark");
      mark.textContent = m[0];
      frag.appendChild(mark);
      at = m.index + m[0].length;
    }
    frag.appendChild(document.createTextNode(text.slice(at)));
    return frag;
  }

  async function search() {
    const meta = await get("meta.json");
    const common = new Set(meta.common);
    const words = Array.from(new Set(tokens(query))).filter(function (w) { return !common.has(w); });
    let found = [];
    if (words.length) {
      const perWord = await Promise.all(words.map(function (w) { return hits(meta, w); }));
      perWord.sort(function (a, b) { return a.size - b.size; });
      for (const [doc, score] of perWord[0]) {
        let total = score;
        for (const other of perWord.slice(1)) {
          const s = other.get(doc);
          if (s === undefined) { total = -1; break; }
          total += s;
        }
        if (total > 0) found.push([doc, total]);
      }
      found.sort(function (a, b) { return b[1] - a[1] || a[0] - b[0]; });
    }
    const n = found.length;
    const shown = found.slice(0, 50);
    const docs = await Promise.all(shown.map(async function (hit) {
      const chunk = await get("d" + Math.floor(hit[0] / meta.per_chunk) + ".json");
      return chunk[hit[0] % meta.per_chunk];
    }));
    status.textContent = (n === 1 ? form.dataset.one : form.dataset.many).replace("{n}", n).replace("{q}", query);
    for (const d of docs) {
      const [url, title, kind, snippet] = d;
      const li = document.createElement("li");
      li.className = "search-hit";
      const a = document.createElement("a");
      a.href = url;
      a.textContent = title || url;
      const tag = document.createElement("span");
      tag.className = "tag";
      tag.textContent = kind;
      const p = document.createElement("p");
      p.className = "summary";
      p.appendChild(marked(snippet || "", words));
      li.appendChild(a);
      li.appendChild(document.createTextNode(" "));
      li.appendChild(tag);
      li.appendChild(p);
      out.appendChild(li);
    }
  }

  search().catch(function () {
    status.textContent = form.dataset.failed;
  });
})();
