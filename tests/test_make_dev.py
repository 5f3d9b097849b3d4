"""`make dev`'s launcher as a user runs it: embedded PostgreSQL with data kept in its data dir, its own
broker, every service and the gateway; Ctrl-C stops it all; a restart on a fresh broker loses nothing."""

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from factories import delivery, employee
from fours_devstack.broker import free_port, free_port_block
from fours_devstack.demo import DEMO_PASSWORD


class Launched:
    def __init__(self, data_dir: Path, *args: str) -> None:
        self.data_dir = data_dir
        self.args = args
        self.gateway = f"http://127.0.0.1:{free_port()}"
        self.env = {
            **{k: v for k, v in os.environ.items() if k not in ("KAFKA_BOOTSTRAP", "FOURS_ADMIN_PASSWORD")},
            "FOURS_DATA_DIR": str(data_dir),
            "FOURS_GATEWAY_PORT": self.gateway.rsplit(":", 1)[1],
            "FOURS_PORT_BASE": str(free_port_block()),
            "FOURS_BROKER_PORT": str(free_port()),
        }
        self.process: subprocess.Popen[str] | None = None
        self.output: list[str] = []

    def start(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "fours_devstack.launcher", *self.args],
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        assert self.process.stdout is not None
        deadline = time.monotonic() + 120
        for line in self.process.stdout:
            self.output.append(line)
            if "FourS is up" in line:
                for line in self.process.stdout:  # the addresses it prints after
                    self.output.append(line)
                    if "Ctrl-C stops everything" in line:
                        return
                break
            if time.monotonic() > deadline:
                break
        raise AssertionError("launcher did not come up:\n" + "".join(self.output))

    def stop(self) -> int:
        assert self.process is not None
        self.process.send_signal(signal.SIGINT)
        out, _ = self.process.communicate(timeout=60)
        self.output.append(out)
        return self.process.returncode


@pytest.fixture
def data_dir(tmp_path: Path) -> Iterator[Path]:
    yield tmp_path / "data"


def _login(gateway: str, password: str) -> httpx.Client:
    tokens = httpx.post(f"{gateway}/api/v1/auth/token", json={"username": "admin", "password": password}).json()
    return httpx.Client(base_url=gateway, headers={"authorization": f"Bearer {tokens['access_token']}"}, timeout=15)


def _wait(probe: Any, timeout: float = 20.0) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if result := probe():
            return result
        time.sleep(0.1)
    raise AssertionError("condition not met")


def test_make_dev_runs_the_platform_stops_cleanly_and_keeps_data_across_restarts(data_dir: Path) -> None:
    platform = Launched(data_dir)
    platform.start()
    try:
        assert httpx.get(f"{platform.gateway}/readyz").status_code == 200
        assert f"{platform.gateway}/console/" in "".join(platform.output)
        page = httpx.get(f"{platform.gateway}/console/")
        assert page.status_code == 200 and "content-security-policy" in page.headers
        password = (data_dir / "admin-password").read_text().strip()
        assert password in "".join(platform.output), "the generated admin password is printed once"
        api = _login(platform.gateway, password)
        consultant = employee()
        assert api.post("/api/v1/employees", json=consultant).status_code == 201
        body = delivery(consultant["employee_no"])
        _wait(lambda: api.post("/api/v1/deliveries", json=body).status_code == 201)
        _wait(lambda: api.get("/api/v1/follow-ups", params={"vin": body["vin"]}).json()["items"])
    finally:
        assert platform.stop() == 0, "".join(platform.output)
    assert "stopped" in platform.output[-1]
    assert (data_dir / "postgres" / "PG_VERSION").exists()

    again = Launched(data_dir)  # a fresh in-memory broker: outbox rows are published again
    again.start()
    try:
        assert "generated the password" not in "".join(again.output)
        api = _login(again.gateway, password)
        assert api.get(f"/api/v1/employees/{consultant['employee_no']}").status_code == 200
        second = delivery(consultant["employee_no"])
        assert api.post("/api/v1/deliveries", json=second).status_code == 201
        _wait(lambda: api.get("/api/v1/follow-ups", params={"vin": second["vin"]}).json()["items"])
        lines = _wait(
            lambda: (
                (
                    items := api.get(
                        "/api/v1/commissions", params={"employee_no": consultant["employee_no"], "month": "2026-11"}
                    ).json()["items"]
                )
                and len(items) >= 2
                and items
            )
        )
        assert sorted(line["vin"] for line in lines) == sorted([body["vin"], second["vin"]])
        assert len(api.get("/api/v1/follow-ups", params={"vin": body["vin"]}).json()["items"]) == 1
    finally:
        assert again.stop() == 0


def test_make_demo_loads_a_month_of_a_store_once(data_dir: Path) -> None:
    platform = Launched(data_dir, "--demo")
    platform.start()
    try:
        said = "".join(platform.output)
        assert "demo: done" in said and DEMO_PASSWORD in said

        def signed_in(username: str) -> httpx.Client:
            answer = httpx.post(
                f"{platform.gateway}/api/v1/auth/token", json={"username": username, "password": DEMO_PASSWORD}
            )
            assert answer.status_code == 200, answer.text
            token = answer.json()["access_token"]
            return httpx.Client(base_url=platform.gateway, headers={"authorization": f"Bearer {token}"}, timeout=15)

        consultant = signed_in("sc.li")
        leads = consultant.get("/api/v1/leads", params={"limit": 200}).json()["items"]
        assert len(leads) >= 10 and {lead["state"] for lead in leads} >= {"new", "lost"}
        assert all(lead["owner_no"] == "D012" and lead["customer_name"] for lead in leads)
        assert consultant.get("/api/v1/tasks", params={"assignee": "me"}).json()["items"]
        caller = signed_in("fu.wu")
        assert _wait(lambda: caller.get("/api/v1/follow-ups").json()["items"], timeout=60)
        advisor = signed_in("sa.zhao")
        states = {o["state"] for o in advisor.get("/api/v1/repair-orders").json()["items"]}
        assert len(states) >= 3
        insurance = signed_in("insm.jiang")
        assert _wait(lambda: insurance.get("/api/v1/renewals").json()["items"], timeout=60)
        hr = signed_in("hr.yang")
        [run] = hr.get("/api/v1/payroll-runs").json()["items"]
        assert run["state"] == "computed"
    finally:
        assert platform.stop() == 0, "".join(platform.output)

    again = Launched(data_dir, "--demo")
    again.start()
    try:
        assert "demo: already loaded" in "".join(again.output)
    finally:
        assert again.stop() == 0
