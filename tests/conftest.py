"""Fixtures shared by the connector and the publishing tests.

``pds`` starts a real AT Protocol PDS and PLC directory (scripts/pds/start.js)
on 127.0.0.1 for the whole session and stops it at the end. They are npm
packages installed by ``bash scripts/install-pds.sh``. When they are missing
the PDS tests fail under CI (``CI=true``) and are skipped, with the command to
run, elsewhere.
"""

from __future__ import annotations

import json
import os
import queue
import secrets
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[1]
PDS_DIR = ROOT / "scripts" / "pds"
STARTUP_TIMEOUT = 120.0


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def _unavailable(reason: str) -> None:
    message = f"{reason}: run `bash scripts/install-pds.sh` (needs Node.js 20 and npm)"
    if in_ci():
        pytest.fail(f"the Bluesky PDS tests cannot run in CI: {message}", pytrace=False)
    pytest.skip(message)


@dataclass(frozen=True)
class PdsServer:
    url: str
    plc_url: str
    admin_password: str

    def xrpc(self, method: str, nsid: str, **kwargs: Any) -> Any:
        with httpx.Client(base_url=self.url, timeout=30) as client:
            response = client.request(method, f"/xrpc/{nsid}", **kwargs)
        response.raise_for_status()
        return response.json() if response.content else None


@dataclass(frozen=True)
class PdsAccount:
    handle: str
    did: str
    password: str
    access_jwt: str

    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.access_jwt}"}


def _read_line(stream: IO[str], timeout: float) -> str | None:
    lines: queue.Queue[str] = queue.Queue()
    reader = threading.Thread(target=lambda: lines.put(stream.readline()), daemon=True)
    reader.start()
    try:
        return lines.get(timeout=timeout)
    except queue.Empty:
        return None


@pytest.fixture(scope="session")
def pds() -> Iterator[PdsServer]:
    if not (PDS_DIR / "node_modules" / "@atproto" / "pds").is_dir():
        _unavailable(f"the test PDS is not installed in {PDS_DIR / 'node_modules'}")
    node = shutil.which("node")
    if node is None:
        _unavailable("Node.js is not on PATH")
    assert node is not None
    with tempfile.TemporaryFile(mode="w+") as log:
        process = subprocess.Popen(
            [node, "start.js"],
            cwd=PDS_DIR,
            stdin=subprocess.PIPE,  # start.js exits when this closes, even if we die
            stdout=subprocess.PIPE,
            stderr=log,
            text=True,
        )
        try:
            assert process.stdout is not None
            line = _read_line(process.stdout, STARTUP_TIMEOUT)
            if not line:
                process.kill()
                process.wait()
                log.seek(0)
                pytest.fail(f"the test PDS did not start:\n{log.read()[-4000:]}", pytrace=False)
            info = json.loads(line)
            assert info["pds_url"].startswith("http://127.0.0.1:"), info
            assert info["plc_url"].startswith("http://127.0.0.1:"), info
            yield PdsServer(
                url=info["pds_url"],
                plc_url=info["plc_url"],
                admin_password=info["admin_password"],
            )
        finally:
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
            for stream in (process.stdin, process.stdout):
                if stream is not None:
                    stream.close()


def create_account(pds: PdsServer, name: str) -> PdsAccount:
    handle = f"{name}-{secrets.token_hex(3)}.test"
    password = secrets.token_urlsafe(16)
    data = pds.xrpc(
        "POST",
        "com.atproto.server.createAccount",
        json={"handle": handle, "email": f"{name}@example.org", "password": password},
    )
    return PdsAccount(handle=data["handle"], did=data["did"], password=password,
                      access_jwt=data["accessJwt"])  # fmt: skip


@pytest.fixture(scope="session")
def association(pds: PdsServer) -> PdsAccount:
    return create_account(pds, "association")


@pytest.fixture(scope="session")
def commenter(pds: PdsServer) -> PdsAccount:
    return create_account(pds, "commenter")


@pytest.fixture(scope="session")
def app_password(pds: PdsServer, association: PdsAccount) -> str:
    data = pds.xrpc(
        "POST",
        "com.atproto.server.createAppPassword",
        json={"name": "postguard-tests"},
        headers=association.auth(),
    )
    password: str = data["password"]
    return password


# The Matrix homeserver's fixtures, shared by tests/communities and tests/web (one Synapse
# per session for both).
from tests.synapse_server import (  # noqa: E402
    matrix_bot,
    matrix_members,
    matrix_room,
    synapse,
)

__all__ = ["matrix_bot", "matrix_members", "matrix_room", "synapse"]
