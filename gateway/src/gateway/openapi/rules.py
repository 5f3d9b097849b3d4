"""One OpenAPI document for the frontends: the gateway's own paths and, from each service, the paths
the gateway routes to it. Schemas of the same name and shape are shared; a clash is renamed
``<Service><Name>`` (its title too, which client generators name their classes by) with its
references rewritten. Every operation also declares what the gateway
itself may answer: 429 when the caller's rate limit is spent (with ``Retry-After`` and the
``RateLimit-*`` headers)."""

import copy
from collections.abc import Callable
from typing import Any

REF = "#/components/schemas/"


def _rename_refs(node: Any, names: dict[str, str]) -> Any:
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str) and value.startswith(REF) and value[len(REF) :] in names:
                out[key] = REF + names[value[len(REF) :]]
            else:
                out[key] = _rename_refs(value, names)
        return out
    if isinstance(node, list):
        return [_rename_refs(item, names) for item in node]
    return node


def merge(
    own: dict[str, Any],
    services: dict[str, dict[str, Any]],
    owner_of: Callable[[str], str | None],
    *,
    title: str = "FourS API",
    version: str = "1",
) -> dict[str, Any]:
    merged: dict[str, Any] = {
        "openapi": own.get("openapi", "3.1.0"),
        "info": {
            "title": title,
            "version": version,
            "description": "The one API of FourS: staff frontends, mobile apps and integrations.",
        },
        "paths": {},
        "components": {
            "schemas": {},
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"},
                "apiKey": {"type": "apiKey", "in": "header", "name": "X-API-Key"},
            },
        },
        "security": [{"bearer": []}, {"apiKey": []}],
    }
    schemas: dict[str, Any] = merged["components"]["schemas"]

    def routed_to(name: str) -> Callable[[str], bool]:
        def routed(path: str) -> bool:
            return path.startswith("/api/v1/") and (name == "gateway" or owner_of(path[len("/api/v1/") :]) == name)

        return routed

    sources = [("gateway", own, routed_to("gateway"))]
    sources += [(name, spec, routed_to(name)) for name, spec in services.items()]
    for name, spec, routed in sources:
        own_schemas = spec.get("components", {}).get("schemas", {})
        renames = {
            schema: f"{name.capitalize()}{schema}"
            for schema, body in own_schemas.items()
            if schema in schemas and schemas[schema] != _rename_refs(body, {})
        }
        for schema, body in own_schemas.items():
            renamed = _rename_refs(copy.deepcopy(body), renames)
            if schema in renames and "title" in renamed:
                renamed["title"] = renames[schema]
            schemas[renames.get(schema, schema)] = renamed
        for path, item in spec.get("paths", {}).items():
            if routed(path) and path not in merged["paths"]:
                merged["paths"][path] = _rename_refs(copy.deepcopy(item), renames)
    for item in merged["paths"].values():
        for operation in item.values():
            if isinstance(operation, dict) and "responses" in operation:
                operation["responses"].setdefault("429", RATE_LIMITED)
    return merged


RATE_LIMITED: dict[str, Any] = {
    "description": "Too Many Requests: the caller's rate limit is spent",
    "headers": {
        name: {"schema": {"type": "integer"}, "description": text}
        for name, text in (
            ("Retry-After", "seconds until a call is taken again"),
            ("RateLimit-Limit", "calls allowed in the window"),
            ("RateLimit-Remaining", "calls left in the window"),
            ("RateLimit-Reset", "seconds until the window resets"),
        )
    },
    "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}},
}
