"""Schemathesis checks of our own (loaded with ``SCHEMATHESIS_HOOKS=fours_devstack.fuzz_checks``)."""

import json

import schemathesis


@schemathesis.check
def problem_json(ctx: object, response: object, case: object) -> None:
    """Every error (4xx, 5xx) is RFC 9457 problem+json with type, title and status."""
    status = getattr(response, "status_code", 0)
    if status < 400:
        return
    headers = getattr(response, "headers", {})
    kind = headers.get("content-type") or headers.get("Content-Type") or ""
    if isinstance(kind, list):
        kind = kind[0] if kind else ""
    if not kind.startswith("application/problem+json"):
        raise AssertionError(f"a {status} answer is {kind or 'without a content type'}, not application/problem+json")
    body = json.loads(getattr(response, "content", b"") or b"{}")
    missing = [key for key in ("type", "title", "status") if key not in body]
    if missing or body.get("status") != status:
        raise AssertionError(f"the problem body lacks {missing or 'the right status'}: {body}")


REFUSALS_THE_SCHEMA_CANNOT_STATE = frozenset({"business-rule", "invalid-adf", "invalid-value", "invalid-cursor"})
"""422 problem types a schema-valid request may still get, each a refusal JSON Schema cannot express:
a rule between fields or records (``business-rule``), an ADF document that is well-formed XML but no
lead (``invalid-adf``), a string holding U+0000, which PostgreSQL text cannot store (``invalid-value``),
and an opaque cursor this API never handed out (``invalid-cursor``)."""
ACCEPTING = frozenset({401, 403, 404, 409, 412, 429})
"""What else a schema-valid request may get: the caller, the record, a conflict, a stale ``If-Match``
(the version a generated request names is rarely the current one), the rate limit."""


@schemathesis.check
def schema_valid_input_is_parsed(ctx: object, response: object, case: object) -> None:
    """Valid means accepted (Schemathesis's ST202, told apart): a request the schema admits is never
    refused as not fitting it — no 400, no 422 ``validation-error`` — while a business rule may refuse
    it with a 422 of its own type (``REFUSALS_THE_SCHEMA_CANNOT_STATE``)."""
    meta = getattr(case, "meta", None)
    if meta is None or not meta.generation.mode.is_positive:
        return
    status = getattr(response, "status_code", 0)
    if status < 400 or status >= 500 or status in ACCEPTING:
        return
    body = json.loads(getattr(response, "content", b"") or b"{}")
    kind = str(body.get("type", "")).rsplit("/", 1)[-1]
    if status == 422 and kind in REFUSALS_THE_SCHEMA_CANNOT_STATE:
        return
    raise AssertionError(f"a schema-valid request was refused with {status} {kind or ''}: {body.get('detail')}")
