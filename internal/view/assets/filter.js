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
