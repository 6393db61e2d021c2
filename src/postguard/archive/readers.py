"""Readers for the archives people download from their networks.

Each reader follows its format's documented layout and yields
:class:`~postguard.archive.items.ArchiveItem` for what it could read and
:class:`~postguard.archive.items.ReadProblem` for what it could not: a file
that is not what its name says is one problem, an item without a date or id
is one problem, and reading goes on with the next item and the next file.

An archive is given as the zip the network sent or the folder it was
extracted to (or one file of it). Files are recognised by their names:

==========  =========================================================================
facebook    ``posts/your_posts_1.json`` (… ``_2``), ``comments/comments.json``
            (or ``comments_and_reactions/comments.json``)
instagram   ``content/posts_1.json`` (… ``_2``), ``comments/post_comments_1.json``
x           ``data/tweets.js`` (or ``tweet.js``, ``tweets-part1.js`` …), with
            ``data/account.js`` for the handle in the URLs
mastodon    ``outbox.json`` (an ActivityPub OrderedCollection)
bluesky     ``*.car`` (a repository export, ``com.atproto.sync.getRepo``)
linkedin    ``Shares.csv``, ``Comments.csv``
==========  =========================================================================

Meta's exports (Facebook, Instagram) write UTF-8 text as if each byte were a
Latin-1 character ("cafÃ©" for "café"); :func:`fix_meta_text` undoes it.
"""

from __future__ import annotations

import csv
import hashlib
import html
import io
import json
import os
import re
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote

from postguard.archive.items import ArchiveItem, Entry, ItemKind, ReadProblem, from_timestamp
from postguard.archive.items import iso_utc as iso_utc

#: The largest single file read from an archive (a zip member or a file on disk).
MAX_FILE_BYTES = 2 * 1024**3
#: CSV fields can be long posts; the csv module's default limit (128 KiB) is too small.
MAX_CSV_FIELD = 1024 * 1024


class ArchiveError(ValueError):
    """An input that is not an archive at all (no file postguard can read in it)."""


# -- where the files are ---------------------------------------------------------------------


def _natural(name: str) -> list[Any]:
    """Sort key putting ``part2`` before ``part10``."""
    return [int(p) if p.isdigit() else p.lower() for p in re.split(r"(\d+)", name)]


