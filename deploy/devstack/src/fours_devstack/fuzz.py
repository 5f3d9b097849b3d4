"""Schemathesis against the gateway's merged OpenAPI, as the GM (every permission) and as staff of
sales, service, insurance and marketing (their roles' permissions and data scopes), with every check:
no 5xx, every response as its schema declares, every error problem+json, valid input accepted and
invalid refused, 405 with the right Allow, but for the reasoned exceptions of ``fuzz_exceptions.toml``.
``make fuzz`` runs it long against a platform of its own; the test suite runs a bounded pass against
its own stack.

    python -m fours_devstack.fuzz [--examples 200] [--seed 1]
"""

import argparse
import asyncio
import os
import sys
from pathlib import Path

import httpx

CHECKS = "all"
"""Every check Schemathesis has and ours (``fuzz_checks``), but ``REPLACED``; what else is not a defect
is in ``EXCEPTIONS``."""
REPLACED = "positive_data_acceptance"
"""It counts a business rule's 422 as a defect; ``fuzz_checks.schema_valid_input_is_parsed`` tells the
two apart (``fuzz_exceptions.toml`` says why)."""
EXCEPTIONS = Path(__file__).with_name("fuzz_exceptions.toml")


def command(
    gateway_url: str, token: str, *, examples: int, seed: int, phases: str, exclude: str | None = None
) -> list[str]:
    return [
        sys.executable,
        "-m",
        "schemathesis.cli",
        "--config-file",
        str(EXCEPTIONS),
        "run",
        f"{gateway_url}/api/v1/openapi.json",
        "-H",
        f"Authorization: Bearer {token}",
        "-n",
        str(examples),
        "--seed",
        str(seed),
        "-c",
        CHECKS,
        "--exclude-checks",
        REPLACED,
        "--phases",
        phases,
        "--no-color",
        "--max-response-time",
        "30",
        *(["--exclude-path-regex", exclude] if exclude else []),
    ]


async def run(
    gateway_url: str,
    token: str,
    *,
    examples: int,
    seed: int = 1,
    phases: str = "examples,fuzzing",
    exclude: str | None = None,
) -> tuple[int, str]:
    """One schemathesis run as the holder of ``token``; (exit code, its report). Runs in a subprocess,
    so a platform served from this event loop keeps answering. ``exclude``: a path regex left out."""
    env = {**os.environ, "SCHEMATHESIS_HOOKS": "fours_devstack.fuzz_checks"}
    process = await asyncio.create_subprocess_exec(
        *command(gateway_url, token, examples=examples, seed=seed, phases=phases, exclude=exclude),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
        env=env,
    )
    output, _ = await process.communicate()
    return process.returncode or 0, output.decode(errors="replace")


STAFF = {  # who else fuzzes, besides the GM: roles whose data scopes take other paths than the GM's
    "sales consultant": ("sales_consultant", "FZ001", "showroom-1"),
    "service advisor": ("service_advisor", "FZ002", "service-1"),
    "insurance specialist": ("insurance_specialist", "FZ003", "insurance-1"),
    "marketing staff": ("marketing_staff", "FZ004", "marketing-1"),
}


async def _callers(gateway_url: str, password: str) -> dict[str, str]:
    async with httpx.AsyncClient(base_url=gateway_url, timeout=30) as api:
        admin = (await api.post("/api/v1/auth/token", json={"username": "admin", "password": password})).json()
        auth = {"authorization": f"Bearer {admin['access_token']}"}
        tokens = {"general manager": admin["access_token"]}
        for who, (role, employee_no, team) in STAFF.items():
            staff = {
                "employee_no": employee_no,
                "name": "模糊",
                "role": role,
                "team": team,
                "hired_on": "2020-01-01",
                "base_wage": "1200.00",
            }
            await api.post("/api/v1/employees", json=staff, headers=auth)
            user = {
                "username": f"fuzz-{role}",
                "password": f"fuzz-{role}-pass",
                "role": role,
                "employee_no": employee_no,
                "team": team,
            }
            await api.post("/api/v1/users", json=user, headers=auth)
            token = await api.post(
                "/api/v1/auth/token", json={"username": user["username"], "password": user["password"]}
            )
            tokens[who] = token.json()["access_token"]
    return tokens


def main() -> int:
    from fours_devstack.launcher import Platform

    parser = argparse.ArgumentParser(prog="python -m fours_devstack.fuzz")
    parser.add_argument("--examples", type=int, default=int(os.environ.get("FUZZ_EXAMPLES", "200")))
    parser.add_argument(
        "--seed", type=int, default=int(os.environ.get("FUZZ_SEED", "1")), help="another seed, other cases"
    )
    args = parser.parse_args()
    os.environ.setdefault("GATEWAY_RATE_PER_MINUTE_USER", "100000000")  # fuzzing, not the limiter
    password = "fuzz-admin-password"
    platform = Platform.throwaway("fours-fuzz-", password)
    platform.start()
    failed = False
    try:
        gateway = platform.url_of("gateway")
        for who, token in asyncio.run(_callers(gateway, password)).items():
            code, report = asyncio.run(
                run(gateway, token, examples=args.examples, seed=args.seed, phases="examples,coverage,fuzzing,stateful")
            )
            print(f"===== as the {who}: {'passed' if code == 0 else 'FAILED'} =====\n{report}")
            failed |= code != 0
    finally:
        platform.stop()
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
