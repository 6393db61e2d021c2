"""Every API endpoint and every page, called as every role and anonymously.

Each row says the status each role gets; for the rows that change something,
``took_effect`` checks the database too, so that a redirect cannot hide a
refusal (or a refusal hide a change).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from postguard.web.audit.models import AuditEntry
from postguard.web.communities.models import Appeal
from postguard.web.orgs import services as orgs
from postguard.web.orgs.models import ApiToken, Channel, Membership
from postguard.web.workflow import services as workflow
from postguard.web.workflow.models import Comment, PersonalCheck, Post, Review, State

from .conftest import COMPLIANT, ROLES, World

pytestmark = pytest.mark.django_db


@dataclass
class Ctx:
    world: World
    draft: Post
    submitted: Post
    member_id: int
    saved_check: PersonalCheck
    posts_before: int = 0
    extra: dict[str, Any] = field(default_factory=dict)

    def membership_id(self, role: str) -> int:
        found = orgs.membership(self.world[role], self.world.org)
        assert found is not None
        return found.pk


def E(  # a table header: one column per role
    admin: int,
    chair: int,
    reviewer: int,
    author: int,
    member: int,
    outsider: int,
    anonymous: int,
) -> dict[str, int]:
    return dict(
        zip(ROLES, (admin, chair, reviewer, author, member, outsider, anonymous), strict=True)
    )


@dataclass(frozen=True)
class Case:
    name: str
    method: str
    path: str
    expect: dict[str, int]
    data: Callable[[Ctx], dict[str, Any]] | None = None
    api: bool = False
    #: For changes: did the change happen? It must exactly when the status is a success.
    took_effect: Callable[[Ctx], bool] | None = None
    #: Roles whose success changes something else than ``took_effect`` looks at (the
    #: outsider acts on their own organization, not on the world's).
    elsewhere: frozenset[str] = frozenset()


def _state(post: Post) -> str:
    post.refresh_from_db()
    return str(post.state)


def _seen(post: Post) -> dict[str, Any]:
    """What a reviewer read, as the post page's form and the API send it back."""
    return {"revision": post.revision, "content_hash": workflow.content_hash_of(post)}


def _read_then_changed(c: Ctx) -> dict[str, Any]:
    """A review form loaded before the author changed the text."""
    seen = _seen(c.submitted)
    workflow.edit_post(c.world["author"], c.submitted, text=COMPLIANT + " Changed since.")
    return {"decision": "approve", **seen}


ALL_200 = E(200, 200, 200, 200, 200, 200, 401)
PAGE_ALL = E(200, 200, 200, 200, 200, 200, 302)
#: A community: its administrators (the organization's, the reviewer) and moderators (the
#: author) see it; the member, who moderates another community, and the chair do not.
COMMUNITY_PAGE = E(200, 404, 200, 200, 404, 404, 302)
COMMUNITY_ADMIN_PAGE = E(302, 404, 302, 403, 404, 404, 302)
COMMUNITY_MODERATOR_PAGE = E(302, 404, 302, 302, 404, 404, 302)
COMMUNITY_API = E(200, 404, 200, 200, 404, 404, 401)
COMMUNITY_API_CHANGE = E(201, 404, 201, 201, 404, 404, 401)
PUBLIC = E(200, 200, 200, 200, 200, 200, 200)
REPORT_PAGE = E(200, 200, 200, 403, 403, 200, 302)