class Source:
    """The files of one input: a folder, a zip or a single file. Names are POSIX paths."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.label = path
        self._zip: zipfile.ZipFile | None = None
        self._root: Path | None = None
        self._single: Path | None = None
        p = Path(path)
        if p.is_dir():
            self._root = p
        elif p.is_file():
            if zipfile.is_zipfile(p):
                try:
                    self._zip = zipfile.ZipFile(p)
                except (zipfile.BadZipFile, OSError) as exc:
                    raise ArchiveError(f"{path} is a damaged zip file ({exc})") from None
            elif p.suffix.lower() == ".zip":
                raise ArchiveError(f"{path} is not a readable zip file (damaged or truncated)")
            else:
                self._single = p
        elif p.exists():
            raise ArchiveError(f"{path} is neither a file nor a folder")
        else:
            raise ArchiveError(f"{path} does not exist")

    def names(self) -> list[str]:
        if self._zip is not None:
            names = [i.filename for i in self._zip.infolist() if not i.is_dir()]
        elif self._root is not None:
            root = self._root
            names = []
            for folder, _dirs, files in os.walk(root):
                for file in files:
                    names.append(Path(folder, file).relative_to(root).as_posix())
        else:
            assert self._single is not None
            names = [self._single.name]
        return sorted(names, key=_natural)

    def where(self, name: str) -> str:
        if self._single is not None:
            return self.path
        return f"{self.path}:{name}" if self._zip is not None else str(Path(self.path, name))

    def read(self, name: str) -> bytes:
        if self._zip is not None:
            info = self._zip.getinfo(name)
            if info.file_size > MAX_FILE_BYTES:
                raise ArchiveError(f"larger than {MAX_FILE_BYTES:,} bytes unpacked")
            try:
                with self._zip.open(info) as handle:
                    return handle.read(MAX_FILE_BYTES + 1)
            except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError) as exc:
                raise ArchiveError(f"cannot unpack it from the zip ({exc})") from None
            except zipfile.LargeZipFile as exc:  # pragma: no cover - zip64 is on by default
                raise ArchiveError(str(exc)) from None
        file = self._single if self._single is not None else Path(self._root or ".", name)
        try:
            if file.stat().st_size > MAX_FILE_BYTES:
                raise ArchiveError(f"larger than {MAX_FILE_BYTES:,} bytes")
            return file.read_bytes()
        except OSError as exc:
            raise ArchiveError(f"cannot read it ({exc.strerror or exc})") from None

    def close(self) -> None:
        if self._zip is not None:
            self._zip.close()


# -- shared helpers --------------------------------------------------------------------------


def fix_meta_text(text: str) -> str:
    """Undo Meta's export encoding: UTF-8 bytes written as Latin-1 characters.

    Text that is not in that shape (already correct, or holding characters
    above U+00FF) is returned unchanged.
    """
    if text.isascii():
        return text
    try:
        return text.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return text


def _digest_id(*parts: object) -> str:
    """A stable id for an item whose archive gives none (Facebook, Instagram)."""
    blob = "\x1f".join(str(p) for p in parts).encode("utf-8", "surrogatepass")
    return hashlib.sha256(blob).hexdigest()[:16]


def _load_json(blob: bytes) -> Any:
    if blob.startswith(b"\xef\xbb\xbf"):
        blob = blob[3:]
    try:
        text = blob.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ArchiveError(
            f"not UTF-8 text (byte 0x{blob[exc.start]:02x} at {exc.start})"
        ) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ArchiveError(
            f"not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno}); "
            "the file may be truncated"
        ) from None
    except RecursionError:
        raise ArchiveError("not valid JSON (nested too deeply)") from None


def _list_in(data: Any, keys: Iterable[str], what: str) -> list[Any]:
    """The list of items in a Meta file: the file itself, or the list under one of ``keys``."""
    if isinstance(data, list):
        return data
    if isinstance(data, dict):
        for key in keys:
            if isinstance(data.get(key), list):
                return list(data[key])
    raise ArchiveError(f"not {what}: expected a list of items")


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("its text is not a string")
    return value


Parser = Callable[[Source, str, bytes], Iterator[Entry]]


# -- Facebook --------------------------------------------------------------------------------


def _facebook_posts(src: Source, name: str, blob: bytes) -> Iterator[Entry]:
    where = src.where(name)
    items = _list_in(_load_json(blob), ("status_updates_v2", "posts"), "a Facebook posts file")
    for number, raw in enumerate(items, 1):
        try:
            if not isinstance(raw, dict):
                raise ValueError("not an object")
            date = from_timestamp(raw["timestamp"]) if "timestamp" in raw else None
            pieces = [
                fix_meta_text(_text(d["post"]))
                for d in raw.get("data") or []
                if isinstance(d, dict) and "post" in d
            ]
            text = "\n".join(pieces)
            if date is None:
                raise ValueError("it has no timestamp")
            yield ArchiveItem(
                "facebook", f"post-{_digest_id(date, text)}", None, date, text, "post"
            )
        except (KeyError, ValueError, TypeError) as exc:
            yield ReadProblem(where, _reason(exc), str(number))


def _facebook_comments(src: Source, name: str, blob: bytes) -> Iterator[Entry]:
    where = src.where(name)
    items = _list_in(_load_json(blob), ("comments_v2", "comments"), "a Facebook comments file")
    for number, raw in enumerate(items, 1):
        try:
            if not isinstance(raw, dict):
                raise ValueError("not an object")
            comments = [
                d["comment"]
                for d in raw.get("data") or []
                if isinstance(d, dict) and "comment" in d
            ]
            if not comments or not isinstance(comments[0], dict):
                raise ValueError("it holds no comment")
            comment = comments[0]
            stamp = comment.get("timestamp", raw.get("timestamp"))
            if stamp is None:
                raise ValueError("it has no timestamp")
            date = from_timestamp(stamp)
            text = fix_meta_text(_text(comment.get("comment", "")))
            yield ArchiveItem(
                "facebook", f"comment-{_digest_id(date, text)}", None, date, text, "comment"
            )
        except (KeyError, ValueError, TypeError) as exc:
            yield ReadProblem(where, _reason(exc), str(number))


# -- Instagram -------------------------------------------------------------------------------


def _instagram_posts(src: Source, name: str, blob: bytes) -> Iterator[Entry]:
    where = src.where(name)
    items = _list_in(_load_json(blob), ("ig_posts", "posts"), "an Instagram posts file")
    for number, raw in enumerate(items, 1):
        try:
            if not isinstance(raw, dict):
                raise ValueError("not an object")
            media = [m for m in raw.get("media") or [] if isinstance(m, dict)]
            first = media[0] if media else {}
            # A post with one photo keeps its caption and time on the photo.
            caption = raw.get("title") or first.get("title") or ""
            stamp = raw.get("creation_timestamp", first.get("creation_timestamp"))
            if stamp is None:
                raise ValueError("it has no creation_timestamp")
            date = from_timestamp(stamp)
            text = fix_meta_text(_text(caption))
            uri = first.get("uri")
            stem = PurePosixPath(uri).stem if isinstance(uri, str) and uri else ""
            remote_id = stem or f"post-{_digest_id(date, text)}"
            yield ArchiveItem("instagram", remote_id, None, date, text, "post")
        except (KeyError, ValueError, TypeError) as exc:
            yield ReadProblem(where, _reason(exc), str(number))


def _instagram_comments(src: Source, name: str, blob: bytes) -> Iterator[Entry]:
    where = src.where(name)
    items = _list_in(
        _load_json(blob),
        ("comments_media_comments", "comments_reels_comments"),
        "an Instagram comments file",
    )
    for number, raw in enumerate(items, 1):
        try:
            fields = raw["string_map_data"]
            text = fix_meta_text(_text(fields["Comment"]["value"]))
            date = from_timestamp(fields["Time"]["timestamp"])
            yield ArchiveItem(
                "instagram", f"comment-{_digest_id(date, text)}", None, date, text, "comment"
            )
        except (KeyError, ValueError, TypeError) as exc:
            yield ReadProblem(where, _reason(exc), str(number))


# -- X / Twitter -----------------------------------------------------------------------------

_YTD_PREFIX = re.compile(rb"\A\s*window\.YTD\.([A-Za-z0-9_]+)\.part\d+\s*=\s*")
_X_TIME = "%a %b %d %H:%M:%S %z %Y"


def _ytd(blob: bytes, what: str) -> Any:
    if blob.startswith(b"\xef\xbb\xbf"):
        blob = blob[3:]
    match = _YTD_PREFIX.match(blob)
    if match is None:
        raise ArchiveError(
            f"not an X archive file: it does not start with 'window.YTD.{what}.part0 = '"
        )
    return _load_json(blob[match.end() :].rstrip().rstrip(b";"))


def _x_username(src: Source, names: list[str]) -> str | None:
    for name in names:
        if PurePosixPath(name).name == "account.js":
            try:
                data = _ytd(src.read(name), "account")
                username = data[0]["account"]["username"]
                if isinstance(username, str) and re.fullmatch(r"[A-Za-z0-9_]{1,50}", username):
                    return username
            except (ArchiveError, LookupError, TypeError):
                return None
    return None


def _x_tweets(src: Source, name: str, blob: bytes, username: str | None) -> Iterator[Entry]:
    where = src.where(name)
    data = _ytd(blob, "tweets")
    if not isinstance(data, list):
        raise ArchiveError("not an X tweets file: expected a list after the prefix")
    for number, raw in enumerate(data, 1):
        try:
            tweet = raw.get("tweet", raw) if isinstance(raw, dict) else None
            if not isinstance(tweet, dict):
                raise ValueError("not an object")
            tweet_id = tweet.get("id_str", tweet.get("id"))
            if not isinstance(tweet_id, str | int) or not str(tweet_id).isdigit():
                raise ValueError("it has no id_str")
            tweet_id = str(tweet_id)
            text = html.unescape(_text(tweet.get("full_text", tweet.get("text"))))
            date = iso_utc(datetime.strptime(_text(tweet["created_at"]), _X_TIME))
            kind: ItemKind = "reply" if tweet.get("in_reply_to_status_id_str") else "post"
            who = username or "i/web"
            url = f"https://x.com/{who}/status/{tweet_id}"
            yield ArchiveItem("x", tweet_id, url, date, text, kind)
        except (KeyError, ValueError, TypeError) as exc:
            yield ReadProblem(where, _reason(exc), str(number))


# -- Mastodon --------------------------------------------------------------------------------


class _HtmlText(HTMLParser):
    """Mastodon's status HTML as plain text: paragraphs and line breaks kept."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self.parts.append("\n")
        elif tag == "p" and self.parts:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def html_to_text(markup: str) -> str:
    parser = _HtmlText()
    parser.feed(markup)
    parser.close()
    return "".join(parser.parts).strip()


