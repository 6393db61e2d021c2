"""Loading packs: a bad pack is refused with file, line and reason; an
organization's own packs add rules and override severities."""

from __future__ import annotations

from pathlib import Path

import pytest

from postguard.engine import Engine, make_content
from postguard.policy import PolicyError, load_pack, load_policy

GOOD_RULE = """\
pack: acme-employer
title: Acme Health employer policy
source: Acme Health social media policy
edition: "2024"
rules:
  - id: ACME-1-patients
    title: Naming the employer's wards
    category: information.confidential
    clause:
      section: "1. Confidential operations"
      quote: "Do not post about ward staffing levels."
    detectors:
      - name: lexicon
        params: {category: information.confidential, phrases: [staffing levels, short-staffed]}
    severity: review
    message: The post discusses ward staffing, which the employer keeps confidential.
    fix: Remove the staffing details.
    examples:
      - {text: "We are so short-staffed on ward 9 tonight.", violates: true}
      - {text: "Lovely shift tonight.", violates: false}
"""


def write(tmp_path: Path, text: str, name: str = "pack.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_it_loads_an_organizations_pack(tmp_path: Path) -> None:
    pack = load_pack(write(tmp_path, GOOD_RULE))
    assert pack.id == "acme-employer"
    assert [r.id for r in pack.model.rules] == ["ACME-1-patients"]


def test_an_organizations_pack_adds_its_rules_to_the_builtin_ones(tmp_path: Path) -> None:
    write(tmp_path, GOOD_RULE)
    engine = Engine(load_policy([tmp_path]))
    report = engine.check(make_content("Ward 9 is short-staffed again tonight."))
    assert [f.rule_id for f in report.findings] == ["ACME-1-patients"]
    assert report.decision == "review"


def test_an_organization_can_override_a_builtin_severity(tmp_path: Path) -> None:
    write(tmp_path, GOOD_RULE + "overrides:\n  IPALA-2e-vulgar: {severity: advise}\n")
    engine = Engine(load_policy([tmp_path]))
    severities = {
        f.rule_id: f.severity for f in engine.check(make_content("What a shitty day.")).findings
    }
    assert severities.get("IPALA-2e-vulgar") == "advise"


def test_a_rule_can_be_switched_off_from_the_command_line_overrides() -> None:
    engine = Engine(load_policy(severity_overrides={"IPALA-2e-vulgar": "off"}))
    ids = {f.rule_id for f in engine.check(make_content("What a shitty day.")).findings}
    assert "IPALA-2e-vulgar" not in ids


def test_an_override_of_an_unknown_rule_is_refused() -> None:
    with pytest.raises(PolicyError, match="unknown rule NOPE-1"):
        load_policy(severity_overrides={"NOPE-1": "off"})


BROKEN = [
    ("not yaml", "pack: [unclosed\n", 2, "not valid YAML"),
    ("empty file", "", None, "the file is empty"),
    ("a list, not a mapping", "- a\n- b\n", 1, "must be a mapping"),
    (
        "unknown field",
        GOOD_RULE.replace("    severity: review", "    severity: review\n    colour: red"),
        16,
        "unknown field 'colour'",
    ),
    (
        "missing quote",
        GOOD_RULE.replace('      quote: "Do not post about ward staffing levels."\n', ""),
        10,
        "missing field 'quote'",
    ),
    ("bad severity", GOOD_RULE.replace("severity: review", "severity: urgent"), 15, "severity"),
    (
        "unknown category",
        GOOD_RULE.replace(
            "category: information.confidential\n    clause", "category: info.secret\n    clause"
        ),
        8,
        "unknown category",
    ),
    (
        "unknown detector",
        GOOD_RULE.replace("- name: lexicon", "- name: mind_reader"),
        13,
        "unknown detector 'mind_reader'",
    ),
    (
        "bad detector parameter",
        GOOD_RULE.replace("phrases: [", "phrazes: ["),
        13,
        "does not take phrazes",
    ),
    (
        "no compliant example",
        GOOD_RULE.replace("violates: false", "violates: true"),
        6,
        "needs at least one compliant example",
    ),
    (
        "duplicate key",
        GOOD_RULE.replace("    severity: review", "    severity: review\n    severity: block"),
        16,
        "appears twice",
    ),
    ("an alias", GOOD_RULE + "copy: *nowhere\n", 21, "aliases (*nowhere) are not allowed"),
    (
        "an anchor",
        GOOD_RULE.replace("title: Acme Health", "title: &t Acme Health"),
        2,
        "anchors (&t) are not allowed",
    ),
    (
        "a python tag",
        "pack: x\ntitle: !!python/object/apply:os.system [ls]\n",
        2,
        "the tag !!python/object/apply:os.system is not allowed",
    ),
    ("a local tag", "pack: !secret x\n", 1, "the tag !secret is not allowed"),
    ("deep nesting", "pack: x\nrules: " + "[" * 1000 + "]" * 1000, 2, "more than 20 levels"),
    ("a 5,000-digit number", "pack: x\ntitle: " + "7" * 5000, 2, "a number of 5,000"),
    ("a long hex number", "pack: x\ntitle: 0x" + "f" * 60, 2, "a number of 62"),
    ("an impossible date", "pack: x\nedition: 2024-02-30\n", 2, "day is out of range"),
    (
        "an invalid RE2 pattern",
        GOOD_RULE.replace("- name: lexicon", "- name: pattern").replace(
            "phrases: [staffing levels, short-staffed]", "patterns: ['(unclosed']"
        ),
        13,
        "pattern '(unclosed' is not valid: missing ): (unclosed",
    ),
]


@pytest.mark.parametrize(("case", "text", "line", "reason"), BROKEN, ids=[b[0] for b in BROKEN])
def test_it_refuses_a_broken_pack_with_file_line_and_reason(
    tmp_path: Path, case: str, text: str, line: int | None, reason: str
) -> None:
    path = write(tmp_path, text)
    with pytest.raises(PolicyError) as caught:
        load_pack(path)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(str(path))
    assert reason in message
    if line is not None:
        assert caught.value.line == line


def test_it_refuses_a_pack_that_is_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_bytes(b"pack: x\ntitle: \xff\xfe\n")
    with pytest.raises(PolicyError, match=r"bad.yaml:2: not valid UTF-8"):
        load_pack(path)


def test_it_refuses_a_missing_policy_directory(tmp_path: Path) -> None:
    with pytest.raises(PolicyError, match="no such file or directory"):
        load_policy([tmp_path / "nowhere"])


def test_it_refuses_two_packs_defining_the_same_rule_id(tmp_path: Path) -> None:
    write(tmp_path, GOOD_RULE, "a.yaml")
    write(tmp_path, GOOD_RULE.replace("pack: acme-employer", "pack: acme-copy"), "b.yaml")
    with pytest.raises(PolicyError, match="ACME-1-patients is already defined"):
        load_policy([tmp_path])


def test_a_pattern_rule_with_an_invalid_regex_is_refused(tmp_path: Path) -> None:
    text = GOOD_RULE.replace("- name: lexicon", "- name: pattern").replace(
        "phrases: [staffing levels, short-staffed]", "patterns: ['(unclosed']"
    )
    with pytest.raises(PolicyError, match="is not valid"):
        load_pack(write(tmp_path, text))


def test_a_billion_laughs_pack_is_refused_before_anything_expands(tmp_path: Path) -> None:
    # Ten levels of nine aliases: walking the composed tree would visit
    # 9**10 nodes. The refusal comes from the event stream, at the first anchor.
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, 10):
        name, previous = chr(ord("a") + level), chr(ord("a") + level - 1)
        lines.append(f"{name}: &{name} [{', '.join([f'*{previous}'] * 9)}]")
    path = write(tmp_path, GOOD_RULE + "\n".join(lines) + "\n")
    with pytest.raises(PolicyError, match="anchors") as caught:
        load_pack(path)
    assert caught.value.line == 21


