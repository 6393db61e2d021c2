"""The `postguard` command.

Exit codes (DESIGN.md): 0 nothing at or above --fail-on, 1 findings at or
above it, 2 bad usage or bad input, always with a one-line reason on stderr
and never a traceback (set POSTGUARD_DEBUG=1 to see one).
"""

from __future__ import annotations

import difflib
import json
import os
import re
import sys
from collections.abc import Iterator, Sequence
from itertools import accumulate
from pathlib import Path
from typing import Any, NoReturn

import click

from postguard.content import (
    ACCOUNTS,
    AUDIENCES,
    DIRECTIONS,
    KINDS,
    MAX_MEDIA,
    MAX_TEXT_CHARS,
    Content,
    ContentError,
    Media,
)
from postguard.engine import Engine, Report, make_content
from postguard.policy.loader import Policy, PolicyError, load_policy
from postguard.policy.schema import CATEGORIES, SEVERITIES, SEVERITY_RANK

#: A JSONL batch larger than this is refused before decoding.
MAX_INPUT_BYTES = 64 * 1024 * 1024
#: A single post's file: the longest post (MAX_TEXT_CHARS) at four UTF-8
#: bytes a character, plus a byte-order mark. Anything longer cannot be a
#: post, so it is refused without reading the rest.
MAX_POST_BYTES = MAX_TEXT_CHARS * 4 + 3
#: One JSONL line: a longest post written entirely as escaped surrogate
#: pairs ("\ud83d\ude00", six characters per UTF-16 unit) fits, with room
#: for its media list.
MAX_LINE_BYTES = MAX_TEXT_CHARS * 12 + 64 * 1024
#: The deepest a line may nest: an object, its media list, a media object.
MAX_JSON_DEPTH = 8
#: Digits in a JSON integer (Python refuses 4,300; an id needs far fewer).
MAX_INT_DIGITS = 40
MAX_ID_CHARS = 200
BATCH = 256

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_DEPTH_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}
_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")


class InputError(ValueError):
    """Input the command cannot use; the message is shown as one line."""


def fail(message: str) -> NoReturn:
    raise InputError(message)


def one_line(message: str) -> str:
    """``message`` with control characters and line breaks shown as escapes.

    Every error goes to stderr as one line, and reasons can quote the input
    (a media path, an id) which may hold a newline or a terminal escape.
    """
    return _CONTROL.sub(lambda m: m.group(0).encode("unicode_escape").decode("ascii"), message)


def decode(blob: bytes, source: str) -> str:
    """The text of a whole post file; refuses binary data anywhere in it."""
    if blob.startswith((b"\xff\xfe", b"\xfe\xff")):
        fail(f"{source} is UTF-16 text; save it as UTF-8")
    nul = blob.find(b"\x00")
    if nul >= 0:
        fail(f"{source} looks like a binary file (a NUL byte at offset {nul}), not text")
    try:
        return blob.decode("utf-8")
    except UnicodeDecodeError as exc:
        fail(f"{source} is not valid UTF-8 (byte 0x{blob[exc.start]:02x} at offset {exc.start})")


def read_bytes(path: str, limit: int, what: str) -> tuple[bytes, str]:
    """The bytes of ``path`` ('-' is standard input) and its name; refuses more than ``limit``."""
    if path == "-":
        blob = sys.stdin.buffer.read(limit + 1)
        source = "standard input"
    else:
        try:
            with open(path, "rb") as handle:
                blob = handle.read(limit + 1)
        except OSError as exc:
            fail(f"cannot read {path}: {exc.strerror or exc}")
        except ValueError as exc:  # a NUL in the path
            fail(f"cannot read {path!r}: {exc}")
        source = path
    if len(blob) > limit:
        fail(f"{source} is larger than {limit:,} bytes, the limit for {what}")
    return blob, source


def read_source(path: str) -> str:
    """One post's text from a file or standard input."""
    blob, source = read_bytes(path, MAX_POST_BYTES, "one post")
    return decode(blob, source)


def argument_text(text: str) -> str:
    # Bytes of the command line that are not UTF-8 arrive as lone surrogates
    # (Python's surrogateescape); say so before anything tries to print them.
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        fail(f"TEXT is not valid UTF-8 (at character {exc.start + 1})")
    return text