def _http_url(value: Any) -> str | None:
    if isinstance(value, str) and value.startswith(("https://", "http://")):
        return value
    return None


def _mastodon_outbox(src: Source, name: str, blob: bytes) -> Iterator[Entry]:
    where = src.where(name)
    data = _load_json(blob)
    if not isinstance(data, dict) or not isinstance(data.get("orderedItems"), list):
        raise ArchiveError("not a Mastodon outbox: no orderedItems list")
    for number, activity in enumerate(data["orderedItems"], 1):
        try:
            if not isinstance(activity, dict):
                raise ValueError("not an object")
            if activity.get("type") != "Create":
                continue  # boosts (Announce) and the like carry someone else's words
            note = activity.get("object")
            if not isinstance(note, dict):
                raise ValueError("its object is not an embedded status")
            if note.get("type") not in ("Note", "Question", "Article"):
                continue
            remote_id = note.get("id")
            if not isinstance(remote_id, str) or not remote_id:
                raise ValueError("its status has no id")
            text = html_to_text(_text(note.get("content", "")))
            summary = note.get("summary")
            if isinstance(summary, str) and summary.strip():
                text = f"{html_to_text(summary)}\n\n{text}"  # the content warning is read too
            published = note.get("published", activity.get("published"))
            date = iso_utc(_parse_iso(_text(published)))
            kind: ItemKind = "reply" if note.get("inReplyTo") else "post"
            url = _http_url(note.get("url")) or _http_url(remote_id)
            yield ArchiveItem("mastodon", remote_id, url, date, text, kind)
        except (KeyError, ValueError, TypeError) as exc:
            yield ReadProblem(where, _reason(exc), str(number))


