"""The bad-input table: every kind of unusable input to `postguard check`
(arguments, files, media, JSONL lines, policy packs) gets exit code 2 and
exactly one line on stderr with the reason, never a traceback, a hang or a
lost batch. In a JSONL batch a bad line gets {"id", "error"} and every other
line is still checked, in order, with one or two worker processes.
"""

from __future__ import annotations

import io
import json
import os
import random
import struct
import sys
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

import postguard.cli as cli_module
from postguard.cli import main
from postguard.engine import Engine
from tests.images import plain_jpeg

GOOD_TEXT = "Join us on Saturday for our breastfeeding café at the library."


@pytest.fixture(autouse=True)
def _engine_built_once(monkeypatch: pytest.MonkeyPatch) -> None:
    # Building the built-in engine takes most of a second; the table runs
    # the command about a hundred times. Engines with extra packs or
    # overrides are still built (and refused) by the real code every time.
    built: list[Engine] = []
    real = cli_module.build_engine

    def build(
        policy_dirs: tuple[str, ...], no_builtin: bool, severities: tuple[str, ...]
    ) -> Engine:
        if policy_dirs or no_builtin or severities:
            return real(policy_dirs, no_builtin, severities)
        if not built:
            built.append(real(policy_dirs, no_builtin, severities))
        return built[0]

    monkeypatch.setattr(cli_module, "build_engine", build)


def run(
    capfd: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
    stdin: bytes = b"",
) -> tuple[int, str, str]:
    # capfd, not capsys: a C library (RE2, libjpeg) writing to file
    # descriptor 2 would break the one-line contract just as surely.
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin)))
    with pytest.raises(SystemExit) as caught:
        main(args)
    out, err = capfd.readouterr()
    code = caught.value.code
    return (code if isinstance(code, int) else 0), out, err


def assert_one_line_error(err: str, reason: str) -> None:
    assert "Traceback" not in err
    assert err.endswith("\n") and err.count("\n") == 1, f"not one line: {err!r}"
    assert err.startswith("postguard: error: "), err
    assert "internal error" not in err, err
    assert reason in err, f"{reason!r} not in {err!r}"


# --------------------------------------------------------------------------
# Fixtures made at run time


def corrupt_jpeg() -> bytes:
    """A JPEG with 32 bytes of its compressed data overwritten.

    Pillow decodes it without a word (libjpeg only warns); this is the
    "corrupt JPEG passes silently" of issue 10.
    """
    blob = bytearray(plain_jpeg())
    rnd = random.Random(0)
    middle = len(blob) // 2
    for i in range(middle, middle + 32):
        blob[i] = rnd.randrange(0x00, 0xFF)
    return bytes(blob)


def png_claiming(width: int, height: int) -> bytes:
    """A small PNG file whose header claims ``width`` × ``height`` pixels."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + data))
        return struct.pack(">I", len(data)) + kind + data + crc

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


def truncated_png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (200, 150), (120, 90, 60)).save(buffer, format="PNG")
    blob = buffer.getvalue()
    return blob[: len(blob) // 2]


GOOD_RULE = """\
pack: acme-employer
title: Acme Health employer policy
source: Acme Health social media policy
edition: "2024"
rules:
  - id: ACME-1-staffing
    title: Naming the employer's wards
    category: information.confidential
    clause:
      section: "1. Confidential operations"
      quote: "Do not post about ward staffing levels."
    detectors:
      - name: lexicon
        params: {category: information.confidential, phrases: [staffing levels, short-staffed]}
    severity: review
    message: The post discusses ward staffing, which the employer keeps confidential.
    fix: Remove the staffing details.
    examples:
      - {text: "We are so short-staffed on ward 9 tonight.", violates: true}
      - {text: "Lovely shift tonight.", violates: false}
