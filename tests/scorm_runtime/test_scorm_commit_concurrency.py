"""Two requests of one SCO session at once: the runtime's commit still unanswered and the
page's `unload`, which carries the same values again (scorm-runtime.js re-sends what is not
acknowledged). Each runs in its own thread, app context and database session, as a server's
workers would; they must be applied one after the other, so each interaction is answered
once and the attempt ends in one consistent state."""

import threading
from concurrent.futures import ThreadPoolExecutor

from conftest import OwnContextClient
from scorm_runtime_support import ADL, PLAIN12, sign_in

pytest_plugins = ["scorm_runtime_fixtures"]

ANSWERS = [("cmi.interactions.0.id", "q1"), ("cmi.interactions.0.type", "choice"),
           ("cmi.interactions.0.student_response", "a"),
           ("cmi.interactions.0.result", "correct"),
           ("cmi.core.lesson_location", "slide-3"), ("cmi.core.session_time", "00:02:00")]


def test_a_commit_and_the_unload_arriving_together_apply_once(app, db, open_player, learner,
                                                               statements_of):
    from activities.scorm.models import ScormAttempt

    session = open_player(PLAIN12)
    session.ok("initialize")
    bodies = [("commit", 2), ("unload", 3)]
    clients = []
    for _ in bodies:  # signed in beforehand: the threads only send their request
        client = OwnContextClient(app, app.response_class, use_cookies=True)
        sign_in(client, learner.email)
        clients.append(client)
    start = threading.Barrier(len(bodies), timeout=60)

    def send(index):
        event, sequence = bodies[index]
        with app.app_context():
            start.wait()
            response = type(session)(clients[index], session.config).send(
                event, ANSWERS, sequence=sequence)
            return response.status_code

    with ThreadPoolExecutor(max_workers=len(bodies)) as pool:
        statuses = list(pool.map(send, range(len(bodies)), timeout=120))
    # the unload may come first: then the commit finds its session ended (409) or its
    # sequence already passed (a duplicate); never both applied from the same old state
    assert sorted(statuses) in ([200, 200], [200, 409]), statuses
    responded = [s for s in statements_of() if s["verb"]["id"] == ADL + "responded"]
    assert len(responded) == 1, [s["result"] for s in responded]
    db.session.rollback()
    attempt = db.session.execute(db.select(ScormAttempt)).scalar_one()
    assert attempt.cmi["cmi.core.lesson_location"] == "slide-3"
    assert attempt.total_seconds == 120  # the session's time counted once
