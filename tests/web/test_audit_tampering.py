"""Someone with access to the database rewrites the audit record as well as they can.

Each test first carries out the attack the way an attacker would (every hash after the
change recomputed, the head moved to match), then checks that the service and the CLI
see it. Which attacks are caught depends on what the attacker holds: the database only
(the MACs give them away), the key too (only a checkpoint kept elsewhere does).
"""

from __future__ import annotations

import json
import logging
import os
import stat
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from postguard.cli import main
from postguard.web.audit import checkpoints, keys
from postguard.web.audit import services as audit
from postguard.web.audit.jobs import write_checkpoint
from postguard.web.audit.keys import AuditKey
from postguard.web.audit.models import AuditEntry, AuditHead
from postguard.web.errors import Conflict
from postguard.web.workflow import services as workflow

from .conftest import World

pytestmark = pytest.mark.django_db

ATTACKER_KEY = AuditKey.from_text("the attacker's own key, long enough to pass" * 2)
STORED = (*audit.HASHED_FIELDS, "hash", "key_id", "mac")


def _cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as done:
        main(args)
    out, err = capsys.readouterr()
    code = done.value.code
    return (0 if code is None else int(code)), out, err


def _rewrite_from(
    seq: int, change: Callable[[AuditEntry], None], *, key: AuditKey | None = None
) -> None:
    """Change entry ``seq``, recompute the hash of it and every entry after it, sign them with
    ``key`` when the attacker has one, and move the head: the chain agrees with itself."""
    previous = AuditEntry.objects.get(seq=seq - 1).hash if seq > 1 else audit.GENESIS
    last = None
    for entry in AuditEntry.objects.filter(seq__gte=seq).order_by("seq"):
        if entry.seq == seq:
            change(entry)
        entry.prev_hash = previous
        entry.hash = audit.entry_hash(audit.fields_of(entry))
        if key is not None:
            entry.key_id, entry.mac = key.key_id, key.sign(audit.ENTRY_PURPOSE, entry.hash)
        AuditEntry.objects.filter(pk=entry.pk).update(**{f: getattr(entry, f) for f in STORED})
        previous, last = entry.hash, entry
    assert last is not None
    AuditHead.objects.filter(id=1).update(seq=last.seq, hash=last.hash)


def _truncate_to(seq: int) -> None:
    """Delete the entries after ``seq`` and wind the head back to it."""
    AuditEntry.objects.filter(seq__gt=seq).delete()
    kept = AuditEntry.objects.get(seq=seq)
    AuditHead.objects.filter(id=1).update(seq=kept.seq, hash=kept.hash)


def _wipe() -> None:
    AuditEntry.objects.all().delete()
    AuditHead.objects.filter(id=1).update(seq=0, hash=audit.GENESIS)


def _checkpoint_now() -> Path:
    done = audit.checkpoint(mail=False)
    assert done.path is not None
    return done.path


def _unsign(entry: AuditEntry) -> None:
    entry.after = {**(entry.after or {}), "text": "Buy any formula you like."}


@pytest.fixture
def recorded(world: World) -> World:
    """A record of a dozen entries or so."""
    post = world.submitted()
    workflow.add_comment(world["reviewer"], post, "Looks fine")
    workflow.review(world["reviewer"], post, "approve")
    world.submitted("A second post for the record, about the library's opening hours.")
    return world


# --- the MAC: an attacker with the database only -----------------------------------------


def test_every_entry_is_signed_with_the_audit_key(recorded: World) -> None:
    signer = keys.load().signing
    for entry in AuditEntry.objects.all():
        assert entry.key_id == signer.key_id
        assert entry.mac == signer.sign(audit.ENTRY_PURPOSE, entry.hash)


def test_an_entry_edited_with_every_later_hash_and_the_head_recomputed_is_detected(
    recorded: World, capsys: pytest.CaptureFixture[str]
) -> None:
    victim = AuditEntry.objects.filter(action="post.create").order_by("seq").first()
    assert victim is not None
    _rewrite_from(victim.seq, _unsign)
    result = audit.verify()
    # The chain agrees with itself (hashes alone would call it intact); the MAC does not.
    assert [p.reason for p in result.problems] == [result.reason]
    assert not result.ok and result.broken_seq == victim.seq
    assert "MAC does not match" in result.reason
    code, out, err = _cli(["audit", "verify"], capsys)
    assert code == 1 and out == ""
    assert err.splitlines()[0].startswith(f"postguard: audit record broken at entry {victim.seq}:")


