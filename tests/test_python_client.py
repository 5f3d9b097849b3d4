"""A Python client generated from contracts/openapi.json (openapi-python-client), used as a partner
team would: log in, create a lead, list the day's tasks, read a payslip, against the live platform."""

import importlib
import subprocess
import sys
from typing import Any

import pytest
from fours_devstack.openapi_document import PATH as SPEC
from fours_devstack.testing import ADMIN_PASSWORD, Stack
from test_first_flow import hired, login
from test_payroll_runs import _run


@pytest.fixture(scope="module")
def client_package(tmp_path_factory: pytest.TempPathFactory) -> Any:
    out = tmp_path_factory.mktemp("client")
    config = out / "config.yaml"
    config.write_text("project_name_override: fours-api-client\npackage_name_override: fours_api_client\n")
    generated = subprocess.run(
        [
            sys.executable,
            "-m",
            "openapi_python_client",
            "generate",
            "--path",
            str(SPEC),
            "--output-path",
            str(out / "fours_api_client"),
            "--meta",
            "none",
            "--config",
            str(config),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert generated.returncode == 0, generated.stdout + generated.stderr
    sys.path.insert(0, str(out))
    try:
        yield importlib.import_module("fours_api_client")
    finally:
        sys.path.remove(str(out))


async def test_a_generated_client_logs_in_creates_a_lead_lists_tasks_and_reads_a_payslip(
    stack: Stack, client_package: Any
) -> None:
    from fours_api_client.api.auth import token
    from fours_api_client.api.leads import create_lead
    from fours_api_client.api.payroll_runs import compute_run, get_payslip
    from fours_api_client.api.tasks import agenda
    from fours_api_client.models import Credentials, LeadIn
    from fours_api_client.models.lead_customer_in import LeadCustomerIn
    from fours_api_client.models.lead_in_source import LeadInSource

    admin = await login(stack)
    consultant = (await hired(admin))["employee_no"]
    anonymous = client_package.Client(base_url=stack.urls["gateway"])
    credentials = Credentials(username="admin", password=ADMIN_PASSWORD)
    tokens = await token.asyncio(client=anonymous, body=credentials)
    assert tokens is not None and tokens.access_token
    api = client_package.AuthenticatedClient(base_url=stack.urls["gateway"], token=tokens.access_token)

    lead = await create_lead.asyncio_detailed(
        client=api,
        body=LeadIn(
            customer=LeadCustomerIn(name="钱先生", mobile="+86 139 1234 5678"),
            source=LeadInSource.SHOWROOM,
            owner_no=consultant,
        ),
    )
    assert lead.status_code == 201, lead.content
    tasks = await agenda.asyncio_detailed(client=api, assignee=consultant)
    assert tasks.status_code == 200 and tasks.parsed is not None
    assert any(task.kind == "follow_up" for task in tasks.parsed.items)

    month = "2035-02"
    run = await _run(admin, month)
    computed = await compute_run.asyncio_detailed(client=api, run_id=run["id"])
    assert computed.status_code == 200
    slip = await get_payslip.asyncio_detailed(client=api, run_id=run["id"], employee_no=consultant)
    assert slip.status_code == 200 and slip.parsed is not None
    assert slip.parsed.employee_no == consultant and slip.parsed.lines[0].code == "base_wage"
