"""Discourse: one category (or one topic) of a Discourse site, moderated with a staff API key.

The key is created in *Admin → API → New API key* for a moderator account
(``api_username``); silencing and suspending need a moderator or admin.
Discourse has no per-category membership to remove someone from, so *kick*
is :class:`Unsupported`, with the steps to do it through the group that
grants access.

* **read** walks ``/posts.json`` (the site's latest posts, newest first)
  back to the cursor — the highest post id already seen — and keeps the posts
  of the watched category or topic. It reads at most a few pages per call, so
  a busy site is read over several calls rather than in one unbounded walk.
* **reports**: members' flags are in the review queue. Each read also walks
  ``/review.json`` (pending flagged posts of the watched category or topic,
  newest first, a few pages) and returns one :class:`PlatformReport` per flag
  (a *reviewable score*: one member, one reason), ``remote_id`` ``"<reviewable>:<score>"``.
  Flags are not behind the cursor: a second member can flag a post already in the
  queue, and its reviewable keeps its old id, so the queue's pending flags are
  returned on every read and the workspace keeps each ``remote_id`` once.
  Reading the queue needs the moderator key the rest of the connector needs.
* **mute** silences the member until the given time (Discourse lifts it by
  itself); **ban** suspends them with no end date in practice.
* Member ids are Discourse's numeric user ids (``user_id`` on a post).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar

import httpx

from postguard.communities.base import (
    CommunityCapabilities,
    CommunityMessage,
    MessagePage,
    PlatformReport,
    Unsupported,
)
from postguard.communities.http import (
    CommunityHttp,
    HttpCommunityConnector,
    Response,
    bounded_limit,
    error_text,
    platform_words,
)
from postguard.connectors.base import (
    AuthError,
    ConnectorError,
    NotFound,
    PermanentError,
    RateLimited,
    TransientError,
    parse_time,
)

#: Pages of /posts.json read per call (each up to 50 posts on current Discourse).
MAX_PAGES = 5
#: Pages of /review.json read per call (Discourse answers 10 reviewables a page).
MAX_REVIEW_PAGES = 3
#: Discourse wants a date; a suspension this long is a ban.
BAN_UNTIL = "3000-01-01"
NOTICE_TITLE = "A message from the community moderators"

KICK_INSTRUCTIONS = (
    "Discourse has no way to remove a member from one category without suspending them. "
    "If the category is private to a group: open the site as a moderator, go to "
    "Admin → Groups (or /g), choose the group that grants access to the category, open "
    "Members, tick the member and choose Remove. Otherwise suspend them for a period instead "
    "(Admin → Users → the member → Suspend)."
)


def _int_id(value: str, what: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise PermanentError(
            f"a Discourse {what} id is a number (got {str(value)[:40]!r})"
        ) from None


class DiscourseCommunity(HttpCommunityConnector):
    platform: ClassVar[str] = "discourse"
    capabilities: ClassVar[CommunityCapabilities] = CommunityCapabilities(
        read=True,
        remove=True,
        mute=True,
        kick=False,
        ban=True,
        notice=True,
        pin=True,
        reports=True,
    )

    def __init__(
        self,
        base_url: str,
        api_key: str,
        api_username: str,
        category_id: int | str | None = None,
        topic_id: int | str | None = None,
        *,
        transport: httpx.BaseTransport | None = None,
        **_: Any,
    ) -> None:
        if (category_id in (None, "")) == (topic_id in (None, "")):
            raise PermanentError("a Discourse community is one category_id or one topic_id")
        self.base_url = base_url.rstrip("/")
        self.category_id = int(category_id) if category_id not in (None, "") else None
        self.topic_id = int(topic_id) if topic_id not in (None, "") else None
        self.http = CommunityHttp(
            self.base_url,
            {"Api-Key": api_key, "Api-Username": api_username, "Accept": "application/json"},
            platform="Discourse",
            classify=classify,
            transport=transport,
        )
        self.api_username = api_username

    def __repr__(self) -> str:
        where = f"category {self.category_id}" if self.category_id else f"topic {self.topic_id}"
        return f"<DiscourseCommunity {self.base_url} {where}>"

    # -- reading ----------------------------------------------------------------------------

    def _watched(self, post: dict[str, Any]) -> bool:
        if self.topic_id is not None:
            return post.get("topic_id") == self.topic_id
        return post.get("category_id") == self.category_id

    def read(self, cursor: str | None = None, *, limit: int = 100) -> MessagePage:
        limit = bounded_limit(limit)
        since = int(cursor) if cursor and cursor.isdigit() else None
        seen_max = since or 0
        found: list[dict[str, Any]] = []
        before: int | None = None
        for _ in range(MAX_PAGES):
            params = {"before": before} if before is not None else {}
            data = self.http.call("GET", "/posts.json", params=params, what="reading posts").json()
            posts = data.get("latest_posts") if isinstance(data, dict) else None
            posts = [
                p
                for p in posts or []
                if isinstance(p, dict)
                and isinstance(p.get("id"), int)
                # A page that does not move back (a misbehaving server) must not loop or repeat.
                and (before is None or p["id"] < before)
            ]
            if not posts:
                break
            newer = [p for p in posts if since is None or p["id"] > since]
            seen_max = max(seen_max, *(p["id"] for p in posts))
            found.extend(p for p in newer if self._watched(p))
            if len(newer) < len(posts) or (since is None and len(found) >= limit):
                break  # reached the cursor, or enough for a first read
            before = min(p["id"] for p in posts)
        found.sort(key=lambda p: p["id"])
        if since is None:
            found = found[-limit:]
        messages = [self._message(p) for p in found if not p.get("deleted_at")]
        return MessagePage(
            messages=messages,
            cursor=str(seen_max) if seen_max else cursor,
            reports=self._flags(),
        )

    def _flags(self) -> list[PlatformReport]:
        """The pending flags on the watched posts, oldest first."""
        where = (
            {"topic_id": self.topic_id}
            if self.topic_id is not None
            else {"category_id": self.category_id}
        )
        reports: dict[str, PlatformReport] = {}
        offset = 0
        for _ in range(MAX_REVIEW_PAGES):
            params: dict[str, Any] = {
                "type": "ReviewableFlaggedPost",
                "status": "pending",
                "sort_order": "created_at",
                "offset": offset,
                **where,
            }
            data = self.http.call("GET", "/review.json", params=params, what="reading flags").json()
            if not isinstance(data, dict):
                break
            reviewables = [r for r in data.get("reviewables") or [] if isinstance(r, dict)]
            offset += len(reviewables)
            scores = _by_id(data.get("reviewable_scores"))
            types = _by_id(data.get("score_types"))
            for reviewable in reviewables:
                for report in self._reports(reviewable, scores, types):
                    reports.setdefault(report.remote_id, report)
            meta = data.get("meta")
            more = isinstance(meta, dict) and bool(meta.get("load_more_reviewables"))
            if not reviewables or not more:
                break
        return sorted(reports.values(), key=lambda r: (r.created_at, r.remote_id))

    def _reports(
        self,
        reviewable: dict[str, Any],
        scores: dict[int, dict[str, Any]],
        types: dict[int, dict[str, Any]],
    ) -> list[PlatformReport]:
        post_id = reviewable.get("post_id") or reviewable.get("target_id")
        if (
            reviewable.get("type") != "ReviewableFlaggedPost"
            # Older Discourse sends the status as a number (0: pending), newer as its name.
            or reviewable.get("status", 0) not in (0, "pending")
            or not isinstance(reviewable.get("id"), int)
            or not isinstance(post_id, int)
            # The server filters already; a flag elsewhere on the site, or one a moderator
            # has dealt with, must not reach this community's queue if it did not.
            or not self._watched(reviewable)
        ):
            return []
        out = []
        for score_id in reviewable.get("reviewable_score_ids") or []:
            score = scores.get(score_id) if isinstance(score_id, int) else None
            if score is None or score.get("user_id") is None:
                continue
            type_id = score.get("score_type_id")
            kind = (types.get(type_id) if isinstance(type_id, int) else None) or {}
            words = [str(kind.get("title") or kind.get("type") or "flag")]
            if isinstance(score.get("reason"), str) and score["reason"]:
                words.append(_plain(score["reason"]))
            when = _time(score.get("created_at")) or _time(reviewable.get("created_at"))
            out.append(
                PlatformReport(
                    remote_id=f"{reviewable['id']}:{score_id}",
                    message_id=str(post_id),
                    reporter_id=str(score["user_id"]),
                    reason=": ".join(w for w in words if w),
                    created_at=when or datetime.now(UTC),
                )
            )
        return out

    def _message(self, post: dict[str, Any]) -> CommunityMessage:
        slug = post.get("topic_slug") or "topic"
        reply = post.get("reply_to_post_number")
        return CommunityMessage(
            remote_id=str(post["id"]),
            author_id=str(post.get("user_id", "")),
            author_name=str(post.get("username") or post.get("name") or ""),
            # ``raw`` is what the member typed; ``cooked`` (HTML) only when raw is withheld.
            text=str(post.get("raw") or post.get("cooked") or ""),
            created_at=parse_time(str(post.get("created_at") or "1970-01-01T00:00:00Z")),
            url=f"{self.base_url}/t/{slug}/{post.get('topic_id')}/{post.get('post_number')}",
            reply_to=f"{post.get('topic_id')}#{reply}" if reply else None,
        )

    # -- moderation -------------------------------------------------------------------------

    def remove(self, message_id: str, reason: str) -> None:
        post_id = _int_id(message_id, "post")
        try:
            self.http.call("DELETE", f"/posts/{post_id}.json", what="deleting the post")
        except NotFound:
            return  # already deleted

    def mute(self, member_id: str, until: datetime, reason: str) -> None:
        user_id = _int_id(member_id, "user")
        self.http.call(
            "PUT",
            f"/admin/users/{user_id}/silence.json",
            json={"silenced_till": until.astimezone(UTC).isoformat(), "reason": reason},
            what="silencing the member",
        )

    def unmute(self, member_id: str) -> None:
        user_id = _int_id(member_id, "user")
        self.http.call(
            "PUT", f"/admin/users/{user_id}/unsilence.json", what="lifting the member's silence"
        )

    def kick(self, member_id: str, reason: str) -> None:
        raise Unsupported("kick", KICK_INSTRUCTIONS)

    def ban(self, member_id: str, reason: str) -> None:
        user_id = _int_id(member_id, "user")
        self.http.call(
            "PUT",
            f"/admin/users/{user_id}/suspend.json",
            json={"suspend_until": BAN_UNTIL, "reason": reason},
            what="suspending the member",
        )

    def _username(self, user_id: int) -> str:
        data = self.http.call(
            "GET", f"/admin/users/{user_id}.json", what="looking up the member"
        ).json()
        name = data.get("username") if isinstance(data, dict) else None
        if not isinstance(name, str) or not name:
            raise TransientError("Discourse returned the member without a username")
        return name

    def notice(self, member_id: str, text: str) -> None:
        username = self._username(_int_id(member_id, "user"))
        self.http.call(
            "POST",
            "/posts.json",
            json={
                "title": NOTICE_TITLE,
                "raw": text,
                "archetype": "private_message",
                "target_recipients": username,
            },
            what="sending the private message",
        )

    def pin(self, text: str) -> str:
        body: dict[str, Any] = {"raw": text}
        if self.topic_id is not None:
            body["topic_id"] = self.topic_id  # a reply in the watched topic: topics pin, posts not
        else:
            body.update({"title": "Community Policy", "category": self.category_id})
        data = self.http.call("POST", "/posts.json", json=body, what="posting the policy").json()
        if not isinstance(data, dict) or not isinstance(data.get("id"), int):
            raise TransientError("Discourse accepted the post but returned no id")
        if self.topic_id is None:
            until = (datetime.now(UTC) + timedelta(days=3650)).date().isoformat()
            self.http.call(
                "PUT",
                f"/t/{data['topic_id']}/status.json",
                json={"status": "pinned", "enabled": "true", "until": until},
                what="pinning the policy topic",
            )
        return str(data["id"])


def _by_id(rows: Any) -> dict[int, dict[str, Any]]:
    """A sideloaded list (``reviewable_scores``, ``score_types``) keyed by id."""
    if not isinstance(rows, list):
        return {}
    return {r["id"]: r for r in rows if isinstance(r, dict) and isinstance(r.get("id"), int)}


def _time(value: Any) -> datetime | None:
    # One malformed timestamp must not keep every other flag out of the queue.
    try:
        return parse_time(value) if isinstance(value, str) and value else None
    except ValueError:
        return None


def _plain(text: str) -> str:
    # A system reason can carry a link to the setting that held the post; keep its words.
    return re.sub(r"<[^>]*>", "", text).strip()


def classify(response: Response, what: str) -> ConnectorError:
    data = response.json()
    words = platform_words(data, "errors", "error")
    message = error_text("Discourse", what, response, words)
    error_type = data.get("error_type") if isinstance(data, dict) else None
    if response.status == 429 or error_type == "rate_limit":
        extras = data.get("extras") if isinstance(data, dict) else None
        wait = extras.get("wait_seconds") if isinstance(extras, dict) else None
        if not isinstance(wait, int | float):
            header = response.headers.get("retry-after", "")
            wait = float(header) if header.isdigit() else None
        return RateLimited(message, retry_after=wait)
    if response.status >= 500:
        return TransientError(message)
    if response.status == 404:
        return NotFound(message)
    if response.status in (401, 403) and error_type in (None, "invalid_access", "not_logged_in"):
        # Discourse answers a wrong or revoked key, and a key without the scope, with 403.
        return AuthError(
            f"{message} — check the API key and that its user is a moderator, then reconnect"
        )
    return PermanentError(message)
