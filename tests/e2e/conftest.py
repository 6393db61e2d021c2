"""The real app in a real browser: `postguard serve` as a subprocess, Debian's chromium
driven by Playwright, axe-core (from npm, in node_modules here) for accessibility.

Setup (CI does it too): ``bash scripts/install-browser.sh`` and
``npm ci --prefix tests/e2e``. Without chromium or axe-core these tests are
skipped with the reason, except when ``CI=true``, where they fail.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, Page

HERE = Path(__file__).resolve().parent
#: Debian's chromium (scripts/install-browser.sh); the variable is for trying the skip.
CHROMIUM = Path(os.environ.get("POSTGUARD_E2E_CHROMIUM", "/usr/bin/chromium"))
AXE = HERE / "node_modules" / "axe-core" / "axe.min.js"
IN_CI = os.environ.get("CI", "").strip().lower() == "true"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
#: Where the tests leave screenshots for a person to look at.
SCREENSHOTS = Path(os.environ.get("POSTGUARD_SCREENSHOTS", tempfile.gettempdir()))
#: The server's settings come from its own data directory, never from the test run's.
_SERVER_ENV_DROPPED = ("DATABASE_URL", "SECRET_KEY", "SECRET_KEY_FILE", "EMAIL_HOST")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "e2e: drives the real app in a real browser")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.e2e)


def unavailable(reason: str) -> None:
    """Skip with the reason; on CI (CI=true) fail instead, so that a missing browser
    can never turn the browser tests into a silent pass."""
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: the browser tests must run)", pytrace=False)
    pytest.skip(reason)


# --- the app --------------------------------------------------------------------------


@dataclass
class Server:
    url: str
    pid: int
    log: Path
    #: The demo sign-in details as `postguard serve` printed them.
    password: str
    usernames: list[str] = field(default_factory=list)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _serve_command() -> list[str]:
    script = Path(sys.executable).with_name("postguard")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from postguard.cli import main; main()"]


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return int(response.status) == 200
    except (urllib.error.URLError, OSError):
        return False


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    os.kill(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=15)


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """`postguard serve` with the demo on a free port and a fresh data directory."""
    data_dir = tmp_path_factory.mktemp("postguard-e2e-data")
    port = _free_port()
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("POSTGUARD_", "DJANGO_")) and k not in _SERVER_ENV_DROPPED
    }
    env["POSTGUARD_DATA_DIR"] = str(data_dir)
    log_path = data_dir / "serve.log"
    command = [*_serve_command(), "serve", "--host", "127.0.0.1", "--port", str(port)]
    command += ["--data-dir", str(data_dir), "--threads", "4"]
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command, env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while not _answers(f"{url}/login/"):
            if process.poll() is not None or time.monotonic() > deadline:
                output = log_path.read_text(encoding="utf-8", errors="replace")
                pytest.fail(
                    f"`postguard serve` did not start (exit {process.poll()}):\n{output}",
                    pytrace=False,
                )
            time.sleep(0.25)
        printed = log_path.read_text(encoding="utf-8", errors="replace")
        found = re.search(r"password for all: (\S+?)\)", printed)
        assert found, f"the demo sign-in details were not printed:\n{printed}"
        usernames = re.findall(r"^\s+(demo-\S+)\s", printed, flags=re.MULTILINE)
        yield Server(url, process.pid, log_path, found.group(1), usernames)
    finally:
        _stop(process)


# --- the browser ----------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BrowserContext]:
    if not CHROMIUM.exists():
        unavailable(f"{CHROMIUM} is missing: run `bash scripts/install-browser.sh`")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("the playwright package is missing: pip install -e '.[test]'")
    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile),
            executable_path=str(CHROMIUM),
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": 1280, "height": 900},
            locale="en-GB",
            timezone_id="UTC",
        )
        context.set_default_timeout(15_000)
        try:
            yield context
        finally:
            context.close()
    shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def page(browser: BrowserContext, server: Server) -> Iterator[Page]:
    """A fresh tab with nobody signed in; fails the test if the page raises a dialog
    or a script error that a test did not expect."""
    browser.clear_cookies()
    tab = browser.new_page()
    dialogs: list[str] = []
    errors: list[str] = []

    def on_dialog(dialog: Any) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    tab.on("dialog", on_dialog)
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        yield tab
    finally:
        tab.close()
    assert dialogs == [], f"the page opened dialogs: {dialogs}"
    assert errors == [], f"scripts failed on the page: {errors}"


@pytest.fixture(scope="session")
def axe_script() -> Path:
    if not AXE.exists():
        unavailable(f"axe-core is missing ({AXE}): run `npm ci --prefix tests/e2e`")
    return AXE


# --- helpers the tests share ---------------------------------------------------------------


def sign_in(page: Page, server: Server, username: str) -> None:
    page.goto(f"{server.url}/login/")
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password").fill(server.password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{server.url}/")


def sign_out(page: Page) -> None:
    page.get_by_role("button", name=re.compile(r"^Sign out")).click()
    page.wait_for_url(re.compile(r"/login/"))


def no_horizontal_scroll(page: Page) -> bool:
    # Measured once the stylesheet applies: an unstyled page is wider on purpose.
    page.wait_for_load_state("load")
    return bool(
        page.evaluate(
            "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"
        )
    )