CASES = [
    # --- API -------------------------------------------------------------------------
    Case("api me", "get", "/api/me", ALL_200, api=True),
    Case("api list posts", "get", "/api/posts", ALL_200, api=True),
    Case(
        "api create post",
        "post",
        "/api/posts",
        E(403, 201, 403, 201, 403, 404, 401),
        data=lambda c: {"text": COMPLIANT, "channel": c.world.channel.pk},
        api=True,
        took_effect=lambda c: Post.objects.count() > c.posts_before,
    ),
    Case(
        "api get post",
        "get",
        "/api/posts/{submitted}",
        E(200, 200, 200, 200, 404, 404, 401),
        api=True,
    ),
    Case(
        "api edit post",
        "patch",
        "/api/posts/{draft}",
        E(403, 403, 403, 200, 404, 404, 401),
        data=lambda c: {"text": "Changed text for the test."},
        api=True,
        took_effect=lambda c: Post.objects.get(pk=c.draft.pk).revision == 2,
    ),
    Case(
        "api submit post",
        "post",
        "/api/posts/{draft}/submit",
        E(403, 403, 403, 200, 404, 404, 401),
        api=True,
        took_effect=lambda c: _state(c.draft) == State.SUBMITTED,
    ),
    Case(
        "api review post",
        "post",
        "/api/posts/{submitted}/reviews",
        E(403, 201, 201, 403, 404, 404, 401),
        data=lambda c: {"decision": "approve", **_seen(c.submitted)},
        api=True,
        took_effect=lambda c: Review.objects.filter(post=c.submitted).exists(),
    ),
    Case(
        # The author changed the text after the reviewer loaded it: nobody's approval
        # counts for text they did not read (the committee is told to reload: 409).
        "api review of an earlier revision",
        "post",
        "/api/posts/{submitted}/reviews",
        E(403, 409, 409, 403, 404, 404, 401),
        data=lambda c: _read_then_changed(c),
        api=True,
        took_effect=lambda c: Review.objects.filter(post=c.submitted).exists(),
    ),
    Case(
        "api reply without a parent",
        "post",
        "/api/posts",
        E(403, 422, 403, 422, 403, 404, 401),
        data=lambda c: {
            "text": COMPLIANT,
            "channel": c.world.channel.pk,
            "kind": "reply",
            "in_reply_to": "",
        },
        api=True,
        took_effect=lambda c: Post.objects.count() > c.posts_before,
    ),
    Case(
        "api reply to an inbox item",
        "post",
        "/api/posts",
        E(403, 201, 403, 201, 403, 404, 401),
        data=lambda c: {
            "text": COMPLIANT,
            "channel": c.world.channel.pk,
            "kind": "reply",
            "in_reply_to": "c2",
        },
        api=True,
        took_effect=lambda c: Post.objects.filter(kind="reply", in_reply_to="c2").exists(),
    ),
    Case(
        "api comment",
        "post",
        "/api/posts/{submitted}/comments",
        E(201, 201, 201, 201, 404, 404, 401),
        data=lambda c: {"text": "A comment"},
        api=True,
        took_effect=lambda c: Comment.objects.filter(post=c.submitted).exists(),
    ),
    Case("api check", "post", "/api/check", ALL_200, data=lambda c: {"text": COMPLIANT}, api=True),
    Case("api rules", "get", "/api/rules", ALL_200, api=True),
    # --- issue 8: redaction, open to everyone signed in like /api/check ------------------
    Case(
        "api redact", "post", "/api/redact", ALL_200, data=lambda c: {"text": COMPLIANT}, api=True
    ),
    # --- issue 14: inbox, cases, the record, channels, publication; cursors -------------
    Case("api inbox", "get", "/api/inbox", E(200, 200, 200, 200, 403, 200, 401), api=True),
    Case(
        "api inbox filtered",
        "get",
        "/api/inbox?state=new&category=signal.crisis&channel={channel}",
        E(200, 200, 200, 200, 403, 200, 401),
        api=True,
    ),
    Case(
        "api inbox item", "get", "/api/inbox/{item}", E(200, 200, 200, 200, 404, 404, 401), api=True
    ),
    Case("api cases", "get", "/api/cases", E(200, 200, 200, 200, 403, 200, 401), api=True),
    Case("api case", "get", "/api/cases/{case}", E(200, 200, 200, 200, 404, 404, 401), api=True),
    # The outsider administers their own organization: they read its record, not ours.
    Case("api audit", "get", "/api/audit", E(200, 200, 403, 403, 403, 200, 401), api=True),
    Case("api channels", "get", "/api/channels", ALL_200, api=True),
    Case(
        "api publication",
        "get",
        "/api/posts/{submitted}/publication",
        E(200, 200, 200, 200, 404, 404, 401),
        api=True,
    ),
    Case(
        "api posts with a forged cursor",
        "get",
        "/api/posts?cursor=WzEsMl0:forged",
        E(422, 422, 422, 422, 422, 422, 401),
        api=True,
    ),
    # --- issue 14: a person's own API tokens (pages) -----------------------------------
    Case("api tokens page", "get", "/account/tokens/", PAGE_ALL),
    Case(
        "api token create",
        "post",
        "/account/tokens/new/",
        PAGE_ALL,
        data=lambda c: {"name": "matrix"},
        took_effect=lambda c: ApiToken.objects.filter(name="matrix").exists(),
    ),
    Case(
        # Only its owner revokes a token: anyone else is told there is no such token.
        "api token revoke",
        "post",
        "/account/tokens/{api_token}/revoke/",
        E(404, 404, 404, 302, 404, 404, 302),
        took_effect=lambda c: ApiToken.objects.filter(
            pk=c.extra["api_token"], revoked_at__isnull=False
        ).exists(),
    ),
    # ----------------------------------------------------------------------------------
    Case("api root", "get", "/api/", E(404, 404, 404, 404, 404, 404, 404)),
    Case("api docs", "get", "/api/docs", E(200, 200, 200, 200, 200, 200, 200)),
    Case("api schema", "get", "/api/openapi.json", E(200, 200, 200, 200, 200, 200, 200)),
    # --- pages ------------------------------------------------------------------------
    Case("dashboard", "get", "/", PAGE_ALL),
    Case("sign-in page", "get", "/login/", E(302, 302, 302, 302, 302, 302, 200)),
    Case("password reset page", "get", "/password-reset/", E(200, 200, 200, 200, 200, 200, 200)),
    Case(
        "invitation with a bad token",
        "get",
        "/invitations/nope",
        E(404, 404, 404, 404, 404, 404, 404),
    ),
    Case("review queue", "get", "/queue/", E(403, 200, 200, 403, 403, 403, 302)),
    Case("composer", "get", "/posts/new/", E(403, 200, 403, 200, 403, 200, 302)),
    Case(
        "composer saves",
        "post",
        "/posts/new/",
        # The outsider sees the form again: the channel is not one of theirs.
        E(403, 302, 403, 302, 403, 200, 302),
        data=lambda c: {"channel": c.world.channel.pk, "kind": "post", "text": COMPLIANT},
        took_effect=lambda c: Post.objects.count() > c.posts_before,
        elsewhere=frozenset({"outsider"}),
    ),
    Case("post page", "get", "/posts/{submitted}/", E(200, 200, 200, 200, 404, 404, 302)),
    Case("edit page", "get", "/posts/{draft}/edit/", E(403, 403, 403, 200, 404, 404, 302)),
    Case(
        "edit saves",
        "post",
        "/posts/{draft}/edit/",
        E(403, 403, 403, 302, 404, 404, 302),
        data=lambda c: {"text": "Changed text for the test."},
        took_effect=lambda c: Post.objects.get(pk=c.draft.pk).revision == 2,
    ),
    Case(
        "submit",
        "post",
        "/posts/{draft}/submit/",
        E(403, 403, 403, 302, 404, 404, 302),
        took_effect=lambda c: _state(c.draft) == State.SUBMITTED,
    ),
    Case(
        "review",
        "post",
        "/posts/{submitted}/review/",
        E(403, 302, 302, 403, 404, 404, 302),
        data=lambda c: {"decision": "approve", **_seen(c.submitted)},
        took_effect=lambda c: Review.objects.filter(post=c.submitted).exists(),
    ),
    Case(
        "review of an earlier revision",
        "post",
        "/posts/{submitted}/review/",
        E(403, 409, 409, 403, 404, 404, 302),
        data=lambda c: _read_then_changed(c),
        took_effect=lambda c: Review.objects.filter(post=c.submitted).exists(),
    ),
    Case(
        "composer reply without a parent",
        "post",
        "/posts/new/",
        E(403, 200, 403, 200, 403, 200, 302),
        data=lambda c: {"channel": c.world.channel.pk, "kind": "reply", "text": COMPLIANT},
        took_effect=lambda c: Post.objects.count() > c.posts_before,
        # For them a 200 is the form again with the error: nothing is stored.
        elsewhere=frozenset({"chair", "author", "outsider"}),
    ),
    Case(
        "composer reply to an inbox item",
        "post",
        "/posts/new/",
        E(403, 302, 403, 302, 403, 200, 302),
        data=lambda c: {
            "channel": c.world.channel.pk,
            "kind": "reply",
            "in_reply_to": "c2",
            "text": COMPLIANT,
        },
        took_effect=lambda c: Post.objects.filter(kind="reply", in_reply_to="c2").exists(),
        elsewhere=frozenset({"outsider"}),
    ),
    Case(
        "comment",
        "post",
        "/posts/{submitted}/comment/",
        E(302, 302, 302, 302, 404, 404, 302),
        data=lambda c: {"text": "A comment"},
        took_effect=lambda c: Comment.objects.filter(post=c.submitted).exists(),
    ),
    Case(
        "archive",
        "post",
        "/posts/{draft}/archive/",
        E(302, 302, 403, 302, 404, 404, 302),
        took_effect=lambda c: _state(c.draft) == State.ARCHIVED,
    ),
    Case("personal check page", "get", "/check/", PAGE_ALL),
    Case(
        "personal check",
        "post",
        "/check/",
        PAGE_ALL,
        data=lambda c: {"text": COMPLIANT, "kind": "post", "audience": "public"},
    ),
    Case("live check", "post", "/check/live/", PAGE_ALL, data=lambda c: {"text": COMPLIANT}),
    Case("policy browser", "get", "/rules/", PAGE_ALL),
    # The outsider administers their own organization, so sees its log and members.
    Case("audit log", "get", "/audit/", E(200, 200, 403, 403, 403, 200, 302)),
    Case("members page", "get", "/members/", E(200, 200, 403, 403, 403, 200, 302)),
    Case(
        "change a role",
        "post",
        "/members/",
        # The chair authorizes on channels but does not change roles; the outsider's
        # request names a member of another organization and finds nobody.
        E(302, 403, 403, 403, 403, 302, 302),
        data=lambda c: {"action": "role", "membership": c.member_id, "role": "reviewer"},
        took_effect=lambda c: Membership.objects.get(pk=c.member_id).role == "reviewer",
        elsewhere=frozenset({"outsider"}),
    ),
    Case(
        "personal check saved",
        "post",
        "/check/",
        E(302, 302, 302, 302, 302, 302, 302),
        data=lambda c: {"text": COMPLIANT, "kind": "post", "audience": "public", "save": "on"},
        took_effect=lambda c: PersonalCheck.objects.count() > 1,
    ),
    # A saved personal check is its owner's (the member's) alone, not even an admin's.
    Case("saved check", "get", "/check/saved/{saved}/", E(404, 404, 404, 404, 200, 404, 302)),
    Case(
        "delete a saved check",
        "post",
        "/check/saved/{saved}/delete/",
        E(404, 404, 404, 404, 302, 404, 302),
        took_effect=lambda c: not PersonalCheck.objects.filter(pk=c.saved_check.pk).exists(),
    ),
    Case(
        "audit export",
        "post",
        "/audit/export/",
        # The outsider exports their own organization's record.
        E(200, 200, 403, 403, 403, 200, 302),
        data=lambda c: {"since": "2000-01-01", "until": "2100-12-31", "format": "csv"},
        took_effect=lambda c: AuditEntry.objects.filter(action="audit.export").exists(),
    ),
    # The export is recorded, so it is a POST: a GET (a link, a prefetch) writes nothing.
    Case(
        "audit export by GET",
        "get",
        "/audit/export/?since=2000-01-01&until=2100-12-31&format=csv",
        E(405, 405, 405, 405, 405, 405, 405),
        took_effect=lambda c: AuditEntry.objects.filter(action="audit.export").exists(),
    ),
    Case("new channel page", "get", "/channels/new/", E(200, 403, 403, 403, 403, 200, 302)),
    Case(
        "new channel saves",
        "post",
        "/channels/new/",
        # The outsider creates it in their own organization.
        E(302, 403, 403, 403, 403, 302, 302),
        data=lambda c: {
            "name": "Mastodon",
            "network": "mastodon",
            "handle": "@ipala@example.social",
            "audience": "public",
            "active": "on",
        },
        took_effect=lambda c: Channel.objects.filter(name="Mastodon").exists(),
    ),
    Case("channel page", "get", "/channels/{channel}/", E(200, 200, 403, 403, 403, 404, 302)),
    Case(
        "channel saves",
        "post",
        "/channels/{channel}/",
        E(302, 403, 403, 403, 403, 404, 302),
        data=lambda c: {
            "name": c.world.channel.name,
            "network": "bluesky",
            "handle": "@changed.example",
            "audience": "public",
            "active": "on",
        },
        took_effect=lambda c: (
            Channel.objects.get(pk=c.world.channel.pk).handle == "@changed.example"
        ),
    ),
    Case(
        "channel members saved",
        "post",
        "/channels/{channel}/members/",
        E(302, 302, 403, 403, 403, 404, 302),
        data=lambda c: {
            "members": [c.membership_id(r) for r in ("author", "author2", "chair", "reviewer")]
        },
        took_effect=lambda c: orgs.can_draft(c.world["reviewer"], c.world.channel),
    ),
    Case(
        "approval settings page",
        "get",
        "/settings/approval/",
        E(200, 200, 403, 403, 403, 200, 302),
    ),
    Case(
        "approval settings saved",
        "post",
        "/settings/approval/",
        E(302, 302, 403, 403, 403, 302, 302),
        data=lambda c: {
            "required_approvals": 2,
            "reply_required_approvals": 1,
            "override_min_chars": 20,
        },
        took_effect=lambda c: orgs.approval_policy(c.world.org).required_approvals == 2,
        elsewhere=frozenset({"outsider"}),
    ),
    Case(
        "switch organization",
        "post",
        "/org/switch/",
        # The outsider is no member of the world's organization.
        E(302, 302, 302, 302, 302, 404, 302),
        data=lambda c: {"org": c.world.org.pk},
    ),
    Case(
        "channel connect",
        "post",
        "/channels/{channel}/connect/",
        # The administrator gets past authorization to the missing app password.
        E(400, 403, 403, 403, 403, 404, 302),
        data=lambda c: {"handle": "association.test", "app_password": ""},
    ),
    Case(
        "channel disconnect",
        "post",
        "/channels/{channel}/disconnect/",
        E(302, 403, 403, 403, 403, 404, 302),
    ),
    Case(
        "channel oauth start",
        "post",
        "/channels/{channel}/oauth/",
        # A Bluesky channel connects with an app password, not OAuth.
        E(400, 403, 403, 403, 403, 404, 302),
    ),
    Case(
        "channel oauth callback",
        "get",
        "/channels/oauth/callback/",
        # No connection was started in this session: the state cannot match.
        E(400, 400, 400, 400, 400, 400, 302),
    ),
    # --- inbox, cases, playbooks, escalation (postguard.web.inbox) ---------------------
    Case("inbox", "get", "/inbox/?q=complaint", E(200, 200, 200, 200, 403, 200, 302)),
    Case("inbox import page", "get", "/inbox/import/", E(200, 200, 200, 200, 403, 200, 302)),
    Case("inbox item", "get", "/inbox/{item}/", E(200, 200, 200, 200, 404, 404, 302)),
    Case(
        "inbox item state",
        "post",
        "/inbox/{item}/state/",
        E(302, 302, 302, 302, 404, 404, 302),
        data=lambda c: {"state": "done"},
        took_effect=lambda c: _inbox(c, "item").state == "done",
    ),
    Case(
        "inbox item assign",
        "post",
        "/inbox/{item}/assign/",
        E(302, 302, 302, 302, 404, 404, 302),
        data=lambda c: {"assignee": c.world["author"].pk},
        took_effect=lambda c: _inbox(c, "item").assignee_id == c.world["author"].pk,
    ),
    Case(
        "inbox item opens a case",
        "post",
        "/inbox/{plain}/case/",
        E(302, 302, 302, 302, 404, 404, 302),
        data=lambda c: {"situation": "negative"},
        took_effect=lambda c: _inbox(c, "plain").cases.exists(),
    ),
    Case(
        "inbox item reply",
        "post",
        "/inbox/{item}/reply/",
        # Replies are drafted by the members authorized on the channel (author, chair).
        E(403, 302, 403, 302, 404, 404, 302),
        data=lambda c: {"text": COMPLIANT},
        took_effect=lambda c: Post.objects.filter(kind="reply").exists(),
    ),
    Case(
        "inbox item private message",
        "post",
        "/inbox/{item}/message/",
        # Like a reply: the members authorized on the channel (author, chair).
        E(403, 302, 403, 302, 404, 404, 302),
        data=lambda c: {"text": "Hello, we would like to help."},
        took_effect=lambda c: Post.objects.filter(kind="message").exists(),
    ),
    Case(
        "inbox item hide",
        "post",
        "/inbox/{item}/moderate/",
        E(302, 302, 403, 403, 404, 404, 302),
        data=lambda c: {"action": "hide", "reason": "abusive words"},
        took_effect=lambda c: _inbox(c, "item").hidden_at is not None,
    ),
    Case("cases", "get", "/cases/", E(200, 200, 200, 200, 403, 200, 302)),
    Case("case page", "get", "/cases/{case}/", E(200, 200, 200, 200, 404, 404, 302)),
    Case(
        "case step done",
        "post",
        "/cases/{case}/steps/{step}/done/",
        # The first complaint step belongs to the authorized member (or chair, admin).
        E(302, 302, 403, 302, 404, 404, 302),
        took_effect=lambda c: _step_done(c),
    ),
    Case(
        "case note",
        "post",
        "/cases/{case}/note/",
        E(302, 302, 302, 302, 404, 404, 302),
        data=lambda c: {"text": "Called the family."},
    ),
    Case(
        "case close",
        "post",
        "/cases/{case}/close/",
        E(302, 302, 403, 403, 404, 404, 302),
        data=lambda c: {"outcome": "Resolved."},
        took_effect=lambda c: _case(c).state == "closed",
    ),
    Case("playbooks", "get", "/playbooks/", E(200, 200, 200, 200, 403, 200, 302)),
    Case("playbook editor", "get", "/playbooks/complaint/", E(200, 200, 200, 403, 403, 200, 302)),
    Case(
        "playbook saved",
        "post",
        "/playbooks/complaint/",
        E(302, 302, 302, 403, 403, 302, 302),
        data=lambda c: {
            "name": "Changed",
            "step_title": ["Call"],
            "step_owner": ["chair"],
            "step_due": ["30"],
            "step_template": [""],
        },
        took_effect=lambda c: _playbook_name(c) == "Changed",
        elsewhere=frozenset({"outsider"}),
    ),
    Case("escalation rules", "get", "/escalation/", E(200, 200, 403, 403, 403, 200, 302)),
    Case(
        "escalation rule saved",
        "post",
        "/escalation/",
        E(302, 302, 403, 403, 403, 302, 302),
        data=lambda c: {"name": "Press", "min_priority": "2", "notify_roles": ["chair"]},
        took_effect=lambda c: _rule_named(c, "Press"),
        elsewhere=frozenset({"outsider"}),
    ),
    # --- the evaluation report (issue 12): the committee and administrators read it; the
    # chair and administrators set its plan, goals and schedule. The outsider's current
    # organization is their own (where they are an administrator).
    Case("evaluation report", "get", "/report/?period=2026-11", REPORT_PAGE),
    Case("evaluation export", "get", "/report/export/?period=2026-11&format=csv", REPORT_PAGE),
    Case("evaluation setup", "get", "/report/setup/", REPORT_PAGE),
    Case(
        "evaluation plan",
        "post",
        "/report/setup/plan/",
        # The outsider names a channel of another organization: none of theirs.
        E(302, 302, 403, 403, 403, 404, 302),
        data=lambda c: {"channel": c.world.channel.pk, "posts_per_week": "3"},
        took_effect=lambda c: _has_plan(c),
    ),
    Case(
        "evaluation reply target",
        "post",
        "/report/setup/target/",
        E(302, 302, 403, 403, 403, 302, 302),
        data=lambda c: {"hours": "12"},
        took_effect=lambda c: _reply_target(c) == 12,
        elsewhere=frozenset({"outsider"}),
    ),
    Case(
        "evaluation schedule",
        "post",
        "/report/setup/schedule/",
        E(302, 302, 403, 403, 403, 302, 302),
        data=lambda c: {
            "frequency": "monthly",
            "recipients": "council@example.org",
            "active": "on",
        },
        took_effect=lambda c: _schedule_to(c) == "council@example.org",
        elsewhere=frozenset({"outsider"}),
    ),
    Case(
        "evaluation campaign",
        "post",
        "/report/campaigns/",
        E(302, 302, 403, 403, 403, 302, 302),
        data=lambda c: {"name": "Spring", "starts_on": "2026-03-01", "ends_on": "2026-03-31"},
        took_effect=lambda c: _campaign_named(c, "Spring"),
        elsewhere=frozenset({"outsider"}),
    ),
    Case(
        "evaluation import",
        "post",
        "/report/campaigns/{campaign}/import/",
        E(302, 302, 403, 403, 403, 404, 302),
        data=lambda c: {"kind": "signups", "file": _signups_file()},
        took_effect=lambda c: _campaign_counts(c) == 2,
    ),
    Case(
        "api evaluation measures",
        "get",
        "/api/evaluation/measures?period=2026-11&org={org}",
        E(200, 200, 200, 403, 403, 404, 401),
        api=True,
    ),
    Case(
        "api evaluation report",
        "get",
        "/api/evaluation/report?period=2026-11&format=csv&org={org}",
        E(200, 200, 200, 403, 403, 404, 401),
        api=True,
    ),
    Case("notification log", "get", "/notifications/", E(200, 200, 403, 403, 403, 200, 302)),
    Case(
        "notification retry",
        "post",
        "/notifications/{notification}/retry/",
        # The outsider's current organization is their own: no such notification there.
        E(302, 302, 403, 403, 403, 404, 302),
    ),
    Case(
        "webhook secret",
        "post",
        "/channels/{channel}/webhook/",
        E(200, 403, 403, 403, 403, 404, 302),
    ),
    Case(
        "inbound webhook unsigned",
        "post",
        "/hooks/inbox/{channel}/",
        # Signed with the channel's secret, not a session: everyone is refused alike.
        E(401, 401, 401, 401, 401, 401, 401),
        data=lambda c: {"id": "x", "text": "hello"},
    ),
    # --- communities (postguard.web.communities) ---------------------------------------
    # In the context: the reviewer administers the community, the author moderates it
    # (author2 too, who took the decisions under appeal), and the member moderates another
    # community of the organization; the organization's administrator manages them all.
    Case("communities", "get", "/communities/", PAGE_ALL),
    Case(
        "communities add",
        "post",
        "/communities/",
        E(302, 403, 403, 403, 403, 302, 302),
        data=lambda c: {"name": "New group", "platform": "discord", "room_id": "123"},
        took_effect=lambda c: _community_named(c, "New group"),
        elsewhere=frozenset({"outsider"}),
    ),
    Case("community", "get", "/communities/{community}/", COMMUNITY_PAGE),
    Case(
        "community settings",
        "post",
        "/communities/{community}/settings/",
        COMMUNITY_ADMIN_PAGE,
        data=lambda c: {
            "warning_days": "30",
            "suspension_days": "3",
            "appeal_days": "7",
            "retention_days": "365",
            "complaint_template": "Write to IBLCE.",
        },
        took_effect=lambda c: _community(c).warning_days == 30,
    ),
    Case(
        "community staff",
        "post",
        "/communities/{community}/staff/",
        COMMUNITY_ADMIN_PAGE,
        data=lambda c: {"user": c.world["chair"].pk, "role": "moderator"},
        took_effect=lambda c: _community(c).staff.filter(user=c.world["chair"]).exists(),
    ),
    Case(
        "community connect",
        "post",
        "/communities/{community}/connect/",
        COMMUNITY_ADMIN_PAGE,
        data=lambda c: {"access_token": "syt_secret", "settings": "homeserver=http://127.0.0.1:1"},
        took_effect=lambda c: bool(_community(c).secret),
    ),
    Case("community policy", "get", "/communities/{community}/policy/", COMMUNITY_PAGE),
    Case(
        "community policy edit",
        "post",
        "/communities/{community}/policy/",
        COMMUNITY_ADMIN_PAGE,
        data=lambda c: {
            "title": "Edited policy",
            "p0-number": "1",
            "p0-title": "Be kind",
            "p0-text": "Be kind to one another in every thread.",
        },
        took_effect=lambda c: _community(c).policies.filter(title="Edited policy").exists(),
    ),
    Case(
        "community policy publish",
        "post",
        "/communities/{community}/policy/publish/",
        COMMUNITY_ADMIN_PAGE,
        took_effect=lambda c: _community(c).policies.filter(version=2, state="published").exists(),
    ),
    Case("community queue", "get", "/communities/{community}/queue/", COMMUNITY_PAGE),
    Case(
        "community flag",
        "post",
        "/communities/{community}/flag/",
        COMMUNITY_MODERATOR_PAGE,
        data=lambda c: {"reason": "Flagged in the test", "member": "@zed:example.org"},
        took_effect=lambda c: _community(c).queue.filter(reason="Flagged in the test").exists(),
    ),
    Case("community member", "get", "/communities/{community}/members/{cmember}/", COMMUNITY_PAGE),
    Case("community item", "get", "/communities/items/{citem}/", COMMUNITY_PAGE),
    Case(
        "community item act",
        "post",
        "/communities/items/{citem}/act/",
        COMMUNITY_MODERATOR_PAGE,
        data=lambda c: {"step": "warn", "provision": "1", "reason": "Insults in the thread"},
        took_effect=lambda c: _citem(c).sanctions.exists(),
    ),
    Case(
        "community item close",
        "post",
        "/communities/items/{citem}/close/",
        COMMUNITY_MODERATOR_PAGE,
        data=lambda c: {"outcome": "Nothing against the policy"},
        took_effect=lambda c: _citem(c).closed_at is not None,
    ),
    Case(
        "community item step",
        "post",
        "/communities/items/{citem}/steps/0/done/",
        COMMUNITY_MODERATOR_PAGE,
        took_effect=lambda c: bool(_citem(c).steps[0]["done_at"]),
    ),
    Case(
        "community appeal decide",
        "post",
        "/communities/appeals/{appeal}/decide/",
        COMMUNITY_MODERATOR_PAGE,
        data=lambda c: {"outcome": "upheld", "reasons": "The breach is clear"},
        took_effect=lambda c: _appeal(c).decided_at is not None,
    ),
    Case("packs", "get", "/packs/", E(200, 403, 403, 403, 403, 200, 302)),
    Case(
        "packs upload",
        "post",
        "/packs/",
        E(302, 403, 403, 403, 403, 302, 302),
        data=lambda c: {"pack": _pack_file()},
        took_effect=lambda c: c.world.org.packs.filter(pack_id="matrix-test-pack").exists(),
        elsewhere=frozenset({"outsider"}),
    ),
    Case(
        "pack enable",
        "post",
        "/packs/{pack}/enable/",
        E(302, 403, 403, 403, 403, 404, 302),
        data=lambda c: {"channels": [c.world.channel.pk]},
        took_effect=lambda c: c.world.channel.packs.exists(),
    ),
    # Members' pages, reached by the links the community publishes: no sign-in.
    Case("community public policy", "get", "/c/{token}/", PUBLIC),
    Case("community public report form", "get", "/c/{token}/report/", PUBLIC),
    Case(
        "community public report",
        "post",
        "/c/{token}/report/",
        PUBLIC,
        data=lambda c: {"text": "Spam in the main room"},
        took_effect=lambda c: _community(c).queue.filter(reason="Spam in the main room").exists(),
    ),
    Case("community public appeal form", "get", "/c/appeal/{appeal_token}/", PUBLIC),
    Case(
        "community public appeal",
        "post",
        "/c/appeal/{appeal_token}/",
        PUBLIC,
        data=lambda c: {"text": "Please look again."},
        took_effect=lambda c: _sanction2(c).appeal is not None,
    ),
    Case("api communities", "get", "/api/communities", ALL_200, api=True),
    Case(
        "api add community",
        "post",
        "/api/communities",
        E(201, 403, 403, 403, 403, 404, 401),
        data=lambda c: {
            "org": c.world.org.pk,
            "name": "API group",
            "platform": "discourse",
            "room_id": "7",
        },
        api=True,
        took_effect=lambda c: _community_named(c, "API group"),
    ),
    Case("api community", "get", "/api/communities/{community}", COMMUNITY_API, api=True),
    Case(
        "api community policy",
        "get",
        "/api/communities/{community}/policy",
        COMMUNITY_API,
        api=True,
    ),
    Case(
        "api community policy save",
        "put",
        "/api/communities/{community}/policy",
        E(200, 404, 200, 403, 404, 404, 401),
        data=lambda c: {
            "title": "Edited by API",
            "provisions": [{"number": 1, "title": "Be kind", "text": "Be kind to one another."}],
        },
        api=True,
        took_effect=lambda c: _community(c).policies.filter(title="Edited by API").exists(),
    ),
    Case(
        "api community policy publish",
        "post",
        "/api/communities/{community}/policy/publish",
        E(200, 404, 200, 403, 404, 404, 401),
        api=True,
        took_effect=lambda c: _community(c).policies.filter(version=2, state="published").exists(),
    ),
    Case(
        "api community queue", "get", "/api/communities/{community}/queue", COMMUNITY_API, api=True
    ),
    Case(
        "api community flag",
        "post",
        "/api/communities/{community}/flags",
        COMMUNITY_API_CHANGE,
        data=lambda c: {"reason": "Flagged in the test", "member": "@zed:example.org"},
        api=True,
        took_effect=lambda c: _community(c).queue.filter(reason="Flagged in the test").exists(),
    ),
    Case(
        "api community action",
        "post",
        "/api/communities/items/{citem}/actions",
        COMMUNITY_API_CHANGE,
        data=lambda c: {"step": "warn", "provision": 1, "reason": "Insults in the thread"},
        api=True,
        took_effect=lambda c: _citem(c).sanctions.exists(),
    ),
    Case(
        "api community member",
        "get",
        "/api/communities/{community}/members/{cmember}",
        COMMUNITY_API,
        api=True,
    ),
    Case(
        "api community record appeal",
        "post",
        "/api/communities/sanctions/{sanction2}/appeals",
        COMMUNITY_API_CHANGE,
        data=lambda c: {"text": "She asked me to appeal for her."},
        api=True,
        took_effect=lambda c: Appeal.objects.filter(sanction_id=c.extra["sanction2"]).exists(),
    ),
    Case(
        "api community appeal decision",
        "post",
        "/api/communities/appeals/{appeal}/decision",
        E(200, 404, 200, 200, 404, 404, 401),
        data=lambda c: {"outcome": "overturned", "reasons": "Shown it was not a client"},
        api=True,
        took_effect=lambda c: _appeal(c).decided_at is not None,
    ),
    Case("sign out", "post", "/logout/", E(302, 302, 302, 302, 302, 302, 302)),
]

