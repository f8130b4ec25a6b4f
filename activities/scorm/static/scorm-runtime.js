/*
 * Pathway's SCORM run-time: the API object a SCO finds by walking up its frames,
 * `window.API` (SCORM 1.2) or `window.API_1484_11` (SCORM 2004 4th edition), with the whole
 * run-time data model kept in the browser. Every rule of the data model (types,
 * vocabularies, ranges, sizes, read-only and write-only elements, keywords, collection order,
 * dependencies) is applied synchronously, so GetLastError always answers at once; what the
 * SCO sets is sent to the server in batches:
 *
 *   POST commitUrl  {"token", "sequence", "event", "values": [[element, value], ...]}
 *
 * event "initialize" (at Initialize), "commit" (at Commit and on a timer while something is
 * unsent), "terminate" (at Terminate, fetch with keepalive) and "unload" (on pagehide when
 * the SCO never terminated, navigator.sendBeacon). `values` holds each element the SCO set
 * since the last request the server acknowledged, once, where it was first set, with its
 * latest value. A request that fails (network, 5xx) is sent again as it was (same sequence,
 * same values) on the next timer tick or Commit; the server answers a sequence it has
 * already applied with "duplicate", so a retry never applies twice. A 4xx means the server
 * refused the values: they are dropped and the reason is written to the console.
 *
 * The player page embeds its configuration as JSON in
 * <script type="application/json" id="scorm-runtime-config"> (version, commitUrl, token,
 * initial, commitEveryMs); this file installs the API from it when loaded. After
 * LMSFinish/Terminate the page's window receives `scorm:terminated` (and, for a SCORM 2004
 * navigation request, `scorm:navrequest`; see PathwayScorm.onNavRequest).
 *
 * window.PathwayScorm = {createRuntime(config, transport?), install(config, transport?),
 * onNavRequest(callback), current}. A transport is `function (body, options)` returning a
 * promise of {status, body}; options are {event, keepalive, beacon}. The default one uses
 * fetch and navigator.sendBeacon to config.commitUrl.
 */
