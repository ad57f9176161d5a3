// Shows, under each Markdown text box, how many characters are left before the save
// would be refused. The box has no maxlength: that cut long pastes short without a word.
// The count is the server's: code points (an emoji is one), line breaks as one each
// (the server turns the browser's CRLF into LF before it counts), spaces at either end
// left out (the server strips them). The number on screen follows every key; screen
// readers hear it once typing pauses, not at every key.
(function () {
  "use strict";
  var ANNOUNCE_AFTER_MS = 1000;
  // Python's str.strip() whitespace, which differs from JavaScript's trim().
  var SPACE = "[\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]";
  var EDGES = new RegExp("^" + SPACE + "+|" + SPACE + "+$", "g");

  function count(text) {
    return Array.from(text.replace(/\r\n?/g, "\n").replace(EDGES, "")).length;
  }

  function describe(left) {
    var n = Math.abs(left);
    var words = n.toLocaleString("en-GB") + (n === 1 ? " character" : " characters");
    return left < 0 ? words + " too many" : words + " left";
  }

  function setUp(field) {
    var limit = parseInt(field.getAttribute("data-max-length"), 10);
    if (!limit || field.readOnly || field.disabled) { return; }
    var id = (field.id || field.name) + "-count";
    if (document.getElementById(id)) { return; }

    var box = document.createElement("div");
    box.className = "char-count form-text";
    var shown = document.createElement("span");
    shown.setAttribute("aria-hidden", "true");
    shown.setAttribute("data-count-shown", "");
    var spoken = document.createElement("span");
    spoken.className = "visually-hidden";
    spoken.id = id;
    spoken.setAttribute("aria-live", "polite");
    spoken.setAttribute("data-count-spoken", "");
    box.appendChild(shown);
    box.appendChild(spoken);

    var timer = null;
    function update(announce) {
      var left = limit - count(field.value);
      shown.textContent = describe(left);
      box.classList.toggle("is-over", left < 0);
      window.clearTimeout(timer);
      if (announce) {
        timer = window.setTimeout(function () { spoken.textContent = describe(left); }, ANNOUNCE_AFTER_MS);
      } else {
        spoken.textContent = describe(left);
      }
    }
    update(false);  // filled before it is in the page, so nothing is announced on load
    field.insertAdjacentElement("afterend", box);
    var described = (field.getAttribute("aria-describedby") || "").split(/\s+/).filter(Boolean);
    if (described.indexOf(id) < 0) { described.push(id); }
    field.setAttribute("aria-describedby", described.join(" "));
    field.addEventListener("input", function () { update(true); });
  }

  function start() {
    document.querySelectorAll("textarea[data-max-length]").forEach(setUp);
  }

  window.ConsultCounter = { count: count, describe: describe };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
