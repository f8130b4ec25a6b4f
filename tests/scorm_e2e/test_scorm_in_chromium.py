"""SCORM packages played in Debian's Chromium against a real `lms serve`, as a learner plays
them: the test packages of `packages/` (made the way authoring tools make theirs) are uploaded
through the API, the learner signs in, starts the activity from the unit page and clicks
through the SCO in the player's frame. The outcome is read where it is kept: the attempts'
CMI data in the database, the statements in the LRS, the progress API.

SCORM 1.2: complete and pass in one go; suspend half-way (leaving the page) and resume at the
same slide with the suspend data; fail, start again (a new attempt) and pass; a passed SCO
stays passed when opened again, and a review of it keeps nothing. SCORM 2004: a reading
complete only past its completion threshold (suspended at 0.5 by closing the tab, resumed,
0.9), `continue` to the check, failed then passed against the manifest's passing measure; both
SCOs done make the activity passed, and the table of contents shows each SCO's status."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from conftest import PASSWORD
from scorm_e2e_support import (
    ADL,
    SCORM12,
    SCORM2004,
    eventually,
    open_from_unit_page,
    progress_entry,
    scorm_attempts,
    statements,
    upload_package,
    verbs,
)

pytestmark = pytest.mark.slow
pytest_plugins = ["scorm_e2e_fixtures"]

# The ADL xAPI SCORM profile: a SCO is a "lesson"; an interaction is answered with "responded".
SCO_TYPE = "http://adlnet.gov/expapi/activities/lesson"
COURSE_TYPE = "http://adlnet.gov/expapi/activities/course"
INTERACTION = "http://adlnet.gov/expapi/activities/cmi.interaction"
# About 3,400 characters of suspend data once the lesson has encoded them (the limit is 4,096).
LONG_NOTES = ("Kitchen locked at night; drinks only at set times; one bedtime for all. " * 33)


def expect(target):
    """Playwright's `expect` (its assertions wait for the page to come to that state)."""
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(target)


def sign_in(page, base: str, email: str) -> None:
    page.goto(f"{base}/login")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/")


def sco(page):
    """The SCO in the player's frame."""
    return page.frame_locator("iframe")


def connected(page):
    """The SCO in the player's frame, once it found the runtime and Initialize/LMSInitialize
    answered "true" (else: what the SCO's driver and the player page said)."""
    frame = sco(page)
    try:
        expect(frame.locator("body")).to_have_attribute("data-lms", "connected")
    except AssertionError as failure:
        seen = frame.locator("body").evaluate(
            "() => (window.LMS || window.SCO || {errors: ['no driver']}).errors")
        player = page.locator(".scorm-stage").inner_text()
        raise AssertionError(f"the SCO did not connect: {seen}; the player: {player!r}") \
            from failure
    return frame


def no_runtime_errors(frame) -> None:
    """The SCO's driver saw no error from the runtime (GetLastError was 0 after every call)."""
    expect(frame.locator("#lms-errors li")).to_have_count(0)


def sco_iri(base: str, slug: str, item: str) -> str:
    return f"{base}/activities/{slug}/scos/{item}"


def sco_statements(base, lrs, enrolment, slug, item, sessions: int) \
        -> tuple[list[dict], list[dict]]:
    """The learner's statements about the SCO itself, and their `responded` statements (about
    the SCO's interactions), oldest first, once `sessions` sessions have closed (suspended or
    terminated: the server records them just after storing the attempt)."""
    iri = sco_iri(base, slug, item)

    def closed():
        found = statements(base, lrs, registration=enrolment.registration)
        about = [s for s in found if s["object"]["id"] == iri]
        answered = [s for s in found if s["verb"]["id"] == ADL + "responded"
                    and s["object"]["id"].startswith(iri + "/interactions/")]
        ends = [v for v in verbs(about) if v in ("suspended", "terminated")]
        return (about, answered) if len(ends) >= sessions else None

    closed.__name__ = f"{sessions} session(s) of {item} closed in the LRS"
    return eventually(closed)


def progress_is(base, enrolment, slug, headers, status: str) -> dict:
    """The activity's progress entry, once its status is `status` (progress follows the
    statements, which are recorded just after the attempt is stored)."""
    def reached():
        entry = progress_entry(base, enrolment.id, slug, headers)
        return entry if entry["status"] == status else None

    reached.__name__ = f"{slug} {status}"
    return eventually(reached)


