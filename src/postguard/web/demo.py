"""The demo organization that `postguard serve` creates: clearly marked, made-up.

Everything goes through the services, so the demo's own history is in the
audit chain like anything else.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from postguard.web.orgs import services as orgs
from postguard.web.orgs.models import Audience, Channel, Network, Organization, Role
from postguard.web.workflow import services as workflow
from postguard.web.workflow.models import Decision, Kind, Post

DEMO_SLUG = "demo"
#: Shown on the console and on the sign-in page's banner: it is a demo.
DEMO_PASSWORD = "demo-postguard-2023"

PEOPLE = (
    ("demo-admin", "Ada Admin", Role.ADMIN),
    ("demo-chair", "Chidi Chair", Role.CHAIR),
    ("demo-reviewer", "Rosa Reviewer", Role.REVIEWER),
    ("demo-reviewer2", "Ravi Reviewer", Role.REVIEWER),
    ("demo-author", "Aiko Author", Role.AUTHORIZED),
    ("demo-member", "Mo Member", Role.MEMBER),
)


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str


def demo_logins() -> list[DemoLogin]:
    return [DemoLogin(username, Role(role).label) for username, _, role in PEOPLE]


def demo_exists() -> bool:
    return Organization.objects.filter(slug=DEMO_SLUG, is_demo=True).exists()


@transaction.atomic
def create_demo() -> Organization:
    """Create the demo organization (once); returns it."""
    existing = Organization.objects.filter(slug=DEMO_SLUG).first()
    if existing is not None:
        return existing
    org = orgs.create_organization("IPALA (demo)", slug=DEMO_SLUG, is_demo=True)
    orgs.update_approval_policy(
        None, org, required_approvals=2, chair_required=False, reply_required_approvals=1
    )
    members = {}
    for username, full_name, role in PEOPLE:
        user = orgs.create_user(
            username,
            email=f"{username}@example.org",
            password=DEMO_PASSWORD,
            full_name=full_name,
            validate=False,
        )
        members[username] = orgs.add_member(None, org, user, role)
    bluesky = orgs.create_channel(
        None, org, name="IPALA on Bluesky", network=Network.BLUESKY, handle="@ipala-demo.example"
    )
    group = orgs.create_channel(
        None,
        org,
        name="IPALA members' group",
        network=Network.FACEBOOK,
        handle="IPALA members (demo)",
        audience=Audience.CLOSED,
    )
    for channel, names in (
        (bluesky, ("demo-author", "demo-chair", "demo-admin")),
        (group, ("demo-author", "demo-chair")),
    ):
        for name in names:
            orgs.set_channel_authorization(None, channel, members[name], True)

    author = members["demo-author"].user
    chair = members["demo-chair"].user
    reviewer = members["demo-reviewer"].user
    reviewer2 = members["demo-reviewer2"].user
    soon = timezone.now() + timedelta(days=3)

    def draft(
        text: str,
        *,
        channel: Channel = bluesky,
        kind: str = Kind.POST,
        in_reply_to: str = "",
        scheduled_at: datetime | None = None,
    ) -> Post:
        return workflow.create_post(
            author, channel, text, kind=kind, in_reply_to=in_reply_to, scheduled_at=scheduled_at
        )

    draft(
        "World Breastfeeding Week starts on 1 August. Our members are running free "
        "drop-in sessions across the region; the full list is on our website."
    )
    workflow.submit(
        author,
        draft(
            "Registration for the IPALA autumn conference is open. Early-bird rates "
            "end on 30 September.",
            scheduled_at=soon,
        ),
    )
    in_review = draft(
        "New on our blog: how lactation consultants support families returning to work. "
        "Photo: IPALA archive.",
        scheduled_at=soon + timedelta(hours=2),
    )
    workflow.submit(author, in_review)
    workflow.review(reviewer, in_review, Decision.APPROVE, "Reads well.")

    changes = draft("Our new guide to milk storage is out now!! Everyone should read it!!!")
    workflow.submit(author, changes)
    workflow.review(
        reviewer, changes, Decision.REQUEST_CHANGES, "Please link the guide and calm the tone."
    )

    rejected = draft("We think the hospital's new policy is a disgrace and everyone should say so.")
    workflow.submit(author, rejected)
    workflow.review(chair, rejected, Decision.REJECT, "Not our voice; raise it with the Council.")

    scheduled = draft(
        "Thank you to everyone who attended our annual general meeting. "
        "The minutes will be shared with members next week.",
        scheduled_at=soon + timedelta(days=1),
    )
    workflow.submit(author, scheduled)
    workflow.review(reviewer, scheduled, Decision.APPROVE)
    workflow.review(reviewer2, scheduled, Decision.APPROVE)

    # A reply answers something known on the channel: here, a demo inbox comment.
    from postguard.web.inbox.demo import create_inbox_demo

    create_inbox_demo(org, bluesky)
    reply = draft(
        "Thank you for sharing! Our directory of members lists consultants near you.",
        kind=Kind.REPLY,
        in_reply_to="demo-ordinary-1",
    )
    workflow.submit(author, reply)
    workflow.review(reviewer, reply, Decision.APPROVE, "Fast lane: one approval for replies.")

    expired = draft(
        "Reminder: nominations for the IPALA Council close on Friday.",
        scheduled_at=timezone.now() + timedelta(minutes=5),
    )
    workflow.submit(author, expired)
    workflow.expire_overdue(timezone.now() + timedelta(minutes=6), only=expired.pk)

    workflow.archive(author, draft("An old idea for a post that never went anywhere."))

    privacy = draft(
        "So proud of our client Sarah Jones, who finally got her baby latching at "
        "St Mary's ward 4! Call her on 07700 900123 to hear her story.",
        channel=group,
    )
    workflow.submit(author, privacy)
    workflow.add_comment(reviewer, privacy, "This names a client and her phone number.")

    # Presence monitoring: the terms to look for, and no source, so that starting the
    # demo fetches nothing from outside (a committee adds its feeds on /presence/).
    from postguard.web.presence import services as presence

    for text, kind in (
        ("IPALA", "name"),
        ("@ipala-demo.example", "handle"),
        ("#WBW2026", "hashtag"),
    ):
        presence.add_term(chair, org, text=text, kind=kind)
    from postguard.web.evaluation.demo import create_evaluation_demo

    create_evaluation_demo(org, [bluesky, group], author)

    return org
