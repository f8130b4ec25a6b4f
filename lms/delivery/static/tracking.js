/*
 * Pathway's browser tracking: reads the xAPI launch parameters from the page's address
 * (endpoint, auth, actor, registration, activity_id), builds statements about the launched
 * activity and sends them to the LRS with the launch credentials.
 *
 * Every statement gets its own id when it is made, so sending it again after a failure can
 * never count it twice (the LRS keeps one copy). Statements wait in a queue until the LRS
 * has taken them; on leaving the page what is left goes with `keepalive`.
 *
 * The player's settings come from a `<script type="application/json" id="tracking">`:
 * {"name": ..., "activityType": IRI, "parent": IRI, "grouping": IRI, "category": [IRI...]}.
 */
(function () {
  "use strict";

  var VERSION = "1.0.3";

  function uuid() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  /* An ISO 8601 duration of `ms` milliseconds, to the hundredth of a second. */
  function duration(ms) {
    return "PT" + (Math.max(0, ms) / 1000).toFixed(2) + "S";
  }

  /* The launch parameters, or null when the page was not opened through a launch. */
  function launchParameters(search) {
    var query = new URLSearchParams(search);
    var wanted = ["endpoint", "auth", "actor", "registration", "activity_id"];
    var found = {};
    for (var i = 0; i < wanted.length; i++) {
      var value = query.get(wanted[i]);
      if (!value) { return null; }
      found[wanted[i]] = value;
    }
    try { found.actor = JSON.parse(found.actor); } catch (e) { return null; }
    if (!/\/$/.test(found.endpoint)) { found.endpoint += "/"; }
    return found;
  }

  function settingsFrom(id) {
    var element = document.getElementById(id || "tracking");
    return element ? JSON.parse(element.textContent) : {};
  }

  /* Tracks one launched activity; `status` is an element that tells the learner how it goes. */
  function Tracker(launch, settings, status) {
    this.launch = launch;
    this.settings = settings;
    this.status = status;
    this.queue = [];
    this.sending = false;
    this.again = false;
    this.sent = [];      // ids the LRS has taken (the browser tests read this)
    this.problem = null;
    this.retry = null;   // the timer of the next try after a failure
    this.wait = 0;
    var tracker = this;
    window.addEventListener("online", function () { tracker.flush(); });
  }

  Tracker.prototype.statement = function (verb, display, result, extensions) {
    var s = this.settings;
    var definition = {type: s.activityType};
    if (s.name) { definition.name = {"en-GB": s.name}; }
    var contextActivities = {};
    if (s.parent) { contextActivities.parent = [{id: s.parent, objectType: "Activity"}]; }
    if (s.grouping) { contextActivities.grouping = [{id: s.grouping, objectType: "Activity"}]; }
    if (s.category && s.category.length) {
      contextActivities.category = s.category.map(function (id) { return {id: id, objectType: "Activity"}; });
    }
    var context = {registration: this.launch.registration, contextActivities: contextActivities};
    if (extensions) { context.extensions = extensions; }
    var statement = {
      id: uuid(),
      actor: this.launch.actor,
      verb: {id: verb, display: {"en-GB": display}},
      object: {objectType: "Activity", id: this.launch.activity_id, definition: definition},
      context: context,
      timestamp: new Date().toISOString()
    };
    if (result) { statement.result = result; }
    return statement;
  };

  Tracker.prototype.request = function (statements, keepalive) {
    return fetch(this.launch.endpoint + "statements", {
      method: "POST",
      headers: {
        "Authorization": this.launch.auth,
        "X-Experience-API-Version": VERSION,
        "Content-Type": "application/json"
      },
      body: JSON.stringify(statements),
      keepalive: !!keepalive,
      credentials: "omit"
    });
  };

  /* Queue a statement and send the queue. */
  Tracker.prototype.send = function (statement) {
    this.queue.push(statement);
    this.flush();
    return statement;
  };

  Tracker.prototype.flush = function () {
    if (this.sending) { this.again = true; return; }
    if (!this.queue.length || this.problem) { return; }
    var batch = this.queue.slice();
    var tracker = this;
    this.sending = true;
    this.request(batch, false).then(function (response) {
      if (response.ok) {
        tracker.taken(batch, true);
        tracker.say("Your progress is being recorded.");
      } else if (response.status >= 500 || response.status === 429) {
        tracker.say("Your progress could not be recorded just now; trying again shortly.");
      } else {
        // 4xx: sending the same again will not help (expired or refused credentials).
        tracker.problem = response.status;
        tracker.taken(batch, false);
        tracker.say(response.status === 401
          ? "Your session for this activity has expired: open it again from your unit page so your progress is recorded."
          : "Your progress could not be recorded (error " + response.status + ").");
      }
    }, function () {
      tracker.say("You seem to be offline; your progress will be sent when you reconnect.");
    }).then(function () {
      tracker.sending = false;
      if (tracker.again) {
        tracker.again = false;
        tracker.flush();
      } else if (tracker.queue.length && !tracker.problem && !tracker.retry) {
        // Not taken: try again later, waiting longer each time (5 s doubling to a minute).
        tracker.wait = Math.min((tracker.wait || 2500) * 2, 60000);
        tracker.retry = setTimeout(function () { tracker.retry = null; tracker.flush(); }, tracker.wait);
      } else if (!tracker.queue.length) {
        tracker.wait = 0;
      }
    });
  };

  Tracker.prototype.taken = function (batch, stored) {
    var ids = {};
    for (var i = 0; i < batch.length; i++) {
      ids[batch[i].id] = true;
      if (stored) { this.sent.push(batch[i].id); }
    }
    this.queue = this.queue.filter(function (s) { return !ids[s.id]; });
  };

  /* On leaving (or hiding) the page: send what is queued (with `statement`, if given) with
   * keepalive, so the browser delivers it even after the page has gone. Statements stay
   * queued until the LRS has taken them, in case the page comes back. */
  Tracker.prototype.leave = function (statement) {
    if (statement) { this.queue.push(statement); }
    if (!this.queue.length || this.problem) { return; }
    var batch = this.queue.slice();
    var tracker = this;
    try {
      this.request(batch, true).then(function (response) {
        if (response.ok) { tracker.taken(batch, true); }
      }, function () {});
    } catch (e) { /* the page is going */ }
  };

  Tracker.prototype.say = function (text) {
    if (this.status && this.status.textContent !== text) { this.status.textContent = text; }
  };

  window.PathwayTracking = {
    uuid: uuid,
    duration: duration,
    launchParameters: launchParameters,
    settingsFrom: settingsFrom,
    Tracker: Tracker
  };
})();