# --- the crisis lane: pausing a channel (issue 14) ----------------------------------------


def _paused(c: Ctx) -> bool:
    return Channel.objects.get(pk=c.world.channel.pk).paused_at is not None


def _pause_first(c: Ctx) -> dict[str, Any]:
    from postguard.web.publishing import pause

    pause.pause(c.world["chair"], c.world.channel.pk)
    return {}


CASES += [
    Case(
        "pause a channel's scheduled posts",
        "post",
        "/channels/{channel}/pause/",
        E(302, 302, 403, 403, 403, 404, 302),
        data=lambda c: {},
        took_effect=_paused,
    ),
    Case(
        "resume a channel's scheduled posts",
        "post",
        "/channels/{channel}/resume/",
        E(302, 302, 403, 403, 403, 404, 302),
        data=_pause_first,
        took_effect=lambda c: not _paused(c),
    ),
]

# --- time: the organization's time zone and moving a post (issue 14) -----------------------


def _later_local() -> str:
    from datetime import timedelta

    from django.utils import timezone

    return f"{timezone.now() + timedelta(days=3):%Y-%m-%dT%H:%M}"


def _moved(c: Ctx) -> bool:
    return Post.objects.get(pk=c.submitted.pk).scheduled_at is not None


CASES += [
    Case("time zone page", "get", "/settings/time-zone/", E(200, 403, 403, 403, 403, 200, 302)),
    Case(
        "time zone saved",
        "post",
        "/settings/time-zone/",
        E(302, 403, 403, 403, 403, 302, 302),
        data=lambda c: {"time_zone": "Europe/Paris"},
        took_effect=lambda c: Post.objects.get(pk=c.draft.pk).org.time_zone == "Europe/Paris",
        elsewhere=frozenset({"outsider"}),
    ),
    Case(
        "reschedule a post (page)",
        "post",
        "/posts/{submitted}/reschedule/",
        E(403, 302, 302, 302, 404, 404, 302),
        data=lambda c: {"scheduled_at": _later_local()},
        took_effect=_moved,
    ),
    Case(
        "api reschedule a post",
        "post",
        "/api/posts/{submitted}/schedule",
        E(403, 200, 200, 200, 404, 404, 401),
        data=lambda c: {"scheduled_at": _later_local() + ":00Z"},
        api=True,
        took_effect=_moved,
    ),
]

