"""Group sessions: booking a place, the waitlist and its promotion, cancelling."""


from tutorial_support import london_at, next_weekday

pytest_plugins = ["tutorial_fixtures"]


def test_a_learner_books_a_place_and_the_last_place_fills_into_a_waitlist(
        client, auth, learner, learners, create_session):
    session = create_session(london_at(next_weekday(1), 10), capacity=1)
    response = client.post(f"/api/v1/tutorials/sessions/{session['id']}/bookings", json={},
                           headers=auth(learner))
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["status"] == "booked"
    [other] = learners(1)
    response = client.post(f"/api/v1/tutorials/sessions/{session['id']}/bookings", json={},
                           headers=auth(other))
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["status"] == "waitlisted"
    assert response.get_json()["waitlist_position"] == 1