def test_plain_yaml_tags_and_values_still_load(tmp_path: Path) -> None:
    text = GOOD_RULE.replace('edition: "2024"', "edition: !!str 2024").replace(
        "title: Naming", "title: ! Naming"
    )
    assert load_pack(write(tmp_path, text)).model.edition == "2024"


def test_a_rule_defined_twice_is_refused_at_its_line(tmp_path: Path) -> None:
    write(tmp_path, GOOD_RULE, "a.yaml")
    write(tmp_path, GOOD_RULE.replace("pack: acme-employer", "pack: acme-copy"), "b.yaml")
    with pytest.raises(PolicyError, match=r"b\.yaml:6: rule id ACME-1-patients is already"):
        load_policy([tmp_path])


def test_a_policy_directory_without_packs_is_refused(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("packs go here", encoding="utf-8")
    with pytest.raises(PolicyError, match=r"no \.yaml or \.yml packs in this directory"):
        load_policy([tmp_path])


def test_the_same_pack_loaded_twice_is_refused(tmp_path: Path) -> None:
    write(tmp_path, GOOD_RULE, "a.yaml")
    with pytest.raises(PolicyError, match="pack acme-employer is already loaded"):
        load_policy([tmp_path / "a.yaml", tmp_path / "a.yaml"])
