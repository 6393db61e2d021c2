"""The inbox's secrets at rest: a Matrix access token, a Slack/Teams webhook URL (a
bearer secret too) and each channel's inbound-webhook HMAC secret are stored
encrypted with the same Fernet key as channel credentials (POSTGUARD_SECRETS_KEY
or _FILE; outside production, the key file in the data directory).

Nothing here logs a secret or puts one in an exception message.
"""

from __future__ import annotations

from postguard.connectors.base import Credentials
from postguard.connectors.crypto import DecryptionError, SecretBox, SecretsKeyError
from postguard.web.errors import Conflict


def _box() -> SecretBox:
    try:
        return SecretBox.from_env()
    except SecretsKeyError as exc:
        raise Conflict(str(exc)) from None


def seal(values: dict[str, str]) -> str:
    """Encrypt ``values``; the result is what the database holds."""
    return _box().encrypt(Credentials(secrets=dict(values)))


def unseal(token: str) -> dict[str, str]:
    """The values encrypted in ``token`` (nothing for an empty one)."""
    if not token:
        return {}
    try:
        return _box().decrypt(token).secrets
    except DecryptionError:
        raise Conflict(
            "a stored inbox secret cannot be decrypted with the configured key "
            "(POSTGUARD_SECRETS_KEY); restore that key, or set the secret again"
        ) from None
