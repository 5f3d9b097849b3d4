"""What the other gateway features use of routing: calling a service (``call``, ``fetch``, with the
caller's headers), the answer they get back, and which service owns a path."""

from gateway.routing.proxy import Caller, Unavailable, call, fetch, outgoing_headers, settings_of
from gateway.routing.routes import owner_of
from gateway.routing.upstream import Answer

__all__ = ["Answer", "Caller", "Unavailable", "call", "fetch", "outgoing_headers", "owner_of", "settings_of"]
