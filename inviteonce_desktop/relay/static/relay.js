// Enhancements only: every page works without this file.
// Filters the zone list as one types (detect.js finds the customer's zone), moves
// through the calendar with the arrow keys and opens a day's times in place.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  function loadAllZones(select) {
    if (!select.dataset.zones) { return Promise.resolve(); }
    if (select.allZones) { return select.allZones; }
    select.allZones = fetch(select.dataset.zones, { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : ""; })
      .then(function (html) {
        var have = {};
        for (var i = 0; i < select.options.length; i++) { have[select.options[i].value] = true; }
        var links = new DOMParser().parseFromString(html, "text/html").querySelectorAll("a[data-zone]");
        Array.prototype.forEach.call(links, function (link) {
          var name = link.getAttribute("data-zone");
          if (!have[name]) { select.add(new Option(link.textContent, name)); }
        });
      })
      .catch(function () { select.allZones = null; });
    return select.allZones;
  }

  function zonePicker(root) {
    var select = root.querySelector("[data-zone-select]");
    if (!select || select.hasAttribute("data-ready")) { return; }
    select.setAttribute("data-ready", "");
    select.addEventListener("change", function () { select.form.submit(); });
    var search = document.createElement("input");
    search.type = "search";
    search.id = "tz-search";
    // The page's own words, in the page's language.
    var label = select.dataset.searchLabel || "Search time zones";
    search.placeholder = label;
    search.setAttribute("aria-label", label);
    search.setAttribute("aria-controls", "tz");
    search.autocomplete = "off";
    select.parentNode.insertBefore(search, select);
    function filter() {
      var words = search.value.toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      for (var i = 0; i < select.options.length; i++) {
        var option = select.options[i];
        var text = (option.textContent + " " + option.value).toLowerCase().replace(/_/g, " ");
        var match = words.every(function (word) { return text.indexOf(word) >= 0; });
        option.hidden = !match;
        if (match) { shown++; }
      }
      select.size = words.length ? Math.max(2, Math.min(8, shown)) : 0;
    }
    search.addEventListener("focus", function () { loadAllZones(select).then(filter); });
    search.addEventListener("input", function () {
      filter();
      loadAllZones(select).then(filter);
    });
    search.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" || event.key === "Enter") {
        for (var i = 0; i < select.options.length; i++) {
          if (!select.options[i].hidden) {
            event.preventDefault();
            if (event.key === "Enter") {
              select.value = select.options[i].value;
              select.form.submit();
            } else {
              select.focus();
            }
            return;
          }
        }
      }
    });
  }

  function calendarKeys(root) {
    var grid = root.querySelector("[data-calendar] table");
    if (!grid) { return; }
    var cells = Array.prototype.slice.call(grid.querySelectorAll("[data-day]"));
    if (!cells.length) { return; }
    var current = grid.querySelector(".day.selected") || grid.querySelector(".day.open") || cells[0];
    cells.forEach(function (cell) { cell.tabIndex = cell === current ? 0 : -1; });
    grid.addEventListener("keydown", function (event) {
      var index = cells.indexOf(document.activeElement);
      if (index < 0) { return; }
      var moves = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -7, ArrowDown: 7 };
      var target = index;
      if (event.key in moves) {
        target = Math.min(cells.length - 1, Math.max(0, index + moves[event.key]));
      } else if (event.key === "Home") {
        target = index - (new Date(cells[index].dataset.day + "T12:00:00Z").getUTCDay() + 6) % 7;
      } else if (event.key === "End") {
        target = index + 6 - (new Date(cells[index].dataset.day + "T12:00:00Z").getUTCDay() + 6) % 7;
      } else if (event.key === " " && cells[index].tagName === "A") {
        event.preventDefault();
        cells[index].click();
        return;
      } else {
        return;
      }
      event.preventDefault();
      target = Math.min(cells.length - 1, Math.max(0, target));
      cells[index].tabIndex = -1;
      cells[target].tabIndex = 0;
      cells[target].focus();
    });
  }

  function swapPicker(href, focusSelector, push) {
    var picker = document.querySelector("[data-picker]");
    return fetch(href, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (response) {
        if (!response.ok) { throw new Error("status " + response.status); }
        return response.text();
      })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html").querySelector("[data-picker]");
        if (!fresh || !picker) { throw new Error("no picker"); }
        picker.innerHTML = fresh.innerHTML;
        if (push) { window.history.pushState({ picker: true }, "", href); }
        enhance(picker);
        var focus = picker.querySelector(focusSelector);
        if (focus) { focus.focus(); }
      })
      .catch(function () { window.location.assign(href); });
  }

  function inPlace(root) {
    var picker = root.matches && root.matches("[data-picker]") ? root : root.querySelector("[data-picker]");
    if (!picker || picker.hasAttribute("data-ready")) { return; }
    picker.setAttribute("data-ready", "");
    picker.addEventListener("keydown", function (event) {
      // Times look like buttons, so Space works on them as on a button.
      if (event.key === " " && event.target.matches && event.target.matches("a.slot")) {
        event.preventDefault();
        event.target.click();
      }
    });
    picker.addEventListener("click", function (event) {
      var link = event.target.closest("a.day.open, a[data-nav]");
      if (!link || event.ctrlKey || event.metaKey || event.shiftKey) { return; }
      event.preventDefault();
      var wide = window.matchMedia("(min-width: 64rem)").matches;
      var focus = link.hasAttribute("data-nav") ? "[data-nav]" :
        (wide ? ".day.selected" : "#times-title");
      swapPicker(link.href, focus, true);
    });
  }

  // The waiting page of a held pick: wait for the verdict, then load the page again
  // (the server sends the customer on). Without scripts the page refreshes itself.
  function awaitVerdict() {
    var box = document.querySelector("[data-recheck]");
    if (!box) { return; }
    var url = box.getAttribute("data-recheck");
    function again() { window.location.replace(window.location.href); }
    function ask() {
      fetch(url, { credentials: "same-origin", headers: { accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (answer) {
          if (answer && answer.status === "checking") { ask(); } else if (answer) { again(); }
          else { window.setTimeout(again, 1000); }
        })
        .catch(function () { window.setTimeout(again, 1000); });
    }
    ask();
  }

  function enhance(root) {
    zonePicker(root);
    calendarKeys(root);
  }

  // Tells the relay once that the customer has the page open: only when the page is
  // visible (not prerendered, not a background tab), so a prefetch never counts.
  function reportOpen() {
    var body = document.body;
    var url = body && body.getAttribute("data-open");
    if (!url || reportOpen.sent) { return; }
    function send() {
      if (reportOpen.sent || document.prerendering || document.visibilityState !== "visible") { return; }
      reportOpen.sent = true;
      var form = new URLSearchParams();
      form.set("proof", body.getAttribute("data-open-proof") || "");
      fetch(url, { method: "POST", credentials: "same-origin", body: form, keepalive: true })
        .catch(function () { reportOpen.sent = false; });
    }
    document.addEventListener("visibilitychange", send);
    document.addEventListener("prerenderingchange", send);
    send();
  }

  window.addEventListener("popstate", function () {
    if (document.querySelector("[data-picker]")) {
      swapPicker(window.location.href, "#times-title", false);
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    enhance(document);
    inPlace(document);
    reportOpen();
    awaitVerdict();
  });
})();
