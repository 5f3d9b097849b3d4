"""The OpenAPI document of a FourS service, as client generators need it: readable operation ids
(``listLeads``: the route function's name in camel case) and every error an operation can answer
declared as RFC 9457 ``application/problem+json`` — one ``Problem`` schema, and ``ValidationProblem``
(with ``errors[]``) for 422 — instead of FastAPI's ``HTTPValidationError``, which FourS never sends.

Which errors an operation can answer follows from its shape, as the kit raises them: every caller
may be refused (401) or not allowed (403) and the database may be away (503); a path names a record
that may not exist (404); input may be invalid (422) or, with a body, unreadable (400) or too large
(413); ``If-Match``
may be stale (412). What only the use case knows (a conflict, 409) the route says
with ``responses={409: {}}``, and gets the same problem body here."""

from http import HTTPStatus
from typing import Any

from fastapi.routing import APIRoute

from servicekit.errors import PROBLEM_JSON

PROBLEM: dict[str, Any] = {
    "type": "object",
    "title": "Problem",
    "description": "RFC 9457 problem details",
    "required": ["type", "title", "status"],
    "properties": {
        "type": {"type": "string", "format": "uri", "examples": ["https://fours.dev/problems/not-found"]},
        "title": {"type": "string"},
        "status": {"type": "integer", "minimum": 400, "maximum": 599},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
    },
    "additionalProperties": True,
}
FIELD_ERROR: dict[str, Any] = {
    "type": "object",
    "title": "FieldError",
    "required": ["name", "pointer", "reason"],
    "properties": {
        "name": {"type": "string", "description": "the field, dotted for nested ones"},
        "pointer": {"type": "string", "description": "JSON Pointer to the field"},
        "reason": {"type": "string"},
        "type": {"type": ["string", "null"]},
    },
}
VALIDATION_PROBLEM: dict[str, Any] = {
    "allOf": [
        {"$ref": "#/components/schemas/Problem"},
        {
            "type": "object",
            "required": ["errors"],
            "properties": {"errors": {"type": "array", "items": {"$ref": "#/components/schemas/FieldError"}}},
        },
    ],
    "title": "ValidationProblem",
}
ALWAYS = frozenset({401, 403, 503})
"""What every operation may answer: every one needs a caller who may be refused (401) or not allowed
(403) and whose database or broker may be away (503)."""


def operation_id(route: APIRoute) -> str:
    """``list_leads`` → ``listLeads``: what a generated client names the call."""
    first, *rest = route.name.split("_")
    return first + "".join(word.capitalize() for word in rest)


def errors_of(operation: dict[str, Any]) -> set[int]:
    """The error statuses an operation can answer, from its parameters, its body and what it declares."""
    codes = set(ALWAYS)
    params = operation.get("parameters", [])
    body = "requestBody" in operation
    if any(p.get("in") == "path" for p in params):
        codes.add(404)
    if params or body:
        codes.add(422)
    if body:
        codes |= {400, 413}  # a body that is no JSON at all; one too large
    if any(p.get("in") == "header" and p.get("name", "").lower() == "if-match" for p in params):
        codes.add(412)
    codes |= {int(code) for code in operation.get("responses", {}) if code.isdigit() and int(code) >= 400}
    return codes


def problem_response(status: int) -> dict[str, Any]:
    schema = "ValidationProblem" if status == 422 else "Problem"
    return {
        "description": HTTPStatus(status).phrase,
        "content": {PROBLEM_JSON: {"schema": {"$ref": f"#/components/schemas/{schema}"}}},
    }


DECIMAL_TEXT = r"^-?\d+(\.\d+)?([eE][+-]?\d{1,6})?$"
"""What a decimal field without ``fours_contracts.Decimals`` accepts as a string, at the least, and what
it answers: Python writes a large or small decimal with an exponent, up to six digits of it."""


JSON_SCHEMA_BOUNDS = {"ge": "minimum", "gt": "exclusiveMinimum", "le": "maximum", "lt": "exclusiveMaximum"}


def _bounds(node: Any) -> None:
    """Pydantic writes a bound it could not fold into the type (``Annotated[Integer, Field(ge=1)]``, where
    ``Integer`` validates first) under its own name, ``ge``, which JSON Schema does not know: rename it."""
    if isinstance(node, dict):
        if node.get("type") in ("integer", "number"):
            for ours, theirs in JSON_SCHEMA_BOUNDS.items():
                if ours in node:
                    node[theirs] = node.pop(ours)
        for value in node.values():
            _bounds(value)
    elif isinstance(node, list):
        for value in node:
            _bounds(value)


def _decimal_text(node: Any) -> None:
    """A plain ``Decimal`` field's schema is ``number`` or any ``string``: give the string its pattern, so
    an empty or wordy string is not schema-valid (``Decimals`` fields carry an exact one already)."""
    if isinstance(node, dict):
        branches = node.get("anyOf")
        if isinstance(branches, list) and any(isinstance(b, dict) and b.get("type") == "number" for b in branches):
            for branch in branches:
                if branch == {"type": "string"}:
                    branch["pattern"] = DECIMAL_TEXT
        for value in node.values():
            _decimal_text(value)
    elif isinstance(node, list):
        for value in node:
            _decimal_text(value)


def _parameters_not_null(operation: dict[str, Any]) -> None:
    """A query or header parameter is there or not: FastAPI writes an optional one as ``anyOf [T, null]``,
    and a client generated from that may send the text ``null``, which no parameter accepts."""
    for parameter in operation.get("parameters", []):
        schema = parameter.get("schema", {})
        branches = schema.get("anyOf")
        if not isinstance(branches, list) or {"type": "null"} not in branches:
            continue
        rest = [branch for branch in branches if branch != {"type": "null"}]
        del schema["anyOf"]
        if len(rest) == 1:
            schema.update(rest[0])
        else:
            schema["anyOf"] = rest


def declare_problems(document: dict[str, Any]) -> dict[str, Any]:
    """``document`` (FastAPI's) with each operation's errors as problem+json, and the shared schemas."""
    for item in document.get("paths", {}).values():
        for operation in item.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            _parameters_not_null(operation)
            for status in sorted(errors_of(operation)):
                operation["responses"][str(status)] = problem_response(status)
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    for unused in ("HTTPValidationError", "ValidationError"):
        schemas.pop(unused, None)
    schemas.update({"Problem": PROBLEM, "FieldError": FIELD_ERROR, "ValidationProblem": VALIDATION_PROBLEM})
    _decimal_text(document)
    _bounds(document)
    return document
