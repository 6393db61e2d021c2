"""Bluesky (AT Protocol) through the ``atproto`` SDK.

Connecting a channel: the account's handle and an *app password* (Settings →
Privacy and security → App passwords), never the main password. The session
the SDK opens is refreshed by it before the access token expires; when the
refresh token is refused the channel's owner is told to reconnect.

Posts are records in the account's repository (``app.bsky.feed.post``).
Each one we create carries our idempotency key in an extra field
(:data:`KEY_FIELD`; records may carry fields beyond their lexicon), so
:meth:`BlueskyConnector.find_published` finds it exactly by listing our own
repository -- no guessing from text.

Reading has two modes (setting ``read_via``):

``"appview"`` (the default, for bsky.social and any PDS with an AppView behind it)
    Replies and mentions come from notifications, counts from
    ``app.bsky.feed.getPosts`` and followers from the profile. Bluesky gives no
    impressions, reach or link clicks at all.

``"repos"`` (a bare PDS: no AppView, no firehose)
    Nothing aggregates other people's records, so we read repositories
    directly with ``com.atproto.repo.listRecords``: our own, plus the ones
    listed in the ``watch_repos`` setting (DIDs or handles). Replies, mentions,
    likes, reposts and follows from accounts *not* on that list are invisible
    in this mode, and counts are recomputed by scanning those repositories.
"""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any, ClassVar

import httpx
from atproto import Client, models
from atproto_client.exceptions import (
    BadRequestError,
    NetworkError,
    RateLimitExceededError,
    RequestErrorBase,
    RequestException,
    UnauthorizedError,
)
from atproto_client.models.utils import get_model_as_dict
from atproto_client.request import Request
from atproto_client.utils import facet_detection

from postguard.connectors import direct
from postguard.connectors.base import (
    AccountMetrics,
    AuthError,
    Capabilities,
    Connector,
    Credentials,
    HistoryItem,
    InboundItem,
    InboundKind,
    Limits,
    OutgoingPost,
    PermanentError,
    PostMetrics,
    Published,
    RateLimited,
    TokenExpired,
    TransientError,
    compose_text,
    grapheme_length,
    parse_time,
    utcnow,
)

log = logging.getLogger(__name__)

POST = "app.bsky.feed.post"
LIKE = "app.bsky.feed.like"
REPOST = "app.bsky.feed.repost"
FOLLOW = "app.bsky.graph.follow"
#: The extra record field that carries our idempotency key.
KEY_FIELD = "postguardIdempotencyKey"
MAX_POST_BYTES = 3000

_TOKEN_ERRORS = {"ExpiredToken", "InvalidToken"}


def _error_name(exc: RequestErrorBase) -> str:
    content = exc.response.content if exc.response is not None else None
    return str(getattr(content, "error", "") or "")


def _status(exc: RequestErrorBase) -> int | None:
    return exc.response.status_code if exc.response is not None else None


@contextmanager
def _mapped(what: str) -> Iterator[None]:
    """Translate the SDK's exceptions into ours. Messages carry the XRPC error name and
    message from the server, never a request header (where the tokens are)."""
    try:
        yield
    except RateLimitExceededError as exc:
        # Bluesky sends ratelimit-reset (epoch seconds); some services send Retry-After.
        wait = exc.retry_after
        if wait is None and exc.reset_at is not None:
            wait = max(0.0, (exc.reset_at - utcnow()).total_seconds())
        raise RateLimited(f"Bluesky rate limit on {what}", retry_after=wait) from None
    except UnauthorizedError as exc:
        if _error_name(exc) in _TOKEN_ERRORS:
            raise TokenExpired(
                f"the Bluesky session expired ({what}): reconnect the channel"
            ) from None
        raise AuthError(
            f"Bluesky refused the channel's credentials ({what}: {exc}): create a new app "
            "password and reconnect the channel"
        ) from None
    except BadRequestError as exc:
        if _error_name(exc) in _TOKEN_ERRORS:
            raise TokenExpired(
                f"the Bluesky session expired ({what}): reconnect the channel"
            ) from None
        raise PermanentError(f"Bluesky refused {what}: {exc}") from None
    except NetworkError as exc:
        if _status(exc) == 413:
            raise PermanentError(f"Bluesky refused {what}: too large") from None
        raise TransientError(f"Bluesky unreachable during {what}: {exc}") from None
    except RequestException as exc:
        status = _status(exc)
        if status is not None and status >= 500:
            raise TransientError(f"Bluesky server error during {what}: {exc}") from None
        raise PermanentError(f"Bluesky refused {what}: {exc}") from None


