"""The engine's contract: findings with clause, span and fix; decisions;
scoping by context; batch equals single; bad content is refused."""

from __future__ import annotations

import pytest

import postguard
from postguard import Content, ContentError, Context, Media
from postguard.content import MAX_TEXT_CHARS
from postguard.engine import default_engine

DEMO = (
    "Baby Liam (DOB 3/4/25) at St Mary's ward 4 still isn't latching, "
    "call his mum Sarah on 07700 900123"
)
COMPLIANT = (
    "Join us for World Breastfeeding Week! Our volunteers will be at the town library "
    "on Saturday with information on local support groups."
)


def test_the_demo_post_is_blocked_with_privacy_findings_citing_both_codes() -> None:
    report = postguard.check(DEMO)
    assert report.decision == "block"
    privacy = [f for f in report.findings if f.category.startswith("privacy.")]
    cited = {(f.pack, f.clause.split(" ")[0]) for f in privacy}
    assert ("ipala-social-media-2023", "2(a)") in cited
    assert ("ipala-social-media-2023", "2(d)") in cited
    assert any(f.pack == "iblce-social-media-2022" for f in privacy)
    categories = {f.category for f in privacy}
    assert {"privacy.person", "privacy.phone", "privacy.date", "privacy.location"} <= categories


def test_every_finding_on_the_demo_post_has_a_span_that_points_at_its_evidence() -> None:
    report = postguard.check(DEMO)
    for finding in report.findings:
        assert finding.start is not None and finding.end is not None
        assert DEMO[finding.start : finding.end] == finding.evidence
        assert finding.fix and finding.quote and finding.message


def test_the_phone_number_is_flagged_at_its_exact_span() -> None:
    report = postguard.check(DEMO)
    phones = [f for f in report.findings if f.category == "privacy.phone"]
    assert phones and all(f.evidence == "07700 900123" for f in phones)


def test_a_compliant_post_passes() -> None:
    report = postguard.check(COMPLIANT, account="official")
    assert report.decision == "pass", [f.rule_id for f in report.findings]


def test_the_engine_is_deterministic() -> None:
    first = postguard.check(DEMO).to_dict()
    assert all(postguard.check(DEMO).to_dict() == first for _ in range(3))


def test_the_batch_form_gives_the_same_reports_as_one_by_one() -> None:
    contents = [
        Content(DEMO),
        Content(COMPLIANT, context=Context(account="official")),
        Content("This shit is ridiculous, you idiot.", context=Context(kind="reply")),
        Content(
            "I'm a journalist, can you comment?",
            context=Context(kind="comment", direction="inbound"),
        ),
    ]
    batch = postguard.check_many(contents)
    single = [postguard.check(c) for c in contents]
    assert [r.to_dict() for r in batch] == [r.to_dict() for r in single]  # type: ignore[union-attr]


def test_inbound_signals_are_not_applied_to_outbound_posts() -> None:
    text = "This is the most useless, disgraceful service. I want to make a complaint."
    outbound = postguard.check(text, account="official")
    inbound = postguard.check(text, kind="comment", direction="inbound", account="official")
    assert not {f.category for f in outbound.findings} & {"signal.negative", "signal.complaint"}
    assert {"signal.negative", "signal.complaint"} <= {f.category for f in inbound.findings}


@pytest.mark.parametrize(
    ("text", "account", "category"),
    [
        (
            "lol the baby in this cartoon is my son, found it online",
            "official",
            "attribution.missing",
        ),
        ("I think you are wrong about this", "official", "voice.personal_opinion"),
        ("Totally agree with @DrJane, read her thread", "official", "voice.org_endorsement"),
        (
            "Expect a letter from our lawyers about the election",
            "official",
            "information.unapproved",
        ),
    ],
)
def test_rules_about_what_members_publish_are_not_applied_to_inbound_comments(
    text: str, account: str, category: str
) -> None:
    inbound = postguard.check(text, account=account, kind="comment", direction="inbound")
    assert category not in inbound.categories


def test_personal_opinion_is_only_a_finding_on_an_official_account() -> None:
    text = "Personally I think the new guidance is a mess."
    assert "voice.personal_opinion" in postguard.check(text, account="official").categories
    assert "voice.personal_opinion" not in postguard.check(text, account="personal").categories


@pytest.mark.parametrize("text", ["", "   \n\t  "])
def test_an_empty_post_is_refused_not_passed(text: str) -> None:
    with pytest.raises(ContentError, match="empty"):
        postguard.check(text)


def test_a_post_over_the_size_limit_is_refused_with_its_size() -> None:
    with pytest.raises(ContentError, match="limit"):
        postguard.check("a" * (MAX_TEXT_CHARS + 1))


def test_an_unknown_context_value_is_refused() -> None:
    with pytest.raises(ContentError, match="account must be one of"):
        postguard.check("hello", account="corporate")


def test_a_corrupt_image_in_a_batch_is_an_error_for_its_item_only(tmp_path: object) -> None:
    bad = Content("Look at this latch!", media=(Media(data=b"\xff\xd8\xff\xe0 not really a jpeg"),))
    good = Content(DEMO)
    results = postguard.check_many([bad, good])
    assert isinstance(results[0], ContentError)
    assert not isinstance(results[1], ContentError) and results[1].decision == "block"


def test_the_default_engine_is_built_once() -> None:
    assert default_engine() is default_engine()


def test_a_text_only_check_imports_neither_scikit_learn_nor_opencv() -> None:
    # Start-up cost: scikit-learn (with SciPy) and OpenCV were about 2.5 s of
    # CPU for every new `postguard check`; the profanity model ships exported
    # and OpenCV loads with the first image.
    import os
    import subprocess
    import sys
    from pathlib import Path

    code = (
        "import sys, postguard; postguard.check('you are a complete arse, call 07700 900123'); "
        "print(sorted(m for m in ('sklearn', 'scipy', 'cv2') if m in sys.modules))"
    )
    src = Path(__file__).resolve().parents[1] / "src"
    env = {**os.environ, "PYTHONPATH": f"{src}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    assert out.stdout.strip() == "[]"
