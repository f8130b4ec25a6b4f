"""Signals the LRS sends. Receivers take `**kwargs`.

`statements_receiving`
    Sent once per statements PUT or POST over HTTP, after the statements passed the xAPI
    checks (validation, attachments, the limits of launch credentials) and before anything is
    stored. sender: the Flask app. kwargs: `client` (the `xapi.auth.Client` that sent them:
    key, actor, registration, scopes), `statements` (list of the statements as dicts, in the
    order sent; a statement sent without an `id` has none yet, the LRS assigns it when
    storing; a statement already stored under its id may be among them, the LRS then stores
    it no second time), `version` (the xAPI version of the request). A receiver that raises
    an `xapi.errors.XAPIError` (`Forbidden` answers 403, `BadRequest` 400) refuses the whole
    request: nothing is stored and the client gets that status and message. Receivers must
    not change the statements. Not sent for statements recorded through `xapi.service`.
    For rules a profile adds for some clients (cmi5 sessions); a receiver leaves other
    clients' statements alone, so the LRS behaves as xAPI says for them.

`document_changing`
    Sent before a state, activity profile or agent profile document is written (PUT, POST)
    or deleted over HTTP, after the request's checks. sender: the Flask app. kwargs:
    `client` (the `xapi.auth.Client`), `kind` ("state", "activity_profile" or
    "agent_profile"), `document_id` (the stateId or profileId; None when a DELETE removes
    every state document of the context), `method` ("PUT", "POST" or "DELETE") and the
    document's context: `activity_id` (state, activity profile), `agent_key` (the agent's
    inverse functional identifier as the LRS keys it: state, agent profile) and
    `registration` (state, when given). A receiver that raises an `xapi.errors.XAPIError`
    refuses the change: nothing is written (cmi5: an AU must not change `LMS.LaunchData`).

`statement_stored`
    Sent after a request's statements are committed, once per request.
    sender: the Flask app. kwargs: `statements` (list of the stored statements as dicts,
    with their `id`, `stored` and `authority`), `voided_ids` (ids of statements these
    statements voided).
"""

from blinker import Namespace

_signals = Namespace()

statements_receiving = _signals.signal("xapi.statements-receiving")
document_changing = _signals.signal("xapi.document-changing")
statement_stored = _signals.signal("xapi.statement-stored")