def _as_dict(value: Any) -> dict[str, Any]:
    if isinstance(value, dict):
        return value
    as_dict: dict[str, Any] = get_model_as_dict(value)
    return as_dict


def _rkey(uri: str) -> str:
    return uri.rsplit("/", 1)[-1]


def _repo_of(uri: str) -> str:
    return uri.removeprefix("at://").split("/", 1)[0]


def _aspect_ratio(data: bytes) -> models.AppBskyEmbedDefs.AspectRatio | None:
    try:
        from PIL import Image as PILImage

        with PILImage.open(io.BytesIO(data)) as img:
            width, height = img.size
    except Exception:
        return None
    return models.AppBskyEmbedDefs.AspectRatio(width=width, height=height)


class BlueskyRequest(Request):  # type: ignore[misc]  # the SDK is untyped for mypy
    """The SDK's HTTP layer, sending raw bodies (blob uploads) the way httpx asks.

    The SDK passes bytes as ``data=``, which httpx deprecates in favour of
    ``content=`` (a DeprecationWarning on every image upload); same bytes on the wire.
    """

    def _send_request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        if isinstance(kwargs.get("data"), bytes | bytearray):
            kwargs["content"] = kwargs.pop("data")
        response: httpx.Response = super()._send_request(method, url, **kwargs)
        return response


