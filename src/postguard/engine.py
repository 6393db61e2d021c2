"""The engine: Content in, Report out, deterministically.

For each content the engine picks the rules whose scope (account, kind,
audience, direction) matches its context, runs each needed detector once
(a detector configured the same way by several rules is shared), and turns
the detectors' hits into findings that carry the rule's clause, severity,
message and fix. The batch form groups contents by detector so that models
that are faster in batches (the profanity model) are called once per batch.

Long texts are checked in windows, so that no input can stall the engine
(it runs on every keystroke of the composer and on every inbound comment):

- a text longer than :data:`WINDOW_CHARS` is cut into windows of that many
  characters, overlapping by :data:`WINDOW_OVERLAP` (cut at a space or line
  break where one is near), and each detector sees the windows one by one;
  findings are mapped back to offsets in the whole text;
- a detector that has found :data:`HIT_CAP` things in a text skips the rest of
  its windows (deterministic: the same text always stops at the same place);
- a text whose check has taken more than ``budget`` seconds of CPU time
  (default :data:`TEXT_BUDGET_S`) skips its remaining windows: a safety valve
  that normal posts, and every hostile shape the tests feed, stay well below.

When work is skipped the report says so in ``notes`` and its decision is at
least ``review``: a post that was not read to the end is not passed.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields, replace
from functools import lru_cache
from typing import Any

from postguard.content import Content, ContentError, Context, Media
from postguard.detectors.base import Detector, Document, Hit
from postguard.detectors.entities import document_entities
from postguard.detectors.imagery import check_attachments
from postguard.entities import Entity
from postguard.langid import Language, document_language
from postguard.policy.loader import Policy, load_policy, make_detector
from postguard.policy.schema import SEVERITY_RANK, Rule

DECISIONS = ("pass", "review", "block")
#: Texts longer than this are checked window by window (see the module's docstring).
WINDOW_CHARS = 10_000
WINDOW_OVERLAP = 1_000
#: Things one detector may find in one text before it skips the rest of the text.
HIT_CAP = 50
#: CPU seconds one long text may take before its remaining windows are skipped.
TEXT_BUDGET_S = 1.5


@dataclass(frozen=True, slots=True)
class Finding:
    """One rule's verdict on one thing in the content (DESIGN.md's contract)."""

    rule_id: str
    pack: str
    clause: str
    quote: str
    category: str
    severity: str
    start: int | None
    end: int | None
    media: int | None
    evidence: str
    score: float
    message: str
    fix: str
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        # Every field is a str, int, float or None: a shallow copy is enough, and
        # dataclasses.asdict (which deep-copies each value) was a tenth of a batch's time.
        data = {name: getattr(self, name) for name in _FINDING_FIELDS}
        data["score"] = round(self.score, 3)
        return data


_FINDING_FIELDS = tuple(f.name for f in fields(Finding))


@dataclass(frozen=True, slots=True)
class Report:
    findings: tuple[Finding, ...]
    decision: str
    #: What was not checked, when a long text's work was cut short (empty otherwise).
    notes: tuple[str, ...] = ()
    #: The entity layer's findings (personal data wherever it is), when asked for;
    #: None when the check ran without ``entities=True``.
    entities: tuple[Entity, ...] | None = None
    #: The text's language (:mod:`postguard.langid`): an ISO code, ``hi-en`` or
    #: ``tl-en`` for code-mixed text, ``und`` without letters; with its confidence.
    language: Language | None = None

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "decision": self.decision,
            "findings": [f.to_dict() for f in self.findings],
        }
        if self.notes:
            data["notes"] = list(self.notes)
        if self.entities is not None:
            data["entities"] = [e.to_dict() for e in self.entities]
        if self.language is not None:
            data["language"] = self.language.to_dict()
        return data

    def at_or_above(self, severity: str) -> list[Finding]:
        floor = SEVERITY_RANK[severity]
        return [f for f in self.findings if SEVERITY_RANK[f.severity] >= floor]

    @property
    def categories(self) -> set[str]:
        return {f.category for f in self.findings}


@dataclass(frozen=True, slots=True)
class _CompiledRule:
    pack: str
    rule: Rule
    severity: str
    detector_keys: tuple[str, ...]


def _key(name: str, params: dict[str, Any]) -> str:
    return name + json.dumps(params, sort_keys=True, separators=(",", ":"))


def decide(findings: Iterable[Finding]) -> str:
    worst = max((SEVERITY_RANK[f.severity] for f in findings), default=0)
    return {0: "pass", 1: "pass", 2: "review", 3: "block"}[worst]


def windows(text: str) -> list[tuple[int, int]]:
    """(start, end) of the windows a long text is checked in; one window for a short text."""
    n = len(text)
    if n <= WINDOW_CHARS:
        return [(0, n)]
    out: list[tuple[int, int]] = []
    start = 0
    while True:
        end = min(n, start + WINDOW_CHARS)
        if end < n:
            # End at a line break, else a space, in the window's last tenth.
            floor = end - WINDOW_CHARS // 10
            cut = text.rfind("\n", floor, end)
            if cut <= floor:
                cut = text.rfind(" ", floor, end)
            if cut > floor:
                end = cut
        out.append((start, end))
        if end >= n:
            return out
        start = max(start + 1, end - WINDOW_OVERLAP)
        space = text.find(" ", start, start + WINDOW_OVERLAP // 2)
        if space >= 0:
            start = space + 1


def _shift(hit: Hit, offset: int) -> Hit:
    if not offset or hit.start is None or hit.end is None:
        return hit
    return replace(hit, start=hit.start + offset, end=hit.end + offset)


class Engine:
    """Checks content against a :class:`Policy`.

    ``budget`` is the time in seconds a long text may take before its
    remaining windows are skipped (see the module's docstring).
    """

    def __init__(self, policy: Policy, *, budget: float = TEXT_BUDGET_S) -> None:
        self.policy = policy
        self.budget = budget
        self._detectors: dict[str, Detector] = {}
        self._rules: list[_CompiledRule] = []
        for pack, rule, severity in policy.rules():
            keys = []
            for ref in rule.detectors:
                key = _key(ref.name, ref.params)
                if key not in self._detectors:
                    self._detectors[key] = make_detector(ref.name, ref.params)
                keys.append(key)
            self._rules.append(_CompiledRule(pack.id, rule, severity, tuple(keys)))
        self._plan = lru_cache(maxsize=64)(self._plan_uncached)

    def _plan_uncached(self, context: Context) -> tuple[tuple[_CompiledRule, ...], tuple[str, ...]]:
        rules = tuple(
            r
            for r in self._rules
            if r.rule.applies_to.matches(
                context.account, context.kind, context.audience, context.direction
            )
        )
        keys = tuple(dict.fromkeys(k for r in rules for k in r.detector_keys))
        return rules, keys

    def check(self, content: Content, *, entities: bool = False) -> Report:
        """Check one content; raises :class:`ContentError` for content it cannot check.

        With ``entities=True`` the report also carries the entity layer's findings.
        """
        result = self.check_many([content], entities=entities)[0]
        if isinstance(result, ContentError):
            raise result
        return result

    def check_many(
        self, contents: Sequence[Content], *, entities: bool = False
    ) -> list[Report | ContentError]:
        """Check many contents; an item that cannot be checked yields its error."""
        results: list[Report | ContentError | None] = [None] * len(contents)
        docs: list[Document | None] = [None] * len(contents)
        plans: list[tuple[tuple[_CompiledRule, ...], tuple[str, ...]] | None] = []
        for index, content in enumerate(contents):
            try:
                content.validate()
            except ContentError as exc:
                results[index] = exc
                plans.append(None)
                continue
            docs[index] = Document(content)
            plans.append(self._plan(content.context))

        # detector key -> indices of the documents that need it; long texts
        # are checked on their own, window by window.
        wanted: dict[str, list[int]] = {}
        notes: list[tuple[str, ...]] = [() for _ in contents]
        hits: list[dict[str, list[Hit]]] = [{} for _ in contents]
        for index, plan in enumerate(plans):
            if plan is None:
                continue
            if len(contents[index].text) > WINDOW_CHARS:
                outcome = self._check_long(contents[index], plan[1])
                if isinstance(outcome, ContentError):
                    results[index] = outcome
                else:
                    hits[index], notes[index] = outcome
                continue
            for key in plan[1]:
                wanted.setdefault(key, []).append(index)

        for key, indices in wanted.items():
            detector = self._detectors[key]
            batch = [docs[i] for i in indices if results[i] is None]
            live = [i for i in indices if results[i] is None]
            if not batch:
                continue
            try:
                found = detector.detect_many(batch)  # type: ignore[arg-type]
            except ContentError:
                # One bad item (a corrupt image) must not sink the batch:
                # redo it one by one to pin the error on its item.
                found = []
                for i in live:
                    try:
                        found.append(detector.detect(docs[i]))  # type: ignore[arg-type]
                    except ContentError as exc:
                        results[i] = exc
                        found.append([])
            for i, item_hits in zip(live, found, strict=True):
                hits[i][key] = item_hits

        # An attachment no rule looked at must still be readable: a damaged
        # image is refused, never passed because no image rule applied.
        for index, doc in enumerate(docs):
            if doc is not None and doc.media and results[index] is None:
                try:
                    check_attachments(doc)
                except ContentError as exc:
                    results[index] = exc

        out: list[Report | ContentError] = []
        for index, plan in enumerate(plans):
            result = results[index]
            if result is not None:
                out.append(result)
                continue
            assert plan is not None
            doc = docs[index]
            assert doc is not None
            report = self._report(plan[0], hits[index], notes[index], document_language(doc))
            if entities:
                # shared with the entity detector's run on the same document
                report = replace(report, entities=document_entities(doc))
            out.append(report)
        return out

    def _check_long(
        self, content: Content, keys: Sequence[str]
    ) -> tuple[dict[str, list[Hit]], tuple[str, ...]] | ContentError:
        """Check a long text window by window, within the hit cap and the time budget."""
        text = content.text
        spans = windows(text)
        found: dict[str, list[Hit]] = {key: [] for key in keys}
        capped: dict[str, int] = {}
        # CPU time of this thread: the work this text costs, whatever else the
        # machine (or the server's other threads) is doing.
        started = time.thread_time()
        checked = 0
        for number, (start, end) in enumerate(spans):
            piece = replace(
                content, text=text[start:end], media=content.media if number == 0 else ()
            )
            doc = Document(piece)
            for key in keys:
                if key in capped:
                    continue
                try:
                    window_hits = self._detectors[key].detect(doc)
                except ContentError as exc:
                    return exc
                found[key].extend(_shift(hit, start) for hit in window_hits)
                if len(found[key]) >= HIT_CAP and number + 1 < len(spans):
                    capped[key] = end
            checked = end
            if number + 1 < len(spans) and time.thread_time() - started > self.budget:
                break
        notes = [
            f"{key.split('{')[0]} found {len(found[key])} things and stopped reading at "
            f"character {stop:,} of {len(text):,}"
            for key, stop in capped.items()
        ]
        if checked < len(text):
            notes.append(
                f"only the first {checked:,} of {len(text):,} characters were checked: "
                f"the time budget of {self.budget:g} s ran out"
            )
        return found, tuple(dict.fromkeys(notes))

    def _report(
        self,
        rules: Sequence[_CompiledRule],
        hits: dict[str, list[Hit]],
        notes: tuple[str, ...] = (),
        language: Language | None = None,
    ) -> Report:
        findings: dict[tuple[str, int | None, int | None, int | None], Finding] = {}
        for compiled in rules:
            rule = compiled.rule
            for key in compiled.detector_keys:
                for hit in hits.get(key, ()):
                    if hit.category != rule.category and hit.category != "*":
                        continue
                    if hit.score < rule.min_score:
                        continue
                    ident = (rule.id, hit.start, hit.end, hit.media)
                    if ident in findings:
                        continue
                    findings[ident] = Finding(
                        rule_id=rule.id,
                        pack=compiled.pack,
                        clause=rule.clause.section,
                        quote=rule.clause.quote,
                        category=rule.category,
                        severity=compiled.severity,
                        start=hit.start,
                        end=hit.end,
                        media=hit.media,
                        evidence=hit.evidence,
                        score=hit.score,
                        message=rule.message,
                        fix=rule.fix,
                        note=hit.note,
                    )
        ordered = sorted(
            findings.values(),
            key=lambda f: (
                f.start if f.start is not None else 1 << 60,
                -SEVERITY_RANK[f.severity],
                f.rule_id,
            ),
        )
        decision = decide(ordered)
        if notes and decision == "pass":
            decision = "review"  # not read to the end: a person should look
        return Report(tuple(ordered), decision, notes, language=language)


@lru_cache(maxsize=1)
def default_engine() -> Engine:
    """The engine with the built-in packs, built once per process."""
    return Engine(load_policy())


def make_content(
    text: str | Content,
    *,
    media: Sequence[Media] = (),
    account: str = "personal",
    kind: str = "post",
    audience: str = "public",
    direction: str = "outbound",
) -> Content:
    if isinstance(text, Content):
        return text
    context = Context(account, kind, audience, direction)  # type: ignore[arg-type]
    return Content(text=text, media=tuple(media), context=context)


def check(
    content: str | Content,
    *,
    engine: Engine | None = None,
    entities: bool = False,
    **context: Any,
) -> Report:
    """Check one post. ``content`` is a :class:`Content` or its text plus
    context keywords (``account``, ``kind``, ``audience``, ``direction``, ``media``).
    ``entities=True`` adds the entity layer's findings as ``report.entities``."""
    return (engine or default_engine()).check(make_content(content, **context), entities=entities)


def check_many(
    contents: Sequence[Content], *, engine: Engine | None = None, entities: bool = False
) -> list[Report | ContentError]:
    """Check many posts at once (faster than one by one)."""
    return (engine or default_engine()).check_many(contents, entities=entities)