# --- images of posts (issue 14) ---------------------------------------------------------


def _png() -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 120, 40)).save(buffer, format="PNG")
    return buffer.getvalue()


def _an_image(c: Ctx) -> dict[str, Any]:
    from postguard.web.workflow import media

    image = media.add_image(c.world["author"], c.draft, media.Upload(_png(), alt="A square"))
    c.extra["image"] = image.pk
    return {}


def _image_upload(c: Ctx) -> dict[str, Any]:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return {"image": SimpleUploadedFile("a.png", _png(), "image/png"), "image_alt": "A square"}


def _images(c: Ctx) -> int:
    return Post.objects.get(pk=c.draft.pk).images.count()


CASES += [
    Case(
        "add an image",
        "post",
        "/posts/{draft}/images/",
        E(403, 403, 403, 302, 404, 404, 302),
        data=_image_upload,
        took_effect=lambda c: _images(c) == 1,
    ),
]

SUCCESS = {200, 201, 302}
#: Roles for which a 302 is a refusal (sent to sign in), not a success.
REDIRECTED_TO_SIGN_IN = {"anonymous"}


def _context(world: World, *, communities: bool = False) -> Ctx:
    membership = orgs.membership(world["member"], world.org)
    assert membership is not None
    saved = workflow.save_personal_check(world["member"], world.org, COMPLIANT)
    ctx = Ctx(world, world.draft(), world.submitted(), membership.pk, saved)
    ctx.posts_before = Post.objects.count()
    _inbox_context(ctx)
    ctx.extra["api_token"] = orgs.create_token(world["author"], "the author's script")[1].pk
    ctx.extra["org"] = world.org.pk
    ctx.extra["campaign"] = _evaluation_campaign(world)
    if communities:
        # Only for the rows that need one: building communities for every row is slow.
        _community_context(ctx)
    return ctx


