/* AU 1: read the transcript, then "I have read the transcript" sends `completed` (its moveOn
   is Completed); "Exit" sends `terminated` and returns to the LMS. In Browse or Review mode
   nothing but initialized and terminated is sent, as cmi5 requires. */
(function () {
  "use strict";

  var au = new Cmi5AU(location.search);
  window.cmi5au = au;

  function byId(id) { return document.getElementById(id); }

  function say(text, state) {
    byId("au-status").textContent = text;
    if (state) document.body.dataset.state = state;
  }

  function problem(error) {
    au.problems.push(String(error && error.message || error));
    var item = document.createElement("li");
    item.textContent = String(error && error.message || error);
    byId("au-problems").appendChild(item);
    byId("au-problems").hidden = false;
    say("Something went wrong; your work may not be recorded.", "error");
  }

  byId("done").addEventListener("click", async function () {
    byId("done").disabled = true;
    try {
      if (au.mode() === "Normal") {
        await au.completed();
        say("Completed. You can exit now.", "completed");
      } else {
        say("You have read it (not recorded in " + au.mode() + " mode).", "read");
      }
    } catch (error) {
      problem(error);
    }
  });

  byId("exit").addEventListener("click", async function () {
    byId("exit").disabled = true;
    byId("done").disabled = true;
    try {
      await au.terminate();
      say("Finished.", "terminated");
      au.leave();
    } catch (error) {
      problem(error);
    }
  });

  au.start().then(function () {
    document.body.dataset.mode = au.mode();
    if (au.mode() !== "Normal") {
      byId("mode").textContent = au.mode() + " mode: look around; nothing is recorded as " +
        "complete.";
      byId("mode").hidden = false;
    }
    byId("done").disabled = false;
    byId("exit").disabled = false;
    say("Ready.", "initialized");
  }).catch(problem);
})();
