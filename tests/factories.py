"""Factories for the data the tests post: unique VINs, mobiles and employee numbers per call."""

import itertools
import random
from typing import Any

_VIN_CHARS = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"
_seq = itertools.count(1)
_rng = random.Random()


def vin() -> str:
    return "LSV" + "".join(_rng.choice(_VIN_CHARS) for _ in range(14))


def plate() -> str:
    """A new-energy plate as printed (粤B·D12345): six characters after the office letter."""
    return "粤B·D" + "".join(_rng.choice("0123456789ABCDEFGHJKLMNPQRSTUVWXYZ") for _ in range(5))


def mobile() -> str:
    return "13" + "".join(_rng.choice("0123456789") for _ in range(9))


def employee_no(prefix: str = "S") -> str:
    return f"{prefix}{_rng.randrange(10**6):06d}{next(_seq)}"


def employee(**over: Any) -> dict[str, Any]:
    return {
        "employee_no": employee_no(),
        "name": "李娜",
        "role": "sales_consultant",
        "team": "showroom-1",
        "hired_on": "2020-03-01",
        "base_wage": "1200.00",
        **over,
    }


def delivery(consultant_no: str, **over: Any) -> dict[str, Any]:
    return {
        "vin": vin(),
        "customer": {"name": "王先生", "mobile": "+86 " + mobile()},
        "consultant_no": consultant_no,
        "model": "Lavida",
        "grade": "A",
        "price": "120000.00",
        "floor_price": "118000.00",
        "channel": "showroom",
        "loan": {"bank": "ICBC", "handling_fee": "3500.00"},
        "insurance": {"insurer": "PICC", "coverages": ["compulsory", "own_damage", "third_party"]},
        "accessories": {"price": "5000.00", "cost": "2000.00"},
        "delivered_at": "2026-11-20T10:00:00+08:00",
        **over,
    }
