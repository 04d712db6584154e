// Loaded in <head> only while the customer has not chosen a zone: shows the
// page in the browser's own zone before anything is drawn in another one.
(function () {
  "use strict";
  var shown = document.documentElement.getAttribute("data-zone");
  var detected;
  try { detected = Intl.DateTimeFormat().resolvedOptions().timeZone; } catch (e) { return; }
  var url = new URL(window.location.href);
  if (!detected || detected === shown || url.searchParams.has("tz")) { return; }
  url.searchParams.set("tz", detected);
  window.location.replace(url.toString());
})();
