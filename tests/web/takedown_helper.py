"""Shared by the take-down tests: archive reports in the audit-archive format
(DIR/findings.jsonl, one JSON object a line) and the world's set-up."""

from __future__ import annotations

import json
from typing import Any

BLOCK_FINDING = {
    "rule_id": "IPALA-2a-phone",
    "pack": "ipala-social-media-2023",
    "clause": "2(a) Respect privacy and confidentiality",
    "category": "privacy.phone",
    "severity": "block",
    "start": 20,
    "end": 32,
    "message": "The post shares a phone number that belongs to a person.",
    "fix": "Remove the number.",
}
REVIEW_FINDING = {
    "rule_id": "IBLCE-advice-medical",
    "clause": "Do not give medical advice online",
    "category": "advice.medical",
    "severity": "review",
    "message": "The post gives individual medical advice.",
    "fix": "Invite the person to a consultation instead.",
}


def report_line(
    remote_id: str,
    text: str,
    *,
    network: str = "bluesky",
    findings: list[dict[str, Any]] | None = None,
    date: str | None = "2019-05-04T10:00:00Z",
    url: str | None = None,
    decision: str | None = None,
) -> str:
    found = [BLOCK_FINDING] if findings is None else findings
    worst = decision or next(
        (s for s in ("block", "review", "advise") if any(f["severity"] == s for f in found)),
        "pass",
    )
    return json.dumps(
        {
            "id": f"{network}:{remote_id}",
            "network": network,
            "remote_id": remote_id,
            "url": url,
            "date": date,
            "kind": "post",
            "text": text,
            "decision": worst,
            "findings": found,
        }
    )


def report(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode("utf-8")
