// Time zone detection and a self-submitting zone picker. Pages work without it.
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  document.addEventListener("DOMContentLoaded", function () {
    var select = document.querySelector("[data-zone-select]");
    if (!select) { return; }
    select.addEventListener("change", function () { select.form.submit(); });
    if (!select.hasAttribute("data-detect")) { return; }
    var detected;
    try { detected = Intl.DateTimeFormat().resolvedOptions().timeZone; } catch (e) { return; }
    if (!detected || detected === select.value) { return; }
    for (var i = 0; i < select.options.length; i++) {
      if (select.options[i].value === detected) {
        var url = new URL(window.location.href);
        url.searchParams.set("tz", detected);
        window.location.replace(url.toString());
        return;
      }
    }
  });
})();