def terminated_attempt(e2e_db, enrolment, slug, sco_identifier, sessions):
    """The current attempt at the SCO once its `sessions`-th session has ended (the runtime
    sends the end on its own time when the page goes away)."""
    def ended():
        found = [a for a in scorm_attempts(e2e_db, enrolment.id, slug)
                 if a.sco_identifier == sco_identifier]
        if found and found[-1].sessions == sessions and found[-1].terminated_at is not None:
            return found[-1]
        return None

    ended.__name__ = f"session {sessions} of {sco_identifier} ended"
    return eventually(ended)


# -- SCORM 1.2 ------------------------------------------------------------------------------

def answer_quiz(frame, q1: str, q2: str) -> None:
    """On slide 3: choose the answers and submit."""
    frame.locator(f"input[name=q1][value={q1}]").check()
    frame.locator(f"input[name=q2][value={q2}]").check()
    frame.get_by_role("button", name="Submit answers").click()


def pass_in_one_go(page, site, enrolment) -> None:
    open_from_unit_page(page, site, enrolment.id, SCORM12)
    lesson = connected(page)
    expect(lesson.locator("#slide-counter")).to_have_text("Slide 1 of 3")
    lesson.get_by_role("button", name="Next").click()
    lesson.get_by_role("button", name="Next").click()
    expect(lesson.locator("#slide-counter")).to_have_text("Slide 3 of 3")
    answer_quiz(lesson, "b", "t")
    expect(lesson.locator("#quiz-result")).to_have_text("You scored 100%.")
    lesson.get_by_role("button", name="Exit lesson").click()
    expect(lesson.locator("#finished")).to_be_visible()
    no_runtime_errors(lesson)


def test_scorm12_completed_and_passed_in_one_go(site, e2e_db, enrolment, learner, admin_headers,
                                                learner_headers, lrs, open_page):
    upload_package(site, SCORM12, admin_headers)
    page = open_page()
    sign_in(page, site, learner.email)
    open_from_unit_page(page, site, enrolment.id, SCORM12)
    lesson = connected(page)
    # What the LMS supplies at LMSInitialize, the manifest's values included.
    expect(lesson.locator("#fact-learner")).to_have_text("Reader, Rowan")
    expect(lesson.locator("#fact-entry")).to_have_text("ab-initio")
    expect(lesson.locator("#fact-status")).to_have_text("not attempted")
    expect(lesson.locator("#fact-mode")).to_have_text("normal")
    expect(lesson.locator("#fact-launch-data")).to_have_text("deck=noticing;voice=off")
    expect(lesson.locator("#fact-mastery")).to_have_text("80")
    expect(lesson.locator("#fact-total-time")).to_have_text(re.compile(r"^0{2,4}:00:00(\.0+)?$"))
    lesson.get_by_role("button", name="Next").click()
    lesson.get_by_role("button", name="Next").click()
    answer_quiz(lesson, "b", "t")
    expect(lesson.locator("#quiz-result")).to_have_text("You scored 100%.")
    lesson.get_by_role("button", name="Exit lesson").click()
    expect(lesson.locator("#finished")).to_be_visible()
    no_runtime_errors(lesson)

    attempt = terminated_attempt(e2e_db, enrolment, SCORM12, "item_noticing", sessions=1)
    assert len(scorm_attempts(e2e_db, enrolment.id, SCORM12)) == 1
    assert (attempt.number, attempt.completion_status, attempt.success_status) == \
        (1, "completed", "passed")  # "completed" + a raw score at the mastery score or over
    assert attempt.score_raw == 100
    assert attempt.location == "slide-3" and attempt.suspended is False
    assert attempt.entry_next == ""
    assert attempt.total_seconds > 0
    cmi = attempt.cmi
    assert cmi["cmi.core.score.raw"] == "100" and cmi["cmi.core.score.max"] == "100"
    assert cmi["cmi.suspend_data"].startswith("v=1|seen=1,2,3|q1=b|q2=t|done=1")
    assert [cmi[f"cmi.interactions.{n}.{k}"] for n in (0, 1) for k in ("id", "type", "result")] \
        == ["q1-blanket-rule", "choice", "correct", "q2-least-restrictive", "true-false",
            "correct"]
    assert cmi["cmi.interactions.0.student_response"] == "b"

    about_sco, answered = sco_statements(site, lrs, enrolment, SCORM12, "item_noticing",
                                         sessions=1)
    said = verbs(about_sco)
    assert said[0] == "initialized" and said[-1] == "terminated", said
    assert said.count("passed") == 1, said
    assert not {"failed", "suspended", "resumed"} & set(said)
    for statement in about_sco + answered:
        assert statement["context"]["registration"] == enrolment.registration
        assert statement["actor"]["account"]["name"] == learner.public_id
    assert {s["object"]["definition"]["type"] for s in about_sco} == {SCO_TYPE}
    passed = about_sco[said.index("passed")]
    assert passed["result"]["score"]["raw"] == 100 and passed["result"]["success"] is True
    assert re.fullmatch(r"PT[\d.HMS]+", about_sco[-1]["result"]["duration"])
    assert [(s["object"]["definition"]["interactionType"], s["result"]["response"])
            for s in answered] == [("choice", "b"), ("true-false", "true")]
    assert all(s["object"]["definition"]["type"] == INTERACTION for s in answered)

    entry = progress_is(site, enrolment, SCORM12, learner_headers, "passed")
    assert entry["credited_hours"] == 1.0
    # What progress counted: Pathway's own rollup statement about the catalogue activity.
    course = statements(site, lrs, registration=enrolment.registration,
                        activity=f"{site}/activities/{SCORM12}")
    rollup = [s for s in course if s["object"]["id"] == f"{site}/activities/{SCORM12}"
              and s["verb"]["id"] != ADL + "launched"]
    assert [s["verb"]["id"] for s in rollup] == [ADL + "passed"]
    assert rollup[0]["object"]["definition"]["type"] == COURSE_TYPE
    assert rollup[0]["authority"]["account"]["name"] == "pathway"


