// dossier: keyboard shortcuts. Every page works without this file.
// "/" focuses search, j/k move through the page's list items, o (or
// Enter on an item) opens the selected item, ? shows the shortcuts.
(function () {
  "use strict";
  var current = -1;

  function items() {
    return Array.prototype.slice.call(document.querySelectorAll("[data-nav]"));
  }

  function select(i) {
    var list = items();
    if (list.length === 0) return;
    i = Math.max(0, Math.min(list.length - 1, i));
    if (current >= 0 && list[current]) list[current].classList.remove("current");
    current = i;
    var el = list[i];
    el.classList.add("current");
    var link = el.querySelector("a[href]");
    if (link) {
      link.focus({ preventScroll: true });
    } else {
      el.setAttribute("tabindex", "-1");
      el.focus({ preventScroll: true });
    }
    el.scrollIntoView({ block: "nearest" });
  }

  function open() {
    var list = items();
    var el = list[current];
    if (!el) return;
    var link = el.querySelector("a[href]");
    if (link) window.location.assign(link.href);
  }

  function typing(t) {
    if (!t) return false;
    var n = t.tagName;
    return n === "INPUT" || n === "TEXTAREA" || n === "SELECT" || t.isContentEditable;
  }

  document.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    var dialog = document.getElementById("keys");
    if (typing(e.target)) {
      if (e.key === "Escape") e.target.blur();
      return;
    }
    switch (e.key) {
      case "/": {
        var q = document.getElementById("q");
        if (q) { e.preventDefault(); q.focus(); q.select(); }
        break;
      }
      case "j": e.preventDefault(); select(current + 1); break;
      case "k": e.preventDefault(); select(current < 0 ? 0 : current - 1); break;
      case "o": if (current >= 0) { e.preventDefault(); open(); } break;
      case "?":
        if (dialog && typeof dialog.showModal === "function") {
          e.preventDefault();
          if (dialog.open) dialog.close(); else dialog.showModal();
        } else {
          window.location.assign("/help");
        }
        break;
    }
  });
})();
