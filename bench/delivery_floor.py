"""The floor under issue #26's targets: the delivery flow's work with nothing of ours in it, beside
the platform doing it, in the same run.

The floor (``bench/flow_round.py``, ``_floor``) writes the rows a delivery writes — the gateway's
audit row, leads' seven statements and its relay's mark, each of the four consumers' inbox rows (one
statement per fetch, as the kit's) and effects in one transaction per fetch — with raw asyncpg into
the platform's own databases, and sends the event once through the same broker to four consumer
groups with raw aiokafka: one process, one event loop, no HTTP hop, no framework, no process per
service. What it spends is what the work itself costs on this machine; the platform's CPU per
delivery cannot go under it by cutting our overheads alone.

- ``BENCH_FLOOR_RATES`` (80,160,240 per second: the rate the A/B compares CPU at, twice it, and the
  3× capacity target), ``BENCH_STEP_SECONDS`` (30) each, on a fresh platform per round;
- one round of the platform at the first rate, of this checkout and of ``BENCH_AB`` (the commit at
  the start of #26, whose third is the CPU target), beside it;
- the drain floor: ``BENCH_BURST`` (3,000) deliveries written while its consumers wait, then worked
  off by them, timed as the platform's burst is (bench/delivery_flow.py).

Run: ``make bench BENCH=delivery_floor``.
"""

import os
from typing import Any

from bench.delivery_flow import AB, BURST, PROCESSES, STEP_SECONDS, Checkout, _cells, _head, _worktree, held
from bench.results import machine, write_section

RATES = [float(r) for r in os.environ.get("BENCH_FLOOR_RATES", "80,160,240").split(",")]
BROKER = os.environ.get("BENCH_BROKER", "tansu")
PARTS = ["PostgreSQL", "broker", "load generator"]
"""What the floor's CPU is read from: the server, the broker and the one process doing the work."""


def _ms(round_: dict[str, Any], name: str) -> float:
    return float(round_["cpu"].get(name, 0.0)) * 1000 / max(1, int(round_["posted"]))


def _row(label: str, cells: list[str], floor: str) -> str:
    return f"| {label} | {' | '.join(cells)} | {floor} |"


def main() -> None:
    head = _head()
    floors = {
        rate: head.round({"kind": BROKER, "floor": True, "rate": rate, "seconds": STEP_SECONDS})["floor"]
        for rate in RATES
    }
    for rate, round_ in floors.items():
        print(f"floor at {rate:.0f}/s: {sum(_ms(round_, n) for n in PARTS):.2f} ms per delivery", flush=True)
    drain = head.round({"kind": BROKER, "floor": True, "burst": BURST})["floor"]
    print(f"floor drain: {drain['drain_rate']:.1f}/s", flush=True)
    compare = RATES[0]
    checkouts = [_worktree(AB), head] if AB else [head]
    platforms = [
        (c, c.round({"kind": BROKER, "rate": compare, "seconds": STEP_SECONDS, "baseline_seconds": 5})["flow"])
        for c in checkouts
    ]
    body = _section(floors, compare, platforms, drain)
    write_section("Delivery flow floor (issue #26)", body)
    print(body)


def _section(
    floors: dict[float, dict[str, Any]],
    compare: float,
    platforms: list[tuple[Checkout, dict[str, Any]]],
    drain: dict[str, Any],
) -> str:
    floor_total = {rate: sum(_ms(r, n) for n in PARTS) for rate, r in floors.items()}
    services = [name for name in PROCESSES if name not in ("PostgreSQL", "broker")]
    at = floors[compare]
    ours = [{name: _ms(flow, name) for name in PROCESSES} for _, flow in platforms]
    totals = [sum(o.values()) for o in ours]
    lines = [
        f"Machine: {machine()}.",
        f"Broker: {BROKER}. The floor is the delivery flow's work with nothing of ours in it (bench/delivery_floor.py "
        "says what it writes): raw asyncpg into the platform's own databases, raw aiokafka through the same broker "
        "to four consumer groups, in one process, no HTTP hop; the six services are stopped first. Its CPU is "
        "PostgreSQL's, the broker's and that process's, all of it counted (the load it generates included). "
        f"{STEP_SECONDS:.0f} s per rate, a fresh platform per round; p99 is from the start of the work to both "
        "the follow-up and the commission committed.",
        "",
        "| rate asked /s | achieved /s | p50 / p99 ms | PostgreSQL | broker | the one process "
        "| floor CPU ms per delivery |",
        "|---|---|---|---|---|---|---|",
        *[
            f"| {rate:.0f} | {r['rate']:.1f}{'' if held(r, rate) else ' (not held)'} | "
            f"{_cells(r['latencies'])} | "
            f"{_ms(r, 'PostgreSQL'):.2f} | {_ms(r, 'broker'):.2f} | {_ms(r, 'load generator'):.2f} | "
            f"**{floor_total[rate]:.2f}** |"
            for rate, r in floors.items()
        ],
        "",
        f"Beside it, the platform at {compare:.0f}/s in the same run (the load generator apart):",
        "",
        _row(
            f"CPU ms per delivery at {compare:.0f}/s",
            [c.label if c.commit in c.label else f"{c.label} ({c.commit})" for c, _ in platforms],
            "floor",
        ),
        "|---|" + "---|" * (len(platforms) + 1),
        _row("p50 / p99 ms", [_cells(flow["latencies"]) for _, flow in platforms], _cells(at["latencies"])),
        _row(
            "services (six uvicorn processes; the floor: its one process)",
            [f"{sum(o[s] for s in services):.2f}" for o in ours],
            f"{_ms(at, 'load generator'):.2f}",
        ),
        *[_row(part, [f"{o[part]:.2f}" for o in ours], f"{_ms(at, part):.2f}") for part in ("PostgreSQL", "broker")],
        _row("**total**", [f"**{t:.2f}**" for t in totals], f"**{floor_total[compare]:.2f}**"),
        "",
    ]
    start = totals[0]
    lines.append(
        f"A third of the first column is {start / 3:.2f} ms: issue #26's CPU target, against a floor of "
        f"{floor_total[compare]:.2f} ms for the same work with no HTTP, no process per service and no framework "
        f"({start / 3 / floor_total[compare]:.2f}× the floor). The platform spends "
        f"{totals[-1] / floor_total[compare]:.1f}× the floor."
    )
    lines += [
        "",
        f"The drain floor: {drain['posted']:,} deliveries written by 32 tasks ({drain['post_rate']:.0f}/s) while "
        "its four consumers wait in their groups, then worked off by them, timed as the platform's burst "
        f"is: drained in {drain['drained_in']:.2f} s, **{drain['drain_rate']:.0f}/s**, "
        f"{sum(_ms(drain, n) for n in PARTS):.2f} ms of CPU per delivery (PostgreSQL, broker and the one process).",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
