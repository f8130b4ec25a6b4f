"""The LRS's errors, each with its HTTP status, in one place. Handlers answer them as JSON
`{"error": {"status": ..., "message": ...}}` with the xAPI version header."""


class XAPIError(Exception):
    """An error the client caused; `status` is the HTTP status to answer with."""

    status = 400

    def __init__(self, message: str, status: int | None = None, headers=None,
                 version: str | None = None):
        super().__init__(message)
        self.message = message
        self.version = version  # the version to answer in, when the request had none
        if status is not None:
            self.status = status
        self.headers = headers or {}


class BadRequest(XAPIError):
    status = 400


class Unauthorized(XAPIError):
    """401. With `challenge` (a request that sent no credentials) the answer carries
    `WWW-Authenticate: Basic`; without (credentials sent but wrong, revoked or expired) it
    does not: browsers answer a Basic challenge to a script's own `Authorization` header with
    a login dialog, and content in a learner's browser whose launch credentials ended would
    hang behind it."""

    status = 401

    def __init__(self, message="Credentials are required (HTTP Basic).", challenge=True, **kw):
        headers = {"WWW-Authenticate": 'Basic realm="xAPI"'} if challenge else {}
        super().__init__(message, headers=headers, **kw)


class Forbidden(XAPIError):
    status = 403


class NotFound(XAPIError):
    status = 404


class MethodNotAllowed(XAPIError):
    status = 405


class Conflict(XAPIError):
    status = 409


class PreconditionFailed(XAPIError):
    status = 412


class TooLarge(XAPIError):
    status = 413


class UnsupportedMediaType(XAPIError):
    status = 415
