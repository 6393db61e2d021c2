"""The workspace's commands: serve, worker, createadmin, token, audit.

Django is set up lazily inside each command, so that `postguard check` and
the rest of the engine CLI never need Django settings.
"""

from __future__ import annotations

import os
import secrets
import sys
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])
WORKER_INTERVAL_SECONDS = 5.0


def _setup(data_dir: str | None = None) -> None:
    if data_dir:
        os.environ["POSTGUARD_DATA_DIR"] = str(Path(data_dir).resolve())
    from django.core.exceptions import ImproperlyConfigured

    from postguard.web.paths import data_dir as configured_data_dir

    folder = configured_data_dir()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    # Before Django reads its settings: every command signs with the same key.
    _ensure_secret_key(folder)
    _ensure_secrets_key(folder)
    _ensure_audit_key(folder)

    from postguard.web.setup import configure

    try:
        configure()
    except ImproperlyConfigured as exc:
        raise click.ClickException(str(exc)) from None


def _service_errors(func: F) -> F:
    """Show a service's refusal as a one-line error (exit 2), never a traceback."""
    import functools

    @functools.wraps(func)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        from postguard.web.errors import ServiceError

        try:
            return func(*args, **kwargs)
        except ServiceError as exc:
            raise click.ClickException(str(exc)) from None

    return wrapped  # type: ignore[return-value]


data_dir_option = click.option(
    "--data-dir",
    metavar="DIR",
    envvar="POSTGUARD_DATA_DIR",
    help="Where the database, mail and secret key live (env POSTGUARD_DATA_DIR).",
)


def _production() -> bool:
    return os.environ.get("POSTGUARD_PRODUCTION", "").strip().lower() in {"1", "true", "yes", "on"}


def _ensure_data_dir() -> Path:
    from django.conf import settings

    path = Path(settings.DATA_DIR)
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def _ensure_secret_key(data_dir: Path) -> None:
    """Outside production, keep a random key in the data directory, so that a
    laptop install never runs on the public default key."""
    if os.environ.get("SECRET_KEY") or os.environ.get("SECRET_KEY_FILE") or _production():
        return
    key_file = data_dir / "secret_key"
    if not key_file.exists():
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(secrets.token_urlsafe(50))
    os.environ["SECRET_KEY_FILE"] = str(key_file)


def _ensure_secrets_key(data_dir: Path) -> None:
    """Outside production, keep a channel-secrets key in the data directory (said once,
    when it is made); production must set POSTGUARD_SECRETS_KEY or _FILE itself."""
    from postguard.connectors.crypto import ENV_KEY, ENV_KEY_FILE, generate_key

    if os.environ.get(ENV_KEY) or os.environ.get(ENV_KEY_FILE) or _production():
        return
    key_file = data_dir / "secrets_key"
    if not key_file.exists():
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(generate_key())
        click.echo(
            f"postguard: made a key for channel credentials in {key_file} (development "
            f"only: in production set {ENV_KEY} or {ENV_KEY_FILE}, and back it up)",
            err=True,
        )
    os.environ[ENV_KEY_FILE] = str(key_file)


def _ensure_audit_key(data_dir: Path) -> None:
    """Outside production, keep the audit key in the data directory (said once, when it is
    made); production must set POSTGUARD_AUDIT_KEY or _FILE itself, or nothing starts: every
    command may append to the record, and an entry without a MAC is one nobody can vouch for."""
    from postguard.web.audit import keys

    configured = os.environ.get(keys.ENV_KEY) or os.environ.get(keys.ENV_KEY_FILE)
    if not configured and not _production() and keys.ensure_key_file(data_dir):
        click.echo(
            f"postguard: made a key for the audit record in {keys.default_key_file(data_dir)} "
            f"(development only: in production set {keys.ENV_KEY} or {keys.ENV_KEY_FILE} and "
            "keep the key away from the database and its backups)",
            err=True,
        )
    try:
        keys.load()
    except keys.AuditKeyError as exc:
        raise click.ClickException(str(exc)) from None


def _warn_if_audit_broken() -> None:
    """Start anyway (the record is evidence, not a dependency), but say so loudly."""
    from postguard.web.audit.services import verify

    result = verify()
    if result.ok:
        return
    for line in result.lines():
        click.echo(f"postguard: WARNING: {line}", err=True)
    click.echo(
        "postguard: WARNING: the audit record does not verify; the workspace starts, but its "
        "exports are refused until this is looked into (`postguard audit verify`)",
        err=True,
    )


