// Keeps what an officer types in this browser until the server confirms it saved,
// so a closed tab or an expired session loses no words. Drafts are kept per signed-in
// user and cleared when they sign out, so the next person at this browser never
// sees them.
(function () {
  "use strict";
  var ROOT = "consult:draft:";
  var PREFIX = ROOT + (document.body.getAttribute("data-user") || "anonymous") + ":";

  function read(key) {
    try { return JSON.parse(window.localStorage.getItem(PREFIX + key) || "null"); }
    catch (e) { return null; }
  }
  function write(key, value) {
    try { window.localStorage.setItem(PREFIX + key, JSON.stringify(value)); } catch (e) { /* storage full or off */ }
  }
  function forget(key) {
    try { window.localStorage.removeItem(PREFIX + key); } catch (e) { /* storage off */ }
  }

  function forgetAll() {
    try {
      var keys = [];
      for (var i = 0; i < window.localStorage.length; i++) {
        var name = window.localStorage.key(i);
        if (name && name.indexOf(ROOT) === 0) { keys.push(name); }
      }
      keys.forEach(function (name) { window.localStorage.removeItem(name); });
    } catch (e) { /* storage off */ }
  }

  function start() {
    if (document.querySelector("[data-signed-out]")) { forgetAll(); }
    document.querySelectorAll("form[data-sign-out]").forEach(function (form) {
      form.addEventListener("submit", forgetAll);
    });
    document.querySelectorAll("[data-clear-draft]").forEach(function (el) {
      forget(el.getAttribute("data-clear-draft"));
    });

    var field = document.querySelector("textarea[data-draft-key]");
    if (!field) { return; }
    var key = field.getAttribute("data-draft-key");
    var version = field.form && field.form.querySelector("input[name=version]");
    var banner = document.getElementById("draft-banner");
    var kept = read(key);

    if (kept && kept.text !== field.value && banner) {
      var when = banner.querySelector("[data-draft-when]");
      if (when && kept.savedAt) {
        when.textContent = "on " + new Date(kept.savedAt).toLocaleString("en-GB");
      }
      banner.hidden = false;
      banner.querySelector("[data-draft-restore]").addEventListener("click", function () {
        field.value = kept.text;
        // A draft begun on an older version goes through the conflict page on save.
        if (version && kept.version) { version.value = kept.version; }
        banner.hidden = true;
        field.dispatchEvent(new Event("input", { bubbles: true }));
        field.focus();
      });
      banner.querySelector("[data-draft-discard]").addEventListener("click", function () {
        forget(key);
        banner.hidden = true;
        field.focus();
      });
    } else if (kept && !field.closest("[data-draft-unsaved]")) {
      // The box shows the saved text and the draft is that text: nothing to keep. A box
      // showing posted-back words (a refused save, a conflict) is not saved: keep it.
      forget(key);
    }

    field.addEventListener("input", function () {
      write(key, {
        text: field.value,
        version: version ? version.value : null,
        savedAt: new Date().toISOString()
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
