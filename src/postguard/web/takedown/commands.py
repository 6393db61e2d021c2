"""`postguard takedown`: import an archive report, mark a member's own channel, ask
for take-downs, run them now, and list them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from postguard.web.commands import _service_errors, data_dir_option
from postguard.web.commands import _setup as _configure


def _setup(data_dir: str | None) -> None:
    """Django, with the database brought up to date (a fresh data directory works)."""
    _configure(data_dir)
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def _channel(org_slug: str, channel_name: str) -> Any:
    from postguard.web.orgs.models import Channel

    found = Channel.objects.filter(org__slug=org_slug).filter(name=channel_name).first()
    if found is None and channel_name.isdigit():
        found = Channel.objects.filter(org__slug=org_slug, pk=int(channel_name)).first()
    if found is None:
        raise click.ClickException(f"no channel {channel_name!r} in the organization {org_slug!r}")
    return found


def _user(username: str) -> Any:
    from django.contrib.auth.models import User

    user = User.objects.filter(username=username).first()
    if user is None:
        raise click.ClickException(f"no user {username!r}")
    return user


@click.group()
def takedown() -> None:
    """Take down past posts: import an archive report, choose, run, list."""


@takedown.command("import")
@data_dir_option
@click.argument("report", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--org", "org_slug", required=True, help="The organization's slug.")
@click.option("--channel", "channel_name", required=True, help="The channel's name (or id).")
@_service_errors
def import_command(data_dir: str | None, report: Path, org_slug: str, channel_name: str) -> None:
    """Import DIR/findings.jsonl (from `postguard audit-archive`) into a channel's archive."""
    try:
        handle = report.open("rb")
    except OSError as exc:
        raise click.ClickException(f"cannot read {report}: {exc.strerror}") from None
    _setup(data_dir)
    from postguard.web.takedown import services

    channel = _channel(org_slug, channel_name)
    with handle:
        chunks = iter(lambda: handle.read(1 << 20), b"")
        result = services.import_report(None, channel, services.iter_lines(chunks), report.name)
    for problem in result.errors:
        click.echo(f"postguard: {report}: {problem}", err=True)
    click.echo(f"{channel.name}: {result.summary()}")


@takedown.command("claim")
@data_dir_option
@click.option("--org", "org_slug", required=True)
@click.option("--channel", "channel_name", required=True)
@click.option("--owner", required=True, help="The member whose own account the channel is.")
@_service_errors
def claim_command(data_dir: str | None, org_slug: str, channel_name: str, owner: str) -> None:
    """Mark a channel as a member's own account: only they see its archive."""
    _setup(data_dir)
    from postguard.web.takedown import services

    channel = _channel(org_slug, channel_name)
    services.claim_personal(None, channel, _user(owner))
    click.echo(f"{channel.name} is now {owner}'s own account")


@takedown.command("request")
@data_dir_option
@click.option("--org", "org_slug", required=True)
@click.option("--channel", "channel_name", required=True)
@click.option("--item", "items", multiple=True, required=True, help="An item's id (repeat).")
@click.option("--reason", required=True)
@click.option("--as", "username", required=True, help="Who asks (their rights apply).")
@_service_errors
def request_command(
    data_dir: str | None,
    org_slug: str,
    channel_name: str,
    items: tuple[str, ...],
    reason: str,
    username: str,
) -> None:
    """Ask for archive items (by their report id or number) to be taken down."""
    _setup(data_dir)
    from postguard.web.takedown import services
    from postguard.web.takedown.models import ArchiveItem

    channel = _channel(org_slug, channel_name)
    ids = []
    for given in items:
        found = ArchiveItem.objects.filter(channel=channel, key=given).first() or (
            ArchiveItem.objects.filter(channel=channel, pk=int(given)).first()
            if given.isdigit()
            else None
        )
        if found is None:
            raise click.ClickException(f"no archive item {given!r} on {channel.name}")
        ids.append(found.pk)
    result = services.request_takedown(_user(username), channel.pk, ids, reason)
    for td in result.created:
        click.echo(f"{td.pk}\t{td.state}\t{td.remote_id}")
    if result.skipped:
        click.echo(f"{result.skipped} already asked for or done", err=True)


@takedown.command("run")
@data_dir_option
@_service_errors
def run_command(data_dir: str | None) -> None:
    """Delete every approved take-down now (the worker does it too)."""
    _setup(data_dir)
    from postguard.web.takedown import services

    outcomes = services.run_pending()
    click.echo(", ".join(f"{n} {k}" for k, n in sorted(outcomes.items())) or "nothing to do")


@takedown.command("list")
@data_dir_option
@click.option("--org", "org_slug", required=True)
@click.option("--state", default="", help="Only this state (requested, pending, deleted, ...).")
def list_command(data_dir: str | None, org_slug: str, state: str) -> None:
    """The take-downs of an organization, newest first (tab-separated)."""
    _setup(data_dir)
    from postguard.web.takedown.models import TakeDown

    query = TakeDown.objects.filter(org__slug=org_slug).select_related("channel")
    if state:
        query = query.filter(state=state)
    for td in query.order_by("-requested_at", "-id"):
        when = td.finished_at or td.requested_at
        click.echo(f"{td.pk}\t{td.state}\t{td.channel.name}\t{when:%Y-%m-%d %H:%M}\t{td.remote_id}")
