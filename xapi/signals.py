"""Signals the LRS sends. Receivers take `**kwargs`.

`statement_stored`
    Sent after a request's statements are committed, once per request.
    sender: the Flask app. kwargs: `statements` (list of the stored statements as dicts,
    with their `id`, `stored` and `authority`), `voided_ids` (ids of statements these
    statements voided).
"""

from blinker import Namespace

_signals = Namespace()

statement_stored = _signals.signal("xapi.statement-stored")
