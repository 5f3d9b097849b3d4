"""deploy/observability: the alert rules pass promtool (syntax, and their own unit tests), the
Grafana dashboard is a well-formed dashboard, and every metric either of them names is one the
running services really expose."""

import json
import re
import subprocess
from pathlib import Path
from typing import Any

import httpx
import yaml
from fours_devstack.testing import Stack, tool

HERE = Path(__file__).resolve().parents[2] / "deploy" / "observability"
FROM_PROMETHEUS = {"up"}  # written by Prometheus at each scrape, not by a service
_FUNCTIONS = {"sum", "max", "min", "rate", "increase", "deriv", "histogram_quantile", "by", "and", "le", "or"}


def test_alert_rules_pass_promtool_check_and_their_unit_tests() -> None:
    promtool = tool("promtool")  # Debian's prometheus package (.ci/run installs it)
    subprocess.run([promtool, "check", "rules", str(HERE / "alerts.yaml")], check=True, capture_output=True)
    tested = subprocess.run([promtool, "test", "rules", "alerts.test.yaml"], cwd=HERE, capture_output=True, text=True)
    assert tested.returncode == 0, tested.stdout + tested.stderr


def _dashboard() -> dict[str, Any]:
    dashboard: dict[str, Any] = json.loads((HERE / "grafana-dashboard.json").read_text())
    return dashboard


def test_the_dashboard_is_a_grafana_dashboard_on_a_chosen_prometheus() -> None:
    dashboard = _dashboard()
    assert dashboard["uid"] == "fours-platform" and dashboard["schemaVersion"] >= 36
    [variable] = dashboard["templating"]["list"]
    assert (variable["type"], variable["query"]) == ("datasource", "prometheus")
    ids = [panel["id"] for panel in dashboard["panels"]]
    assert len(ids) == len(set(ids))
    for panel in dashboard["panels"]:
        assert panel["datasource"]["uid"] == "${datasource}" and panel["targets"], panel["title"]
        assert {"h", "w", "x", "y"} <= set(panel["gridPos"])
        assert all(target["expr"] and target["refId"] for target in panel["targets"])


def _expressions() -> list[str]:
    rules = yaml.safe_load((HERE / "alerts.yaml").read_text())
    exprs = [rule["expr"] for group in rules["groups"] for rule in group["rules"]]
    return exprs + [target["expr"] for panel in _dashboard()["panels"] for target in panel["targets"]]


def _named(expr: str) -> set[str]:
    expr = re.sub(r"\{[^}]*\}|\[[^\]]*\]|\"[^\"]*\"", "", expr)  # label matchers, ranges, strings
    expr = re.sub(r"\b(by|without)\s*\([^)]*\)", "", expr)
    names = set(re.findall(r"[a-zA-Z_:][a-zA-Z0-9_:]*", expr)) - _FUNCTIONS
    return {name for name in names if not name.isdigit()}


async def test_every_metric_the_rules_and_the_dashboard_name_is_exposed_by_a_service(stack: Stack) -> None:
    exposed: set[str] = set()
    for url in stack.urls.values():
        async with httpx.AsyncClient(base_url=url) as client:
            text = (await client.get("/metrics")).text
        exposed |= set(re.findall(r"^# TYPE (\S+) ", text, flags=re.M))
        exposed |= {line.split("{")[0].split(" ")[0] for line in text.splitlines() if line and line[0] != "#"}
    named = set().union(*(_named(expr) for expr in _expressions()))
    assert named, "no metric found in the expressions"
    missing = {
        name
        for name in named - FROM_PROMETHEUS
        if name not in exposed and re.sub(r"_(bucket|count|sum|total)$", "", name) not in exposed
    }
    assert not missing, f"named in deploy/observability but exposed by no service: {sorted(missing)}"
