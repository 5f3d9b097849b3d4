"""The built-in plans that reproduce the seeds' schemes; a store copies one and changes it as data."""

import json
from functools import cache
from pathlib import Path

from payroll.plans.vocabulary import Plan

FOLDER = Path(__file__).parent / "templates"


@cache
def builtin() -> dict[str, Plan]:
    plans = (Plan.model_validate(json.loads(path.read_text())) for path in sorted(FOLDER.glob("*.json")))
    return {plan.code: plan for plan in plans}
