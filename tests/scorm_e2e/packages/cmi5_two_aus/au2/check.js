/* AU 2: five questions. Each answer is sent as an `answered` statement (cmi5 allowed: no cmi5
   category), then one `passed` or `failed` with the score against the masteryScore of the
   launch data (its moveOn is Passed); "Exit" sends `terminated` and returns to the LMS. One
   judgement per session, as cmi5 requires; in Browse or Review mode none at all. */
(function () {
  "use strict";

  var INTERACTION = "http://adlnet.gov/expapi/activities/cmi.interaction";
  var CORRECT = {q1: "locked", q2: "staff", q3: "tea", q4: "notice", q5: "choice"};
  var au = new Cmi5AU(location.search);
  window.cmi5au = au;

  function byId(id) { return document.getElementById(id); }

  function say(text, state) {
    byId("au-status").textContent = text;
    if (state) document.body.dataset.state = state;
  }

  function problem(error) {
    var text = String(error && error.message || error);
    au.problems.push(text);
    var item = document.createElement("li");
    item.textContent = text;
    byId("au-problems").appendChild(item);
    byId("au-problems").hidden = false;
    say("Something went wrong; your work may not be recorded.", "error");
  }

  function question(name) {
    var legend = document.querySelector("input[name=" + name + "]").closest("fieldset")
      .querySelector("legend").textContent;
    return {objectType: "Activity", id: au.activityId + "/questions/" + name, definition: {
      type: INTERACTION, name: {"en-GB": legend}, interactionType: "choice",
      correctResponsesPattern: [CORRECT[name]]}};
  }

  byId("check").addEventListener("submit", async function (event) {
    event.preventDefault();
    byId("check").querySelector("button[type=submit]").disabled = true;
    var names = Object.keys(CORRECT);
    var right = 0;
    try {
      for (var i = 0; i < names.length; i += 1) {
        var chosen = document.querySelector("input[name=" + names[i] + "]:checked");
        var response = chosen ? chosen.value : "";
        var correct = response === CORRECT[names[i]];
        if (correct) right += 1;
        if (au.mode() === "Normal") {
          await au.send("answered", {allowed: true, object: question(names[i]),
                                     result: {response: response, success: correct}});
        }
      }
      var scaled = right / names.length;
      var percent = Math.round(scaled * 100) + "%";
      if (au.mode() !== "Normal") {
        say("You scored " + percent + " (not recorded in " + au.mode() + " mode).", "scored");
        return;
      }
      var passed = await au.judged(scaled, right, names.length);
      byId("result").textContent = "You scored " + percent + ": " +
        (passed ? "passed." : "not passed this time.");
      say(passed ? "Passed." : "Failed.", passed ? "passed" : "failed");
    } catch (error) {
      problem(error);
    }
  });

  byId("exit").addEventListener("click", async function () {
    byId("exit").disabled = true;
    try {
      await au.terminate();
      say("Finished.", "terminated");
      au.leave();
    } catch (error) {
      problem(error);
    }
  });

  byId("fact-lang").textContent = new URLSearchParams(location.search).get("lang") || "";
  au.start().then(function () {
    document.body.dataset.mode = au.mode();
    var mastery = au.masteryScore();
    byId("mastery").textContent = mastery === null ? "" :
      "You need " + Math.round(mastery * 100) + "% to pass.";
    byId("fact-parameters").textContent = au.launchData.launchParameters || "";
    if (au.mode() !== "Normal") {
      byId("mode").textContent = au.mode() + " mode: your answers are not recorded.";
      byId("mode").hidden = false;
    }
    byId("check").querySelector("button[type=submit]").disabled = false;
    byId("exit").disabled = false;
    say("Ready.", "initialized");
  }).catch(problem);
})();
