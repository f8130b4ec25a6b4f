"""Live webinars and tutorials: complete only when Pathway records attendance; their
configuration (an optional meeting link)."""

import pytest
from tracking_factory import START, events, reading_statement

from activities.tutorial import Tutorial
from activities.webinar import Webinar

LIVE = {"mode": "live", "minutes": 120}
GROUP = {"kind": "group", "minutes": 120}


@pytest.mark.parametrize(("kind", "config"), [(Webinar(), LIVE), (Tutorial(), GROUP)])
def test_only_attendance_pathway_records_completes_it(kind, config):
    attended = reading_statement("attended", seconds=7200)
    completed = reading_statement("completed", seconds=7200)
    assert kind.completion(config, []).status == "not-started"
    # From the learner's browser (launch credentials), neither counts.
    assert kind.completion(config, events(kind, [attended, completed])).status == "started"
    # Pathway's own `completed` is not attendance either.
    assert kind.completion(config, events(kind, [completed], trusted=True)).status == "started"
    found = events(kind, [completed, attended], trusted=[False, True])
    completion = kind.completion(config, found)
    assert (completion.status, completion.completed_at) == ("completed", found[1].happened_at)
    assert found[1].happened_at > START


@pytest.mark.parametrize("kind", [Webinar(), Tutorial()])
@pytest.mark.parametrize("url", ["javascript:alert(1)", "not a link", "ftp://example.com/x"])
def test_a_meeting_link_must_be_a_web_address(kind, url):
    config = LIVE if isinstance(kind, Webinar) else GROUP
    with pytest.raises(Exception, match="meeting_url"):
        kind.validate_config({**config, "meeting_url": url})
    good = kind.validate_config({**config, "meeting_url": "https://meet.example.org/abc"})
    assert good["meeting_url"] == "https://meet.example.org/abc"
