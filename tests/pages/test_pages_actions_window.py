"""Extending a learner's window from their record: the form does what
`POST /api/v1/enrolments/<id>/extensions` does (checked through the API), the past extensions
are listed, refusals are shown next to the fields and change nothing, and only the learner's
tutor or an administrator may."""

import re
from datetime import timedelta
from html import unescape

import pytest
from admin_pages_support import field_error, main_text, post_form, sign_in, text_of

from lms.enrolment.changes import EnrolmentChange
from lms.enrolment.models import Enrolment, WindowExtension
from lms.extensions import db
from lms.web.format import day_words

pytest_plugins = ["actions_fixtures"]


def page_url(enrolment) -> str:
    return f"/learners/{enrolment.id}/window-and-attendance"


def extend(client, enrolment, new_end, reason, **kwargs):
    return post_form(client, page_url(enrolment), f"/learners/{enrolment.id}/extensions",
                     {"extend-window_ends": str(new_end), "extend-reason": reason},
                     prefix="extend", **kwargs)


def window_ends(enrolment):
    return db.session.get(Enrolment, enrolment.id).window_ends


def test_the_learner_record_links_to_the_page_which_shows_the_last_day(client, people):
    sign_in(client, people.tess)
    record = client.get(f"/learners/{people.enrolment.id}").get_data(as_text=True)
    assert f'<a href="{page_url(people.enrolment)}">Extend the window or record attendance</a>' \
        in record
    response = client.get(page_url(people.enrolment))
    assert response.status_code == 200
    text = main_text(response)
    assert f"Ada Ashworth's last day is {day_words(people.enrolment.window_ends)}" in text
    assert "The window has not been extended." in text
    html = response.get_data(as_text=True)
    assert '<label for="extend-window_ends">New last day</label>' in html
    assert '<label for="extend-reason">Reason</label>' in html
    nxt = (people.enrolment.window_ends + timedelta(days=1)).isoformat()
    assert f'min="{nxt}"' in html


def test_extending_the_window_is_what_the_api_shows(client, people, auth):
    sign_in(client, people.tess)
    before = people.enrolment.window_ends
    later = before + timedelta(days=60)
    response = extend(client, people.enrolment, later, "  A month's sick leave ")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(page_url(people.enrolment) + "#window")

    assert window_ends(people.enrolment) == later
    listed = client.get(f"/api/v1/enrolments/{people.enrolment.id}/extensions",
                        headers=auth(people.ada)).json
    assert [(e["previous_end"], e["window_ends"], e["reason"], e["approved_by"])
            for e in listed] == [(before.isoformat(), later.isoformat(),
                                  "A month's sick leave", "Tess Tutor")]
    change = db.session.execute(db.select(EnrolmentChange)).scalar_one()
    assert change.kind == "extended" and change.made_by_id == people.tess.id

    page = client.get(page_url(people.enrolment))
    text = main_text(page)
    assert f"last day is now {day_words(later)}" in text_of(page)
    assert f"Ada Ashworth's last day is {day_words(later)}" in text
    row = re.search(r"<tbody>(.*?)</tbody>", page.get_data(as_text=True), re.S).group(1)
    row_text = " ".join(unescape(re.sub(r"<[^>]+>", " ", row)).split())
    assert f"{day_words(before)} {day_words(later)} A month's sick leave Tess Tutor" in row_text


def test_an_administrator_may_extend_any_window(client, people):
    sign_in(client, people.adele)
    later = people.other.window_ends + timedelta(days=10)
    assert extend(client, people.other, later, "Moved service").status_code == 302
    assert window_ends(people.other) == later


@pytest.mark.parametrize("days, reason, field, message", [
    (0, "Illness", "extend-window_ends", "Must be after the current end of the window"),
    (-5, "Illness", "extend-window_ends", "Must be after the current end of the window"),
    (30, "", "extend-reason", "Say why the window is extended."),
    (30, "ab", "extend-reason", "From 3 to 1000 characters."),
    (30, "x" * 1001, "extend-reason", "From 3 to 1000 characters."),
    (None, "Illness", "extend-window_ends", "Choose the new last day."),
    ("next year", "Illness", "extend-window_ends", "Not a valid date value."),
])
def test_refusals_are_shown_next_to_the_field_and_change_nothing(client, people, days, reason,
                                                                 field, message):
    sign_in(client, people.tess)
    before = people.enrolment.window_ends
    if days is None:
        new_end = ""
    elif isinstance(days, str):
        new_end = days
    else:
        new_end = before + timedelta(days=days)
    response = extend(client, people.enrolment, new_end, reason)
    assert response.status_code == 422
    assert field_error(response, field).startswith(message)
    assert f'aria-describedby="{field}-error"' in response.get_data(as_text=True) or \
        f'aria-describedby="{field}-hint {field}-error"' in response.get_data(as_text=True)
    assert window_ends(people.enrolment) == before
    assert db.session.execute(db.select(WindowExtension)).first() is None


def test_another_tutors_learner_is_not_found_and_unchanged(client, people):
    sign_in(client, people.tess)
    before = people.other.window_ends
    assert client.get(page_url(people.other)).status_code == 404
    page = client.get(page_url(people.enrolment)).get_data(as_text=True)
    token = re.search(r'name="extend-csrf_token"[^>]*value="([^"]+)"', page).group(1)
    response = client.post(f"/learners/{people.other.id}/extensions", data={
        "extend-window_ends": str(before + timedelta(days=30)), "extend-reason": "Illness",
        "extend-csrf_token": token})
    assert response.status_code == 404
    assert window_ends(people.other) == before


def test_a_learner_may_not(client, people):
    sign_in(client, people.ada)
    assert client.get(page_url(people.enrolment)).status_code == 403
    assert client.post(f"/learners/{people.enrolment.id}/extensions").status_code in (400, 403)


def test_a_tutor_who_only_sees_the_learner_may_not_extend(client, people, make_user, db):
    from lms.enrolment.models import Organisation

    organisation = Organisation(slug="riverside", name="Riverside Care")
    db.session.add(organisation)
    db.session.commit()
    people.olive.organisation_id = organisation.id
    db.session.commit()
    # a tutor who is also Olive's organisation's manager sees her record, but is not her tutor
    both = make_user("tutor", "org_manager", organisation=organisation)
    sign_in(client, both)
    assert client.get(page_url(people.other)).status_code == 403


def test_a_post_without_the_csrf_token_is_refused(client, people):
    sign_in(client, people.tess)
    before = people.enrolment.window_ends
    response = client.post(f"/learners/{people.enrolment.id}/extensions", data={
        "extend-window_ends": str(before + timedelta(days=30)), "extend-reason": "Illness"})
    assert response.status_code == 400
    assert window_ends(people.enrolment) == before
