/* The SCORM 2004 wrapper both SCOs load, written as authoring tools ship one: find
   `API_1484_11` by walking up the frames (at most 500 levels) and then through the opener,
   call it, and check GetLastError() after every call, keeping each error with its
   GetErrorString and GetDiagnostic. No library, nothing from a CDN. */
(function (global) {
  "use strict";

  var MAX_LEVELS = 500;

  function apiOf(win) {
    try {
      return win && win.API_1484_11 ? win.API_1484_11 : null;
    } catch (e) {  // a frame of another origin
      return null;
    }
  }

  function searchUp(win) {
    var levels = 0;
    while (win && !apiOf(win) && levels < MAX_LEVELS) {
      try {
        win = win.parent && win.parent !== win ? win.parent : null;
      } catch (e) {
        win = null;
      }
      levels += 1;
    }
    return apiOf(win);
  }

  function findAPI(win) {
    var api = searchUp(win);
    try {
      if (!api && win.top && win.top.opener) api = searchUp(win.top.opener);
    } catch (e) {
      api = null;
    }
    return api;
  }

  var SCO = {
    api: null,
    connected: false,
    terminated: false,
    errors: [],

    check: function (call, result) {
      var code = String(this.api.GetLastError());
      if (code !== "0") {
        var problem = call + ": error " + code + " " + this.api.GetErrorString(code);
        var diagnostic = this.api.GetDiagnostic(code);
        if (diagnostic) problem += " (" + diagnostic + ")";
        this.errors.push(problem);
        var list = document.getElementById("lms-errors");
        if (list) {
          var item = document.createElement("li");
          item.textContent = problem;
          list.appendChild(item);
          list.hidden = false;
        }
      }
      return result;
    },

    initialize: function () {
      this.api = findAPI(global);
      if (!this.api) {
        this.errors.push("Initialize: no API_1484_11 found");
        return false;
      }
      this.connected = String(this.check('Initialize("")', this.api.Initialize(""))) === "true";
      return this.connected;
    },

    get: function (element) {
      if (!this.connected) return "";
      return String(this.check("GetValue(" + element + ")", this.api.GetValue(element)));
    },

    set: function (element, value) {
      if (!this.connected || this.terminated) return false;
      var result = this.api.SetValue(element, String(value));
      return String(this.check("SetValue(" + element + ")", result)) === "true";
    },

    commit: function () {
      if (!this.connected || this.terminated) return false;
      return String(this.check('Commit("")', this.api.Commit(""))) === "true";
    },

    terminate: function () {
      if (!this.connected || this.terminated) return false;
      this.terminated = true;
      return String(this.check('Terminate("")', this.api.Terminate(""))) === "true";
    },

    /* An ISO 8601 duration, as cmi.session_time and latency take it. */
    duration: function (milliseconds) {
      var centiseconds = Math.max(0, Math.round(milliseconds / 10));
      var hours = Math.floor(centiseconds / 360000);
      var minutes = Math.floor((centiseconds % 360000) / 6000);
      var seconds = (centiseconds % 6000) / 100;
      return "PT" + (hours ? hours + "H" : "") + (minutes ? minutes + "M" : "") + seconds + "S";
    },

    /* A SCORM time (second precision, no zone designator: the learner's local time). */
    timestamp: function (date) {
      function two(v) { return (v < 10 ? "0" : "") + v; }
      return date.getFullYear() + "-" + two(date.getMonth() + 1) + "-" + two(date.getDate()) +
        "T" + two(date.getHours()) + ":" + two(date.getMinutes()) + ":" + two(date.getSeconds());
    }
  };

  global.SCO = SCO;
})(window);
