/* The SCORM player page's own glue (the runtime itself is scorm-runtime.js).
 *
 * Opening another item, "Review" or "Start again" loads a new player page, and the server
 * opens the new session when it renders that page. So the SCO in the frame must be unloaded,
 * and its last data delivered, before the browser asks for the next page: otherwise the new
 * page could start from data a few seconds old. The frame is emptied first (the SCO's own
 * unload handlers call Terminate/LMSFinish), then the runtime is asked to deliver what it
 * still holds when it offers `window.PathwayScorm.finish()` (a Promise), and only then does
 * the browser follow the link. */
(function () {
  "use strict";

  var frame = document.getElementById("scorm-sco");
  var leaving = false;

  function finish() {
    var runtime = window.PathwayScorm;
    if (runtime && typeof runtime.finish === "function") {
      try {
        return Promise.resolve(runtime.finish());
      } catch (error) {
        return Promise.resolve();
      }
    }
    // No runtime hook: give a Terminate sent from the SCO's unload a moment to leave.
    return new Promise(function (resolve) { window.setTimeout(resolve, 300); });
  }

  function navigate(event) {
    var link = event.target.closest ? event.target.closest("a[data-scorm-navigate]") : null;
    if (!link || leaving || event.defaultPrevented || event.button !== 0 ||
        event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) {
      return;
    }
    event.preventDefault();
    leaving = true;
    var status = document.getElementById("scorm-runtime-status");
    if (status) { status.textContent = "Saving your progress…"; }
    if (frame) { frame.src = "about:blank"; }
    var timeout = new Promise(function (resolve) { window.setTimeout(resolve, 5000); });
    Promise.race([finish(), timeout]).then(function () {
      window.location.assign(link.href);
    }, function () {
      window.location.assign(link.href);
    });
  }

  document.addEventListener("click", navigate);
}());
