"""The film's reading of Video Profile statements and its completion rule: only what was
actually played counts, across every viewing, up to the configured share of the film."""

import pytest
from tracking_factory import START, events, video_statement

from activities.film import Film
from activities.film.segments import covered, format_segments, parse_segments, union
from activities.webinar import Webinar

FILM = Film()
CONFIG = {"minutes": 40, "completion_threshold": 0.9, "source": "demo-film.webm"}


def test_played_segments_are_read_from_the_profiles_text_form():
    assert parse_segments("0[.]12.5[,]30[.]40") == [[0.0, 12.5], [30.0, 40.0]]
    assert format_segments([[0.0, 12.5], [30.0, 40.0]]) == "0[.]12.5[,]30[.]40"
    # Unfinished, reversed, negative and non-numeric pieces are left out, not trusted.
    assert parse_segments("0[.]5[,]30[.][,]9[.]3[,]-2[.]4[,]a[.]b[,]inf[.]9[,]7[.]8") == \
        [[0.0, 5.0], [7.0, 8.0]]
    assert parse_segments(None) == parse_segments(12) == parse_segments("") == []


def test_segments_are_merged_and_measured_within_the_film():
    assert union([[30, 40], [0, 10], [5, 12], [12, 20]]) == [[0, 20], [30, 40]]
    assert covered([[0, 30], [0, 30], [10, 20]], 60) == 0.5  # watching again adds nothing
    assert covered([[0, 1000]], 60) == 1.0                    # never beyond the film's end
    assert covered([[0, 30]], 0) == 0.0


def test_interpret_reads_kind_time_segments_and_length():
    paused = FILM.interpret(video_statement("paused", [(0, 12.5), (30, 40)], length=60,
                                            seconds=25, time=40))
    assert (paused.kind, paused.seconds) == ("progressed", 25.0)
    assert paused.data == {"segments": [[0.0, 12.5], [30.0, 40.0]], "length": 60.0}
    assert FILM.interpret(video_statement("played", time=0)).kind == "started"
    assert FILM.interpret(video_statement("seeked", time_from=10, time_to=50)).kind == \
        "progressed"
    assert FILM.interpret(video_statement("initialized", length=60)).data == {"length": 60.0}
    assert FILM.interpret(video_statement("completed")).kind == "completed"
    assert FILM.interpret(video_statement("terminated")).kind == "left"
    assert FILM.interpret(video_statement("http://example.com/verbs/liked")) is None


@pytest.mark.parametrize("length", [True, -5, 0, "60", None])
def test_a_length_that_is_not_a_positive_number_is_ignored(length):
    statement = video_statement("initialized")
    statement["context"]["extensions"] = {"https://w3id.org/xapi/video/extensions/length": length}
    assert "length" not in FILM.interpret(statement).data


def test_nothing_yet_is_not_started():
    assert FILM.completion(CONFIG, []).status == "not-started"


def test_watching_to_the_threshold_completes_at_that_statement():
    found = events(FILM, [
        video_statement("initialized", length=60),
        video_statement("played", length=60, time=0),
        video_statement("paused", [(0, 30)], length=60, seconds=30),
        video_statement("paused", [(0, 30), (30, 54)], length=60, seconds=24),
        video_statement("terminated", [(0, 30), (30, 60)], length=60, seconds=6),
    ])
    completion = FILM.completion(CONFIG, found)
    assert completion.status == "completed"
    assert completion.completed_at == found[3].happened_at  # 54 of 60 s: exactly 90%
    assert completion.detail == {"watched": 1.0}


def test_skipping_ahead_does_not_count():
    found = events(FILM, [
        video_statement("initialized", length=60),
        video_statement("played", length=60, time=0),
        video_statement("seeked", length=60, time_from=10, time_to=55),
        video_statement("completed", [(0, 10), (55, 60)], length=60, seconds=15, progress=1),
        video_statement("terminated", [(0, 10), (55, 60)], length=60),
    ])
    completion = FILM.completion(CONFIG, found)
    assert completion.status == "started"
    assert completion.detail == {"watched": 0.25}


def test_a_bare_completed_from_the_browser_does_not_count_but_pathways_own_does():
    bare = [video_statement("completed", length=60)]
    assert FILM.completion(CONFIG, events(FILM, bare)).status == "started"
    trusted = events(FILM, bare, trusted=True)
    completion = FILM.completion(CONFIG, trusted)
    assert (completion.status, completion.completed_at) == ("completed", START)


def test_viewings_add_up_as_a_union_across_sessions():
    first = video_statement("terminated", [(0, 30)], length=60)
    again = video_statement("terminated", [(0, 30)], length=60)  # the same part watched again
    later = video_statement("terminated", [(25, 55)], length=60)
    assert FILM.completion(CONFIG, events(FILM, [first, again])).detail == {"watched": 0.5}
    found = events(FILM, [first, again, later])
    completion = FILM.completion(CONFIG, found)
    assert completion.status == "completed"
    assert completion.completed_at == found[2].happened_at
    assert completion.detail == {"watched": 0.917}


@pytest.mark.parametrize(("threshold", "end", "status"), [
    (0.5, 30, "completed"), (0.5, 29.9, "started"),
    (1.0, 59.9, "started"), (1.0, 60, "completed"),
])
def test_the_threshold_is_the_configured_share(threshold, end, status):
    found = events(FILM, [video_statement("paused", [(0, end)], length=60)])
    assert FILM.completion({**CONFIG, "completion_threshold": threshold}, found).status == status


def test_the_statements_length_is_preferred_to_the_configured_minutes():
    with_length = events(FILM, [video_statement("paused", [(0, 58)], length=60)])
    assert FILM.completion(CONFIG, with_length).status == "completed"  # of 60 s, not 2,400
    without = events(FILM, [video_statement("paused", [(0, 58)])])
    assert FILM.completion(CONFIG, without).detail == {"watched": round(58 / 2400, 3)}
    assert FILM.completion({**CONFIG, "minutes": 1}, without).status == "completed"


def test_a_recorded_webinar_follows_the_film_rule():
    webinar = Webinar()
    config = {"mode": "recorded", "minutes": 60, "source": "demo-film.webm"}
    skipped = events(webinar, [video_statement("completed", [(0, 10), (50, 60)], length=60)])
    assert webinar.completion(config, skipped).status == "started"
    watched = events(webinar, [video_statement("paused", [(0, 55)], length=60)])
    assert webinar.completion(config, watched).status == "completed"
    assert webinar.completion({**config, "completion_threshold": 0.95}, watched).status == \
        "started"
