"""The error answers every API operation may give, documented in one place.

flask-smorest documents only the status codes a handler declares; the refusals that
come from the shared layers (a missing or bad token, out of scope, not allowed, a
body that is not JSON or too large, input the database cannot hold) apply to every
operation, so this apispec plugin adds them to each operation that can meet them,
as references to the standard error responses (``{"code", "status", "message" or
"errors"}``). A code a handler declares itself keeps its own description.

- 401: every operation that takes the bearer token (``security`` not emptied);
- 403 and 404: the same operations: in scope but not allowed is 403, for reads and
  writes alike; out of scope is 404, for those that name something (a path id, a
  query parameter, a body) (``procuracy/errors.py``);
- 400 and 413: every operation with a request body (not JSON; over MAX_CONTENT_LENGTH);
- 422: every operation with parameters or a body (the schema refuses the input, or
  the database cannot hold it: a NUL, a lone surrogate, a number beyond 64 bits).
"""
from __future__ import annotations

from apispec import BasePlugin

METHODS = ("get", "post", "put", "patch", "delete")


def common_errors(path: str, operation: dict) -> dict[str, str]:
    """Status code -> name of the standard error response, for one operation."""
    codes: dict[str, str] = {}
    has_body = "requestBody" in operation
    names_something = has_body or bool(operation.get("parameters")) or "{" in path
    if operation.get("security") != []:
        codes.update({"401": "UNAUTHORIZED", "403": "FORBIDDEN"})
        if names_something:
            codes["404"] = "NOT_FOUND"
    if has_body:
        codes.update({"400": "BAD_REQUEST", "413": "REQUEST_ENTITY_TOO_LARGE"})
    if names_something:
        codes["422"] = "UNPROCESSABLE_ENTITY"
    return codes


class CommonErrorResponses(BasePlugin):
    """Adds :func:`common_errors` to every operation the API registers."""

    def operation_helper(self, path=None, operations=None, **kwargs) -> None:
        for method, operation in (operations or {}).items():
            if method not in METHODS:
                continue
            responses = operation.setdefault("responses", {})
            for code, name in common_errors(path or "", operation).items():
                if code not in responses and int(code) not in responses:
                    responses[code] = name
