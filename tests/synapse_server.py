"""A real Matrix homeserver (Synapse, from the ``matrix-synapse`` package in the test extra)
on 127.0.0.1, for the community connector tests (tests/communities) and the workspace's
end-to-end test (tests/web/test_community_synapse.py).

The fixtures are registered once, in tests/conftest.py, so that both directories share
one homeserver per session instead of starting one each.

``synapse`` starts one homeserver for the session: SQLite in a temporary
directory, a free port, registration only through the shared-secret admin API,
no federation, rate limits relaxed so the tests are not throttled. ``matrix_room``
gives each test a fresh public room created by the moderator bot (an admin
account, power level 100) with two members joined.

Like the Bluesky PDS fixture: when Synapse is not installed the tests are
skipped locally (with the command to install it) and FAIL under CI (``CI=true``).
"""

from __future__ import annotations

import hashlib
import hmac
import importlib.util
import itertools
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest
import yaml

STARTUP_TIMEOUT = 90.0
RELAXED = {"per_second": 1000, "burst_count": 1000}
_txns = itertools.count()


def _unavailable(reason: str) -> None:
    from tests.conftest import in_ci  # here: tests/conftest.py imports this module

    message = f"{reason}: run `pip install -e '.[test]'` (it installs matrix-synapse)"
    if in_ci():
        pytest.fail(f"the Matrix homeserver tests cannot run in CI: {message}", pytrace=False)
    pytest.skip(message)


def q(value: str) -> str:
    return quote(value, safe="")


