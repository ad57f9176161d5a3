// The response page's bar for several questions at once: Select all, Select none, and
// "Select all in this chapter" under each chapter's heading, with a count of the ticked
// questions that screen readers hear (an aria-live region). Every control is a button,
// so it works from the keyboard as from the mouse. Without this script the ticks and
// the bar's Assign and Mark agreed still work; only these shortcuts are missing.
(function () {
  "use strict";
  var FORM = "selected-answers";

  function ticks(within) {
    return Array.prototype.slice.call(
      (within || document).querySelectorAll('input[type="checkbox"][name="answer"][form="' + FORM + '"]')
    );
  }

  function count() {
    var shown = document.querySelector("[data-bulk-count]");
    if (!shown) { return; }
    var selected = ticks().filter(function (tick) { return tick.checked; }).length;
    shown.textContent = selected + " selected";
  }

  function setAll(boxes, checked) {
    boxes.forEach(function (tick) { tick.checked = checked; });
    count();
  }

  // The ticks under a chapter's heading: those after it and before the next chapter's.
  function chapterTicks(heading) {
    var found = [];
    for (var node = heading.nextElementSibling; node; node = node.nextElementSibling) {
      if (node.matches("h2.appendix-chapter")) { break; }
      found = found.concat(ticks(node));
    }
    return found;
  }

  function addChapterButtons() {
    document.querySelectorAll(".appendix h2.appendix-chapter").forEach(function (heading) {
      var boxes = chapterTicks(heading);
      if (!boxes.length) { return; }
      var holder = document.createElement("p");
      holder.className = "select-chapter";
      var button = document.createElement("button");
      button.type = "button";
      button.className = "btn btn-link btn-sm p-0";
      button.textContent = "Select all in this chapter";
      var which = document.createElement("span");
      which.className = "visually-hidden";
      which.textContent = ": " + heading.textContent;
      button.appendChild(which);
      button.addEventListener("click", function () { setAll(chapterTicks(heading), true); });
      holder.appendChild(button);
      heading.insertAdjacentElement("afterend", holder);
    });
  }

  // What is focused or linked to (#q12 after a save) is kept clear of the bar.
  function keepClearOfBar(bar) {
    document.documentElement.style.scrollPaddingTop = bar.offsetHeight + 16 + "px";
  }

  function setUp() {
    var bar = document.getElementById(FORM);
    if (!bar) { return; }
    bar.querySelectorAll("[data-bulk-select]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        setAll(ticks(), button.getAttribute("data-bulk-select") === "all");
      });
    });
    addChapterButtons();
    document.addEventListener("change", function (event) {
      if (event.target.matches('input[name="answer"]')) { count(); }
    });
    count();
    keepClearOfBar(bar);
    window.addEventListener("resize", function () { keepClearOfBar(bar); });
    var target = window.location.hash && document.getElementById(window.location.hash.slice(1));
    if (target) { target.scrollIntoView(); }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
