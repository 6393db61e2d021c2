"""`postguard report` (the evaluation report as PDF, CSV, HTML or JSON) and
`postguard bench-report` (how long a year's report over many snapshots takes).

Both act as the operator, like `postguard audit export`: whoever runs them can read the
database anyway. Django is set up inside each command.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

import click

from postguard.web.commands import _service_errors, _setup, data_dir_option

if TYPE_CHECKING:
    from postguard.web.orgs.models import Organization


def _org(slug: str | None) -> Organization:
    from postguard.web.orgs.models import Organization

    if slug:
        found = Organization.objects.filter(slug=slug).first()
        if found is None:
            raise click.ClickException(f"no organization {slug!r}")
        return found
    real = list(Organization.objects.filter(is_demo=False)[:2]) or list(
        Organization.objects.all()[:2]
    )
    if len(real) != 1:
        raise click.ClickException(
            "no organization yet" if not real else "several organizations: choose one with --org"
        )
    return real[0]


def _channel_ids(org: Organization, names: tuple[str, ...]) -> list[int]:
    from postguard.web.orgs.models import Channel

    ids = []
    for name in names:
        found = Channel.objects.filter(org=org, name=name).first()
        if found is None and name.isdigit():
            found = Channel.objects.filter(org=org, pk=int(name)).first()
        if found is None:
            raise click.ClickException(f"no channel {name!r} in {org}")
        ids.append(found.pk)
    return ids


@click.command("report")
@data_dir_option
@click.option("--period", required=True, help="2026-11, 2026-Q4, 2026 or 2026-11-01..2026-11-30.")
@click.option(
    "--format", "fmt", type=click.Choice(["pdf", "csv", "html", "json"]), default="pdf",
    show_default=True,
)  # fmt: skip
@click.option("--channel", "channels", multiple=True, help="A channel's name or number (repeat).")
@click.option("--org", "org_slug", metavar="SLUG", help="The organization (needed if several).")
@click.option("--output", "-o", metavar="FILE", help="Write here instead of standard output.")
@_service_errors
def report(
    data_dir: str | None,
    period: str,
    fmt: str,
    channels: tuple[str, ...],
    org_slug: str | None,
    output: str | None,
) -> None:
    """Make the evaluation report of a period, as on the report page."""
    _setup(data_dir)
    from postguard.web.evaluation import measures, services

    chosen = measures.parse_period(period)
    org = _org(org_slug)
    found = services.build_report(org, chosen, _channel_ids(org, channels))
    if fmt == "json":
        content = (json.dumps(services.report_json(found), indent=2) + "\n").encode()
    elif fmt == "html":
        content = services.render_html(found, inline_css=True).encode()
    else:
        content = services.export(found, fmt)[0]
    if output:
        Path(output).write_bytes(content)
        click.echo(f"wrote the {fmt} report of {chosen.label} to {output}", err=True)
    else:
        sys.stdout.buffer.write(content)
        sys.stdout.flush()


@click.command("bench-report")
@click.option("--channels", default=10, show_default=True, type=click.IntRange(1, 100))
@click.option("--posts", default=5000, show_default=True, type=click.IntRange(1, 100_000))
@click.option("--days", default=365, show_default=True, type=click.IntRange(28, 1100))
@click.option("--pdf", is_flag=True, help="Also time the PDF.")
def bench_report(channels: int, posts: int, days: int, pdf: bool) -> None:
    """Time a year's report over hourly account snapshots of every channel and post
    snapshots of every post, in a throw-away SQLite database (figures, not a test)."""
    import os

    folder = tempfile.mkdtemp(prefix="postguard-bench-report-")
    os.environ.pop("DATABASE_URL", None)
    _setup(folder)
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    from postguard.web.evaluation import bench, services

    started = time.perf_counter()
    org, period, rows = bench.seed(channels=channels, posts=posts, days=days)
    click.echo(f"seeded {rows:,} snapshots in {time.perf_counter() - started:.1f} s", err=True)
    services.build_report(org, period)  # warm: the first query plans and imports
    started = time.perf_counter()
    found = services.build_report(org, period)
    built = time.perf_counter() - started
    started = time.perf_counter()
    services.render_html(found)
    html = time.perf_counter() - started
    line = (
        f"report over {period.label}: {channels} channels, {posts:,} posts, {rows:,} snapshots: "
        f"measures {built:.2f} s + HTML {html:.2f} s = {built + html:.2f} s"
    )
    if pdf:
        started = time.perf_counter()
        services.render_pdf(found)
        line += f"; PDF {time.perf_counter() - started:.2f} s"
    click.echo(line)
