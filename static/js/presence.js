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
  var shown = region.textContent.trim();

  function form(extra) {
    var data = new FormData();
    data.append("csrfmiddlewaretoken", token);
    data.append("window", windowId);
    if (extra) {
      data.append(extra, "1");
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
  window.addEventListener("pagehide", function () {
    window.clearInterval(timer);
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
