/* A small hand-written cmi5 AU client, as a course carries one instead of a library: read the
   launch parameters (endpoint, fetch, actor, registration, activityId), POST to `fetch` once
   for the auth token, read the LMS.LaunchData state document (and the learner preferences),
   then send statements with plain fetch() and the xAPI version header, each built on the
   LMS's contextTemplate (which carries the session id) with the cmi5 and moveon categories
   where the specification puts them. No dependency, nothing from a CDN. */
(function (global) {
  "use strict";

  var ADL = "http://adlnet.gov/expapi/verbs/";
  var CMI5_CATEGORY = "https://w3id.org/xapi/cmi5/context/categories/cmi5";
  var MOVEON_CATEGORY = "https://w3id.org/xapi/cmi5/context/categories/moveon";
  var MASTERY_SCORE = "https://w3id.org/xapi/cmi5/context/extensions/masteryscore";
  var XAPI_VERSION = "1.0.3";

  function uuid() {
    if (global.crypto && global.crypto.randomUUID) return global.crypto.randomUUID();
    var bytes = global.crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) {
      return (b + 0x100).toString(16).slice(1);
    }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" +
      hex.slice(16, 20) + "-" + hex.slice(20);
  }

  /* An ISO 8601 duration with hundredths of a second, as result.duration takes it. */
  function duration(milliseconds) {
    var centiseconds = Math.max(0, Math.round(milliseconds / 10));
    var hours = Math.floor(centiseconds / 360000);
    var minutes = Math.floor((centiseconds % 360000) / 6000);
    var seconds = (centiseconds % 6000) / 100;
    return "PT" + (hours ? hours + "H" : "") + (minutes ? minutes + "M" : "") + seconds + "S";
  }

  function copy(value) { return JSON.parse(JSON.stringify(value)); }

  function AU(search) {
    var query = new URLSearchParams(search);
    this.query = query;
    this.endpoint = query.get("endpoint") || "";
    if (this.endpoint && this.endpoint.slice(-1) !== "/") this.endpoint += "/";
    this.fetchUrl = query.get("fetch");
    this.actor = query.get("actor") ? JSON.parse(query.get("actor")) : null;
    this.registration = query.get("registration");
    this.activityId = query.get("activityId");
    this.auth = null;
    this.launchData = null;
    this.preferences = null;
    this.initializedAt = null;
    this.terminated = false;
    this.sent = [];       // [{verb, status}] of every statement sent
    this.problems = [];   // what went wrong, in words
  }

  AU.prototype.xapi = function (method, resource, parameters, body) {
    var url = this.endpoint + resource;
    if (parameters) url += "?" + new URLSearchParams(parameters).toString();
    var headers = {"X-Experience-API-Version": XAPI_VERSION, "Authorization": this.auth};
    if (body !== undefined) headers["Content-Type"] = "application/json";
    return fetch(url, {method: method, headers: headers, cache: "no-store",
                       body: body === undefined ? undefined : JSON.stringify(body)});
  };

  /* Fetch the token, read the launch data, send `initialized`. */
  AU.prototype.start = async function () {
    var missing = ["endpoint", "fetch", "actor", "registration", "activityId"].filter(
      function (name) { return !this.query.get(name); }, this);
    if (missing.length) throw new Error("launched without " + missing.join(", "));
    var fetched = await fetch(this.fetchUrl, {method: "POST", cache: "no-store"});
    var answer = await fetched.json();
    if (!answer["auth-token"]) {
      throw new Error("fetch refused: " + answer["error-code"] + " " + answer["error-text"]);
    }
    this.auth = "Basic " + answer["auth-token"];
    var state = await this.xapi("GET", "activities/state", {
      stateId: "LMS.LaunchData", activityId: this.activityId,
      agent: JSON.stringify(this.actor), registration: this.registration});
    if (!state.ok) throw new Error("LMS.LaunchData: HTTP " + state.status);
    this.launchData = await state.json();
    var preferences = await this.xapi("GET", "agents/profile", {
      agent: JSON.stringify(this.actor), profileId: "cmi5LearnerPreferences"});
    this.preferences = preferences.ok ? await preferences.json() : null;  // 404: none kept
    await this.send("initialized");
    this.initializedAt = Date.now();
  };

  AU.prototype.mode = function () {
    return this.launchData ? this.launchData.launchMode : "";
  };

  AU.prototype.masteryScore = function () {
    var given = this.launchData && this.launchData.masteryScore;
    return typeof given === "number" ? given : null;
  };

  /* A statement on the contextTemplate: cmi5 defined (the cmi5 category) unless
     `options.allowed`, with the moveon category when `options.moveOn`. Values of the template
     are never overwritten. */
  AU.prototype.statement = function (verb, options) {
    options = options || {};
    var context = copy(this.launchData.contextTemplate || {});
    context.registration = this.registration;
    var activities = context.contextActivities = context.contextActivities || {};
    var category = activities.category = activities.category || [];
    function add(id) {
      if (!category.some(function (a) { return a.id === id; })) {
        category.push({objectType: "Activity", id: id});
      }
    }
    if (!options.allowed) add(CMI5_CATEGORY);
    if (options.moveOn) add(MOVEON_CATEGORY);
    if (!category.length) delete activities.category;
    var extensions = context.extensions = context.extensions || {};
    Object.keys(options.extensions || {}).forEach(function (key) {
      if (!(key in extensions)) extensions[key] = options.extensions[key];
    });
    var statement = {
      id: uuid(),
      actor: this.actor,
      verb: {id: options.verbId || ADL + verb, display: {"en-US": verb}},
      object: options.object || {objectType: "Activity", id: this.activityId},
      context: context,
      timestamp: new Date().toISOString()
    };
    if (options.result) statement.result = options.result;
    return statement;
  };

  /* POST one statement; {status, text}. Records nothing (a test sends rule-breaking ones). */
  AU.prototype.post = async function (statement) {
    var response = await this.xapi("POST", "statements", null, statement);
    return {status: response.status, text: await response.text()};
  };

  AU.prototype.send = async function (verb, options) {
    var answer = await this.post(this.statement(verb, options));
    this.sent.push({verb: verb, status: answer.status});
    if (answer.status !== 200) {
      this.problems.push(verb + ": HTTP " + answer.status + " " + answer.text);
    }
    return answer.status;
  };

  AU.prototype.sinceInitialized = function () {
    return duration(Date.now() - (this.initializedAt || Date.now()));
  };

  AU.prototype.completed = function () {
    return this.send("completed", {moveOn: true, result: {
      completion: true, duration: this.sinceInitialized()}});
  };

  /* passed or failed against the LMS's masteryScore, with the score and the extension. */
  AU.prototype.judged = function (scaled, raw, max) {
    var mastery = this.masteryScore();
    var passed = mastery === null ? scaled >= 0.5 : scaled >= mastery;
    var extensions = {};
    if (mastery !== null) extensions[MASTERY_SCORE] = mastery;
    return this.send(passed ? "passed" : "failed", {moveOn: true, extensions: extensions,
      result: {score: {scaled: scaled, raw: raw, min: 0, max: max}, success: passed,
               duration: this.sinceInitialized()}}).then(function () { return passed; });
  };

  AU.prototype.terminate = async function () {
    if (this.terminated) return;
    this.terminated = true;
    await this.send("terminated", {result: {duration: this.sinceInitialized()}});
  };

  /* Back to the LMS: its returnURL when it gave one, else close the window it opened. */
  AU.prototype.leave = function () {
    var back = this.launchData && this.launchData.returnURL;
    if (back) {
      global.location.assign(back);
    } else if (global.opener) {
      global.close();
    }
  };

  AU.duration = duration;
  AU.uuid = uuid;
  global.Cmi5AU = AU;
})(window);
