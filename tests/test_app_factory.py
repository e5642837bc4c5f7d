"""``create_app``: an application per settings, built without connecting anywhere."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from streams.app import create_app
from streams.policy import default_policy
from streams.settings import Settings

ROOT = Path(__file__).resolve().parents[1]


def test_two_apps_with_different_settings_live_in_one_process(tmp_path: Path) -> None:
    policy = tmp_path / "policy.yaml"
    shipped = ROOT / "streams/policy/default.yaml"
    policy.write_text(shipped.read_text().replace("version:", "version: test-", 1))
    a = create_app(Settings(topic_prefix="a-", redis_url="redis://127.0.0.1:1/0"))
    b = create_app(Settings(topic_prefix="b-", partitions=3, policy_path=str(policy)))

    assert (a.app.conf.id, b.app.conf.id) == ("a-opguard", "b-opguard")
    assert a.app is not b.app
    assert a.messages_topic.get_topic_name() == "a-messages"
    assert b.contract_events_topic.get_topic_name() == "b-contract-events"
    assert a.contracts is not b.contracts
    assert (a.contracts.partitions, b.contracts.partitions) == (12, 3)
    assert a.policy.version == default_policy().version
    assert b.policy.version.startswith("test-")
    assert a.redis is not b.redis
    assert {agent.name for agent in a.app.agents.values()} == {"judge_messages", "track_contracts"}
    assert [url.scheme for url in a.app.conf.broker] == ["opguard"]


def test_importing_the_app_module_builds_nothing() -> None:
    code = (
        "import streams.app as m, sys; assert m._default is None; "
        "app = m.app; assert m._default is not None and app is m.default_app().app; "
        "print(app.conf.id)"
    )
    env = {"OPGUARD_TOPIC_PREFIX": "lazy-", "PATH": "/usr/bin:/bin"}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "lazy-opguard"