def test_an_entry_resigned_with_another_key_is_detected(
    recorded: World, capsys: pytest.CaptureFixture[str]
) -> None:
    victim = AuditEntry.objects.order_by("seq")[4]
    _rewrite_from(victim.seq, _unsign, key=ATTACKER_KEY)
    result = audit.verify()
    assert result.broken_seq == victim.seq
    assert f"key that is not configured (key id {ATTACKER_KEY.key_id})" in result.reason
    code, _, err = _cli(["audit", "verify"], capsys)
    assert code == 1 and f"broken at entry {victim.seq}" in err


def test_an_entry_keeping_the_real_key_id_with_a_made_up_mac_is_detected(recorded: World) -> None:
    victim = AuditEntry.objects.order_by("seq")[2]
    AuditEntry.objects.filter(pk=victim.pk).update(mac="0" * 64)
    result = audit.verify()
    assert result.broken_seq == victim.seq and "MAC does not match" in result.reason


def test_a_mac_removed_after_signed_entries_is_detected(recorded: World) -> None:
    victim = AuditEntry.objects.order_by("seq")[3]
    _rewrite_from(victim.seq, _unsign)
    AuditEntry.objects.filter(seq__gte=victim.seq).update(mac="", key_id="")
    result = audit.verify()
    assert result.broken_seq == victim.seq and "its MAC was removed" in result.reason


