"""The shortest path a new user takes: the Diploma is served by the API."""


def test_qualifications_show_the_diploma(client, catalogue):
    response = client.get("/api/v1/qualifications")
    assert response.status_code == 200
    [diploma] = response.json["items"]
    assert diploma["unit_count"] == 5
    assert diploma["credits"] == 36
    assert diploma["hours"] == 360
