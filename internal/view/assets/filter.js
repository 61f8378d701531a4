// Filters for static pages. The server applies the query's filters itself;
// pages written as files (lessonl report --html) have every row, and this
// hides those the query excludes. Elements carry the values they stand for
// as data-category, data-strategy, data-variant, data-seed and
// data-status; one that differs from a filter is hidden.
(function () {
  "use strict";
  var params = new URLSearchParams(window.location.search);
  var names = ["category", "strategy", "variant", "seed", "status"];
  names.forEach(function (name) {
    var select = document.querySelector('select[name="' + name + '"]');
    if (select && params.get(name)) {
      select.value = params.get(name);
    }
  });
  if (!document.body.hasAttribute("data-static")) {
    return;
  }
  var active = names.filter(function (name) { return params.get(name); });
  if (active.length === 0) {
    return;
  }
  var selector = active.map(function (name) { return "[data-" + name + "]"; }).join(",");
  document.querySelectorAll(selector).forEach(function (el) {
    for (var i = 0; i < active.length; i++) {
      var have = el.getAttribute("data-" + active[i]);
      if (have !== null && have !== params.get(active[i])) {
        el.hidden = true;
        return;
      }
    }
  });
})();

// Live pages (lessonl view on a run in progress) ask the server once a
// second which build of the run they show, and reload when it changes:
// new cells appear without a manual refresh.
(function () {
  "use strict";
  if (!document.body.hasAttribute("data-live")) {
    return;
  }
  var root = document.querySelector('link[rel="stylesheet"]').getAttribute("href").replace("assets/style.css", "");
  var seen = null;
  function poll() {
    fetch(root + "version", { cache: "no-store" }).then(function (r) { return r.json(); }).then(function (v) {
      if (seen !== null && v.version !== seen) {
        window.location.reload();
        return;
      }
      seen = v.version;
    }).catch(function () {}).finally(function () { setTimeout(poll, 1000); });
  }
  poll();
})();

// Sortable tables: a click on a heading with data-sort sorts the rows by
// that column (numbers by a cell's data-value or its text), a second click
// reverses.
(function () {
  "use strict";
  document.querySelectorAll("table.sortable").forEach(function (table) {
    var heads = table.querySelectorAll("thead th");
    heads.forEach(function (th, col) {
      var kind = th.getAttribute("data-sort");
      if (!kind) {
        return;
      }
      th.classList.add("sort");
      th.addEventListener("click", function () {
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        var dir = th.getAttribute("data-dir") === "asc" ? -1 : 1;
        heads.forEach(function (h) { h.removeAttribute("data-dir"); });
        th.setAttribute("data-dir", dir === 1 ? "asc" : "desc");
        var key = function (row) {
          var cell = row.cells[col];
          if (!cell) {
            return "";
          }
          var v = cell.hasAttribute("data-value") ? cell.getAttribute("data-value") : cell.textContent;
          return kind === "num" ? parseFloat(v) || 0 : v.trim();
        };
        rows.sort(function (a, b) {
          var x = key(a), y = key(b);
          return (x < y ? -1 : x > y ? 1 : 0) * dir;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  });
})();
