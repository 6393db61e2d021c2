"""Django for the workspace's tests only: the engine's tests run without it.

Set DATABASE_URL=postgres://postgres@127.0.0.1:5432/test to run these on
PostgreSQL (Django creates and drops its own ``test_test`` database).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "postguard.web.settings")
os.environ.setdefault("POSTGUARD_DATA_DIR", tempfile.mkdtemp(prefix="postguard-test-"))

import django

django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.test import Client  # noqa: E402

from postguard.web.orgs import services as orgs  # noqa: E402
from postguard.web.orgs.models import Channel, Organization, Role  # noqa: E402
from postguard.web.workflow import services as workflow  # noqa: E402
from postguard.web.workflow.models import Post  # noqa: E402

COMPLIANT = (
    "Join us for World Breastfeeding Week! Our volunteers will be at the town library "
    "on Saturday with information on local support groups."
)
PRIVACY = (
    "So proud of our client Sarah Jones, who finally got her baby latching! "
    "Call her on 07700 900123 to hear her story."
)
ROLES = ("admin", "chair", "reviewer", "author", "member", "outsider", "anonymous")


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    # Argon2 is the configured hasher (tested on its own); tests hash faster.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _secrets_key(monkeypatch: pytest.MonkeyPatch) -> None:
    # Inbox secrets and channel credentials are encrypted at rest: tests need a key.
    if not (
        os.environ.get("POSTGUARD_SECRETS_KEY") or os.environ.get("POSTGUARD_SECRETS_KEY_FILE")
    ):
        from cryptography.fernet import Fernet

        monkeypatch.setenv("POSTGUARD_SECRETS_KEY", Fernet.generate_key().decode())


@pytest.fixture(autouse=True)
def _audit_key_and_checkpoints(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: Any) -> None:
    # Each test's database starts empty, so its checkpoints must not outlive it: a checkpoint
    # left in a shared directory would make the next test's record look cut short.
    monkeypatch.setenv("POSTGUARD_AUDIT_CHECKPOINT_DIR", str(tmp_path_factory.mktemp("cp")))
    if not (os.environ.get("POSTGUARD_AUDIT_KEY") or os.environ.get("POSTGUARD_AUDIT_KEY_FILE")):
        monkeypatch.setenv("POSTGUARD_AUDIT_KEY", "test-audit-key-" + "k" * 32)


@pytest.fixture(autouse=True)
def _channels_need_no_connection(settings: Any) -> None:
    # Most tests approve posts for channels they never connect; the tests of the
    # refusal (test_network_limits.py) turn the requirement back on.
    settings.POSTGUARD_REQUIRE_CONNECTED_CHANNELS = False


@dataclass
class World:
    """One organization with a person in every role, a channel, and a second
    organization whose administrator is an outsider to the first."""

    org: Organization
    other_org: Organization
    channel: Channel
    closed_channel: Channel
    people: dict[str, User]

    def __getitem__(self, role: str) -> User:
        return self.people[role]

    def draft(self, text: str = COMPLIANT, *, by: str = "author", **kwargs: Any) -> Post:
        return workflow.create_post(self.people[by], self.channel, text, **kwargs)

    def submitted(self, text: str = COMPLIANT, *, by: str = "author", **kwargs: Any) -> Post:
        return workflow.submit(self.people[by], self.draft(text, by=by, **kwargs))

    def client(self, role: str) -> Client:
        client = Client()
        if role != "anonymous":
            client.force_login(self.people[role])
        return client


def make_world() -> World:
    org = orgs.create_organization("IPALA test", slug="ipala-test")
    other = orgs.create_organization("Other association", slug="other")
    people: dict[str, User] = {}
    for name, role in (
        ("admin", Role.ADMIN),
        ("chair", Role.CHAIR),
        ("reviewer", Role.REVIEWER),
        ("reviewer2", Role.REVIEWER),
        ("author", Role.AUTHORIZED),
        ("author2", Role.AUTHORIZED),
        ("member", Role.MEMBER),
    ):
        user = orgs.create_user(name, email=f"{name}@example.org")
        orgs.add_member(None, org, user, role)
        people[name] = user
    outsider = orgs.create_user("outsider", email="outsider@example.org")
    orgs.add_member(None, other, outsider, Role.ADMIN)
    people["outsider"] = outsider
    channel = orgs.create_channel(None, org, name="Bluesky", network="bluesky")
    closed = orgs.create_channel(
        None, org, name="Members' group", network="facebook", audience="closed"
    )
    for name in ("author", "author2", "chair"):
        membership = orgs.membership(people[name], org)
        assert membership is not None
        orgs.set_channel_authorization(None, channel, membership, True)
        orgs.set_channel_authorization(None, closed, membership, True)
    other_channel = orgs.create_channel(None, other, name="Other Bluesky", network="bluesky")
    outsider_membership = orgs.membership(outsider, other)
    assert outsider_membership is not None
    orgs.set_channel_authorization(None, other_channel, outsider_membership, True)
    return World(org, other, channel, closed, people)


@pytest.fixture
def world(db: None) -> Iterator[World]:
    yield make_world()


# The communities' fixtures (a community with its staff on an in-memory platform).
from .community_helper import comm, memory_platform  # noqa: E402, F401

# Presence monitoring's local HTTP server (feeds and pages), for tests/web/test_presence*.py.
from .presence_server import site  # noqa: E402, F401
