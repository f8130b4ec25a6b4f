"""A cmi5 course played in Debian's Chromium against a real `lms serve`: the test course of
`packages/cmi5_two_aus` (two AUs in a block, with a hand-written xAPI client of its own) is
uploaded through the API; the learner opens the course page and launches each AU, which
fetches its token, reads LMS.LaunchData and sends its statements to the LRS with plain fetch().

AU 1 completed satisfies it; AU 2 failed, then passed in a new session, satisfies it, the block
and the course, and the activity is complete. A statement that breaks the cmi5 rules is
refused by the LRS (403). A Browse launch says so in the launch data and counts for nothing.
An AU launched again while its first session is open abandons that session."""

from __future__ import annotations

import re

import pytest
from conftest import PASSWORD
from scorm_e2e_support import (
    ADL,
    CMI5,
    cmi5_satisfied,
    cmi5_sessions,
    eventually,
    open_from_unit_page,
    progress_entry,
    statements,
    upload_package,
    verbs,
)

pytestmark = pytest.mark.slow
pytest_plugins = ["scorm_e2e_fixtures"]

TRANSCRIPT = "Transcript: in our own words"
CHECK = "Check: what we heard"
SESSION_ID = "https://w3id.org/xapi/cmi5/context/extensions/sessionid"
MASTERY = "https://w3id.org/xapi/cmi5/context/extensions/masteryscore"
MOVEON = "https://w3id.org/xapi/cmi5/context/categories/moveon"
CMI5_CATEGORY = "https://w3id.org/xapi/cmi5/context/categories/cmi5"
SATISFIED = "https://w3id.org/xapi/adl/verbs/satisfied"


def expect(target):
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(target)


def sign_in(page, base: str, email: str) -> None:
    page.goto(f"{base}/login")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/")


def course_ids(db, slug: str = CMI5) -> dict:
    """The LMS's activity ids of the uploaded course: {"course", "block", AU title: id}."""
    from lms.catalogue.models import Activity
    from lms.content.models import ContentPackage

    db.session.rollback()
    manifest = db.session.execute(
        db.select(ContentPackage.manifest).join(Activity, ContentPackage.activity_id == Activity.id)
        .where(Activity.slug == slug, ContentPackage.current.is_(True))).scalar_one()
    ids = {"course": manifest["course"]["lms_id"], "block": manifest["blocks"][0]["lms_id"]}
    ids.update({au["title"]: au["lms_id"] for au in manifest["aus"]})
    return ids


def launch(page, title: str, how: str = "Launch") -> None:
    """On the course page, press the AU's button (Launch, Browse or Review) and wait for the
    AU to have fetched its token, read its launch data and sent `initialized`."""
    page.get_by_role("button", name=re.compile(rf"^{how}\s*:\s*{re.escape(title)}")).click()
    page.wait_for_url(re.compile(r"/content/packages/"))
    expect(page.locator("body")).to_have_attribute("data-state", "initialized")


def leave(page) -> None:
    """Press the AU's Exit: `terminated`, then back to the course page (the returnURL)."""
    page.get_by_role("button", name="Exit").click()
    page.wait_for_url(re.compile(r"/player$"))


def answer(page, right: int) -> None:
    """Answer AU 2's five questions, the first `right` of them correctly."""
    correct = ["locked", "staff", "tea", "notice", "choice"]
    wrong = ["asked", "nobody", "room", "restrict", "risk"]
    for n in range(5):
        page.locator(f"input[name=q{n + 1}][value={(correct if n < right else wrong)[n]}]") \
            .check()
    page.get_by_role("button", name="Submit answers").click()


def au_problems(page) -> list[str]:
    return page.evaluate("() => window.cmi5au.problems")


def au_status(page, title: str):
    """The AU's entry in the course page's structure."""
    return page.locator("li.cmi5-au").filter(has=page.get_by_role("heading", name=re.compile(
        re.escape(title))))


