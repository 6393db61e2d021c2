"""Reading one source: what a feed, a page or a network search holds now, as entries.

Each reader takes the source's stored state (ETag, Last-Modified, cursor, the page's
block hashes) and returns the entries found and the state to store -- the services
store both in one transaction, so a failure stores neither and nothing is lost.
"""

from __future__ import annotations

import calendar
import hashlib
import io
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html.parser import HTMLParser
from typing import Any

import feedparser

from postguard.web.presence.fetch import FetchError, fetch

#: A page's text is compared block by block; at most this many blocks are remembered.
MAX_BLOCKS = 5_000
#: At most this many entries are read from one feed in one poll.
MAX_ENTRIES = 500
MAX_TEXT = 20_000


@dataclass(frozen=True, slots=True)
class Entry:
    key: str
    url: str
    author: str
    title: str
    text: str
    published_at: datetime | None
    #: The author's display name (network posts), for impersonation.
    author_name: str = ""
    #: The network's id, for the inbox (network posts).
    remote_id: str = ""


@dataclass(slots=True)
class State:
    etag: str = ""
    last_modified: str = ""
    cursor: str = ""
    page_hash: str = ""
    page_blocks: list[str] = field(default_factory=list)


def digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8", "replace")).hexdigest()


# --- feeds ----------------------------------------------------------------------------------


def _plain(html: str) -> str:
    return _text_of(html).strip()


def _when(entry: Any) -> datetime | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    if not parsed:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(parsed), tz=UTC)
    except (OverflowError, ValueError, OSError):
        return None


def parse_feed(body: bytes, url: str) -> list[Entry]:
    """The entries of an RSS or Atom document; a document that is not a feed is refused."""
    # A stream, never bytes or text: feedparser fetches a string that looks like a URL
    # and opens one that looks like a file name.
    parsed = feedparser.parse(io.BytesIO(body), sanitize_html=True, resolve_relative_uris=False)
    if not parsed.get("version") and not parsed.entries:
        reason = parsed.get("bozo_exception")
        detail = str(reason).splitlines()[0][:150] if reason else "no RSS or Atom entries"
        raise FetchError(f"not a readable RSS or Atom feed ({detail})")
    entries = []
    for item in parsed.entries[:MAX_ENTRIES]:
        link = str(item.get("link", ""))[:1000]
        title = _plain(str(item.get("title", "")))[:300]
        summary = item.get("summary", "") or ""
        content = " ".join(str(c.get("value", "")) for c in item.get("content", []) or [])
        text = _plain(content or str(summary))[:MAX_TEXT]
        ident = str(item.get("id", "") or link)
        key = digest("feed", url, ident) if ident else digest("feed", url, title, text)
        entries.append(
            Entry(
                key=key,
                url=link,
                author=str(item.get("author", ""))[:200],
                title=title,
                text=text,
                published_at=_when(item),
            )
        )
    return entries


def read_feed(url: str, state: State) -> tuple[list[Entry], State]:
    got = fetch(url, etag=state.etag, last_modified=state.last_modified)
    if got.not_modified:
        return [], state
    entries = parse_feed(got.body, url)
    return entries, State(etag=got.etag, last_modified=got.last_modified, cursor=state.cursor)


# --- pages ----------------------------------------------------------------------------------


class _TextOf(HTMLParser):
    """Visible text, one block per paragraph-like element; scripts and styles dropped."""

    SKIP = frozenset({"script", "style", "noscript", "template", "svg", "head"})
    BLOCK = frozenset(
        {"p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "br", "tr", "section",
         "article", "blockquote", "pre", "td", "th", "dd", "dt", "header", "footer", "title"}
    )  # fmt: skip

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag in self.SKIP:
            self.skipping += 1
        elif tag in self.BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP and self.skipping:
            self.skipping -= 1
        elif tag in self.BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def _text_of(html: str) -> str:
    parser = _TextOf()
    try:
        parser.feed(html)
        parser.close()
    except (AssertionError, ValueError):  # html.parser on broken markup
        pass
    return "".join(parser.parts)


def page_blocks(html: str) -> list[str]:
    """The page's text as blocks (paragraphs), whitespace collapsed, empties dropped."""
    blocks = []
    for raw in _text_of(html).split("\n"):
        block = re.sub(r"\s+", " ", raw).strip()
        if block:
            blocks.append(block[:MAX_TEXT])
    return blocks


def _decode(body: bytes, content_type: str) -> str:
    found = re.search(r"charset=([\w-]+)", content_type or "")
    for encoding in (found.group(1) if found else "", "utf-8", "latin-1"):
        if not encoding:
            continue
        try:
            return body.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            continue
    return body.decode("utf-8", "replace")


def read_page(url: str, state: State) -> tuple[list[Entry], State]:
    """The blocks of text that are new since the last look (on the first look: all)."""
    got = fetch(url, etag=state.etag, last_modified=state.last_modified)
    if got.not_modified:
        return [], state
    blocks = page_blocks(_decode(got.body, got.content_type))
    whole = digest(*blocks)
    new_state = State(
        etag=got.etag,
        last_modified=got.last_modified,
        page_hash=whole,
        page_blocks=[digest(b) for b in blocks][:MAX_BLOCKS],
    )
    if whole == state.page_hash:
        return [], new_state
    seen = set(state.page_blocks)
    entries = []
    for block in blocks:
        hashed = digest(block)
        if hashed in seen:
            continue
        seen.add(hashed)
        entries.append(
            Entry(
                key=digest("page", url, hashed),
                url=url,
                author="",
                title="",
                text=block,
                published_at=None,
            )
        )
    return entries, new_state