def _evaluation_campaign(world: World) -> int:
    from postguard.web.evaluation.models import Campaign

    return Campaign.objects.create(
        org=world.org, name="Autumn", starts_on="2026-03-01", ends_on="2026-03-31"
    ).pk


def _needs_communities(case: Case) -> bool:
    return (
        "{" in case.path
        and any(
            key in case.path
            for key in ("{community}", "{citem}", "{appeal", "{sanction2}", "{token}", "{pack}")
        )
    ) or case.name in ("communities", "api communities")


def _community_context(ctx: Ctx) -> None:
    from postguard.web.communities import packs
    from postguard.web.communities import services as communities
    from postguard.web.communities.template import ProvisionData

    world = ctx.world
    group = communities.create_community(
        world["admin"], world.org, name="Colleagues", platform="matrix", room_id="!g:example.org"
    )
    communities.set_staff(None, group, world["reviewer"], "admin")
    communities.set_staff(None, group, world["author"], "moderator")
    communities.set_staff(None, group, world["author2"], "moderator")
    other = communities.create_community(
        world["admin"], world.org, name="Students", platform="matrix", room_id="!s:example.org"
    )
    communities.set_staff(None, other, world["member"], "moderator")
    communities.publish_policy(world["reviewer"], group)
    communities.save_policy(
        world["reviewer"],
        group,
        title="Community Policy",
        preamble="",
        provisions=[ProvisionData(1, "Be kind", "Be kind to one another in every thread.")],
    )
    item = communities.flag(
        world["author"],
        group,
        reason="Insulted a colleague",
        member_id="@dana:example.org",
        text="You are all idiots.",
    )
    decided = communities.flag(
        world["author2"], group, reason="Earlier", member_id="@dana:example.org", text="Idiots."
    )
    sanction = communities.act(
        world["author2"], group, item=decided, step="warn", provision_number=1, reason="Insults"
    )
    appeal = communities.record_appeal(world["author2"], sanction.pk, "It was a joke.")
    second = communities.act(
        world["author2"],
        group,
        step="warn",
        provision_number=1,
        reason="Insults",
        member=item.member,
    )
    pack = packs.upload(world["admin"], world.org, "p.yaml", _pack_text("context-pack").encode())
    ctx.extra.update(
        community=group.pk,
        citem=item.pk,
        cmember=item.member_id,
        appeal=appeal.pk,
        sanction2=second.pk,
        appeal_token=second.appeal_token,
        token=group.public_token,
        pack=pack.pk,
    )