def test_cmi5_two_aus_satisfy_the_block_and_the_course(
        site, e2e_db, enrolment, learner, admin_headers, learner_headers, lrs, open_page):
    upload_package(site, CMI5, admin_headers)
    ids = course_ids(e2e_db)
    page = open_page()
    sign_in(page, site, learner.email)
    open_from_unit_page(page, site, enrolment.id, CMI5)
    expect(page.get_by_role("heading", name="Listening and checking")).to_be_visible()
    expect(au_status(page, TRANSCRIPT)).to_contain_text("Not attempted")

    # AU 1: read, "completed" (its moveOn), exit.
    launch(page, TRANSCRIPT)
    expect(page.locator("#mode")).to_be_hidden()  # Normal
    page.get_by_role("button", name="I have read the transcript").click()
    expect(page.locator("body")).to_have_attribute("data-state", "completed")
    assert au_problems(page) == []
    leave(page)
    expect(au_status(page, TRANSCRIPT)).to_contain_text("Completed")
    expect(au_status(page, TRANSCRIPT)).to_contain_text("Satisfied")
    first = cmi5_sessions(e2e_db, enrolment.id)[0]
    assert (first.au_id, first.launch_mode, first.move_on) == \
        (ids[TRANSCRIPT], "Normal", "Completed")
    assert first.fetch_used_at and first.initialized_at and first.completed_at
    assert first.terminated_at and first.seconds > 0
    assert cmi5_satisfied(e2e_db, enrolment.registration) == {ids[TRANSCRIPT]: "au"}
    assert progress_entry(site, enrolment.id, CMI5, learner_headers)["status"] == "started"

    # AU 2: three of five (0.6, under the mastery score of 0.8): failed.
    launch(page, CHECK)
    expect(page.locator("#mastery")).to_have_text("You need 80% to pass.")
    expect(page.locator("#fact-parameters")).to_have_text('{"questions":5,"feedback":"after"}')
    expect(page.locator("#fact-lang")).to_have_text("en-GB")  # the AU's own query kept
    answer(page, right=3)
    expect(page.locator("body")).to_have_attribute("data-state", "failed")
    assert au_problems(page) == []
    leave(page)
    expect(au_status(page, CHECK)).to_contain_text("Failed")
    assert ids[CHECK] not in cmi5_satisfied(e2e_db, enrolment.registration)

    # AU 2 again, a new session: five of five, passed.
    launch(page, CHECK)
    answer(page, right=5)
    expect(page.locator("body")).to_have_attribute("data-state", "passed")
    assert au_problems(page) == []
    leave(page)
    expect(page.locator(".done")).to_have_text("You have met every requirement of this course.")

    sessions = cmi5_sessions(e2e_db, enrolment.id)
    assert [(s.au_id, bool(s.failed_at), bool(s.passed_at)) for s in sessions] == [
        (ids[TRANSCRIPT], False, False), (ids[CHECK], True, False), (ids[CHECK], False, True)]
    assert all(s.terminated_at and not s.abandoned_at for s in sessions)
    assert sessions[2].mastery_score == 0.8
    assert cmi5_satisfied(e2e_db, enrolment.registration) == {
        ids[TRANSCRIPT]: "au", ids[CHECK]: "au", ids["block"]: "block",
        ids["course"]: "course"}

    found = statements(site, lrs, registration=enrolment.registration)
    by_session: dict[str, list[str]] = {}
    for statement in found:
        session = (statement.get("context") or {}).get("extensions", {}).get(SESSION_ID)
        by_session.setdefault(session, []).append(statement)
    for session in sessions:
        mine = by_session[session.session_id]
        sent = [s for s in mine if s["verb"]["id"] != SATISFIED]
        said = verbs(sent)
        assert said[:2] == ["launched", "initialized"] and said[-1] == "terminated"
        for statement in sent:
            assert statement["actor"]["account"]["name"] == learner.public_id
            assert statement["context"]["registration"] == enrolment.registration
        assert re.fullmatch(r"PT[\d.HMS]+", sent[-1]["result"]["duration"])
    au1 = verbs(by_session[sessions[0].session_id])
    assert [v for v in au1 if v not in ("launched", "satisfied")] == \
        ["initialized", "completed", "terminated"]
    au2_failed = [s for s in by_session[sessions[1].session_id]
                  if s["verb"]["id"] == ADL + "failed"]
    assert len(au2_failed) == 1
    assert au2_failed[0]["result"]["score"]["scaled"] == 0.6
    assert au2_failed[0]["context"]["extensions"][MASTERY] == 0.8
    categories = {a["id"] for a in au2_failed[0]["context"]["contextActivities"]["category"]}
    assert {CMI5_CATEGORY, MOVEON} <= categories
    passed = [s for s in by_session[sessions[2].session_id]
              if s["verb"]["id"] == ADL + "passed"]
    assert passed[0]["result"]["success"] is True and passed[0]["result"]["score"]["raw"] == 5
    assert len([s for s in by_session[sessions[2].session_id]
                if s["verb"]["id"] == ADL + "answered"]) == 5
    # `satisfied` statements are for the block and the course (cmi5 9.3.9); AUs met their
    # moveOn in their own statements.
    satisfied = [s["object"]["id"] for s in found if s["verb"]["id"] == SATISFIED]
    assert satisfied == [ids["block"], ids["course"]]

    entry = progress_entry(site, enrolment.id, CMI5, learner_headers)
    assert entry["status"] == "completed" and entry["credited_hours"] == 1.5


