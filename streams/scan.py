"""``opguard scan``: judge text with no Kafka, for policy tuning and audits."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from streams.judge import Judgement, judge
from streams.policy.decide import PHASES
from streams.policy.model import Policy


def verdict_text(text: str, judgement: Judgement) -> str:
    """A readable verdict: the decision, each rule that fired and each finding."""
    lines = [judgement.decision.upper()]
    for hit in judgement.rules:
        lines.append(f"  rule {hit.rule}: {hit.decision}, severity {hit.severity}")
    for f in judgement.findings:
        written = text[f.start : f.end]
        lines.append(f"  {f.kind:<22} {written!r} [{f.start}:{f.end}] → {f.value}  ({f.reason})")
    if not judgement.findings:
        lines.append("  nothing found")
    return "\n".join(lines)


def judgement_record(record_id: Any, judgement: Judgement) -> dict[str, Any]:
    """The JSONL output record of one judged line."""
    return {
        "id": record_id,
        "decision": judgement.decision,
        "rules": [hit.rule for hit in judgement.rules],
        "findings": [
            {"kind": f.kind, "start": f.start, "end": f.end, "value": f.value}
            for f in judgement.findings
        ],
    }


def scan_line(line: str, policy: Policy) -> dict[str, Any]:
    """Judge one JSONL input line; a bad line gives an error record for its id."""
    try:
        record = json.loads(line)
    except ValueError as exc:
        return {"id": None, "error": f"not JSON: {exc}"}
    if not isinstance(record, dict):
        return {"id": None, "error": "not a JSON object"}
    record_id = record.get("id")
    text, contract = record.get("text"), record.get("contract") or "none"
    country = record.get("sender_country")
    if not isinstance(text, str):
        return {"id": record_id, "error": "field 'text' must be a string"}
    if contract not in PHASES:
        return {"id": record_id, "error": f"field 'contract' must be one of {', '.join(PHASES)}"}
    if country is not None and not isinstance(country, str):
        return {"id": record_id, "error": "field 'sender_country' must be a string"}
    return judgement_record(record_id, judge(text, contract, policy, country))


def scan_jsonl(lines: Iterable[str], policy: Policy) -> Iterator[str]:
    """One output line per non-blank input line, in order."""
    for line in lines:
        if line.strip():
            yield json.dumps(scan_line(line, policy), ensure_ascii=False)