def test_scorm12_suspended_half_way_resumes_where_the_learner_left(
        site, e2e_db, enrolment, learner, admin_headers, learner_headers, lrs, open_page):
    upload_package(site, SCORM12, admin_headers)
    page = open_page()
    sign_in(page, site, learner.email)
    open_from_unit_page(page, site, enrolment.id, SCORM12)
    lesson = connected(page)
    lesson.get_by_role("button", name="Next").click()
    expect(lesson.locator("#slide-counter")).to_have_text("Slide 2 of 3")
    lesson.get_by_label("Your notes").fill(LONG_NOTES)  # suspend data of about 3,000 characters
    lesson.get_by_role("button", name="Next").click()
    lesson.get_by_role("button", name="Back").click()
    expect(lesson.locator("#slide-counter")).to_have_text("Slide 2 of 3")
    no_runtime_errors(lesson)
    page.goto(f"{site}/learn")  # away, half-way: the lesson finishes on the page's exit

    attempt = terminated_attempt(e2e_db, enrolment, SCORM12, "item_noticing", sessions=1)
    assert attempt.suspended is True and attempt.entry_next == "resume"
    assert attempt.location == "slide-2"
    assert attempt.completion_status == "incomplete" and attempt.success_status == "unknown"
    assert len(attempt.cmi["cmi.suspend_data"]) > 3300
    first_total = attempt.total_seconds
    assert first_total > 0
    progress_is(site, enrolment, SCORM12, learner_headers, "started")

    open_from_unit_page(page, site, enrolment.id, SCORM12)
    lesson = connected(page)
    expect(lesson.locator("#fact-entry")).to_have_text("resume")
    expect(lesson.locator("#fact-status")).to_have_text("incomplete")
    # The first session's time comes back as cmi.core.total_time (a CMITimespan).
    total = lesson.locator("#fact-total-time").inner_text()
    assert re.fullmatch(r"\d{2,4}:\d{2}:\d{2}(\.\d{1,2})?", total), total
    hours, minutes, seconds = total.split(":")
    assert abs(int(hours) * 3600 + int(minutes) * 60 + float(seconds) - first_total) < 0.011
    expect(lesson.locator("body")).to_have_attribute("data-slide", "2")
    expect(lesson.get_by_label("Your notes")).to_have_value(LONG_NOTES)
    lesson.get_by_role("button", name="Next").click()
    answer_quiz(lesson, "b", "t")
    expect(lesson.locator("#quiz-result")).to_have_text("You scored 100%.")
    lesson.get_by_role("button", name="Exit lesson").click()
    no_runtime_errors(lesson)

    attempt = terminated_attempt(e2e_db, enrolment, SCORM12, "item_noticing", sessions=2)
    assert attempt.number == 1 and attempt.success_status == "passed"
    assert attempt.suspended is False and attempt.total_seconds > first_total
    said = verbs(sco_statements(site, lrs, enrolment, SCORM12, "item_noticing",
                                 sessions=2)[0])
    first, second = said[:said.index("resumed")], said[said.index("resumed"):]
    assert first == ["initialized", "suspended"]  # a session left with exit "suspend"
    assert second[-1] == "terminated" and "passed" in second
    entry = progress_is(site, enrolment, SCORM12, learner_headers, "passed")
    assert entry["credited_hours"] == 1.0


