"""What production uses, checked as far as this machine allows (no container engine here): the
kustomize overlays render and validate strictly against Kubernetes, compose.yaml validates against
the Compose specification, and the Dockerfile passes hadolint."""

import shutil
import subprocess
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml
from fours_devstack.testing import tool

ROOT = Path(__file__).resolve().parents[2]
K8S_VERSION = "1.32.0"
PROCESSES = ["leads", "aftersales", "insurance", "marketing", "payroll", "gateway"]


def _render(overlay: str) -> list[dict[str, Any]]:
    kubectl = shutil.which("kubectl")
    assert kubectl, "kubectl is needed to render the kustomize overlays"
    out = subprocess.run(
        [kubectl, "kustomize", str(ROOT / "deploy" / "k8s" / "overlays" / overlay)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [doc for doc in yaml.safe_load_all(out) if doc]


@pytest.mark.parametrize("overlay", ["dev", "prod"])
def test_overlay_renders_and_every_manifest_validates_strictly(overlay: str) -> None:
    docs = _render(overlay)
    for doc in docs:
        kubernetes_validate.validate(doc, K8S_VERSION, strict=True)
    kinds = {
        (d["kind"], d["metadata"]["name"].rsplit("-", 1)[0] if d["kind"] == "ConfigMap" else d["metadata"]["name"])
        for d in docs
    }
    for name in PROCESSES:
        for kind, suffix in [
            ("Deployment", "api"),
            ("Service", "api"),
            ("HorizontalPodAutoscaler", "api"),
            ("PodDisruptionBudget", "api"),
            ("Job", "migrate"),
        ]:
            assert (kind, f"{name}-{suffix}") in kinds, f"{overlay}: {kind} {name}-{suffix} missing"
        assert ("ConfigMap", f"{name}-config") in kinds
    assert {d["metadata"]["namespace"] for d in docs} == {"fours-dev" if overlay == "dev" else "fours"}


@pytest.mark.parametrize("overlay", ["dev", "prod"])
def test_every_deployment_probes_its_health_runs_as_non_root_and_waits_for_migrations(overlay: str) -> None:
    for doc in _render(overlay):
        if doc["kind"] != "Deployment":
            continue
        pod = doc["spec"]["template"]["spec"]
        [container] = pod["containers"]
        assert container["readinessProbe"]["httpGet"]["path"].startswith("/readyz")
        assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
        assert container["resources"]["requests"] and container["resources"]["limits"]["memory"]
        assert pod["securityContext"]["runAsNonRoot"] is True
        env = {e["name"]: e.get("value") for e in container["env"]}
        assert env["RUN_MIGRATIONS"] == "false", "migrations run in the Job before rollout"
        secret_refs = [s["secretRef"]["name"] for s in container["envFrom"] if "secretRef" in s]
        assert secret_refs == [doc["metadata"]["name"].removesuffix("-api") + "-database"]
        scrape = doc["spec"]["template"]["metadata"]["annotations"]
        [port] = [p["containerPort"] for p in container["ports"] if p["name"] == "http"]
        assert scrape == {
            "prometheus.io/scrape": "true",
            "prometheus.io/port": str(port),
            "prometheus.io/path": "/metrics",
        }


def test_prod_runs_at_least_two_replicas_of_everything() -> None:
    docs = _render("prod")
    assert {d["spec"]["replicas"] for d in docs if d["kind"] == "Deployment"} == {2}
    assert {d["spec"]["minReplicas"] for d in docs if d["kind"] == "HorizontalPodAutoscaler"} == {2}


def test_compose_file_validates_against_the_compose_specification() -> None:
    result = subprocess.run(
        [tool("check-jsonschema"), "--builtin-schema", "vendor.compose-spec", str(ROOT / "deploy" / "compose.yaml")],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    compose = yaml.safe_load((ROOT / "deploy" / "compose.yaml").read_text())
    assert compose["services"]["kafka"]["image"].startswith("apache/kafka")
    assert set(PROCESSES) <= set(compose["services"])
    env_example = (ROOT / "deploy" / ".env.example").read_text()
    for name in PROCESSES:
        assert f"{name.upper()}_DB_PASSWORD=" in env_example


def test_dockerfile_passes_hadolint() -> None:
    result = subprocess.run([tool("hadolint"), str(ROOT / "Dockerfile")], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    text = (ROOT / "Dockerfile").read_text()
    assert "USER 10001" in text and "HEALTHCHECK" in text and "--no-dev" in text