class BlueskyConnector(Connector):
    network: ClassVar[str] = "bluesky"
    display_name: ClassVar[str] = "Bluesky"
    limits: ClassVar[Limits] = Limits(
        max_chars=300,
        char_unit="characters",
        max_images=4,
        max_image_bytes=1_000_000,
        max_alt_chars=2000,
        alt_required=True,
        image_mimes=("image/jpeg", "image/png", "image/webp", "image/gif"),
    )
    capabilities: ClassVar[Capabilities] = Capabilities(
        private_messages=True,
        fetch_comments=False,
        metric_impressions=False,
        metric_reach=False,
        metric_link_clicks=False,
        search_mentions=True,
        auth="app_password",
        notes=(
            "Bluesky does not report impressions, reach or link clicks.",
            "Links are clickable in the text; no link preview card is attached.",
            "Without an AppView (a bare PDS), replies, likes and follows are only seen from "
            "the accounts listed to watch.",
        ),
    )

    def __init__(
        self,
        credentials: Credentials,
        settings: Mapping[str, Any] | None = None,
        *,
        request: Request | None = None,
    ) -> None:
        super().__init__(credentials, settings)
        self.service: str = str(self.settings.get("service", "https://bsky.social")).rstrip("/")
        self.identifier: str = str(self.settings["handle"])
        self.read_via: str = str(self.settings.get("read_via", "appview"))
        self.web_url: str = str(self.settings.get("web_url", "https://bsky.app")).rstrip("/")
        self.watch_repos: list[str] = list(self.settings.get("watch_repos", []))
        self._request = request or BlueskyRequest(timeout=30.0)
        self._client: Client | None = None
        self._did_cache: dict[str, str] = {}
        self._handle_cache: dict[str, str] = {}

    # -- session ----------------------------------------------------------------------------
    @property
    def client(self) -> Client:
        if self._client is None:
            self.authenticate()
        assert self._client is not None
        return self._client

    @property
    def did(self) -> str:
        session = self.client._session
        assert session is not None
        did: str = session.did
        return did

    def authenticate(self) -> None:
        client = Client(base_url=self.service, request=self._request)
        session = self.credentials.secrets.get("session")
        with _mapped("login"):
            if session:
                try:
                    client.login(session_string=session, fetch_bsky_profile=False)
                    self._client = client
                    return
                except (UnauthorizedError, BadRequestError):
                    log.info("stored Bluesky session refused; logging in with the app password")
            # No profile lookup: a PDS without an AppView does not serve it.
            client.login(
                self.identifier,
                self.credentials.get("app_password"),
                fetch_bsky_profile=False,
            )
        self._client = client
        self._remember_session()

    def _remember_session(self) -> None:
        if self._client is not None:
            self.credentials.secrets["session"] = self._client.export_session_string()

    def refresh(self) -> Credentials:
        client = self.client
        with _mapped("session refresh"):
            try:
                client._refresh_and_set_session()
            except (UnauthorizedError, BadRequestError):
                # The refresh token is gone; the app password may still be good.
                self.credentials.secrets.pop("session", None)
                self._client = None
                self.authenticate()
        self._remember_session()
        return self.credentials

    def close(self) -> None:
        self._request.close()

    # -- helpers ----------------------------------------------------------------------------
    def _resolve_did(self, actor: str) -> str:
        if actor.startswith("did:"):
            return actor
        if actor not in self._did_cache:
            with _mapped("handle lookup"):
                resp = self.client.com.atproto.identity.resolve_handle({"handle": actor})
            self._did_cache[actor] = resp.did
        return self._did_cache[actor]

    def _handle_of(self, did: str) -> str:
        if did not in self._handle_cache:
            try:
                with _mapped("account lookup"):
                    repo = self.client.com.atproto.repo.describe_repo({"repo": did})
                self._handle_cache[did] = repo.handle
            except PermanentError:
                self._handle_cache[did] = did
        return self._handle_cache[did]

    def _list_records(
        self, repo: str, collection: str, *, reverse: bool = False, cursor: str | None = None
    ) -> Iterator[tuple[str, str, dict[str, Any]]]:
        """Yield (uri, cid, record) pages through ``listRecords``; newest first unless
        ``reverse``. The cursor is the last record key seen."""
        while True:
            with _mapped("listing records"):
                resp = self.client.com.atproto.repo.list_records(
                    models.ComAtprotoRepoListRecords.Params(
                        repo=repo, collection=collection, limit=100, reverse=reverse, cursor=cursor
                    )
                )
            for rec in resp.records:
                yield rec.uri, rec.cid, _as_dict(rec.value)
            if not resp.records or not resp.cursor:
                return
            cursor = resp.cursor

    def _get_record(self, uri: str) -> tuple[str, dict[str, Any]]:
        repo, collection, rkey = uri.removeprefix("at://").split("/")
        with _mapped("reading the post replied to"):
            resp = self.client.com.atproto.repo.get_record(
                {"repo": repo, "collection": collection, "rkey": rkey}
            )
        if resp.cid is None:
            raise PermanentError(f"the Bluesky post {uri} has no CID")
        return resp.cid, _as_dict(resp.value)

    def _url(self, uri: str) -> str:
        return f"{self.web_url}/profile/{_repo_of(uri)}/post/{_rkey(uri)}"

    def _published(self, uri: str, cid: str, created_at: datetime) -> Published:
        return Published(
            remote_id=uri, url=self._url(uri), published_at=created_at, extra={"cid": cid}
        )

    # -- publishing -------------------------------------------------------------------------
    def text_length(self, text: str) -> int:
        return grapheme_length(text)

    def validate_message(self, post: OutgoingPost) -> list[str]:
        """A chat message: up to 1000 graphemes, text only."""
        problems = direct.bluesky_problems(post.text)
        if not post.text.strip():
            problems.append("the message is empty")
        if post.images:
            problems.append("postguard sends Bluesky messages without images")
        return problems

    def _chat(self) -> direct.BlueskyChat:
        session = self.client._session
        assert session is not None
        return direct.BlueskyChat(self.service, str(session.access_jwt))

    def send_message(self, post: OutgoingPost) -> Published:
        """A direct message through the chat service (connectors/direct.py)."""
        assert post.direct_to is not None
        member = self._resolve_did(post.direct_to.strip().lstrip("@"))
        chat = self._chat()
        try:
            convo = chat.convo_for(member)
            sent = chat.send(convo, post.text)
        finally:
            chat.close()
        self._remember_session()
        return direct.chat_published(convo, sent)

    def validate(self, post: OutgoingPost) -> list[str]:
        if post.direct_to is not None:
            return self.validate_message(post)
        problems = super().validate(post)
        size = len(compose_text(post).encode("utf-8"))
        if size > MAX_POST_BYTES:
            problems.append(
                f"Bluesky allows {MAX_POST_BYTES} bytes of text; this post has {size} — "
                "shorten it (emoji and accented letters take several bytes)"
            )
        return problems

    def _facets(self, text: str) -> list[models.AppBskyRichtextFacet.Main]:
        facets = facet_detection.detect_facets(text)
        for mention in facet_detection.detect_mentions(text):
            try:
                did = self._resolve_did(mention.handle.lower())
            except PermanentError:
                continue  # not a Bluesky handle: leave it as plain text
            facets.append(
                models.AppBskyRichtextFacet.Main(
                    features=[models.AppBskyRichtextFacet.Mention(did=did)],
                    index=models.AppBskyRichtextFacet.ByteSlice(
                        byte_start=mention.byte_start, byte_end=mention.byte_end
                    ),
                )
            )
        return sorted(facets, key=lambda f: f.index.byte_start)

    def _reply_ref(self, parent_uri: str) -> models.AppBskyFeedPost.ReplyRef:
        parent_cid, parent = self._get_record(parent_uri)
        parent_ref = models.ComAtprotoRepoStrongRef.Main(uri=parent_uri, cid=parent_cid)
        root = (parent.get("reply") or {}).get("root")
        root_ref = (
            models.ComAtprotoRepoStrongRef.Main(uri=root["uri"], cid=root["cid"])
            if root
            else parent_ref
        )
        return models.AppBskyFeedPost.ReplyRef(root=root_ref, parent=parent_ref)

    def publish(self, post: OutgoingPost, idempotency_key: str) -> Published:
        self.ensure_valid(post)
        if post.direct_to is not None:
            return self.send_message(post)
        text = compose_text(post)
        embed = None
        if post.images:
            images = []
            for image in post.images:
                with _mapped("uploading an image"):
                    # The PDS sniffs the type from the bytes; validate() checked it.
                    blob = self.client.com.atproto.repo.upload_blob(image.data).blob
                images.append(
                    models.AppBskyEmbedImages.Image(
                        alt=image.alt, image=blob, aspect_ratio=_aspect_ratio(image.data)
                    )
                )
            embed = models.AppBskyEmbedImages.Main(images=images)
        created_at = utcnow()
        record = get_model_as_dict(
            models.AppBskyFeedPost.Record(
                text=text,
                created_at=created_at.isoformat().replace("+00:00", "Z"),
                facets=self._facets(text) or None,
                embed=embed,
                reply=self._reply_ref(post.reply_to) if post.reply_to else None,
                langs=list(self.settings.get("langs", ["en"])),
            )
        )
        record[KEY_FIELD] = idempotency_key
        with _mapped("publishing"):
            resp = self.client.com.atproto.repo.create_record(
                models.ComAtprotoRepoCreateRecord.Data(
                    repo=self.did, collection=POST, record=record
                )
            )
        self._remember_session()
        return self._published(resp.uri, resp.cid, created_at)

    def find_published(
        self, idempotency_key: str, since: datetime, post: OutgoingPost
    ) -> Published | None:
        if post.direct_to is not None:
            # The chat keeps no key of ours: the same text from us in the conversation.
            member = self._resolve_did(post.direct_to.strip().lstrip("@"))
            chat = self._chat()
            try:
                convo = chat.convo_for(member)
                found = chat.find(convo, self.did, post.text, since)
            finally:
                chat.close()
            return direct.chat_published(convo, found) if found is not None else None
        # Record keys are timestamps, so the listing is newest first: stop at the window.
        for uri, cid, value in self._list_records(self.did, POST):
            created = parse_time(str(value.get("createdAt", "1970-01-01T00:00:00Z")))
            if value.get(KEY_FIELD) == idempotency_key:
                return self._published(uri, cid, created)
            if created < since:
                return None
        return None

    def delete(self, remote_id: str) -> None:
        if _repo_of(remote_id) != self.did:
            raise PermanentError("this Bluesky post belongs to another account")
        with _mapped("deleting"):
            self.client.com.atproto.repo.delete_record(
                models.ComAtprotoRepoDeleteRecord.Data(
                    repo=self.did, collection=POST, rkey=_rkey(remote_id)
                )
            )

    def gone(self, remote_ids: Sequence[str]) -> set[str]:
        """``getRecord`` on each: a 400 ``RecordNotFound`` is definite; any other answer
        (or failure) is not a deletion."""
        missing = set()
        for uri in remote_ids:
            try:
                repo, collection, rkey = uri.removeprefix("at://").split("/")
            except ValueError:
                continue
            try:
                with _mapped("checking a post"):
                    try:
                        self.client.com.atproto.repo.get_record(
                            {"repo": repo, "collection": collection, "rkey": rkey}
                        )
                    except BadRequestError as exc:
                        if _error_name(exc) == "RecordNotFound":
                            missing.add(uri)
                            continue
                        raise
            except PermanentError:
                continue  # refused for another reason: not proof that it is gone
        return missing

    # -- reading ----------------------------------------------------------------------------
    def fetch_inbound(self, since_cursor: str | None) -> tuple[list[InboundItem], str | None]:
        if self.read_via == "repos":
            return self._inbound_from_repos(since_cursor)
        return self._inbound_from_notifications(since_cursor)

    def _inbound_from_repos(self, since_cursor: str | None) -> tuple[list[InboundItem], str]:
        me = self.did
        ours = f"at://{me}/"
        cursors: dict[str, str] = json.loads(since_cursor) if since_cursor else {}
        items: list[InboundItem] = []
        for actor in self.watch_repos:
            repo = self._resolve_did(actor)
            if repo == me:
                continue
            last = cursors.get(repo)
            for uri, _cid, value in self._list_records(repo, POST, reverse=True, cursor=last):
                last = _rkey(uri)
                item = self._inbound_item(uri, value, repo, me, ours)
                if item is not None:
                    items.append(item)
            if last is not None:
                cursors[repo] = last
        items.sort(key=lambda i: i.created_at)
        return items, json.dumps(cursors, sort_keys=True)

    def _inbound_item(
        self, uri: str, value: dict[str, Any], author: str, me: str, ours: str
    ) -> InboundItem | None:
        parent = ((value.get("reply") or {}).get("parent") or {}).get("uri")
        mentioned = any(
            feature.get("did") == me
            for facet in value.get("facets") or []
            for feature in facet.get("features") or []
        )
        kind: InboundKind
        if parent and parent.startswith(ours):
            kind = "reply"
        elif mentioned:
            kind = "mention"
        else:
            return None
        return InboundItem(
            remote_id=uri,
            parent_remote_id=parent,
            author_handle=self._handle_of(author),
            text=str(value.get("text", "")),
            created_at=parse_time(str(value.get("createdAt"))),
            kind=kind,
            url=self._url(uri),
        )

    def _inbound_from_notifications(
        self, since_cursor: str | None
    ) -> tuple[list[InboundItem], str | None]:
        seen_until = parse_time(since_cursor) if since_cursor else None
        items: list[InboundItem] = []
        newest = seen_until
        cursor: str | None = None
        done = False
        while not done:
            with _mapped("reading notifications"):
                resp = self.client.app.bsky.notification.list_notifications(
                    {"limit": 100, "cursor": cursor}
                )
            for note in resp.notifications:
                indexed = parse_time(note.indexed_at)
                if seen_until is not None and indexed <= seen_until:
                    done = True
                    break
                newest = indexed if newest is None or indexed > newest else newest
                if note.reason not in ("reply", "mention", "quote"):
                    continue
                value = _as_dict(note.record)
                parent = ((value.get("reply") or {}).get("parent") or {}).get("uri")
                items.append(
                    InboundItem(
                        remote_id=note.uri,
                        parent_remote_id=parent,
                        author_handle=note.author.handle,
                        text=str(value.get("text", "")),
                        created_at=parse_time(str(value.get("createdAt", note.indexed_at))),
                        kind="reply" if note.reason == "reply" else "mention",
                        url=self._url(note.uri),
                    )
                )
            cursor = resp.cursor
            if not cursor or not resp.notifications:
                done = True
        items.sort(key=lambda i: i.created_at)
        return items, newest.isoformat() if newest else since_cursor

    def fetch_history(self, since: datetime | None = None) -> Iterator[HistoryItem]:
        # Newest first by record key. Posts imported with an older createdAt than their
        # key can sit anywhere, so the whole list is read rather than stopping at ``since``.
        for uri, _cid, value in self._list_records(self.did, POST):
            created = parse_time(str(value.get("createdAt", "1970-01-01T00:00:00Z")))
            if since is not None and created < since:
                continue
            yield HistoryItem(
                remote_id=uri,
                url=self._url(uri),
                created_at=created,
                text=str(value.get("text", "")),
                kind="reply" if value.get("reply") else "post",
            )

    def search_mentions(
        self, terms: Sequence[str], since_cursor: str | None
    ) -> tuple[list[InboundItem], str | None]:
        """``app.bsky.feed.searchPosts`` per term, newest first, one page (100 posts) per
        term and poll; the cursor keeps, per term, the newest ``indexedAt`` seen. Needs
        an AppView: a bare PDS (``read_via="repos"``) does not serve search."""
        if self.read_via == "repos":
            raise PermanentError(
                "Bluesky search needs an AppView; this channel reads repositories directly"
            )
        seen: dict[str, str] = json.loads(since_cursor) if since_cursor else {}
        found: dict[str, InboundItem] = {}
        for term in dict.fromkeys(t.strip() for t in terms if t.strip()):
            params: dict[str, Any] = {"q": term, "sort": "latest", "limit": 100}
            if term in seen:
                params["since"] = seen[term]
            with _mapped("searching posts"):
                resp = self.client.app.bsky.feed.search_posts(params)
            newest = seen.get(term)
            for post in resp.posts:
                indexed = parse_time(post.indexed_at)
                if term in seen and indexed <= parse_time(seen[term]):
                    continue
                if newest is None or indexed > parse_time(newest):
                    newest = post.indexed_at
                value = _as_dict(post.record)
                parent = ((value.get("reply") or {}).get("parent") or {}).get("uri")
                found.setdefault(
                    post.uri,
                    InboundItem(
                        remote_id=post.uri,
                        parent_remote_id=parent,
                        author_handle=post.author.handle,
                        author_name=post.author.display_name or None,
                        text=str(value.get("text", "")),
                        created_at=parse_time(str(value.get("createdAt", post.indexed_at))),
                        kind="mention",
                        url=self._url(post.uri),
                    ),
                )
            if newest is not None:
                seen[term] = newest
        items = sorted(found.values(), key=lambda i: i.created_at)
        return items, json.dumps(seen, sort_keys=True)

    def post_metrics(self, remote_ids: Sequence[str]) -> list[PostMetrics]:
        if self.read_via == "repos":
            return self._metrics_from_repos(remote_ids)
        results = []
        for start in range(0, len(remote_ids), 25):
            batch = list(remote_ids[start : start + 25])
            with _mapped("reading post counts"):
                resp = self.client.app.bsky.feed.get_posts({"uris": batch})
            for view in resp.posts:
                results.append(
                    PostMetrics(
                        remote_id=view.uri,
                        likes=view.like_count or 0,
                        comments=view.reply_count or 0,
                        shares=(view.repost_count or 0) + (view.quote_count or 0),
                    )
                )
        return results

    def _metrics_from_repos(self, remote_ids: Sequence[str]) -> list[PostMetrics]:
        wanted = set(remote_ids)
        likes = dict.fromkeys(wanted, 0)
        shares = dict.fromkeys(wanted, 0)
        replies = dict.fromkeys(wanted, 0)
        me = self.did
        for actor in self.watch_repos:
            repo = self._resolve_did(actor)
            if repo == me:
                continue
            for counts, collection in ((likes, LIKE), (shares, REPOST)):
                for _uri, _cid, value in self._list_records(repo, collection):
                    subject = (value.get("subject") or {}).get("uri")
                    if subject in counts:
                        counts[subject] += 1
            for _uri, _cid, value in self._list_records(repo, POST):
                parent = ((value.get("reply") or {}).get("parent") or {}).get("uri")
                if parent in replies:
                    replies[parent] += 1
        return [
            PostMetrics(remote_id=r, likes=likes[r], comments=replies[r], shares=shares[r])
            for r in remote_ids
        ]

    def account_metrics(self) -> AccountMetrics:
        me = self.did
        if self.read_via == "repos":
            followers = 0
            for actor in self.watch_repos:
                repo = self._resolve_did(actor)
                if repo == me:
                    continue
                followers += sum(
                    1
                    for _uri, _cid, value in self._list_records(repo, FOLLOW)
                    if value.get("subject") == me
                )
            return AccountMetrics(followers=followers, measured_at=utcnow())
        with _mapped("reading the profile"):
            profile = self.client.app.bsky.actor.get_profile({"actor": me})
        return AccountMetrics(followers=profile.followers_count, measured_at=utcnow())


__all__ = ["KEY_FIELD", "BlueskyConnector"]