def _pack_text(pack_id: str) -> str:
    return f"""pack: {pack_id}
title: A test pack
source: the test
edition: "1"
rules:
  - id: T{pack_id.replace("-", "")}-wards
    title: Naming a ward
    category: information.confidential
    clause: {{section: "1", quote: "Staff must not name wards in posts."}}
    detectors:
      - name: lexicon
        params: {{phrases: [ward 7], category: information.confidential}}
    severity: review
    message: The post names a ward of the hospital.
    fix: Leave the ward out of the post.
    examples:
      - {{text: "Busy night on ward 7!", violates: true}}
      - {{text: "Busy night at work!", violates: false}}
"""


def _pack_file() -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("pack.yaml", _pack_text("matrix-test-pack").encode())


def _community(c: Ctx) -> Any:
    from postguard.web.communities.models import Community

    return Community.objects.get(pk=c.extra["community"])


def _community_named(c: Ctx, name: str) -> bool:
    return bool(c.world.org.communities.filter(name=name).exists())


def _citem(c: Ctx) -> Any:
    from postguard.web.communities.models import QueueItem

    return QueueItem.objects.get(pk=c.extra["citem"])


def _appeal(c: Ctx) -> Any:
    return Appeal.objects.get(pk=c.extra["appeal"])


def _sanction2(c: Ctx) -> Any:
    from postguard.web.communities.models import Sanction

    return Sanction.objects.select_related("appeal").get(pk=c.extra["sanction2"])


