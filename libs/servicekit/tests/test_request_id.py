"""The kit's request layer. The request id: taken from the caller or made up, on the response, on every
log line written while the request is handled, and gone from the context once it is answered. The body
limit, the metrics, and what escapes the app answered as problem+json."""

import json
from typing import Any

import httpx
import pytest
import structlog
from prometheus_client import generate_latest
from servicekit.health import Metrics
from servicekit.logs import configure_logging, request_id_var
from servicekit.requests import RequestMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route, Router


async def _work(request: Request) -> JSONResponse:
    structlog.get_logger("test").warning("working", item=7)
    return JSONResponse({"seen": request_id_var.get()})


async def _echo(request: Request) -> JSONResponse:
    return JSONResponse({"bytes": len(await request.body())})


async def _crash(request: Request) -> JSONResponse:
    raise RuntimeError("a bug")


METRICS = Metrics("test")


@pytest.fixture
def client() -> httpx.AsyncClient:
    routes = [Route("/work", _work), Route("/echo", _echo, methods=["POST"]), Route("/crash", _crash)]
    app = RequestMiddleware(Router(routes=routes), metrics=METRICS, max_bytes=100)  # no error pages of its own
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test")


def _lines(err: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in err.splitlines() if line.startswith("{")]


async def test_the_callers_id_is_on_the_answer_and_on_every_line(client: httpx.AsyncClient, capsys: Any) -> None:
    configure_logging("INFO")  # after capsys took stderr, so the lines land there
    async with client:
        response = await client.get("/work", headers={"x-request-id": "caller-7"})
    assert response.headers["x-request-id"] == "caller-7" and response.json() == {"seen": "caller-7"}
    lines = {line["event"].split(":")[0]: line for line in _lines(capsys.readouterr().err)}
    assert lines["working"]["request_id"] == lines["request"]["request_id"] == "caller-7"
    assert "request_id" not in lines["HTTP Request"]  # httpx's line, written after the answer
    assert request_id_var.get() is None  # the id does not outlive its request


async def test_without_one_each_request_gets_its_own(client: httpx.AsyncClient, capsys: Any) -> None:
    configure_logging("WARNING")
    async with client:
        first, second = (await client.get("/work")), (await client.get("/work"))
    ids = [first.headers["x-request-id"], second.headers["x-request-id"]]
    assert ids[0] != ids[1] and all(len(i) == 32 for i in ids)
    assert [first.json()["seen"], second.json()["seen"]] == ids
    assert [line["request_id"] for line in _lines(capsys.readouterr().err)] == ids  # WARNING: no request lines
    assert request_id_var.get() is None


async def test_a_body_over_the_limit_is_413_by_its_length_or_as_it_comes(client: httpx.AsyncClient) -> None:
    async def chunks(n: int) -> Any:
        for _ in range(n):
            yield b"x" * 30

    async with client:
        assert (await client.post("/echo", content=b"x" * 100)).json() == {"bytes": 100}
        declared = await client.post("/echo", content=b"x" * 101)
        streamed = await client.post("/echo", content=chunks(4))  # chunked: no Content-Length
        small = await client.post("/echo", content=chunks(3))
    for refused in (declared, streamed):
        assert refused.status_code == 413 and refused.headers["content-type"] == "application/problem+json"
        assert refused.json()["type"].endswith("/too-large") and refused.headers["x-request-id"]
    assert small.json() == {"bytes": 90}


async def test_what_escapes_the_app_is_a_logged_500_problem_with_the_request_id(
    client: httpx.AsyncClient, capsys: Any
) -> None:
    configure_logging("INFO")
    async with client:
        response = await client.get("/crash", headers={"x-request-id": "bug-1"})
    assert response.status_code == 500 and response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"].endswith("/internal") and response.headers["x-request-id"] == "bug-1"
    lines = _lines(capsys.readouterr().err)
    crash = next(line for line in lines if line["event"] == "unhandled error")
    assert crash["request_id"] == "bug-1" and "RuntimeError: a bug" in crash["exception"]
    assert any(line["event"] == "request" and line["status"] == 500 for line in lines)
    assert request_id_var.get() is None


async def test_each_request_is_timed_by_method_route_and_status(client: httpx.AsyncClient, capsys: Any) -> None:
    configure_logging("WARNING")

    def count(route: str, status: str) -> float:
        sample = f'http_request_duration_seconds_count{{method="GET",route="{route}",status="{status}"}}'
        line = next(
            (line for line in generate_latest(METRICS.registry).decode().splitlines() if line.startswith(sample)), ""
        )
        return float(line.split()[-1]) if line else 0.0

    before = count("unmatched", "404"), count("/crash", "500")
    async with client:
        await client.get("/nowhere")
        await client.get("/nowhere")
        await client.get("/crash")
    assert (count("unmatched", "404"), count("/crash", "500")) == (before[0] + 2, before[1] + 1)