def _parse_iso(value: str) -> datetime:
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"its date {value[:40]!r} is not ISO 8601") from None


# -- Bluesky ---------------------------------------------------------------------------------

POST_COLLECTION = "app.bsky.feed.post"
#: An MST deeper than this is not a real repository (a real one is a few levels deep).
MAX_MST_DEPTH = 64


def _cid_key(link: Any) -> str:
    import libipld

    if isinstance(link, str):
        return link
    if isinstance(link, bytes | bytearray):
        encoded: str = libipld.encode_cid(bytes(link))
        return encoded
    if link is not None and hasattr(link, "encode"):
        return str(link)
    raise ValueError("a link is not a CID")


def _bluesky_car(src: Source, name: str, blob: bytes) -> Iterator[Entry]:
    from atproto_core.car import CAR

    where = src.where(name)
    try:
        car = CAR.from_bytes(blob)
        blocks = {str(cid): block for cid, block in car.blocks.items()}
        commit = blocks[str(car.root)]
        did = commit["did"]
        top = _cid_key(commit["data"])
    except Exception as exc:
        # libipld raises plain ValueErrors and the SDK its own: either way it is no repository
        raise ArchiveError(f"not a Bluesky repository export (CAR): {_reason(exc)}") from None
    if not isinstance(did, str) or not did.startswith("did:"):
        raise ArchiveError("not a Bluesky repository export: its commit names no account (did)")
    for number, (key, value) in enumerate(_mst_entries(blocks, top, where), 1):
        if isinstance(value, ReadProblem):
            yield value
            continue
        collection, _, rkey = key.partition("/")
        if collection != POST_COLLECTION:
            continue
        try:
            record = blocks.get(value)
            if not isinstance(record, dict):
                raise ValueError("its record block is missing from the export")
            text = _text(record.get("text", ""))
            date = iso_utc(_parse_iso(_text(record["createdAt"])))
            kind: ItemKind = "reply" if record.get("reply") else "post"
            uri = f"at://{did}/{POST_COLLECTION}/{rkey}"
            url = f"https://bsky.app/profile/{did}/post/{rkey}"
            yield ArchiveItem("bluesky", uri, url, date, text, kind)
        except (KeyError, ValueError, TypeError) as exc:
            yield ReadProblem(where, _reason(exc), key or str(number))


