"""The policy: a versioned YAML file validated against ``policy.schema.json``.

``load_policy(path)`` and ``default_policy()`` return a frozen :class:`Policy`; an
invalid file raises :class:`PolicyError` naming the field.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from fnmatch import translate
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import phonenumbers
import yaml

from streams.detection.findings import Finding
from streams.detection.matcher import cache_dir as _cache_dir
from streams.policy.rules import RULES, Rule

_LINK_KINDS = frozenset({"messaging_link", "meeting_link", "social_profile", "payment_account"})


class PolicyError(ValueError):
    """The policy file is invalid; the message names the field."""

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"policy field '{field}': {problem}")
        self.field = field


@dataclass(frozen=True, slots=True)
class RulePolicy:
    """One row of the policy's ``rules``: it fires in ``phases`` when every kind set of
    ``when`` has a finding, unless a rule of ``unless`` fired (empty ``when``: the
    streaming layer's rule)."""

    severity: str
    decision: str = "violation"
    notice: str | None = None
    when: tuple[frozenset[str], ...] = ()
    unless: tuple[str, ...] = ()
    phases: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Policy:
    version: str
    platform_name: str
    platform_domains: tuple[str, ...]
    support_addresses: frozenset[str]
    allowed_meeting_links: tuple[str, ...]
    rules: Mapping[str, RulePolicy]
    require_escrow_funded: bool
    repeat_offender_threshold: int
    repeat_offender_window_seconds: int
    warning_throttle_seconds: int
    split_max_fragments: int
    split_window_seconds: int
    phone_regions: tuple[str, ...]

    def severity(self, rule: Rule | str) -> str:
        return self.rules[rule].severity

    def notice(self, rule: Rule | str) -> str | None:
        return self.rules[rule].notice

    def is_platform_domain(self, host: str) -> bool:
        host = host.lower().rstrip(".")
        return any(host == d or host.endswith("." + d) for d in self.platform_domains)

    def is_allowed(self, finding: Finding) -> bool:
        """Whether ``finding`` is the platform's own (domain, support address, call link)."""
        if finding.kind == "email":
            return finding.value in self.support_addresses or self.is_platform_domain(
                finding.value.rpartition("@")[2]
            )
        if finding.kind in _LINK_KINDS and finding.value.startswith("https://"):
            host = _host(finding.value)
            return self.is_platform_domain(host) or (
                _matching_any(self.allowed_meeting_links)(finding.value) is not None
            )
        return False


# A URL as the link detectors write it ("https://zoom.us/j/123"): a host of lower-case
# letters, digits, dots and hyphens, then the path, query, fragment or the end.  There
# ``urlsplit(url).hostname`` is that host as written.
_PLAIN_URL = re.compile(r"https://([a-z0-9.\-]*)(?=[/?#]|\Z)")


@lru_cache(maxsize=16)  # one per policy loaded
def _matching_any(patterns: tuple[str, ...]) -> Callable[[str], re.Match[str] | None]:
    """What ``any(fnmatchcase(value, p) for p in patterns)`` asks, as one compiled
    ``match``: a match is a value some pattern matches."""
    if not patterns:
        return lambda _: None
    return re.compile("|".join(translate(pattern) for pattern in patterns)).match


def _host(url: str) -> str:
    """``urlsplit(url).hostname or ""``, without ``urlsplit`` for a plain URL."""
    plain = _PLAIN_URL.match(url)
    if plain is not None:
        return plain.group(1)
    return urlsplit(url).hostname or ""


@lru_cache(maxsize=1)
def _schema() -> dict[str, Any]:
    text = resources.files("streams.policy").joinpath("policy.schema.json").read_text()
    schema: dict[str, Any] = json.loads(text)
    return schema


def _field(path: Any) -> str:
    parts: list[str] = []
    for part in path:
        parts.append(f"[{part}]" if isinstance(part, int) else f".{part}")
    return "".join(parts).lstrip(".") or "(top level)"


def _validate(data: Any) -> None:
    """Raise :class:`PolicyError` naming the first field ``data`` gets wrong."""
    import jsonschema  # ~70 ms to import: only for a policy not validated before

    validator = jsonschema.Draft202012Validator(_schema())
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
    if errors:
        error = errors[0]
        field = _field(error.absolute_path)
        if error.validator == "required":
            missing = next(r for r in error.validator_value if r not in error.instance)
            field = f"{field}.{missing}" if error.absolute_path else missing
        raise PolicyError(field, error.message)


def _validated_before(data: Any) -> Path | None:
    """The cache marker of ``data``'s schema check: a file named by a hash of the schema
    and the document, written once the document passed (a policy file is read at every
    worker and CLI start; checking it again gives the same answer)."""
    if not isinstance(data, dict):
        return None
    schema = resources.files("streams.policy").joinpath("policy.schema.json").read_bytes()
    digest = hashlib.sha256(schema + json.dumps(data, sort_keys=True, default=str).encode())
    return _cache_dir() / f"policy-valid-{digest.hexdigest()[:24]}"


def policy_from_mapping(data: Any) -> Policy:
    """Validate ``data`` (a parsed YAML document) and build the :class:`Policy`."""
    marker = _validated_before(data)
    if marker is None or not marker.exists():
        _validate(data)
        if marker is not None:
            with contextlib.suppress(OSError):  # a read-only cache: check again next time
                marker.parent.mkdir(parents=True, exist_ok=True)
                marker.touch()
    for index, region in enumerate(data["phone_regions"]):
        if region not in phonenumbers.SUPPORTED_REGIONS:
            hint = " (did you mean GB?)" if region == "UK" else ""
            raise PolicyError(
                f"phone_regions[{index}]", f"{region!r} is not a phonenumbers region{hint}"
            )
    platform = data["platform"]
    rules = _rules(data["rules"])
    return Policy(
        version=data["version"],
        platform_name=platform["name"],
        platform_domains=tuple(d.lower() for d in platform["domains"]),
        support_addresses=frozenset(a.lower() for a in platform.get("support_addresses", [])),
        allowed_meeting_links=tuple(platform.get("allowed_meeting_links", [])),
        rules=rules,
        require_escrow_funded=data["require_escrow_funded"],
        repeat_offender_threshold=data["repeat_offender"]["threshold"],
        repeat_offender_window_seconds=data["repeat_offender"]["window_seconds"],
        warning_throttle_seconds=data["warning_throttle_seconds"],
        split_max_fragments=data["split"]["max_fragments"],
        split_window_seconds=data["split"]["window_seconds"],
        phone_regions=tuple(data["phone_regions"]),
    )


def _rules(rows: dict[str, Any]) -> dict[str, RulePolicy]:
    """The rule rows, checked against :class:`Rule` (every rule named, no other)."""
    for name in rows:
        if name not in RULES:
            raise PolicyError(f"rules.{name}", f"unknown rule; expected one of {', '.join(RULES)}")
    for name in RULES:
        if name not in rows:
            raise PolicyError(f"rules.{name}", "missing")
    rules: dict[str, RulePolicy] = {}
    for name, row in rows.items():
        for other in row.get("unless", []):
            if other not in rules:
                raise PolicyError(f"rules.{name}.unless", f"{other!r} is not a rule listed before")
        rules[name] = RulePolicy(
            severity=row["severity"],
            decision=row["decision"],
            notice=row.get("notice"),
            when=tuple(frozenset(kinds) for kinds in row.get("when", [])),
            unless=tuple(row.get("unless", [])),
            phases=frozenset(row.get("phases", [])),
        )
    return rules


def parse_policy(text: str) -> Policy:
    """A policy from YAML text."""
    try:
        data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:
        raise PolicyError("(file)", f"not valid YAML: {exc}") from exc
    return policy_from_mapping(data)


def load_policy(path: str | Path) -> Policy:
    """The policy in the YAML file at ``path``."""
    return parse_policy(Path(path).read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def default_policy() -> Policy:
    """The shipped policy (``default.yaml``)."""
    return parse_policy(resources.files("streams.policy").joinpath("default.yaml").read_text())