def test_verifying_with_another_key_than_the_record_was_signed_with_fails(
    recorded: World, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(keys.ENV_KEY, "a different key that signed nothing here" * 2)
    result = audit.verify()
    assert result.broken_seq == 1 and "key that is not configured" in result.reason
    code, _, err = _cli(["audit", "verify"], capsys)
    assert code == 1 and "broken at entry 1" in err


def test_a_rotated_key_still_verifies_what_the_old_key_signed(
    recorded: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    old = os.environ[keys.ENV_KEY]
    monkeypatch.setenv(keys.ENV_KEY, f"a brand new key for the audit record rotated in,{old}")
    before = AuditEntry.objects.count()
    workflow.add_comment(recorded["chair"], recorded.submitted(), "Signed with the new key")
    assert audit.verify().ok
    newest = AuditEntry.objects.order_by("-seq").first()
    assert newest is not None and newest.key_id == keys.load().signing.key_id
    assert AuditEntry.objects.filter(key_id=AuditKey.from_text(old).key_id).count() == before


# --- checkpoints: cutting, winding back, wiping, and the attacker who holds the key --------


def test_truncating_the_tail_and_winding_back_the_head_is_detected_by_a_checkpoint(
    recorded: World, capsys: pytest.CaptureFixture[str]
) -> None:
    _checkpoint_now()
    total = AuditEntry.objects.count()
    _truncate_to(total - 3)
    result = audit.verify()
    assert result.broken_seq == total - 2
    assert f"ends at entry {total - 3}" in result.reason and f"recorded {total}" in result.reason
    assert "head wound back" in result.reason
    code, _, err = _cli(["audit", "verify"], capsys)
    assert code == 1 and f"broken at entry {total - 2}" in err


def test_without_a_checkpoint_a_wound_back_record_cannot_be_told_from_a_shorter_one(
    recorded: World,
) -> None:
    # The limit the checkpoints exist for: stated here so that nobody relies on the MACs for it.
    _truncate_to(AuditEntry.objects.count() - 3)
    assert audit.verify().ok


def test_wiping_the_record_and_its_head_is_detected_by_a_checkpoint(
    recorded: World, capsys: pytest.CaptureFixture[str]
) -> None:
    _checkpoint_now()
    total = AuditEntry.objects.count()
    _wipe()
    result = audit.verify()
    assert not result.ok and result.checked == 0
    assert result.broken_seq == 1 and "the record is empty but the checkpoint" in result.reason
    assert f"recorded {total} entries: it was wiped" in result.reason
    AuditHead.objects.all().delete()
    code, _, err = _cli(["audit", "verify"], capsys)
    assert code == 1 and "it was wiped" in err


def test_a_rewrite_signed_with_the_stolen_key_is_detected_by_an_earlier_checkpoint(
    recorded: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    _checkpoint_now()
    checkpointed = AuditEntry.objects.count()
    workflow.add_comment(recorded["chair"], recorded.submitted(), "After the checkpoint")
    stolen = keys.load().signing
    victim = AuditEntry.objects.order_by("seq")[2]
    _rewrite_from(victim.seq, _unsign, key=stolen)
    result = audit.verify()
    # Every MAC is right; only the checkpoint remembers what entry N's hash was.
    assert [p.seq for p in result.problems] == [checkpointed]
    assert (
        "differs from the checkpoint" in result.reason and "rewritten up to here" in result.reason
    )


def test_stripping_every_mac_is_detected_by_a_checkpoint(recorded: World) -> None:
    _checkpoint_now()
    workflow.add_comment(recorded["chair"], recorded.submitted(), "After the checkpoint")
    AuditEntry.objects.update(mac="", key_id="")
    result = audit.verify()
    assert result.broken_seq == 1
    assert "only the first 0 entries predate the audit key: MACs were removed" in result.reason


def test_a_forged_checkpoint_is_reported_and_not_trusted(
    recorded: World, capsys: pytest.CaptureFixture[str]
) -> None:
    genuine = _checkpoint_now()
    data = json.loads(genuine.read_text())
    forged = checkpoints.directory() / "checkpoint-999999999999-20300101T000000Z.json"
    forged.write_text(json.dumps({**data, "seq": 999999999999, "entries": 999999999999}))
    result = audit.verify()
    assert [p.seq for p in result.problems] == [None]
    assert f"checkpoint {forged} does not match its MAC: forged or altered" in result.reason
    code, _, err = _cli(["audit", "verify"], capsys)
    assert code == 1 and "forged" in err and "wiped" not in err


def test_a_checkpoint_signed_with_another_key_is_reported(recorded: World, tmp_path: Path) -> None:
    latest = AuditEntry.objects.order_by("-seq").first()
    assert latest is not None
    made_up = checkpoints.Checkpoint.make(
        ATTACKER_KEY,
        seq=latest.seq,
        entries=latest.seq,
        head=latest.hash,
        unsealed=0,
        at=timezone.now(),
    )
    path = checkpoints.write(made_up, tmp_path)
    result = audit.verify([path])
    assert "signed with a key that is not configured" in result.reason


@pytest.mark.parametrize(
    ("content", "why"),
    [
        (b"not json", "it is not JSON"),
        (b"[]", "it is not a postguard-audit-checkpoint/1 file"),
        (b'{"format": "postguard-audit-checkpoint/1", "seq": -1}', "its seq is not a whole number"),
        (b"\xff\xfe", "it is not UTF-8 text"),
        (b"{" * 5000, "it is larger than 4096 bytes"),
    ],
)
def test_an_unusable_checkpoint_file_is_named_with_what_is_wrong(
    recorded: World, tmp_path: Path, content: bytes, why: str
) -> None:
    path = tmp_path / "checkpoint-bad.json"
    path.write_bytes(content)
    result = audit.verify([path])
    assert not result.ok and result.reason == f"checkpoint {path} is unusable: {why}"


# --- making checkpoints --------------------------------------------------------------------


def test_a_checkpoint_holds_the_head_and_is_mailed_to_the_chairs(recorded: World) -> None:
    mail.outbox.clear()
    done = audit.checkpoint()
    assert done.path is not None and done.path.parent == checkpoints.directory()
    data = json.loads(done.path.read_text())
    head = AuditHead.objects.get(id=1)
    assert (data["seq"], data["entries"], data["head"]) == (head.seq, head.seq, head.hash)
    assert set(data) == {"format", "seq", "entries", "head", "unsealed", "at", "key_id", "mac"}
    assert done.mailed_to == ("chair@example.org",)
    [message] = mail.outbox
    assert message.to == ["chair@example.org"] and head.hash in str(message.body)
    assert "postguard audit verify --checkpoint" in str(message.body)
    [(name, content, mimetype)] = message.attachments  # type: ignore[misc]
    assert name == done.path.name and json.loads(content) == data
    assert mimetype == "application/json"
    # The mailed copy is as good as the file: verify accepts it on its own.
    saved = done.path.parent.parent / "mailed.json"
    saved.write_text(content)
    assert audit.verify([saved]).checkpoints == 1


def test_the_periodic_job_writes_a_checkpoint_only_when_the_record_moved(
    recorded: World,
) -> None:
    mail.outbox.clear()
    first = write_checkpoint()
    assert first.endswith(".json") and len(mail.outbox) == 1
    assert write_checkpoint() == "unchanged" and len(mail.outbox) == 1
    workflow.add_comment(recorded["chair"], recorded.submitted(), "Something new happened")
    second = write_checkpoint()
    assert second != first and len(mail.outbox) == 2
    assert len(list(checkpoints.directory().glob("checkpoint-*.json"))) == 2


def test_the_checkpoint_job_is_registered_with_the_worker() -> None:
    from postguard.web.jobs import registered

    job = {j.name: j for j in registered()}["audit.checkpoint"]
    assert job.every == timedelta(hours=24)


def test_a_record_that_does_not_verify_gets_no_checkpoint_and_the_chairs_are_told(
    recorded: World, caplog: pytest.LogCaptureFixture
) -> None:
    _rewrite_from(3, _unsign)
    mail.outbox.clear()
    with pytest.raises(Conflict, match="no checkpoint written: audit record broken at entry 3"):
        audit.checkpoint()
    assert not list(checkpoints.directory().glob("checkpoint-*.json"))
    [message] = mail.outbox
    assert "does not verify" in str(message.subject) and "entry 3" in str(message.body)
    # The periodic job says so in one log line and tells the chairs again.
    with caplog.at_level(logging.ERROR, logger="postguard.web.audit.jobs"):
        assert write_checkpoint().startswith("refused: no checkpoint written")
    assert [r.exc_info for r in caplog.records] == [None]
    assert len(mail.outbox) == 2


def test_entries_recorded_before_the_key_existed_are_checked_by_hash_only_and_said_so(
    recorded: World,
) -> None:
    # As just after the upgrade: no entry has a MAC yet.
    total = AuditEntry.objects.count()
    AuditEntry.objects.update(mac="", key_id="")
    result = audit.verify()
    assert result.ok and result.unsealed == total
    assert f"{total} entries recorded before the audit key existed" in result.describe()
    # The first checkpoint pins them: rewriting one afterwards shows.
    _checkpoint_now()
    _rewrite_from(2, _unsign)
    result = audit.verify()
    assert result.broken_seq == total and "differs from the checkpoint" in result.reason


def test_entries_before_the_key_are_pinned_by_the_first_signed_entry_after_them(
    recorded: World,
) -> None:
    legacy = AuditEntry.objects.order_by("seq")[5].seq
    AuditEntry.objects.filter(seq__lte=legacy).update(mac="", key_id="")
    assert audit.verify().unsealed == legacy
    _rewrite_from(2, _unsign)
    AuditEntry.objects.filter(seq__lte=legacy).update(mac="", key_id="")
    # The first signed entry's MAC covers its link to them, which the rewrite changed.
    result = audit.verify()
    assert result.broken_seq == legacy + 1 and "MAC does not match" in result.reason


def test_the_cli_writes_a_checkpoint_and_verify_checks_a_given_file(
    recorded: World, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    mail.outbox.clear()
    code, out, err = _cli(["audit", "checkpoint"], capsys)
    assert code == 0 and out.startswith("wrote ") and "mailed to chair@example.org" in err
    written = Path(out.split()[1].rstrip(":"))
    kept = tmp_path / "kept.json"
    kept.write_bytes(written.read_bytes())
    written.unlink()  # the directory's copy is gone; the one kept elsewhere still counts
    total = AuditEntry.objects.count()
    _truncate_to(total - 1)
    code, out, _ = _cli(["audit", "verify"], capsys)
    assert code == 0 and "no checkpoint to compare with" in out
    code, _, err = _cli(["audit", "verify", "--checkpoint", str(kept)], capsys)
    assert code == 1 and f"broken at entry {total}:" in err


def test_audit_verify_prints_the_head_to_keep(
    recorded: World, capsys: pytest.CaptureFixture[str]
) -> None:
    _checkpoint_now()
    head = AuditHead.objects.get(id=1)
    code, out, _ = _cli(["audit", "verify"], capsys)
    assert code == 0
    assert "intact" in out and "matches 1 checkpoint(s)" in out
    assert f"head to keep: entry {head.seq} {head.hash}" in out


def test_audit_verify_names_a_missing_checkpoint_file_in_one_line(
    recorded: World, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = _cli(["audit", "verify", "--checkpoint", str(tmp_path / "nope.json")], capsys)
    assert code == 2 and "does not exist" in err and "Traceback" not in err


def test_one_line_per_problem_each_naming_its_first_entry(
    recorded: World, capsys: pytest.CaptureFixture[str]
) -> None:
    _checkpoint_now()
    total = AuditEntry.objects.count()
    _rewrite_from(2, _unsign)
    _truncate_to(total - 2)
    code, _, err = _cli(["audit", "verify"], capsys)
    lines = err.splitlines()
    assert code == 1 and len(lines) == 2
    assert lines[0].startswith("postguard: audit record broken at entry 2: its MAC")
    assert lines[1].startswith(f"postguard: audit record broken at entry {total - 1}: the record")


# --- exports, the page, start-up ---------------------------------------------------------


def test_the_cli_export_refuses_a_record_that_does_not_verify_unless_forced(
    recorded: World, capsys: pytest.CaptureFixture[str]
) -> None:
    _rewrite_from(2, _unsign)
    code, out, err = _cli(["audit", "export", "--format", "json"], capsys)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "does not verify (audit record broken at entry 2" in err
    assert err.rstrip().endswith("To export it anyway, pass --force.")
    code, out, err = _cli(["audit", "export", "--format", "json", "--force"], capsys)
    assert code == 0 and len(json.loads(out)) == AuditEntry.objects.count()
    assert "exporting a record that does not verify" in err


def test_the_web_export_is_refused_with_the_reason_when_the_record_does_not_verify(
    recorded: World,
) -> None:
    _rewrite_from(2, _unsign)
    response = recorded.client("chair").post(
        "/audit/export/", {"since": "2000-01-01", "until": "2100-12-31", "format": "csv"}
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "does not verify" in html and "entry 2" in html
    assert not AuditEntry.objects.filter(action="audit.export").exists()


def test_the_web_export_by_get_writes_nothing(recorded: World) -> None:
    response = recorded.client("chair").get(
        "/audit/export/", {"since": "2000-01-01", "until": "2100-12-31", "format": "csv"}
    )
    assert response.status_code == 405
    assert not AuditEntry.objects.filter(action="audit.export").exists()


def test_the_audit_page_shows_an_intact_chain_and_the_last_checkpoint(recorded: World) -> None:
    client = recorded.client("chair")
    html = client.get("/audit/").content.decode()
    assert "Intact" in html and "Last checkpoint: none yet" in html
    point = audit.checkpoint(mail=False).checkpoint
    assert point is not None
    html = client.get("/audit/").content.decode()
    assert f"Last checkpoint: {point.at:%Y-%m-%d %H:%M} UTC (entry {point.seq})" in html


def test_the_audit_page_shows_a_broken_chain_with_its_reason(recorded: World) -> None:
    _checkpoint_now()
    client = recorded.client("admin")
    _wipe()
    html = client.get("/audit/").content.decode()
    assert 'role="alert"' in html and "Broken." in html and "it was wiped" in html
    assert "Exports are refused" in html


def test_serve_warns_at_start_up_when_the_record_does_not_verify(
    recorded: World, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from postguard.web import commands

    served: list[Any] = []
    monkeypatch.setattr("waitress.serve", lambda *a, **k: served.append(a))
    monkeypatch.setattr(commands, "_worker_loop", lambda stop, interval: None)
    code, _, err = _cli(["serve", "--no-demo", "--server", "waitress"], capsys)
    assert code == 0 and served and "WARNING" not in err
    _rewrite_from(2, _unsign)
    code, _, err = _cli(["serve", "--no-demo", "--server", "waitress"], capsys)
    assert code == 0 and len(served) == 2  # it still starts
    assert "postguard: WARNING: audit record broken at entry 2" in err
    assert "exports are refused" in err


# --- the key -------------------------------------------------------------------------------


def test_the_key_file_is_made_on_first_use_readable_by_its_owner_only(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv(keys.ENV_KEY, raising=False)
    monkeypatch.setenv("POSTGUARD_DATA_DIR", str(tmp_path))
    first = keys.load()
    path = tmp_path / "audit_key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert len(path.read_text()) >= keys.MIN_KEY_CHARS
    keys._cache.clear()
    assert keys.load().signing.key_id == first.signing.key_id  # the same key, read again


def test_production_refuses_to_run_without_an_explicit_audit_key(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv(keys.ENV_KEY, raising=False)
    monkeypatch.setenv("POSTGUARD_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("POSTGUARD_PRODUCTION", "1")
    with pytest.raises(keys.AuditKeyError, match="POSTGUARD_AUDIT_KEY"):
        keys.load()
    assert not (tmp_path / "audit_key").exists()
    code, _, err = _cli(["audit", "verify", "--data-dir", str(tmp_path)], capsys)
    assert code == 2 and err.count("\n") == 1 and "POSTGUARD_AUDIT_KEY" in err
    key_file = tmp_path / "named_key"
    key_file.write_text(keys.generate_key())
    monkeypatch.setenv(keys.ENV_KEY_FILE, str(key_file))
    assert keys.load().signing.key_id == AuditKey.from_text(key_file.read_text()).key_id


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({keys.ENV_KEY: "short"}, "shorter than 32 characters"),
        ({keys.ENV_KEY: "k" * 40, keys.ENV_KEY_FILE: "/x"}, "not both"),
        ({keys.ENV_KEY_FILE: "/nonexistent/audit_key"}, "cannot be read"),
        ({keys.ENV_KEY: " , "}, "holds no key"),
    ],
)
def test_a_bad_key_setting_is_one_clear_sentence(env: dict[str, str], message: str) -> None:
    with pytest.raises(keys.AuditKeyError, match=message) as raised:
        keys.load(env)
    assert "\n" not in str(raised.value)


def test_a_missing_key_refuses_writes_with_a_clear_message(
    recorded: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(keys.ENV_KEY, "")
    monkeypatch.setenv(keys.ENV_KEY_FILE, "/nonexistent/audit_key")
    with pytest.raises(Conflict, match="cannot be read"):
        workflow.add_comment(recorded["chair"], recorded.submitted(), "Not recorded")
    assert "MACs cannot be checked" in audit.verify().reason


def test_an_entry_appended_while_verifying_is_not_taken_for_a_cut(
    recorded: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    streamed = audit._stream

    def all_but_the_newest() -> Any:
        # As if the newest entry was committed after the walk's query began.
        rows = list(streamed())
        yield from rows[:-1]

    with monkeypatch.context() as patched:
        patched.setattr(audit, "_stream", all_but_the_newest)
        assert audit.verify().ok
    # A real cut, by contrast, leaves nothing after the last entry read.
    AuditEntry.objects.filter(seq=AuditEntry.objects.count()).delete()
    assert "entries at the end were deleted" in audit.verify().reason


# --- size ----------------------------------------------------------------------------------


def test_a_long_record_verifies_entry_by_entry(world: World) -> None:
    for i in range(3000):
        audit.record("test.bulk", org=world.org, object_type="test", object_id=i)
    _checkpoint_now()
    result = audit.verify()
    assert result.ok and result.checked == AuditEntry.objects.count() >= 3000
    AuditEntry.objects.filter(seq=2500).update(actor_name="someone")
    assert audit.verify().broken_seq == 2500
