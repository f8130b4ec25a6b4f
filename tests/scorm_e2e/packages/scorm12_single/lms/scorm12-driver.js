/* The LMS driver of a SCORM 1.2 SCO, written as authoring tools ship one (pipwerks' wrapper,
   Articulate's and Rustici's drivers): find the LMS's `API` object by walking up the frames
   (at most 500 levels), then through the opener; wrap each call and keep every error the LMS
   reports, so the lesson (and a test) can see them. No library, nothing from a CDN. */
(function (global) {
  "use strict";

  var MAX_LEVELS = 500;

  function apiOf(win) {
    try {
      return win && win.API ? win.API : null;
    } catch (e) {  // a frame of another origin: not ours to search
      return null;
    }
  }

  function parentOf(win) {
    try {
      return win.parent && win.parent !== win ? win.parent : null;
    } catch (e) {
      return null;
    }
  }

  function searchUp(win) {
    var levels = 0;
    while (win && !apiOf(win) && levels < MAX_LEVELS) {
      win = parentOf(win);
      levels += 1;
    }
    return apiOf(win);
  }

  /* pipwerks' getAPI(): this window and its parents, then the top window's opener. */
  function findAPI(win) {
    var api = searchUp(win);
    try {
      if (!api && win.top && win.top.opener) {
        api = searchUp(win.top.opener);
      }
      if (!api && win.opener) {
        api = searchUp(win.opener);
      }
    } catch (e) {
      api = null;
    }
    return api;
  }

  var LMS = {
    api: null,
    connected: false,
    finished: false,
    errors: [],
    calls: [],

    note: function (call, code) {
      var text = this.api.LMSGetErrorString(code);
      var diagnostic = this.api.LMSGetDiagnostic(code);
      var problem = call + ": error " + code + " " + text + (diagnostic ? " (" + diagnostic + ")" : "");
      this.errors.push(problem);
      var list = document.getElementById("lms-errors");
      if (list) {
        var item = document.createElement("li");
        item.textContent = problem;
        list.appendChild(item);
        list.hidden = false;
      }
    },

    checked: function (call, result) {
      this.calls.push(call);
      var code = String(this.api.LMSGetLastError());
      if (code !== "0") {
        this.note(call, code);
      }
      return result;
    },

    start: function () {
      this.api = findAPI(global);
      if (!this.api) {
        this.errors.push("LMSInitialize: no SCORM 1.2 API found");
        return false;
      }
      var result = this.checked('LMSInitialize("")', this.api.LMSInitialize(""));
      this.connected = String(result) === "true";
      return this.connected;
    },

    get: function (element) {
      if (!this.connected) return "";
      return String(this.checked("LMSGetValue(" + element + ")", this.api.LMSGetValue(element)));
    },

    set: function (element, value) {
      if (!this.connected || this.finished) return false;
      var result = this.api.LMSSetValue(element, String(value));
      return String(this.checked("LMSSetValue(" + element + ")", result)) === "true";
    },

    commit: function () {
      if (!this.connected || this.finished) return false;
      return String(this.checked('LMSCommit("")', this.api.LMSCommit(""))) === "true";
    },

    finish: function () {
      if (!this.connected || this.finished) return false;
      this.finished = true;
      return String(this.checked('LMSFinish("")', this.api.LMSFinish(""))) === "true";
    },

    /* CMITimespan, HHHH:MM:SS.SS (hours in two to four digits). */
    timespan: function (milliseconds) {
      var hundredths = Math.round(milliseconds / 10);
      var hours = Math.floor(hundredths / 360000);
      var minutes = Math.floor((hundredths % 360000) / 6000);
      var seconds = (hundredths % 6000) / 100;
      function two(n) { return (n < 10 ? "0" : "") + n; }
      return two(hours) + ":" + two(minutes) + ":" + (seconds < 10 ? "0" : "") + seconds.toFixed(2);
    }
  };

  global.findAPI = findAPI;
  global.LMS = LMS;
})(window);
