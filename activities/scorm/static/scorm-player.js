/* The SCORM player page's own glue (the runtime itself is scorm-runtime.js).
 *
 * - The current SCO's status in the contents follows the server's answers
 *   (`scorm:committed`).
 * - Opening another item, "Review" or "Start again" loads a new player page, and the server
 *   opens the new session when it renders that page. So the SCO in the frame is unloaded, and
 *   its last data delivered, before the browser asks for the next page (otherwise the new
 *   page could start from data a few seconds old): the frame is emptied first (the SCO's own
 *   unload handlers call Terminate/LMSFinish), then the runtime delivers what it still holds
 *   (`PathwayScorm.finish()` when the runtime offers it; else its page-exit path), and only
 *   then does the browser follow the link.
 * - A SCORM 2004 navigation request made at Terminate (continue, previous, choice, jump)
 *   opens the item it names. */
(function () {
  "use strict";

  var frame = document.getElementById("scorm-sco");
  var contents = document.getElementById("scorm-contents");
  var statusLine = document.getElementById("scorm-runtime-status");
  var leaving = false;

  function label(status) {
    if (!status) { return null; }
    if (status.success === "passed") { return "Passed"; }
    if (status.success === "failed") { return "Failed"; }
    if (status.completion === "completed") { return "Completed"; }
    if (status.completion === "browsed") { return "Browsed"; }
    return "In progress";
  }

  window.addEventListener("scorm:committed", function (event) {
    var answer = event.detail && event.detail.answer;
    var current = contents && contents.querySelector("li.current");
    var text = label(answer && answer.status);
    if (!current || !text || current.getAttribute("data-status") === null) { return; }
    current.setAttribute("data-status", text);
    var shown = current.querySelector(".scorm-status");
    if (shown) { shown.textContent = text; }
    var state = document.getElementById("scorm-state-words");  // the line above the SCO
    if (state) { state.textContent = text; }
  });

  function wait(milliseconds) {
    return new Promise(function (resolve) { window.setTimeout(resolve, milliseconds); });
  }

  function drained(runtime) {
    // Resolves once every request the runtime sent has been answered.
    return new Promise(function (resolve) {
      (function check() {
        if (!runtime.unacknowledged || runtime.unacknowledged.length === 0) { resolve(); return; }
        window.setTimeout(check, 50);
      }());
    });
  }

  function finish() {
    var scorm = window.PathwayScorm;
    if (scorm && typeof scorm.finish === "function") {
      return Promise.resolve(scorm.finish());
    }
    var runtime = scorm && scorm.current;
    if (!runtime) { return Promise.resolve(); }
    return wait(50).then(function () {  // the SCO's unload handlers run as the frame empties
      if (runtime.state === "running" && typeof runtime.pagehide === "function") {
        runtime.pagehide();  // the page-exit path: a beacon with everything unsent
        return wait(300);
      }
      return drained(runtime);
    });
  }

  function leave(href, form) {
    // `form`: a form to submit instead of following `href` ("Start again").
    if (leaving) { return; }
    leaving = true;
    if (statusLine) { statusLine.textContent = "Saving your progress…"; }
    if (frame) { frame.src = "about:blank"; }
    var go = function () {
      if (form) { form.submit(); } else { window.location.assign(href); }
    };
    Promise.race([finish(), wait(5000)]).then(go, go);
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form || !form.hasAttribute || !form.hasAttribute("data-scorm-navigate") ||
        event.defaultPrevented) {
      return;
    }
    event.preventDefault();
    leave(null, form);
  });

  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a[data-scorm-navigate]") : null;
    if (!link || event.defaultPrevented || event.button !== 0 ||
        event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) {
      return;
    }
    event.preventDefault();
    leave(link.href);
  });

  function itemUrl(identifier) {
    if (!contents) { return null; }
    var items = contents.querySelectorAll("li[data-url]");
    for (var i = 0; i < items.length; i += 1) {
      if (items[i].getAttribute("data-identifier") === identifier) {
        return items[i].getAttribute("data-url");
      }
    }
    return null;
  }

  function neighbour(step) {
    if (!contents) { return null; }
    var items = Array.prototype.slice.call(contents.querySelectorAll("li[data-url]"));
    var here = -1;
    items.forEach(function (item, index) {
      if (item.classList.contains("current")) { here = index; }
    });
    var next = items[here + step];
    return here >= 0 && next ? next.getAttribute("data-url") : null;
  }

  window.addEventListener("scorm:navrequest", function (event) {
    var request = String((event.detail && event.detail.request) || "");
    var target = /^\{target=([^}]+)\}(choice|jump)$/.exec(request);
    var href = null;
    if (request === "continue") { href = neighbour(1); }
    else if (request === "previous") { href = neighbour(-1); }
    else if (target) { href = itemUrl(target[1]); }
    if (href) { leave(href); }
  });
}());
