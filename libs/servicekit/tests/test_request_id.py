"""The request id: taken from the caller or made up, on the response, on every log line written while
the request is handled, and gone from the context once it is answered."""

import json
from typing import Any

import httpx
import pytest
import structlog
from servicekit.logs import configure_logging, request_id_var
from servicekit.requests import RequestIdMiddleware
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route


async def _work(request: Request) -> JSONResponse:
    structlog.get_logger("test").warning("working", item=7)
    return JSONResponse({"seen": request_id_var.get()})


@pytest.fixture
def client() -> httpx.AsyncClient:
    app = RequestIdMiddleware(Starlette(routes=[Route("/work", _work)]))
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