def _worker_loop(stop: threading.Event, interval: float) -> None:
    import logging

    from postguard.web.publishing.worker import run

    logging.getLogger("postguard").setLevel(logging.INFO)
    run(stop, interval=interval)


def _url_host(host: str) -> str:
    """The host as it is written in a URL: a wildcard address reached locally, an IPv6
    address in brackets."""
    if host in ("0.0.0.0", "", "::"):
        return "127.0.0.1"
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


@click.command()
@data_dir_option
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--no-demo", is_flag=True, help="Do not create the demo organization.")
@click.option(
    "--server",
    type=click.Choice(["auto", "gunicorn", "waitress"]),
    default="auto",
    show_default=True,
    help="gunicorn worker processes (auto: where it runs, not on Windows) or waitress "
    "(one process, threads).",
)
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=None,
    help="gunicorn worker processes, each with its own engine [default: the usable cores].",
)
@click.option(
    "--threads",
    default=None,
    type=click.IntRange(1, 64),
    help="Threads per process [default: 2 per gunicorn worker; 8 for waitress].",
)
def serve(
    data_dir: str | None,
    host: str,
    port: int,
    no_demo: bool,
    server: str,
    workers: int | None,
    threads: int | None,
) -> None:
    """Migrate the database, create the demo, and serve the workspace and its worker."""
    from postguard.web import serving

    if _production() and not no_demo:
        raise click.ClickException("in production mode, run with --no-demo")
    if server == "gunicorn" and not serving.gunicorn_available():
        raise click.ClickException("gunicorn is not available here: use --server waitress")
    use_gunicorn = server == "gunicorn" or (server == "auto" and serving.gunicorn_available())
    if workers is not None and not use_gunicorn:
        raise click.ClickException("--workers needs gunicorn (waitress is one process)")
    # Links in mails lead to where this server answers, unless the deployment says
    # otherwise (a proxy's public address).
    os.environ.setdefault("POSTGUARD_BASE_URL", f"http://{_url_host(host)}:{port}")
    _setup(data_dir)
    from django.conf import settings
    from django.core.management import call_command

    _ensure_data_dir()
    call_command("migrate", interactive=False, verbosity=0)
    database = settings.DATABASES["default"]
    click.echo(f"postguard: database {database['ENGINE'].rsplit('.', 1)[-1]} {database['NAME']}")
    _warn_if_audit_broken()
    if not no_demo:
        from postguard.web.demo import DEMO_PASSWORD, create_demo, demo_exists, demo_logins

        if not demo_exists():
            click.echo("postguard: creating the demo organization (made-up data)…")
            create_demo()
        click.echo("postguard: DEMO sign-in (password for all: " + DEMO_PASSWORD + "):")
        for login in demo_logins():
            click.echo(f"  {login.username:<16} {login.role}")
    from postguard.web.wsgi import application

    proxies = settings.TRUSTED_PROXIES
    if proxies:
        click.echo(
            "postguard: trusting X-Forwarded-For from "
            + ", ".join(str(network) for network in proxies)
        )
    if use_gunicorn:
        threads = threads or serving.DEFAULT_THREADS
        _serve_gunicorn(application, host, port, workers, threads, proxies)
        return
    from waitress import serve as waitress_serve

    from postguard.web.orgs.clients import waitress_options
    from postguard.web.serving import warm_up

    warm_up()  # the first people to check do not wait for the engine to load

    stop = threading.Event()
    worker = threading.Thread(
        target=_worker_loop, args=(stop, WORKER_INTERVAL_SECONDS), daemon=True, name="worker"
    )
    worker.start()
    _say_serving(host, port, f"waitress, {threads or 8} threads")
    try:
        waitress_serve(
            application,
            host=host,
            port=port,
            threads=threads or 8,
            ident="postguard",
            **waitress_options(proxies),
        )
    finally:
        stop.set()


def _say_serving(host: str, port: int, how: str) -> None:
    click.echo(f"postguard: serving on http://{host}:{port}/ ({how}; API docs at /api/docs)")
    click.echo("postguard: Ctrl-C stops")
    click.echo(f"postguard: links in mails lead to {os.environ['POSTGUARD_BASE_URL']}/")