def build_engine(policy_dirs: Sequence[str], no_builtin: bool, severities: Sequence[str]) -> Engine:
    overrides: dict[str, str] = {}
    for item in severities:
        rule_id, sep, severity = item.partition("=")
        if not sep or not rule_id.strip() or not severity.strip():
            fail(f"--severity takes RULE=SEVERITY (block, review, advise or off), not {item!r}")
        overrides[rule_id.strip()] = severity.strip()
    return Engine(load_policy(policy_dirs, builtin=not no_builtin, severity_overrides=overrides))


def _optional_text(entry: dict[str, Any], key: str, number: int) -> str | None:
    value = entry.get(key)
    if value is not None and not isinstance(value, str):
        raise ContentError(f"media item {number}: {key} must be a string")
    return value


def _media_from_json(value: Any) -> tuple[Media, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise ContentError("media must be a list of paths or objects")
    if len(value) > MAX_MEDIA:
        raise ContentError(f"media lists {len(value)} items; the limit is {MAX_MEDIA}")
    items = []
    for number, entry in enumerate(value, 1):
        if isinstance(entry, str):
            items.append(Media(path=entry))
        elif isinstance(entry, dict) and isinstance(entry.get("path"), str):
            allowed = {"path", "alt", "consent", "credit"}
            unknown = set(entry) - allowed
            if unknown:
                raise ContentError(f"unknown media field {sorted(unknown)[0][:40]!r}")
            items.append(
                Media(
                    path=entry["path"],
                    alt=_optional_text(entry, "alt", number) or "",
                    consent=_optional_text(entry, "consent", number),
                    credit=_optional_text(entry, "credit", number),
                )
            )
        else:
            raise ContentError(f"media item {number} must be a path or an object with a path")
    return tuple(items)


def _parse_int(digits: str) -> int:
    if len(digits.lstrip("-")) > MAX_INT_DIGITS:
        raise ContentError(f"a number of {len(digits):,} digits; the limit is {MAX_INT_DIGITS}")
    return int(digits)


def _parse_constant(name: str) -> float:
    raise ContentError(f"not valid JSON ({name} is not a JSON number)")


def _json_depth(raw: str) -> int:
    """How deep ``raw`` nests, counting the brackets outside strings.

    Linear, and done in C by the regular expressions, so a 10,000-deep line
    is measured, not parsed (the parser would exhaust the recursion limit).
    """
    brackets = _NOT_BRACKET.sub("", _JSON_STRING.sub("", raw))
    return max(accumulate(map(_DEPTH_STEP.__getitem__, brackets)), default=0)


def _line_id(obj: dict[str, Any], line: int) -> str:
    item_id = obj.get("id", f"line-{line}")
    if isinstance(item_id, bool) or not isinstance(item_id, (str, int)):
        raise ContentError("id must be a string or a whole number")
    item_id = str(item_id)
    if not item_id:
        raise ContentError("id is empty")
    if len(item_id) > MAX_ID_CHARS:
        raise ContentError(f"id is {len(item_id):,} characters; the limit is {MAX_ID_CHARS}")
    if _CONTROL.search(item_id):
        raise ContentError("id contains a control character or a line break")
    try:
        item_id.encode("utf-8")
    except UnicodeEncodeError:
        raise ContentError("id is not valid Unicode (a lone surrogate)") from None
    return item_id


class LineError(ContentError):
    """A batch line that cannot be checked; ``item_id`` is its id when it has a usable one."""

    def __init__(self, message: str, item_id: str) -> None:
        super().__init__(message)
        self.item_id = item_id

    def __reduce__(self) -> tuple[Any, ...]:
        # Worker processes send these back to the parent by pickling.
        return (LineError, (str(self), self.item_id))


def parse_jsonl_line(raw: str | bytes, line: int) -> tuple[str, Content]:
    """One batch input line -> (id, Content); raises :class:`LineError` with the reason."""
    item_id = f"line-{line}"
    try:
        if isinstance(raw, bytes):
            if len(raw) > MAX_LINE_BYTES:
                raise ContentError(
                    f"the line is {len(raw):,} bytes; the limit is {MAX_LINE_BYTES:,}"
                )
            try:
                raw = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise ContentError(
                    f"not valid UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start})"
                ) from None
        if _json_depth(raw) > MAX_JSON_DEPTH:
            raise ContentError(f"nested more than {MAX_JSON_DEPTH} levels deep")
        try:
            obj = json.loads(raw, parse_int=_parse_int, parse_constant=_parse_constant)
        except json.JSONDecodeError as exc:
            raise ContentError(f"not valid JSON ({exc.msg} at column {exc.colno})") from None
        except RecursionError:  # the depth check makes this unreachable; belt and braces
            raise ContentError(f"nested more than {MAX_JSON_DEPTH} levels deep") from None
        if not isinstance(obj, dict):
            raise ContentError("each line must be a JSON object")
        item_id = _line_id(obj, line)
        text = obj.get("text")
        if not isinstance(text, str):
            raise ContentError("text is missing or not a string")
        context = {k: obj[k] for k in ("account", "kind", "audience", "direction") if k in obj}
        for key, value in context.items():
            if not isinstance(value, str):
                raise ContentError(f"{key} must be a string")
        content = make_content(text, media=_media_from_json(obj.get("media")), **context)
        content.validate()
    except LineError:
        raise
    except ContentError as exc:
        raise LineError(str(exc), item_id) from None
    return item_id, content


def _iter_jsonl(blob: bytes) -> Iterator[tuple[int, bytes]]:
    # Split on "\n" only: str.splitlines() would also split inside a JSON
    # string at U+2028 or U+0085, which JSON allows unescaped.
    if blob.startswith(b"\xef\xbb\xbf"):
        blob = blob[3:]
    for number, raw in enumerate(blob.split(b"\n"), 1):
        if raw.strip():
            yield number, raw


Batch = list[tuple[int, str, "Content | ContentError"]]
Checked = list[tuple[int, str, "Report | ContentError"]]


def _batches(blob: bytes) -> Iterator[Batch]:
    """Input lines in batches of BATCH: (line number, id, content or why it is unusable)."""
    batch: Batch = []
    for number, raw in _iter_jsonl(blob):
        try:
            item_id, content = parse_jsonl_line(raw, number)
            batch.append((number, item_id, content))
        except LineError as exc:
            batch.append((number, exc.item_id, exc))
        if len(batch) >= BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _check_one(engine: Engine, content: Content, entities: bool) -> Report | ContentError:
    try:
        return engine.check_many([content], entities=entities)[0]
    except Exception as exc:
        if os.environ.get("POSTGUARD_DEBUG"):
            raise
        return ContentError(
            f"internal error while checking this line ({type(exc).__name__}: {exc})"
        )


def _check_batch(engine: Engine, batch: Batch, entities: bool = False) -> Checked:
    contents = [c for _, _, c in batch if isinstance(c, Content)]
    try:
        checked = engine.check_many(contents, entities=entities)
    except Exception:
        if os.environ.get("POSTGUARD_DEBUG"):
            raise
        # A bug tripped by one line must not lose the other lines of its
        # batch: check them one by one and pin the failure on its line.
        checked = [_check_one(engine, c, entities) for c in contents]
    results = iter(checked)
    return [(n, i, next(results) if isinstance(c, Content) else c) for n, i, c in batch]


# One engine per worker process of a bulk scan, built once by the pool's initializer.
_POOL_ENGINE: Engine | None = None
_POOL_ENTITIES = False


def _pool_init(spec: tuple[Sequence[str], bool, Sequence[str]], entities: bool = False) -> None:
    global _POOL_ENGINE, _POOL_ENTITIES
    _POOL_ENGINE = build_engine(*spec)
    _POOL_ENTITIES = entities


def _pool_check(batch: Batch) -> Checked:
    assert _POOL_ENGINE is not None
    return _check_batch(_POOL_ENGINE, batch, _POOL_ENTITIES)


def run_jsonl(
    engine: Engine,
    blob: bytes,
    fail_on: str,
    out: Any,
    *,
    jobs: int = 1,
    spec: tuple[Sequence[str], bool, Sequence[str]] = ((), False, ()),
    entities: bool = False,
) -> int:
    """Check a JSONL batch, writing one result line per input line, in input order.

    With ``jobs`` > 1 the batches are checked by a pool of worker processes
    (each builds its own engine from ``spec``); results keep the input order.
    """
    worst = 0
    errors = 0

    def write(checked: Checked) -> None:
        nonlocal worst, errors
        for number, item_id, result in checked:
            if isinstance(result, ContentError):
                errors += 1
                click.echo(one_line(f"postguard: line {number} (id {item_id}): {result}"), err=True)
                out.write(json.dumps({"id": item_id, "error": str(result)}) + "\n")
                continue
            if result.at_or_above(fail_on):
                worst = 1
            out.write(json.dumps({"id": item_id, **result.to_dict()}, ensure_ascii=False) + "\n")

    if jobs > 1:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(jobs, initializer=_pool_init, initargs=(spec, entities)) as pool:
            for checked in pool.map(_pool_check, _batches(blob)):
                write(checked)
    else:
        for batch in _batches(blob):
            write(_check_batch(engine, batch, entities))
    return 2 if errors else worst


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="postguard")
def cli() -> None:
    """postguard: check social media posts against the codes that bind them."""


