"""Signals of the core, each with its sender, arguments and meaning. Receivers take
`**kwargs`, so new arguments never break them. (The LRS's own signal, `statement_stored`, is
in `xapi.signals`.)"""

from blinker import Namespace

_signals = Namespace()

enrolment_left = _signals.signal("enrolment-left", doc="""
Sent when an enrolment stops being current for its learner: withdrawn, deferred to a later
intake, or its seat transferred to someone else. Sender: the Flask app. Arguments:
`enrolment` (the Enrolment, already changed), `kind` ("withdrawn", "deferred" or
"transferred"), `made_by` (the User who made the change, or None), `reason`. Sent inside the
change's transaction, before it commits: receivers flush, never commit.
""")
