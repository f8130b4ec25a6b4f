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
    status = 401

    def __init__(self, message="Credentials are required (HTTP Basic).", **kw):
        super().__init__(message, headers={"WWW-Authenticate": 'Basic realm="xAPI"'}, **kw)


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
