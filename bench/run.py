"""`make bench`: runs every benchmark (or those named: `make bench BENCH=aftersales_scheduler`); each
writes its own section of bench/RESULTS.md."""

import importlib
import sys

BENCHMARKS = [
    "delivery_flow",
    "delivery_floor",
    "aftersales_scheduler",
    "gateway_overhead",
    "payroll_month",
    "leads_crm",
    "insurance_intake",
    "parts_stock",
    "workshop_report",
    "loans",
    "retention",
    "console",
]

if __name__ == "__main__":
    for name in sys.argv[1:] or BENCHMARKS:
        importlib.import_module(f"bench.{name}").main()
