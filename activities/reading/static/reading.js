/*
 * The reading player's tracking: `initialized` on opening; every 30 seconds while the page is
 * visible a `progressed` statement whose `result.duration` is the visible time since the last
 * statement and whose cmi5 progress extension is the furthest share of the text reached
 * (0-100); a `progressed` at 100 when the end is reached (the end of the text comes into view,
 * or for a PDF the "I have read to the end" button); `completed` once the end is reached and
 * the minimum visible time has passed; `terminated` on leaving.
 *
 * Time counts only while the page is visible (Page Visibility API). `?heartbeat=N` in the
 * address sends the periodic statement every N seconds instead (for tests and demonstrations).
 * Needs tracking.js (window.PathwayTracking).
 */
(function () {
  "use strict";

  var T = window.PathwayTracking;
  var ADL = "http://adlnet.gov/expapi/verbs/";
  var PROGRESS = "https://w3id.org/xapi/cmi5/result/extensions/progress";

  var status = document.getElementById("tracking-status");
  var done = document.getElementById("activity-done");
  var text = document.getElementById("reading-text");
  var end = document.getElementById("reading-end");
  var doneButton = document.getElementById("reading-done");
  var launch = T.launchParameters(window.location.search);
  if (!launch) {
    if (status) { status.textContent = "This reading was not opened from your unit page, so reading it here is not recorded."; }
    if (doneButton) { doneButton.hidden = true; }
    return;
  }
  var settings = T.settingsFrom("tracking");
  var asked = Number(new URLSearchParams(window.location.search).get("heartbeat"));
  var heartbeatMs = Math.max(1, asked || settings.heartbeatSeconds || 30) * 1000;
  var minMs = (settings.minSeconds || 0) * 1000;
  var tracker = new T.Tracker(launch, settings, status);
  window.PathwayTracking.current = tracker;

  var visibleSince = document.visibilityState === "visible" ? performance.now() : null;
  var pendingMs = 0;     // visible time not yet reported in a statement
  var reportedMs = 0;    // visible time reported in this visit's statements
  var lastSent = performance.now();
  var furthest = 0;
  var endReached = false, completed = false, left = false;

  function say(element, text) {
    if (element) { element.textContent = text; element.hidden = false; }
  }

  function visibleMs() {
    return pendingMs + (visibleSince !== null ? performance.now() - visibleSince : 0);
  }

  function takeDuration() {
    var ms = visibleMs();
    pendingMs = 0;
    if (visibleSince !== null) { visibleSince = performance.now(); }
    reportedMs += ms;
    return T.duration(ms);
  }

  function make(verb, extra) {
    var result = {duration: takeDuration(), extensions: {}};
    result.extensions[PROGRESS] = furthest;
    if (extra) { Object.keys(extra).forEach(function (k) { result[k] = extra[k]; }); }
    lastSent = performance.now();
    return tracker.statement(ADL + verb, verb, result, null);
  }

  /* The furthest share of the text that has been above the bottom of the window. */
  function measure() {
    if (!text) { return; }
    var box = text.getBoundingClientRect();
    var share = box.height > 0 ? (window.innerHeight - box.top) / box.height : 1;
    furthest = Math.max(furthest, Math.floor(Math.max(0, Math.min(1, share)) * 100));
  }

  function checkCompleted() {
    if (completed || !endReached || reportedMs + visibleMs() < minMs) { return; }
    completed = true;
    tracker.send(make("completed", {completion: true}));
    say(done, "You have finished this reading: it counts as complete.");
  }

  function reachEnd() {
    if (endReached) { return; }
    endReached = true;
    furthest = 100;
    tracker.send(make("progressed"));
    if (doneButton) {
      doneButton.disabled = true;
      doneButton.textContent = "Marked as read to the end";
    }
    if (reportedMs + visibleMs() < minMs) {
      say(done, "You have reached the end. It will be finished once you have spent the time given above with it.");
    }
    checkCompleted();
  }

  function tick() {
    measure();
    checkCompleted();
    if (document.visibilityState === "visible" && performance.now() - lastSent >= heartbeatMs && visibleMs() > 0) {
      tracker.send(make("progressed"));
    }
  }

  tracker.send(tracker.statement(ADL + "initialized", "initialized", null, null));
  measure();
  window.addEventListener("scroll", measure, {passive: true});
  if (doneButton) {
    doneButton.addEventListener("click", reachEnd);
  } else if (end && "IntersectionObserver" in window) {
    new IntersectionObserver(function (entries) {
      if (entries.some(function (e) { return e.isIntersecting; })) { reachEnd(); }
    }).observe(end);
  }
  setInterval(tick, 1000);

  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") {
      if (visibleSince === null) { visibleSince = performance.now(); }
      return;
    }
    if (visibleSince !== null) { pendingMs += performance.now() - visibleSince; visibleSince = null; }
    // The page may never come back (a phone discards hidden tabs): report the time now.
    if (!left && pendingMs > 0) { tracker.leave(make("progressed")); }
  });

  window.addEventListener("pagehide", function () {
    if (left) { return; }
    left = true;
    checkCompleted();
    tracker.leave(make("terminated"));
  });

  window.addEventListener("pageshow", function (event) {
    if (!event.persisted || !left) { return; }
    left = false;  // back from the browser's page cache: a new visit
    tracker.send(tracker.statement(ADL + "initialized", "initialized", null, null));
  });
})();