def test_cmi5_a_statement_breaking_the_rules_is_refused(
        site, e2e_db, enrolment, learner, admin_headers, open_page):
    upload_package(site, CMI5, admin_headers)
    page = open_page()
    sign_in(page, site, learner.email)
    open_from_unit_page(page, site, enrolment.id, CMI5)
    launch(page, TRANSCRIPT)
    page.get_by_role("button", name="I have read the transcript").click()
    expect(page.locator("body")).to_have_attribute("data-state", "completed")
    # The AU's own client, with its own token, sends what cmi5 forbids.
    second_completed = page.evaluate("""async () => {
        const au = window.cmi5au;
        return au.post(au.statement("completed", {moveOn: true,
            result: {completion: true, duration: "PT1S"}}));
    }""")
    assert second_completed["status"] == 403, second_completed
    no_session = page.evaluate("""async (extension) => {
        const au = window.cmi5au;
        const statement = au.statement("experienced", {allowed: true});
        delete statement.context.extensions[extension];
        return au.post(statement);
    }""", SESSION_ID)
    assert no_session["status"] == 403, no_session
    allowed = page.evaluate("""async () => {
        const au = window.cmi5au;
        return au.post(au.statement("experienced", {allowed: true}));
    }""")
    assert allowed["status"] == 200, allowed  # a cmi5 allowed statement is fine
    assert au_problems(page) == []
    leave(page)
    session = cmi5_sessions(e2e_db, enrolment.id)[0]
    assert session.completed_at and session.terminated_at


def test_cmi5_a_browse_launch_is_recorded_as_browse_and_satisfies_nothing(
        site, e2e_db, enrolment, learner, admin_headers, learner_headers, lrs, open_page):
    upload_package(site, CMI5, admin_headers)
    page = open_page()
    sign_in(page, site, learner.email)
    open_from_unit_page(page, site, enrolment.id, CMI5)
    launch(page, TRANSCRIPT, how="Browse")
    expect(page.locator("body")).to_have_attribute("data-mode", "Browse")
    expect(page.locator("#mode")).to_contain_text("Browse mode")
    page.get_by_role("button", name="I have read the transcript").click()
    expect(page.locator("body")).to_have_attribute("data-state", "read")  # nothing sent
    assert au_problems(page) == []
    leave(page)

    ended = eventually(lambda: [s for s in cmi5_sessions(e2e_db, enrolment.id)
                                if s.terminated_at])
    assert [(s.launch_mode, s.completed_at) for s in ended] == [("Browse", None)]
    assert cmi5_satisfied(e2e_db, enrolment.registration) == {}
    au = course_ids(e2e_db)[TRANSCRIPT]
    sent = [s for s in statements(site, lrs, registration=enrolment.registration)
            if s["object"]["id"] == au]
    assert verbs(sent) == ["launched", "initialized", "terminated"]
    launched = sent[0]
    assert launched["context"]["extensions"][
        "https://w3id.org/xapi/cmi5/context/extensions/launchmode"] == "Browse"
    assert progress_entry(site, enrolment.id, CMI5, learner_headers)["status"] == "started"


def test_cmi5_an_au_launched_again_while_open_abandons_the_first_session(
        site, e2e_db, enrolment, learner, admin_headers, lrs, open_page):
    upload_package(site, CMI5, admin_headers)
    first = open_page()
    sign_in(first, site, learner.email)
    open_from_unit_page(first, site, enrolment.id, CMI5)
    course_page = first.url
    launch(first, TRANSCRIPT)  # and left open: no terminated
    second = first.context.new_page()  # another tab of the same learner
    second.goto(course_page)
    expect(au_status(second, TRANSCRIPT)).to_contain_text("In progress")
    launch(second, TRANSCRIPT)

    old, new = cmi5_sessions(e2e_db, enrolment.id)
    assert old.abandoned_at and not old.terminated_at
    assert new.is_open and new.initialized_at
    abandoned = [s for s in statements(site, lrs, registration=enrolment.registration)
                 if s["verb"]["id"] == "https://w3id.org/xapi/adl/verbs/abandoned"]
    assert len(abandoned) == 1
    assert abandoned[0]["context"]["extensions"][SESSION_ID] == old.session_id
    assert re.fullmatch(r"PT[\d.HMS]+", abandoned[0]["result"]["duration"])
    # The first tab's AU is still there, but its session is over: nothing more is recorded,
    # and the AU hears so (a 401 for its revoked credentials carries no Basic challenge, so
    # the browser does not hold the request behind a login dialog).
    late = first.evaluate("""async () => {
        const au = window.cmi5au;
        const statement = au.statement("completed", {moveOn: true,
            result: {completion: true, duration: "PT5S"}});
        const none = new Promise((resolve) => setTimeout(
            () => resolve({status: "no answer: the browser is asking for a login"}), 8000));
        const answer = await Promise.race([au.post(statement), none]);
        return {status: answer.status, id: statement.id};
    }""")
    assert late["status"] in (401, 403), late  # revoked, or refused by the cmi5 rules
    assert not [s for s in statements(site, lrs, registration=enrolment.registration)
                if s["id"] == late["id"]]
    second.get_by_role("button", name="I have read the transcript").click()
    expect(second.locator("body")).to_have_attribute("data-state", "completed")
    leave(second)
    expect(au_status(second, TRANSCRIPT)).to_contain_text("Completed")
    assert au_problems(first) == []
