"""The tutor's "My learners" page: only the caller's learners (an administrator sees
everyone), their numbers, sorting by the column headers, filtering by risk, cohort and
intake with a plain GET form, and who may open it."""

import re
from urllib.parse import urlsplit

import pytest
from records_support import learner_names, sign_in, text_of

pytest_plugins = ["records_fixtures"]


@pytest.fixture
def tess_client(client, people):
    sign_in(client, people.tess.email)
    return client


def test_a_tutor_sees_their_own_learners_only(tess_client, people):
    response = tess_client.get("/learners")
    assert response.status_code == 200
    assert learner_names(response) == ["Ada Ashworth", "Bea Brown", "Cal Carter"]
    text = text_of(response)
    assert "Olive Other" not in text
    assert "3 learners, 2 at risk." in text


def test_each_row_shows_the_learners_numbers(tess_client, people):
    body = tess_client.get("/learners").get_data(as_text=True)
    rows = {re.search(r'<a href="/learners/\d+">([^<]+)</a>', row).group(1): " ".join(
        re.sub(r"<[^>]+>", " ", row).split())
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.DOTALL)[1:]}
    ada, bea, cal = rows["Ada Ashworth"], rows["Bea Brown"], rows["Cal Carter"]
    assert "Hillside cohort Hillside Homes Recent intake" in ada
    assert "of 360" in ada and "guided" in ada and "self-study" in ada
    assert "0 of 36" in ada and "0 of 5" in ada
    assert "2 days ago" in ada and "On track" in ada and "At risk" not in ada
    assert "60 days ago" in bea and "At risk" in bea and "Individual learner" in bea
    assert "No learning yet" in cal and "At risk" in cal and "Riverside cohort" in cal
    assert "0 of 360" in cal


def test_the_at_risk_flag_is_text_not_only_colour(tess_client, people):
    body = tess_client.get("/learners").get_data(as_text=True)
    # two flags by the names, two forecasts
    assert body.count('<span class="status status-at-risk">At risk</span>') == 4


@pytest.mark.parametrize(("query", "expected"), [
    ("sort=name&dir=asc", ["Ada Ashworth", "Bea Brown", "Cal Carter"]),
    ("sort=name&dir=desc", ["Cal Carter", "Bea Brown", "Ada Ashworth"]),
    ("sort=hours&dir=desc", ["Ada Ashworth", "Bea Brown", "Cal Carter"]),
    ("sort=hours&dir=asc", ["Cal Carter", "Bea Brown", "Ada Ashworth"]),
    ("sort=last_learning&dir=desc", ["Ada Ashworth", "Bea Brown", "Cal Carter"]),
    ("sort=last_learning&dir=asc", ["Cal Carter", "Bea Brown", "Ada Ashworth"]),
    ("sort=projected_completion&dir=asc", ["Ada Ashworth", "Bea Brown", "Cal Carter"]),
    ("sort=nonsense&dir=sideways", ["Ada Ashworth", "Bea Brown", "Cal Carter"]),
])
def test_sorting_changes_the_order(tess_client, query, expected):
    assert learner_names(tess_client.get(f"/learners?{query}")) == expected


def test_column_headers_are_sort_links_and_the_sorted_one_says_so(tess_client):
    body = tess_client.get("/learners?sort=hours&dir=desc").get_data(as_text=True)
    sorted_headers = re.findall(r'<th scope="col" aria-sort="(\w+)">\s*<a href="([^"]+)">',
                                body)
    assert len(sorted_headers) == 1
    state, link = sorted_headers[0]
    assert state == "descending"
    assert "sort=hours" in link and "dir=asc" in link  # selecting it again reverses
    links = re.findall(r'<th scope="col">\s*<a href="([^"]+)">', body)
    assert {re.search(r"sort=(\w+)", link).group(1) for link in links} == {
        "name", "last_learning", "projected_completion"}
    # following the link sorts the other way
    assert learner_names(tess_client.get(link.replace("&amp;", "&"))) == [
        "Cal Carter", "Bea Brown", "Ada Ashworth"]


def test_sort_links_keep_the_filters(tess_client, people):
    body = tess_client.get(f"/learners?at_risk=yes&intake={people.earlier.id}"
                           ).get_data(as_text=True)
    for link in re.findall(r'<th scope="col"[^>]*>\s*<a href="([^"]+)">', body):
        assert "at_risk=yes" in link and f"intake={people.earlier.id}" in link


def test_the_at_risk_filter(tess_client):
    response = tess_client.get("/learners?at_risk=yes")
    assert learner_names(response) == ["Bea Brown", "Cal Carter"]
    text = text_of(response)
    assert "2 learners, 2 at risk (filtered from 3)" in text
    assert re.search(r'<option value="yes" selected>At risk only</option>',
                     response.get_data(as_text=True))


def test_filtering_by_cohort_and_intake(tess_client, people):
    assert learner_names(tess_client.get(f"/learners?cohort={people.riverside.id}")) == [
        "Cal Carter"]
    assert learner_names(tess_client.get(f"/learners?intake={people.earlier.id}")) == [
        "Bea Brown", "Cal Carter"]
    assert learner_names(tess_client.get(
        f"/learners?intake={people.recent.id}&at_risk=yes")) == []
    # another tutor's cohort is not offered, and filtering by it shows nobody of theirs
    body = tess_client.get("/learners").get_data(as_text=True)
    assert "Riverside cohort (Riverside Care)" in body and "Hillside cohort" in body
    assert learner_names(tess_client.get("/learners?cohort=999999")) == []


def test_the_filter_form_works_without_script(tess_client):
    body = tess_client.get("/learners").get_data(as_text=True)
    form = re.search(r'<form method="get" action="/learners".*?</form>', body, re.DOTALL)
    assert form, "a GET form"
    form = form.group(0)
    for name, label in (("at_risk", "Show"), ("cohort", "Cohort"), ("intake", "Intake")):
        control = re.search(rf'<select id="([\w-]+)" name="{name}">', form)
        assert control and f'<label for="{control.group(1)}">{label}</label>' in form
    assert '<button type="submit">Apply</button>' in form
    assert "<script" not in body


def test_an_administrator_sees_everyone(client, people):
    sign_in(client, people.adele.email)
    response = client.get("/learners")
    assert response.status_code == 200
    assert learner_names(response) == ["Ada Ashworth", "Bea Brown", "Cal Carter", "Olive Other"]


def test_another_tutor_sees_only_theirs(client, people):
    sign_in(client, people.otto.email)
    assert learner_names(client.get("/learners")) == ["Olive Other"]


def test_a_learner_may_not_open_the_list(client, people):
    sign_in(client, people.ada.email)
    assert client.get("/learners").status_code == 403
    assert client.get(f"/learners/{people.ada.enrolment.id}").status_code == 403


def test_an_anonymous_visitor_is_sent_to_sign_in(client, people):
    response = client.get("/learners?at_risk=yes")
    assert response.status_code == 302
    assert urlsplit(response.headers["Location"]).path == "/login"


def test_the_navigation_links_to_my_learners(tess_client):
    body = tess_client.get("/learners").get_data(as_text=True)
    assert '<a href="/learners" aria-current="page">My learners</a>' in body
