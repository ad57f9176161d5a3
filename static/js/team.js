// The team page's search, as you type: the form is a plain GET (?q=) that lists the
// matching officers with an Add button each; this fetches the same list as the
// officer types and puts it in the results region (aria-live), so the Tab key goes
// on from the box to the first Add button. Enter still submits the form.
(function () {
  "use strict";

  var form = document.querySelector("form.team-search");
  var results = document.getElementById("team-results");
  if (!form || !results || !window.fetch) {
    return;
  }
  var input = form.querySelector("input[name=q]");
  var base = form.getAttribute("data-results-url");
  var timer = null;
  var asked = 0;

  function search() {
    var query = input.value.trim();
    var mine = ++asked;
    if (!query) {
      results.textContent = "";
      return;
    }
    var url = base + "?results=1&q=" + encodeURIComponent(query);
    fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (reply) {
        return reply.ok ? reply.text() : null;
      })
      .then(function (html) {
        if (html !== null && mine === asked) {
          // Our own server's page fragment, rendered and escaped by its templates.
          results.innerHTML = html;
          if (window.history.replaceState) {
            window.history.replaceState(null, "", base + "?q=" + encodeURIComponent(query));
          }
        }
      })
      .catch(function () {
        // No answer: the Search button still works.
      });
  }

  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(search, 250);
  });
})();