"""


def billion_laughs() -> str:
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, 10):
        name, previous = chr(ord("a") + level), chr(ord("a") + level - 1)
        lines.append(f"{name}: &{name} [{', '.join([f'*{previous}'] * 9)}]")
    return GOOD_RULE + "\n".join(lines) + "\n"


# --------------------------------------------------------------------------
# The table: (kind, how to build the command in a temporary folder, reason)

Setup = Callable[[Path], tuple[list[str], bytes]]


@dataclass(frozen=True)
class Case:
    kind: str
    setup: Setup
    reason: str


def args(*items: str, stdin: bytes = b"") -> Setup:
    return lambda _tmp: (list(items), stdin)


def with_file(name: str, content: bytes | str, *before: str, after: tuple[str, ...] = ()) -> Setup:
    """Write ``content`` to ``name`` and run: check *before PATH *after."""

    def setup(tmp: Path) -> tuple[list[str], bytes]:
        path = tmp / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            path.write_text(content, encoding="utf-8")
        else:
            path.write_bytes(content)
        return ["check", *before, str(path), *after], b""

    return setup


def in_tmp(make: Callable[[Path], list[str]]) -> Setup:
    return lambda tmp: (make(tmp), b"")


def media(name: str, blob: bytes, *extra: str) -> Setup:
    return with_file(name, blob, *extra, "--media", after=(GOOD_TEXT,))


def pack(text: str | bytes) -> Setup:
    return with_file("pack.yaml", text, "--no-builtin", "--policy", after=(GOOD_TEXT,))


def _unreadable(tmp: Path) -> list[str]:
    path = tmp / "locked.txt"
    path.write_text(GOOD_TEXT, encoding="utf-8")
    path.chmod(0)
    return ["check", "--file", str(path)]


def _through_a_file(tmp: Path) -> list[str]:
    (tmp / "post.txt").write_text(GOOD_TEXT, encoding="utf-8")
    return ["check", "--file", str(tmp / "post.txt" / "more.txt")]


def _empty_policy_dir(tmp: Path) -> list[str]:
    (tmp / "packs").mkdir()
    return ["check", "--policy", str(tmp / "packs"), GOOD_TEXT]


def _pack_dir_named_yaml(tmp: Path) -> list[str]:
    (tmp / "packs" / "folder.yaml").mkdir(parents=True)
    return ["check", "--policy", str(tmp / "packs"), GOOD_TEXT]


def _two_packs_one_rule(tmp: Path) -> list[str]:
    (tmp / "a.yaml").write_text(GOOD_RULE, encoding="utf-8")
    copy = GOOD_RULE.replace("pack: acme-employer", "pack: acme-copy")
    (tmp / "b.yaml").write_text(copy, encoding="utf-8")
    return ["check", "--policy", str(tmp), GOOD_TEXT]


def _too_many_media(tmp: Path) -> list[str]:
    image = tmp / "plain.jpg"
    image.write_bytes(plain_jpeg())
    return ["check", *(["--media", str(image)] * 21), GOOD_TEXT]


def _media_over_20_mb(tmp: Path) -> list[str]:
    image = tmp / "huge.jpg"
    with image.open("wb") as handle:
        handle.truncate(21 * 1024 * 1024)
    return ["check", "--media", str(image), GOOD_TEXT]


ZERO_WIDTH = "\u200b\u200d\ufeff"

CASES = [
    # The command line
    Case("text and --file both", args("check", "--file", "x.txt", GOOD_TEXT), "not both"),
    Case("unknown option", args("check", "--colour", "red", GOOD_TEXT), "No such option"),
    Case("unknown --format", args("check", "--format", "xml", GOOD_TEXT), "--format"),
    Case("unknown --account", args("check", "--account", "bot", GOOD_TEXT), "--account"),
    Case("unknown --direction", args("check", "--direction", "up", GOOD_TEXT), "--direction"),
    Case("unknown --fail-on", args("check", "--fail-on", "never", GOOD_TEXT), "--fail-on"),
    Case("--jobs 0", args("check", "--jobs", "0", GOOD_TEXT), "--jobs"),
    Case("--jobs not a number", args("check", "--jobs", "many", GOOD_TEXT), "--jobs"),
    Case("--severity without =", args("check", "--severity", "loud", GOOD_TEXT), "RULE=SEVERITY"),
    Case("--severity with no rule", args("check", "--severity", "=off", GOOD_TEXT), "RULE=SEV"),
    Case(
        "--severity of an unknown rule",
        args("check", "--severity", "NOPE-1=off", GOOD_TEXT),
        "unknown rule NOPE-1",
    ),
    Case(
        "--severity with an unknown level",
        args("check", "--severity", "IPALA-2e-vulgar=loud", GOOD_TEXT),
        "unknown severity 'loud'",
    ),
    Case("--policy missing", args("check", "--policy", "/no/such/dir", GOOD_TEXT), "no such"),
    Case("--policy empty path", args("check", "--policy", "", GOOD_TEXT), "empty path"),
    Case("--policy with no packs", in_tmp(_empty_policy_dir), "no .yaml or .yml packs"),
    Case(
        "UTF-16 batch",
        with_file("batch.jsonl", "{}\n".encode("utf-16"), "--format", "jsonl", "--file"),
        "UTF-16",
    ),
    Case("--media with jsonl", args("check", "--format", "jsonl", "--media", "a.jpg"), "JSONL"),
    Case("empty TEXT", args("check", ""), "empty"),
    Case("whitespace TEXT", args("check", " \t\n "), "empty"),
    Case("zero-width-only TEXT", args("check", ZERO_WIDTH), "empty"),
    Case("invisible fillers only", args("check", "\u3164\u2800\u00ad\u2060\ufe0f"), "empty"),
    Case("TEXT not UTF-8 (argv bytes)", args("check", "Baby \udcff Liam"), "not valid UTF-8"),
    Case("TEXT over 200,000 characters", args("check", "a" * 200_001), "the limit is 200,000"),
    Case("stdin empty", args("check", stdin=b""), "empty"),
    Case("stdin binary", args("check", stdin=b"\x89PNG\r\n\x1a\n\x00\x00"), "binary"),
    # Files given with --file
    Case("missing file", args("check", "--file", "/no/such/post.txt"), "cannot read"),
    Case("directory as --file", in_tmp(lambda t: ["check", "--file", str(t)]), "Is a directory"),
    Case("path through a file", in_tmp(_through_a_file), "Not a directory"),
    Case("empty file", with_file("post.txt", b"", "--file"), "empty"),
    Case("whitespace file", with_file("post.txt", b" \n\r\n\t", "--file"), "empty"),
    Case("zero-width file", with_file("post.txt", ZERO_WIDTH, "--file"), "empty"),
    Case("NUL at the start", with_file("post.txt", b"\x00hello", "--file"), "binary"),
    Case(
        "NUL after 8 KB",
        with_file("post.txt", b"a " * 4500 + b"\x00tail", "--file"),
        "NUL byte at offset 9000",
    ),
    Case("invalid UTF-8", with_file("post.txt", b"Baby \xff\xfe Liam", "--file"), "UTF-8"),
    Case(
        "UTF-8-encoded surrogate",
        with_file("post.txt", b"a \xed\xa0\x80 b", "--file"),
        "not valid UTF-8",
    ),
    Case("UTF-16 file", with_file("post.txt", "hello".encode("utf-16"), "--file"), "UTF-16"),
    Case(
        "file over 200,000 characters",
        with_file("post.txt", "é" * 200_001, "--file"),
        "the limit is 200,000",
    ),
    Case("file of 5 MB", with_file("post.txt", b"a" * 5_000_000, "--file"), "larger than"),
    # Attached images
    Case("missing image", args("check", "--media", "/no/such.jpg", GOOD_TEXT), "cannot read"),
    Case(
        "directory as image",
        in_tmp(lambda t: ["check", "--media", str(t), GOOD_TEXT]),
        "Is a directory",
    ),
    Case("empty image", media("empty.jpg", b""), "the file is empty"),
    Case("text file as image", media("notes.jpg", b"just some notes\n"), "not a readable image"),
    Case("PDF as image", media("scan.jpg", b"%PDF-1.4\n%\xe2\xe3\n1 0 obj"), "not a readable"),
    Case("truncated JPEG", media("cut.jpg", plain_jpeg()[:1500]), "corrupt or truncated"),
    Case("corrupt JPEG", media("damaged.jpg", corrupt_jpeg()), "corrupt or truncated"),
    Case(
        "corrupt JPEG on an inbound comment",
        media("damaged.jpg", corrupt_jpeg(), "--direction", "inbound"),
        "corrupt or truncated",
    ),
    Case(
        "JPEG header only",
        media("head.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF"),
        "corrupt or truncated",
    ),
    Case("truncated PNG", media("cut.png", truncated_png()), "corrupt or truncated"),
    Case(
        "decompression bomb",
        media("bomb.png", png_claiming(30_000, 30_000)),
        "too large to decode safely",
    ),
    Case("over 50 megapixels", media("big.png", png_claiming(8000, 7000)), "megapixels"),
    Case("zero-pixel image", media("none.png", png_claiming(0, 0)), "not a readable image"),
    Case("image over 20 MB", in_tmp(_media_over_20_mb), "larger than the limit"),
    Case("21 attachments", in_tmp(_too_many_media), "the limit is 20"),
    # Policy packs
    Case("pack: billion laughs", pack(billion_laughs()), "anchors (&a) are not allowed"),
    Case("pack: an alias", pack(GOOD_RULE + "copy: *nowhere\n"), "aliases (*nowhere)"),
    Case("pack: 50,000 deep", pack("pack: x\nrules: " + "[" * 50_000 + "]" * 50_000), "nested"),
    Case(
        "pack: !!python/object",
        pack("pack: !!python/object:os.system {}\n"),
        "the tag !!python/object:os.system is not allowed",
    ),
    Case("pack: a local tag", pack(GOOD_RULE + "extra: !shout hello\n"), "the tag !shout"),
    Case(
        "pack: invalid RE2 pattern",
        pack(
            GOOD_RULE.replace("- name: lexicon", "- name: pattern").replace(
                "phrases: [staffing levels, short-staffed]", "patterns: ['(unclosed']"
            )
        ),
        "pattern '(unclosed' is not valid: missing )",
    ),
    Case("pack: 5,000-digit number", pack("pack: x\ntitle: " + "9" * 5000 + "\n"), "5,000 char"),
    Case(
        "pack: huge sexagesimal number",
        pack("pack: x\ntitle: 1" + ":00" * 100_000 + "\n"),
        "a number of",
    ),
    Case("pack: impossible date", pack("pack: x\nedition: 2024-13-45\n"), "month must be"),
    Case("pack: not YAML", pack("pack: [unclosed\n"), "not valid YAML"),
    Case("pack: tab indentation", pack("pack: x\n\ttitle: t\n"), "not valid YAML"),
    Case("pack: unhashable key", pack("pack: x\n? [a, b]\n: c\n"), "unhashable key"),
    Case("pack: empty", pack(""), "the file is empty"),
    Case("pack: a list", pack("- a\n- b\n"), "must be a mapping"),
    Case("pack: not UTF-8", pack(b"pack: x\ntitle: \xff\n"), "not valid UTF-8"),
    Case("pack: NUL byte", pack(b"pack: x\x00\n"), "not valid YAML"),
    Case("pack: over 2 MB", pack("# " + "x" * 2_000_000 + "\n"), "larger than 2,000,000"),
    Case(
        "pack: duplicate key",
        pack(
            GOOD_RULE.replace("    severity: review", "    severity: review\n    severity: block")
        ),
        "appears twice",
    ),
    Case(
        "pack: unknown detector",
        pack(GOOD_RULE.replace("- name: lexicon", "- name: mind_reader")),
        "unknown detector 'mind_reader'",
    ),
    Case("pack: a directory named .yaml", in_tmp(_pack_dir_named_yaml), "cannot read"),
    Case("pack: two define one rule", in_tmp(_two_packs_one_rule), "already defined"),
]


def test_the_table_holds_at_least_45_kinds() -> None:
    assert len(CASES) >= 45
    assert len({case.kind for case in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[case.kind for case in CASES])
def test_bad_input_gets_exit_code_2_and_one_line_with_the_reason(
    capfd: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    case: Case,
) -> None:
    argv, stdin = case.setup(tmp_path)
    code, out, err = run(capfd, monkeypatch, argv, stdin)
    assert code == 2, (code, out, err)
    assert_one_line_error(err, case.reason)
    assert "Traceback" not in out


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a file whatever its mode")
def test_an_unreadable_file_is_one_line(
    capfd: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    code, _, err = run(capfd, monkeypatch, _unreadable(tmp_path))
    assert code == 2
    assert_one_line_error(err, "Permission denied")


def test_a_post_just_under_the_limits_is_checked(
    capfd: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # The bounds refuse what is over them, not what is near them: a UTF-8
    # BOM, a zero-width joiner inside an emoji, a NUL-free file past 8 KB.
    text = "\ufeff" + "Lovely café 👩\u200d👧 " * 600
    path = tmp_path / "post.txt"
    path.write_text(text, encoding="utf-8")
    code, out, err = run(capfd, monkeypatch, ["check", "--file", str(path)])
    assert (code, err) == (0, "")
    assert out.startswith("PASS")


def test_a_damaged_jpeg_still_decodes_in_pillow_alone() -> None:
    # Why the extra strict decode exists: Pillow does not notice the damage.
    from PIL import Image

    image = Image.open(io.BytesIO(corrupt_jpeg()))
    image.load()
    assert image.size == (320, 240)


# --------------------------------------------------------------------------
# JSONL: a bad line is reported and the rest of the batch is checked


def good(item_id: str, text: str = GOOD_TEXT) -> bytes:
    return json.dumps({"id": item_id, "text": text}).encode()


def line(**fields: object) -> bytes:
    return json.dumps({"text": GOOD_TEXT, **fields}).encode()


def deep(levels: int) -> bytes:
    return b'{"id": "deep", "text": "x", "extra": ' + b"[" * levels + b"]" * levels + b"}"


@dataclass(frozen=True)
class Line:
    kind: str
    raw: bytes
    reason: str
    #: The id the error line carries: the line's own when it has a usable one.
    error_id: str = "line-2"


def _write_corrupt(tmp: Path) -> Path:
    path = tmp / "damaged.jpg"
    path.write_bytes(corrupt_jpeg())
    return path


BAD_LINES = [
    Line("not JSON", b"{not json", "not valid JSON"),
    Line("truncated JSON", b'{"id": "t", "text": "unfinished', "not valid JSON"),
    Line("an array", b'["a", "b"]', "must be a JSON object"),
    Line("a string", b'"just text"', "must be a JSON object"),
    Line("nested 10,000 deep", b"[" * 10_000 + b"]" * 10_000, "nested more than 8 levels"),
    Line("nested 10,000 deep inside", deep(10_000), "nested more than 8 levels"),
    Line("nested 9 deep", deep(9), "nested more than 8 levels"),
    Line("5,000-digit id", b'{"id": 9' + b"9" * 4999 + b', "text": "hi"}', "5,000 digits"),
    Line("5,000-digit number", b'{"text": "hi", "n": -' + b"1" * 5000 + b"}", "5,001 digits"),
    Line("NaN", b'{"id": "n", "text": "hi", "score": NaN}', "NaN is not a JSON number"),
    Line("Infinity", b'{"text": "hi", "score": -Infinity}', "-Infinity is not a JSON number"),
    Line("id true", line(id=True), "id must be a string or a whole number"),
    Line("id a float", line(id=1.5), "id must be a string or a whole number"),
    Line("id an object", line(id={"a": 1}), "id must be a string or a whole number"),
    Line("id empty", line(id=""), "id is empty"),
    Line("id over 200 characters", line(id="x" * 201), "the limit is 200"),
    Line("id with a newline", line(id="a\nb"), "control character or a line break"),
    Line("id with a lone surrogate", b'{"id": "\\ud800", "text": "hi"}', "lone surrogate"),
    Line("text missing", b'{"id": "m"}', "text is missing", "m"),
    Line("text a number", b'{"id": "n", "text": 5}', "not a string", "n"),
    Line("text empty", good("e", ""), "empty", "e"),
    Line("text zero-width only", good("z", ZERO_WIDTH), "empty", "z"),
    Line("text with NUL", good("nul", "a\x00b"), "NUL character", "nul"),
    Line("text lone surrogate", b'{"id": "s", "text": "a \\udc00 b"}', "lone surrogate", "s"),
    Line("text over 200,000", good("long", "a" * 200_001), "the limit is 200,000", "long"),
    Line("line over the byte limit", good("huge", "a" * 2_500_000), "bytes; the limit is"),
    Line("invalid UTF-8", b'{"id": "u", "text": "\xff\xfe"}', "not valid UTF-8"),
    Line("raw control character", b'{"id": "c", "text": "a\x01b"}', "not valid JSON"),
    Line("unknown account", line(id="acc", account="bot"), "account must be one of", "acc"),
    Line("account a list", line(id="acl", account=["official"]), "must be a string", "acl"),
    Line("huge bad kind", line(id="k", kind="x" * 100_000), "kind must be one of", "k"),
    Line("media not a list", line(id="m1", media="a.jpg"), "media must be a list", "m1"),
    Line("media item a number", line(id="m2", media=[5]), "media item 1 must be", "m2"),
    Line("media unknown field", line(id="m3", media=[{"path": "a", "x": 1}]), "unknown", "m3"),
    Line("media alt not text", line(id="m4", media=[{"path": "a", "alt": {}}]), "alt", "m4"),
    Line("media 21 items", line(id="m5", media=["a.jpg"] * 21), "the limit is 20", "m5"),
    Line("media missing", line(id="m6", media=["/no/such.jpg"]), "cannot read media", "m6"),
    Line("media path with newline", line(id="m7", media=["a\nb.jpg"]), "a\\nb.jpg", "m7"),
    Line("media path with NUL", line(id="m8", media=["a\x00b.jpg"]), "NUL", "m8"),
]


@pytest.mark.parametrize("bad", BAD_LINES, ids=[b.kind for b in BAD_LINES])
def test_a_bad_jsonl_line_is_reported_and_the_rest_is_checked(
    capfd: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, bad: Line
) -> None:
    batch = b"\n".join([good("first"), bad.raw, good("last")]) + b"\n"
    code, out, err = run(capfd, monkeypatch, ["check", "--format", "jsonl"], stdin=batch)
    assert code == 2
    rows = [json.loads(row) for row in out.splitlines()]
    assert [r["id"] for r in rows] == ["first", bad.error_id, "last"]
    assert rows[0]["decision"] == rows[2]["decision"] == "pass"
    assert bad.reason in rows[1]["error"]
    assert "Traceback" not in err and err.count("\n") == 1, err
    assert err.startswith(f"postguard: line 2 (id {bad.error_id}): "), err
    assert bad.reason in err


def test_a_corrupt_image_in_a_batch_is_that_lines_error(
    capfd: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    damaged = str(_write_corrupt(tmp_path))
    batch = b"\n".join([good("first"), line(id="img", media=[damaged]), good("last")])
    code, out, err = run(capfd, monkeypatch, ["check", "--format", "jsonl"], stdin=batch)
    rows = [json.loads(row) for row in out.splitlines()]
    assert code == 2
    assert [r["id"] for r in rows] == ["first", "img", "last"]
    assert "corrupt or truncated" in rows[1]["error"]
    assert err.count("\n") == 1 and "line 2 (id img)" in err


def test_lines_that_are_unusual_but_valid_are_checked(
    capfd: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # A UTF-8 BOM on the first line, CRLF endings, blank lines, a raw U+2028
    # inside a string (valid JSON; str.splitlines() would cut the line there),
    # an integer id, extra fields, nesting at the limit.
    batch = (
        b"\xef\xbb\xbf"
        + good("bom")
        + b"\r\n\r\n"
        + json.dumps({"id": "ls", "text": "two\u2028lines"}, ensure_ascii=False).encode()
        + b"\n"
        + json.dumps({"id": 12345678901234567890, "text": GOOD_TEXT, "label": "x"}).encode()
        + b"\n"
        + deep(6)
        + b"\n"
    )
    code, out, err = run(capfd, monkeypatch, ["check", "--format", "jsonl"], stdin=batch)
    assert (code, err) == (0, "")
    assert [json.loads(r)["id"] for r in out.splitlines()] == [
        "bom",
        "ls",
        "12345678901234567890",
        "deep",
    ]


@pytest.fixture
def mixed_batch(tmp_path: Path) -> Iterator[tuple[Path, list[tuple[str, str | None]]]]:
    """Every bad kind of line between good ones: (path, [(id, reason or None)])."""
    rows: list[bytes] = []
    expected: list[tuple[str, str | None]] = []
    for number, bad in enumerate(BAD_LINES):
        rows.append(good(f"good-{number}"))
        expected.append((f"good-{number}", None))
        rows.append(bad.raw)
        error_id = bad.error_id if bad.error_id != "line-2" else f"line-{len(rows)}"
        expected.append((error_id, bad.reason))
    rows.append(good("end"))
    expected.append(("end", None))
    path = tmp_path / "batch.jsonl"
    path.write_bytes(b"\n".join(rows) + b"\n")
    yield path, expected


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_batch_of_every_bad_kind_loses_nothing(
    capfd: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    mixed_batch: tuple[Path, list[tuple[str, str | None]]],
    jobs: str,
) -> None:
    path, expected = mixed_batch
    code, out, err = run(
        capfd, monkeypatch, ["check", "--format", "jsonl", "--jobs", jobs, "--file", str(path)]
    )
    assert code == 2
    rows = [json.loads(row) for row in out.splitlines()]
    assert [r["id"] for r in rows] == [item_id for item_id, _ in expected]
    for row, (_, reason) in zip(rows, expected, strict=True):
        if reason is None:
            assert row["decision"] == "pass", row
        else:
            assert reason in row["error"], (row, reason)
    errors = err.splitlines()
    assert len(errors) == len(BAD_LINES)
    assert all(e.startswith("postguard: line ") for e in errors)
    assert "Traceback" not in err and "internal error" not in err