def _serve_gunicorn(
    application: Any,
    host: str,
    port: int,
    workers: int | None,
    threads: int,
    proxies: Any,
) -> None:
    from postguard.web import serving

    count = workers or serving.usable_cores()
    serving.warm_up()
    options = serving.gunicorn_options(
        host=host, port=port, workers=count, threads=threads, proxies=proxies
    )
    background = serving.BackgroundWorker(
        serving.background_worker_command(WORKER_INTERVAL_SECONDS)
    )
    how = (
        f"gunicorn, {count} worker process{'es' if count > 1 else ''}, "
        f"{threads} thread{'s' if threads > 1 else ''} each"
    )

    def ready() -> None:
        background.start()
        _say_serving(host, port, how)

    try:
        serving.run_gunicorn(application, options, on_ready=ready, on_exit=background.stop)
    finally:
        background.stop()


@click.command()
@data_dir_option
@click.option("--once", is_flag=True, help="Run one pass and exit.")
@click.option("--interval", default=WORKER_INTERVAL_SECONDS, show_default=True, type=float)
def worker(data_dir: str | None, once: bool, interval: float) -> None:
    """Publish approved posts when due, pull replies and metrics, run periodic jobs
    (runs inside `serve` too; run several on one PostgreSQL database if you like)."""
    _setup(data_dir)
    if once:
        from postguard.web.publishing.worker import run_once

        result = run_once()
        click.echo(f"worker: {result}")
        return
    stop = threading.Event()
    try:
        _worker_loop(stop, interval)
    except KeyboardInterrupt:
        stop.set()


@click.command()
@data_dir_option
@click.argument("username")
@click.option("--email", required=True, help="For password resets and notifications.")
@click.option("--org", "org_name", default="", help="The organization (created if new).")
@click.option(
    "--password",
    prompt=True,
    hide_input=True,
    confirmation_prompt=True,
    envvar="POSTGUARD_ADMIN_PASSWORD",
    help="Prompted for when not given (or env POSTGUARD_ADMIN_PASSWORD).",
)
@_service_errors
def createadmin(
    data_dir: str | None, username: str, email: str, org_name: str, password: str
) -> None:
    """Create an administrator of an organization, for real use (with `serve --no-demo`)."""
    _setup(data_dir)
    from django.core.management import call_command

    from postguard.web.orgs.services import create_admin

    _ensure_data_dir()
    call_command("migrate", interactive=False, verbosity=0)
    membership = create_admin(username, email=email, password=password, org_name=org_name)
    # The name as stored (canonical), which is what the person signs in with.
    click.echo(f"created administrator {membership.user.get_username()} of {membership.org.name}")


@click.group()
def token() -> None:
    """Personal API tokens (Authorization: Bearer …)."""


@token.command("create")
@data_dir_option
@click.argument("username")
@click.option("--name", default="", help="What the token is for.")
@_service_errors
def token_create(data_dir: str | None, username: str, name: str) -> None:
    """Create a token for USERNAME and print it (it is shown only this once)."""
    _setup(data_dir)
    from django.contrib.auth import get_user_model

    from postguard.web.orgs.names import canonical_username
    from postguard.web.orgs.services import create_token

    user = get_user_model().objects.filter(username=canonical_username(username)).first()
    if user is None:
        raise click.ClickException(f"no user {username!r}")
    plain, api_token = create_token(user, name)
    click.echo(plain)
    click.echo(
        f"token {api_token.pk} ({api_token.prefix}…) for {username}; it is not shown again",
        err=True,
    )


@token.command("revoke")
@data_dir_option
@click.argument("username")
@click.argument("token_id", type=int)
@_service_errors
def token_revoke(data_dir: str | None, username: str, token_id: int) -> None:
    """Revoke token TOKEN_ID of USERNAME."""
    _setup(data_dir)
    from django.contrib.auth import get_user_model

    from postguard.web.orgs.names import canonical_username
    from postguard.web.orgs.services import revoke_token

    user = get_user_model().objects.filter(username=canonical_username(username)).first()
    if user is None:
        raise click.ClickException(f"no user {username!r}")
    revoke_token(user, token_id)
    click.echo(f"revoked token {token_id}")


@click.group()
def audit() -> None:
    """The tamper-evident record."""


