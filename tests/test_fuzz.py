"""A bounded Schemathesis pass over the gateway's merged OpenAPI (``make fuzz`` runs it long): as the
general manager and as a sales consultant, no 5xx, responses as declared, errors as problem+json."""

from factories import employee
from fours_devstack import fuzz
from fours_devstack.testing import Stack
from test_first_flow import hired, login

EXAMPLES = 6
SHARED_STATE = "^/api/v1/(auth|users|payroll-runs)"
"""The accounts the other tests log in with: as the GM the fuzzer finds the users' ids in listings and
resets their passwords (it may), repeated bad logins lock an account out (as they should), and it
runs, approves and locks this month's payroll the payroll tests need open; `make fuzz`, on a
platform of its own, covers these operations too."""


def _failures(report: str, size: int = 12_000) -> str:
    """The report's failures (each with its curl to replay), then its summary."""
    start = report.find(" FAILURES ")
    return (report[start:] if start >= 0 else report)[:size] + "\n…\n" + report[-2000:]


async def test_the_api_holds_under_generated_requests(stack: Stack) -> None:
    admin = await login(stack)
    consultant = (await hired(admin, **employee()))["employee_no"]
    callers = {
        "general manager": admin.headers["authorization"].removeprefix("Bearer "),
        "sales consultant": stack.token("sales_consultant", employee_no=consultant, team="showroom-1", username="fuzz"),
    }
    for who, token in callers.items():
        code, report = await fuzz.run(stack.urls["gateway"], token, examples=EXAMPLES, exclude=SHARED_STATE)
        assert code == 0, f"as the {who}:\n{_failures(report)}"
        assert "Tested: " in report


def test_the_problem_json_check_catches_a_plain_error() -> None:
    import json
    from types import SimpleNamespace

    import pytest
    from fours_devstack.fuzz_checks import problem_json

    plain = SimpleNamespace(status_code=404, headers={"content-type": "application/json"}, content=b'{"detail":"x"}')
    with pytest.raises(AssertionError, match="not application/problem"):
        problem_json(None, plain, None)
    body = {"type": "https://fours.dev/problems/not-found", "title": "Not found", "status": 404}
    good = SimpleNamespace(
        status_code=404, headers={"content-type": "application/problem+json"}, content=json.dumps(body).encode()
    )
    problem_json(None, good, None)
    problem_json(None, SimpleNamespace(status_code=200, headers={}, content=b"[]"), None)


def test_a_schema_valid_request_may_meet_a_rule_but_not_a_schema_refusal() -> None:
    import json
    from types import SimpleNamespace

    import pytest
    from fours_devstack.fuzz_checks import schema_valid_input_is_parsed

    def case(positive: bool) -> SimpleNamespace:
        return SimpleNamespace(
            meta=SimpleNamespace(generation=SimpleNamespace(mode=SimpleNamespace(is_positive=positive)))
        )

    def answer(status: int, kind: str) -> SimpleNamespace:
        body = {"type": f"https://fours.dev/problems/{kind}", "title": "x", "status": status, "detail": "d"}
        return SimpleNamespace(status_code=status, content=json.dumps(body).encode())

    with pytest.raises(AssertionError, match="validation-error"):
        schema_valid_input_is_parsed(None, answer(422, "validation-error"), case(True))
    with pytest.raises(AssertionError, match="400"):
        schema_valid_input_is_parsed(None, answer(400, "bad-request"), case(True))
    schema_valid_input_is_parsed(None, answer(422, "business-rule"), case(True))
    schema_valid_input_is_parsed(None, answer(412, "precondition-failed"), case(True))
    schema_valid_input_is_parsed(None, answer(422, "validation-error"), case(False))  # invalid input: refused, rightly
