"""The delivery flow's capacity: deliveries posted through the gateway, the time until both the
follow-up (aftersales) and the commission (payroll) are committed, and what each process spends on
one delivery — measured at stepped rates, after a burst, beside the raw aiokafka floor, and A/B
against another commit in the same run.

- **Steps**: ``BENCH_RATES`` (10, 20, 40, then every 20 to 160 per second), ``BENCH_STEP_SECONDS``
  (30) each, on a fresh platform per round; a checkout's steps stop after the first rate it does not
  hold (p99 over 250 ms, or the rate not achieved). Capacity is the highest rate held.
- **CPU per delivery** per process from ``/proc/<pid>/stat`` (bench/flow_round.py says how), the
  load generator apart; the raw produce → consume of as many messages on the same broker, in the
  same round, is the floor.
- **Burst**: ``BENCH_BURST`` (3,000) deliveries posted as fast as the gateway takes them while the
  four consuming services are stopped, so the whole burst is the backlog; the drain rate is how fast
  aftersales and payroll both work it off once they go on (bench/flow_round.py, ``_burst``), with the
  CPU every process spent on it.
- **A/B**: ``BENCH_AB`` names a commit (default: the code at the start of issue #26). Its git
  worktree gets its own environment (``uv sync``), and each round runs on one checkout and then the
  other, so a ratio compares two runs side by side in the same minutes.  ``BENCH_AB=`` measures this
  checkout alone.
- **Brokers**: the capacity is measured on ``BENCH_BROKER`` (tansu, as ``make dev``); with
  ``apache`` in ``BENCH_BROKERS`` (the default) a 30/s round of this checkout also runs on Apache
  Kafka, written beside tansu's.

Run: ``make bench BENCH=delivery_flow``.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.results import machine, percentile, write_section

ROOT = Path(__file__).resolve().parent.parent
START = "4bb1544"
"""The landed head when issue #26 (capacity) began: what its ratios are measured against."""
RATES = [float(r) for r in os.environ.get("BENCH_RATES", "10,20,40,60,80,100,120,140,160").split(",")]
STEP_SECONDS = float(os.environ.get("BENCH_STEP_SECONDS", "30"))
BASELINE_SECONDS = float(os.environ.get("BENCH_BASELINE_SECONDS", "15"))
BURST = int(os.environ.get("BENCH_BURST", "3000"))
AB = os.environ.get("BENCH_AB", START)
BROKER = os.environ.get("BENCH_BROKER", "tansu")
BROKERS = os.environ.get("BENCH_BROKERS", "tansu,apache").split(",")
GOAL_P99_MS = 250.0
COMPARE_RATE = 30.0
PROCESSES = ["gateway", "leads", "aftersales", "payroll", "insurance", "marketing", "PostgreSQL", "broker"]


def held(flow: dict[str, Any], rate: float) -> bool:
    """A round held its rate: p99 under the goal, 95 % of the rate achieved, no error, none missing."""
    return (
        percentile(flow["latencies"], 99) < GOAL_P99_MS
        and flow["rate"] >= 0.95 * rate
        and not flow.get("errors")
        and not flow["missing"]
    )


@dataclass
class Checkout:
    label: str
    commit: str
    python: str
    rounds: dict[float, dict[str, Any]] = field(default_factory=dict)
    burst: dict[str, Any] = field(default_factory=dict)

    def round(self, spec: dict[str, Any]) -> dict[str, Any]:
        """One round (bench/flow_round.py of this checkout's bench, on the checkout's interpreter and
        so on its code)."""
        done = subprocess.run(
            [self.python, str(ROOT / "bench" / "flow_round.py"), json.dumps(spec)],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"a round on {self.label} failed:\n{done.stderr[-3000:]}")
        return dict(json.loads(done.stdout.strip().splitlines()[-1]))

    def holds(self, rate: float) -> bool:
        return held(self.rounds[rate]["flow"], rate)

    def capacity(self) -> float:
        held = [rate for rate in self.rounds if self.holds(rate)]
        return max(held, default=0.0)


def _head() -> Checkout:
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT)
    return Checkout("this checkout", commit.stdout.strip(), sys.executable)


def _worktree(commit: str) -> Checkout:
    """A git worktree of ``commit`` with its own environment, made once and kept in the temp dir."""
    full = subprocess.run(["git", "rev-parse", "--short", commit], capture_output=True, text=True, cwd=ROOT, check=True)
    short = full.stdout.strip()
    where = Path(tempfile.gettempdir()) / f"fours-ab-{short}"
    if not (where / ".git").exists():
        subprocess.run(["git", "worktree", "add", "--force", "--detach", str(where), short], cwd=ROOT, check=True)
    uv = os.environ.get("UV") or shutil.which("uv")  # `uv run` names itself in UV
    assert uv, "uv is needed to give the worktree its environment"
    env = {k: v for k, v in os.environ.items() if k != "VIRTUAL_ENV"}
    subprocess.run([uv, "sync", "--frozen", "--quiet"], cwd=where, check=True, env=env)
    return Checkout(f"{short} (start)" if short == START else short, short, str(where / ".venv" / "bin" / "python"))