def _mst_entries(
    blocks: dict[str, Any], root: str, where: str
) -> Iterator[tuple[str, str | ReadProblem]]:
    """(record key, record CID) in key order, walking the repository's Merkle search tree.

    A node is ``{"l": left subtree, "e": [{"p": prefix length, "k": key suffix,
    "v": record, "t": right subtree}]}``; keys are compressed against the previous
    entry's key. A missing or malformed node is one problem, and the walk goes on.
    """
    # Explicit stack, no recursion: a ("node", cid, depth) is expanded in place into its
    # left subtree, its entries and their right subtrees; an ("entry", key, cid) is yielded.
    pending: list[tuple[str, str, Any]] = [("node", root, 0)]
    while pending:
        what, name, value = pending.pop()
        if what == "entry":
            yield name, value
            continue
        if value > MAX_MST_DEPTH:
            yield "", ReadProblem(where, "the repository's tree is too deep")
            continue
        node = blocks.get(name)
        if not isinstance(node, dict) or not isinstance(node.get("e"), list):
            yield "", ReadProblem(where, f"a tree node ({name}) is missing or damaged")
            continue
        expanded: list[tuple[str, str, Any]] = []
        try:
            if node.get("l") is not None:
                expanded.append(("node", _cid_key(node["l"]), value + 1))
            previous = b""
            for entry in node["e"]:
                full = previous[: int(entry["p"])] + bytes(entry["k"])
                previous = full
                expanded.append(("entry", full.decode("utf-8"), _cid_key(entry["v"])))
                if entry.get("t") is not None:
                    expanded.append(("node", _cid_key(entry["t"]), value + 1))
        except (KeyError, ValueError, TypeError, UnicodeDecodeError) as exc:
            expanded.append(
                ("entry", "", ReadProblem(where, f"a damaged tree entry: {_reason(exc)}"))
            )
        pending.extend(reversed(expanded))


# -- LinkedIn --------------------------------------------------------------------------------

_LINKEDIN_TIME = ("%Y-%m-%d %H:%M:%S", "%m/%d/%y, %I:%M %p", "%Y-%m-%d %H:%M:%S %Z")


def _linkedin_date(value: str) -> str:
    for shape in _LINKEDIN_TIME:
        try:
            return iso_utc(datetime.strptime(value.strip(), shape))
        except ValueError:
            continue
    raise ValueError(f"its date {value[:40]!r} is not in a LinkedIn date format")


def _linkedin_id(link: str) -> str | None:
    match = re.search(
        r"urn:li:(?:share|activity|ugcPost|comment):[0-9A-Za-z(),:_-]+", unquote(link)
    )
    return match.group(0) if match else None


def _linkedin_csv(
    src: Source, name: str, blob: bytes, text_column: str, link_column: str, kind: ItemKind
) -> Iterator[Entry]:
    where = src.where(name)
    if blob.startswith(b"\xef\xbb\xbf"):
        blob = blob[3:]
    try:
        text = blob.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ArchiveError(
            f"not UTF-8 text (byte 0x{blob[exc.start]:02x} at {exc.start})"
        ) from None
    csv.field_size_limit(MAX_CSV_FIELD)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise ArchiveError(f"not a readable CSV file ({exc})") from None
    if header is None:
        return
    columns = {h.strip(): i for i, h in enumerate(header)}
    for needed in ("Date", text_column):
        if needed not in columns:
            raise ArchiveError(f"not a LinkedIn {name} file: no {needed!r} column")
    number = 1
    while True:
        number += 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield ReadProblem(
                where, f"not a readable CSV row ({exc}); the rest is skipped", f"row {number}"
            )
            return
        if not any(cell.strip() for cell in row):
            continue
        try:
            if len(row) != len(header):
                raise ValueError(f"it has {len(row)} fields; the header has {len(header)}")
            date = _linkedin_date(row[columns["Date"]])
            body = row[columns[text_column]].replace('""', '"')
            link = row[columns[link_column]] if link_column in columns else ""
            remote_id = _linkedin_id(link) or f"{kind}-{_digest_id(date, body)}"
            yield ArchiveItem("linkedin", remote_id, _http_url(link), date, body, kind)
        except (KeyError, ValueError, IndexError) as exc:
            yield ReadProblem(where, _reason(exc), f"row {number}")


