"""Where a report from a community belongs (IBLCE addendum, 2022).

Plain Python (no Django), shared by the services and ``postguard bench-inbox``.

- **crisis**: someone may be in danger; the inbox's crisis playbook.
- **client_complaint**: a complaint about how an IBCLC treated a *client* (CPC 6.3
  "pertains to the treatment of clients"): not decided by the community; the reporter
  is given IBLCE's complaint route and the chair is told.
- **peer_dispute**: a disagreement between members, however it is worded (a member
  "reporting" a colleague "to IBLCE" over a comment in the group is still one: "the
  group's Community Policy, together with associated procedures, is the appropriate
  method to handle disputes"); handled under the Community Policy in good faith.
- **ordinary**: none of these; a report of a message is then looked at as a possible
  breach of the policy.

The engine's signals decide crisis and complaint; short cue patterns (RE2, linear time)
decide whether the complaint is about care given to a client or about a peer's behaviour.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import re2

from postguard.engine import Report, default_engine, make_content

CRISIS = "crisis"
CLIENT_COMPLAINT = "client_complaint"
PEER_DISPUTE = "peer_dispute"
ORDINARY = "ordinary"
ROUTES = (CRISIS, CLIENT_COMPLAINT, PEER_DISPUTE, ORDINARY)


def _compile(patterns: Sequence[str]) -> list[re2._Regexp]:
    options = re2.Options()
    options.case_sensitive = False
    options.log_errors = False
    return [re2.compile(p, options) for p in patterns]


#: The reporter was (or their baby was) cared for by the person complained about.
_CARE = _compile(
    (
        r"\bmy (own )?(lactation consultant|ibclc|lc|consultant)\b",
        r"\b(ibclc|lactation consultant|consultant|she|he|they) "
        r"(saw|treated|examined|assessed|visited|weighed|diagnosed) (me|my|us|our)\b",
        r"\b(at|during|after|in|before) (my|our) (appointment|consultation|consult|"
        r"home visit|visit|session)\b",
        r"\b(as|was) (her|his|their) client\b",
        r"\brefused to (see|treat|help|examine) (me|us|my|our)\b",
        r"\b(charged|billed|overcharged) (me|us)\b",
        r"\b(treated|spoke to|handled) (me|us|my baby|my son|my daughter) "
        r"(badly|differently|unfairly|like)\b",
    )
)
#: Complaining or reporting, whatever it is about. Naming IBLCE or the CPC is not
#: enough by itself ("thanks for the thread on the CPC update").
_COMPLAINT = _compile(
    (
        r"\b(report(ing|ed)?|complain(ing|ed)?|complaint)\b",
        r"\b(violation|breach|breaking|broke|breaks) (of )?(the )?(cpc|code)\b",
        r"\b(cpc|code of (professional )?conduct) (violation|breach)\b",
        r"\bunprofessional\b",
    )
)
#: How a member says another member behaved towards them: a dispute by itself.
_PEER_CONDUCT = _compile(
    (
        r"\b(called|labelled|labeled) me\b",
        r"\b(mocking|insulting|attacking|belittling|bullying|harassing|ganging up on) me\b",
        r"\b(rude|nasty|condescending|dismissive|hostile) (to|towards) me\b",
        r"\b(deleted|deleting|removing) my (comment|comments|post|posts|reply)\b",
        r"\bpiled on\b",
    )
)
#: The community itself and the people in it: a dispute when a complaint goes with it.
_PEER_PLACE = _compile(
    (
        r"\b(in|on) (the|this|our) (group|thread|forum|channel|chat|room|server)\b",
        r"\b(thread|comment|comments|post|posts|reply|replies)\b",
        r"\b(colleague|fellow (member|ibclc)|another member|other members)\b",
        r"@[A-Za-z0-9_]{2,}",
    )
)


@dataclass(frozen=True, slots=True)
class Routing:
    route: str
    #: What decided it: engine categories and cue names, for the moderators to see.
    cues: tuple[str, ...]


def _hits(patterns: Sequence[re2._Regexp], text: str) -> list[str]:
    found = []
    for regex in patterns:
        match = regex.search(text)
        if match is not None:
            found.append(match.group(0))
    return found


def _decide(text: str, report: Report | None) -> Routing:
    categories = set(report.categories) if report is not None else set()
    if "signal.crisis" in categories:
        return Routing(CRISIS, ("signal.crisis",))
    care = _hits(_CARE, text)
    complaint = _hits(_COMPLAINT, text)
    conduct = _hits(_PEER_CONDUCT, text)
    place = _hits(_PEER_PLACE, text)
    complaining = bool(complaint) or "signal.complaint" in categories
    signals = tuple(sorted(c for c in categories if c.startswith(("signal.", "language."))))
    if care and complaining:
        return Routing(CLIENT_COMPLAINT, (*signals, *(f"care: {c}" for c in care)))
    disputing = complaining or "language.harassment" in categories
    if conduct or (place and disputing):
        return Routing(PEER_DISPUTE, (*signals, *(f"peer: {c}" for c in conduct + place)))
    return Routing(ORDINARY, signals)


def _content(text: str) -> object:
    return make_content(
        text, account="personal", kind="comment", audience="closed", direction="inbound"
    )


def route(text: str) -> Routing:
    """Classify one report or message."""
    report = default_engine().check(_content(text))  # type: ignore[arg-type]
    return _decide(text, report)


def route_many(texts: Sequence[str]) -> list[Routing]:
    reports = default_engine().check_many([_content(t) for t in texts])  # type: ignore[misc]
    return [
        _decide(t, r if isinstance(r, Report) else None)
        for t, r in zip(texts, reports, strict=True)
    ]
