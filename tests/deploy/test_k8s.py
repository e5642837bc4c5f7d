"""deploy/k8s: every manifest valid for Kubernetes (kubernetes-validate, strict, offline
OpenAPI schemas), and wired the way the worker expects: ports, probes, settings, secrets.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml

from streams.settings import ENV_VARS, Settings

ROOT = Path(__file__).resolve().parents[2]
K8S = ROOT / "deploy/k8s"
KUSTOMIZATION = yaml.safe_load((K8S / "kustomization.yaml").read_text("utf-8"))
MANIFEST_FILES = sorted(path for path in K8S.glob("*.yaml") if path.name != "kustomization.yaml")
DEFAULTS = Settings()
KUBERNETES_VERSION = kubernetes_validate.latest_version()


def _documents(path: Path) -> list[dict[str, Any]]:
    return [doc for doc in yaml.safe_load_all(path.read_text("utf-8")) if doc]


def _by_kind() -> dict[str, dict[str, Any]]:
    resources: dict[str, dict[str, Any]] = {}
    for path in MANIFEST_FILES:
        for doc in _documents(path):
            resources[f"{doc['kind']}/{doc['metadata']['name']}"] = doc
    return resources


RESOURCES = _by_kind()
STATEFULSET = RESOURCES["StatefulSet/opguard"]
POD = STATEFULSET["spec"]["template"]
[WORKER] = POD["spec"]["containers"]
JOB = RESOURCES["Job/opguard-topics"]
[TOPICS_CONTAINER] = JOB["spec"]["template"]["spec"]["containers"]
ENV_CONFIGMAP = RESOURCES["ConfigMap/opguard-env"]["data"]


@pytest.mark.parametrize("path", MANIFEST_FILES, ids=lambda path: path.name)
def test_manifest_is_valid_kubernetes(path: Path) -> None:
    for doc in _documents(path):
        kubernetes_validate.validate(doc, KUBERNETES_VERSION, strict=True)


def test_strict_validation_rejects_an_unknown_field() -> None:
    broken = {**RESOURCES["PodDisruptionBudget/opguard"], "spek": {}}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(broken, KUBERNETES_VERSION, strict=True)


def test_kustomization_lists_every_manifest() -> None:
    assert sorted(KUSTOMIZATION["resources"]) == [path.name for path in MANIFEST_FILES]
    assert KUSTOMIZATION["namespace"] == "opguard"


def test_no_secret_is_committed() -> None:
    assert not [name for name in RESOURCES if name.startswith("Secret/")]


def test_readme_explains_creating_the_secret() -> None:
    readme = (K8S / "README.md").read_text("utf-8")
    assert "create secret generic opguard-secrets" in readme


# --- the worker pod --------------------------------------------------------------------


def _port(name: str) -> int:
    [number] = [port["containerPort"] for port in WORKER["ports"] if port["name"] == name]
    return int(number)


@pytest.mark.parametrize(
    ("name", "number"), [("web", DEFAULTS.web_port), ("metrics", DEFAULTS.metrics_port)]
)
def test_container_port(name: str, number: int) -> None:
    assert _port(name) == number


@pytest.mark.parametrize(
    ("probe", "path"),
    [("livenessProbe", "/health"), ("startupProbe", "/health"), ("readinessProbe", "/ready")],
)
def test_probe_asks_the_web_server(probe: str, path: str) -> None:
    assert WORKER[probe]["httpGet"] == {"path": path, "port": "web"}


@pytest.mark.parametrize(
    ("annotation", "value"),
    [
        ("prometheus.io/scrape", "true"),
        ("prometheus.io/port", str(DEFAULTS.metrics_port)),
        ("prometheus.io/path", "/metrics"),
    ],
)
def test_scrape_annotation(annotation: str, value: str) -> None:
    assert POD["metadata"]["annotations"][annotation] == value


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("OPGUARD_METRICS_PORT", str(DEFAULTS.metrics_port)),
        ("OPGUARD_WEB_PORT", str(DEFAULTS.web_port)),
        ("OPGUARD_STORE", "rocksdb://"),
        ("OPGUARD_DATA_DIR", "/var/lib/opguard/data"),
        ("OPGUARD_REPLICATION_FACTOR", "3"),
        ("OPGUARD_PARTITIONS", "12"),
    ],
)
def test_env_configmap_value(name: str, expected: str) -> None:
    assert ENV_CONFIGMAP[name] == expected


@pytest.mark.parametrize(
    ("container", "env_names"),
    [
        ("worker", [entry["name"] for entry in WORKER["env"]] + list(ENV_CONFIGMAP)),
        ("topics", [entry["name"] for entry in TOPICS_CONTAINER["env"]] + list(ENV_CONFIGMAP)),
    ],
)
def test_every_environment_variable_is_a_setting(container: str, env_names: list[str]) -> None:
    assert set(env_names) - set(ENV_VARS) == set()


@pytest.mark.parametrize(
    ("container", "variable", "key"),
    [
        (WORKER, "OPGUARD_FINGERPRINT_KEY", "fingerprint-key"),
        (WORKER, "OPGUARD_KAFKA_SASL_USERNAME", "kafka-sasl-username"),
        (WORKER, "OPGUARD_KAFKA_SASL_PASSWORD", "kafka-sasl-password"),
        (TOPICS_CONTAINER, "OPGUARD_KAFKA_SASL_USERNAME", "kafka-sasl-username"),
        (TOPICS_CONTAINER, "OPGUARD_KAFKA_SASL_PASSWORD", "kafka-sasl-password"),
    ],
    ids=[
        "worker-fingerprint",
        "worker-sasl-user",
        "worker-sasl-password",
        "topics-sasl-user",
        "topics-sasl-password",
    ],
)
def test_secret_comes_from_opguard_secrets(
    container: dict[str, Any], variable: str, key: str
) -> None:
    [entry] = [entry for entry in container["env"] if entry["name"] == variable]
    reference = entry["valueFrom"]["secretKeyRef"]
    assert (reference["name"], reference["key"]) == ("opguard-secrets", key)
    assert variable not in ENV_CONFIGMAP


def test_fingerprint_key_is_required() -> None:
    [entry] = [entry for entry in WORKER["env"] if entry["name"] == "OPGUARD_FINGERPRINT_KEY"]
    assert not entry["valueFrom"]["secretKeyRef"].get("optional", False)


def _mounts(container: dict[str, Any]) -> dict[str, str]:
    return {mount["mountPath"]: mount["name"] for mount in container["volumeMounts"]}


def test_tables_live_on_a_volume_claim_where_the_store_points() -> None:
    [claim] = STATEFULSET["spec"]["volumeClaimTemplates"]
    assert _mounts(WORKER)["/var/lib/opguard"] == claim["metadata"]["name"]
    assert ENV_CONFIGMAP["OPGUARD_STORE"] == "rocksdb://"
    assert ENV_CONFIGMAP["OPGUARD_DATA_DIR"].startswith("/var/lib/opguard/")


def test_policy_file_is_the_mounted_configmap_key() -> None:
    policy_path = Path(ENV_CONFIGMAP["OPGUARD_POLICY"])
    volume_name = _mounts(WORKER)[str(policy_path.parent)]
    [volume] = [v for v in POD["spec"]["volumes"] if v["name"] == volume_name]
    configmap = RESOURCES[f"ConfigMap/{volume['configMap']['name']}"]
    assert yaml.safe_load(configmap["data"][policy_path.name])["version"]


@pytest.mark.parametrize(
    ("pod_spec", "container"),
    [(POD["spec"], WORKER), (JOB["spec"]["template"]["spec"], TOPICS_CONTAINER)],
    ids=["worker", "topics"],
)
def test_runs_non_root_on_a_read_only_root_with_a_writable_tmp(
    pod_spec: dict[str, Any], container: dict[str, Any]
) -> None:
    assert pod_spec["securityContext"]["runAsNonRoot"] is True
    assert container["securityContext"]["readOnlyRootFilesystem"] is True
    assert container["securityContext"]["allowPrivilegeEscalation"] is False
    tmp = _mounts(container)["/tmp"]
    assert any(v["name"] == tmp and "emptyDir" in v for v in pod_spec["volumes"])
    assert {"requests", "limits"} <= set(container["resources"])


def test_three_workers_at_most_one_voluntarily_down() -> None:
    assert STATEFULSET["spec"]["replicas"] == 3
    pdb = RESOURCES["PodDisruptionBudget/opguard"]["spec"]
    assert pdb["maxUnavailable"] == 1
    assert pdb["selector"]["matchLabels"] == STATEFULSET["spec"]["selector"]["matchLabels"]


def test_headless_service_selects_the_workers_and_names_their_ports() -> None:
    service = RESOURCES["Service/opguard"]["spec"]
    assert service["clusterIP"] == "None"
    assert STATEFULSET["spec"]["serviceName"] == "opguard"
    labels = POD["metadata"]["labels"]
    assert service["selector"].items() <= labels.items()
    assert {(p["name"], p["port"]) for p in service["ports"]} == {
        ("web", DEFAULTS.web_port),
        ("metrics", DEFAULTS.metrics_port),
    }


@pytest.mark.parametrize(
    ("container", "args"),
    [(WORKER, ["worker"]), (TOPICS_CONTAINER, ["topics", "apply"])],
    ids=["worker", "topics"],
)
def test_container_runs_the_opguard_command(container: dict[str, Any], args: list[str]) -> None:
    assert container["args"] == args  # the image's ENTRYPOINT is `opguard`
    assert container["envFrom"] == [{"configMapRef": {"name": "opguard-env"}}]