# -- dispatch --------------------------------------------------------------------------------


def _reason(exc: BaseException) -> str:
    if isinstance(exc, KeyError):
        return f"it has no {exc.args[0]!r} field" if exc.args else "a field is missing"
    text = str(exc) or type(exc).__name__
    return text.splitlines()[0][:300]


def _parser_for(name: str) -> Parser | None:
    path = PurePosixPath(name)
    base = path.name
    lower = base.lower()
    parents = {p.lower() for p in path.parent.parts}
    if re.fullmatch(r"your_posts(_\d+)?\.json", lower):
        return _facebook_posts
    if lower == "comments.json" and parents & {"comments", "comments_and_reactions"}:
        return _facebook_comments
    if re.fullmatch(r"posts_\d+\.json", lower) and "content" in parents | {"content"}:
        return _instagram_posts
    if re.fullmatch(r"post_comments_\d+\.json", lower):
        return _instagram_comments
    if lower == "outbox.json":
        return _mastodon_outbox
    if lower.endswith(".car"):
        return _bluesky_car
    if base == "Shares.csv" or lower == "shares.csv":
        return lambda s, n, b: _linkedin_csv(s, n, b, "ShareCommentary", "ShareLink", "post")
    if lower == "comments.csv":
        return lambda s, n, b: _linkedin_csv(s, n, b, "Message", "Link", "comment")
    return None


_TWEETS = re.compile(r"tweets?(-part\d+)?\.js")


def read_archive(path: str) -> Iterator[Entry]:
    """Every item of the archive at ``path`` (a zip, a folder or one file), in a fixed order.

    Raises :class:`ArchiveError` only when ``path`` holds nothing readable at all;
    anything else that goes wrong is yielded as a :class:`ReadProblem`.
    """
    try:
        source = Source(path)
    except ArchiveError as exc:
        yield ReadProblem(path, str(exc))
        return
    try:
        try:
            names = source.names()
        except (zipfile.BadZipFile, OSError) as exc:
            yield ReadProblem(path, f"cannot list its files ({exc})")
            return
        found = False
        username: str | None = None
        username_known = False
        for name in names:
            base = PurePosixPath(name).name.lower()
            parser: Parser | None
            if _TWEETS.fullmatch(base):
                if not username_known:
                    username, username_known = _x_username(source, names), True
                parser = _bind_username(username)
            else:
                parser = _parser_for(name)
            if parser is None:
                continue
            found = True
            where = source.where(name)
            try:
                blob = source.read(name)
                yield from parser(source, name, blob)
            except ArchiveError as exc:
                yield ReadProblem(where, str(exc))
            except (MemoryError, RecursionError) as exc:
                yield ReadProblem(where, f"too large or too deep to read ({type(exc).__name__})")
        if not found:
            yield ReadProblem(
                path,
                "no archive file recognised in it (your_posts_1.json, posts_1.json, "
                "tweets.js, outbox.json, a .car, Shares.csv)",
            )
    finally:
        source.close()


def _bind_username(username: str | None) -> Parser:
    return lambda s, n, b: _x_tweets(s, n, b, username)


def read_archives(paths: Iterable[str]) -> Iterator[Entry]:
    """The entries of several archives, one after the other in the order given."""
    for path in paths:
        yield from read_archive(path)


# -- a connected channel ---------------------------------------------------------------------


def read_history(connector: Any, since: datetime | None = None) -> Iterator[Entry]:
    """A connected channel's own past posts, read through its connector's ``fetch_history``.

    A connector that cannot read its history, or a network error part-way, is one
    problem; the items read before it are kept.
    """
    from postguard.connectors.base import ConnectorError

    where = f"{connector.network} channel history"
    try:
        for item in connector.fetch_history(since):
            yield ArchiveItem(
                connector.network,
                item.remote_id,
                _http_url(item.url),
                iso_utc(item.created_at),
                item.text,
                item.kind,
            )
    except ConnectorError as exc:
        yield ReadProblem(where, str(exc))
