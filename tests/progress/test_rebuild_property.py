"""Property: for any sequence of statements, repeats and voidings, the progress kept up to date
statement by statement equals the progress rebuilt from the learning record."""

import copy
from datetime import UTC, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from progress_factory import activities, snapshot, statement, store, voiding

from lms.progress.projection import rebuild

VERBS = ["launched", "initialized", "progressed", "completed", "passed", "failed", "attended",
         "terminated", "http://id.tincanapi.com/verb/viewed"]
START = datetime(2026, 6, 2, 9, tzinfo=UTC)

store_op = st.tuples(st.just("store"), st.integers(0, 5), st.sampled_from(VERBS),
                     st.booleans(), st.integers(0, 7200), st.integers(0, 60 * 24 * 90),
                     st.sampled_from([None, True, False]))
void_op = st.tuples(st.just("void"), st.integers(0, 1000))
repeat_op = st.tuples(st.just("repeat"), st.integers(0, 1000))
operations = st.lists(st.one_of(store_op, store_op, store_op, void_op, repeat_op),
                      min_size=1, max_size=14)


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture,
                                 HealthCheck.too_slow])
@given(operations=operations, batch=st.booleans())
def test_incremental_progress_equals_rebuilt_progress(catalogue, make_user, enrol,
                                                      operations, batch):
    enrolment = enrol(make_user("learner"))
    unit = activities(catalogue, unit=1)
    chosen = [unit[0], unit[1], unit[2], unit[3], unit[7], unit[11]]  # one of each type
    stored: list[tuple[dict, bool]] = []
    pending: list[tuple[dict, bool]] = []

    def flush():
        for trusted in (True, False):
            group = {}  # an id once per batch (the standard refuses duplicates in one batch)
            for body, is_trusted in pending:
                if is_trusted is trusted:
                    group.setdefault(body["id"], copy.deepcopy(body))
            if group:
                store(list(group.values()), trusted=trusted)
        pending.clear()

    for operation in operations:
        if operation[0] == "store":
            _, which, verb, trusted, seconds, minutes, success = operation
            body = statement(enrolment, chosen[which], verb, seconds=seconds, success=success,
                             when=START + timedelta(minutes=minutes))
            pending.append((body, trusted))
            stored.append((body, trusted))
        elif stored:
            body, trusted = stored[operation[1] % len(stored)]
            if operation[0] == "void":
                pending.append((voiding(body["id"], enrolment), True))
            else:
                pending.append((body, trusted))
        if not batch:
            flush()
    flush()

    incremental = snapshot()
    rebuild()
    assert snapshot() == incremental