@dataclass(frozen=True)
class MatrixUser:
    """An account on the test homeserver, with a client to act as it."""

    server_url: str
    user_id: str
    access_token: str

    def call(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        with httpx.Client(base_url=self.server_url, timeout=30) as client:
            return client.request(
                method,
                f"/_matrix/client/v3{path}",
                headers={"Authorization": f"Bearer {self.access_token}"},
                **kwargs,
            )

    def ok(self, method: str, path: str, **kwargs: Any) -> Any:
        response = self.call(method, path, **kwargs)
        assert response.is_success, f"{method} {path}: {response.status_code} {response.text}"
        return response.json()

    def say(self, room_id: str, text: str, **extra: Any) -> httpx.Response:
        """Send a message as this user (the raw response: tests assert refusals too)."""
        txn = f"t{next(_txns)}-{secrets.token_hex(4)}"
        return self.call(
            "PUT",
            f"/rooms/{q(room_id)}/send/m.room.message/{txn}",
            json={"msgtype": "m.text", "body": text, **extra},
        )

    def join(self, room_id: str) -> httpx.Response:
        return self.call("POST", f"/join/{q(room_id)}", json={})

    def membership(self, room_id: str, user_id: str) -> str | None:
        response = self.call("GET", f"/rooms/{q(room_id)}/state/m.room.member/{q(user_id)}")
        return response.json().get("membership") if response.is_success else None


@dataclass(frozen=True)
class SynapseServer:
    url: str
    server_name: str
    shared_secret: str

    def register(self, name: str, *, admin: bool = False) -> MatrixUser:
        """Register through the shared-secret admin API (the only way in: open
        registration is off)."""
        username = f"{name}{secrets.token_hex(3)}"
        password = secrets.token_urlsafe(16)
        with httpx.Client(base_url=self.url, timeout=30) as client:
            nonce = client.get("/_synapse/admin/v1/register").json()["nonce"]
            mac = hmac.new(self.shared_secret.encode(), digestmod=hashlib.sha1)
            mac.update(
                b"\x00".join(
                    [
                        nonce.encode(),
                        username.encode(),
                        password.encode(),
                        b"admin" if admin else b"notadmin",
                    ]
                )
            )
            response = client.post(
                "/_synapse/admin/v1/register",
                json={
                    "nonce": nonce,
                    "username": username,
                    "password": password,
                    "admin": admin,
                    "mac": mac.hexdigest(),
                },
            )
        assert response.is_success, response.text
        data = response.json()
        return MatrixUser(self.url, data["user_id"], data["access_token"])


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _config(directory: Path, port: int, shared_secret: str) -> dict[str, Any]:
    return {
        "server_name": "localhost",
        "pid_file": str(directory / "homeserver.pid"),
        "listeners": [
            {
                "port": port,
                "bind_addresses": ["127.0.0.1"],
                "type": "http",
                "tls": False,
                "resources": [{"names": ["client"], "compress": False}],
            }
        ],
        "database": {"name": "sqlite3", "args": {"database": str(directory / "homeserver.db")}},
        "media_store_path": str(directory / "media"),
        "signing_key_path": str(directory / "signing.key"),
        "log_config": str(directory / "log.yaml"),
        "registration_shared_secret": shared_secret,
        "enable_registration": False,
        "macaroon_secret_key": secrets.token_hex(16),
        "form_secret": secrets.token_hex(16),
        "report_stats": False,
        "enable_metrics": False,
        # No federation: no federation listener, no remote servers, no key servers.
        "federation_domain_whitelist": [],
        "trusted_key_servers": [],
        "suppress_key_server_warning": True,
        "presence": {"enabled": False},
        "url_preview_enabled": False,
        "rc_message": RELAXED,
        "rc_registration": RELAXED,
        "rc_login": {"address": RELAXED, "account": RELAXED, "failed_attempts": RELAXED},
        "rc_admin_redaction": RELAXED,
        "rc_joins": {"local": RELAXED, "remote": RELAXED},
        "rc_joins_per_room": RELAXED,
        "rc_room_creation": RELAXED,
        "rc_invites": {"per_room": RELAXED, "per_user": RELAXED, "per_issuer": RELAXED},
    }


def _log_config(directory: Path) -> dict[str, Any]:
    return {
        "version": 1,
        "formatters": {"plain": {"format": "%(asctime)s %(name)s %(levelname)s %(message)s"}},
        "handlers": {
            "file": {
                "class": "logging.FileHandler",
                "filename": str(directory / "homeserver.log"),
                "formatter": "plain",
            }
        },
        "root": {"level": "WARNING", "handlers": ["file"]},
        "disable_existing_loggers": False,
    }


def _die_with_parent() -> None:
    """Linux: the homeserver gets SIGTERM if pytest dies without its teardown."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, 15)  # PR_SET_PDEATHSIG, SIGTERM
    except (OSError, AttributeError):
        pass


def _tail(path: Path) -> str:
    try:
        return path.read_text(errors="replace")[-4000:]
    except OSError:
        return "(no log)"


@pytest.fixture(scope="session")
def synapse() -> Iterator[SynapseServer]:
    if importlib.util.find_spec("synapse") is None:
        _unavailable("matrix-synapse is not installed")
    with tempfile.TemporaryDirectory(prefix="postguard-synapse-") as tmp:
        directory = Path(tmp)
        port = _free_port()
        shared_secret = secrets.token_hex(16)
        config = directory / "homeserver.yaml"
        config.write_text(yaml.safe_dump(_config(directory, port, shared_secret)))
        (directory / "log.yaml").write_text(yaml.safe_dump(_log_config(directory)))
        command = [sys.executable, "-m", "synapse.app.homeserver", "-c", str(config)]
        keys = subprocess.run(
            [*command, "--generate-keys"], cwd=directory, capture_output=True, text=True
        )
        if keys.returncode != 0:
            pytest.fail(f"Synapse could not generate its keys:\n{keys.stderr[-4000:]}")
        with open(directory / "stdout.log", "w") as out:
            process = subprocess.Popen(
                command,
                cwd=directory,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                preexec_fn=_die_with_parent if sys.platform == "linux" else None,
            )
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + STARTUP_TIMEOUT
            while True:
                if process.poll() is not None:
                    pytest.fail(
                        "Synapse exited while starting:\n"
                        + _tail(directory / "stdout.log")
                        + _tail(directory / "homeserver.log"),
                        pytrace=False,
                    )
                try:
                    if httpx.get(f"{url}/_matrix/client/versions", timeout=2).is_success:
                        break
                except httpx.TransportError:
                    pass
                if time.monotonic() > deadline:
                    pytest.fail(
                        f"Synapse did not answer within {STARTUP_TIMEOUT:.0f}s:\n"
                        + _tail(directory / "homeserver.log"),
                        pytrace=False,
                    )
                time.sleep(0.2)
            yield SynapseServer(url=url, server_name="localhost", shared_secret=shared_secret)
        finally:
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()


@dataclass(frozen=True)
class MatrixRoom:
    room_id: str
    bot: MatrixUser
    alice: MatrixUser
    bob: MatrixUser


@pytest.fixture(scope="session")
def matrix_bot(synapse: SynapseServer) -> MatrixUser:
    return synapse.register("moderatorbot", admin=True)


@pytest.fixture(scope="session")
def matrix_members(synapse: SynapseServer) -> tuple[MatrixUser, MatrixUser]:
    return synapse.register("alice"), synapse.register("bob")


@pytest.fixture
def matrix_room(
    matrix_bot: MatrixUser, matrix_members: tuple[MatrixUser, MatrixUser]
) -> MatrixRoom:
    """A fresh room per test: created by the bot (power 100), both members joined."""
    room_id = matrix_bot.ok(
        "POST", "/createRoom", json={"preset": "public_chat", "name": "IBCLC peer support"}
    )["room_id"]
    alice, bob = matrix_members
    for member in (alice, bob):
        response = member.join(room_id)
        assert response.is_success, response.text
    return MatrixRoom(room_id=room_id, bot=matrix_bot, alice=alice, bob=bob)
