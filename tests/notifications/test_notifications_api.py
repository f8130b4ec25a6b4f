"""The notifications API: the caller's own messages, newest first, paginated; marking read."""

from sqlalchemy import select

from lms.notifications.models import Notification
from lms.notifications.operations import notify


def test_the_caller_reads_their_own_messages_newest_first_a_page_at_a_time(
        client, db, make_user, auth):
    learner, other = make_user("learner"), make_user("learner")
    for n in range(3):
        notify(learner, "test", f"Message {n}", "body", data={"n": n})
    notify(other, "test", "Not yours", "body")
    db.session.commit()
    headers = auth(learner)
    first = client.get("/api/v1/notifications?limit=2", headers=headers)
    assert first.status_code == 200
    assert [m["subject"] for m in first.json["items"]] == ["Message 2", "Message 1"]
    assert first.json["items"][0]["data"] == {"n": 2}
    assert first.json["items"][0]["read_at"] is None
    assert 'rel="next"' in first.headers["Link"]
    rest = client.get(f"/api/v1/notifications?limit=2&cursor={first.json['next_cursor']}",
                      headers=headers)
    assert [m["subject"] for m in rest.json["items"]] == ["Message 0"]
    assert rest.json["next_cursor"] is None


def test_marking_read_and_the_unread_filter(client, db, make_user, auth):
    learner = make_user("learner")
    kept = notify(learner, "test", "Unread", "body")
    read = notify(learner, "test", "To read", "body")
    db.session.commit()
    headers = auth(learner)
    response = client.post(f"/api/v1/notifications/{read.id}/read", headers=headers)
    assert response.status_code == 200 and response.json["read_at"]
    first_read_at = response.json["read_at"]
    again = client.post(f"/api/v1/notifications/{read.id}/read", headers=headers)
    assert again.json["read_at"] == first_read_at  # the first reading stays
    unread = client.get("/api/v1/notifications?unread=true", headers=headers)
    assert [m["id"] for m in unread.json["items"]] == [kept.id]
    done = client.get("/api/v1/notifications?unread=false", headers=headers)
    assert [m["id"] for m in done.json["items"]] == [read.id]


def test_someone_elses_message_is_404_and_stays_unread(client, db, make_user, auth):
    learner, admin = make_user("learner"), make_user("admin")
    message = notify(learner, "test", "Private", "body")
    db.session.commit()
    response = client.post(f"/api/v1/notifications/{message.id}/read", headers=auth(admin))
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"
    assert client.get("/api/v1/notifications", headers=auth(admin)).json["items"] == []
    assert db.session.execute(select(Notification.read_at)).scalar_one() is None


def test_signing_in_is_needed(client):
    assert client.get("/api/v1/notifications").status_code == 401
    assert client.post("/api/v1/notifications/1/read").status_code == 401


def test_a_bad_cursor_is_422_naming_it(client, make_user, auth):
    response = client.get("/api/v1/notifications?cursor=nonsense",
                          headers=auth(make_user("learner")))
    assert response.status_code == 422
    assert response.json["errors"][0]["field"] == "cursor"
