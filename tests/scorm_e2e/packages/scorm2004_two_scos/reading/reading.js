/* SCO 1, a reading of ten pages. It reports how far the learner has read as
   cmi.progress_measure and leaves completion to the LMS: the manifest's completionThreshold
   (0.8, completed by measure) decides, so the SCO only ever sets "incomplete" itself. The
   page is kept in cmi.location and the pages seen in cmi.suspend_data; "Go to the check"
   ends with adl.nav.request "continue", "Close for now" with cmi.exit "suspend". */
(function () {
  "use strict";

  var PAGES = [
    ["Capable environments", "A capable environment is one in which a person is supported to live the life they want, so that behaviour others find challenging is less likely."],
    ["Good support", "Support that is consistent, predictable and warm, from people who know the person well."],
    ["Meaningful activity", "Things to do that matter to the person, at the times they choose."],
    ["Communication", "Support to understand and to be understood, in the person's own way."],
    ["Relationships", "Time with family and friends, and staff who value the person."],
    ["Health", "Physical and mental health looked after, pain noticed and treated."],
    ["Choice and control", "Everyday decisions made by the person, not by a rota."],
    ["The physical environment", "Light, noise, space and temperature that suit the person."],
    ["Predictability", "Knowing what will happen and who will be there."],
    ["Putting it together", "Restrictions are rarely needed where these are in place."]
  ];
  var began = Date.now();
  var page = 1;
  var furthest = 0;
  var ended = false;

  function byId(id) { return document.getElementById(id); }

  function showFacts() {
    byId("fact-progress").textContent = SCO.get("cmi.progress_measure");
    byId("fact-completion").textContent = SCO.get("cmi.completion_status");
    document.body.dataset.completion = byId("fact-completion").textContent;
  }

  function show(n) {
    page = n;
    furthest = Math.max(furthest, n);
    byId("page-number").textContent = "Page " + n + " of " + PAGES.length;
    byId("page-title").textContent = PAGES[n - 1][0];
    byId("page-text").textContent = PAGES[n - 1][1];
    byId("previous").disabled = n === 1;
    byId("next").disabled = n === PAGES.length;
    document.body.dataset.page = String(n);
    SCO.set("cmi.location", String(n));
    SCO.set("cmi.progress_measure", (furthest / PAGES.length).toFixed(1));
    SCO.set("cmi.suspend_data", JSON.stringify({furthest: furthest}));
    SCO.commit();
    showFacts();
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
    if (!SCO.initialize()) {
      byId("page-number").textContent = "This reading could not connect to the LMS.";
      document.body.dataset.lms = "missing";
      return;
    }
    document.body.dataset.lms = "connected";
    var entry = SCO.get("cmi.entry");
    byId("fact-entry").textContent = entry;
    byId("fact-launch-data").textContent = SCO.get("cmi.launch_data");
    byId("fact-threshold").textContent = SCO.get("cmi.completion_threshold");
    var status = SCO.get("cmi.completion_status");
    if (status === "not attempted" || status === "unknown") {
      SCO.set("cmi.completion_status", "incomplete");
    }
    var at = 1;
    if (entry === "resume") {
      var saved = SCO.get("cmi.suspend_data");
      try {
        furthest = JSON.parse(saved || "{}").furthest || 0;
      } catch (e) {
        furthest = 0;
      }
      at = Math.min(Math.max(parseInt(SCO.get("cmi.location"), 10) || 1, 1), PAGES.length);
    }
    show(at);
  }

  byId("previous").addEventListener("click", function () { if (page > 1) show(page - 1); });
  byId("next").addEventListener("click", function () {
    if (page < PAGES.length) show(page + 1);
  });
  byId("to-check").addEventListener("click", function () {
    var done = SCO.get("cmi.completion_status") === "completed";
    end(done ? "normal" : "suspend", "continue");
  });
  byId("close").addEventListener("click", function () {
    end("suspend", "suspendAll");
    document.querySelector(".controls").hidden = true;
    byId("closed").hidden = false;
    document.body.dataset.closed = "1";
  });
  window.addEventListener("pagehide", function () { end("suspend", null); });

  start();
})();