(function (global) {
  "use strict";

  // ---- Errors ---------------------------------------------------------------------------

  const ERRORS_12 = {
    "0": "No error",
    "101": "General exception",
    "201": "Invalid argument error",
    "202": "Element cannot have children",
    "203": "Element not an array - cannot have count",
    "301": "Not initialized",
    "401": "Not implemented error",
    "402": "Invalid set value, element is a keyword",
    "403": "Element is read only",
    "404": "Element is write only",
    "405": "Incorrect data type",
  };

  const ERRORS_2004 = {
    "0": "No Error",
    "101": "General Exception",
    "102": "General Initialization Failure",
    "103": "Already Initialized",
    "104": "Content Instance Terminated",
    "111": "General Termination Failure",
    "112": "Termination Before Initialization",
    "113": "Termination After Termination",
    "122": "Retrieve Data Before Initialization",
    "123": "Retrieve Data After Termination",
    "132": "Store Data Before Initialization",
    "133": "Store Data After Termination",
    "142": "Commit Before Initialization",
    "143": "Commit After Termination",
    "201": "General Argument Error",
    "301": "General Get Failure",
    "351": "General Set Failure",
    "391": "General Commit Failure",
    "401": "Undefined Data Model Element",
    "402": "Unimplemented Data Model Element",
    "403": "Data Model Element Value Not Initialized",
    "404": "Data Model Element Is Read Only",
    "405": "Data Model Element Is Write Only",
    "406": "Data Model Element Type Mismatch",
    "407": "Data Model Element Value Out Of Range",
    "408": "Data Model Dependency Not Established",
  };

  // Which code each situation gets in each version. SCORM 1.2 has no codes for "after
  // LMSFinish": the session is no longer initialized, so those calls answer 301 (as
  // LMSInitialize after LMSFinish answers 101: a SCO is initialized once per launch).
  // SCORM 1.2 has no range code either: an out-of-range value is an incorrect data type.
  const CODES = {
    "1.2": {
      argument: "201", initTwice: "101", initAfter: "101",
      finishBefore: "301", finishAfter: "301",
      getBefore: "301", getAfter: "301", setBefore: "301", setAfter: "301",
      commitBefore: "301", commitAfter: "301",
      getEmpty: "201", setEmpty: "201", undefined: "201", getIndex: "201", setIndex: "201",
      children: "202", count: "203", keyword: "402", readOnly: "403", writeOnly: "404",
      type: "405", range: "405", set: "405", dependency: "405", notInitialized: null,
    },
    "2004": {
      argument: "201", initTwice: "103", initAfter: "104",
      finishBefore: "112", finishAfter: "113",
      getBefore: "122", getAfter: "123", setBefore: "132", setAfter: "133",
      commitBefore: "142", commitAfter: "143",
      getEmpty: "301", setEmpty: "351", undefined: "401", getIndex: "301", setIndex: "351",
      children: "301", count: "301", keyword: "404", readOnly: "404", writeOnly: "405",
      type: "406", range: "407", set: "351", dependency: "408", notInitialized: "403",
    },
  };

  // ---- Types ----------------------------------------------------------------------------
  // A check takes the value (a string) and answers null, or a problem {kind, detail} where
  // kind is "type", "range", "set" (SCORM 2004 351) or "dependency" (408).

  const problem = (kind, detail) => ({ kind, detail });

  /** Length in characters (code points), as the server counts them, not UTF-16 units. */
  function length(text) {
    return /[\uD800-\uDFFF]/.test(text) ? Array.from(text).length : text.length;
  }

  function quoted(text) {
    const shown = text.length > 40 ? text.slice(0, 40) + "..." : text;
    return JSON.stringify(shown);
  }

  function chars(max) {
    return (value) => {
      const n = length(value);
      return n > max ? problem("type", `${n} characters, more than ${max}`) : null;
    };
  }

  function oneOf(words) {
    return (value) => words.includes(value) ? null : problem(
      "type", `${quoted(value)} is not one of ${words.map((w) => JSON.stringify(w)).join(", ")}`);
  }

  // CMIDecimal (1.2) and real(10,7) (2004): digits with an optional decimal part, no
  // exponent. Any number of digits is accepted (the precision is a minimum to keep).
  const DECIMAL = /^-?(\d+(\.\d+)?|\.\d+)$/;

  function decimal(min, max, blank) {
    return (value) => {
      if (blank && value === "") { return null; }
      if (!DECIMAL.test(value)) { return problem("type", `${quoted(value)} is not a decimal number`); }
      const number = Number(value);
      if ((min !== null && number < min) || (max !== null && number > max)) {
        const bounds = max === null ? `at least ${min}` : `between ${min} and ${max}`;
        return problem("range", `${value} is not ${bounds}`);
      }
      return null;
    };
  }

  function integer(min, max) {
    return (value) => {
      if (!/^-?\d+$/.test(value)) { return problem("type", `${quoted(value)} is not an integer`); }
      const number = Number(value);
      return number < min || number > max
        ? problem("range", `${value} is not between ${min} and ${max}`) : null;
    };
  }

  function either(...checks) {
    return (value) => {
      let first = null;
      for (const check of checks) {
        const found = check(value);
        if (!found) { return null; }
        first = first || found;
      }
      return first;
    };
  }

  // SCORM 1.2 CMIIdentifier: no white space or unprintable characters, at most 255.
  function identifier12(value) {
    if (value === "") { return problem("type", "an identifier cannot be empty"); }
    if (/[\s\u0000-\u001f\u007f]/.test(value)) {
      return problem("type", `${quoted(value)} contains white space or an unprintable character`);
    }
    return chars(255)(value);
  }

  // CMITime: a time of day HH:MM:SS with up to 2 decimals of a second.
  const TIME_12 = /^([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,2})?$/;
  // CMITimespan: HHHH:MM:SS.SS, hours 2 to 4 digits, minutes and seconds "exactly 2 digits"
  // (the specification's words: no upper bound, so "00:75:00" is 75 minutes).
  const TIMESPAN_12 = /^\d{2,4}:\d{2}:\d{2}(\.\d{1,2})?$/;

  function matches(pattern, what) {
    return (value) => pattern.test(value) ? null : problem("type", `${quoted(value)} is not ${what}`);
  }

  // SCORM 2004 time(second,10,0): YYYY[-MM[-DD[Thh[:mm[:ss[.s[TZD]]]]]]], years 1970-2038.
  // Two liberties, both strictly wider and both taken by the server too: any number of
  // decimals of a second (toISOString writes three) and a time zone after whole seconds.
  const TIME_2004 = new RegExp(
    "^(19[7-9]\\d|20[0-2]\\d|203[0-8])(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\\d|3[01])" +
    "(T([01]\\d|2[0-3])(:[0-5]\\d(:[0-5]\\d(\\.\\d+)?(Z|[+-]([01]\\d|2[0-3])(:?[0-5]\\d)?)?)?)?)?)?)?$");

  function time2004(value) {
    const found = TIME_2004.exec(value);
    if (!found) { return problem("type", `${quoted(value)} is not a time (YYYY-MM-DDThh:mm:ss)`); }
    if (found[5]) {
      const [year, month, day] = [Number(found[1]), Number(found[3]), Number(found[5])];
      if (new Date(Date.UTC(year, month - 1, day)).getUTCDate() !== day) {
        return problem("type", `${quoted(value)} is not a date`);
      }
    }
    return null;
  }

  // SCORM 2004 timeinterval(second,10,2): P[yY][mM][dD][T[hH][nM][s[.s]S]], at least one
  // part, the T only with a time part after it. Decimals of a second beyond the hundredth
  // are taken (and rounded by the server).
  const INTERVAL = /^P(?=\d|T\d)(\d+Y)?(\d+M)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/;

  // RFC 3066 language tags as SCORM 2004 uses them.
  const LANGUAGE = /^([a-zA-Z]{2,3}|[iIxX])(-[a-zA-Z0-9]{1,8})*$/;

  function language(value) {
    if (value === "") { return null; }
    return LANGUAGE.test(value) && length(value) <= 250
      ? null : problem("type", `${quoted(value)} is not a language code`);
  }

  /** localized_string_type: an optional {lang=xx} delimiter, then at most `max` characters
   * (the delimiter does not count). */
  function localized(max) {
    return (value) => {
      let text = value;
      if (value.startsWith("{lang=")) {
        const end = value.indexOf("}");
        if (end < 0) { return problem("type", "the {lang=...} delimiter is not closed"); }
        const code = value.slice(6, end);
        if (!LANGUAGE.test(code)) { return problem("type", `${quoted(code)} is not a language code`); }
        text = value.slice(end + 1);
      }
      return chars(max)(text);
    };
  }

  // The reserved delimiters of interaction responses.
  const RESERVED = /\[[,.:]\]/;

  /** long_identifier_type (max 4000) and short_identifier_type (max 250): URIs, so never
   * empty and without white space; a urn: needs a namespace. */
  function identifier(max) {
    return (value) => {
      if (value === "") { return problem("type", "an identifier cannot be empty"); }
      if (/\s/.test(value)) { return problem("type", `${quoted(value)} contains white space`); }
      if (length(value) > max) { return problem("type", `${length(value)} characters, more than ${max}`); }
      if (/^urn:/i.test(value) && !/^urn:[a-z0-9][a-z0-9-]{0,31}:\S+$/i.test(value)) {
        return problem("type", `${quoted(value)} is not a valid URN`);
      }
      return null;
    };
  }

  const longId = identifier(4000);
  const shortIdentifier = identifier(250);

  function shortId(value) {
    if (RESERVED.test(value)) { return problem("type", `${quoted(value)} contains a reserved delimiter`); }
    return shortIdentifier(value);
  }

  const real = decimal(null, null, false);

  // ---- Interaction responses (SCORM 2004 RTE 4.2.9.1, 4.2.9.2) --------------------------

  /** Takes off the leading {case_matters=..}{order_matters=..} flags a correct response
   * pattern may start with; answers the rest, or a problem. */
  function withoutFlags(value, allowed) {
    let rest = value;
    const seen = new Set();
    for (;;) {
      const flag = /^\{(case_matters|order_matters)=([^}]*)\}/.exec(rest);
      if (!flag) { break; }
      if (!allowed.includes(flag[1]) || seen.has(flag[1]) || !/^(true|false)$/.test(flag[2])) {
        return problem("type", `${quoted(flag[0])} is not allowed here`);
      }
      seen.add(flag[1]);
      rest = rest.slice(flag[0].length);
    }
    return rest;
  }

  function eachOf(items, check) {
    for (const item of items) {
      const found = check(item);
      if (found) { return found; }
    }
    return null;
  }

  function numericRange(value) {
    const [low, high] = value.split("[:]");
    const bad = [low, high].find((bound) => bound !== "" && !DECIMAL.test(bound));
    if (bad !== undefined) { return problem("type", `${quoted(bad)} is not a decimal number`); }
    if (low !== "" && high !== "" && Number(low) > Number(high)) {
      return problem("type", `the range ${quoted(value)} has its minimum above its maximum`);
    }
    return null;
  }

  const SINGLE_PATTERN = new Set(["true-false", "likert", "numeric", "other"]);

  /** The format of a learner response (pattern false) or a correct response pattern
   * (pattern true) for an interaction type. */
  function responseProblem(type, value, pattern) {
    let rest = value;
    switch (type) {
      case "true-false":
        return oneOf(["true", "false"])(value);
      case "choice": {
        if (value === "") { return null; }  // no choice at all
        const ids = value.split("[,]");
        return eachOf(ids, shortId) || (new Set(ids).size !== ids.length
          ? problem("type", "a choice is listed twice") : null);
      }
      case "sequencing":
        return eachOf(value.split("[,]"), shortId);
      case "likert":
        return shortId(value);
      case "matching":
        return eachOf(value.split("[,]"), (pair) => {
          const sides = pair.split("[.]");
          return sides.length !== 2
            ? problem("type", `${quoted(pair)} is not source[.]target`) : eachOf(sides, shortId);
        });
      case "fill-in":
        if (pattern) { rest = withoutFlags(value, ["case_matters", "order_matters"]); }
        if (typeof rest !== "string") { return rest; }
        return eachOf(rest.split("[,]"), (text) => RESERVED.test(text)
          ? problem("type", `${quoted(text)} contains a reserved delimiter`) : localized(250)(text));
      case "long-fill-in":
        if (pattern) { rest = withoutFlags(value, ["case_matters"]); }
        return typeof rest === "string" ? localized(4000)(rest) : rest;
      case "performance":
        if (pattern) { rest = withoutFlags(value, ["order_matters"]); }
        if (typeof rest !== "string") { return rest; }
        return eachOf(rest.split("[,]"), (step) => {
          const sides = step.split("[.]");
          if (sides.length !== 2) { return problem("type", `${quoted(step)} is not name[.]answer`); }
          const [name, answer] = sides;
          if (name === "" && answer === "") { return problem("type", "a step has neither name nor answer"); }
          if (name !== "") {
            const found = shortId(name);
            if (found) { return found; }
          }
          if (pattern && answer.includes("[:]")) { return numericRange(answer); }
          if (RESERVED.test(answer)) { return problem("type", `${quoted(answer)} contains a reserved delimiter`); }
          return chars(250)(answer);
        });
      case "numeric":
        // A pattern is min[:]max (either may be left out); a single number is also taken.
        if (pattern && value.includes("[:]")) { return numericRange(value); }
        return real(value);
      case "other":
        return chars(4000)(value);
      default:
        return problem("dependency", "the interaction has no valid type");
    }
  }

  // ---- Data models ----------------------------------------------------------------------
  // Element templates use "n" for an index. access: "ro", "rw", "wo"; check: the value's
  // rule; initial: the value when the LMS gave none (absent: SCORM 2004 answers 403).

  const el = (access, check, extra) => Object.assign({ access, check: check || null }, extra);
  const RO = (extra) => el("ro", null, extra);
  const RW = (check, extra) => el("rw", check, extra);
  const WO = (check, extra) => el("wo", check, extra);

  const STATUS_12 = ["passed", "completed", "failed", "incomplete", "browsed", "not attempted"];
  const score12 = decimal(0, 100, true);
  const timespan12 = matches(TIMESPAN_12, "a CMITimespan (HHHH:MM:SS.SS)");

  const MODEL_12 = {
    elements: {
      "cmi.core.student_id": RO({ initial: "" }),
      "cmi.core.student_name": RO({ initial: "" }),
      "cmi.core.lesson_location": RW(chars(255), { initial: "" }),
      "cmi.core.credit": RO({ initial: "credit" }),
      // "not attempted" is the LMS's word for a SCO never launched; a SCO cannot set it.
      "cmi.core.lesson_status": RW(oneOf(STATUS_12.slice(0, 5)), { initial: "not attempted" }),
      "cmi.core.entry": RO({ initial: "ab-initio" }),
      "cmi.core.score.raw": RW(score12, { initial: "" }),
      "cmi.core.score.min": RW(score12, { initial: "" }),
      "cmi.core.score.max": RW(score12, { initial: "" }),
      "cmi.core.total_time": RO({ initial: "0000:00:00.00" }),
      "cmi.core.lesson_mode": RO({ initial: "normal" }),
      "cmi.core.exit": WO(oneOf(["time-out", "suspend", "logout", ""])),
      "cmi.core.session_time": WO(timespan12),
      "cmi.suspend_data": RW(chars(4096), { initial: "" }),
      "cmi.launch_data": RO({ initial: "" }),
      "cmi.comments": RW(chars(4096), { initial: "" }),
      "cmi.comments_from_lms": RO({ initial: "" }),
      "cmi.objectives.n.id": RW(identifier12, { initial: "" }),
      "cmi.objectives.n.score.raw": RW(score12, { initial: "" }),
      "cmi.objectives.n.score.min": RW(score12, { initial: "" }),
      "cmi.objectives.n.score.max": RW(score12, { initial: "" }),
      "cmi.objectives.n.status": RW(oneOf(STATUS_12), { initial: "not attempted" }),
      "cmi.student_data.mastery_score": RO({ initial: "" }),
      "cmi.student_data.max_time_allowed": RO({ initial: "" }),
      "cmi.student_data.time_limit_action": RO({ initial: "" }),
      "cmi.student_preference.audio": RW(integer(-1, 100), { initial: "" }),
      "cmi.student_preference.language": RW(chars(255), { initial: "" }),
      "cmi.student_preference.speed": RW(integer(-100, 100), { initial: "" }),
      "cmi.student_preference.text": RW(integer(-1, 1), { initial: "" }),
      "cmi.interactions.n.id": WO(identifier12),
      "cmi.interactions.n.objectives.n.id": WO(identifier12),
      "cmi.interactions.n.time": WO(matches(TIME_12, "a CMITime (HH:MM:SS)")),
      "cmi.interactions.n.type": WO(oneOf(["true-false", "choice", "fill-in", "matching",
        "performance", "sequencing", "likert", "numeric"])),
      // CMIFeedback: its format per interaction type is advice in SCORM 1.2 and authoring
      // tools write their own (several characters per choice), so only its size is kept.
      "cmi.interactions.n.correct_responses.n.pattern": WO(chars(255)),
      "cmi.interactions.n.weighting": WO(decimal(null, null, false)),
      "cmi.interactions.n.student_response": WO(chars(255)),
      "cmi.interactions.n.result": WO(either(
        oneOf(["correct", "wrong", "unanticipated", "neutral"]), decimal(null, null, false))),
      "cmi.interactions.n.latency": WO(timespan12),
    },
    children: {
      "cmi": "core,suspend_data,launch_data,comments,objectives,student_data," +
        "student_preference,interactions",
      "cmi.core": "student_id,student_name,lesson_location,credit,lesson_status,entry,score," +
        "total_time,lesson_mode,exit,session_time",
      "cmi.core.score": "raw,min,max",
      "cmi.objectives": "id,score,status",
      "cmi.objectives.n.score": "raw,min,max",
      "cmi.student_data": "mastery_score,max_time_allowed,time_limit_action",
      "cmi.student_preference": "audio,language,speed,text",
      "cmi.interactions": "id,objectives,time,type,correct_responses,weighting," +
        "student_response,result,latency",
    },
    arrays: ["cmi.objectives", "cmi.interactions", "cmi.interactions.n.objectives",
      "cmi.interactions.n.correct_responses"],
    sessionTime: "cmi.core.session_time",
  };

  const COMPLETION = ["completed", "incomplete", "not attempted", "unknown"];
  const SUCCESS = ["passed", "failed", "unknown"];
  const INTERACTION_TYPES = ["true-false", "choice", "fill-in", "long-fill-in", "likert",
    "matching", "performance", "sequencing", "numeric", "other"];
  const NAV_REQUEST = /^(continue|previous|exit|exitAll|abandon|abandonAll|suspendAll|_none_|\{target=[^{}\s]+\}(choice|jump))$/;
  const scaled = decimal(-1, 1, false);
  const measure = decimal(0, 1, false);
  const interval = matches(INTERVAL, "an ISO 8601 duration (PnYnMnDTnHnMnS)");

  function number(text) {
    return text === undefined || text === "" ? null : Number(text);
  }

  // RTE 4.2.4.1: with a completion threshold, the status is the progress measure against
  // it ("unknown" without a measure); otherwise what the SCO (or the LMS) said.
  function completionStatus(runtime) {
    const threshold = number(runtime.values.get("cmi.completion_threshold"));
    if (threshold !== null) {
      const progress = number(runtime.values.get("cmi.progress_measure"));
      if (progress === null) { return "unknown"; }
      return progress >= threshold ? "completed" : "incomplete";
    }
    return runtime.values.get("cmi.completion_status") || "unknown";
  }

  // RTE 4.2.22: with a scaled passing score, the status is the scaled score against it
  // ("unknown" without a score); otherwise what the SCO (or the LMS) said.
  function successStatus(runtime) {
    const passing = number(runtime.values.get("cmi.scaled_passing_score"));
    if (passing !== null) {
      const score = number(runtime.values.get("cmi.score.scaled"));
      if (score === null) { return "unknown"; }
      return score >= passing ? "passed" : "failed";
    }
    return runtime.values.get("cmi.success_status") || "unknown";
  }

  const MODEL_2004 = {
    elements: {
      "cmi.comments_from_learner.n.comment": RW(localized(4000)),
      "cmi.comments_from_learner.n.location": RW(chars(250)),
      "cmi.comments_from_learner.n.timestamp": RW(time2004),
      "cmi.comments_from_lms.n.comment": RO(),
      "cmi.comments_from_lms.n.location": RO(),
      "cmi.comments_from_lms.n.timestamp": RO(),
      "cmi.completion_status": RW(oneOf(COMPLETION), { get: completionStatus }),
      "cmi.completion_threshold": RO(),
      "cmi.credit": RO({ initial: "credit" }),
      "cmi.entry": RO({ initial: "ab-initio" }),
      "cmi.exit": WO(oneOf(["time-out", "suspend", "logout", "normal", ""])),
      "cmi.interactions.n.id": RW(longId),
      "cmi.interactions.n.type": RW(oneOf(INTERACTION_TYPES)),
      "cmi.interactions.n.objectives.n.id": RW(longId),
      "cmi.interactions.n.timestamp": RW(time2004),
      "cmi.interactions.n.correct_responses.n.pattern": RW(null, { response: true }),
      "cmi.interactions.n.weighting": RW(real),
      "cmi.interactions.n.learner_response": RW(null, { response: true }),
      "cmi.interactions.n.result": RW(either(
        oneOf(["correct", "incorrect", "unanticipated", "neutral"]), real)),
      "cmi.interactions.n.latency": RW(interval),
      "cmi.interactions.n.description": RW(localized(250)),
      "cmi.launch_data": RO(),
      "cmi.learner_id": RO({ initial: "" }),
      "cmi.learner_name": RO({ initial: "" }),
      "cmi.learner_preference.audio_level": RW(decimal(0, null, false), { initial: "1" }),
      "cmi.learner_preference.language": RW(language, { initial: "" }),
      "cmi.learner_preference.delivery_speed": RW(decimal(0, null, false), { initial: "1" }),
      "cmi.learner_preference.audio_captioning": RW(oneOf(["-1", "0", "1"]), { initial: "0" }),
      "cmi.location": RW(chars(1000)),
      "cmi.max_time_allowed": RO(),
      "cmi.mode": RO({ initial: "normal" }),
      "cmi.objectives.n.id": RW(longId),
      "cmi.objectives.n.score.scaled": RW(scaled),
      "cmi.objectives.n.score.raw": RW(real),
      "cmi.objectives.n.score.min": RW(real),
      "cmi.objectives.n.score.max": RW(real),
      "cmi.objectives.n.success_status": RW(oneOf(SUCCESS), { initial: "unknown" }),
      "cmi.objectives.n.completion_status": RW(oneOf(COMPLETION), { initial: "unknown" }),
      "cmi.objectives.n.progress_measure": RW(measure),
      "cmi.objectives.n.description": RW(localized(250)),
      "cmi.progress_measure": RW(measure),
      "cmi.scaled_passing_score": RO(),
      "cmi.score.scaled": RW(scaled),
      "cmi.score.raw": RW(real),
      "cmi.score.min": RW(real),
      "cmi.score.max": RW(real),
      "cmi.session_time": WO(interval),
      "cmi.success_status": RW(oneOf(SUCCESS), { get: successStatus }),
      "cmi.suspend_data": RW(chars(64000)),
      "cmi.time_limit_action": RO({ initial: "continue,no message" }),
      "cmi.total_time": RO({ initial: "PT0H0M0S" }),
      "adl.nav.request": RW(matches(NAV_REQUEST, "a navigation request"), { initial: "_none_" }),
      "adl.nav.request_valid.continue": RO({ initial: "unknown" }),
      "adl.nav.request_valid.previous": RO({ initial: "unknown" }),
    },
    children: {
      "cmi.comments_from_learner": "comment,location,timestamp",
      "cmi.comments_from_lms": "comment,location,timestamp",
      "cmi.interactions": "id,type,objectives,timestamp,correct_responses,weighting," +
        "learner_response,result,latency,description",
      "cmi.learner_preference": "audio_level,language,delivery_speed,audio_captioning",
      "cmi.objectives": "id,score,success_status,completion_status,progress_measure,description",
      "cmi.objectives.n.score": "scaled,raw,min,max",
      "cmi.score": "scaled,raw,min,max",
    },
    arrays: ["cmi.comments_from_learner", "cmi.comments_from_lms", "cmi.interactions",
      "cmi.interactions.n.objectives", "cmi.interactions.n.correct_responses", "cmi.objectives"],
    sessionTime: "cmi.session_time",
  };

  // Pathway answers "unknown" for every navigation request's validity: the sequencing that
  // would decide it is the player's, after Terminate.
  const REQUEST_VALID = /^adl\.nav\.request_valid\.(choice|jump)\.\{target=[^{}\s]+\}$/;

  const MODELS = { "1.2": MODEL_12, "2004": MODEL_2004 };

  for (const model of Object.values(MODELS)) {
    model.arrays = new Set(model.arrays);
    // Every prefix of an element ("cmi.core", "cmi.objectives.n.score") is a known node.
    model.nodes = new Set();
    for (const name of Object.keys(model.elements)) {
      const parts = name.split(".");
      for (let i = 1; i < parts.length; i += 1) { model.nodes.add(parts.slice(0, i).join(".")); }
    }
  }

  const KEYWORDS = new Set(["_children", "_count", "_version"]);
  const INDEX = /^(0|[1-9]\d*)$/;

  /** An element name taken apart: its template ("cmi.objectives.n.id"), the keyword it
   * ends with, and each index with the collection it indexes. */
  function parse(name) {
    const parts = name.split(".");
    const keyword = KEYWORDS.has(parts[parts.length - 1]) ? parts.pop() : null;
    const template = [];
    const levels = [];
    parts.forEach((part, i) => {
      if (INDEX.test(part)) {
        levels.push({ path: parts.slice(0, i).join("."), template: template.join("."),
          index: Number(part) });
        template.push("n");
      } else {
        template.push(part);
      }
    });
    return { name, keyword, template: template.join("."), path: parts.join("."), levels };
  }

  // ---- Time -----------------------------------------------------------------------------

  function pad(number, width) { return String(number).padStart(width, "0"); }

  /** A duration in the version's format: HHHH:MM:SS.SS (1.2) or PThHmMs.ssS (2004). */
  function formatDuration(milliseconds, version) {
    const centis = Math.max(0, Math.round(milliseconds / 10));
    const hours = Math.floor(centis / 360000);
    const minutes = Math.floor(centis / 6000) % 60;
    const seconds = (centis % 6000) / 100;
    if (version === "1.2") {
      const whole = Math.floor(seconds);
      return `${pad(Math.min(hours, 9999), 4)}:${pad(minutes, 2)}:${pad(whole, 2)}.` +
        pad(Math.round((seconds - whole) * 100), 2);
    }
    return `PT${hours}H${minutes}M${Number(seconds.toFixed(2))}S`;
  }

  // ---- Transport ------------------------------------------------------------------------

  function csrfToken() {
    const meta = global.document && global.document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : null;
  }

  /** The transport to the server: fetch (with keepalive for terminate), or
   * navigator.sendBeacon for unload. */
  function defaultTransport(config) {
    return function (body, options) {
      const json = JSON.stringify(body);
      if (options.beacon) {
        const blob = new Blob([json], { type: "application/json" });
        const queued = global.navigator.sendBeacon && global.navigator.sendBeacon(config.commitUrl, blob);
        // A beacon is refused above 64 KiB (queued false); a keepalive fetch has the same
        // limit, so the last try is a plain fetch, which may not outlive the page.
        if (!queued) { post(json, blob.size < 60000).catch(() => post(json, false)).catch(() => null); }
        return Promise.resolve({ status: 0, beacon: true });
      }
      const keepalive = Boolean(options.keepalive) && new Blob([json]).size < 60000;
      return post(json, keepalive);
    };

    function post(json, keepalive) {
      const headers = { "Content-Type": "application/json", "Accept": "application/json" };
      const token = csrfToken();
      if (token) { headers["X-CSRFToken"] = token; }
      return global.fetch(config.commitUrl, {
        method: "POST", headers, body: json, keepalive, credentials: "same-origin", cache: "no-store",
      }).then((response) => response.text().then((text) => {
        let data = null;
        try { data = text ? JSON.parse(text) : null; } catch (error) { data = text; }
        return { status: response.status, body: data };
      }));
    }
  }

  // ---- The run-time ---------------------------------------------------------------------

  const NEW = "new", RUNNING = "running", TERMINATED = "terminated";
  const navCallbacks = [];

  class Runtime {
    constructor(config, transport) {
      this.config = config || {};
      this.version = String(this.config.version) === "2004" ? "2004" : "1.2";
      this.model = MODELS[this.version];
      this.codes = CODES[this.version];
      this.errors = this.version === "2004" ? ERRORS_2004 : ERRORS_12;
      this.transport = transport || defaultTransport(this.config);
      this.every = Number(this.config.commitEveryMs) > 0 ? Number(this.config.commitEveryMs) : 10000;
      this.values = new Map();
      this.counts = new Map();
      for (const [name, value] of Object.entries(this.config.initial || {})) {
        this.values.set(name, String(value));
        this.countFrom(parse(name));
      }
      this.state = NEW;
      this.error = "0";
      this.diagnosis = "";
      this.pending = new Map();  // element -> value, in the order first set since the last send
      this.unacknowledged = [];  // requests sent and not answered yet, or failed (to retry)
      this.sequence = 0;
      this.flushWanted = false;
      this.timer = null;
      this.startedAt = null;
      this.sessionTimeSet = false;
      this.unloaded = false;
      this.api = this.version === "2004" ? api2004(this) : api12(this);
    }

    // -- counts of collections --

    countFrom(parsed) {
      for (const level of parsed.levels) {
        if (this.model.arrays.has(level.template)) {
          this.counts.set(level.path, Math.max(this.count(level.path), level.index + 1));
        }
      }
    }

    count(path) { return this.counts.get(path) || 0; }

    // -- errors --

    ok(value) { this.error = "0"; this.diagnosis = ""; return value; }

    refuse(code, detail, answer) {
      this.error = code;
      this.diagnosis = detail || "";
      return answer;
    }

    errorString(code) { return this.errors[String(code)] || ""; }

    diagnostic(code) {
      const asked = code === undefined || code === null || code === "" ? this.error : String(code);
      const text = asked === this.error && this.diagnosis ? this.diagnosis : this.errorString(asked);
      return text.slice(0, 255);
    }

    /** Initialize / LMSInitialize / Terminate / ... take "" and nothing else. */
    badArgument(argument) {
      return !(argument === undefined || argument === null || argument === "");
    }

    // -- session --

    initialize(argument) {
      const c = this.codes;
      if (this.badArgument(argument)) { return this.refuse(c.argument, "The argument must be \"\"", "false"); }
      if (this.state === RUNNING) { return this.refuse(c.initTwice, "Already initialized", "false"); }
      if (this.state === TERMINATED) {
        return this.refuse(c.initAfter, "The session has ended; reload the page to start another", "false");
      }
      this.state = RUNNING;
      this.startedAt = Date.now();
      this.flush("initialize");
      this.timer = global.setInterval(() => this.tick(), this.every);
      return this.ok("true");
    }

    terminate(argument) {
      const c = this.codes;
      if (this.badArgument(argument)) { return this.refuse(c.argument, "The argument must be \"\"", "false"); }
      if (this.state === NEW) { return this.refuse(c.finishBefore, "Not initialized", "false"); }
      if (this.state === TERMINATED) { return this.refuse(c.finishAfter, "Already terminated", "false"); }
      this.state = TERMINATED;
      this.finalSend("terminate", false);
      this.ok("true");
      this.announceEnd();
      return "true";
    }

    commit(argument) {
      const c = this.codes;
      if (this.badArgument(argument)) { return this.refuse(c.argument, "The argument must be \"\"", "false"); }
      if (this.state === NEW) { return this.refuse(c.commitBefore, "Not initialized", "false"); }
      if (this.state === TERMINATED) { return this.refuse(c.commitAfter, "Already terminated", "false"); }
      this.flush("commit");
      return this.ok("true");
    }

    announceEnd() {
      const request = this.version === "2004" ? this.values.get("adl.nav.request") || "_none_" : null;
      const detail = { version: this.version, navRequest: request };
      if (request && request !== "_none_") {
        for (const callback of navCallbacks.slice()) {
          try { callback(request, this); } catch (error) { global.console.error(error); }
        }
        dispatch("scorm:navrequest", { version: this.version, request });
      }
      dispatch("scorm:terminated", detail);
    }

    // -- GetValue --

    getValue(name) {
      const c = this.codes;
      if (this.state === NEW) { return this.refuse(c.getBefore, "Not initialized", ""); }
      if (this.state === TERMINATED) { return this.refuse(c.getAfter, "Already terminated", ""); }
      name = name === undefined || name === null ? "" : String(name);
      if (name === "") { return this.refuse(c.getEmpty, "No element named", ""); }
      if (this.version === "2004" && REQUEST_VALID.test(name)) { return this.ok("unknown"); }
      const parsed = parse(name);
      if (parsed.keyword) { return this.keyword(parsed); }
      const element = this.model.elements[parsed.template];
      if (!element) { return this.refuse(c.undefined, `${name} is not a data model element`, ""); }
      if (element.access === "wo") { return this.refuse(c.writeOnly, `${name} is write only`, ""); }
      for (const level of parsed.levels) {
        if (level.index >= this.count(level.path)) {
          return this.refuse(c.getIndex, `${level.path} has ${this.count(level.path)} entries`, "");
        }
      }
      if (element.get) { return this.ok(element.get(this)); }
      if (this.values.has(name)) { return this.ok(this.values.get(name)); }
      if (element.initial !== undefined) { return this.ok(element.initial); }
      if (c.notInitialized) { return this.refuse(c.notInitialized, `${name} has no value yet`, ""); }
      return this.ok("");
    }

    /** Known element or node (something that exists, as opposed to a misspelt name). */
    known(template) {
      return Boolean(this.model.elements[template]) || this.model.nodes.has(template);
    }

    keyword(parsed) {
      const c = this.codes;
      const parent = parsed.template;
      if (parsed.keyword === "_children") {
        const list = this.model.children[parent];
        if (list) { return this.ok(list); }
        return this.known(parent)
          ? this.refuse(c.children, `${parsed.path} has no children`, "")
          : this.refuse(c.undefined, `${parsed.path} is not a data model element`, "");
      }
      if (parsed.keyword === "_count") {
        if (this.model.arrays.has(parent)) {
          for (const level of parsed.levels) {
            if (level.index >= this.count(level.path)) {
              return this.refuse(c.getIndex, `${level.path} has ${this.count(level.path)} entries`, "");
            }
          }
          return this.ok(String(this.count(parsed.path)));
        }
        return this.known(parent)
          ? this.refuse(c.count, `${parsed.path} is not a collection`, "")
          : this.refuse(c.undefined, `${parsed.path} is not a data model element`, "");
      }
      // _version: "1.0" in SCORM 2004; SCORM 1.2 answers the AICC CMI version it is, 3.4.
      if (parent === "cmi") { return this.ok(this.version === "2004" ? "1.0" : "3.4"); }
      return this.known(parent) && this.version === "2004"
        ? this.refuse(c.children, `${parsed.path} has no _version`, "")
        : this.refuse(c.undefined, `${parsed.name} is not a data model element`, "");
    }

    /** Whether GetValue of this keyword would answer (so setting it is "read only"). */
    keywordExists(parsed) {
      if (parsed.keyword === "_children") { return Boolean(this.model.children[parsed.template]); }
      if (parsed.keyword === "_count") { return this.model.arrays.has(parsed.template); }
      return parsed.template === "cmi";
    }

    // -- SetValue --

    setValue(name, value) {
      const c = this.codes;
      if (this.state === NEW) { return this.refuse(c.setBefore, "Not initialized", "false"); }
      if (this.state === TERMINATED) { return this.refuse(c.setAfter, "Already terminated", "false"); }
      name = name === undefined || name === null ? "" : String(name);
      value = value === undefined || value === null ? "" : String(value);
      if (name === "") { return this.refuse(c.setEmpty, "No element named", "false"); }
      if (this.version === "2004" && REQUEST_VALID.test(name)) {
        return this.refuse(c.readOnly, `${name} is read only`, "false");
      }
      const parsed = parse(name);
      if (parsed.keyword) {
        if (this.version === "1.2") {
          return this.known(parsed.template)
            ? this.refuse(c.keyword, `${parsed.keyword} is a keyword`, "false")
            : this.refuse(c.undefined, `${parsed.path} is not a data model element`, "false");
        }
        return this.keywordExists(parsed)
          ? this.refuse(c.keyword, `${name} is a keyword and read only`, "false")
          : this.refuse(c.undefined, `${name} is not a data model element`, "false");
      }
      const element = this.model.elements[parsed.template];
      if (!element) { return this.refuse(c.undefined, `${name} is not a data model element`, "false"); }
      if (element.access === "ro") { return this.refuse(c.readOnly, `${name} is read only`, "false"); }
      const created = [];
      for (const level of parsed.levels) {
        const count = this.count(level.path);
        if (level.index > count) {
          return this.refuse(c.setIndex,
            `${name}: ${level.path} has ${count} entries, so the next one is ${level.path}.${count}`, "false");
        }
        if (level.index === count) { created.push(level); }
      }
      const found = (this.version === "2004" ? this.dependency(parsed, created) : null) ||
        this.check(element, parsed, value) ||
        (this.version === "2004" ? this.uniqueness(parsed, value) : null);
      if (found) { return this.refuse(c[found.kind], `${name}: ${found.detail}`, "false"); }
      for (const level of created) { this.counts.set(level.path, level.index + 1); }
      this.values.set(name, value);
      this.pending.set(name, value);
      if (name === this.model.sessionTime) { this.sessionTimeSet = true; }
      return this.ok("true");
    }

    check(element, parsed, value) {
      if (element.response) {
        return responseProblem(this.interactionType(parsed), value,
          parsed.template.endsWith(".pattern"));
      }
      return element.check ? element.check(value) : null;
    }

    interactionType(parsed) {
      return this.values.get(`cmi.interactions.${parsed.levels[0].index}.type`);
    }

    /** SCORM 2004 dependencies (408): an interaction or objective is created by its id and
     * nothing else of it can be set before; responses need the interaction's type. */
    dependency(parsed, created) {
      const [first] = parsed.levels;
      if (first && (first.template === "cmi.interactions" || first.template === "cmi.objectives")) {
        const item = `${first.path}.${first.index}`;
        const own = parsed.name.slice(item.length + 1);
        if (own !== "id" && (created.includes(first) || !this.values.has(`${item}.id`))) {
          return problem("dependency", `${item}.id must be set first`);
        }
      }
      if (parsed.template === "cmi.interactions.n.correct_responses.n.pattern" ||
          parsed.template === "cmi.interactions.n.learner_response") {
        if (!INTERACTION_TYPES.includes(this.interactionType(parsed))) {
          return problem("dependency", `cmi.interactions.${first.index}.type must be set first`);
        }
      }
      return null;
    }

    /** SCORM 2004 set failures (351) that depend on the rest of the data model. */
    uniqueness(parsed, value) {
      const levels = parsed.levels;
      if (parsed.template === "cmi.objectives.n.id") {
        const own = parsed.name;
        if (this.values.has(own) && this.values.get(own) !== value) {
          return problem("set", "an objective's id cannot be changed once set");
        }
        for (let i = 0; i < this.count("cmi.objectives"); i += 1) {
          if (i !== levels[0].index && this.values.get(`cmi.objectives.${i}.id`) === value) {
            return problem("set", `objective ${i} already has the id ${quoted(value)}`);
          }
        }
      }
      if (parsed.template === "cmi.interactions.n.objectives.n.id" ||
          parsed.template === "cmi.interactions.n.correct_responses.n.pattern") {
        const collection = levels[1].path;
        const leaf = parsed.template.endsWith(".id") ? "id" : "pattern";
        if (leaf === "pattern" && levels[1].index > 0 && SINGLE_PATTERN.has(this.interactionType(parsed))) {
          return problem("set", `a ${this.interactionType(parsed)} interaction has one correct response`);
        }
        for (let i = 0; i < this.count(collection); i += 1) {
          if (i !== levels[1].index && this.values.get(`${collection}.${i}.${leaf}`) === value) {
            return problem("set", `${collection}.${i}.${leaf} is already ${quoted(value)}`);
          }
        }
      }
      return null;
    }

    // -- sending --

    body(event, values) {
      this.sequence += 1;
      return { token: this.config.token, sequence: this.sequence, event, values };
    }

    takePending() {
      const values = Array.from(this.pending.entries());
      this.pending.clear();
      return values;
    }

    /** Sends what is unsent, one request at a time so the server sees sequences in order:
     * a failed request first (as it was), then the changes since. */
    flush(event) {
      if (this.unloaded) { return; }
      if (this.unacknowledged.some((request) => !request.failed)) {
        this.flushWanted = true;
        return;
      }
      const failed = this.unacknowledged.find((request) => request.failed);
      if (failed) {
        failed.failed = false;
        if (this.pending.size) { this.flushWanted = true; }
        this.send(failed);
        return;
      }
      if (event !== "initialize" && this.pending.size === 0) { return; }
      this.send({ body: this.body(event, this.takePending()), options: { event } });
    }

    tick() {
      if (this.state === TERMINATED && this.unacknowledged.length === 0) {
        global.clearInterval(this.timer);
        return;
      }
      if (this.pending.size || this.unacknowledged.some((request) => request.failed)) {
        this.flush("commit");
      }
    }

    /** Terminate or unload: everything not yet acknowledged, in one request sent at once
     * (fetch keepalive, or a beacon). A request still unanswered may also arrive; its
     * values are the same, so applying both changes nothing. */
    finalSend(event, beacon) {
      const merged = new Map();
      for (const request of this.unacknowledged) {
        for (const [name, value] of request.body.values) { merged.set(name, value); }
      }
      for (const [name, value] of this.pending) { merged.set(name, value); }
      this.pending.clear();
      this.unacknowledged = [];
      this.flushWanted = false;
      if (event === "unload" && !this.sessionTimeSet && this.startedAt !== null) {
        // The SCO never said how long this session was, and the server adds session_time
        // to total_time: without this the time would be lost. A SCO that set its own
        // session_time keeps it (it may count only the time the learner was active).
        merged.set(this.model.sessionTime, formatDuration(Date.now() - this.startedAt, this.version));
      }
      const request = { body: this.body(event, Array.from(merged.entries())),
        options: { event, keepalive: !beacon, beacon } };
      if (beacon) {
        try { this.transport(request.body, request.options); } catch (error) { global.console.error(error); }
      } else {
        this.send(request);
      }
    }

    send(request) {
      if (!this.unacknowledged.includes(request)) { this.unacknowledged.push(request); }
      let answer;
      try {
        answer = Promise.resolve(this.transport(request.body, request.options));
      } catch (error) {
        answer = Promise.reject(error);
      }
      answer.then((response) => this.answered(request, response),
        (error) => this.failed(request, String(error)));
    }

    answered(request, response) {
      const status = response && Number(response.status);
      if (!this.unacknowledged.includes(request)) { return; }  // merged into a final request
      if (status >= 200 && status < 300) {
        this.unacknowledged = this.unacknowledged.filter((other) => other !== request);
        this.lastAnswer = response.body;
        dispatch("scorm:committed", { sequence: request.body.sequence, answer: response.body });
      } else if (status >= 400 && status < 500) {
        // The server refused these values (bad token, finished attempt, a value it does not
        // take): sending them again would be refused again.
        this.unacknowledged = this.unacknowledged.filter((other) => other !== request);
        global.console.error(`SCORM: the server refused request ${request.body.sequence} ` +
          `(${request.body.event}) with ${status}; its values are dropped`, response.body);
      } else {
        this.failed(request, `status ${status}`);
        return;
      }
      this.next();
    }

    failed(request, reason) {
      if (!this.unacknowledged.includes(request)) { return; }
      request.failed = true;
      this.lastFailure = reason;
    }

    next() {
      if (this.flushWanted) {
        this.flushWanted = false;
        this.flush("commit");
      }
    }

    /** The page is going away: unsent changes go in a beacon ("unload") unless the SCO
     * terminated (or the player finished the session), when only a request that failed is
     * sent again. */
    pagehide() {
      if (this.state === NEW) { return; }
      global.clearInterval(this.timer);
      if (this.state === RUNNING && !this.unloaded) {
        this.unloaded = true;
        this.finalSend("unload", true);
        return;
      }
      this.unloaded = true;
      this.beaconFailed();
    }

    beaconFailed() {
      for (const request of this.unacknowledged.filter((r) => r.failed)) {
        try {
          this.transport(request.body, { event: request.body.event, beacon: true });
        } catch (error) {
          global.console.error(error);
        }
      }
      this.unacknowledged = this.unacknowledged.filter((r) => !r.failed);
    }

    /** The player leaves the SCO (another item, review, start again): everything unsent goes
     * now, as "unload" when the SCO did not terminate; resolves once the server has answered
     * every request (one that failed goes again as a beacon). */
    finish() {
      if (this.state === NEW) { return Promise.resolve(); }
      if (this.state === RUNNING && !this.unloaded) {
        this.unloaded = true;
        global.clearInterval(this.timer);
        this.finalSend("unload", false);
      }
      return new Promise((resolve) => {
        const settled = () => {
          if (this.unacknowledged.some((request) => !request.failed)) {
            global.setTimeout(settled, 25);
            return;
          }
          this.unloaded = true;
          global.clearInterval(this.timer);
          this.beaconFailed();
          resolve();
        };
        settled();
      });
    }

    /** For tests and the player: the changes not sent yet, as [element, value] pairs. */
    pendingValues() { return Array.from(this.pending.entries()); }
  }

  function dispatch(type, detail) {
    if (typeof global.dispatchEvent === "function" && typeof global.CustomEvent === "function") {
      global.dispatchEvent(new global.CustomEvent(type, { detail }));
    }
  }

  // ---- The API objects --------------------------------------------------------------------
  // Plain functions over the runtime, so a SCO may call them detached from the object.

  function api12(runtime) {
    return {
      LMSInitialize: (argument) => runtime.initialize(argument),
      LMSFinish: (argument) => runtime.terminate(argument),
      LMSGetValue: (name) => runtime.getValue(name),
      LMSSetValue: (name, value) => runtime.setValue(name, value),
      LMSCommit: (argument) => runtime.commit(argument),
      LMSGetLastError: () => runtime.error,
      LMSGetErrorString: (code) => runtime.errorString(code),
      LMSGetDiagnostic: (code) => runtime.diagnostic(code),
    };
  }

  function api2004(runtime) {
    return {
      Initialize: (argument) => runtime.initialize(argument),
      Terminate: (argument) => runtime.terminate(argument),
      GetValue: (name) => runtime.getValue(name),
      SetValue: (name, value) => runtime.setValue(name, value),
      Commit: (argument) => runtime.commit(argument),
      GetLastError: () => runtime.error,
      GetErrorString: (code) => runtime.errorString(code),
      GetDiagnostic: (code) => runtime.diagnostic(code),
    };
  }

  // ---- Installation -----------------------------------------------------------------------

  function createRuntime(config, transport) {
    return new Runtime(config, transport);
  }

  /** Creates the runtime for the player page and puts its API where SCOs look for it. */
  function install(config, transport) {
    const runtime = createRuntime(config, transport);
    if (runtime.version === "2004") { global.API_1484_11 = runtime.api; } else { global.API = runtime.api; }
    global.PathwayScorm.current = runtime;
    global.addEventListener("pagehide", () => {
      // When the whole player page goes (the learner closes the tab or leaves), the SCO's
      // frame would unload only after this handler: a SCO that saves its data and calls
      // Terminate/LMSFinish in its own unload handler (pipwerks, eXeLearning, Storyline)
      // would then find the session already closed by the beacon. Removing the frame first
      // runs the SCO's handlers now, against a live runtime.
      if (global.document && runtime.state === RUNNING) {
        global.document.querySelectorAll("iframe[data-scorm-sco]").forEach((frame) => {
          try { frame.remove(); } catch (error) { global.console.error(error); }
        });
      }
      runtime.pagehide();
    });
    // A page restored from the back-forward cache has had its session closed by the
    // unload request: only a new page opens a new one.
    global.addEventListener("pageshow", (event) => {
      if (event.persisted && runtime.unloaded) { global.location.reload(); }
    });
    // Mobile browsers may kill a hidden page without pagehide: send what is unsent.
    if (global.document) {
      global.document.addEventListener("visibilitychange", () => {
        if (global.document.visibilityState === "hidden" && runtime.state === RUNNING) {
          runtime.flush("commit");
        }
      });
    }
    return runtime;
  }

  global.PathwayScorm = {
    createRuntime,
    install,
    onNavRequest(callback) { navCallbacks.push(callback); },
    finish() { return global.PathwayScorm.current ? global.PathwayScorm.current.finish() : Promise.resolve(); },
    current: null,
    formatDuration,
  };

  const element = global.document && global.document.getElementById("scorm-runtime-config");
  if (element) {
    try {
      install(JSON.parse(element.textContent));
    } catch (error) {
      global.console.error("SCORM: the runtime configuration could not be read", error);
    }
  }
})(window);