def _inbox_context(ctx: Ctx) -> None:
    from datetime import UTC, datetime

    from postguard.connectors.base import InboundItem
    from postguard.web.inbox import defaults, hooks, services

    world = ctx.world
    defaults.install_defaults(world.org)
    hooks.rotate_secret(world["admin"], world.channel.pk)
    now = datetime.now(UTC)
    complaint, plain = services.ingest(
        world.channel,
        [
            InboundItem("c1", None, "@p", "I want to make a formal complaint.", now, "reply"),
            InboundItem("c2", None, "@q", "Thanks, lovely post!", now, "reply"),
        ],
        source="pull",
    )
    case = complaint.cases.get()
    ctx.extra.update(
        item=complaint.pk,
        plain=plain.pk,
        case=case.pk,
        step=case.steps.order_by("order").first().pk,  # type: ignore[union-attr]
        notification=complaint.notifications.first().pk,  # type: ignore[union-attr]
    )


def _inbox(c: Ctx, key: str) -> Any:
    from postguard.web.inbox.models import InboxItem

    return InboxItem.objects.get(pk=c.extra[key])


def _case(c: Ctx) -> Any:
    from postguard.web.inbox.models import Case as InboxCase

    return InboxCase.objects.get(pk=c.extra["case"])


def _step_done(c: Ctx) -> bool:
    return _case(c).steps.get(pk=c.extra["step"]).done_at is not None


def _playbook_name(c: Ctx) -> str:
    return str(_case(c).org.playbooks.get(situation="complaint").name)


def _has_plan(c: Ctx) -> bool:
    from postguard.web.evaluation.models import PostingPlan

    return PostingPlan.objects.filter(channel=c.world.channel).exists()


def _reply_target(c: Ctx) -> int | None:
    from postguard.web.evaluation.models import EvaluationSettings

    found = EvaluationSettings.objects.filter(org=c.world.org).first()
    return found.reply_target_hours if found else None


def _schedule_to(c: Ctx) -> str:
    from postguard.web.evaluation.models import ReportSchedule

    found = ReportSchedule.objects.filter(org=c.world.org, frequency="monthly").first()
    return found.recipients if found else ""


def _campaign_named(c: Ctx, name: str) -> bool:
    from postguard.web.evaluation.models import Campaign

    return Campaign.objects.filter(org=c.world.org, name=name).exists()


def _campaign_counts(c: Ctx) -> int:
    from postguard.web.evaluation.models import CampaignCount

    return sum(
        CampaignCount.objects.filter(campaign_id=c.extra["campaign"]).values_list(
            "count", flat=True
        )
    )


def _signups_file() -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(
        "signups.csv", b"name,date\nAnn,2026-03-02\nBea,2026-03-03\n", content_type="text/csv"
    )


def _rule_named(c: Ctx, name: str) -> bool:
    return bool(c.world.org.escalation_rules.filter(name=name).exists())


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_authorization_matrix(world: World, case: Case, role: str) -> None:
    ctx = _context(world, communities=_needs_communities(case))
    client = world.client(role)
    path = case.path.format(
        draft=ctx.draft.pk,
        submitted=ctx.submitted.pk,
        saved=ctx.saved_check.pk,
        channel=world.channel.pk,
        **ctx.extra,
    )
    data = case.data(ctx) if case.data else None
    call = getattr(client, case.method)
    if case.api:
        response = (
            call(path, data=data or {}, content_type="application/json")
            if case.method != "get"
            else call(path)
        )
    else:
        response = call(path, data=data) if data is not None or case.method != "get" else call(path)
    assert response.status_code == case.expect[role], (
        f"{case.name} as {role}: {response.status_code} {response.content[:300]!r}"
    )
    if path.startswith("/api/") and path != "/api/docs" and response.status_code >= 400:
        assert response["Content-Type"].startswith("application/json"), path
        assert "detail" in response.json()
    if response.status_code == 302 and role in REDIRECTED_TO_SIGN_IN and case.name != "sign out":
        assert response["Location"].startswith("/login/")
    if case.took_effect is not None:
        succeeded = (
            response.status_code in SUCCESS
            # A 302 to anonymous is the way to sign in; a 200 (a public page) is a success.
            and not (role in REDIRECTED_TO_SIGN_IN and response.status_code == 302)
            and role not in case.elsewhere
        )
        assert case.took_effect(ctx) == succeeded, f"{case.name} as {role}: effect mismatch"


def _all_routes(patterns: list[Any], prefix: str = "") -> set[str]:
    routes = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            routes |= _all_routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            routes.add(prefix + str(pattern.pattern))
    return routes


