/*
 * The film player's tracking, in the xAPI Video Profile (https://w3id.org/xapi/video):
 * initialized, played, paused, seeked, completed and terminated, with the time, the segments
 * actually played in this viewing ("0[.]12.5[,]30[.]40"), the share of the film they cover,
 * and in the context the film's length, this viewing's session id and the completion
 * threshold.
 *
 * A segment runs from where playing started to the last position reached while playing, so a
 * jump ahead (a seek) closes it and leaves a gap: skipping never counts as watching.
 * Needs tracking.js (window.PathwayTracking).
 */
(function () {
  "use strict";

  var T = window.PathwayTracking;
  var VIDEO = "https://w3id.org/xapi/video";
  var ADL = "http://adlnet.gov/expapi/verbs/";
  var EXT = VIDEO + "/extensions/";

  var video = document.getElementById("film");
  var status = document.getElementById("tracking-status");
  var done = document.getElementById("activity-done");
  var launch = T.launchParameters(window.location.search);
  if (!video) { return; }
  if (!launch) {
    if (status) { status.textContent = "This film was not opened from your unit page, so watching it here is not recorded."; }
    return;
  }
  var settings = T.settingsFrom("tracking");
  var tracker = new T.Tracker(launch, settings, status);
  window.PathwayTracking.current = tracker;

  var session = T.uuid();
  var segments = [];        // closed segments of this viewing, merged
  var open = null;          // where the segment being played started, or null
  var last = 0;             // the furthest position reached while playing (the open segment's end)
  var lastWall = 0;         // when `last` was read (performance.now())
  var playingSince = null;  // wall time playing started, for the time spent
  var spentMs = 0;          // time spent playing not yet reported in a statement
  var seekFrom = null;
  var initialized = false, completed = false, terminated = false;

  function say(element, text) {
    if (element) { element.textContent = text; element.hidden = false; }
  }

  function round(x) { return Math.round(x * 1000) / 1000; }

  function length() {
    return isFinite(video.duration) && video.duration > 0 ? video.duration : settings.fallbackLength;
  }

  function merge(list) {
    var sorted = list.slice().sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; });
    var merged = [];
    sorted.forEach(function (s) {
      var top = merged[merged.length - 1];
      if (top && s[0] <= top[1]) { top[1] = Math.max(top[1], s[1]); } else { merged.push([s[0], s[1]]); }
    });
    return merged;
  }

  /* Where the open segment ends now: the position, but never further than playing could have
   * got since the last reading (a guard against a jump the events did not show). */
  function reached(position) {
    var most = last + (performance.now() - lastWall) / 1000 * (video.playbackRate || 1) + 0.5;
    return Math.max(open, Math.min(position, most));
  }

  function closeSegment(position) {
    if (open === null) { return; }
    var end = reached(position);
    if (end > open) { segments = merge(segments.concat([[round(open), round(end)]])); }
    open = null;
    last = end;
    lastWall = performance.now();
  }

  function stopClock() {
    if (playingSince !== null) { spentMs += performance.now() - playingSince; playingSince = null; }
  }

  function takeSpent() {
    var now = performance.now();
    if (playingSince !== null) { spentMs += now - playingSince; playingSince = now; }
    var ms = spentMs;
    spentMs = 0;
    return T.duration(ms);
  }

  function played() {
    var all = merge(open !== null && last > open ? segments.concat([[open, last]]) : segments);
    var total = length(), seconds = 0;
    all.forEach(function (s) { seconds += Math.max(0, Math.min(s[1], total) - Math.max(s[0], 0)); });
    return {segments: all, progress: Math.min(1, seconds / total)};
  }

  function segmentsText(list) {
    return list.map(function (s) { return round(s[0]) + "[.]" + round(s[1]); }).join("[,]");
  }

  function context() {
    var c = {};
    c[EXT + "length"] = round(length());
    c[EXT + "session-id"] = session;
    c[EXT + "completion-threshold"] = settings.completionThreshold;
    return c;
  }

  function resultWith(extra, withSegments, withDuration) {
    var extensions = {};
    var result = {extensions: extensions};
    Object.keys(extra).forEach(function (k) { extensions[EXT + k] = round(extra[k]); });
    if (withSegments) {
      var p = played();
      extensions[EXT + "played-segments"] = segmentsText(p.segments);
      extensions[EXT + "progress"] = round(p.progress);
    }
    if (withDuration) { result.duration = takeSpent(); }
    return result;
  }

  function make(verb, display, result) {
    return tracker.statement(verb, display, result, context());
  }

  function initialize() {
    if (initialized) { return; }
    initialized = true;
    tracker.send(make(ADL + "initialized", "initialized", null));
  }

  function checkCompleted() {
    if (completed || played().progress < settings.completionThreshold) { return; }
    completed = true;
    var resume = open !== null;
    closeSegment(last);
    var result = resultWith({time: video.currentTime}, true, true);
    result.completion = true;
    tracker.send(make(ADL + "completed", "completed", result));
    if (resume && !video.paused) { open = last; }
    say(done, "You have watched this film: it counts as complete.");
  }

  video.addEventListener("playing", function () {
    initialize();
    if (open === null) {
      open = video.currentTime;
      last = open;
      lastWall = performance.now();
      tracker.send(make(VIDEO + "/verbs/played", "played", resultWith({time: video.currentTime}, false, false)));
    }
    if (playingSince === null) { playingSince = performance.now(); }
  });

  video.addEventListener("timeupdate", function () {
    if (open === null || video.seeking) { return; }
    last = reached(video.currentTime);
    lastWall = performance.now();
    checkCompleted();
  });

  video.addEventListener("pause", function () {
    closeSegment(video.currentTime);
    stopClock();
    if (video.ended || video.seeking) { return; }  // "ended" or "seeked" says what happened
    tracker.send(make(VIDEO + "/verbs/paused", "paused", resultWith({time: video.currentTime}, true, true)));
    checkCompleted();
  });

  video.addEventListener("seeking", function () {
    if (seekFrom === null) { seekFrom = open !== null ? reached(last) : last; }
    closeSegment(last);
  });

  video.addEventListener("seeked", function () {
    var from = seekFrom === null ? last : seekFrom;
    seekFrom = null;
    last = video.currentTime;
    lastWall = performance.now();
    if (!video.paused) { open = video.currentTime; }
    tracker.send(make(VIDEO + "/verbs/seeked", "seeked", resultWith({"time-from": from, "time-to": video.currentTime}, false, false)));
  });

  video.addEventListener("ended", function () {
    closeSegment(length());
    stopClock();
    checkCompleted();
    if (!completed) {
      tracker.send(make(VIDEO + "/verbs/paused", "paused", resultWith({time: video.currentTime}, true, true)));
    }
  });

  video.addEventListener("error", function () {
    if (status) { status.textContent = "The film could not be loaded. Try again later, or download it with the link below."; }
  });

  if (video.readyState >= 1) { initialize(); } else { video.addEventListener("loadedmetadata", initialize); }

  window.addEventListener("pagehide", function () {
    if (terminated || !initialized) { return; }
    terminated = true;
    closeSegment(video.currentTime);
    stopClock();
    tracker.leave(make(ADL + "terminated", "terminated", resultWith({time: video.currentTime}, true, true)));
  });
})();
