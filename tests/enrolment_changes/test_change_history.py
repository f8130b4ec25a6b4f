"""An enrolment's history: visible as the enrolment is; a window extension is part of it."""

from datetime import timedelta

import pytest
from changes_support import problem

pytest_plugins = ["changes_fixtures"]


def test_an_extension_is_kept_in_the_history(client, auth, world):
    old_end = world.enrolment.window_ends
    new_end = old_end + timedelta(days=60)
    response = client.post(f"/api/v1/enrolments/{world.enrolment.id}/extensions",
                           headers=auth(world.tutor),
                           json={"window_ends": new_end.isoformat(), "reason": "Illness"})
    assert response.status_code == 201, response.json
    [change] = client.get(f"/api/v1/enrolments/{world.enrolment.id}/changes",
                          headers=auth(world.learner)).json["items"]
    assert change["kind"] == "extended" and change["reason"] == "Illness"
    assert change["made_by"] == {"id": world.tutor.public_id, "name": world.tutor.name}
    assert change["details"] == {
        "from": {"window_ends": old_end.isoformat()},
        "to": {"window_ends": new_end.isoformat()}}


def test_the_history_is_oldest_first_a_page_at_a_time(client, auth, world):
    headers = auth(world.admin)
    url = f"/api/v1/enrolments/{world.enrolment.id}"
    client.post(f"{url}/deferral", headers=headers,
                json={"intake": world.later.id, "reason": "First"})
    client.post(f"{url}/withdrawal", headers=headers, json={"reason": "Second"})
    first = client.get(f"{url}/changes?limit=1", headers=headers)
    assert [c["kind"] for c in first.json["items"]] == ["deferred"]
    rest = client.get(f"{url}/changes?limit=1&cursor={first.json['next_cursor']}",
                      headers=headers)
    assert [c["kind"] for c in rest.json["items"]] == ["withdrawn"]


@pytest.mark.parametrize(("who", "status"), [
    ("learner", 200), ("tutor", 200), ("manager", 200), ("admin", 200),
    ("other_manager", 404), ("outsider", 404),
])
def test_who_may_read_the_history(client, auth, world, who, status):
    response = client.get(f"/api/v1/enrolments/{world.enrolment.id}/changes",
                          headers=auth(getattr(world, who)))
    if status == 200:
        assert response.status_code == 200 and response.json["items"] == []
    else:
        problem(response, status)
