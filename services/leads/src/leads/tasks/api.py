from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fours_contracts import Instant
from pydantic import BaseModel, Field
from servicekit.kit import KitDep
from servicekit.pagination import Cursor, Page
from servicekit.permissions import Allowed, Permission

from leads.tasks import rules, service

router = APIRouter(prefix="/api/v1/tasks", tags=["tasks"])
Sales = Allowed(Permission.LEADS_WRITE)


class Task(BaseModel):
    id: str
    kind: rules.TaskKind
    lead_id: str | None
    customer_id: str
    customer_name: str | None = None
    customer_mobile: str | None = None
    """Whom the task is about (in lists)."""
    assignee_no: str | None
    title: str
    due_at: datetime
    status: Literal["open", "done", "cancelled"]
    overdue: bool
    on_time: bool | None
    note: str | None
    done_at: datetime | None
    done_by: str | None
    created_at: datetime


class TaskIn(BaseModel):
    customer_id: Annotated[str, Field(min_length=1, max_length=64)]
    lead_id: Annotated[str | None, Field(max_length=64)] = None
    title: Annotated[str, Field(min_length=1, max_length=200)]
    due_at: Instant
    assignee_no: Annotated[str | None, Field(pattern=r"^[A-Za-z0-9_-]{1,32}$")] = None


class CompleteIn(BaseModel):
    note: Annotated[str | None, Field(max_length=2000)] = None


@router.get("", response_model=Page[Task], responses={422: {}})
async def agenda(
    kit: KitDep,
    principal: Sales,
    assignee: Annotated[
        str | None, Query(pattern=r"^(me|[A-Za-z0-9_-]{1,32})$", description="`me` or an employee_no")
    ] = None,
    due: Annotated[
        Literal["today", "overdue", "all"], Query(description="today: open up to tonight, overdue included")
    ] = "all",
    status: Literal["open", "done", "cancelled", "any"] = "open",
    kind: rules.TaskKind | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: Cursor = None,
) -> dict[str, Any]:
    """A consultant's agenda (``?assignee=me&due=today``); a supervisor's overdue list (``?due=overdue``)."""
    return await service.agenda(
        kit, by=principal, assignee=assignee, due=due, status=status, kind=kind, limit=limit, cursor=cursor
    )


@router.post("", status_code=201, response_model=Task, responses={403: {}, 422: {}})
async def add_task(body: TaskIn, kit: KitDep, principal: Sales) -> dict[str, Any]:
    return await service.add(kit, body.model_dump(), by=principal)


@router.post("/{task_id}/complete", response_model=Task, responses={403: {}, 404: {}, 409: {}})
async def complete_task(task_id: str, body: CompleteIn, kit: KitDep, principal: Sales) -> dict[str, Any]:
    return await service.complete(kit, task_id, body.note, by=principal)
