"""RFC 9457 problem+json for every 4xx/5xx, including validation errors and outages."""

from collections.abc import Sized
from typing import Any

import structlog
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import ValidationError
from sqlalchemy.exc import DBAPIError, IntegrityError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import ClientDisconnect

from servicekit.methods import allowed_methods
from servicekit.states import InvalidMove

PROBLEM_JSON = "application/problem+json"
_log = structlog.get_logger("errors")

_TITLES = {
    400: "Bad request",
    401: "Not authenticated",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    412: "Precondition failed",
    413: "Payload too large",
    415: "Unsupported media type",
    422: "Unprocessable content",
    429: "Too many requests",
    500: "Internal server error",
    502: "Bad gateway",
    503: "Service unavailable",
    504: "Gateway timeout",
}


class Problem(Exception):
    """A failure the caller can act on; raised anywhere below the API and rendered as problem+json."""

    status = 400
    code = "bad-request"

    def __init__(
        self,
        detail: str,
        *,
        errors: list[dict[str, Any]] | None = None,
        code: str | None = None,
        status: int | None = None,
        headers: dict[str, str] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(detail)
        self.headers = headers
        self.detail = detail
        self.errors = errors
        self.extra = extra
        if code:
            self.code = code
        if status:
            self.status = status


class NotFound(Problem):
    status, code = 404, "not-found"


class Conflict(Problem):
    status, code = 409, "conflict"


class Unprocessable(Problem):
    """Input the schema admits and a rule refuses (a lost lead without its reason, a record a request
    names that does not exist): ``business-rule``, so a client tells it from input that does not fit
    the schema (``validation-error``, which a client generated from the schema never sends)."""

    status, code = 422, "business-rule"


class Forbidden(Problem):
    status, code = 403, "forbidden"


class Unauthorized(Problem):
    status, code = 401, "unauthorized"


class PreconditionFailed(Problem):
    status, code = 412, "precondition-failed"


def within_batch_limit(items: Sized, maximum: int, what: str) -> None:
    """A partner's batch of at most ``maximum`` ``what``: 413 ``batch-too-large`` otherwise, before any
    item is looked at (the client splits it and sends again)."""
    if len(items) > maximum:
        raise Problem(f"at most {maximum} {what} per call, got {len(items)}", status=413, code="batch-too-large")


def field_error(field: str, reason: str) -> dict[str, str]:
    return {"name": field, "pointer": "#/" + field.replace(".", "/"), "reason": reason}


def problem_body(
    status: int,
    detail: str,
    *,
    code: str | None = None,
    errors: list[dict[str, Any]] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": f"https://fours.dev/problems/{code or _default_code(status)}",
        "title": _TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
    }
    if errors is not None or status == 422:
        body["errors"] = errors or []  # a 422 always lists its fields (ValidationProblem), none when unknown
    body.update(extra)
    return body


def problem_response(status: int, detail: str, headers: dict[str, str] | None = None, **kw: Any) -> JSONResponse:
    return JSONResponse(
        problem_body(status, detail, **kw), status_code=status, media_type=PROBLEM_JSON, headers=headers
    )


def _default_code(status: int) -> str:
    return _TITLES.get(status, "error").lower().replace(" ", "-")


def _validation_errors(exc: RequestValidationError) -> list[dict[str, Any]]:
    out = []
    for err in exc.errors():
        loc = [str(p) for p in err.get("loc", ()) if p not in ("body", "query", "path", "header")]
        name = ".".join(loc) or str(err.get("loc", ["body"])[0])
        out.append({**field_error(name, str(err.get("msg", "invalid"))), "type": err.get("type")})
    return out


def invalid_transition(exc: InvalidMove) -> Conflict:
    """A move the state chart refuses, as the API answers it: 409 naming the allowed moves."""
    return Conflict(str(exc), code="invalid-transition", allowed=exc.allowed)


def item_errors(exc: ValidationError) -> list[dict[str, str]]:
    """The field errors of one item of a partner's batch (``name`` a dotted path inside the item), for
    the per-item results the batch intakes answer with."""
    return [{"name": ".".join(str(p) for p in e["loc"]) or "item", "reason": e["msg"]} for e in exc.errors()]


def problem_of(exc: Problem) -> JSONResponse:
    return problem_response(exc.status, exc.detail, headers=exc.headers, code=exc.code, errors=exc.errors, **exc.extra)


def install_problem_handlers(app: FastAPI) -> None:
    @app.exception_handler(Problem)
    async def _problem(_: Request, exc: Problem) -> JSONResponse:
        return problem_of(exc)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        errors = _validation_errors(exc)
        if errors and all(e["name"] == "body" and e.get("type") == "value_error" for e in errors):
            # a model's own check of one field against another: a rule, not the schema
            reasons = "; ".join(e["reason"].removeprefix("Value error, ") for e in errors)
            return problem_response(422, reasons, code="business-rule", errors=errors)
        fields = ", ".join(e["name"] for e in errors)
        return problem_response(422, f"invalid fields: {fields}", code="validation-error", errors=errors)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        headers = getattr(exc, "headers", None)
        if exc.status_code == 405:
            allowed = allowed_methods(request.app, request.url.path)
            if allowed:
                headers = {**(headers or {}), "Allow": ", ".join(allowed)}
        return problem_response(exc.status_code, str(exc.detail), headers=headers)

    @app.exception_handler(IntegrityError)
    async def _integrity(_: Request, exc: IntegrityError) -> JSONResponse:
        _log.info("integrity conflict", error=str(exc.orig)[:300])
        return problem_response(409, "the change conflicts with existing data", code="conflict")

    @app.exception_handler(OperationalError)
    @app.exception_handler(InterfaceError)
    @app.exception_handler(PoolTimeout)
    @app.exception_handler(OSError)
    async def _unavailable(_: Request, exc: Exception) -> JSONResponse:
        return _outage(exc)

    @app.exception_handler(DBAPIError)
    async def _database(_: Request, exc: DBAPIError) -> JSONResponse:
        if exc.connection_invalidated:
            return _outage(exc)
        sqlstate = str(getattr(exc.orig, "sqlstate", None) or "")
        if sqlstate.startswith("22"):  # data exception: a NUL in text, a malformed id, a number out of range
            _log.info("value refused by the database", sqlstate=sqlstate, error=str(exc.orig)[:200])
            return problem_response(
                422,
                "a value cannot be stored: it is malformed or out of range",
                code="invalid-value",
                sqlstate=sqlstate,
            )
        return internal_error("database error")

    @app.exception_handler(OverflowError)
    async def _overflow(_: Request, exc: OverflowError) -> JSONResponse:
        return problem_response(422, f"a value is out of range: {exc}", code="invalid-value")

    @app.exception_handler(ClientDisconnect)
    async def _gone(_: Request, exc: ClientDisconnect) -> JSONResponse:
        _log.info("client disconnected before the request was read")
        return problem_response(400, "the client disconnected", code="client-disconnected")

    @app.exception_handler(Exception)
    async def _crash(_: Request, exc: Exception) -> JSONResponse:
        return internal_error("unhandled error")


def internal_error(event: str) -> JSONResponse:
    """500 problem+json for a bug, logged as ``event`` with the exception being handled."""
    _log.exception(event)
    return problem_response(500, "unexpected error; it has been logged", code="internal")


def _outage(exc: Exception) -> JSONResponse:
    _log.warning("dependency unavailable", error=str(exc)[:300])
    return problem_response(
        503,
        "a dependency of this service is unavailable; retry shortly",
        code="unavailable",
        headers={"Retry-After": "2"},
    )
