"""Password-reset requests are throttled per e-mail and per client address, with the
same neutral answer, and refused ones go into the record."""

from __future__ import annotations

from django.core import mail
from django.test import Client

from postguard.web import settings as web_settings
from postguard.web.audit.models import AuditEntry

from .conftest import World

NEUTRAL = "If an account has that address"


def _ask(email: str, address: str = "203.0.113.5") -> str:
    response = Client(REMOTE_ADDR=address).post("/password-reset/", {"email": email}, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == "/password-reset/sent/"
    return response.content.decode()


def _usable_password(world: World) -> None:
    # Django mails a reset only to accounts with a usable password.
    world["author"].set_password("a-password-for-the-test-1")
    world["author"].save()


def test_resets_for_one_email_are_throttled_with_the_same_answer(world: World) -> None:
    _usable_password(world)
    mail.outbox.clear()
    limit = web_settings.PASSWORD_RESETS_PER_EMAIL
    for i in range(limit):
        assert NEUTRAL in _ask("Author@example.org", f"198.51.100.{i}")
    assert len(mail.outbox) == limit
    # From yet another address: still refused, still the same page, no mail.
    assert NEUTRAL in _ask("author@example.org", "198.51.100.200")
    assert len(mail.outbox) == limit
    entry = AuditEntry.objects.get(action="auth.password_reset_throttled")
    assert entry.after == {"email": "author@example.org", "address": "198.51.100.200"}


def test_resets_from_one_address_are_throttled_whether_or_not_the_account_exists(
    world: World,
) -> None:
    _usable_password(world)
    mail.outbox.clear()
    limit = web_settings.PASSWORD_RESETS_PER_ADDRESS
    for i in range(limit):
        assert NEUTRAL in _ask(f"nobody{i}@example.org")
    assert mail.outbox == []
    assert NEUTRAL in _ask("author@example.org")
    assert NEUTRAL in _ask("nobody-else@example.org")
    assert mail.outbox == [], "throttled: the real account gets no mail either"
    assert AuditEntry.objects.filter(action="auth.password_reset_throttled").count() == 2
    # Another client address is not affected.
    assert NEUTRAL in _ask("author@example.org", "192.0.2.9")
    assert len(mail.outbox) == 1
