"""The merged OpenAPI document the gateway serves at ``/api/v1/openapi.json``, built without a running
platform (each service's app is built, not served): ``contracts/openapi.json``, checked in, is what
frontend teams and ``make clients`` generate clients from; a test fails when it drifts from the code.

    python -m fours_devstack.openapi_document [--check]
"""

import argparse
import importlib
import json
import sys
from pathlib import Path
from typing import Any

from gateway.openapi import rules
from gateway.routing.service import owner_of

SERVICES = ("leads", "aftersales", "insurance", "marketing", "payroll")
PATH = Path(__file__).resolve().parents[4] / "contracts" / "openapi.json"


def merged() -> dict[str, Any]:
    own = importlib.import_module("gateway.main").create_app().openapi()
    specs = {name: importlib.import_module(f"{name}.main").create_app().openapi() for name in SERVICES}
    return rules.merge(own, specs, owner_of)


def text() -> str:
    return json.dumps(merged(), indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail when contracts/openapi.json drifted")
    args = parser.parse_args()
    current = text()
    if args.check:
        if not PATH.exists() or PATH.read_text() != current:
            print(f"{PATH} drifted from the code: run make clients", file=sys.stderr)
            return 1
        return 0
    PATH.write_text(current)
    print(f"wrote {PATH}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