def test_scorm12_failed_then_started_again_is_a_new_attempt_that_passes(
        site, e2e_db, enrolment, learner, admin_headers, learner_headers, lrs, open_page):
    upload_package(site, SCORM12, admin_headers)
    page = open_page()
    sign_in(page, site, learner.email)
    open_from_unit_page(page, site, enrolment.id, SCORM12)
    lesson = connected(page)
    lesson.get_by_role("button", name="Next").click()
    lesson.get_by_role("button", name="Next").click()
    answer_quiz(lesson, "a", "t")  # one of two: 50, under the mastery score of 80
    expect(lesson.locator("#quiz-result")).to_have_text("You scored 50%.")
    lesson.get_by_role("button", name="Exit lesson").click()

    failed = terminated_attempt(e2e_db, enrolment, SCORM12, "item_noticing", sessions=1)
    assert (failed.completion_status, failed.success_status, failed.score_raw) == \
        ("completed", "failed", 50)
    assert failed.cmi["cmi.interactions.0.result"] == "wrong"
    entry = progress_is(site, enrolment, SCORM12, learner_headers, "failed")
    assert entry["credited_hours"] == 0

    open_from_unit_page(page, site, enrolment.id, SCORM12)
    page.get_by_role("button", name="Start again").click()
    lesson = connected(page)
    expect(lesson.locator("#fact-entry")).to_have_text("ab-initio")
    expect(lesson.locator("#fact-status")).to_have_text("not attempted")
    expect(lesson.locator("#slide-counter")).to_have_text("Slide 1 of 3")
    lesson.get_by_role("button", name="Next").click()
    lesson.get_by_role("button", name="Next").click()
    answer_quiz(lesson, "b", "t")
    lesson.get_by_role("button", name="Exit lesson").click()
    no_runtime_errors(lesson)

    second = eventually(lambda: next((a for a in scorm_attempts(e2e_db, enrolment.id, SCORM12)
                                      if a.number == 2 and a.terminated_at), None))
    first = scorm_attempts(e2e_db, enrolment.id, SCORM12)[0]
    assert (first.number, first.success_status) == (1, "failed")  # kept as it was
    assert (second.success_status, second.score_raw) == ("passed", 100)
    assert second.cmi["cmi.interactions.0.result"] == "correct"
    assert "cmi.interactions.2.id" not in second.cmi  # fresh data: the old answers stay in 1
    said = verbs(sco_statements(site, lrs, enrolment, SCORM12, "item_noticing",
                                 sessions=2)[0])
    assert said.count("failed") == 1 and said.count("passed") == 1
    assert said.index("failed") < said.index("passed")
    entry = progress_is(site, enrolment, SCORM12, learner_headers, "passed")
    assert entry["credited_hours"] == 1.0


