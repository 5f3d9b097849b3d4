"""Leads (DOMAIN LEAD-1, 3, 4): sources, the funnel's states and who owns a customer.

LEAD-4: new → contacted → visited → test_driven → quoted → ordered → delivered (a test drive may be
skipped: visited → quoted); lost (战败, with a reason) from any open state; a lost lead can be
reopened (it goes back to contacted). Anything else is refused, naming the allowed moves.

LEAD-3 (2008 scheme, "customer ownership"), one rule per sentence, in ``owner_after_visit``.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal, get_args

Source = Literal["showroom", "phone", "website", "auto_portal", "campaign_event", "referral", "key_account_visit"]
SOURCES: tuple[str, ...] = get_args(Source)
State = Literal["new", "contacted", "visited", "test_driven", "quoted", "ordered", "delivered", "lost"]
STATES: tuple[str, ...] = get_args(State)
OPEN = frozenset({"new", "contacted", "visited", "test_driven", "quoted", "ordered"})
FORWARD = {
    "new": {"contacted", "visited"},
    "contacted": {"visited"},
    "visited": {"test_driven", "quoted"},
    "test_driven": {"quoted"},
    "quoted": {"ordered"},
    "ordered": {"delivered"},
    "lost": {"contacted"},
    "delivered": set(),
}
RETURN_WINDOW = timedelta(weeks=1)


def allowed_moves(state: str) -> list[str]:
    moves = set(FORWARD[state])
    if state in OPEN:
        moves.add("lost")
    return sorted(moves)


class InvalidMove(ValueError):
    def __init__(self, state: str, to: str) -> None:
        self.allowed = allowed_moves(state)
        super().__init__(f"a {state} lead cannot move to {to}; allowed: {', '.join(self.allowed) or 'none'}")


def path_to(state: str, target: str) -> list[str]:
    """The shortest chain of forward moves from ``state`` to ``target`` (empty when there is none or
    the lead is there already): an order taken for a visited lead passes through quoted."""
    frontier: list[list[str]] = [[state]]
    seen = {state}
    while frontier:
        route = frontier.pop(0)
        for nxt in sorted(FORWARD[route[-1]]):
            if nxt == target:
                return [*route[1:], nxt]
            if nxt not in seen:
                seen.add(nxt)
                frontier.append([*route, nxt])
    return []


def check_move(state: str, to: str, lost_reason: str | None = None) -> None:
    if to not in allowed_moves(state):
        raise InvalidMove(state, to)
    if to == "lost" and not lost_reason:
        raise ValueError("a lost lead needs a reason")


@dataclass(frozen=True)
class Visit:
    at: datetime
    received_by: str
    booked_by: str | None = None
    """The consultant whose phone call booked this visit, if any."""
    asked_for: str | None = None
    """The consultant the customer asked for, if any."""
    chosen_by_customer: str | None = None
    """Under one sales policy, when several consultants received the customer, the customer's choice."""


@dataclass(frozen=True)
class Ownership:
    owner: str | None
    last_visit_at: datetime | None
    owner_called_since_last_visit: bool
    company_buyer: bool = False
    """A company, group or institution buyer."""
    key_account_agreement: bool = False
    """The company signed an agreement with the store: only then is it a key account (LEAD-3)."""
    key_account_contacts: frozenset[str] = frozenset()
    """The key-account staff with a contact or visit record with the customer."""


def owner_after_visit(
    current: Ownership, visit: Visit, *, key_account_staff: frozenset[str] = frozenset()
) -> tuple[str | None, str]:
    """Who owns the customer after this visit, and why (each reason quotes the scheme)."""
    if current.company_buyer and current.key_account_agreement:
        reason = "a company with a signed agreement belongs to the key-account staff who created it or work it"
        if current.owner in key_account_staff:
            return current.owner, reason
        if visit.received_by in key_account_staff:
            return visit.received_by, reason
        worked_by = sorted(current.key_account_contacts & key_account_staff)
        if worked_by:
            return worked_by[0], reason
        return current.owner, "a key account: to be assigned to key-account staff"
    # private buyers, and companies without a signed agreement, belong to the showroom
    if visit.chosen_by_customer:
        return visit.chosen_by_customer, "received by several consultants under one sales policy: the customer chose"
    if current.owner is None:
        return visit.received_by, "the consultant who first receives the customer and creates the file owns them"
    if visit.booked_by is not None:
        return visit.booked_by, "a visit booked by a consultant's call stays with that consultant"
    if visit.asked_for == current.owner or visit.received_by == current.owner:
        return current.owner, "the customer asked for (or was received by) the owner"
    returned_late = current.last_visit_at is not None and visit.at - current.last_visit_at > RETURN_WINDOW
    if returned_late and not current.owner_called_since_last_visit:
        return visit.received_by, (
            "back more than a week later, the owner made no phone contact in between and the "
            "customer did not ask for the owner: the receiving consultant owns them"
        )
    return current.owner, "the owner keeps the customer"
