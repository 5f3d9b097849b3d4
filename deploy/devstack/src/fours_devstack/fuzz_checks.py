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
