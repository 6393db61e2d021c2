"""The contract's helpers, the registry, and secrets encrypted at rest."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from postguard.connectors import REGISTRY, UnknownNetwork, connector_class
from postguard.connectors.base import (
    Capabilities,
    Connector,
    Credentials,
    OutgoingPost,
    TokenExpired,
    compose_text,
    normalize_for_match,
    parse_time,
)
from postguard.connectors.crypto import (
    ENV_KEY,
    ENV_KEY_FILE,
    DecryptionError,
    SecretBox,
    SecretsKeyError,
    generate_key,
)
from tests.connectors.fakes import FakeNetwork


@pytest.mark.parametrize(
    ("post", "text"),
    [
        (OutgoingPost("Read this", link="https://e.org/a"), "Read this\n\nhttps://e.org/a"),
        (OutgoingPost("Read https://e.org/a today", link="https://e.org/a"),
         "Read https://e.org/a today"),
        (OutgoingPost("", link="https://e.org/a"), "https://e.org/a"),
        (OutgoingPost("Just text"), "Just text"),
    ],
)  # fmt: skip
def test_a_link_is_appended_unless_the_text_has_it(post: OutgoingPost, text: str) -> None:
    assert compose_text(post) == text


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-11-21T02:05:31.632Z", datetime(2026, 11, 21, 2, 5, 31, 632000, tzinfo=UTC)),
        ("2026-11-21T02:05:31+0000", datetime(2026, 11, 21, 2, 5, 31, tzinfo=UTC)),
        ("2026-11-21T03:05:31+01:00", datetime(2026, 11, 21, 2, 5, 31, tzinfo=UTC)),
        ("2026-11-21T02:05:31", datetime(2026, 11, 21, 2, 5, 31, tzinfo=UTC)),
    ],
)
def test_network_timestamps_parse_to_aware_datetimes(value: str, expected: datetime) -> None:
    assert parse_time(value) == expected


def test_matching_ignores_link_rewriting_whitespace_and_case() -> None:
    assert normalize_for_match("Read  https://e.org/a\n\nToday") == normalize_for_match(
        "read https://t.co/xyz today"
    )


def test_every_network_is_registered_and_states_its_capabilities() -> None:
    assert set(REGISTRY) == {"bluesky", "mastodon", "facebook", "instagram", "linkedin", "x"}
    for network in REGISTRY:
        cls = connector_class(network)
        assert issubclass(cls, Connector)
        assert cls.network == network
        rows = cls.capabilities.table()
        assert len(rows) == len(Capabilities.LABELS)
        assert all(isinstance(label, str) and isinstance(ok, bool) for label, ok in rows)
    assert dict(connector_class("bluesky").capabilities.table())["Impressions / views"] is False
    assert dict(connector_class("x").capabilities.table())["Link clicks"] is True
    with pytest.raises(UnknownNetwork, match="known networks: bluesky"):
        connector_class("myspace")


def test_credentials_never_show_their_secrets() -> None:
    creds = Credentials({"access_token": "sekrit-123", "refresh_token": "r-456"})
    for text in (repr(creds), str(creds), f"{creds}", repr(FakeNetwork())):
        assert "sekrit" not in text and "r-456" not in text


def test_an_expired_token_is_detected_before_any_call() -> None:
    network = FakeNetwork()
    network.credentials.expires_at = datetime.now(UTC) - timedelta(days=1)
    with pytest.raises(TokenExpired, match="reconnect the channel"):
        network.refresh()
    assert network.credentials.expires_within(timedelta(days=7))


# -- crypto ----------------------------------------------------------------------------------


def test_credentials_round_trip_encrypted() -> None:
    box = SecretBox([generate_key()])
    expires = datetime(2027, 1, 1, tzinfo=UTC)
    token = box.encrypt(Credentials({"access_token": "sekrit-123"}, expires))
    assert "sekrit" not in token
    back = box.decrypt(token)
    assert (back.secrets, back.expires_at) == ({"access_token": "sekrit-123"}, expires)


def test_the_key_comes_from_the_environment_or_a_file(tmp_path: Path) -> None:
    key = generate_key()
    token = SecretBox.from_env({ENV_KEY: key}).encrypt(Credentials({"a": "b"}))
    key_file = tmp_path / "key"
    key_file.write_text(key + "\n")
    assert SecretBox.from_env({ENV_KEY_FILE: str(key_file)}).decrypt(token).secrets == {"a": "b"}


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({}, "channel secrets need an encryption key: set POSTGUARD_SECRETS_KEY"),
        ({ENV_KEY: "not-a-key"}, "key 1 in POSTGUARD_SECRETS_KEY is not a Fernet key"),
        ({ENV_KEY_FILE: "/nonexistent/key"}, "names /nonexistent/key, which cannot be read"),
        ({ENV_KEY: "x", ENV_KEY_FILE: "y"}, "not both"),
    ],
)
def test_a_missing_or_bad_key_is_a_clear_error(environ: dict[str, str], message: str) -> None:
    with pytest.raises(SecretsKeyError, match=message) as error:
        SecretBox.from_env(environ)
    assert "not-a-key" not in str(error.value)


def test_the_wrong_key_cannot_decrypt_and_says_what_to_do(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    token = SecretBox([generate_key()]).encrypt(Credentials({"access_token": "sekrit-123"}))
    with pytest.raises(DecryptionError, match="reconnect the channel"):
        SecretBox([generate_key()]).decrypt(token)
    assert "sekrit" not in caplog.text


def test_keys_rotate() -> None:
    old, new = generate_key(), generate_key()
    token = SecretBox([old]).encrypt(Credentials({"a": "b"}))
    both = SecretBox([new, old])
    rotated = both.rotate(token)
    assert SecretBox([new]).decrypt(rotated).secrets == {"a": "b"}
    assert "keys hidden" in repr(both)
