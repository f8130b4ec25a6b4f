"""The administration overview: links to each part, the scheduler's heartbeat in words,
forwarding to upstream LRSs as `lms xapi forwarding status` reports it, and record counts."""

import re
import uuid
from datetime import timedelta

from admin_pages_support import main_text, sign_in

from lms.scheduler.jobs import HEARTBEAT
from lms.scheduler.models import SchedulerHeartbeat
from lms.timeutil import utcnow


def statement() -> dict:
    return {"id": str(uuid.uuid4()),
            "actor": {"mbox": "mailto:someone@pathway.test", "objectType": "Agent"},
            "verb": {"id": "http://adlnet.gov/expapi/verbs/experienced"},
            "object": {"id": "https://pathway.test/activities/x", "objectType": "Activity"}}


def test_the_overview_links_every_part(client, make_user):
    sign_in(client, make_user("admin"))
    html = client.get("/admin").get_data(as_text=True)
    for url, words in (("/admin/catalogue", "Catalogue"), ("/admin/users", "People and roles"),
                       ("/admin/intakes", "Intakes and cohorts"),
                       ("/admin/lrs-clients", "LRS credentials")):
        assert f'<a href="{url}">{words}</a>' in html


def test_a_scheduler_that_never_ran_is_shown_as_such(client, make_user):
    sign_in(client, make_user("admin"))
    page = main_text(client.get("/admin"))
    assert "Scheduler Never started The scheduler has never run against this database." in page
    assert "start it with lms serve or lms scheduler" in page


def test_a_running_scheduler_shows_its_last_heartbeat_in_words(client, db, make_user):
    beat = utcnow() - timedelta(seconds=12)
    db.session.add(SchedulerHeartbeat(name=HEARTBEAT, state="running", pid=4242,
                                      hostname="pathway-1", started_at=beat, beat_at=beat))
    db.session.commit()
    sign_in(client, make_user("admin"))
    page = main_text(client.get("/admin"))
    assert "Scheduler Running Last heartbeat " in page
    assert re.search(r" 1[2-9] seconds ago \(process 4242 on pathway-1\)", page), page
    assert "start it with" not in page


def test_a_silent_scheduler_is_stale(client, db, make_user):
    beat = utcnow() - timedelta(hours=2)
    db.session.add(SchedulerHeartbeat(name=HEARTBEAT, state="running", pid=1, hostname="h",
                                      started_at=beat, beat_at=beat))
    db.session.commit()
    sign_in(client, make_user("admin"))
    html = client.get("/admin").get_data(as_text=True)
    assert '<span class="status status-risk">Stale</span>' in html
    assert "7200 seconds ago" in main_text(client.get("/admin"))


def test_forwarding_and_counts(app, client, make_user, enrol, lrs_headers):
    from xapi.forwarding import add_target

    with app.extensions["xapi"].engine.begin() as connection:
        add_target(connection, "Regional LRS", "https://lrs.example.org/xapi")
    headers = lrs_headers("all")
    assert client.post("/xapi/statements", json=[statement(), statement()],
                       headers=headers).status_code == 200
    enrol(make_user("learner"))
    sign_in(client, make_user("admin"))
    page = main_text(client.get("/admin"))
    assert "Regional LRS https://lrs.example.org/xapi/ Active 2 0 0" in page
    assert "Last sent Never" not in page and "Never" in page
    assert "Accounts 2 (2 active) Enrolments 1 Learning records (xAPI statements) 2" in page


def test_without_upstream_lrs_it_says_so(client, make_user):
    sign_in(client, make_user("admin"))
    assert "Statements are not forwarded to any other LRS." in main_text(client.get("/admin"))
