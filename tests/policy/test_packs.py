"""The built-in packs: they load, every example behaves as labelled, every
quote is verbatim from its code, and the catalogue is current."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from postguard.content import Content, Context, Media
from postguard.engine import Engine
from postguard.policy import load_policy
from postguard.policy.schema import CATEGORIES, Example, Rule
from tests.images import FIXTURES

ROOT = Path(__file__).resolve().parents[2]
POLICIES = ROOT.parent / "shared" / "policies"
POLICY = load_policy()
ENGINE = Engine(POLICY)
ALL_RULES = [(pack, rule) for pack in POLICY.packs for rule in pack.model.rules]


def example_content(example: Example) -> Content:
    context = Context(
        account=example.account or "personal",
        kind=example.kind or "post",
        audience=example.audience or "public",
        direction=example.direction or "outbound",
    )
    media = tuple(
        Media(data=FIXTURES[m.fixture](), consent=m.consent, credit=m.credit) for m in example.media
    )
    return Content(example.text, media, context)


def _example_cases() -> list[object]:
    cases = []
    for _pack, rule in ALL_RULES:
        for index, example in enumerate(rule.examples):
            label = "violating" if example.violates else "compliant"
            cases.append(pytest.param(rule, example, id=f"{rule.id}-{label}-{index}"))
    return cases


@pytest.mark.parametrize(("rule", "example"), _example_cases())
def test_every_example_behaves_as_labelled(rule: Rule, example: Example) -> None:
    report = ENGINE.check(example_content(example))
    fired = [f for f in report.findings if f.rule_id == rule.id]
    if example.violates:
        assert fired, f"{rule.id} should flag: {example.text!r}"
    else:
        assert not fired, f"{rule.id} should not flag: {example.text!r} (got {fired[0].evidence!r})"


def test_the_three_codes_are_built_in() -> None:
    assert {p.id for p in POLICY.packs} == {
        "iblce-social-media-2022",
        "ipala-social-media-2023",
        "who-code",
    }


@pytest.mark.parametrize(("pack", "rule"), ALL_RULES, ids=[r.id for _, r in ALL_RULES])
def test_every_rule_has_a_clause_examples_and_a_known_category(pack: object, rule: Rule) -> None:
    assert rule.clause.section.strip() and len(rule.clause.quote) >= 10
    assert any(e.violates for e in rule.examples)
    assert any(not e.violates for e in rule.examples)
    assert rule.category in CATEGORIES
    assert rule.message.strip() and rule.fix.strip()


def _normalise(text: str) -> str:
    text = text.replace("’", "'").replace("“", '"').replace("”", '"')
    text = re.sub(r"[*\\]", "", text)
    return re.sub(r"\s+", " ", text).strip()


def _quotes() -> list[object]:
    out = []
    for pack in POLICY.packs:
        clauses = [r.clause for r in pack.model.rules] + [p.clause for p in pack.model.provisions]
        for clause in clauses:
            out.append(
                pytest.param(pack.model.source, clause.quote, id=f"{pack.id}:{clause.quote[:30]}")
            )
    return out


@pytest.mark.parametrize(("source", "quote"), _quotes())
def test_every_quote_is_verbatim_from_its_code(source: str, quote: str) -> None:
    document = POLICIES / source
    if not document.exists():
        pytest.skip(f"the text of {source} is not available beside the project")
    assert _normalise(quote) in _normalise(document.read_text(encoding="utf-8"))


def test_the_catalogue_lists_every_provision_of_both_codes() -> None:
    sections = {
        pack.id: {r.clause.section for r in pack.model.rules}
        | {p.clause.section for p in pack.model.provisions}
        for pack in POLICY.packs
    }
    for section in (
        "1. Authorized use",
        "2(a) Respect privacy and confidentiality",
        "2(b) Share approved information",
        "2(c) Attribute sources",
        "2(d) Protect patient privacy",
        "2(e) Maintain professional boundaries",
        "2(f) Individual opinions",
        "2(g) Consistent with employer's policies",
        "3. Crisis management",
        "4. Monitoring and evaluation",
    ):
        assert section in sections["ipala-social-media-2023"]
    for section in (
        "Provision of Care",
        "Remain professional and remember that the Internet is public and forever",
        "Above all, protect patient privacy and confidentiality",
        "Information sharing",
        "Addendum: Professional Boundaries in Online Communities",
        "Addendum, CPC Provision 6.3",
    ):
        assert section in sections["iblce-social-media-2022"]


def test_docs_rules_md_is_current() -> None:
    from postguard.catalogue import render_markdown

    current = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert current == render_markdown(POLICY), (
        "docs/rules.md is stale: run `postguard rules --format markdown > docs/rules.md`"
    )


EXAMPLE_PACKS = ROOT / "examples" / "packs"


def _org_example_cases() -> list[object]:
    policy = load_policy([EXAMPLE_PACKS], builtin=False)
    return [
        pytest.param(rule, example, id=f"{rule.id}-{index}")
        for pack in policy.packs
        for rule in pack.model.rules
        for index, example in enumerate(rule.examples)
    ]


@pytest.mark.parametrize(("rule", "example"), _org_example_cases())
def test_the_example_employer_pack_behaves_as_labelled(rule: Rule, example: Example) -> None:
    engine = Engine(load_policy([EXAMPLE_PACKS], builtin=False))
    fired = [f.rule_id for f in engine.check(example_content(example)).findings]
    assert (rule.id in fired) is example.violates


@pytest.mark.parametrize(("pack", "rule"), ALL_RULES, ids=[rule.id for _, rule in ALL_RULES])
def test_every_message_and_fix_is_a_whole_sentence(pack: object, rule: Rule) -> None:
    # An unquoted " #" starts a YAML comment: "even with an #ad disclosure." once
    # became "even with an". A message cut there no longer ends a sentence.
    for what in ("message", "fix"):
        text = getattr(rule, what).rstrip()
        assert text.endswith((".", "!", "?", ")", "”", '"')), f"{rule.id} {what} is cut: {text!r}"


def test_the_who_marketing_message_keeps_its_hashtag() -> None:
    rule = next(r for _, r in ALL_RULES if r.id == "WHO-5.1-promotion")
    assert rule.message.endswith("even with an #ad disclosure.")
