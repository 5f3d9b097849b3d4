"""The floor under the gateway's overhead: a bare pass-through to one service, served as the gateway is
(uvicorn on uvloop and httptools) and calling the service over the gateway's own pooled client, but
with nothing of the gateway's work (no token check, rate limit, breaker, request id, metrics, audit).

What the gateway costs above the service is this extra hop plus its own work; the gateway-overhead
benchmark measures this app beside the gateway, so RESULTS.md shows how much of the ratio is the hop.
Run as ``uvicorn bench.passthrough:app`` with ``PASSTHROUGH_UPSTREAM`` set to the service's URL.
"""

import os

from gateway.routing.upstream import Pool
from starlette.types import Receive, Scope, Send

FORWARD = frozenset({b"authorization", b"accept"})
_pools: dict[str, Pool] = {}


async def app(scope: Scope, receive: Receive, send: Send) -> None:
    if scope["type"] == "lifespan":
        while (await receive())["type"] != "lifespan.shutdown":
            await send({"type": "lifespan.startup.complete"})
        for pool in _pools.values():
            await pool.close()
        await send({"type": "lifespan.shutdown.complete"})
        return
    pool = _pools.get("upstream") or _pools.setdefault("upstream", Pool(os.environ["PASSTHROUGH_UPSTREAM"]))
    while (await receive()).get("more_body"):  # the reads it serves have no body
        pass
    query = scope["query_string"].decode("latin-1")
    target = scope["raw_path"].decode("latin-1") + (f"?{query}" if query else "")
    headers = [(name.decode("latin-1"), value.decode("latin-1")) for name, value in scope["headers"] if name in FORWARD]
    answer = await pool.request(scope["method"], target, headers, timeout=30)
    headers_out = [(b"content-length", str(len(answer.content)).encode())]
    headers_out += [(name, value) for name, value in answer.headers if name == b"content-type"]
    await send({"type": "http.response.start", "status": answer.status_code, "headers": headers_out})
    await send({"type": "http.response.body", "body": answer.content})
