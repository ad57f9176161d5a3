// The copy page: each "Copy answer N" button puts that answer's plain text on the
// clipboard. Browsers give the clipboard API only to secure pages, and a council
// intranet on plain http has none, so where it is missing or refused the answer is
// selected instead and the officer told to press Ctrl+C. Focus stays on the button
// either way, so the next Tab reaches the next answer. Without this script the
// buttons stay hidden and the text is there to select by hand.
(function () {
  "use strict";

  // Emptied first and filled a moment later, so a screen reader announces the same
  // message again when the same answer is copied twice.
  function say(button, message) {
    document.querySelectorAll(".copy-status").forEach(function (status) {
      status.textContent = "";
    });
    var status = button.parentNode.querySelector(".copy-status");
    if (status) {
      window.setTimeout(function () { status.textContent = message; }, 100);
    }
  }

  function select(answer) {
    var range = document.createRange();
    range.selectNodeContents(answer);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  function copy(button) {
    var answer = document.getElementById(button.getAttribute("data-copy"));
    var number = button.getAttribute("data-number");
    if (!answer) { return; }
    function fallback() {
      select(answer);
      say(button, "Press Ctrl+C (or Cmd+C) to copy answer " + number + ": it is selected.");
    }
    var clipboard = navigator.clipboard;
    if (!clipboard || typeof clipboard.writeText !== "function") { fallback(); return; }
    var writing;
    try {
      writing = clipboard.writeText(answer.textContent);
    } catch (e) {
      fallback();
      return;
    }
    writing.then(function () { say(button, "Answer " + number + " copied."); }, fallback);
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("button[data-copy]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { copy(button); });
    });
  });
})();