def test_the_matrix_covers_every_route() -> None:
    """A new page or endpoint must be added to the matrix above."""
    covered = {
        "api/me",
        "api/posts",
        "api/",
        "api/posts/<post_id>",
        "api/posts/<post_id>/submit",
        "api/posts/<post_id>/reviews",
        "api/posts/<post_id>/comments",
        # web.takedown: rows in test_takedown_authorization.py
        "api/archive/<channel_id>/items",
        "api/archive/<channel_id>/takedowns",
        "api/takedowns/<takedown_id>",
        "archive/",
        "archive/<int:channel_id>/",
        "archive/<int:channel_id>/import/",
        "takedowns/",
        "takedowns/<int:takedown_id>/decide/",
        "posts/<int:post_id>/takedown/",
        "api/check",
        "api/redact",
        "api/rules",
        "api/docs",
        "api/openapi.json",
        "",
        "login/",
        "logout/",
        "password-reset/",
        "invitations/<str:token>",
        "queue/",
        "posts/new/",
        "posts/<int:post_id>/",
        "posts/<int:post_id>/edit/",
        "posts/<int:post_id>/submit/",
        "posts/<int:post_id>/review/",
        "posts/<int:post_id>/comment/",
        "posts/<int:post_id>/archive/",
        "check/",
        "check/live/",
        "rules/",
        "audit/",
        "audit/export/",
        "members/",
        "check/saved/<int:check_id>/",
        "check/saved/<int:check_id>/delete/",
        "channels/new/",
        "channels/<int:channel_id>/",
        "channels/<int:channel_id>/members/",
        "channels/<int:channel_id>/connect/",
        "channels/<int:channel_id>/disconnect/",
        "channels/<int:channel_id>/oauth/",
        "channels/<int:channel_id>/pause/",
        "channels/<int:channel_id>/resume/",
        "channels/oauth/callback/",
        "settings/approval/",
        "org/switch/",
        "inbox/",
        "inbox/import/",
        "inbox/<int:item_id>/",
        "inbox/<int:item_id>/state/",
        "inbox/<int:item_id>/assign/",
        "inbox/<int:item_id>/case/",
        "inbox/<int:item_id>/reply/",
        "inbox/<int:item_id>/message/",
        "inbox/<int:item_id>/moderate/",
        "cases/",
        "cases/<int:case_id>/",
        "cases/<int:case_id>/steps/<int:step_id>/done/",
        "cases/<int:case_id>/note/",
        "cases/<int:case_id>/close/",
        "playbooks/",
        "playbooks/<str:situation>/",
        "escalation/",
        "notifications/",
        "notifications/<int:notification_id>/retry/",
        "channels/<int:channel_id>/webhook/",
        "hooks/inbox/<int:channel_id>/",
        "communities/",
        "communities/<int:community_id>/",
        "communities/<int:community_id>/settings/",
        "communities/<int:community_id>/staff/",
        "communities/<int:community_id>/connect/",
        "communities/<int:community_id>/policy/",
        "communities/<int:community_id>/policy/publish/",
        "communities/<int:community_id>/queue/",
        "communities/<int:community_id>/flag/",
        "communities/<int:community_id>/members/<int:member_id>/",
        "communities/items/<int:item_id>/",
        "communities/items/<int:item_id>/act/",
        "communities/items/<int:item_id>/close/",
        "communities/items/<int:item_id>/steps/<int:index>/done/",
        "communities/appeals/<int:appeal_id>/decide/",
        "packs/",
        "packs/<int:pack_id>/enable/",
        "c/appeal/<str:token>/",
        "c/<str:token>/",
        "c/<str:token>/report/",
        "api/communities",
        "api/communities/<community_id>",
        "api/communities/<community_id>/policy",
        "api/communities/<community_id>/policy/publish",
        "api/communities/<community_id>/queue",
        "api/communities/<community_id>/flags",
        "api/communities/items/<item_id>/actions",
        "api/communities/<community_id>/members/<member_id>",
        "api/communities/sanctions/<sanction_id>/appeals",
        "api/communities/appeals/<appeal_id>/decision",
        # issue 14
        "api/inbox",
        "api/inbox/<item_id>",
        "api/cases",
        "api/cases/<case_id>",
        "api/audit",
        "api/channels",
        "api/posts/<post_id>/publication",
        "account/tokens/",
        "account/tokens/new/",
        # issue 12
        "report/",
        "report/export/",
        "report/setup/",
        "report/setup/plan/",
        "report/setup/target/",
        "report/setup/schedule/",
        "report/campaigns/",
        "report/campaigns/<int:campaign_id>/import/",
        "api/evaluation/measures",
        "api/evaluation/report",
        "account/tokens/<int:token_id>/revoke/",
        # issue 12: presence monitoring (its matrix: test_presence_authorization.py)
        "presence/",
        "presence/terms/<int:term_id>/",
        "presence/sources/<int:source_id>/",
        "presence/mentions/",
        "presence/mine/",
        "api/presence/terms",
        "api/presence/terms/<term_id>",
        "api/presence/sources",
        "api/presence/sources/<source_id>",
        "api/presence/mentions",
        "settings/time-zone/",
        "posts/<int:post_id>/reschedule/",
        "api/posts/<post_id>/schedule",
        "posts/<int:post_id>/images/",
        "posts/<int:post_id>/images/<int:image_id>/",
        "posts/<int:post_id>/images/<int:image_id>/remove/",
    }
    # Reached only through an emailed link with a signed token, or static files.
    exempt = {
        "password-reset/sent/",
        "password-reset/<uidb64>/<token>/",
        "password-reset/done/",
        "^static/(?P<path>.*)$",
    }
    routes = _all_routes(get_resolver().url_patterns)
    assert routes - covered - exempt == set()


def test_anonymous_page_requests_are_sent_to_sign_in_not_shown(world: World) -> None:
    response = Client().get("/posts/new/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


# --- the crisis lane: who approves a reply to a crisis item alone (issue 14) -------------

#: With two approvals and the chair's required, one approval of a crisis reply (written by
#: author2) as each role: the API's status, and the post's state afterwards. "deputy" is a
#: reviewer named crisis deputy; "reviewer" is not the deputy.
CRISIS_LANE = {
    "admin": (403, State.SUBMITTED),
    "chair": (201, State.READY),
    "deputy": (201, State.READY),
    "reviewer": (201, State.IN_REVIEW),
    "author": (403, State.SUBMITTED),
    "writer": (403, State.SUBMITTED),
    "member": (404, State.SUBMITTED),
    "outsider": (404, State.SUBMITTED),
    "anonymous": (401, State.SUBMITTED),
}


@pytest.mark.parametrize("role", sorted(CRISIS_LANE))
def test_crisis_lane_matrix(world: World, role: str) -> None:
    from django.utils import timezone

    from postguard.connectors.base import InboundItem
    from postguard.web.inbox import services as inbox

    orgs.update_approval_policy(
        None,
        world.org,
        required_approvals=2,
        reply_required_approvals=2,
        chair_required=True,
        reply_chair_required=True,
        crisis_deputy="reviewer2",
    )
    (item,) = inbox.ingest(
        world.channel,
        [
            InboundItem(
                "at-risk",
                None,
                "@p",
                "I feel like ending it all tonight.",
                timezone.now(),
                "comment",
            )
        ],
        source="pull",
    )
    post = world.submitted(
        "We are concerned; please call your local emergency number now.",
        by="author2",
        kind="reply",
        in_reply_to=item.remote_id,
    )
    person = {"deputy": "reviewer2", "writer": "author2"}.get(role, role)
    client = Client()
    if person != "anonymous":
        client.force_login(world[person])
    response = client.post(
        f"/api/posts/{post.pk}/reviews",
        data={"decision": "approve", **_seen(post)},
        content_type="application/json",
    )
    status, state = CRISIS_LANE[role]
    assert response.status_code == status, f"{role}: {response.content[:300]!r}"
    assert _state(post) == state, role
    lane = AuditEntry.objects.filter(
        action="post.review.approve", object_id=str(post.pk), after__lane="crisis lane"
    )
    assert lane.exists() == (state == State.READY), role


# Rows whose address names an image made for the row (the matrix formats paths before
# the row's data runs, so these build their own).
IMAGE_ROWS = {
    "see an image": ("get", "/posts/{draft}/images/{image}/", E(200, 200, 200, 200, 404, 404, 302)),
    "remove an image": (
        "post",
        "/posts/{draft}/images/{image}/remove/",
        E(403, 403, 403, 302, 404, 404, 302),
    ),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("row", sorted(IMAGE_ROWS))
def test_image_matrix(world: World, row: str, role: str, settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    ctx = _context(world)
    _an_image(ctx)
    method, path, expect = IMAGE_ROWS[row]
    response = getattr(world.client(role), method)(
        path.format(draft=ctx.draft.pk, image=ctx.extra["image"])
    )
    assert response.status_code == expect[role], (row, role, response.status_code)
    if method == "post":
        removed = _images(ctx) == 0
        assert removed == (expect[role] == 302 and role != "anonymous")
