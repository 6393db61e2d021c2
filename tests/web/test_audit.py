"""The record: every action is in it, the hash chain detects any change, export works."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta
from itertools import pairwise
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from postguard.cli import main
from postguard.web.audit import services as audit
from postguard.web.audit.models import AuditEntry, AuditHead
from postguard.web.errors import NotAllowed
from postguard.web.workflow import services as workflow

from .conftest import World

pytestmark = pytest.mark.django_db


def _table() -> str:
    return connection.ops.quote_name(AuditEntry._meta.db_table)


def test_every_step_of_a_post_is_recorded_with_before_and_after(world: World) -> None:
    post = world.submitted()
    workflow.add_comment(world["reviewer"], post, "Looks fine")
    workflow.review(world["reviewer"], post, "approve")
    actions = [e.action for e in workflow.history(post)]
    assert actions == ["post.create", "post.submit", "post.comment", "post.review.approve"]
    submit = AuditEntry.objects.get(action="post.submit", object_id=str(post.pk))
    assert submit.before["state"] == "draft" and submit.after["state"] == "submitted"
    assert submit.actor_name == "author" and submit.org_id == world.org.pk


def test_the_chain_of_an_untouched_record_verifies(world: World) -> None:
    world.submitted()
    result = audit.verify()
    assert result.ok, result.describe()
    assert result.checked == AuditEntry.objects.count()
    head = AuditHead.objects.get(id=1)
    assert head.hash == result.last_hash


def test_a_row_changed_in_the_database_is_detected_and_named(world: World) -> None:
    world.submitted()
    victim = AuditEntry.objects.get(action="post.submit")
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {_table()} SET actor_name = %s WHERE seq = %s", ["someone-else", victim.seq]
        )
    result = audit.verify()
    assert not result.ok
    assert result.broken_seq == victim.seq
    assert "altered" in result.reason


def test_a_row_rewritten_with_a_fresh_hash_fails_its_mac_and_breaks_the_next_link(
    world: World,
) -> None:
    world.submitted()
    victim = AuditEntry.objects.get(action="post.create")
    victim.after = {**victim.after, "text": "something else"}
    victim.hash = audit.entry_hash(audit.fields_of(victim))
    AuditEntry.objects.filter(seq=victim.seq).update(after=victim.after, hash=victim.hash)
    result = audit.verify()
    assert not result.ok
    assert result.broken_seq == victim.seq
    assert "MAC does not match" in result.reason
    assert any(p.seq == victim.seq + 1 and "previous hash" in p.reason for p in result.problems)


def test_a_deleted_row_is_detected(world: World) -> None:
    world.submitted()
    middle = AuditEntry.objects.order_by("seq")[3]
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {_table()} WHERE seq = %s", [middle.seq])
    result = audit.verify()
    assert not result.ok and result.broken_seq == middle.seq + 1
    assert f"entry {middle.seq} is missing" in result.reason


def test_rows_cut_off_the_end_are_detected(world: World) -> None:
    world.submitted()
    last = AuditEntry.objects.order_by("-seq")[0]
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {_table()} WHERE seq = %s", [last.seq])
    result = audit.verify()
    assert not result.ok
    assert "at the end were deleted" in result.reason


def test_audit_verify_command_exits_1_naming_the_broken_entry(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    world.submitted()
    with pytest.raises(SystemExit) as done:
        main(["audit", "verify"])
    assert done.value.code in (0, None)
    assert "intact" in capsys.readouterr().out
    victim = AuditEntry.objects.get(action="post.submit")
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {_table()} SET action = %s WHERE seq = %s", ["x", victim.seq])
    with pytest.raises(SystemExit) as done:
        main(["audit", "verify"])
    assert done.value.code == 1
    assert f"broken at entry {victim.seq}" in capsys.readouterr().err


def test_export_writes_a_period_as_csv_and_json(world: World) -> None:
    world.submitted()
    total = AuditEntry.objects.count()
    out = io.StringIO()
    assert audit.export(out, "csv") == total
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert len(rows) == total and rows[-1]["action"] == "post.submit"
    assert json.loads(rows[-1]["after"])["state"] == "submitted"
    out = io.StringIO()
    audit.export(out, "json", since=timezone.now() + timedelta(days=1))
    assert json.loads(out.getvalue()) == []
    out = io.StringIO()
    audit.export(out, "json", since=timezone.now() - timedelta(days=1))
    data = json.loads(out.getvalue())
    assert len(data) == total and {"seq", "hash", "prev_hash", "before", "after"} <= set(data[0])


def test_exported_entries_can_be_verified_on_their_own(world: World) -> None:
    world.submitted()
    rows = list(audit.export_rows())
    for previous, row in pairwise(rows):
        assert row["prev_hash"] == previous["hash"]
        fields = {k: v for k, v in row.items() if k not in {"hash", "key_id", "mac"}}
        assert audit.entry_hash(fields) == row["hash"]


def test_audit_export_command_writes_csv(
    world: World, capsys: pytest.CaptureFixture[str], tmp_path: object
) -> None:
    world.submitted()
    with pytest.raises(SystemExit) as done:
        main(["audit", "export", "--format", "csv", "--since", "2000-01-01"])
    assert done.value.code in (0, None)
    out = capsys.readouterr().out
    assert out.startswith("seq,at,actor_id") and "post.submit" in out


def test_only_admins_and_the_chair_read_the_record_in_the_workspace(world: World) -> None:
    world.submitted()
    assert audit.list_entries(world["chair"], world.org).exists()
    with pytest.raises(NotAllowed):
        audit.list_entries(world["reviewer"], world.org)
    assert (
        not audit.list_entries(world["outsider"], world.other_org)
        .filter(org_id=world.org.pk)
        .exists()
    )


def _export(world: World, role: str, **params: str) -> Any:
    query = {"since": "2000-01-01", "until": "2100-12-31", "format": "csv", **params}
    return world.client(role).post("/audit/export/", query)


def test_the_chair_exports_the_record_of_a_period_as_csv(world: World) -> None:
    post = world.submitted()
    response = _export(world, "chair")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == (
        'attachment; filename="audit-ipala-test-2000-01-01-to-2100-12-31.csv"'
    )
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert {"seq", "at", "actor_name", "action", "before", "after", "prev_hash", "hash"} <= set(
        rows[0]
    )
    assert ("post.submit", str(post.pk)) in {(r["action"], r["object_id"]) for r in rows}
    # Only this organization's entries: the other organization's are not in it.
    assert {r["org_id"] for r in rows} == {str(world.org.pk)}
    # The export itself goes into the record.
    entry = AuditEntry.objects.filter(action="audit.export").latest("seq")
    assert entry.actor_name == "chair" and entry.after["entries"] == len(rows)


def test_an_export_as_json_holds_only_the_period(world: World) -> None:
    world.submitted()
    today = timezone.now().date()
    yesterday = today - timedelta(days=1)
    response = _export(world, "admin", format="json", since=str(today), until=str(today))
    assert response["Content-Type"].startswith("application/json")
    rows = json.loads(response.content)
    assert rows and all(r["at"].startswith(str(today)) for r in rows)
    empty = json.loads(
        _export(world, "admin", format="json", since="2000-01-01", until=str(yesterday)).content
    )
    assert empty == []


def test_an_export_with_a_bad_period_is_refused(world: World) -> None:
    assert _export(world, "chair", since="2030-01-02", until="2030-01-01").status_code == 400
    assert _export(world, "chair", since="not a date").status_code == 400
    assert _export(world, "chair", format="xml").status_code == 400


def test_the_audit_page_offers_the_export(world: World) -> None:
    html = world.client("chair").get("/audit/").content.decode()
    assert 'method="post" action="/audit/export/"' in html and 'name="format"' in html
    assert "csrfmiddlewaretoken" in html


def test_export_for_refuses_people_who_cannot_read_the_record(world: World) -> None:
    with pytest.raises(NotAllowed):
        audit.export_for(world["reviewer"], world.org, io.StringIO(), "csv")
