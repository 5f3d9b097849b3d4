"""MKT-4/MKT-6: a campaign's budget comes from its month's activity budget, and spend beyond what is
left is refused unless the general manager approves the overrun."""

from typing import Literal, get_args

Form = Literal[
    "auto_show", "in_store_event", "roadshow", "new_model_launch", "car_club", "event_marketing", "media_event"
]
FORMS: tuple[str, ...] = get_args(Form)
PLAN_PARTS = (
    "background",
    "objective",
    "theme",
    "time",
    "content",
    "owners",
    "targets",
    "advertising",
    "promotion_policy",
    "budget_breakdown",
)


REVIEW_QUESTIONS = (
    "owners_clear",
    "stage_targets_met",
    "handoffs_smooth",
    "spend_reasonable",
    "effect_evaluated",
)
"""MKT-5: after a campaign — were owners clear, stage targets met, hand-offs smooth, spend in place
and reasonable, effect evaluated; and the analysis and summary written."""


def target_results(targets: dict[str, int], actuals: dict[str, int]) -> dict[str, dict[str, object]]:
    """Each target figure against what the campaign brought (leads, orders, deliveries from events)."""
    out: dict[str, dict[str, object]] = {}
    for name, target in sorted(targets.items()):
        actual = actuals.get(name)
        out[name] = {"target": target, "actual": actual, "met": None if actual is None else actual >= target}
    return out


def review_gaps(answers: dict[str, bool | None], analysis: str, summary: str) -> list[str]:
    """What a review still lacks: unanswered questions, an empty analysis or summary."""
    missing = [q for q in REVIEW_QUESTIONS if answers.get(q) is None]
    if not analysis.strip():
        missing.append("analysis")
    if not summary.strip():
        missing.append("summary")
    return missing
