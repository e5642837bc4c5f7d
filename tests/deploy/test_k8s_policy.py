"""The policy ConfigMap the Kubernetes workers load is a valid policy: today, the default."""

from pathlib import Path

import yaml

from streams.policy import default_policy
from streams.policy.model import parse_policy

CONFIGMAP = Path(__file__).resolve().parents[2] / "deploy/k8s/configmap-policy.yaml"


def test_configmap_policy_is_valid_and_matches_the_default() -> None:
    configmap = yaml.safe_load(CONFIGMAP.read_text(encoding="utf-8"))
    policy = parse_policy(configmap["data"]["policy.yaml"])
    assert policy == default_policy()
