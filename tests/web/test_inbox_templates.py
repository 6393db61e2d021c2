"""Every response template the playbooks offer fits the network it is offered on:
a default template too long for a network (the consultation template is about 600
characters; Bluesky takes 300) is offered there in its shorter variant."""

from __future__ import annotations

import pytest
from django.utils import timezone

from postguard.connectors.base import InboundItem
from postguard.web.inbox import services as inbox
from postguard.web.inbox.defaults import DEFAULT_PLAYBOOKS, SHORT_VARIANTS
from postguard.web.orgs import services as orgs
from postguard.web.orgs.models import Network
from postguard.web.publishing.services import network_fit

from .conftest import World

#: A long but real handle: what a template is filled in with at worst.
HANDLE = "@" + "a" * 22 + ".bsky.social"
NETWORKS = [n for n in Network.values if n != Network.OTHER]
TEMPLATES = sorted(
    {step.template for _, _, steps in DEFAULT_PLAYBOOKS.values() for step in steps if step.template}
)


def _item(world: World, network: str) -> inbox.InboxItem:
    channel = orgs.create_channel(None, world.org, name=f"Official {network}", network=network)
    chair = orgs.membership(world["chair"], world.org)
    assert chair is not None
    orgs.set_channel_authorization(None, channel, chair, True)
    (item,) = inbox.ingest(
        channel,
        [InboundItem(f"{network}-1", None, HANDLE, "Hello there", timezone.now(), "comment")],
        source="pull",
    )
    return item


@pytest.mark.parametrize("network", NETWORKS)
def test_every_default_template_fits_every_network_it_is_offered_on(
    world: World, network: str
) -> None:
    item = _item(world, network)
    for template in TEMPLATES:
        text, problems = inbox.fitted(template, item)
        assert problems == (), (network, template[:40], problems)
        fit = network_fit(item.channel, text, reply_to=item.remote_id)
        assert fit is not None and fit.problems == ()
        assert HANDLE in text or "{author}" not in template


def test_the_consultation_template_is_shortened_for_bluesky_and_kept_on_mastodon(
    world: World,
) -> None:
    (consult,) = [t for t in TEMPLATES if "individual advice" in t and len(t) > 500]
    short, _ = inbox.fitted(consult, _item(world, "bluesky"))
    long, _ = inbox.fitted(consult, _item(world, "linkedin"))
    assert short == SHORT_VARIANTS[consult].replace("{author}", HANDLE)
    assert long == consult.replace("{author}", HANDLE)


def test_no_template_promises_a_message_postguard_did_not_send() -> None:
    for template in [*TEMPLATES, *SHORT_VARIANTS.values()]:
        assert "we have sent" not in template.lower()
        assert "we sent you" not in template.lower()


def test_a_customized_template_too_long_for_the_network_is_flagged_on_the_item_page(
    world: World,
) -> None:
    from postguard.web.inbox import defaults

    defaults.install_defaults(world.org)
    item = _item(world, "bluesky")
    playbook = world.org.playbooks.get(situation="negative")
    step = playbook.steps.first()
    assert step is not None
    step.template = "{author}, " + "we hear you. " * 40
    step.save()
    item.categories = ["signal.negative"]
    item.save()
    page = world.client("chair").get(f"/inbox/{item.pk}/").content.decode()
    assert "Too long for Bluesky" in page


def test_every_default_template_and_variant_passes_the_codes_as_an_official_reply() -> None:
    from postguard.web.workflow import services as workflow

    for template in [*TEMPLATES, *SHORT_VARIANTS.values()]:
        text = template.replace("{author}", "@parent.example")
        report = workflow.check_text(text, account="official", kind="reply")
        assert report.decision != "block", (template[:40], [f.rule_id for f in report.findings])
