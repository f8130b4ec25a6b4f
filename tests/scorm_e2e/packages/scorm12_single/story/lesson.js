/* The lesson: three slides, notes and a two-question quiz, tracked as SCORM 1.2 content made
   by an authoring tool is: LMSInitialize(""), resume from cmi.core.entry, lesson_location and
   suspend_data, the location and suspend data saved at each slide (with LMSCommit), the quiz
   reported as score.raw/min/max with one interaction per question, lesson_status "completed"
   (the LMS turns it into passed or failed with the manifest's mastery score), exit "suspend"
   when leaving early, and LMSFinish on "Exit lesson" or when the page goes away. */
(function () {
  "use strict";

  var LAST_SLIDE = 3;
  var QUESTIONS = [
    {id: "q1-blanket-rule", name: "q1", type: "choice", correct: "b"},
    {id: "q2-least-restrictive", name: "q2", type: "true-false", correct: "t"}
  ];
  var began = Date.now();
  var quizShownAt = null;
  var current = 1;
  var state = {seen: [], notes: "", answers: {}, submitted: false};
  var left = false;

  function byId(id) { return document.getElementById(id); }

  /* Suspend data in a compact form of the tool's own: v=1|seen=1,2|q1=b|notes=... */
  function encode() {
    var parts = ["v=1", "seen=" + state.seen.join(",")];
    QUESTIONS.forEach(function (q) {
      if (state.answers[q.name]) parts.push(q.name + "=" + state.answers[q.name]);
    });
    if (state.submitted) parts.push("done=1");
    parts.push("notes=" + encodeURIComponent(state.notes));
    return parts.join("|");
  }

  function decode(text) {
    text.split("|").forEach(function (part) {
      var at = part.indexOf("=");
      if (at < 0) return;
      var key = part.slice(0, at), value = part.slice(at + 1);
      if (key === "seen") {
        state.seen = value ? value.split(",").map(Number) : [];
      } else if (key === "notes") {
        state.notes = decodeURIComponent(value);
      } else if (key === "done") {
        state.submitted = value === "1";
      } else if (/^q\d$/.test(key)) {
        state.answers[key] = value;
      }
    });
  }

  function save(commit) {
    LMS.set("cmi.core.lesson_location", "slide-" + current);
    LMS.set("cmi.suspend_data", encode());
    if (commit) LMS.commit();
  }

  function show(n) {
    current = n;
    document.querySelectorAll(".slide").forEach(function (slide) {
      slide.hidden = Number(slide.dataset.slide) !== n;
    });
    if (state.seen.indexOf(n) < 0) state.seen.push(n);
    if (n === LAST_SLIDE && quizShownAt === null) quizShownAt = Date.now();
    byId("slide-counter").textContent = "Slide " + n + " of " + LAST_SLIDE;
    byId("back").disabled = n === 1;
    byId("next").disabled = n === LAST_SLIDE;
    document.body.dataset.slide = String(n);
    save(true);
  }

  function clock(date) {
    function two(v) { return (v < 10 ? "0" : "") + v; }
    return two(date.getHours()) + ":" + two(date.getMinutes()) + ":" + two(date.getSeconds());
  }

  function submitQuiz(event) {
    event.preventDefault();
    var right = 0;
    var now = new Date();
    QUESTIONS.forEach(function (q) {
      var chosen = document.querySelector("input[name=" + q.name + "]:checked");
      var response = chosen ? chosen.value : "";
      state.answers[q.name] = response;
      var correct = response === q.correct;
      if (correct) right += 1;
      // Interactions are appended, as tools do: the next index is the current count.
      var n = parseInt(LMS.get("cmi.interactions._count"), 10) || 0;
      var base = "cmi.interactions." + n + ".";
      LMS.set(base + "id", q.id);
      LMS.set(base + "type", q.type);
      LMS.set(base + "time", clock(now));
      LMS.set(base + "correct_responses.0.pattern", q.correct);
      LMS.set(base + "student_response", response);
      LMS.set(base + "result", correct ? "correct" : "wrong");
      LMS.set(base + "weighting", "1");
      LMS.set(base + "latency", LMS.timespan(now - (quizShownAt || began)));
    });
    var raw = Math.round(100 * right / QUESTIONS.length);
    LMS.set("cmi.core.score.min", "0");
    LMS.set("cmi.core.score.max", "100");
    LMS.set("cmi.core.score.raw", String(raw));
    LMS.set("cmi.core.lesson_status", "completed");
    state.submitted = true;
    save(true);
    byId("quiz-result").textContent = "You scored " + raw + "%.";
    document.body.dataset.score = String(raw);
  }

  /* Leave the SCO: exit "suspend" unless the quiz is done, the session time, LMSFinish.
     Called by "Exit lesson" and when the page goes away (whichever comes first). */
  function leave() {
    if (left || !LMS.connected) return;
    left = true;
    state.notes = byId("notes").value;
    save(false);
    LMS.set("cmi.core.exit", state.submitted ? "" : "suspend");
    LMS.set("cmi.core.session_time", LMS.timespan(Date.now() - began));
    LMS.commit();
    LMS.finish();
  }

  function start() {
    if (!LMS.start()) {
      byId("slide-counter").textContent = "This lesson could not connect to the LMS.";
      document.body.dataset.lms = "missing";
      return;
    }
    document.body.dataset.lms = "connected";
    var entry = LMS.get("cmi.core.entry");
    var status = LMS.get("cmi.core.lesson_status");
    byId("fact-learner").textContent = LMS.get("cmi.core.student_name");
    byId("fact-entry").textContent = entry;
    byId("fact-status").textContent = status;
    byId("fact-mode").textContent = LMS.get("cmi.core.lesson_mode");
    byId("fact-launch-data").textContent = LMS.get("cmi.launch_data");
    byId("fact-mastery").textContent = LMS.get("cmi.student_data.mastery_score");
    byId("fact-total-time").textContent = LMS.get("cmi.core.total_time");
    if (status === "not attempted") {
      LMS.set("cmi.core.lesson_status", "incomplete");
    }
    var resumeAt = 1;
    if (entry === "resume") {
      decode(LMS.get("cmi.suspend_data"));
      var found = /^slide-(\d+)$/.exec(LMS.get("cmi.core.lesson_location"));
      if (found) resumeAt = Math.min(Math.max(Number(found[1]), 1), LAST_SLIDE);
    }
    byId("notes").value = state.notes;
    Object.keys(state.answers).forEach(function (name) {
      var input = document.querySelector("input[name=" + name + "][value='" + state.answers[name] + "']");
      if (input) input.checked = true;
    });
    show(resumeAt);
  }

  byId("back").addEventListener("click", function () { if (current > 1) show(current - 1); });
  byId("next").addEventListener("click", function () {
    if (current < LAST_SLIDE) show(current + 1);
  });
  byId("notes").addEventListener("change", function () {
    state.notes = byId("notes").value;
    save(true);
  });
  byId("quiz").addEventListener("submit", submitQuiz);
  byId("exit").addEventListener("click", function () {
    leave();
    document.querySelectorAll(".slide, nav").forEach(function (part) { part.hidden = true; });
    byId("finished").hidden = false;
    document.body.dataset.finished = "1";
  });
  // Storyline and others finish on the page's unload; pagehide is its reliable form.
  window.addEventListener("pagehide", leave);
  window.addEventListener("beforeunload", leave);

  start();
})();
