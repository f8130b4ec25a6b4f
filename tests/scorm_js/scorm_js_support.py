"""Helpers of the SCORM runtime's JavaScript tests: Debian's Chromium (through
`tests/browser/browser_support.py`), a blank page holding `scorm-runtime.js` and a harness
that creates runtimes with a transport recording what would be sent, and a compact way to
write API calls and read back each call's result and error code.

The harness's transport answers 200 unless told otherwise: each test may queue answers
("network" for a failed request, or an HTTP status) that the next requests get in order."""

from __future__ import annotations

from pathlib import Path

from conftest import browser_support

TESTS = Path(__file__).resolve().parent.parent
RUNTIME = TESTS.parent / "activities" / "scorm" / "static" / "scorm-runtime.js"


CHROMIUM = browser_support().CHROMIUM
CHROMIUM_ARGS = browser_support().CHROMIUM_ARGS


def sync_playwright():
    """Playwright's sync API, or a skip (a failure with PATHWAY_BROWSER_TESTS=required)."""
    return browser_support().sync_playwright()


# The harness: `harness.run(config, calls)` makes a runtime with a recording transport and
# makes the calls; every call answers [its result, GetLastError after it].
HARNESS = """
window.harness = {
  names: {
    "1.2": {init: "LMSInitialize", finish: "LMSFinish", get: "LMSGetValue", set: "LMSSetValue",
            commit: "LMSCommit", error: "LMSGetLastError", string: "LMSGetErrorString",
            diag: "LMSGetDiagnostic"},
    "2004": {init: "Initialize", finish: "Terminate", get: "GetValue", set: "SetValue",
             commit: "Commit", error: "GetLastError", string: "GetErrorString",
             diag: "GetDiagnostic"},
  },
  runtime: null, sent: [], answers: [], events: [], navigated: [],
  make(config) {
    const h = this;
    h.sent = []; h.events = []; h.navigated = [];
    h.answers = (config.answers || []).slice();
    const settings = Object.assign({token: "secret", commitUrl: "/scorm/attempts/7/commit",
      commitEveryMs: 3600000, initial: {}}, config);
    delete settings.answers;
    h.runtime = PathwayScorm.createRuntime(settings, (body, options) => {
      h.sent.push({body: JSON.parse(JSON.stringify(body)), options: Object.assign({}, options)});
      if (options.beacon) { return true; }
      const answer = h.answers.length ? h.answers.shift() : 200;
      if (answer === "network") { return Promise.reject(new TypeError("Failed to fetch")); }
      return Promise.resolve({status: answer, body: {sequence: body.sequence, duplicate: false,
        status: {completion: "incomplete"}}});
    });
    return h.runtime;
  },
  call(call) {
    const names = this.names[this.runtime.version];
    const api = this.runtime.api;
    const [op, ...args] = call;
    const result = api[names[op]](...args);
    return [result, api[names.error]()];
  },
  run(config, calls) {
    this.make(config);
    return calls.map((call) => this.call(call));
  },
  more(calls) { return calls.map((call) => this.call(call)); },
};
for (const type of ["scorm:terminated", "scorm:navrequest", "scorm:committed"]) {
  window.addEventListener(type, (event) => {
    if (window.harness.runtime) { window.harness.events.push([type, event.detail]); }
  });
}
PathwayScorm.onNavRequest((request) => window.harness.navigated.push(request));
"""


def load_runtime(page) -> None:
    """A blank page with the runtime and the harness (no configuration element: nothing is
    installed until a test asks)."""
    page.set_content("<!doctype html><html><head><title>SCORM runtime</title></head>"
                     "<body></body></html>")
    page.add_script_tag(path=str(RUNTIME))
    page.add_script_tag(content=HARNESS)


def calls_of(calls) -> list[list]:
    """("set", name, value) / ("get", name) / ("init",) ... as JSON-able lists."""
    return [list(call) for call in calls]


def run(page, version: str, calls, initial: dict | None = None, initialize: bool = True,
        **config) -> list[tuple[str, str]]:
    """Makes a runtime of `version` with `initial` data and makes `calls` (after Initialize
    unless told not to); answers each call's (result, error code)."""
    steps = ([("init", "")] if initialize else []) + list(calls)
    settings = dict(config, version=version, initial=initial or {})
    answers = page.evaluate("([config, calls]) => harness.run(config, calls)",
                            [settings, calls_of(steps)])
    results = [tuple(answer) for answer in answers]
    if initialize:
        assert results[0] == ("true", "0"), results[0]
        results = results[1:]
    return results


def last(page, version: str, calls, initial: dict | None = None, **config) -> tuple[str, str]:
    """The (result, error code) of the last of `calls`."""
    return run(page, version, calls, initial, **config)[-1]


def more(page, calls) -> list[tuple[str, str]]:
    """More calls on the runtime the last `run` made."""
    return [tuple(answer) for answer in
            page.evaluate("(calls) => harness.more(calls)", calls_of(calls))]


def sent(page) -> list[dict]:
    """What the runtime handed to its transport so far: [{body, options}]."""
    return page.evaluate("() => harness.sent")


def wait_sent(page, count: int) -> list[dict]:
    """Waits until the transport has been given `count` requests; answers them all."""
    page.wait_for_function("(count) => harness.sent.length >= count", arg=count, timeout=10000)
    return sent(page)


def settled(page) -> None:
    """Waits until every request the runtime sent has been answered or has failed."""
    page.wait_for_function(
        "() => harness.runtime.unacknowledged.every((request) => request.failed)",
        timeout=10000)

