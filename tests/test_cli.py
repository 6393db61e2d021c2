"""The `postguard` command: check, rules, explain; exit codes 0/1/2 with a
one-line error and never a traceback."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from postguard.cli import main

DEMO = (
    "Baby Liam (DOB 3/4/25) at St Mary's ward 4 still isn't latching, "
    "call his mum Sarah on 07700 900123"
)


def run(
    capsys: pytest.CaptureFixture[str],
    *args: str,
    stdin: bytes | None = None,
    monkeypatch: pytest.MonkeyPatch | None = None,
) -> tuple[int, str, str]:
    if stdin is not None:
        assert monkeypatch is not None
        fake = io.TextIOWrapper(io.BytesIO(stdin))
        monkeypatch.setattr(sys, "stdin", fake)
    with pytest.raises(SystemExit) as caught:
        main(list(args))
    out, err = capsys.readouterr()
    code = caught.value.code
    return (code if isinstance(code, int) else 0), out, err


def test_it_blocks_the_demo_post_and_marks_the_spans(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check", DEMO)
    assert code == 1
    assert out.startswith("BLOCK")
    assert "[07700 900123]" in out and "[Liam]" in out
    assert "IPALA-2a-phone" in out and "Fix:" in out and "Clause:" in out


def test_it_passes_a_compliant_post(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys,
        "check",
        "--account",
        "official",
        "Join us on Saturday for our breastfeeding café at the library.",
    )
    assert code == 0
    assert out.startswith("PASS")


def test_json_output_follows_the_contract(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check", "--format", "json", DEMO)
    data = json.loads(out)
    assert code == 1 and data["decision"] == "block"
    keys = {
        "rule_id",
        "pack",
        "clause",
        "category",
        "severity",
        "start",
        "end",
        "evidence",
        "score",
        "message",
        "fix",
    }
    assert all(keys <= set(f) for f in data["findings"])


def test_jsonl_reports_a_malformed_line_and_carries_on(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = b"\n".join(
        [
            json.dumps({"id": "a", "text": DEMO}).encode(),
            b"{not json",
            json.dumps(
                {"id": "c", "text": "Lovely workshop today!", "account": "official"}
            ).encode(),
            json.dumps({"id": "d", "text": ""}).encode(),
        ]
    )
    code, out, err = run(capsys, "check", "--format", "jsonl", stdin=lines, monkeypatch=monkeypatch)
    rows = [json.loads(line) for line in out.splitlines()]
    assert [r["id"] for r in rows] == ["a", "line-2", "c", "d"]
    assert rows[0]["decision"] == "block"
    assert "error" in rows[1] and "not valid JSON" in rows[1]["error"]
    assert rows[2]["decision"] == "pass"
    assert "empty" in rows[3]["error"]
    assert "line 2 " in err and "line 4 " in err
    assert code == 2


def test_fail_on_block_lets_review_findings_through(capsys: pytest.CaptureFixture[str]) -> None:
    text = "Personally I think the new guidance is a mess."
    assert run(capsys, "check", "--account", "official", text)[0] == 1
    assert run(capsys, "check", "--account", "official", "--fail-on", "block", text)[0] == 0


BAD_INPUT = [
    ("invalid utf-8", b"Baby \xff\xfe Liam", "not valid UTF-8"),
    ("binary file", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
    ("empty post", b"", "empty"),
    ("one megabyte post", b"a" * 1_048_576, "limit"),
]


@pytest.mark.parametrize(("case", "blob", "reason"), BAD_INPUT, ids=[b[0] for b in BAD_INPUT])
def test_bad_input_gets_one_line_and_exit_code_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, case: str, blob: bytes, reason: str
) -> None:
    path = tmp_path / "post.txt"
    path.write_bytes(blob)
    code, out, err = run(capsys, "check", "--file", str(path))
    assert code == 2
    assert reason in err
    assert err.count("\n") == 1 and err.startswith("postguard: error:")
    assert "Traceback" not in err + out


def test_a_missing_file_is_one_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, "check", "--file", str(tmp_path / "nope.txt"))
    assert code == 2 and "cannot read" in err and err.count("\n") == 1


def test_a_corrupt_image_is_one_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    image = tmp_path / "latch.jpg"
    image.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF truncated")
    code, _, err = run(capsys, "check", "--media", str(image), "Look at this latch")
    assert code == 2 and "latch.jpg" in err and err.count("\n") == 1


def test_a_broken_policy_directory_is_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    (tmp_path / "bad.yaml").write_text("pack: [\n", encoding="utf-8")
    code, _, err = run(capsys, "check", "--policy", str(tmp_path), "hello")
    assert code == 2 and "bad.yaml:" in err and "not valid YAML" in err


def test_an_unknown_option_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "check", "--colour", "red", "hello")
    assert code == 2 and "No such option" in err and err.count("\n") == 1


def test_rules_lists_every_provision_of_both_codes(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "rules")
    assert code == 0
    for rule_id in (
        "IPALA-1-authorized",
        "IPALA-2a-phone",
        "IPALA-2g-employer",
        "IPALA-4-evaluation",
        "IBLCE-care-plan",
        "IBLCE-cpc63-bias",
        "WHO-5.1-promotion",
    ):
        assert rule_id in out


def test_rules_filters_by_category_family(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "rules", "--category", "privacy")
    assert "IPALA-2a-phone" in out and "WHO-5.1-promotion" not in out


def test_rules_refuses_an_unknown_pack(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "rules", "--pack", "nope")
    assert code == 2 and "unknown pack 'nope'" in err


def test_explain_shows_the_clause_and_examples(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "explain", "IPALA-2a-phone")
    assert code == 0
    assert "phone numbers, or medical histories" in out and "Examples:" in out and "Fix:" in out


def test_explain_suggests_a_close_rule_for_an_unknown_id(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, _, err = run(capsys, "explain", "IPALA-2a-phon")
    assert code == 2 and "did you mean IPALA-2a-phone?" in err


def test_a_bulk_scan_with_worker_processes_gives_the_same_lines_in_the_same_order(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    texts = [DEMO, "Lovely workshop today!", "{broken", "What a shitty day.", ""] * 120
    lines = [
        t if t == "{broken" else json.dumps({"id": str(n), "text": t}) for n, t in enumerate(texts)
    ]
    path = tmp_path / "bulk.jsonl"
    path.write_text("\n".join(lines), encoding="utf-8")
    single = run(capsys, "check", "--format", "jsonl", "--file", str(path))
    pooled = run(capsys, "check", "--format", "jsonl", "--jobs", "2", "--file", str(path))
    assert single[0] == pooled[0] == 2
    assert single[1] == pooled[1]
    assert len(single[1].splitlines()) == len(texts)


@pytest.mark.parametrize("args", [("check", "-"), ("check", "--file", "-")])
def test_a_dash_reads_the_post_from_standard_input(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...]
) -> None:
    code, out, _ = run(
        capsys, *args, "--format", "json", stdin=DEMO.encode(), monkeypatch=monkeypatch
    )
    assert code == 1
    assert json.loads(out)["decision"] == "block"


def test_a_dash_with_a_file_is_refused_in_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    post = tmp_path / "post.txt"
    post.write_text("hello", encoding="utf-8")
    code, _, err = run(capsys, "check", "-", "--file", str(post))
    assert code == 2 and "not both" in err
