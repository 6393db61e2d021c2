"""``postguard audit-archive``: the command line of :mod:`postguard.archive.audit`."""

from __future__ import annotations

import logging
import os
import sys
from typing import Any

import click

from postguard.archive.audit import DEFAULT_PARTITION_SIZE, AuditError, AuditOptions, audit


def _client(scheduler: str | None, workers: int) -> Any:
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise click.ClickException(
            "Dask is not installed: pip install 'postguard[dask]', "
            "or check in-process with --workers 0"
        ) from None
    if scheduler:
        if not scheduler.startswith(("tcp://", "tls://", "inproc://", "ucx://")):
            raise click.BadParameter(
                "give the scheduler as tcp://HOST:PORT", param_hint="--scheduler"
            )
        try:
            return Client(scheduler, timeout="15s")  # type: ignore[no-untyped-call]
        except (OSError, TimeoutError) as exc:
            raise click.ClickException(
                f"cannot reach the Dask scheduler at {scheduler}: {exc}"
            ) from None
    cluster = LocalCluster(  # type: ignore[no-untyped-call]
        n_workers=workers,
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
        silence_logs=logging.ERROR,
    )
    return Client(cluster)  # type: ignore[no-untyped-call]


def _count(paths: tuple[str, ...]) -> int:
    from postguard.archive.readers import read_archives

    return sum(1 for _ in read_archives(paths))


@click.command("audit-archive")
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@click.option(
    "--out",
    default="archive-audit",
    show_default=True,
    metavar="DIR",
    help="Folder for findings.jsonl, errors.jsonl, stats.json, summary.html and checkpoints.",
)
@click.option(
    "--scheduler", metavar="tcp://HOST:PORT", help="A running Dask scheduler (default: local)."
)
@click.option(
    "--workers",
    type=click.IntRange(0, 256),
    default=None,
    help="Worker processes of the local cluster (default: one per core); 0 checks in-process.",
)
@click.option("--no-dask", is_flag=True, help="Check in this process (same as --workers 0).")
@click.option(
    "--partition-size",
    type=click.IntRange(1, 1_000_000),
    default=DEFAULT_PARTITION_SIZE,
    show_default=True,
    help="Items per partition (the unit of work and of checkpointing).",
)
@click.option("--resume", is_flag=True, help="Finish an interrupted audit in --out.")
@click.option("--policy", "policy_dirs", multiple=True, metavar="DIR", help="Add packs from DIR.")
@click.option("--no-builtin", is_flag=True, help="Use only the packs given with --policy.")
@click.option(
    "--severity",
    "severities",
    multiple=True,
    metavar="RULE=SEV",
    help="Override a rule's severity.",
)
@click.option(
    "--account", type=click.Choice(["personal", "official"]), default="personal", show_default=True
)
@click.option(
    "--audience", type=click.Choice(["public", "closed"]), default="public", show_default=True
)
@click.option(
    "--progress/--no-progress",
    default=None,
    help="Show a progress bar (default: when standard error is a terminal).",
)
def audit_archive(
    paths: tuple[str, ...],
    out: str,
    scheduler: str | None,
    workers: int | None,
    no_dask: bool,
    partition_size: int,
    resume: bool,
    policy_dirs: tuple[str, ...],
    no_builtin: bool,
    severities: tuple[str, ...],
    account: str,
    audience: str,
    progress: bool | None,
) -> None:
    """Check every post of past archives (Facebook, Instagram, X, Mastodon, Bluesky, LinkedIn)."""
    from postguard.cli import build_engine, fail

    for path in paths:
        if not os.path.exists(path):
            fail(f"{path} does not exist")
    in_process = no_dask or (workers == 0 and not scheduler)
    if scheduler and (no_dask or workers == 0):
        fail("--scheduler runs on a cluster; it cannot be combined with --no-dask or --workers 0")
    options = AuditOptions(
        policy_dirs=policy_dirs,
        no_builtin=no_builtin,
        severities=tuple(s.replace(" ", "") for s in severities),
        account=account,
        audience=audience,
    )
    # Refuse bad packs and overrides here, in one line, before any worker starts.
    build_engine(policy_dirs, no_builtin, severities)
    show = sys.stderr.isatty() if progress is None else progress
    client = None if in_process else _client(scheduler, workers or (os.cpu_count() or 1))
    try:
        bar: Any = None
        if show:
            bar = click.progressbar(
                length=_count(paths), label="auditing", file=sys.stderr, show_pos=True
            )
        try:
            with bar if bar is not None else _Null():
                info = audit(
                    paths,
                    out,
                    options=options,
                    partition_size=partition_size,
                    resume=resume,
                    client=client,
                    progress=bar.update if bar is not None else None,
                )
        except AuditError as exc:
            fail(str(exc))
    finally:
        if client is not None:
            from postguard.archive.audit import close_client

            close_client(client)
    stats = info.stats
    click.echo(
        f"{stats['items_read']:,} items read, {stats['checked']:,} checked "
        f"({info.checked_this_run:,} in this run, {info.partitions_skipped} partitions "
        f"already done), {stats['flagged']:,} with findings, {stats['errors']:,} errors; "
        f"report in {out}/summary.html"
    )


class _Null:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


def register(cli: click.Group) -> None:
    cli.add_command(audit_archive)