def test_scorm12_a_passed_sco_opened_again_or_reviewed_stays_passed(
        site, e2e_db, enrolment, learner, admin_headers, learner_headers, open_page):
    upload_package(site, SCORM12, admin_headers)
    page = open_page()
    sign_in(page, site, learner.email)
    pass_in_one_go(page, site, enrolment)
    terminated_attempt(e2e_db, enrolment, SCORM12, "item_noticing", sessions=1)

    open_from_unit_page(page, site, enrolment.id, SCORM12)  # "Open again"
    lesson = connected(page)
    expect(lesson.locator("#fact-entry")).to_have_text("")  # the last exit was normal
    expect(lesson.locator("#fact-status")).to_have_text("passed")
    lesson.get_by_role("button", name="Next").click()
    page.goto(f"{site}/learn")  # a look around, left early: exit "suspend"

    attempt = terminated_attempt(e2e_db, enrolment, SCORM12, "item_noticing", sessions=2)
    assert len(scorm_attempts(e2e_db, enrolment.id, SCORM12)) == 1
    assert (attempt.completion_status, attempt.success_status, attempt.score_raw) == \
        ("completed", "passed", 100)

    # Review: the SCO runs in review mode without credit, and nothing it does is kept.
    open_from_unit_page(page, site, enrolment.id, SCORM12)
    page.get_by_role("link", name="Review").click()
    lesson = connected(page)
    expect(lesson.locator("#fact-mode")).to_have_text("review")
    lesson.get_by_role("button", name="Next").click()
    lesson.get_by_role("button", name="Next").click()
    answer_quiz(lesson, "a", "f")
    expect(lesson.locator("#quiz-result")).to_have_text("You scored 0%.")
    lesson.get_by_role("button", name="Exit lesson").click()
    no_runtime_errors(lesson)

    def reviewed():
        found = scorm_attempts(e2e_db, enrolment.id, SCORM12)[-1]
        return found if found.session_mode == "review" and found.terminated_at else None

    attempt = eventually(reviewed)
    assert len(scorm_attempts(e2e_db, enrolment.id, SCORM12)) == 1
    assert (attempt.completion_status, attempt.success_status, attempt.score_raw) == \
        ("completed", "passed", 100)
    assert attempt.cmi["cmi.core.score.raw"] == "100"
    assert "cmi.interactions.2.id" not in attempt.cmi
    entry = progress_is(site, enrolment, SCORM12, learner_headers, "passed")
    assert entry["credited_hours"] == 1.0


# -- SCORM 2004 -----------------------------------------------------------------------------

def answer_check(frame, right: int) -> None:
    """Answer the check's four questions, the first `right` of them correctly."""
    correct = ["choice", "behaviour", "knowing", "rare"]
    wrong = ["rota", "nothing", "same", "more"]
    for n in range(4):
        value = correct[n] if n < right else wrong[n]
        frame.locator(f"input[name=q{n + 1}][value={value}]").check()
    frame.get_by_role("button", name="Submit answers").click()


def next_pages(frame, count: int) -> None:
    for _ in range(count):
        frame.get_by_role("button", name="Next page").click()


