// Who else has this answer open. While the editor is open and in view, a heartbeat
// every 20 seconds tells the server this window is here and gets back who else is;
// the line above the editor (an aria-live region) says so. The window is named by an
// id made when the page loads, so the person's own other windows count too ("you, in
// another window"). As the page goes, a last beat removes the window at once;
// otherwise it is gone a minute after its last beat. Without this script the line
// drawn with the page still says who was here when it opened.
(function () {
  "use strict";

  var INTERVAL = 20000;
  var region = document.getElementById("presence");
  if (!region || !window.fetch) {
    return;
  }
  var url = region.getAttribute("data-presence-url");
  var token = region.getAttribute("data-csrf");
  var bytes = new Uint8Array(12);
  window.crypto.getRandomValues(bytes);
  var windowId = Array.prototype.map.call(bytes, function (b) {
    return ("0" + b.toString(16)).slice(-2);
  }).join("");
  var timer = null;
  var lastBeat = 0;
  var shown = region.textContent.trim();
  // The window this tab showed before (a reload, a save, a comment posted): its last
  // beat may reach the server after this page's first, which then removes it, so the
  // tab is never "you, in another window" to itself.
  var LEFT = "consult-presence-left";
  var replaces = null;
  try {
    replaces = window.sessionStorage.getItem(LEFT);
    window.sessionStorage.removeItem(LEFT);
  } catch (e) {
    replaces = null;
  }

  function form(extra) {
    var data = new FormData();
    data.append("csrfmiddlewaretoken", token);
    data.append("window", windowId);
    if (extra) {
      data.append(extra, "1");
    }
    if (replaces) {
      data.append("replaces", replaces);
    }
    return data;
  }

  function show(text) {
    if (text === shown) {
      return; // said already: a live region repeats nothing unchanged
    }
    shown = text;
    region.textContent = "";
    if (text) {
      var line = document.createElement("p");
      line.className = "alert alert-info py-2";
      line.textContent = text;
      region.appendChild(line);
    }
  }

  // A page whose line is gone (taken out by another script) says nothing more.
  function here() {
    return document.documentElement.contains(region);
  }

  function beat() {
    if (document.visibilityState !== "visible" || !here()) {
      return;
    }
    lastBeat = Date.now();
    fetch(url, {
      method: "POST",
      body: form(),
      credentials: "same-origin",
      headers: { "X-CSRFToken": token, Accept: "application/json" },
    })
      .then(function (reply) {
        return reply.ok ? reply.json() : null;
      })
      .then(function (data) {
        if (data) {
          replaces = null; // removed by this beat
          show(data.text || "");
        }
      })
      .catch(function () {
        // Offline for a moment: the next beat tries again.
      });
  }

  function start() {
    beat();
    window.clearInterval(timer);
    timer = window.setInterval(beat, INTERVAL);
  }

  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") {
      start();
    } else {
      window.clearInterval(timer);
    }
  });
  // About to type: ask again, so whoever opened the answer since is named first.
  document.addEventListener("focusin", function (event) {
    if (event.target.form && Date.now() - lastBeat > 1000) {
      beat();
    }
  });
  window.addEventListener("pagehide", function () {
    window.clearInterval(timer);
    try {
      window.sessionStorage.setItem(LEFT, windowId);
    } catch (e) {
      // No storage: the window's own last beat removes it, a moment later.
    }
    if (navigator.sendBeacon && here()) {
      navigator.sendBeacon(url, form("leaving"));
    }
  });
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) {
      start(); // back from the browser's cache: here again
    }
  });
  start();
})();
