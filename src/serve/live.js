// openfolio serve: reloads this tab when the site changes. Injected only by
// `openfolio serve`, never into a built site.
"use strict";
(function () {
  const here = location.pathname;
  const events = new EventSource("/__openfolio/events");
  events.addEventListener("reload", function (e) {
    let paths = [];
    try { paths = JSON.parse(e.data); } catch (_) { paths = ["*"]; }
    const page = here.endsWith("/") ? here + "index.html" : here;
    if (paths.includes("*") || paths.includes(page) || paths.includes(here)) location.reload();
  });
})();
