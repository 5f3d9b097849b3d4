"""Which methods a path takes: for the ``Allow`` of a 405, from the app's documented operations."""

import re
from typing import Any

from starlette.routing import compile_path

METHODS = ("get", "put", "post", "delete", "patch")


def allowed_methods(app: Any, path: str) -> list[str]:
    """Every method the app's documented operations take on ``path``, for a 405's ``Allow`` (Starlette
    names only those of the first route that matches, when a path's methods live in several routes)."""
    compiled: list[tuple[re.Pattern[str], list[str]]] | None = getattr(app.state, "allowed_methods", None)
    if compiled is None:
        compiled = [
            (compile_path(template)[0], [m.upper() for m in item if m in METHODS])
            for template, item in app.openapi()["paths"].items()
        ]
        app.state.allowed_methods = compiled
    return sorted({method for pattern, methods in compiled if pattern.match(path) for method in methods})