def test_scorm2004_threshold_measure_and_two_scos_make_the_activity_passed(
        site, e2e_db, enrolment, learner, admin_headers, learner_headers, lrs, open_page):
    upload_package(site, SCORM2004, admin_headers)
    page = open_page(width=1280, height=900)
    sign_in(page, site, learner.email)
    open_from_unit_page(page, site, enrolment.id, SCORM2004)
    toc = page.get_by_role("navigation", name="Contents")
    expect(toc.get_by_text("Reading: what makes an environment capable")).to_be_visible()
    expect(toc.get_by_text("Check your understanding")).to_be_visible()

    reading = connected(page)  # the first SCO not done
    expect(reading.locator("#fact-entry")).to_have_text("ab-initio")
    expect(reading.locator("#fact-launch-data")).to_have_text("chapter=capable-environments")
    expect(reading.locator("#fact-threshold")).to_have_text("0.8")
    next_pages(reading, 4)
    expect(reading.locator("#page-number")).to_have_text("Page 5 of 10")
    expect(reading.locator("#fact-progress")).to_have_text("0.5")
    expect(reading.locator("#fact-completion")).to_have_text("incomplete")
    no_runtime_errors(reading)
    page.close()  # the tab closed half-way: the SCO terminates in its pagehide

    attempt = terminated_attempt(e2e_db, enrolment, SCORM2004, "item_reading", sessions=1)
    assert attempt.completion_status == "incomplete" and attempt.suspended is True
    assert attempt.cmi["cmi.progress_measure"] == "0.5" and attempt.location == "5"
    assert attempt.entry_next == "resume"

    page = open_page(width=1280, height=900)
    sign_in(page, site, learner.email)
    open_from_unit_page(page, site, enrolment.id, SCORM2004)
    reading = connected(page)
    expect(reading.locator("#fact-entry")).to_have_text("resume")
    expect(reading.locator("#page-number")).to_have_text("Page 5 of 10")
    next_pages(reading, 4)
    expect(reading.locator("#fact-progress")).to_have_text("0.9")
    # Past the threshold, the runtime reports completed though the SCO only said incomplete.
    expect(reading.locator("#fact-completion")).to_have_text("completed")
    no_runtime_errors(reading)
    reading.get_by_role("button", name="Go to the check").click()  # adl.nav.request continue

    expect(sco(page).locator("h1")).to_have_text("Check your understanding")
    check = connected(page)
    expect(check.locator("#fact-set")).to_have_text("standard")  # the item's parameters
    expect(check.locator("#fact-passing")).to_have_text("0.7")
    expect(check.locator("#passing-score")).to_have_text("You need 70% to pass.")
    attempt = terminated_attempt(e2e_db, enrolment, SCORM2004, "item_reading", sessions=2)
    assert attempt.completion_status == "completed"
    assert attempt.cmi["cmi.progress_measure"] == "0.9"

    answer_check(check, right=1)  # 0.25
    expect(check.locator("body")).to_have_attribute("data-result", "failed")
    check.get_by_role("button", name="Try again").click()
    answer_check(check, right=3)  # 0.75: passed at 0.7 (the SCO's own 0.8 would fail it)
    expect(check.locator("body")).to_have_attribute("data-result", "passed")
    contents = page.get_by_role("navigation", name="Contents").get_by_role("listitem")
    # The contents follow the server's answer to the SCO's Commit.
    expect(contents.filter(has_text="Check your")).to_contain_text("Passed")
    expect(contents.filter(has_text="Reading")).to_contain_text("Completed")
    if os.environ.get("PATHWAY_SCREENSHOTS"):  # the README's picture of the player
        page.evaluate("() => window.scrollTo(0, 0)")
        page.screenshot(path=Path(os.environ["PATHWAY_SCREENSHOTS"]) / "scorm-player.png")
    check.get_by_role("button", name="Exit course").click()  # exitAll
    no_runtime_errors(check)

    done = terminated_attempt(e2e_db, enrolment, SCORM2004, "item_check", sessions=1)
    assert (done.completion_status, done.success_status, done.score_scaled) == \
        ("completed", "passed", 0.75)
    cmi = done.cmi
    assert cmi["cmi.objectives.0.id"] == "check_passed"
    assert cmi["cmi.objectives.0.success_status"] == "passed"
    assert [cmi[f"cmi.interactions.{n}.result"] for n in range(8)] == \
        ["correct"] + ["incorrect"] * 3 + ["correct"] * 3 + ["incorrect"]
    assert cmi["cmi.interactions.4.correct_responses.0.pattern"] == "choice"
    assert cmi["cmi.interactions.7.learner_response"] == "more"

    about_check, answered = sco_statements(site, lrs, enrolment, SCORM2004, "item_check",
                                            sessions=1)
    said = verbs(about_check)
    assert said[0] == "initialized" and said[-1] == "terminated"
    assert said.index("failed") < said.index("passed")
    assert len(answered) == 8
    assert answered[4]["object"]["definition"]["interactionType"] == "choice"
    assert answered[4]["object"]["definition"]["correctResponsesPattern"] == ["choice"]
    assert [s["result"]["success"] for s in answered] == \
        [True, False, False, False, True, True, True, False]
    passed = about_check[said.index("passed")]
    assert passed["result"]["score"]["scaled"] == 0.75
    reading_said = verbs(sco_statements(site, lrs, enrolment, SCORM2004, "item_reading",
                                         sessions=2)[0])
    # One closing statement per session: the SCO's own suspend, heard before the page went.
    assert reading_said == ["initialized", "suspended", "resumed", "completed", "terminated"]

    entry = progress_is(site, enrolment, SCORM2004, learner_headers, "passed")
    assert entry["credited_hours"] == 2.0

    open_from_unit_page(page, site, enrolment.id, SCORM2004)  # the table of contents says so
    toc = page.get_by_role("navigation", name="Contents")
    expect(toc.get_by_role("listitem").filter(has_text="Reading")).to_contain_text(
        re.compile("completed", re.I))
    expect(toc.get_by_role("listitem").filter(has_text="Check your")).to_contain_text(
        re.compile("passed", re.I))
