import json
import subprocess
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from fours_contracts import (
    ALL_EVENTS,
    CloudEvent,
    EnvelopeError,
    VehicleDelivered,
    normalise_mobile,
    normalise_plate,
)
from fours_contracts.base import MOBILE_TEXT, PLATE_TEXT
from fours_contracts.generate import ROOT, schema_files
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError


def test_checked_in_schemas_and_asyncapi_match_the_models() -> None:
    for rel, text in schema_files().items():
        path = ROOT / rel
        assert path.exists(), f"{rel} missing: run `make contracts`"
        assert path.read_text() == text, f"{rel} drifted from the models: run `make contracts`"


def _history(rel: str) -> list[dict]:
    """Every committed version of a schema file, oldest first (empty outside a git checkout)."""
    try:
        revs = subprocess.run(
            ["git", "log", "--format=%H", "--", rel], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.split()
    except (OSError, subprocess.CalledProcessError):
        return []
    versions = []
    for rev in reversed(revs):
        shown = subprocess.run(["git", "show", f"{rev}:contracts/{rel}"], cwd=ROOT, capture_output=True, text=True)
        if shown.returncode == 0:
            versions.append(json.loads(shown.stdout))
    return versions


def _breaks(old: dict, new: dict, where: str = "") -> list[str]:
    problems = []
    old_props, new_props = old.get("properties", {}), new.get("properties", {})
    for name in old_props:
        if name not in new_props:
            problems.append(f"{where}{name} removed")
    for name in set(new.get("required", [])) - set(old.get("required", [])):
        if name not in old.get("required", []) and name not in old_props:
            problems.append(f"{where}{name} added as required")
    for name, sub in old.get("$defs", {}).items():
        if name in new.get("$defs", {}):
            problems += _breaks(sub, new["$defs"][name], f"{where}{name}.")
    return problems


@pytest.mark.parametrize("cls", ALL_EVENTS, ids=lambda c: c.event_type)
def test_no_breaking_change_inside_a_version(cls) -> None:
    rel = f"schemas/{cls.event_type}.json"
    current = json.loads(schema_files()[rel])
    for old in _history(rel):
        assert _breaks(old, current) == [], f"{cls.event_type} broke compatibility: publish a new version"


def test_breaking_change_detector_sees_removed_and_new_required_fields() -> None:
    old = {"properties": {"a": {}, "b": {}}, "required": ["a"]}
    assert _breaks(old, {"properties": {"a": {}, "c": {}}, "required": ["a", "c"]}) == [
        "b removed",
        "c added as required",
    ]
    assert _breaks(old, {"properties": {"a": {}, "b": {}, "d": {}}, "required": ["a"]}) == []


def _delivered() -> VehicleDelivered:
    return VehicleDelivered.model_validate(
        {
            "delivery_id": "d1",
            "vin": "LSVAA4182E2100001",
            "customer": {"customer_id": "c1", "name": "王先生", "mobile": "13800138000"},
            "consultant_no": "S001",
            "channel": "showroom",
            "model": "Lavida",
            "grade": "A",
            "price": "120000.00",
            "floor_price": "118000.00",
            "delivered_at": datetime(2026, 11, 20, 2, 0, tzinfo=UTC),
        }
    )


def test_event_round_trips_through_kafka_binary_mode_with_money_as_strings() -> None:
    event = _delivered()
    envelope = CloudEvent.wrap(event, source="/fours/leads", correlationid="req-1")
    headers = envelope.kafka_headers()
    assert ("ce_type", b"fours.leads.vehicle.delivered.v1") in headers
    assert ("ce_subject", event.vin.encode()) in headers
    assert b'"price":"120000.00"' in envelope.kafka_value()
    back = CloudEvent.from_kafka(headers, envelope.kafka_value())
    assert back.id == envelope.id and back.correlationid == "req-1"
    decoded = back.decode(VehicleDelivered)
    assert decoded == event and decoded.price == Decimal("120000.00")


def test_message_without_cloudevents_headers_is_an_envelope_error() -> None:
    with pytest.raises(EnvelopeError):
        CloudEvent.from_kafka([], b"{}")
    with pytest.raises(EnvelopeError):
        CloudEvent.from_kafka([("ce_specversion", b"1.0"), ("ce_id", b"x")], b"{}")


def test_poison_data_fails_validation_against_the_contract() -> None:
    envelope = CloudEvent.wrap(_delivered(), source="/fours/leads")
    envelope.data["grade"] = "Z"
    with pytest.raises(ValidationError):
        envelope.decode(VehicleDelivered)


def test_schema_files_are_in_the_package_root() -> None:
    assert Path(ROOT / "asyncapi.yaml").exists()


@given(st.from_regex(MOBILE_TEXT, fullmatch=True).filter(lambda text: 11 <= len(text) <= 24))
def test_every_mobile_the_schema_admits_is_read(text: str) -> None:
    assert len(normalise_mobile(text)) == 11


@pytest.mark.parametrize(
    ("written", "kept"),
    [
        ("粤B·12345", "粤B12345"),  # as printed on the plate
        ("粤b 12345", "粤B12345"),  # as typed on a tablet
        ("沪AD12345", "沪AD12345"),  # new energy, small car: six after the office letter
        ("京A12345F", "京A12345F"),  # new energy, large car
        ("苏E1234学", "苏E1234学"),  # a driving school's car
    ],
)
def test_a_plate_is_read_however_it_is_written(written: str, kept: str) -> None:
    assert normalise_plate(written) == kept


@pytest.mark.parametrize("written", ["粤B1234", "粤BO1234", "AB12345", "粤12345B", "粤B123456789", "LSVAU2180N2183294"])
def test_what_is_no_plate_is_refused(written: str) -> None:
    with pytest.raises(ValueError, match="plate"):
        normalise_plate(written)


@given(st.from_regex(PLATE_TEXT, fullmatch=True).filter(lambda text: 7 <= len(text) <= 16))
def test_every_plate_the_schema_admits_is_read(text: str) -> None:
    assert 7 <= len(normalise_plate(text)) <= 8
