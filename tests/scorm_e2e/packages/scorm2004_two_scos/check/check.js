/* SCO 2, a four-question check. Each answer is an interaction of type "choice" with its
   correct response pattern; the result goes to cmi.score (raw, min, max, scaled), to the
   primary objective "check_passed", and to success_status, judged against the passing score
   the LMS supplies (cmi.scaled_passing_score, from the manifest's minNormalizedMeasure; 0.8
   when the LMS gives none). "Try again" answers again in the same session; "Exit course"
   ends with cmi.exit "normal" and adl.nav.request "exitAll". */
(function () {
  "use strict";

  var QUESTIONS = [
    {id: "capable-choice", name: "q1", correct: "choice",
     description: "Which of these makes an environment more capable?"},
    {id: "pain-behaviour", name: "q2", correct: "behaviour",
     description: "Pain that is not noticed can show itself as"},
    {id: "predictability", name: "q3", correct: "knowing",
     description: "Predictability means"},
    {id: "restrictions-rare", name: "q4", correct: "rare",
     description: "When a capable environment is in place, restrictions are"}
  ];
  var OBJECTIVE = "check_passed";
  var AUTHORS_PASSING_SCORE = 0.8;
  var began = Date.now();
  var shownAt = Date.now();
  var submitted = false;
  var tries = 0;
  var ended = false;

  function byId(id) { return document.getElementById(id); }

  function passingScore() {
    var given = SCO.get("cmi.scaled_passing_score");
    return given === "" ? AUTHORS_PASSING_SCORE : parseFloat(given);
  }

  function objectiveIndex() {
    var count = parseInt(SCO.get("cmi.objectives._count"), 10) || 0;
    for (var i = 0; i < count; i += 1) {
      if (SCO.get("cmi.objectives." + i + ".id") === OBJECTIVE) return i;
    }
    SCO.set("cmi.objectives." + count + ".id", OBJECTIVE);
    return count;
  }

  function submit(event) {
    event.preventDefault();
    var now = new Date();
    var right = 0;
    QUESTIONS.forEach(function (q) {
      var chosen = document.querySelector("input[name=" + q.name + "]:checked");
      var response = chosen ? chosen.value : "";
      var correct = response === q.correct;
      if (correct) right += 1;
      var n = parseInt(SCO.get("cmi.interactions._count"), 10) || 0;
      var base = "cmi.interactions." + n + ".";
      SCO.set(base + "id", q.id);
      SCO.set(base + "type", "choice");
      SCO.set(base + "description", q.description);
      SCO.set(base + "timestamp", SCO.timestamp(now));
      SCO.set(base + "correct_responses.0.pattern", q.correct);
      SCO.set(base + "weighting", "1");
      SCO.set(base + "learner_response", response);
      SCO.set(base + "result", correct ? "correct" : "incorrect");
      SCO.set(base + "latency", SCO.duration(now - shownAt));
    });
    var scaled = right / QUESTIONS.length;
    var passed = scaled >= passingScore();
    var success = passed ? "passed" : "failed";
    SCO.set("cmi.score.min", "0");
    SCO.set("cmi.score.max", String(QUESTIONS.length));
    SCO.set("cmi.score.raw", String(right));
    SCO.set("cmi.score.scaled", String(scaled));
    var o = "cmi.objectives." + objectiveIndex() + ".";
    SCO.set(o + "score.scaled", String(scaled));
    SCO.set(o + "success_status", success);
    SCO.set(o + "completion_status", "completed");
    SCO.set("cmi.success_status", success);
    SCO.set("cmi.completion_status", "completed");
    tries += 1;
    SCO.set("cmi.suspend_data", "tries=" + tries);
    SCO.commit();
    submitted = true;
    byId("result").textContent = "You scored " + Math.round(scaled * 100) + "%: " +
      (passed ? "passed." : "not passed yet.");
    byId("fact-success").textContent = SCO.get("cmi.success_status");
    document.body.dataset.result = success;
    byId("check").querySelector("button[type=submit]").disabled = true;
    byId("again").hidden = false;
  }

  function again() {
    byId("check").reset();
    byId("check").querySelector("button[type=submit]").disabled = false;
    byId("again").hidden = true;
    byId("result").textContent = "";
    delete document.body.dataset.result;
    shownAt = Date.now();
  }

  function end(exit, navigation) {
    if (ended || !SCO.connected) return;
    ended = true;
    SCO.set("cmi.exit", exit);
    SCO.set("cmi.session_time", SCO.duration(Date.now() - began));
    if (navigation) SCO.set("adl.nav.request", navigation);
    SCO.commit();
    SCO.terminate();
  }

  function start() {
    byId("fact-set").textContent = new URLSearchParams(location.search).get("set") || "";
    if (!SCO.initialize()) {
      byId("passing-score").textContent = "This check could not connect to the LMS.";
      document.body.dataset.lms = "missing";
      return;
    }
    document.body.dataset.lms = "connected";
    var entry = SCO.get("cmi.entry");
    byId("fact-entry").textContent = entry;
    var given = SCO.get("cmi.scaled_passing_score");
    byId("fact-passing").textContent = given;
    byId("passing-score").textContent = "You need " + Math.round(passingScore() * 100) +
      "% to pass.";
    byId("fact-success").textContent = SCO.get("cmi.success_status");
    if (entry === "resume") {
      var found = /tries=(\d+)/.exec(SCO.get("cmi.suspend_data"));
      tries = found ? Number(found[1]) : 0;
    }
    var status = SCO.get("cmi.completion_status");
    if (status === "not attempted" || status === "unknown") {
      SCO.set("cmi.completion_status", "incomplete");
    }
    SCO.commit();
  }

  byId("check").addEventListener("submit", submit);
  byId("again").addEventListener("click", again);
  byId("exit").addEventListener("click", function () {
    end("normal", "exitAll");
    byId("check").hidden = true;
    document.querySelector(".controls").hidden = true;
    byId("closed").hidden = false;
    document.body.dataset.closed = "1";
  });
  window.addEventListener("pagehide", function () {
    end(submitted ? "normal" : "suspend", null);
  });

  start();
})();