@audit.command("verify")
@data_dir_option
@click.option(
    "--checkpoint",
    "checkpoint_paths",
    multiple=True,
    metavar="FILE|DIR",
    type=click.Path(exists=True, path_type=Path),
    help="Compare with this checkpoint file or directory (repeatable) instead of the "
    "configured directory (env POSTGUARD_AUDIT_CHECKPOINT_DIR).",
)
def audit_verify(data_dir: str | None, checkpoint_paths: tuple[Path, ...]) -> None:
    """Check every entry's hash and MAC, the chain head and the checkpoints; print one line
    per problem naming the first entry concerned and exit 1, or print the head to keep."""
    _setup(data_dir)
    from postguard.web.audit.services import verify

    result = verify(checkpoint_paths or None)
    if result.ok:
        click.echo(result.describe())
        click.echo(f"head to keep: entry {result.last_seq} {result.last_hash}")
        return
    for line in result.lines():
        click.echo(f"postguard: {line}", err=True)
    sys.exit(1)


@audit.command("checkpoint")
@data_dir_option
@click.option("--no-mail", is_flag=True, help="Only write the file; do not mail the chairs.")
@_service_errors
def audit_checkpoint(data_dir: str | None, no_mail: bool) -> None:
    """Verify the record, write a signed checkpoint of its head to the checkpoint directory
    and mail it to the committee chairs (the worker does this periodically too)."""
    _setup(data_dir)
    from postguard.web.audit.services import checkpoint

    done = checkpoint(mail=not no_mail)
    assert done.checkpoint is not None
    click.echo(f"wrote {done.path}: {done.checkpoint.entries} entries, head {done.checkpoint.head}")
    if done.mailed_to:
        click.echo(f"mailed to {', '.join(done.mailed_to)}", err=True)
    elif not no_mail:
        click.echo("mailed to nobody: no committee chair has an e-mail address", err=True)


def _moment(value: str | None, *, end: bool) -> datetime | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(
            f"{value!r} is not a date (2026-01-31) or time (2026-01-31T09:00)"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    if end and len(value) == 10:
        # A bare end date includes that whole day.
        moment += timedelta(days=1)
    return moment


@audit.command("export")
@data_dir_option
@click.option("--since", metavar="DATE", help="From this date or time (UTC unless given).")
@click.option("--until", metavar="DATE", help="Up to this time; a bare date includes its day.")
@click.option(
    "--format", "fmt", type=click.Choice(["csv", "json"]), default="json", show_default=True
)
@click.option("--output", "-o", metavar="PATH", help="Write here instead of standard output.")
@click.option("--org", "org_slug", metavar="SLUG", help="Only this organization's entries.")
@click.option("--force", is_flag=True, help="Export even though the record does not verify.")
@_service_errors
def audit_export(
    data_dir: str | None,
    since: str | None,
    until: str | None,
    fmt: str,
    output: str | None,
    org_slug: str | None,
    force: bool,
) -> None:
    """Export the entries of a period, with their hashes and MACs, as CSV or JSON (refused
    when the record does not verify, unless --force)."""
    start = _moment(since, end=False)
    stop = _moment(until, end=True)
    _setup(data_dir)
    from postguard.web.audit.services import export, require_intact
    from postguard.web.errors import Conflict

    try:
        checked = require_intact(force=force)
    except Conflict as exc:
        raise click.ClickException(f"{exc} To export it anyway, pass --force.") from None
    if not checked.ok:
        click.echo(
            f"postguard: exporting a record that does not verify ({checked.describe()})",
            err=True,
        )
    from postguard.web.orgs.models import Organization

    org_id = None
    if org_slug:
        org = Organization.objects.filter(slug=org_slug).first()
        if org is None:
            raise click.ClickException(f"no organization {org_slug!r}")
        org_id = org.pk
    if output:
        with open(output, "w", encoding="utf-8", newline="") as handle:
            count = export(handle, fmt, start, stop, org_id)
        click.echo(f"wrote {count} entries to {output}", err=True)
    else:
        export(sys.stdout, fmt, start, stop, org_id)


def register(cli: click.Group) -> None:
    """Add the workspace's commands to the `postguard` command group."""
    for command in (serve, worker, createadmin, token, audit):
        cli.add_command(command)
    from postguard.web.takedown.commands import takedown

    cli.add_command(takedown)
    from postguard.web.inbox.bench import bench_inbox  # no Django needed

    cli.add_command(bench_inbox)
    from postguard.web.evaluation.commands import bench_report, report

    cli.add_command(report)
    cli.add_command(bench_report)
    from postguard.web.bench_api import bench_api  # no Django needed

    cli.add_command(bench_api)