@cli.command()
@click.argument("text", required=False)
@click.option(
    "--file", "-f", "file_", metavar="PATH", help="Read the post from a file ('-' for stdin)."
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "jsonl"]),
    default="text",
    show_default=True,
    help="jsonl: one JSON object per input line (batch).",
)
@click.option("--account", type=click.Choice(ACCOUNTS), default="personal", show_default=True)
@click.option("--kind", type=click.Choice(KINDS), default="post", show_default=True)
@click.option("--audience", type=click.Choice(AUDIENCES), default="public", show_default=True)
@click.option(
    "--direction",
    type=click.Choice(DIRECTIONS),
    default="outbound",
    show_default=True,
    help="inbound: a comment someone else wrote (triage signals).",
)
@click.option(
    "--media", "media_paths", multiple=True, metavar="PATH", help="Attached image (repeatable)."
)
@click.option("--consent", metavar="REF", help="Consent reference for the attached images.")
@click.option("--credit", metavar="WHO", help="Creator credit for the attached images.")
@click.option(
    "--policy",
    "policy_dirs",
    multiple=True,
    metavar="DIR",
    help="Add the packs in DIR (or a single pack file). Repeatable.",
)
@click.option("--no-builtin", is_flag=True, help="Use only the packs given with --policy.")
@click.option(
    "--severity",
    "severities",
    multiple=True,
    metavar="RULE=SEV",
    help="Override a rule's severity (block, review, advise, off). Repeatable.",
)
@click.option(
    "--fail-on",
    type=click.Choice(SEVERITIES),
    default="review",
    show_default=True,
    help="Exit 1 when a finding is at or above this severity.",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(1, 64),
    default=1,
    show_default=True,
    help="Worker processes for a JSONL bulk scan.",
)
@click.option(
    "--entities",
    "with_entities",
    is_flag=True,
    help="Add the entity layer's findings (type, span, score, recognizer) to JSON/JSONL output.",
)
def check(
    text: str | None,
    file_: str | None,
    fmt: str,
    account: str,
    kind: str,
    audience: str,
    direction: str,
    media_paths: tuple[str, ...],
    consent: str | None,
    credit: str | None,
    policy_dirs: tuple[str, ...],
    no_builtin: bool,
    severities: tuple[str, ...],
    fail_on: str,
    jobs: int,
    with_entities: bool = False,
) -> None:
    """Check a post (TEXT, --file, or standard input) against the codes."""
    if text is not None and file_ is not None:
        fail("give the post as TEXT or with --file, not both")
    if text == "-":
        # "-" is standard input, as for ruff, black and most Unix tools; a post that
        # is only a dash is given with --file or on standard input.
        text, file_ = None, "-"
    if text is None and file_ is None and sys.stdin.isatty():
        fail("no post given: pass TEXT, --file PATH, or pipe the post on standard input")
    if fmt == "jsonl":
        if media_paths:
            fail('--media applies to a single post; in JSONL give each line a "media" list')
        if text is not None:
            blob = argument_text(text).encode("utf-8")
        else:
            blob, source = read_bytes(file_ or "-", MAX_INPUT_BYTES, "a batch")
            if blob.startswith((b"\xff\xfe", b"\xfe\xff")):
                # Every line would fail on its own; say once what is wrong.
                fail(f"{source} is UTF-16 text; save it as UTF-8")
        engine = build_engine(policy_dirs, no_builtin, severities)
        spec = (policy_dirs, no_builtin, severities)
        sys.exit(
            run_jsonl(
                engine, blob, fail_on, sys.stdout, jobs=jobs, spec=spec, entities=with_entities
            )
        )
    text = argument_text(text) if text is not None else read_source(file_ or "-")
    media = tuple(Media(path=p, consent=consent, credit=credit) for p in media_paths)
    content = make_content(
        text, media=media, account=account, kind=kind, audience=audience, direction=direction
    )
    # Refuse unusable input before the few seconds it takes to build the engine.
    content.validate()
    engine = build_engine(policy_dirs, no_builtin, severities)
    report = engine.check(content, entities=with_entities)
    if fmt == "json":
        click.echo(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
    else:
        from postguard.render import render_text

        click.echo(render_text(content, report, style=click.style))
    sys.exit(1 if report.at_or_above(fail_on) else 0)


@cli.command()
@click.argument("text", required=False)
@click.option(
    "--file", "-f", "file_", metavar="PATH", help="Read the post from a file ('-' for stdin)."
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="json: the redacted text with the entities that were replaced.",
)
def redact(text: str | None, file_: str | None, fmt: str) -> None:
    """Print the post with names, numbers and places replaced by placeholders ([name], [phone])."""
    from postguard.entities import TYPES, analyze
    from postguard.entities import redact as redact_text

    if text is not None and file_ is not None:
        fail("give the post as TEXT or with --file, not both")
    if text is None:
        if file_ is None and sys.stdin.isatty():
            fail("no post given: pass TEXT, --file PATH, or pipe the post on standard input")
        text = read_source(file_ or "-")
    else:
        text = argument_text(text)
    # The same refusals as `check`: empty, too long, NUL or a lone surrogate.
    make_content(text).validate()
    found = analyze(text)
    redacted = redact_text(text, found)
    if fmt == "json":
        replaced = [e.to_dict() for e in found if TYPES.get(e.type)]
        payload = {"text": redacted, "entities": replaced}
        click.echo(json.dumps(payload, indent=2, ensure_ascii=False))
    else:
        click.echo(redacted, nl=not redacted.endswith("\n"))


def _policy_for_listing(policy_dirs: Sequence[str]) -> Policy:
    return load_policy(policy_dirs)


@cli.command()
@click.option("--pack", "packs", multiple=True, help="Only this pack (repeatable).")
@click.option(
    "--category",
    "categories",
    multiple=True,
    help="Only rules of this category or family, e.g. privacy.phone or privacy.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "markdown", "json"]),
    default="text",
    show_default=True,
)
@click.option("--policy", "policy_dirs", multiple=True, metavar="DIR", help="Add packs from DIR.")
def rules(
    packs: tuple[str, ...], categories: tuple[str, ...], fmt: str, policy_dirs: tuple[str, ...]
) -> None:
    """List every provision of the codes: the rules, and where the rest is enforced."""
    policy = _policy_for_listing(policy_dirs)
    known_packs = {p.id for p in policy.packs}
    for name in packs:
        if name not in known_packs:
            fail(f"unknown pack {name!r}; packs: {', '.join(sorted(known_packs))}")
    for cat in categories:
        if cat not in CATEGORIES and not any(
            c.startswith(cat.rstrip(".") + ".") for c in CATEGORIES
        ):
            fail(f"unknown category {cat!r}; see `postguard rules` for the categories in use")
    selected = [p for p in policy.packs if not packs or p.id in packs]

    def wanted(category: str) -> bool:
        return not categories or any(
            category == c or category.startswith(c.rstrip(".") + ".") for c in categories
        )

    if fmt == "markdown":
        from postguard.catalogue import render_markdown

        click.echo(render_markdown(Policy(selected)), nl=False)
        return
    if fmt == "json":
        data = []
        for pack in selected:
            for rule in pack.model.rules:
                if wanted(rule.category):
                    data.append({"pack": pack.id, **rule.model_dump(mode="json")})
            if not categories:
                for prov in pack.model.provisions:
                    data.append({"pack": pack.id, **prov.model_dump(mode="json")})
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    for pack in selected:
        click.echo(click.style(f"{pack.model.title} ({pack.id})", bold=True))
        for rule in pack.model.rules:
            if wanted(rule.category):
                click.echo(
                    f"  {rule.id:<38} {rule.severity:<7} {rule.category:<32} {rule.clause.section}"
                )
        if not categories:
            for prov in pack.model.provisions:
                click.echo(
                    f"  {prov.id:<38} {'-':<7} {'enforced by ' + prov.enforced_by:<32} "
                    f"{prov.clause.section}"
                )
        click.echo("")


@cli.command()
@click.argument("rule_id")
@click.option("--policy", "policy_dirs", multiple=True, metavar="DIR", help="Add packs from DIR.")
def explain(rule_id: str, policy_dirs: tuple[str, ...]) -> None:
    """Show a rule: its clause, what it flags, how to fix it, and its examples."""
    policy = _policy_for_listing(policy_dirs)
    found = policy.find_rule(rule_id)
    if found is None:
        ids = [r.id for _, r, _ in policy.rules()]
        close = difflib.get_close_matches(rule_id, ids, n=1)
        hint = f"; did you mean {close[0]}?" if close else "; `postguard rules` lists them"
        fail(f"unknown rule {rule_id!r}{hint}")
    pack, rule = found
    echo = click.echo
    echo(click.style(f"{rule.id}: {rule.title}", bold=True))
    echo(f"Pack:      {pack.model.title} ({pack.id})")
    echo(f"Clause:    {rule.clause.section}")
    echo(f"           “{rule.clause.quote}”")
    echo(f"Category:  {rule.category}    Severity: {rule.severity}")
    echo(f"Applies:   {rule.applies_to.describe()}")
    detectors = ", ".join(d.name + (f" {d.params}" if d.params else "") for d in rule.detectors)
    echo(f"Detectors: {detectors}")
    echo(f"Flags:     {rule.message}")
    echo(f"Fix:       {rule.fix}")
    echo("Examples:")
    for example in rule.examples:
        mark = (
            click.style("✗ violates ", fg="red")
            if example.violates
            else click.style("✓ compliant", fg="green")
        )
        echo(f"  {mark} {example.text}")


@cli.command()
@click.option(
    "--corpus",
    "corpora",
    multiple=True,
    metavar="PATH",
    help="Labelled JSONL corpus (default: every corpus/posts-*.jsonl).",
)
@click.option(
    "--seconds",
    type=float,
    default=3.0,
    show_default=True,
    help="Minimum time for each throughput measurement.",
)
@click.option(
    "--write",
    "write_to",
    metavar="PATH",
    help="Also write the figures into this Markdown file (between the engine and PII markers).",
)
@click.option(
    "--final",
    is_flag=True,
    help="Also print the held-out figures (corpus/*-test splits, the PII held-out split).",
)
@click.option(
    "--pii-samples",
    type=click.IntRange(min=10, max=100_000),
    default=1000,
    show_default=True,
    help="Posts generated per split of the PII benchmark (needs Faker).",
)
def bench(
    corpora: tuple[str, ...], seconds: float, write_to: str | None, final: bool, pii_samples: int
) -> None:
    """Measure accuracy and speed of the engine on the labelled corpus and the PII benchmark."""
    from postguard.bench import run_bench

    default = sorted(str(p) for p in Path("corpus").glob("posts-*.jsonl"))
    if not corpora and not default:
        fail("no corpus given and none in corpus/posts-*.jsonl (run it from the repository root)")
    run_bench(list(corpora) or default, seconds, write_to, final=final, pii_samples=pii_samples)


def main(argv: Sequence[str] | None = None) -> None:
    try:
        cli.main(
            args=list(argv) if argv is not None else None,
            prog_name="postguard",
            standalone_mode=False,
        )
        sys.exit(0)
    except click.exceptions.NoArgsIsHelpError as exc:
        click.echo(exc.ctx.get_help() if exc.ctx else str(exc))
        sys.exit(2)
    except click.UsageError as exc:
        hint = f" (see `{exc.ctx.command_path} --help`)" if exc.ctx else ""
        click.echo(one_line(f"postguard: error: {exc.format_message()}{hint}"), err=True)
        sys.exit(2)
    except click.Abort:
        click.echo("postguard: interrupted", err=True)
        sys.exit(130)
    except (InputError, PolicyError, ContentError) as exc:
        click.echo(one_line(f"postguard: error: {exc}"), err=True)
        sys.exit(2)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        click.echo(one_line(f"postguard: error: {exc.format_message()}"), err=True)
        sys.exit(2)
    except BrokenPipeError:
        sys.exit(0)
    except Exception as exc:
        if os.environ.get("POSTGUARD_DEBUG"):
            raise
        click.echo(
            one_line(
                f"postguard: internal error: {type(exc).__name__}: {exc}"
                " (set POSTGUARD_DEBUG=1 for details)"
            ),
            err=True,
        )
        sys.exit(2)


# Archive audits (postguard.archive): plain engine code, no Django.
from postguard.archive.command import register as _register_archive_commands  # noqa: E402

_register_archive_commands(cli)

# The committee's workspace (Django) adds its commands; they set Django up
# lazily, so the engine commands above never need it.
try:
    from postguard.web.commands import register as _register_web_commands
except ImportError:  # pragma: no cover - the web package is absent from a trimmed install
    pass
else:
    _register_web_commands(cli)


if __name__ == "__main__":
    # Run as `python -m postguard.cli`, this file is the module ``__main__``; the commands
    # import ``postguard.cli``, a second copy whose InputError is another class. Hand over
    # to that one copy so its errors are caught as the installed command catches them.
    from postguard.cli import main as _main

    _main()


__all__ = ["SEVERITY_RANK", "Report", "main"]
