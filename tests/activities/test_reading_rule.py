"""The reading's interpretation of its player's statements and its rule: complete when the
end has been reached and the visible time adds up to the configured minimum."""

import pytest
from tracking_factory import START, events, reading_statement

from activities.reading import Reading, time_in_words

READING = Reading()
CONFIG = {"min_minutes": 2, "source": "u1-human-rights-and-restriction.md"}


def test_interpret_reads_the_visible_time_and_the_share_reached():
    meaning = READING.interpret(reading_statement("progressed", progress=40, seconds=30))
    assert (meaning.kind, meaning.seconds, meaning.data) == \
        ("progressed", 30.0, {"progress": 40, "end": False})
    end = READING.interpret(reading_statement("progressed", progress=100, seconds=2.5))
    assert end.data == {"progress": 100, "end": True}
    assert READING.interpret(reading_statement("initialized")).data == {}
    assert READING.interpret(reading_statement("terminated", seconds=3)).kind == "left"
    assert READING.interpret(reading_statement("http://example.com/verbs/liked")) is None


@pytest.mark.parametrize(("value", "expected"), [
    (250, {"progress": 100, "end": True}), (-3, {"progress": 0, "end": False}),
    (55.7, {"progress": 55, "end": False}), ("100", {}), (True, {}), (None, {}),
])
def test_progress_is_a_number_from_0_to_100(value, expected):
    statement = reading_statement("progressed", progress=0)
    statement["result"]["extensions"]["https://w3id.org/xapi/cmi5/result/extensions/progress"] \
        = value
    assert READING.interpret(statement).data == expected


def test_nothing_yet_is_not_started():
    assert READING.completion(CONFIG, []).status == "not-started"


def test_the_end_and_the_minimum_time_together_complete_it():
    found = events(READING, [
        reading_statement("initialized"),
        reading_statement("progressed", progress=30, seconds=30),
        reading_statement("progressed", progress=100, seconds=30),  # the end, at 1 minute
        reading_statement("progressed", progress=100, seconds=30),
        reading_statement("completed", progress=100, seconds=30),    # 2 minutes: complete
        reading_statement("terminated", progress=100, seconds=5),
    ])
    completion = READING.completion(CONFIG, found)
    assert completion.status == "completed"
    assert completion.completed_at == found[4].happened_at
    assert completion.detail == {"progress": 100, "end": True, "seconds": 125}


def test_time_without_the_end_does_not_complete_it():
    found = events(READING, [reading_statement("progressed", progress=80, seconds=600)])
    completion = READING.completion(CONFIG, found)
    assert completion.status == "started"
    assert completion.detail == {"progress": 80, "end": False, "seconds": 600}


def test_the_end_without_the_time_does_not_complete_it_even_with_a_completed():
    found = events(READING, [reading_statement("progressed", progress=100, seconds=20),
                             reading_statement("completed", progress=100, seconds=10)])
    assert READING.completion(CONFIG, found).status == "started"


def test_time_from_several_visits_adds_up():
    found = events(READING, [
        reading_statement("progressed", progress=100, seconds=50),  # first visit: the end
        reading_statement("terminated", progress=100, seconds=10),
        reading_statement("initialized"),                           # second visit
        reading_statement("progressed", progress=20, seconds=60),
    ])
    completion = READING.completion(CONFIG, found)
    assert (completion.status, completion.completed_at) == ("completed", found[3].happened_at)
    assert completion.detail["progress"] == 100  # the furthest reached, not the latest


def test_no_minimum_completes_at_the_end():
    found = events(READING, [reading_statement("initialized"),
                             reading_statement("progressed", progress=100, seconds=1)])
    completion = READING.completion({"min_minutes": 0, "source": "x.md"}, found)
    assert completion.completed_at == found[1].happened_at


def test_a_completed_pathway_recorded_counts_without_the_time():
    found = events(READING, [reading_statement("completed", seconds=60)], trusted=True)
    completion = READING.completion(CONFIG, found)
    assert (completion.status, completion.completed_at) == ("completed", START)


@pytest.mark.parametrize(("minutes", "words"), [
    (0, ""), (0.05, "3 seconds"), (1 / 60, "1 second"), (1, "1 minute"), (45, "45 minutes"),
    (60, "1 hour"), (150, "2 hours 30 minutes"), (180, "3 hours"),
])
def test_the_minimum_time_in_words(minutes, words):
    assert time_in_words(minutes) == words


def test_the_minimum_may_be_a_fraction_of_a_minute_but_not_negative():
    assert READING.validate_config({"min_minutes": 0.1})["min_minutes"] == 0.1
    with pytest.raises(Exception, match="min_minutes"):
        READING.validate_config({"min_minutes": -1})