def _cells(values: list[float]) -> str:
    return f"{percentile(values, 50):.0f} / {percentile(values, 99):.0f}"


def _per_delivery_ms(round_: dict[str, Any], name: str) -> float:
    flow = round_["flow"]
    return flow["cpu"].get(name, 0.0) * 1000 / max(1, flow["posted"])


def _total_ms(round_: dict[str, Any]) -> float:
    return sum(_per_delivery_ms(round_, name) for name in [*PROCESSES, "load generator"])


def _platform_ms(round_: dict[str, Any]) -> float:
    return sum(_per_delivery_ms(round_, name) for name in PROCESSES)


def _floor_ms(round_: dict[str, Any]) -> float:
    base = round_["baseline"]
    return sum(base["cpu"].values()) * 1000 / max(1, base["messages"])


def _steps_table(checkouts: list[Checkout]) -> list[str]:
    lines = [
        "| rate asked /s | checkout | achieved /s | POST → both committed p50 / p99 ms | errors; missing "
        "| platform CPU ms per delivery | raw aiokafka p50 / p99 ms |",
        "|---|---|---|---|---|---|---|",
    ]
    for rate in RATES:
        for c in checkouts:
            if rate not in c.rounds:
                continue
            r = c.rounds[rate]
            flow = r["flow"]
            held = "" if c.holds(rate) else " (not held)"
            lines.append(
                f"| {rate:.0f} | {c.label} | {flow['rate']:.1f}{held} | {_cells(flow['latencies'])} | "
                f"{sum(flow['errors'].values())}; {flow['missing']} | {_platform_ms(r):.1f} | "
                f"{_cells(r['baseline']['latencies'])} |"
            )
    return lines


def _cpu_table(checkouts: list[Checkout], rate: float) -> list[str]:
    present = [c for c in checkouts if rate in c.rounds]
    lines = [
        "| process | " + " | ".join(c.label for c in present) + (" | ratio |" if len(present) == 2 else " |"),
        "|---|" + "---|" * (len(present) + (1 if len(present) == 2 else 0)),
    ]
    for name in [*PROCESSES, "load generator"]:
        values = [_per_delivery_ms(c.rounds[rate], name) for c in present]
        ratio = (
            f" | {values[1] / values[0]:.2f} |"
            if len(values) == 2 and values[0]
            else (" | |" if len(values) == 2 else " |")
        )
        lines.append(f"| {name} | " + " | ".join(f"{v:.2f}" for v in values) + ratio)
    totals = [_platform_ms(c.rounds[rate]) for c in present]
    ratio = f" | {totals[1] / totals[0]:.2f} |" if len(totals) == 2 and totals[0] else " |"
    lines.append("| **platform (all but the load generator)** | " + " | ".join(f"**{v:.2f}**" for v in totals) + ratio)
    floors = [_floor_ms(c.rounds[rate]) for c in present]
    lines.append(
        "| floor: raw aiokafka produce → consume, broker + client | "
        + " | ".join(f"{v:.2f}" for v in floors)
        + (" | |" if len(present) == 2 else " |")
    )
    return lines


def _burst_table(checkouts: list[Checkout]) -> list[str]:
    lines = [
        "| checkout | posted | POSTs answered /s (consumers stopped) | drained in s | drain rate /s "
        "| CPU ms per delivery in the drain | left after 600 s |",
        "|---|---|---|---|---|---|---|",
    ]
    for c in checkouts:
        b = c.burst
        cpu = sum(v for name, v in b["cpu"].items() if name != "load generator") * 1000 / max(1, b["posted"])
        lines.append(
            f"| {c.label} | {b['posted']} | {b['post_rate']:.1f} | {b['drained_in']:.2f} | {b['drain_rate']:.1f} | "
            f"{cpu:.2f} | {b['left']} |"
        )
    return lines


