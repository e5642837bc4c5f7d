from pathlib import Path
from typing import Any

import phonenumbers
import pytest
import yaml

from streams.policy import PolicyError, default_policy, load_policy, policy_from_mapping
from streams.policy.model import RULES

DEFAULT = Path(__file__).parents[2] / "streams" / "policy" / "default.yaml"


def _default_data() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(DEFAULT.read_text())
    return data


def test_shipped_default_names_upwork() -> None:
    policy = default_policy()
    assert policy.version
    assert policy.platform_name == "Upwork"
    assert policy.platform_domains == ("upwork.com",)
    assert set(policy.rules) == set(RULES)
    assert policy.require_escrow_funded is False


def test_default_phone_regions_are_phonenumbers_regions() -> None:
    assert set(default_policy().phone_regions) <= phonenumbers.SUPPORTED_REGIONS


def test_load_policy_reads_a_file(tmp_path: Path) -> None:
    data = _default_data()
    data["version"] = "test.1"
    path = tmp_path / "policy.yaml"
    path.write_text(yaml.safe_dump(data))
    assert load_policy(path).version == "test.1"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda d: d["rules"]["contact_before_contract"].update(severity="hgh"),
         "rules.contact_before_contract.severity"),
        (lambda d: d.update(split="many"), "split"),
        (lambda d: d["rules"]["scam_pattern"].update(when=[["phone", "fax"]]),
         "rules.scam_pattern.when[0][1]"),
        (lambda d: d["rules"]["off_platform_payment"].update(phases=["signed"]),
         "rules.off_platform_payment.phases[0]"),
        (lambda d: d["rules"]["contact_before_contract"].update(unless=["scam_pattern"]),
         "rules.contact_before_contract.unless"),
        (lambda d: d["rules"].pop("scam_pattern"), "rules.scam_pattern"),
        (lambda d: d.pop("version"), "version"),
        (lambda d: d["repeat_offender"].update(threshold=0), "repeat_offender.threshold"),
        (lambda d: d.update(phone_regions=["US", "UK"]), "phone_regions[1]"),
        (lambda d: d["platform"].update(domains=["Up Work"]), "platform.domains[0]"),
        (lambda d: d["rules"].update(made_up_rule={"severity": "low", "decision": "warning"}),
         "rules.made_up_rule"),
    ],
)  # fmt: skip
def test_invalid_policy_names_the_field(change: Any, field: str) -> None:
    data = _default_data()
    change(data)
    with pytest.raises(PolicyError) as error:
        policy_from_mapping(data)
    assert error.value.field == field
    assert field in str(error.value)


@pytest.mark.parametrize(
    ("kind", "value", "allowed"),
    [
        ("email", "support@upwork.com", True),
        ("email", "john@upwork.com", True),
        ("email", "john@gmail.com", False),
        ("meeting_link", "https://upwork.zoom.us/j/123456789", True),
        ("meeting_link", "https://zoom.us/j/123456789", False),
        ("messaging_link", "https://www.upwork.com/messages/rooms/1", True),
        ("phone", "+19175550142", False),
    ],
)
def test_platform_allow_list(kind: str, value: str, allowed: bool) -> None:
    from streams.detection.findings import Finding

    assert default_policy().is_allowed(Finding(kind, 0, 1, value, "")) is allowed


# The host of a URL as the link detectors write it is read without ``urlsplit``; every
# other URL still goes through it.  Both give ``urlsplit(url).hostname or ""``.
@pytest.mark.parametrize(
    "url",
    [
        "https://zoom.us/j/8474751589",
        "https://upwork.zoom.us/j/123456789",
        "https://paypal.me/maria",
        "https://t.me/john_work",
        "https://github.com/john/portfolio",
        "https://wa.me/19175550142?text=hi",
        "https://example.com#top",
        "https://ko-fi.com",
        "https://",
        "https:///path",
        "https://Zoom.US/j/1",  # upper case: urlsplit lowers it
        "https://user@evil.com/x",  # userinfo
        "https://zoom.us:443/j/1",  # a port
        "https://[::1]/x",  # an IPv6 literal
        "https://zo\tom.us/j/1",  # a tab urlsplit removes
        "https://zoom.us\\@evil.com/",
        "https://xn--80ak6aa92e.com/a",
        "https://zoom.us/j/1 and more",
    ],
)
def test_link_host_is_urlsplits(url: str) -> None:
    from urllib.parse import urlsplit

    from streams.policy.model import _host

    assert _host(url) == (urlsplit(url).hostname or "")


# The allowed meeting links of a policy are matched as one compiled pattern: the same
# answer as ``fnmatchcase`` with each of them.
@pytest.mark.parametrize(
    "patterns",
    [
        ("https://upwork.zoom.us/*", "https://*.upwork.com/*"),
        (),
        ("https://meet.google.com/abc-*-xyz",),
        ("https://teams.microsoft.com/l/meetup-join/[0-9]*", "https://*?x=[!a]*"),
    ],
)
@pytest.mark.parametrize(
    "value",
    [
        "https://upwork.zoom.us/j/123",
        "https://zoom.us/j/123",
        "https://www.upwork.com/messages/1",
        "https://upwork.com/x",
        "https://meet.google.com/abc-def-xyz",
        "https://meet.google.com/abc-def-xyzz",
        "https://teams.microsoft.com/l/meetup-join/19%3ameeting",
        "https://a.b/?x=b",
        "https://a.b/?x=a",
        "https://upwork.zoom.us/\n",
    ],
)
def test_allowed_links_match_as_fnmatch(patterns: tuple[str, ...], value: str) -> None:
    from fnmatch import fnmatchcase

    from streams.policy.model import _matching_any

    expected = any(fnmatchcase(value, pattern) for pattern in patterns)
    assert (_matching_any(patterns)(value) is not None) is expected
