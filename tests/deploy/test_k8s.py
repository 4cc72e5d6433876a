"""The Kubernetes manifests in deploy/k8s: valid for the cluster and true to how the portal runs.

Offline: kubernetes-validate carries the API schemas, so no cluster and no network are needed.
"""

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.urls import resolve

ROOT = Path(__file__).resolve().parents[2]
K8S = ROOT / "deploy" / "k8s"
FILES = sorted(K8S.glob("*.yaml"))


def documents():
    for path in FILES:
        for doc in yaml.safe_load_all(path.read_text()):
            if doc:
                yield doc


def by_kind(kind):
    return {d["metadata"]["name"]: d for d in documents() if d["kind"] == kind}


def containers(workload):
    return workload["spec"]["template"]["spec"]["containers"]


def workloads():
    return {**by_kind("Deployment"), **by_kind("Job")}


def test_every_manifest_is_valid_against_the_kubernetes_schemas():
    assert FILES, "no manifests in deploy/k8s"
    result = subprocess.run(
        [sys.executable, "-m", "kubernetes_validate", "--strict", *map(str, FILES)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_exactly_one_beat_that_never_overlaps_with_its_successor():
    beats = [
        d
        for d in by_kind("Deployment").values()
        if any("beat" in c.get("command", []) for c in containers(d))
    ]
    assert len(beats) == 1
    assert beats[0]["spec"]["replicas"] == 1
    assert beats[0]["spec"]["strategy"]["type"] == "Recreate"
    scaled = {
        h["spec"]["scaleTargetRef"]["name"] for h in by_kind("HorizontalPodAutoscaler").values()
    }
    assert beats[0]["metadata"]["name"] not in scaled


def test_web_scales_on_cpu_and_is_probed_on_separate_endpoints_that_exist():
    web = by_kind("Deployment")["ouderportaal-web"]
    hpa = by_kind("HorizontalPodAutoscaler")["ouderportaal-web"]
    assert hpa["spec"]["scaleTargetRef"]["name"] == "ouderportaal-web"
    assert hpa["spec"]["metrics"][0]["resource"]["name"] == "cpu"
    (container,) = containers(web)
    ready = container["readinessProbe"]["httpGet"]["path"]
    alive = container["livenessProbe"]["httpGet"]["path"]
    assert ready != alive
    assert resolve(ready).url_name == "ready"
    assert resolve(alive).url_name == "health"


def test_every_container_has_requests_limits_and_runs_without_root():
    for name, workload in workloads().items():
        pod = workload["spec"]["template"]["spec"]
        assert pod["securityContext"]["runAsNonRoot"] is True, name
        for container in containers(workload):
            resources = container["resources"]
            assert {"cpu", "memory"} <= set(resources["requests"]), name
            assert {"cpu", "memory"} <= set(resources["limits"]), name
            assert container["securityContext"]["allowPrivilegeEscalation"] is False, name


def secret_keys(container):
    return {
        e["name"]: e["valueFrom"]["secretKeyRef"]["key"]
        for e in container.get("env", [])
        if "valueFrom" in e
    }


def test_only_the_migration_job_connects_as_the_database_owner():
    for name, workload in workloads().items():
        for container in containers(workload):
            keys = secret_keys(container)
            if workload["kind"] == "Job":
                steps = " ".join(container["command"])
                # Grants after migrate: new tables reach the app role, the log stays append-only.
                assert "manage.py migrate" in steps and "setup_db_roles" in steps, name
                assert steps.index("manage.py migrate") < steps.index("setup_db_roles"), name
                assert keys["DATABASE_URL"] == "DATABASE_OWNER_URL", name
            else:
                assert keys["DATABASE_URL"] == "DATABASE_URL", name


def test_every_workload_runs_the_same_image():
    images = {c["image"] for w in workloads().values() for c in containers(w)}
    assert len(images) == 1, images


@pytest.mark.parametrize(
    "variable",
    sorted(
        {
            *(k for cm in by_kind("ConfigMap").values() for k in cm["data"]),
            *(
                e["name"]
                for w in workloads().values()
                for c in containers(w)
                for e in c.get("env", [])
            ),
        }
    ),
)
def test_every_variable_the_manifests_set_is_a_documented_setting(variable):
    settings_table = (
        (ROOT / "README.md").read_text().split("## Settings", 1)[1].split("\n## ", 1)[0]
    )
    assert re.search(rf"`{variable}`", settings_table), (
        f"{variable} missing from README's settings table"
    )