def _capacity(checkouts: list[Checkout]) -> None:
    going = list(checkouts)
    for rate in RATES:
        for c in list(going):  # one checkout, then the other: the same minutes for both
            c.rounds[rate] = c.round(
                {"kind": BROKER, "rate": rate, "seconds": STEP_SECONDS, "baseline_seconds": BASELINE_SECONDS}
            )
            print(f"{c.label} at {rate:.0f}/s: {_steps_table([c])[-1]}", flush=True)
            if not c.holds(rate):
                going.remove(c)
        if not going:
            break
    for c in checkouts:
        c.burst = c.round({"kind": BROKER, "burst": BURST})["burst"]
        print(f"{c.label} burst: {c.burst}", flush=True)

    common = [rate for rate in RATES if all(rate in c.rounds for c in checkouts)]
    cpu_rate = max((r for r in common if all(c.holds(r) for c in checkouts)), default=common[0])
    names = {"tansu": "tansu (memory)", "apache": "Apache Kafka 4.1.1"}
    lines = [
        f"Machine: {machine()}.",
        f"Broker: {names.get(BROKER, BROKER)}. Each round starts a fresh platform from `make dev`'s launcher (six "
        "uvicorn processes, embedded PostgreSQL, the broker) of the checkout named, on this machine beside the "
        f"load generator; {STEP_SECONDS:.0f} s of deliveries at the rate asked, then {BASELINE_SECONDS:.0f} s of "
        "raw aiokafka produce → consume on the same broker at the same rate. Rounds alternate between the "
        "checkouts; a checkout's steps end after the first rate it does not hold (p99 ≥ "
        f"{GOAL_P99_MS:.0f} ms, under 95 % of the rate, an error, or a delivery not handled within "
        "120 s).",
        "",
        "### Capacity: the highest rate held",
        "",
        "| checkout | capacity (deliveries/s with p99 < 250 ms) |",
        "|---|---|",
        *[f"| {c.label} (commit {c.commit}) | {c.capacity():.0f} |" for c in checkouts],
        "",
        "### Stepped rates",
        "",
        *_steps_table(checkouts),
        "",
        f"### CPU per delivery by process at {cpu_rate:.0f}/s (ms of CPU, user + system)",
        "",
        *_cpu_table(checkouts, cpu_rate),
        "",
        f"### Drain after a burst of {BURST:,} deliveries",
        "",
        f"The {BURST:,} deliveries are posted by 32 clients while aftersales, insurance, marketing and payroll "
        "are stopped (SIGSTOP); once leads' relay has published them all the four go on (SIGCONT). The drain "
        "runs from the first transaction that handles any of the backlog (the groups' rejoin before it left "
        "out) until aftersales and payroll have both handled all of it; its CPU is every process's from "
        "SIGCONT until then.",
        "",
        *_burst_table(checkouts),
    ]
    if len(checkouts) == 2:
        a, b = checkouts
        ratio = (b.capacity() / a.capacity()) if a.capacity() else float("nan")
        cpu = _platform_ms(b.rounds[cpu_rate]) / _platform_ms(a.rounds[cpu_rate])
        drain = b.burst["drain_rate"] / a.burst["drain_rate"] if a.burst["drain_rate"] else float("nan")
        lines += [
            "",
            f"### A/B: {b.label} (commit {b.commit}) against {a.label} (commit {a.commit})",
            "",
            "| measure | ratio | target (issue #26) |",
            "|---|---|---|",
            f"| capacity | {ratio:.2f}× | ≥ 3× |",
            f"| platform CPU per delivery at {cpu_rate:.0f}/s | {cpu:.2f} | ≤ 0.33 |",
            f"| drain rate after the burst | {drain:.2f}× | ≥ 2× |",
            "",
            "A capacity ratio is only as fine as the steps, and near a checkout's capacity one run may hold a "
            "rate that the next misses by its p99 alone: the CPU per delivery, measured at a rate both held, "
            "is the steadier figure.",
        ]
    body = "\n".join(lines)
    write_section("Delivery flow capacity (issue #26)", body)
    print(body)


def _brokers(head: Checkout) -> None:
    runs = {kind: head.round({"kind": kind, "rate": COMPARE_RATE, "seconds": 60}) for kind in BROKERS}
    names = {"tansu": "tansu (memory)", "apache": "Apache Kafka 4.1.1 (KRaft, disk)"}

    def cells(values: list[float]) -> str:
        return f"{percentile(values, 50):.1f} / {percentile(values, 99):.1f} / {max(values, default=float('nan')):.1f}"

    lines = [
        f"Machine: {machine()}.",
        f"Load: {int(COMPARE_RATE * 60)} deliveries through the gateway at {COMPARE_RATE:.0f}/s for 60 s on each "
        "broker, one after the other in this run, the whole platform from `make dev`'s launcher on this machine "
        "beside the load generator (bench/flow_round.py); the per-user rate limit is lifted, since one user "
        "posts every delivery. The services use each broker's settings (README, Brokers); the capacity on "
        "this machine is in the next section.",
        "",
        "| measure (p50 / p99 / max ms) | " + " | ".join(names[k] for k in runs) + " |",
        "|---|" + "---|" * len(runs),
        "| POST → follow-up and commission committed | "
        + " | ".join(cells(r["flow"]["latencies"]) for r in runs.values())
        + " |",
        "| raw aiokafka produce → consume (baseline) | "
        + " | ".join(cells(r["baseline"]["latencies"]) for r in runs.values())
        + " |",
        "| achieved rate /s | " + " | ".join(f"{r['flow']['rate']:.1f}" for r in runs.values()) + " |",
        "| platform CPU ms per delivery | " + " | ".join(f"{_platform_ms(r):.1f}" for r in runs.values()) + " |",
        "| errors; never seen by both consumers | "
        + " | ".join(f"{sum(r['flow']['errors'].values())}; {r['flow']['missing']}" for r in runs.values())
        + " |",
    ]
    body = "\n".join(lines)
    write_section("Delivery → follow-up and commission (issue: foundation)", body)
    print(body)


def main() -> None:
    head = _head()
    checkouts = [_worktree(AB), head] if AB else [head]
    _capacity(checkouts)
    if len(BROKERS) > 1:
        _brokers(head)


if __name__ == "__main__":
    main()
