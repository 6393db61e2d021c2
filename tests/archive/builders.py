"""Small archives written the way each network lays out its export (see the readers' docs)."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path
from typing import Any


def meta_mojibake(text: str) -> str:
    """Text as Meta's exports write it: each UTF-8 byte as one Latin-1 character."""
    return text.encode("utf-8").decode("latin-1")


def facebook(
    root: Path, posts: list[tuple[int, str]], comments: list[tuple[int, str]] | None = None
) -> Path:
    folder = root / "your_facebook_activity"
    (folder / "posts").mkdir(parents=True, exist_ok=True)
    items: list[dict[str, Any]] = [
        {
            "timestamp": stamp,
            "data": [{"post": meta_mojibake(text)}, {"update_timestamp": stamp}],
            "title": meta_mojibake("Jane Doe updated her status."),
        }
        for stamp, text in posts
    ]
    (folder / "posts" / "your_posts_1.json").write_text(json.dumps(items), encoding="utf-8")
    if comments:
        (folder / "comments_and_reactions").mkdir(exist_ok=True)
        data = {
            "comments_v2": [
                {
                    "timestamp": stamp,
                    "data": [
                        {
                            "comment": {
                                "timestamp": stamp,
                                "comment": meta_mojibake(text),
                                "author": "Jane Doe",
                            }
                        }
                    ],
                    "title": "Jane Doe commented on a post.",
                }
                for stamp, text in comments
            ]
        }
        path = folder / "comments_and_reactions" / "comments.json"
        path.write_text(json.dumps(data), encoding="utf-8")
    return root


def instagram(root: Path, posts: list[tuple[int, str]]) -> Path:
    (root / "content").mkdir(parents=True, exist_ok=True)
    items = []
    for number, (stamp, caption) in enumerate(posts):
        media = {
            "uri": f"media/posts/202001/17890000{number:04d}.jpg",
            "creation_timestamp": stamp,
            "title": meta_mojibake(caption),
        }
        # One photo: the caption sits on the photo; a carousel has it at the top.
        if number % 2:
            items.append({"media": [media, {**media, "title": ""}], "title": meta_mojibake(caption),
                          "creation_timestamp": stamp})  # fmt: skip
        else:
            items.append({"media": [media]})
    (root / "content" / "posts_1.json").write_text(json.dumps(items), encoding="utf-8")
    return root


def x_archive(
    root: Path, tweets: list[tuple[str, str, str | None]], username: str = "jane"
) -> Path:
    """tweets: (id, text, in_reply_to id or None); dates follow the ids."""
    data = root / "data"
    data.mkdir(parents=True, exist_ok=True)
    (data / "account.js").write_text(
        "window.YTD.account.part0 = " + json.dumps([{"account": {"username": username}}]),
        encoding="utf-8",
    )
    items = [
        {
            "tweet": {
                "id_str": tid,
                "full_text": text,
                "created_at": f"Wed Oct 1{n} 20:19:24 +0000 2018",
                "in_reply_to_status_id_str": reply,
            }
        }
        for n, (tid, text, reply) in enumerate(tweets)
    ]
    (data / "tweets.js").write_text(
        "window.YTD.tweets.part0 = " + json.dumps(items, indent=2), encoding="utf-8"
    )
    return root


def mastodon(root: Path, statuses: list[tuple[str, str, str | None]]) -> Path:
    """statuses: (number, HTML content, inReplyTo or None), plus one boost."""
    root.mkdir(parents=True, exist_ok=True)
    base = "https://mastodon.example/users/jane"
    items: list[dict[str, Any]] = []
    for number, content, reply in statuses:
        items.append(
            {
                "id": f"{base}/statuses/{number}/activity",
                "type": "Create",
                "actor": base,
                "published": "2021-05-04T10:00:00Z",
                "object": {
                    "id": f"{base}/statuses/{number}",
                    "type": "Note",
                    "content": content,
                    "url": f"https://mastodon.example/@jane/{number}",
                    "published": "2021-05-04T10:00:00Z",
                    "inReplyTo": reply,
                    "summary": None,
                },
            }
        )
    items.append(
        {
            "id": f"{base}/statuses/9/activity",
            "type": "Announce",
            "actor": base,
            "published": "2021-05-05T10:00:00Z",
            "object": "https://other.example/@x/1",
        }
    )
    outbox = {
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": "outbox.json",
        "type": "OrderedCollection",
        "totalItems": len(items),
        "orderedItems": items,
    }
    (root / "outbox.json").write_text(json.dumps(outbox), encoding="utf-8")
    return root


def linkedin_shares(rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["Date", "ShareLink", "ShareCommentary", "SharedUrl", "MediaUrl", "Visibility"])
    writer.writerows(rows)
    return buffer.getvalue()


def zip_folder(folder: Path, target: Path) -> Path:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, path.relative_to(folder).as_posix())
    return target
