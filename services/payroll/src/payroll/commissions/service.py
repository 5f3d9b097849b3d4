from typing import Any

from servicekit.kit import Kit

from payroll.commissions import rules
from payroll.runs import service as runs


async def commissions(kit: Kit, employee_no: str, month: str) -> dict[str, Any]:
    """The month's commission lines as the payroll run would compute them now: the same plan, the same
    evaluator, so the preview and the payslip agree line for line."""
    computed = await runs.preview(kit, employee_no, month)
    [slip] = computed.payslips
    items = rules.commission_lines(slip.lines, computed.deliveries)
    return {
        "employee_no": employee_no,
        "month": month,
        "plan_code": slip.plan_code,
        "items": items,
        "total": rules.total(items),
    }
