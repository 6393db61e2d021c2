"""People read words, not category ids: every category of the vocabulary has one."""

from __future__ import annotations

from postguard.policy.labels import category_label, pack_label, unlabelled_categories


def test_every_category_has_a_human_label() -> None:
    assert unlabelled_categories() == set()


def test_a_privacy_category_reads_as_words() -> None:
    assert category_label("privacy.person") == "Client privacy: a name"
    assert category_label("signal.crisis") == "Signal: a person may be at risk"


def test_an_unknown_category_and_pack_read_as_themselves() -> None:
    assert category_label("privacy.new_kind") == "privacy.new_kind"
    assert pack_label("acme-employer-policy", "ACME employer policy") == "ACME employer policy"
    assert pack_label("who-code") == "WHO Code"
