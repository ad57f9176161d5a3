// The page that waits for a document: htmx polls it, and when the answer says the
// document is ready (data-ready holds its address), the download starts here, while
// the page keeps its "ready" message and a link to download it again.
(function () {
  "use strict";
  document.addEventListener("htmx:afterSwap", function () {
    var ready = document.querySelector("#preparing[data-ready]");
    if (ready && !ready.hasAttribute("data-started")) {
      ready.setAttribute("data-started", "");
      window.location.assign(ready.getAttribute("data-ready"));
    }
  });
})();
