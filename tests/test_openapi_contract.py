"""The merged OpenAPI document as client generators read it: readable, unique operation ids, schema
names without module paths, and every error declared as the problem+json the API answers."""

import re
from typing import Any

import httpx
from fours_devstack.testing import Stack

METHODS = {"get", "put", "post", "delete", "patch"}


async def _document(stack: Stack) -> dict[str, Any]:
    async with httpx.AsyncClient(base_url=stack.urls["gateway"]) as anon:
        response = await anon.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


async def test_operation_ids_are_camel_case_and_unique_and_schema_names_carry_no_module_path(stack: Stack) -> None:
    doc = await _document(stack)
    ids = [op["operationId"] for item in doc["paths"].values() for m, op in item.items() if m in METHODS]
    assert len(ids) > 150
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})
    assert all(re.fullmatch(r"[a-z][A-Za-z0-9]*", i) for i in ids), [
        i for i in ids if not re.fullmatch(r"[a-z][A-Za-z0-9]*", i)
    ]
    names = list(doc["components"]["schemas"])
    assert not [n for n in names if "__" in n or n in ("HTTPValidationError", "ValidationError")]


async def test_every_error_is_declared_as_problem_json_and_422_as_a_validation_problem(stack: Stack) -> None:
    doc = await _document(stack)
    for path, item in doc["paths"].items():
        for method, op in item.items():
            if method not in METHODS:
                continue
            responses = op["responses"]
            assert {"401", "403", "429", "503"} <= set(responses), (method, path)
            for status, response in responses.items():
                if int(status) < 400:
                    continue
                schema = response["content"]["application/problem+json"]["schema"]["$ref"]
                assert schema.endswith("/ValidationProblem" if status == "422" else "/Problem"), (method, path, status)
            if any(p["in"] == "path" for p in op.get("parameters", [])):
                assert "404" in responses, (method, path)
            if "requestBody" in op:
                assert {"413", "422"} <= set(responses), (method, path)
    assert doc["paths"]["/api/v1/repair-orders/{order_id}/transitions"]["post"]["operationId"] == "moveRepairOrder"
    assert "412" in doc["paths"]["/api/v1/repair-orders/{order_id}/transitions"]["post"]["responses"]


async def test_a_method_a_path_does_not_take_is_405_with_allow_through_the_gateway(stack: Stack) -> None:
    api = stack.client()
    response = await api.patch("/api/v1/budgets/2030/monthly-split", json={})
    assert response.status_code == 405 and response.headers["allow"] == "DELETE, GET, POST, PUT"
    assert response.headers["content-type"] == "application/problem+json"


async def test_head_is_the_get_without_its_body_and_options_is_405_with_allow(stack: Stack) -> None:
    api = stack.client()
    head = await api.head("/api/v1/follow-ups")
    get = await api.get("/api/v1/follow-ups")
    assert head.status_code == get.status_code == 200 and head.content == b""
    assert head.headers["content-length"] == get.headers["content-length"]
    options = await api.options("/api/v1/follow-ups")
    assert options.status_code == 405 and options.headers["allow"] == "GET"
    admin_head = await api.head("/api/v1/admin/aftersales/dead-letters")
    assert admin_head.status_code == 200 and admin_head.content == b""


async def test_the_checked_in_document_is_what_the_gateway_serves_and_what_the_code_says(stack: Stack) -> None:
    """contracts/openapi.json is what client generators read: ``make clients`` writes it again."""
    import json

    from fours_devstack import openapi_document

    checked_in = json.loads(openapi_document.PATH.read_text())
    assert openapi_document.merged() == checked_in, "contracts/openapi.json drifted: run make clients"
    served = await _document(stack)
    assert served == checked_in


async def test_allow_names_every_method_of_a_path_whose_methods_live_in_several_routes(stack: Stack) -> None:
    api = stack.client()
    options = await api.options("/api/v1/ads")  # GET lists them, POST records one: two routes
    assert options.status_code == 405 and options.headers["allow"] == "GET, POST"
