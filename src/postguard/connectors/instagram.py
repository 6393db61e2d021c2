"""Instagram professional accounts through the Instagram Graph API (Facebook Login).

Connecting a channel: Facebook Login for Business with ``instagram_basic``,
``instagram_content_publish``, ``instagram_manage_comments``,
``instagram_manage_insights`` and ``pages_read_engagement``; the settings name
the Instagram user id (``ig_user_id``).

Publishing is two steps: create a media container for each image, then
publish the container. Instagram fetches each image from a public URL, so the
connector needs an ``image_host``: a callable that stores an image somewhere
public and returns its URL (the workspace serves it from its media storage).
Every post needs at least one image, in JPEG. Links in captions are not
clickable on Instagram.

Only ``media_publish`` creates a post; if its outcome is unknown,
:meth:`find_published` looks for the caption among the account's media.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any, ClassVar

import httpx

from postguard.connectors.base import (
    AccountMetrics,
    Capabilities,
    Credentials,
    Image,
    InboundItem,
    Limits,
    OutgoingPost,
    PermanentError,
    PostMetrics,
    Published,
    compose_text,
    normalize_for_match,
    parse_time,
    utcnow,
)
from postguard.connectors.facebook import GraphConnector

ImageHost = Callable[[Image], str]

MAX_HASHTAGS = 30
MAX_MENTIONS = 20
#: Instagram crops feed images outside these width/height ratios.
MIN_RATIO, MAX_RATIO = 4 / 5, 1.91


class InstagramConnector(GraphConnector):
    network: ClassVar[str] = "instagram"
    display_name: ClassVar[str] = "Instagram"
    limits: ClassVar[Limits] = Limits(
        max_chars=2200,
        max_images=10,
        max_image_bytes=8_000_000,
        max_alt_chars=1000,
        image_required=True,
        image_mimes=("image/jpeg",),
    )
    capabilities: ClassVar[Capabilities] = Capabilities(
        publish_text=False,
        publish_link=False,
        fetch_replies=False,
        fetch_comments=True,
        fetch_mentions=True,
        metric_impressions=True,
        metric_reach=True,
        metric_link_clicks=False,
        auth="oauth2",
        notes=(
            "Every post needs at least one JPEG image; text-only posts are not possible.",
            "Links in captions are not clickable.",
            "Impressions are Instagram's 'views'.",
            "A reply is published as a reply to the comment it answers.",
        ),
    )

    def __init__(
        self,
        credentials: Credentials,
        settings: Mapping[str, Any] | None = None,
        *,
        transport: httpx.BaseTransport | None = None,
        image_host: ImageHost | None = None,
    ) -> None:
        super().__init__(credentials, settings, transport=transport)
        self.image_host = image_host or self.settings.get("image_host")

    @property
    def user_id(self) -> str:
        return str(self.settings["ig_user_id"])

    def authenticate(self) -> None:
        self.graph("GET", self.user_id, what="checking the account", params={"fields": "id"})

    def validate(self, post: OutgoingPost) -> list[str]:
        if post.reply_to:  # a reply is a comment: text only
            problems = []
            if len(post.text) > self.limits.max_chars:
                over = len(post.text) - self.limits.max_chars
                problems.append(
                    f"Instagram allows {self.limits.max_chars} characters; this reply has "
                    f"{len(post.text)} — shorten it by {over}"
                )
            if post.images:
                problems.append("Instagram replies cannot carry images: remove them")
            return problems
        problems = super().validate(post)
        text = compose_text(post)
        hashtags = sum(1 for word in text.split() if word.startswith("#"))
        if hashtags > MAX_HASHTAGS:
            problems.append(
                f"Instagram allows {MAX_HASHTAGS} hashtags; this post has {hashtags} — "
                f"remove {hashtags - MAX_HASHTAGS}"
            )
        mentions = sum(1 for word in text.split() if word.startswith("@"))
        if mentions > MAX_MENTIONS:
            problems.append(
                f"Instagram allows {MAX_MENTIONS} @mentions; this post has {mentions} — "
                f"remove {mentions - MAX_MENTIONS}"
            )
        for i, image in enumerate(post.images, start=1):
            ratio = _ratio(image.data)
            if ratio is not None and not MIN_RATIO <= ratio <= MAX_RATIO:
                problems.append(
                    f"image {i} is {ratio:.2f}:1 (width:height); Instagram takes 0.80:1 "
                    "(portrait 4:5) to 1.91:1 (landscape) — crop it"
                )
        return problems

    def _container(self, image: Image, caption: str | None, carousel: bool) -> str:
        if self.image_host is None:
            raise PermanentError(
                "Instagram fetches images from a public URL and no image host is configured "
                "for this channel: ask the administrator to set one up"
            )
        form: dict[str, Any] = {"image_url": self.image_host(image)}
        if image.alt:
            form["alt_text"] = image.alt
        if caption is not None:
            form["caption"] = caption
        if carousel:
            form["is_carousel_item"] = "true"
        data = self.graph("POST", f"{self.user_id}/media", what="preparing an image", data=form)
        return str(data["id"])

    def publish(self, post: OutgoingPost, idempotency_key: str) -> Published:
        self.ensure_valid(post)
        if post.reply_to:
            data = self.graph(
                "POST", f"{post.reply_to}/replies", what="replying", data={"message": post.text}
            )
            return Published(str(data["id"]), None, utcnow())
        caption = compose_text(post)
        if len(post.images) == 1:
            container = self._container(post.images[0], caption, carousel=False)
        else:
            children = [self._container(image, None, carousel=True) for image in post.images]
            container = str(
                self.graph(
                    "POST", f"{self.user_id}/media", what="preparing the carousel",
                    data={"media_type": "CAROUSEL", "children": ",".join(children),
                          "caption": caption},
                )["id"]
            )  # fmt: skip
        media = self.graph(
            "POST", f"{self.user_id}/media_publish", what="publishing",
            data={"creation_id": container},
        )  # fmt: skip
        media_id = str(media["id"])
        details = self.graph(
            "GET", media_id, what="reading the published post",
            params={"fields": "permalink,timestamp"},
        )  # fmt: skip
        return Published(
            media_id,
            details.get("permalink"),
            parse_time(details["timestamp"]) if details.get("timestamp") else utcnow(),
        )

    def find_published(
        self, idempotency_key: str, since: datetime, post: OutgoingPost
    ) -> Published | None:
        if post.reply_to:
            edge, text_field = f"{post.reply_to}/replies", "text"
        else:
            edge, text_field = f"{self.user_id}/media", "caption"
        wanted = normalize_for_match(post.text if post.reply_to else compose_text(post))
        params = {"fields": f"id,{text_field},timestamp,permalink", "limit": 50}
        for item in self.pages(edge, what="looking for a post", params=params):
            created = parse_time(item["timestamp"])
            if created < since and not post.reply_to:
                return None  # media are listed newest first
            if created >= since and normalize_for_match(item.get(text_field, "")) == wanted:
                return Published(str(item["id"]), item.get("permalink"), created)
        return None

    def fetch_inbound(self, since_cursor: str | None) -> tuple[list[InboundItem], str | None]:
        """Comments (and replies to them) on media from the last ``lookback_days``
        (default 30), and media the account is tagged in. Cursor: newest time seen."""
        since = parse_time(since_cursor) if since_cursor else None
        lookback = utcnow() - timedelta(days=int(self.settings.get("lookback_days", 30)))
        me = str(self.settings.get("username", ""))
        items: list[InboundItem] = []
        for media in self.pages(
            f"{self.user_id}/media", what="listing media",
            params={"fields": "id,timestamp", "limit": 50},
        ):  # fmt: skip
            if parse_time(media["timestamp"]) < lookback:
                break
            for comment in self.pages(
                f"{media['id']}/comments", what="reading comments",
                params={"fields": "id,text,username,timestamp,replies{id,text,username,"
                                  "timestamp}", "limit": 50},
            ):  # fmt: skip
                threads = [(comment, media["id"])] + [
                    (reply, comment["id"]) for reply in comment.get("replies", {}).get("data", [])
                ]
                for raw, parent in threads:
                    if me and raw.get("username") == me:
                        continue
                    item = InboundItem(
                        remote_id=str(raw["id"]),
                        parent_remote_id=str(parent),
                        author_handle=str(raw.get("username", "unknown")),
                        text=str(raw.get("text", "")),
                        created_at=parse_time(raw["timestamp"]),
                        kind="comment",
                    )
                    if since is None or item.created_at > since:
                        items.append(item)
        for tagged in self.pages(
            f"{self.user_id}/tags", what="reading mentions",
            params={"fields": "id,caption,username,timestamp,permalink", "limit": 50},
        ):  # fmt: skip
            item = InboundItem(
                remote_id=str(tagged["id"]),
                parent_remote_id=None,
                author_handle=str(tagged.get("username", "unknown")),
                text=str(tagged.get("caption", "")),
                created_at=parse_time(tagged["timestamp"]),
                kind="mention",
                url=tagged.get("permalink"),
            )
            if since is None or item.created_at > since:
                items.append(item)
        items.sort(key=lambda i: i.created_at)
        newest = max((i.created_at for i in items), default=since)
        return items, newest.isoformat() if newest else since_cursor

    def post_metrics(self, remote_ids: Sequence[str]) -> list[PostMetrics]:
        results = []
        for remote_id in remote_ids:
            data = self.graph(
                "GET", f"{remote_id}/insights", what="reading post insights",
                params={"metric": "views,reach,likes,comments,shares,saved"},
            )  # fmt: skip
            values = {m["name"]: m["values"][0]["value"] for m in data.get("data", [])}
            results.append(
                PostMetrics(
                    remote_id=remote_id,
                    impressions=values.get("views"),
                    reach=values.get("reach"),
                    likes=values.get("likes"),
                    comments=values.get("comments"),
                    shares=values.get("shares"),
                    saves=values.get("saved"),
                )
            )
        return results

    def account_metrics(self) -> AccountMetrics:
        data = self.graph(
            "GET", self.user_id, what="reading the account", params={"fields": "followers_count"}
        )
        return AccountMetrics(followers=data.get("followers_count"), measured_at=utcnow())


def _ratio(data: bytes) -> float | None:
    try:
        from PIL import Image as PILImage

        with PILImage.open(io.BytesIO(data)) as img:
            width, height = img.size
    except Exception:
        return None
    return width / height if height else None
