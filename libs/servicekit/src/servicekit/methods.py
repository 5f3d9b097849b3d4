"""Which methods a path takes: for the ``Allow`` of a 405, from the app's documented operations."""

import re
from typing import Any

from starlette.routing import compile_path

METHODS = ("get", "put", "post", "delete", "patch")


Operation = tuple[str, dict[str, re.Pattern[str]]]
"""A method and the patterns its path parameters must match."""


def _operations(item: dict[str, Any]) -> list[Operation]:
    out = []
    for method in METHODS:
        operation = item.get(method)
        if isinstance(operation, dict):
            patterns = {
                p["name"]: re.compile(p["schema"]["pattern"])
                for p in operation.get("parameters", [])
                if p.get("in") == "path" and "pattern" in p.get("schema", {})
            }
            out.append((method.upper(), patterns))
    return out


def allowed_methods(app: Any, path: str) -> list[str]:
    """Every method the app's documented operations take on ``path``, for a 405's ``Allow`` (Starlette
    names only those of the first route that matches, when a path's methods live in several routes).
    A template counts where its parameters' patterns take the path's segments: ``/parts/{part_no}``
    (part numbers in capitals) does not offer PUT on ``/parts/reorder-suggestions``."""
    compiled: list[tuple[re.Pattern[str], list[Operation]]] | None = getattr(app.state, "allowed_methods", None)
    if compiled is None:
        compiled = [(compile_path(template)[0], _operations(item)) for template, item in app.openapi()["paths"].items()]
        app.state.allowed_methods = compiled
    found = set()
    for template, operations in compiled:
        match = template.match(path)
        if match is None:
            continue
        values = match.groupdict()
        for method, patterns in operations:
            if all(p.search(values.get(name, "")) for name, p in patterns.items()):
                found.add(method)
    return sorted(found)
